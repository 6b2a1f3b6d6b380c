"""The citation graph around one document: the documents it cites and that cite it (1 hop), and theirs (2 hops),
at most :data:`MAX_NODES`, nearest first. Built from a backend's ``neighbours`` function (edges of one
document, both directions), so both backends give the same graph; ``webui.relations_svg`` draws it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from indexer.relations.extract import KINDS
from indexer.relations.results import Graph, GraphEdge, GraphNode
from indexer.relations.view import Source

MAX_NODES = 24
_STRENGTH = {0: 0, 3: 1, 2: 2, 1: 3}  # cite < amend < replace < abolish


def build_graph(root: Any, root_id: str, hops: int, neighbours: Callable[[Any], list[tuple[Any, Any, int]]],
                src: Source) -> Graph:
    """Breadth first from ``root`` (``neighbours(d)``: (source, target, kind) of the references from and to
    ``d``) up to ``hops`` (1 or 2) and MAX_NODES documents."""
    depth: dict[Any, int] = {root: 0}
    edges: dict[tuple[Any, Any], int] = {}
    frontier = [root]
    truncated = False
    for level in range(1, max(1, min(hops, 2)) + 1):
        found: list[Any] = []
        for d in frontier:  # the same order on every backend: references made first, then by doc_id
            for s, t, kind in sorted(neighbours(d), key=lambda e: (e[0] != d, src.doc_ref(e[1] if e[0] == d else e[0])
                                                                     .doc_id, e[2])):
                other = t if s == d else s
                if other not in depth:
                    if len(depth) >= MAX_NODES:
                        truncated = True
                        continue
                    depth[other] = level
                    found.append(other)
                if _STRENGTH[kind] >= _STRENGTH[edges.get((s, t), 0)]:
                    edges[(s, t)] = kind
        frontier = found
    nodes = []
    for d, level in sorted(depth.items(), key=lambda item: (item[1], src.doc_ref(item[0]).doc_id)):
        ref = src.doc_ref(d)
        nodes.append(GraphNode(doc_id=ref.doc_id, title=ref.title, url=ref.url, hops=level))
    names = {d: src.doc_ref(d).doc_id for d in depth}
    out_edges = sorted((GraphEdge(source=names[s], target=names[t], kind=KINDS[k]) for (s, t), k in edges.items()
                        if s in depth and t in depth), key=lambda e: (e.source, e.target))
    return Graph(doc_id=root_id, nodes=nodes, edges=out_edges, truncated=truncated)
