"""Facet counts over all matches, by array operations: sections, or documents when results are grouped.

Each facet lists every value with its count, ``None`` last (documents where the value is unknown), so a
facet's counts add up to the total; years newest first (each with how many of its documents have the year by
inference), other values by count.
"""

from __future__ import annotations

import numpy as np

from indexer.search.generation import FACETS as CODED
from indexer.search.generation import Generation
from indexer.search.results import FACETS, FacetValue


def representatives(gen: Generation, cand: np.ndarray) -> np.ndarray:
    """One section per matching document (its first match)."""
    _, first = np.unique(gen.doc_of[cand], return_index=True)
    return cand[np.sort(first)]


def facet_counts(gen: Generation, rows: np.ndarray) -> dict[str, list[FacetValue]]:
    """Counts per facet value over ``rows`` (global section numbers)."""
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        if name == "year":
            years, at, counts = np.unique(gen.year[rows], return_inverse=True, return_counts=True)
            inferred = np.bincount(at, weights=gen.inferred[rows], minlength=len(years))
            triples = [(int(y) or None, int(c), int(i)) for y, c, i in zip(years, counts, inferred, strict=True)]
            triples.sort(key=lambda t: (t[0] is None, -(t[0] or 0)))
            out[name] = [FacetValue(v, c, i) for v, c, i in triples]
            continue
        assert name in CODED
        vocab = gen.vocab[name]
        counts = np.bincount(gen.codes[name][rows], minlength=len(vocab))
        pairs = [(vocab[i], int(counts[i])) for i in np.flatnonzero(counts)]
        pairs.sort(key=lambda vc: (vc[0] is None, -vc[1], str(vc[0])))
        out[name] = [FacetValue(v, c) for v, c in pairs]
    return out
