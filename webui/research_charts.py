"""Server-side SVG charts of the research pages and the landing page: lines per year (trend), bars (documents
per year, province, type) and a tile-grid map of China's provinces (spread). No JavaScript, no CDN.

Every chart has axis labels, a ``<title>`` on each mark (its exact figure) and leaves its numbers to a table
the page shows beside or below it. Text is drawn in the page's fonts (inline SVG inherits them). Labels are
escaped here: wordings and facet values come from users and documents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

#: Line colours and dash patterns of up to five series (told apart in greyscale too).
SERIES = (("#b3261e", ""), ("#1a4f9c", "6 3"), ("#2e7d32", "2 3"), ("#ef6c00", "8 3 2 3"), ("#6a1b9a", "1 2"))

#: Tile-grid map: (row, column) of every province-level unit, roughly where it lies (全国 is drawn apart).
TILES = {
    "黑龙江": (0, 7),
    "新疆": (1, 1), "内蒙古": (1, 4), "北京": (1, 5), "吉林": (1, 7),
    "甘肃": (2, 2), "宁夏": (2, 3), "山西": (2, 4), "河北": (2, 5), "天津": (2, 6), "辽宁": (2, 7),
    "青海": (3, 1), "陕西": (3, 3), "河南": (3, 4), "山东": (3, 5),
    "西藏": (4, 0), "四川": (4, 1), "重庆": (4, 2), "湖北": (4, 3), "安徽": (4, 4), "江苏": (4, 5), "上海": (4, 6),
    "云南": (5, 1), "贵州": (5, 2), "湖南": (5, 3), "江西": (5, 4), "浙江": (5, 5),
    "广西": (6, 2), "广东": (6, 3), "福建": (6, 4), "台湾": (6, 6),
    "海南": (7, 2), "澳门": (7, 3), "香港": (7, 4),
}
_EARLY, _LATE, _NONE = (140, 29, 24), (246, 205, 160), "#ececec"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _fmt(value: float, percent: bool) -> str:
    if percent:
        text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
        return f"{text}%"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(f'<svg class="rchart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
                  f'xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>')


def _axes(left: int, top: int, w: int, h: int, ticks: list[float], percent: bool, x_label: str, y_label: str
          ) -> list[str]:
    out = [f'<line class="axis" x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}"/>',
           f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + h}"/>']
    for t in ticks:
        y = top + h - h * t / ticks[-1]
        out.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(t, percent)}</text>')
    out.append(f'<text class="label" x="{left + w / 2:.0f}" y="{top + h + 40}" text-anchor="middle">'
               f'{escape(x_label)}</text>')
    out.append(f'<text class="label" transform="translate(14 {top + h / 2:.0f}) rotate(-90)" '
               f'text-anchor="middle">{escape(y_label)}</text>')
    return out


def _year_ticks(lo: int, hi: int, x, top: int) -> list[str]:
    span = hi - lo
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 12)
    out = []
    for year in range(lo - lo % step + (step if lo % step else 0), hi + 1, step):
        out.append(f'<text class="tick" x="{x(year):.1f}" y="{top + 18}" text-anchor="middle">{year}</text>')
    return out


def year_runs(points: Sequence[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """``points`` cut into runs of consecutive years (a missing year starts a new run)."""
    runs: list[list[tuple[int, float]]] = []
    for yr, v in points:
        if runs and yr == runs[-1][-1][0] + 1:
            runs[-1].append((yr, v))
        else:
            runs.append([(yr, v)])
    return runs


def line_chart(series: Sequence[tuple[str, Sequence[tuple[int, float]]]], percent: bool, y_label: str,
               width: int = 760, height: int = 320) -> Markup:
    """Lines of ``(label, [(year, value)…])`` on one year axis; values are shares when ``percent``. A line is
    broken where a year is missing from its points (the years without documents: neither a count nor a share
    is known there), each point keeps its dot."""
    points = [p for _, pts in series for p in pts]
    if not points:
        return Markup("")
    lo, hi = min(y for y, _ in points), max(y for y, _ in points)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    left, top, right, bottom = 64, 16 + 22 * ((len(series) + 2) // 3), 20, 52
    w, h = width - left - right, height - top - bottom
    ticks = nice_ticks(max(v for _, v in points) or (0.01 if percent else 1))

    def x(year: float) -> float:
        return left + w * (year - lo) / (hi - lo)

    def y(value: float) -> float:
        return top + h - h * value / ticks[-1]

    body = _axes(left, top, w, h, ticks, percent, "年份", y_label) + _year_ticks(lo, hi, x, top + h)
    for i, (label, pts) in enumerate(series):
        colour, dash = SERIES[i % len(SERIES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in year_runs(pts):  # a year without documents breaks the line: nothing is known there
            if len(run) < 2:
                continue  # a lone year is its dot
            path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in run)
            body.append(f'<polyline class="series" points="{path}" stroke="{colour}"{dash_attr}/>')
        for yr, v in pts:
            body.append(f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="2.6" fill="{colour}"><title>'
                        f'{yr}年 {escape(label)}：{_fmt(v, percent)}</title></circle>')
        lx, ly = left + 8 + (i % 3) * (w // 3), 14 + 22 * (i // 3)
        body.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 26}" y2="{ly - 4}" stroke="{colour}" stroke-width="3"'
                    f'{dash_attr}/><text class="legend" x="{lx + 32}" y="{ly}">{escape(label[:24])}</text>')
    return _svg(width, height, f"{y_label}（按年份）", body)


def bar_chart(bars: Sequence[tuple[int, float]], y_label: str, x_label: str = "年份", width: int = 760,
              height: int = 260) -> Markup:
    """Vertical bars of ``(year, value)`` on a continuous year axis (a year without a bar is a gap)."""
    if not bars:
        return Markup("")
    lo, hi = min(b[0] for b in bars), max(b[0] for b in bars)
    left, top, right, bottom = 56, 14, 16, 52
    w, h = width - left - right, height - top - bottom
    ticks = nice_ticks(max(n for _, n in bars))
    slot = w / (hi - lo + 1)

    def x(year: float) -> float:
        return left + slot * (year - lo + 0.5)

    body = _axes(left, top, w, h, ticks, False, x_label, y_label) + _year_ticks(lo, hi, x, top + h)
    for year, n in bars:
        bh = h * n / ticks[-1]
        body.append(f'<rect class="bar" x="{x(year) - slot * 0.4:.1f}" y="{top + h - bh:.1f}" '
                    f'width="{max(1.0, slot * 0.8):.1f}" height="{bh:.1f}"><title>{year}年：{_fmt(n, False)}</title>'
                    '</rect>')
    return _svg(width, height, f"{y_label}（按{x_label}）", body)


def hbar_chart(bars: Sequence[tuple[str, int, str | None]], x_label: str, width: int = 420) -> Markup:
    """Horizontal bars of ``(label, count, link)``, largest first as given."""
    if not bars:
        return Markup("")
    left, top, row = 78, 8, 22
    w = width - left - 48
    height = top + row * len(bars) + 40
    ticks = nice_ticks(max(n for _, n, _ in bars), 4)
    body = []
    for t in ticks:
        x = left + w * t / ticks[-1]
        body.append(f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + row * len(bars)}"/>'
                    f'<text class="tick" x="{x:.1f}" y="{top + row * len(bars) + 16}" text-anchor="middle">'
                    f'{_fmt(t, False)}</text>')
    for i, (label, n, link) in enumerate(bars):
        y = top + i * row
        bar = (f'<rect class="bar" x="{left}" y="{y + 4}" width="{max(1.0, w * n / ticks[-1]):.1f}" height="{row - 8}">'
               f'<title>{escape(label)}：{n}</title></rect>')
        if link:
            bar = f'<a href="{escape(link)}">{bar}</a>'
        body.append(f'<text class="tick" x="{left - 6}" y="{y + row / 2 + 4:.1f}" text-anchor="end">'
                    f'{escape(label[:8])}</text>{bar}'
                    f'<text class="tick" x="{left + 4 + w * n / ticks[-1]:.1f}" y="{y + row / 2 + 4:.1f}">{n}</text>')
    body.append(f'<text class="label" x="{left + w / 2:.0f}" y="{height - 6}" text-anchor="middle">'
                f'{escape(x_label)}</text>')
    return _svg(width, height, x_label, body)


def year_colour(year: int, lo: int, hi: int) -> str:
    """The tile colour of a first year: dark red for the earliest, light for the latest."""
    t = 0.0 if hi == lo else (year - lo) / (hi - lo)
    r, g, b = (round(a + (c - a) * t) for a, c in zip(_EARLY, _LATE, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _tile(x: float, y: float, size: int, name: str, first: int | None, docs: int, lo: int, hi: int,
          link: str | None) -> str:
    fill = year_colour(first, lo, hi) if first is not None else _NONE
    dark = first is not None and (hi == lo or (first - lo) / (hi - lo) < 0.55)
    cls = "tile dark" if dark else "tile"
    sub = str(first) if first is not None else ("未注明年份" if docs else "—")
    tip = f"{name}：{'首次 ' + str(first) + ' 年，' if first else ''}{docs} 篇文档"
    width = size * (2 if name == "全国" else 1) + (4 if name == "全国" else 0)
    g = (f'<g class="{cls}"><rect x="{x}" y="{y}" width="{width}" height="{size}" rx="6" fill="{fill}">'
         f'<title>{escape(tip)}</title></rect>'
         f'<text x="{x + width / 2}" y="{y + size * 0.42:.1f}" text-anchor="middle" class="name">{escape(name)}</text>'
         f'<text x="{x + width / 2}" y="{y + size * 0.78:.1f}" text-anchor="middle" class="year">{sub}</text></g>')
    return f'<a href="{escape(link)}">{g}</a>' if link and docs else g


def tile_map(first: dict[str, tuple[int | None, int]], links: dict[str, str] | None = None, size: int = 58
             ) -> Markup:
    """China's province-level units as tiles coloured by the first year of use (``first``: province →
    (first year, documents)); 全国 on its own row above, a colour legend below."""
    gap, top = 4, 8
    years = [f for f, _ in first.values() if f is not None]
    lo, hi = (min(years), max(years)) if years else (0, 0)
    links = links or {}
    body = [_tile(gap, top, size, "全国", *first.get("全国", (None, 0)), lo, hi, links.get("全国"))]
    grid_top = top + size + 3 * gap
    for name, (r, c) in TILES.items():
        f, n = first.get(name, (None, 0))
        body.append(_tile(gap + c * (size + gap), grid_top + r * (size + gap), size, name, f, n, lo, hi,
                          links.get(name)))
    legend_y = grid_top + 8 * (size + gap) + 8
    if years:
        body.append(f'<defs><linearGradient id="firstyear"><stop offset="0" stop-color="{year_colour(lo, lo, hi)}"/>'
                    f'<stop offset="1" stop-color="{year_colour(hi, lo, hi)}"/></linearGradient></defs>'
                    f'<text class="tick" x="{gap}" y="{legend_y + 12}">{lo}</text>'
                    f'<rect x="{gap + 40}" y="{legend_y}" width="160" height="14" fill="url(#firstyear)"/>'
                    f'<text class="tick" x="{gap + 206}" y="{legend_y + 12}">{hi}</text>'
                    f'<text class="label" x="{gap + 250}" y="{legend_y + 12}">首次使用年份</text>')
    body.append(f'<rect x="{gap}" y="{legend_y + 22}" width="14" height="14" fill="{_NONE}"/>'
                f'<text class="tick" x="{gap + 20}" y="{legend_y + 34}">未使用（或无数据）</text>')
    width = gap + 8 * (size + gap)
    return _svg(width, legend_y + 44, "各省首次使用年份（方块地图）", body)
