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


def _grams(wording: str) -> np.ndarray:
    """The distinct bigram keys of a wording of two characters or more, sorted."""
    return np.unique(np.array([bigram_key(wording[i], wording[i + 1]) for i in range(len(wording) - 1)],
                              dtype=np.uint64))


def _lookup(p: PartView, kind: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Postings ranges ``[lo, hi)`` in ``{kind}_secs`` of every key (sorted), in one search; None when the part
    lacks one of them."""
    have = p.part.arrays[f"{kind}_keys"]
    if not len(have):
        return None
    idx = np.minimum(np.searchsorted(have, keys), len(have) - 1)
    if (have[idx] != keys).any():
        return None
    offs = p.part.arrays[f"{kind}_offs"]
    return offs[idx].astype(np.int64), offs[idx + 1].astype(np.int64)


def _postings(p: PartView, kind: str, lo: int, hi: int) -> np.ndarray:
    """Global section numbers of the postings ``[lo, hi)`` of a part."""
    return p.part.arrays[f"{kind}_secs"][lo:hi].astype(np.int64) + p.base


def _candidates(p: PartView, wording: str) -> np.ndarray | None:
    """Local candidate sections of a wording, in ascending order (None: the part cannot hold it)."""
    if len(wording) == 1:
        c = _code(wording)
        sl = p.part.range_postings("bg", c << 21, (c + 1) << 21)
        return np.unique(np.asarray(p.part.bg_secs[sl], dtype=np.int64)) if sl.stop > sl.start else None
    found = _lookup(p, "bg", _grams(wording))
    if found is None:
        return None
    lo, hi = found
    rarest = int(np.argmin(hi - lo))
    return p.part.bg_secs[int(lo[rarest]):int(hi[rarest])].astype(np.int64)


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
    """Sections (global, live or not) where the normalised ``wording`` starts.

    The work is done once per query across the generation's parts, not once per part: each part answers one
    search for all of the wording's keys, the candidates of every part are gathered into one array of global
    section numbers, and filtering, the word postings, the section-break test and the windows to verify are
    array operations over all of them (:mod:`.generation` keeps the few global columns they need). What is
    left per candidate is verification, which only a wording's matches make long."""
    mask = np.zeros(gen.n, dtype=bool)
    if not wording or "\u0001" in wording or not gen.parts:
        return mask
    if len(wording) == 1:
        c = _code(wording)
        for p in gen.parts:
            sl = p.part.range_postings("bg", c << 21, (c + 1) << 21)
            mask[_postings(p, "bg", sl.start, sl.stop)] = True
        return mask
    grams = _grams(wording)
    ranges = [(p, _lookup(p, "bg", grams)) for p in gen.parts]
    held = [(p, r) for p, r in ranges if r is not None]
    if len(wording) == 2:
        for p, (lo, hi) in held:
            mask[_postings(p, "bg", int(lo[0]), int(hi[0]))] = True
        return mask
    if not held:
        return mask
    cand = _gather_candidates(gen, held)
    known = _known_words(gen, wording, [p for p, _ in held])
    if known is not None:
        mask[known] = True
        cand = cand[~mask[cand] | _may_straddle(gen, wording, cand)]
    if budget.over():
        return mask
    _verify_all(gen, wording.encode("utf-8"), cand, mask, budget)
    return mask


def _gather_candidates(gen: Generation, held: list[tuple[PartView, tuple[np.ndarray, np.ndarray]]]) -> np.ndarray:
    """Global candidate sections: in each part the postings of its rarest bigram of the wording; then, while
    there are many, only those in documents holding each other bigram (rarest first, over all parts at once:
    a wording may run across a section break, so documents, not sections, must hold them)."""
    pieces = []
    for p, (lo, hi) in held:
        r = int(np.argmin(hi - lo))
        pieces.append(_postings(p, "bg", int(lo[r]), int(hi[r])))
    cand = np.concatenate(pieces)
    if len(cand) <= VERIFY_DIRECT:
        return cand
    grams = len(held[0][1][0])
    sizes = np.sum([hi - lo for _, (lo, hi) in held], axis=0)
    for g in np.argsort(sizes, kind="stable").tolist():
        if len(cand) <= VERIFY_DIRECT or grams < 2:
            break
        has = np.zeros(gen.documents_all, dtype=bool)
        for p, (lo, hi) in held:
            has[gen.doc_of[_postings(p, "bg", int(lo[g]), int(hi[g]))]] = True
        cand = cand[has[gen.doc_of[cand]]]
    return cand


def _known_words(gen: Generation, wording: str, parts: list[PartView]) -> np.ndarray | None:
    """Global sections where jieba emitted ``wording`` as a word (they hold it: no need to verify them)."""
    key = np.array([term_key(wording)], dtype=np.uint64)
    pieces = []
    for p in parts:
        found = _lookup(p, "w", key)
        if found is not None:
            pieces.append(_postings(p, "w", int(found[0][0]), int(found[1][0])))
    return np.concatenate(pieces) if pieces else None


def _may_straddle(gen: Generation, wording: str, cand: np.ndarray) -> np.ndarray:
    """Which candidates an occurrence could run into from the section before: the pair of characters across
    that break (the previous section's last, this one's first) is one of the wording's bigrams."""
    prev = np.maximum(cand - 1, 0)
    pairs = (gen.last_char[prev].astype(np.int64) << 21) | gen.first_char[cand].astype(np.int64)
    opens_doc = gen.doc_first[gen.doc_of[cand]] == cand
    return np.isin(pairs, _grams(wording).astype(np.int64)) & ~opens_doc


def _verify_all(gen: Generation, needle: bytes, cand: np.ndarray, mask: np.ndarray, budget: Budget) -> None:
    """Mark the sections where ``needle`` starts, searching the text around the candidates (global, sorted):
    the windows of every part computed as one set of arrays, then one ``find`` per window."""
    if not len(cand):
        return
    n = len(needle)
    d = gen.doc_of[cand]
    first, last = gen.doc_first[d], gen.doc_first[d + 1] - 1
    lo = np.maximum(gen.byte_start[first], gen.byte_start[cand] - n)
    hi = np.minimum(gen.byte_start[last] + gen.lengths[last], gen.byte_start[cand] + gen.lengths[cand] + n)
    new = np.ones(len(cand), dtype=bool)
    if len(cand) > 1:
        reach = np.maximum.accumulate(hi)
        new[1:] = (lo[1:] > reach[:-1]) | (d[1:] != d[:-1])
    starts = np.flatnonzero(new)
    w_lo, w_hi = lo[starts], np.maximum.reduceat(hi, starts)
    w_part = np.searchsorted(gen.part_bases, cand[starts], side="right") - 1
    found_part: list[int] = []
    found_pos: list[int] = []
    texts = [p.part.text for p in gen.parts]
    for k, (pi, a, b) in enumerate(zip(w_part.tolist(), w_lo.tolist(), w_hi.tolist(), strict=True)):
        if k % 256 == 255 and budget.over():
            break
        text = texts[pi]
        pos = text.find(needle, a, b)
        while pos != -1:
            found_part.append(pi)
            found_pos.append(pos)
            pos = text.find(needle, pos + 1, b)
    if not found_pos:
        return
    parts = np.array(found_part, dtype=np.int64)
    positions = np.array(found_pos, dtype=np.int64)
    for pi in np.unique(parts).tolist():
        p = gen.parts[pi]
        local = np.searchsorted(p.part.starts, positions[parts == pi], side="right") - 1
        mask[p.base + local] = True
