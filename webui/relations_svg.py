"""The citation graph of a document page as server-side SVG (no JavaScript): the document in the middle, the
documents one hop away on an inner ring, two hops away on an outer ring; an arrow from the citing to the cited
document, coloured by kind (a 废止, 代替 or 修订 statement, or a citation: classes styled in relations.css);
each node a link to its document, with its full title as a tooltip (``<title>``). Labels are escaped here."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from indexer.relations.results import Graph

WIDTH, HEIGHT = 720, 460
_RINGS = (0, 135, 215)
LABEL = 11  # characters of a title shown on a node


def _short(title: str | None, doc_id: str) -> str:
    text = title or doc_id
    return text if len(text) <= LABEL else text[:LABEL - 1] + "…"


def _layout(graph: Graph) -> dict[str, tuple[float, float]]:
    """Positions: the document in the middle, one hop away evenly round an inner ring (starting left, so two
    stand side by side), two hops away on an outer ring within the sector of the first node they are linked to."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    angles: dict[str, float] = {}
    inner = [n.doc_id for n in graph.nodes if n.hops == 1]
    sector = 2 * math.pi / max(len(inner), 1)
    for i, doc_id in enumerate(inner):
        angles[doc_id] = math.pi + sector * i
    parent: dict[str, str] = {}
    for e in graph.edges:
        for a, b in ((e.source, e.target), (e.target, e.source)):
            if b in angles and a not in angles and a not in parent:
                parent[a] = b
    children: dict[str, list[str]] = {}
    for n in graph.nodes:
        if n.hops == 2:
            children.setdefault(parent.get(n.doc_id, inner[0] if inner else n.doc_id), []).append(n.doc_id)
    for p, kids in children.items():
        base = angles.get(p, 0.0)
        for k, doc_id in enumerate(kids):
            angles[doc_id] = base + sector * 0.8 * ((k + 0.5) / len(kids) - 0.5)
    out = {graph.doc_id: (cx, cy)}
    for n in graph.nodes:
        if n.hops:
            r = _RINGS[n.hops]
            out[n.doc_id] = (cx + r * 1.35 * math.cos(angles[n.doc_id]), cy + r * math.sin(angles[n.doc_id]))
    return out


def graph_svg(graph: Graph) -> Markup:
    """The graph as an inline SVG (empty when the document has no resolved relation)."""
    if len(graph.nodes) < 2:
        return Markup("")
    at = _layout(graph)
    body = ['<defs>' + "".join(
        f'<marker id="arrow-{k}" class="arrow-{k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        for k in ("cite", "abolish", "replace", "amend")) + '</defs>']
    for e in graph.edges:
        (x1, y1), (x2, y2) = at[e.source], at[e.target]
        d = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        body.append(f'<line class="edge edge-{e.kind}" x1="{x1 + ux * 18:.1f}" y1="{y1 + uy * 18:.1f}" '
                    f'x2="{x2 - ux * 20:.1f}" y2="{y2 - uy * 20:.1f}" marker-end="url(#arrow-{e.kind})"/>')
    for n in graph.nodes:
        x, y = at[n.doc_id]
        title = escape(n.title or n.doc_id)
        body.append(f'<a href="{escape(n.url)}" class="node hop{n.hops}"><title>{title}</title>'
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{14 if n.hops == 0 else 9}"/>'
                    f'<text x="{x:.1f}" y="{y + (30 if n.hops == 0 else 23):.1f}" text-anchor="middle">'
                    f'{escape(_short(n.title, n.doc_id))}</text></a>')
    label = f"引用关系图：{graph.doc_id} 周围 {len(graph.nodes) - 1} 篇文档"
    return Markup(f'<svg class="relgraph" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
                  f'xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>')
