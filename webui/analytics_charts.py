"""Server-side SVG charts of the analysis pages (no JavaScript): horizontal bars (one or two per row) for
wordings and collocates, diverging bars for keyness, and for dispersion a column chart (position in the
document by tenths, frequency per year) and one strip per document with a tick at each occurrence.

As in :mod:`webui.research_charts` (whose axes, ticks and number format are reused): every mark has a
``<title>`` with its exact figure, every chart's numbers are also in a table on its page, labels are escaped
here (wordings come from documents and users), colours and sizes come from classes in
``static/analytics.css`` (no inline style).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from webui.research_charts import _fmt, _svg, nice_ticks


def _link(body: str, link: str | None) -> str:
    return f'<a href="{escape(link)}">{body}</a>' if link else body


def _label(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def hbars(rows: Sequence[tuple[str, float, float | None, str | None]], x_label: str, names: tuple[str, str] = ("", ""),
          percent: bool = False, width: int = 640, label_chars: int = 12) -> Markup:
    """Horizontal bars of ``(label, value, second value or None, link)``, in the order given; a second value is
    drawn as a thinner bar below the first (``names`` say what each is)."""
    if not rows:
        return Markup("")
    paired = any(r[2] is not None for r in rows)
    left, top, row = 14 + 13 * label_chars, 8 + (20 if paired else 0), 26 if paired else 22
    w = width - left - 56
    height = top + row * len(rows) + 42
    ticks = nice_ticks(max(max(r[1], r[2] or 0) for r in rows) or 1, 4)
    scale = w / ticks[-1]
    body = []
    if paired:
        body.append(f'<rect class="bar a" x="{left}" y="4" width="14" height="9"/><text class="tick" x="{left + 20}" '
                    f'y="12">{escape(names[0])}</text><rect class="bar b" x="{left + 160}" y="6" width="14" '
                    f'height="5"/><text class="tick" x="{left + 180}" y="12">{escape(names[1])}</text>')
    for t in ticks:
        x = left + t * scale
        body.append(f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + row * len(rows)}"/>'
                    f'<text class="tick" x="{x:.1f}" y="{top + row * len(rows) + 16}" text-anchor="middle">'
                    f'{_fmt(t, percent)}</text>')
    for i, (label, a, b, link) in enumerate(rows):
        y = top + i * row
        tip = f"{label}：{_fmt(a, percent)}" + (f"；{names[1]} {_fmt(b, percent)}" if b is not None else "")
        bars = (f'<rect class="bar a" x="{left}" y="{y + 3}" width="{max(1.0, a * scale):.1f}" '
                f'height="{row - (13 if paired else 8)}"><title>{escape(tip)}</title></rect>')
        if b is not None:
            bw = max(1.0 if b else 0.0, b * scale)
            bars += (f'<rect class="bar b" x="{left}" y="{y + row - 9}" width="{bw:.1f}" height="5">'
                     f'<title>{escape(tip)}</title></rect>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y + row / 2 + 2:.1f}" text-anchor="end">'
                    f'{escape(_label(label, label_chars))}</text>{_link(bars, link)}'
                    f'<text class="tick" x="{left + 4 + a * scale:.1f}" y="{y + row / 2 + 2:.1f}">'
                    f'{_fmt(a, percent)}</text>')
    body.append(f'<text class="label" x="{left + w / 2:.0f}" y="{height - 6}" text-anchor="middle">'
                f'{escape(x_label)}</text>')
    return _svg(width, height, x_label, body)


def diverging(over: Sequence[tuple[str, float, str | None]], under: Sequence[tuple[str, float, str | None]],
              x_label: str, names: tuple[str, str], width: int = 700, label_chars: int = 10) -> Markup:
    """Keyness: ``over`` items as bars to the right of the middle, ``under`` items to the left, each of
    ``(label, score, link)``; the bar's length is the score."""
    if not over and not under:
        return Markup("")
    row, top = 22, 26
    mid = width / 2
    half = mid - 14 - 13 * label_chars
    rows = [(label, s, link, 1) for label, s, link in over] + [(label, s, link, -1) for label, s, link in under]
    top_score = nice_ticks(max(s for _, s, _, _ in rows) or 1, 3)[-1]
    height = top + row * len(rows) + 40
    body = [f'<text class="label" x="{mid + 8:.0f}" y="14">{escape(names[0])} →</text>'
            f'<text class="label" x="{mid - 8:.0f}" y="14" text-anchor="end">← {escape(names[1])}</text>',
            f'<line class="axis" x1="{mid:.0f}" y1="{top - 4}" x2="{mid:.0f}" y2="{top + row * len(rows)}"/>']
    for i, (label, s, link, side) in enumerate(rows):
        y = top + i * row
        length = max(1.0, half * s / top_score)
        x = mid if side > 0 else mid - length
        cls = "bar over" if side > 0 else "bar under"
        bar = (f'<rect class="{cls}" x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{row - 8}">'
               f'<title>{escape(label)}：{_fmt(round(s, 1), False)}</title></rect>')
        tx = mid + length + 6 if side > 0 else mid - length - 6
        anchor = "start" if side > 0 else "end"
        body.append(f'{_link(bar, link)}<text class="tick" x="{tx:.1f}" y="{y + row / 2 + 4:.1f}" '
                    f'text-anchor="{anchor}">{escape(_label(label, label_chars))}</text>')
    body.append(f'<text class="label" x="{mid:.0f}" y="{height - 8}" text-anchor="middle">{escape(x_label)}</text>')
    return _svg(width, height, x_label, body)


def columns(bars: Sequence[tuple[str, float]], y_label: str, x_label: str, width: int = 640, height: int = 240,
            percent: bool = False) -> Markup:
    """Vertical columns of ``(label, value)`` side by side (no gap is implied between labels)."""
    if not bars:
        return Markup("")
    left, top, bottom = 56, 14, 52
    w, h = width - left - 16, height - top - bottom
    ticks = nice_ticks(max(v for _, v in bars) or 1)
    slot = w / len(bars)
    every = max(1, len(bars) // 14)
    body = [f'<line class="axis" x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}"/>']
    for t in ticks:
        y = top + h - h * t / ticks[-1]
        body.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}"/><text class="tick" '
                    f'x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(t, percent)}</text>')
    for i, (label, v) in enumerate(bars):
        bh = h * v / ticks[-1]
        x = left + slot * i
        body.append(f'<rect class="bar a" x="{x + slot * 0.1:.1f}" y="{top + h - bh:.1f}" '
                    f'width="{max(1.0, slot * 0.8):.1f}" height="{bh:.1f}"><title>{escape(label)}：'
                    f'{_fmt(v, percent)}</title></rect>')
        if i % every == 0:
            body.append(f'<text class="tick" x="{x + slot / 2:.1f}" y="{top + h + 16}" text-anchor="middle">'
                        f'{escape(label)}</text>')
    body.append(f'<text class="label" x="{left + w / 2:.0f}" y="{height - 8}" text-anchor="middle">'
                f'{escape(x_label)}</text><text class="label" transform="translate(14 {top + h / 2:.0f}) rotate(-90)" '
                f'text-anchor="middle">{escape(y_label)}</text>')
    return _svg(width, height, f"{y_label}（按{x_label}）", body)


def strips(rows: Sequence[tuple[str, Sequence[float], str | None]], width: int = 700, label_chars: int = 14) -> Markup:
    """One strip per document, ``(label, relative positions 0–1, link)``: a line from the document's start to
    its end with a tick where each occurrence starts."""
    if not rows:
        return Markup("")
    left, row, top = 14 + 13 * label_chars, 20, 22
    w = width - left - 16
    height = top + row * len(rows) + 8
    body = [f'<text class="tick" x="{left}" y="14">开头</text>'
            f'<text class="tick" x="{left + w}" y="14" text-anchor="end">结尾</text>']
    for i, (label, positions, link) in enumerate(rows):
        y = top + i * row + row / 2
        marks = "".join(f'<line class="tickmark" x1="{left + w * p:.1f}" y1="{y - 6:.1f}" x2="{left + w * p:.1f}" '
                        f'y2="{y + 6:.1f}"/>' for p in positions)
        strip = (f'<g class="strip"><title>{escape(label)}：{len(positions)} 处</title>'
                 f'<line class="track" x1="{left}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}"/>{marks}</g>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                    f'{escape(_label(label, label_chars))}</text>{_link(strip, link)}')
    return _svg(width, height, "每篇文档中的出现位置", body)
