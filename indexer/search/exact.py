"""Exact wording: every section where a normalised wording *starts* in its document's continuous text.

Per part of the generation, with its bigram postings (see :mod:`indexer.index.derived`):

* one character: every section holding a bigram that starts with it (the last character of a document
  pairs with 0, so it is there too) — a contiguous range of the sorted keys;
* two characters: that bigram's postings are the answer (a bigram across a section break belongs to the
  section where it starts);
* longer: the postings of the rarest bigram are the candidates; documents lacking any other bigram of the
  wording drop out (documents, not sections: a wording may run across a break); each remaining candidate is
  verified by finding the wording's bytes in the mapped text around the candidate, and every occurrence
  marks the section where it starts. Verification is what makes precision 1.0; the candidates contain
  every occurrence (each holds the rarest bigram), which makes recall 1.0.

Results are boolean masks over global section numbers; :func:`occurrences` also yields each occurrence's
byte offset, for a wording of any length (for concordance lines: a single character's candidates are the
sections holding a bigram that starts with it). A :class:`Budget` stops the work when a request's time is up, and
says so, so that a partial answer is never presented as complete.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from indexer.index.derived import boundary_chars
from indexer.search.generation import Generation, PartView
from indexer.text.terms import term_key

#: Below this many candidate sections, verify directly instead of filtering by further bigrams.
VERIFY_DIRECT = 64


@dataclass
class Budget:
    """A request's time budget (seconds from creation); ``exhausted`` records that work was cut short."""

    seconds: float = 10.0
    started: float = field(default_factory=time.monotonic)
    exhausted: bool = False

    def over(self) -> bool:
        if time.monotonic() - self.started > self.seconds:
            self.exhausted = True
        return self.exhausted


def _code(ch: str) -> int:
    return ord(ch)


def bigram_key(a: str, b: str) -> int:
    return (_code(a) << 21) | _code(b)


def _single(p: PartView, ch: str, mask: np.ndarray) -> None:
    c = _code(ch)
    sl = p.part.range_postings("bg", c << 21, (c + 1) << 21)
    mask[p.base + np.asarray(p.part.bg_secs[sl], dtype=np.int64)] = True


def _candidates(p: PartView, wording: str) -> np.ndarray | None:
    """Local candidate sections of a wording, in ascending order (None: the part cannot hold it)."""
    if len(wording) == 1:
        c = _code(wording)
        sl = p.part.range_postings("bg", c << 21, (c + 1) << 21)
        return np.unique(np.asarray(p.part.bg_secs[sl], dtype=np.int64)) if sl.stop > sl.start else None
    grams = {bigram_key(wording[i], wording[i + 1]) for i in range(len(wording) - 1)}
    slices = []
    for g in grams:
        sl = p.part.postings("bg", g)
        if sl.stop == sl.start:
            return None
        slices.append(sl)
    slices.sort(key=lambda sl: sl.stop - sl.start)
    secs = p.part.bg_secs
    cand = np.asarray(secs[slices[0]], dtype=np.int64)
    doc_of = None
    for sl in slices[1:]:
        if len(cand) <= VERIFY_DIRECT:
            break
        if doc_of is None:
            doc_of = np.repeat(np.arange(p.part.documents), np.diff(p.part.doc_start))
        has = np.zeros(p.part.documents, dtype=bool)
        has[doc_of[np.asarray(secs[sl], dtype=np.int64)]] = True
        cand = cand[has[doc_of[cand]]]
    return cand


def _windows(p: PartView, cand: np.ndarray, n: int) -> tuple[list[int], list[int]]:
    """The byte ranges to search around the candidates, computed as arrays: each candidate's section widened
    by the needle's length on both sides (an occurrence holding the candidate's bigram lies inside), kept
    within its document, overlapping ranges of one document merged."""
    starts = p.part.starts
    doc_start = np.asarray(p.part.doc_start)
    d = np.searchsorted(doc_start, cand, side="right") - 1
    lo = np.maximum(starts[doc_start[d]], starts[cand] - n)
    hi = np.minimum(starts[doc_start[d + 1]], starts[cand + 1] + n)
    reach = np.maximum.accumulate(hi)
    new = np.ones(len(cand), dtype=bool)
    new[1:] = (lo[1:] > reach[:-1]) | (d[1:] != d[:-1])
    first = np.flatnonzero(new)
    return lo[first].tolist(), np.maximum.reduceat(hi, first).tolist()


def _verify(p: PartView, needle: bytes, cand: np.ndarray, budget: Budget) -> Iterator[int]:
    """Byte offsets (in the part's text) of every occurrence of ``needle`` found around the candidates."""
    if not len(cand):
        return
    text = p.part.text
    los, his = _windows(p, cand, len(needle))
    for k, (lo, hi) in enumerate(zip(los, his, strict=True)):
        if k % 256 == 255 and budget.over():
            return
        pos = text.find(needle, lo, hi)
        while pos != -1:
            yield pos
            pos = text.find(needle, pos + 1, hi)


def _known(p: PartView, wording: str, cand: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Sections where jieba emitted ``wording`` as a word hold it (no need to verify them), and the
    candidates that still need verifying. A known candidate is verified only when an occurrence could run
    into it from the section before: then the pair of characters across that break (the previous section's
    last, this one's first) is one of the wording's bigrams."""
    sl = p.part.postings("w", term_key(wording))
    if sl.stop == sl.start:
        return None, cand
    known = np.zeros(p.part.sections, dtype=bool)
    known[np.asarray(p.part.w_secs[sl], dtype=np.int64)] = True
    if not len(cand):
        return known, cand
    first, last = boundary_chars(p.part)
    prev = np.maximum(cand - 1, 0)
    pairs = (last[prev].astype(np.int64) << 21) | first[cand].astype(np.int64)
    grams = np.array(sorted({bigram_key(wording[i], wording[i + 1]) for i in range(len(wording) - 1)}),
                     dtype=np.int64)
    doc_start = np.asarray(p.part.doc_start)
    opens_doc = np.isin(cand, doc_start)
    may_straddle = np.isin(pairs, grams) & (cand > 0) & ~opens_doc
    return known, cand[~known[cand] | may_straddle]


def occurrences(gen: Generation, wording: str, budget: Budget) -> Iterator[tuple[PartView, int]]:
    """``(part, byte offset)`` of every occurrence of a normalised wording, in text order within each part."""
    if not wording or "\u0001" in wording:
        return
    needle = wording.encode("utf-8")
    for p in gen.parts:
        cand = _candidates(p, wording)
        if cand is None or not len(cand):
            continue
        for pos in _verify(p, needle, cand, budget):
            yield p, pos
        if budget.over():
            return


def exact_mask(gen: Generation, wording: str, budget: Budget) -> np.ndarray:
    """Sections (global, live or not) where the normalised ``wording`` starts."""
    mask = np.zeros(gen.n, dtype=bool)
    if not wording or "\u0001" in wording:
        return mask
    for p in gen.parts:
        if len(wording) == 1:
            _single(p, wording, mask)
        elif len(wording) == 2:
            sl = p.part.postings("bg", bigram_key(wording[0], wording[1]))
            mask[p.base + np.asarray(p.part.bg_secs[sl], dtype=np.int64)] = True
        if budget.over():
            return mask
    if len(wording) <= 2:
        return mask
    needle = wording.encode("utf-8")
    for p in gen.parts:
        cand = _candidates(p, wording)
        if cand is None:
            continue
        known, cand = _known(p, wording, cand)
        if known is not None:
            mask[p.base:p.base + p.n] |= known
        found = list(_verify(p, needle, cand, budget))
        if budget.over():
            return mask
        if found:
            local = np.searchsorted(p.part.starts, np.array(found, dtype=np.int64), side="right") - 1
            mask[p.base + local] = True
    return mask
