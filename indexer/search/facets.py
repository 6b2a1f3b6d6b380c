"""Facet counts over all matches, by array operations: sections, or documents when results are grouped.

Each facet lists every value with its count, ``None`` last (documents where the value is unknown), so a
facet's counts add up to the total; years newest first (each with how many of its documents have the year by
inference), other values by count.

Counting each facet over the matches reads eight columns at every match. A generation's sections have few
distinct combinations of facet values (their *signatures*: about a thousand for a million bench sections),
so when the matches outnumber the signatures they are counted once per signature, and each facet is then
summed over the signatures (:class:`FacetTable`); the counts are the same either way.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from indexer.relations.generation import facet_pairs, relations_of
from indexer.relations.resolve import STATUS_LABELS
from indexer.search.generation import FACETS as CODED
from indexer.search.generation import Generation
from indexer.search.results import FACETS, RELATION_FACETS, FacetValue

#: Signatures are numbered as one mixed-radix integer of the facet codes; a generation whose combinations do
#: not fit in this many bits counts each facet over the matches instead.
_KEY_BITS = 62

_tables: weakref.WeakKeyDictionary[Generation, FacetTable | None] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def document_runs(gen: Generation, cand: np.ndarray, docs: np.ndarray | None = None) -> np.ndarray:
    """Indices into ``cand`` (global sections, ascending) where each matching document's run of sections starts:
    a document's sections are contiguous, so its matches are one run of ``cand`` (no sort needed). ``docs``:
    the candidates' documents, when the caller has them."""
    docs = gen.doc_of[cand] if docs is None else docs
    return np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]]) if len(cand) else np.zeros(0, np.int64)


def representatives(gen: Generation, cand: np.ndarray, docs: np.ndarray | None = None) -> np.ndarray:
    """One section per matching document (its first match); ``cand`` ascending."""
    return cand[document_runs(gen, cand, docs)]


@dataclass(frozen=True)
class FacetTable:
    """The distinct combinations of facet values of a generation's sections: ``sig`` numbers each section's
    combination; ``columns`` hold, per combination, the value of each counted column (``year`` as an offset
    from ``year_low``, ``inferred``, the coded facets' codes, ``status``)."""

    sig: np.ndarray
    columns: dict[str, np.ndarray]
    year_low: int

    @property
    def size(self) -> int:
        return len(self.columns["year"])


def _section_columns(gen: Generation) -> tuple[dict[str, tuple[np.ndarray, int]], int]:
    """Each counted column of every section with its number of values (its radix), and the lowest year."""
    year_low = int(gen.year.min()) if gen.n else 0
    years = gen.year.astype(np.int64) - year_low
    columns = {"year": (years, int(years.max()) + 1 if gen.n else 1), "inferred": (gen.inferred, 2)}
    for name in CODED:
        columns[name] = (gen.codes[name], max(len(gen.vocab[name]), 1))
    columns["status"] = (relations_of(gen).section_status, len(STATUS_LABELS))
    return columns, year_low


def facet_table(gen: Generation) -> FacetTable | None:
    """The generation's :class:`FacetTable`, built on first use and kept as long as the generation is (None
    when its combinations cannot be numbered in :data:`_KEY_BITS` bits)."""
    if gen in _tables:
        return _tables[gen]
    with _lock:
        if gen not in _tables:
            _tables[gen] = _build_table(gen)
        return _tables[gen]


def _build_table(gen: Generation) -> FacetTable | None:
    columns, year_low = _section_columns(gen)
    if sum(int(radix - 1).bit_length() for _, radix in columns.values()) > _KEY_BITS:
        return None
    # a document's sections mostly share every value: the combinations are numbered once per run of sections
    # whose values are all the same, then spread over the run
    change = np.zeros(gen.n, dtype=bool)
    change[:1] = True
    for values, _ in columns.values():
        change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change)
    key = np.zeros(len(starts), dtype=np.int64)
    for values, radix in columns.values():
        key *= radix
        key += values[starts]
    distinct, inverse = np.unique(key, return_inverse=True)
    sig = np.repeat(inverse, np.diff(np.append(starts, gen.n)))
    decoded: dict[str, np.ndarray] = {}
    for name, (_, radix) in reversed(list(columns.items())):
        decoded[name] = distinct % radix
        distinct //= radix
    return FacetTable(sig.astype(np.int32), decoded, year_low)


def _column_counts(gen: Generation, rows: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, int]:
    """Counts over ``rows`` of every code of each coded facet and of status; of years and of years by
    inference (both indexed by the year's offset from the returned lowest year)."""
    table = facet_table(gen)
    if table is not None and len(rows) >= table.size:  # few signatures: count them, then sum per column
        per_sig = np.bincount(table.sig[rows], minlength=table.size)

        def count(name: str, radix: int, weights: np.ndarray = per_sig) -> np.ndarray:
            assert table is not None
            return np.bincount(table.columns[name], weights=weights, minlength=radix).astype(np.int64)

        years = count("year", int(table.columns["year"].max()) + 1 if table.size else 1)
        inferred = count("year", len(years), per_sig * table.columns["inferred"])
        counts = {name: count(name, len(gen.vocab[name])) for name in CODED}
        counts["status"] = count("status", len(STATUS_LABELS))
        return counts, years, inferred, table.year_low
    y = gen.year[rows].astype(np.int64)
    low = int(y.min()) if len(y) else 0
    years = np.bincount(y - low)  # years span a few centuries at most: counted, not sorted
    inferred = np.bincount(y - low, weights=gen.inferred[rows], minlength=len(years)).astype(np.int64)
    counts = {name: np.bincount(gen.codes[name][rows], minlength=len(gen.vocab[name])) for name in CODED}
    counts["status"] = np.bincount(relations_of(gen).section_status[rows], minlength=len(STATUS_LABELS))
    return counts, years, inferred, low


def facet_counts(gen: Generation, rows: np.ndarray) -> dict[str, list[FacetValue]]:
    """Counts per facet value over ``rows`` (global section numbers)."""
    counts, years, inferred, low = _column_counts(gen, rows)
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        if name == "year":
            triples = [(int(k) + low or None, int(years[k]), int(inferred[k])) for k in np.flatnonzero(years)]
            triples.sort(key=lambda t: (t[0] is None, -(t[0] or 0)))
            out[name] = [FacetValue(v, c, i) for v, c, i in triples]
            continue
        if name in RELATION_FACETS:
            pairs = facet_pairs(gen, name, counts[name])
        else:
            assert name in CODED
            vocab = gen.vocab[name]
            pairs = [(vocab[i], int(counts[name][i])) for i in np.flatnonzero(counts[name])]
            pairs.sort(key=lambda vc: (vc[0] is None, -vc[1], str(vc[0])))
        out[name] = [FacetValue(v, c) for v, c in pairs]
    return out
