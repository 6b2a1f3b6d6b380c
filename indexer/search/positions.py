"""Where a query's wordings start in each document, on the embedded index: what dispersion is drawn from.

The occurrences are the concordance's (:func:`indexer.search.occurrences` step 1: every occurrence in the
documents' continuous text whose section matches the query); here each becomes a character offset into its
document's continuous text — the number of UTF-8 lead bytes before it — with the document's length in
characters. Document lengths are counted once per generation (one pass over the mapped text, a number per
document kept while the generation is served).
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from indexer.arrays import distinct
from indexer.search.collection import DocPositions, Positions
from indexer.search.exact import Budget
from indexer.search.generation import Generation
from indexer.search.occurrences import _Docs, _positions

_CHARS: weakref.WeakKeyDictionary[Generation, np.ndarray] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _lead(raw: np.ndarray) -> np.ndarray:
    """Which bytes start a UTF-8 character."""
    return (raw & 0xC0) != 0x80


def doc_chars(gen: Generation) -> np.ndarray:
    """Characters of each document's continuous text (global document numbers), counted once per generation."""
    with _LOCK:
        found = _CHARS.get(gen)
    if found is not None:
        return found
    pieces = []
    for p in gen.parts:
        raw = np.frombuffer(p.part.text.map, dtype=np.uint8)
        starts = np.asarray(p.part.starts, dtype=np.int64)
        bounds = starts[np.asarray(p.part.doc_start, dtype=np.int64)]
        lo, hi = bounds[:-1], bounds[1:]
        counts = np.zeros(len(lo), dtype=np.int64)
        filled = hi > lo  # consecutive non-empty documents: each sum runs up to the next one's start
        if filled.any():
            counts[filled] = np.add.reduceat(_lead(raw[:int(starts[-1])]), lo[filled], dtype=np.int64)
        pieces.append(counts)
    chars = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
    with _LOCK:
        _CHARS[gen] = chars
    return chars


def year_sizes(gen: Generation, filtered: np.ndarray) -> dict[int | None, tuple[int, int]]:
    """Documents and characters per year (None: undated) of the documents holding the sections ``filtered``."""
    docs = distinct(gen.doc_of[filtered])
    years = gen.year[gen.doc_first[docs]].astype(np.int64)
    chars = doc_chars(gen)[docs]
    out: dict[int | None, tuple[int, int]] = {}
    for y in np.unique(years).tolist():
        sel = years == y
        out[y or None] = (int(sel.sum()), int(chars[sel].sum()))
    return out


def embedded_positions(gen: Generation, matches: np.ndarray, filtered: np.ndarray, wordings: list[str],
                       budget: Budget) -> Positions:
    """Occurrences of the normalised ``wordings`` in the sections ``matches``, by document, with character
    offsets; sizes per year of the documents holding the sections ``filtered``."""
    mask = np.zeros(gen.n, dtype=bool)
    mask[matches] = True
    found = _positions(gen, [w for w in dict.fromkeys(wordings) if w], mask, budget)
    docs = _Docs(gen)
    chars = doc_chars(gen)
    out: list[DocPositions] = []
    total = 0
    for i in sorted(found):
        p = gen.parts[i]
        pos = found[i][0]
        total += len(pos)
        raw = np.frombuffer(p.part.text.map, dtype=np.uint8)
        starts = np.asarray(p.part.starts, dtype=np.int64)
        doc_start = np.asarray(p.part.doc_start, dtype=np.int64)
        doc = np.searchsorted(doc_start, np.searchsorted(starts, pos, side="right") - 1, side="right") - 1
        for d in distinct(doc).tolist():
            if budget.over():
                break
            at = pos[doc == d]
            a = int(starts[doc_start[d]])
            lead = np.concatenate([np.zeros(1, np.int64), np.cumsum(_lead(raw[a:int(at.max())]), dtype=np.int64)])
            line = docs.line(p.doc_base + d, "", "", "")
            out.append(DocPositions(line.doc_id, line.title, line.title_derived, line.date, line.date_precision,
                                    line.year, line.region, int(chars[p.doc_base + d]), lead[at - a].tolist(),
                                    line.date_inferred))
    return Positions(out, total, year_sizes(gen, filtered), partial=budget.exhausted)
