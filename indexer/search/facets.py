"""Facet counts over all matches, by array operations: sections, or documents when results are grouped.

Each facet lists every value with its count, ``None`` last (documents where the value is unknown), so a
facet's counts add up to the total; years newest first (each with how many of its documents have the year by
inference), other values by count.
"""

from __future__ import annotations

import numpy as np

from indexer.relations.generation import facet_pairs
from indexer.search.generation import FACETS as CODED
from indexer.search.generation import Generation
from indexer.search.results import FACETS, RELATION_FACETS, FacetValue


def document_runs(gen: Generation, cand: np.ndarray) -> np.ndarray:
    """Indices into ``cand`` (global sections, ascending) where each matching document's run of sections starts:
    a document's sections are contiguous, so its matches are one run of ``cand`` (no sort needed)."""
    docs = gen.doc_of[cand]
    return np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]]) if len(cand) else np.zeros(0, np.int64)


def representatives(gen: Generation, cand: np.ndarray) -> np.ndarray:
    """One section per matching document (its first match); ``cand`` ascending."""
    return cand[document_runs(gen, cand)]


def facet_counts(gen: Generation, rows: np.ndarray) -> dict[str, list[FacetValue]]:
    """Counts per facet value over ``rows`` (global section numbers)."""
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        if name == "year":
            y = gen.year[rows].astype(np.int64)
            low = int(y.min()) if len(y) else 0
            counts = np.bincount(y - low)  # years span a few centuries at most: counted, not sorted
            inferred = np.bincount(y - low, weights=gen.inferred[rows], minlength=len(counts))
            years = np.flatnonzero(counts)
            triples = [(int(k) + low or None, int(counts[k]), int(inferred[k])) for k in years]
            triples.sort(key=lambda t: (t[0] is None, -(t[0] or 0)))
            out[name] = [FacetValue(v, c, i) for v, c, i in triples]
            continue
        if name in RELATION_FACETS:
            pairs = facet_pairs(gen, name, rows)
        else:
            assert name in CODED
            vocab = gen.vocab[name]
            counts = np.bincount(gen.codes[name][rows], minlength=len(vocab))
            pairs = [(vocab[i], int(counts[i])) for i in np.flatnonzero(counts)]
            pairs.sort(key=lambda vc: (vc[0] is None, -vc[1], str(vc[0])))
        out[name] = [FacetValue(v, c) for v, c in pairs]
    return out
