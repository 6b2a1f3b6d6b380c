"""Server-side SVG: matching sections per year (no JavaScript, no CDN)."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 160, 24


def year_chart(buckets: list[dict], link: dict[int, str] | None = None, label: str = "每年匹配段落数") -> Markup:
    """A bar chart of ``[{"value": year, "count": n}]`` (unknown years left out), bars linking to ``link``."""
    years = sorted((b["value"], b["count"]) for b in buckets if b["value"] is not None)
    if not years:
        return Markup("")
    lo, hi = years[0][0], years[-1][0]
    counts = dict(years)
    span = list(range(lo, hi + 1)) if hi - lo <= 80 else [y for y, _ in years]
    top = max(counts.values())
    slot = (WIDTH - 2 * PAD) / len(span)
    bar_w = max(2.0, slot * 0.7)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 30}" role="img" '
             f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">']
    for i, year in enumerate(span):
        n = counts.get(year, 0)
        h = 0 if not n else max(2.0, (HEIGHT - PAD) * n / top)
        x = PAD + i * slot + (slot - bar_w) / 2
        y = HEIGHT - h
        bar = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
               f'<title>{year}年：{n}</title></rect>')
        if n and link and year in link:
            bar = f'<a href="{escape(link[year])}">{bar}</a>'
        parts.append(bar)
        if n and (len(span) <= 16 or year in (lo, hi) or n == top):
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" class="n">{n}</text>')
        if len(span) <= 16 or i % max(1, len(span) // 8) == 0 or year == hi:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT + 16}" class="y">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
