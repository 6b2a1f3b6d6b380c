"""Exact wording: every section where a normalised wording *starts* in its document's continuous text.

Per part of the generation, with its bigram postings, its trigram layer and its 4-gram layer (see
:mod:`indexer.index.derived`, :mod:`indexer.index.trigrams` and :mod:`indexer.index.quadgrams`):

* one character: every section holding a bigram that starts with it (the last character of a document
  pairs with 0, so it is there too) — a contiguous range of the sorted keys;
* two characters: that bigram's postings are the answer (a bigram across a section break belongs to the
  section where it starts);
* three, when its two bigrams are frequent in the part: the trigram layer's postings are the answer; a part
  where they are frequent and the trigram is not in the layer cannot hold the wording;
* four, when its two trigrams are frequent in the part's trigram layer: the 4-gram layer's postings are the
  answer, and likewise a part where such a 4-gram is absent cannot hold the wording;
* otherwise: the postings of the rarest of the wording's bigrams and layered trigrams and 4-grams are the
  candidates; a candidate with no posting of any other of them in the sections an occurrence through it
  could reach (the wording's length in bytes before and after it: a wording may run across a break)
  drops out; each remaining candidate is verified by finding the wording's bytes in the text around the
  candidate (read by ``pread``, :mod:`indexer.index.parttext`), and every occurrence marks the section
  where it starts. Verification is what makes
  precision 1.0; the candidates contain every occurrence (each holds the rarest of those lists), which
  makes recall 1.0. The layers keep the candidates of a wording made of frequent bigrams few.

Results are global section numbers, kept as arrays while they are few and as a boolean mask once they are many
(:class:`Found`: a rare wording's answer costs what its sections cost, not a pass over every section of the
index); :func:`occurrences` also yields each occurrence's
byte offset, for a wording of any length (for concordance lines: a single character's candidates are the
sections holding a bigram that starts with it). A :class:`Budget` stops the work when a request's time is up, and
says so, so that a partial answer is never presented as complete.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from indexer.arrays import distinct
from indexer.index.trigrams import trigram_key
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


def bigram_keys(wording: str) -> np.ndarray:
    """The distinct bigram keys of a wording of two characters or more, sorted."""
    return np.unique(np.array([bigram_key(wording[i], wording[i + 1]) for i in range(len(wording) - 1)],
                              dtype=np.uint64))


def key_places(have: np.ndarray, keys: np.ndarray) -> np.ndarray | None:
    """Where every key (sorted) is in the sorted keys ``have``, in one search; None when one is absent."""
    if not len(have):
        return None
    idx = have.searchsorted(keys)
    # keys are sorted, so only the last can fall past the end
    if len(idx) and (idx[-1] >= len(have) or not (have[idx] == keys).all()):
        return None
    return idx


def _places(p: PartView, kind: str, keys: np.ndarray) -> np.ndarray | None:
    """Where every key (sorted) is in the part's ``{kind}_keys`` (:func:`key_places`)."""
    return key_places(p.part.arrays[kind + "_keys"], keys)


def _lookup(p: PartView, kind: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Postings ranges ``[lo, hi)`` in ``{kind}_secs`` of every key (sorted), in one search; None when the part
    lacks one of them."""
    idx = _places(p, kind, keys)
    if idx is None:
        return None
    offs = p.part.arrays[kind + "_offs"]
    return offs[idx].astype(np.int64), offs[idx + 1].astype(np.int64)


def _postings(p: PartView, kind: str, lo: int, hi: int) -> np.ndarray:
    """Global section numbers of the postings ``[lo, hi)`` of a part."""
    return p.part.arrays[f"{kind}_secs"][lo:hi].astype(np.int64) + p.base


@dataclass(frozen=True)
class _Wording:
    """A wording of three characters or more as the postings see it: its distinct bigram keys (sorted), its
    distinct trigram keys (sorted) and, for each trigram, where its two bigrams are in ``grams`` and whether
    the layer can hold it (a bigram ending in U+0000 is never frequent: that key is a document's end); for
    each distinct 4-gram, where its two trigrams are in ``tris`` and its last code point."""

    length: int
    grams: np.ndarray
    tris: np.ndarray
    first: np.ndarray
    second: np.ndarray
    layerable: np.ndarray
    quad_first: np.ndarray
    quad_second: np.ndarray
    quad_last: np.ndarray
    gram_texts: list[str]  # the characters of each of grams, tris and the 4-grams
    tri_texts: list[str]
    quad_texts: list[str]

    @classmethod
    def of(cls, wording: str) -> _Wording:
        grams = bigram_keys(wording)
        triples = sorted({(trigram_key(*wording[i:i + 3]), bigram_key(wording[i], wording[i + 1]),
                           bigram_key(wording[i + 1], wording[i + 2])) for i in range(len(wording) - 2)})
        arr = np.array(triples, dtype=np.uint64).reshape(-1, 3)
        tris = arr[:, 0].copy()
        low = np.uint64((1 << 21) - 1)
        quads = sorted({(trigram_key(*wording[i:i + 3]), trigram_key(*wording[i + 1:i + 4]), ord(wording[i + 3]))
                        for i in range(len(wording) - 3)})
        q = np.array(quads, dtype=np.uint64).reshape(-1, 3)
        text = {bigram_key(a, b): a + b for a, b in zip(wording, wording[1:], strict=False)}
        text.update((trigram_key(*wording[i:i + 3]), wording[i:i + 3]) for i in range(len(wording) - 2))
        return cls(len(wording), grams, tris, np.searchsorted(grams, arr[:, 1]),
                   np.searchsorted(grams, arr[:, 2]), ((arr[:, 1] & low) != 0) & ((arr[:, 2] & low) != 0),
                   np.searchsorted(tris, q[:, 0]), np.searchsorted(tris, q[:, 1]), q[:, 2].copy(),
                   [text[k] for k in grams.tolist()], [text[k] for k in tris.tolist()],
                   [text[first] + chr(last) for first, _, last in quads])


@dataclass
class _Lists:
    """The postings of a part that an occurrence of a wording must appear in: ``(size, kind, lo, hi, gram)``
    rarest first (``gram``: the characters whose postings they are); ``exact`` when the first is the answer
    itself (a three-character wording in the trigram layer, a four-character one in the 4-gram layer)."""

    p: PartView
    lists: list[tuple[int, str, int, int, str]]
    exact: bool


def _part_lists(p: PartView, w: _Wording, bigrams: tuple[np.ndarray, np.ndarray]) -> _Lists | None:
    """The postings lists of one part (None: the part cannot hold the wording): :func:`_parts_lists` of it."""
    return _parts_lists([(p, bigrams)], w)[0]


def _parts_lists(held: list[tuple[PartView, tuple[np.ndarray, np.ndarray]]], w: _Wording) -> list[_Lists | None]:
    """The postings lists of each part, given the ranges of the wording's bigrams in it (None: the part cannot
    hold the wording). A trigram whose two bigrams are both frequent in the part is in its trigram layer or
    nowhere in it (:mod:`indexer.index.trigrams`); a 4-gram whose two trigrams are both frequent there is in
    its 4-gram layer or nowhere in it (:mod:`indexer.index.quadgrams`).

    Which of the wording's trigrams and 4-grams each part has layered is computed for all parts at once, as
    arrays with a row per part; what is left per part is its searches in its own keys."""
    if not held:
        return []
    lo = np.stack([r[0] for _, r in held])
    hi = np.stack([r[1] for _, r in held])
    sizes = hi - lo
    tg_min = np.array([p.part.tg_min for p, _ in held], dtype=np.int64)[:, None]
    layered = (sizes[:, w.first] >= tg_min) & (sizes[:, w.second] >= tg_min) & w.layerable  # part × trigram
    bg = [list(zip(n, itertools.repeat("bg"), x, y, w.gram_texts, strict=False))
          for n, x, y in zip(sizes.tolist(), lo.tolist(), hi.tolist(), strict=True)]
    out: list[_Lists | None] = [None] * len(held)
    any_layered = layered.any(axis=1)
    for i in np.flatnonzero(~any_layered).tolist():
        out[i] = _Lists(held[i][0], sorted(bg[i]), False)
    rows = np.flatnonzero(any_layered).tolist()
    if not rows:
        return out
    # where each of the wording's trigrams is in each part's layer (-1: absent or not layered there), the size
    # of its postings there (0: likewise) and their range
    place = np.full((len(held), len(w.tris)), -1, dtype=np.int64)
    tsize = np.zeros((len(held), len(w.tris)), dtype=np.int64)
    ranges: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for i in rows:
        arrays = held[i][0].part.arrays
        keys = arrays["tg_keys"]
        if not len(keys):
            continue
        idx = np.minimum(keys.searchsorted(w.tris), len(keys) - 1)
        there = (keys[idx] == w.tris) & layered[i]
        offs = arrays["tg_offs"]
        ranges[i] = tlo, thi = offs[idx], offs[idx + 1]
        place[i] = np.where(there, idx, -1)
        tsize[i] = np.where(there, thi - tlo, 0)
    # a layered trigram absent: the part cannot hold the wording
    missing: list[bool] = (layered & (place < 0)).any(axis=1).tolist()
    a, b = w.quad_first, w.quad_second
    qg_min = np.array([p.part.qg_min for p, _ in held], dtype=np.int64)[:, None]
    frequent: np.ndarray = ((place[:, a] >= 0) & (place[:, b] >= 0) & (tsize[:, a] >= qg_min) & (tsize[:, b] >= qg_min)
                if len(w.quad_last) else np.zeros((len(held), 0), dtype=bool))  # part × 4-gram
    any_frequent: list[bool] = np.asarray(frequent.any(axis=1)).tolist()
    for i in rows:
        if missing[i]:
            continue
        p = held[i][0]
        tlo, thi = ranges[i]
        mine = layered[i]
        tg = list(zip(tsize[i][mine].tolist(), itertools.repeat("tg"), tlo[mine].tolist(), thi[mine].tolist(),
                      itertools.compress(w.tri_texts, mine.tolist()), strict=False))
        if w.length == 3:  # its one trigram's postings are the sections where it starts
            out[i] = _Lists(p, tg, True)
            continue
        qg: list[tuple[int, str, int, int, str]] = []
        if any_frequent[i]:
            # distinct 4-grams give distinct keys (the first trigram and the last character make the second)
            which = np.flatnonzero(frequent[i])
            keys = (place[i][a][which].astype(np.uint64) << np.uint64(21)) | w.quad_last[which]
            order = np.argsort(keys)
            found = _lookup(p, "qg", keys[order])
            if found is None:  # such a 4-gram absent from the part's layer: the part cannot hold it
                continue
            qlo, qhi = found
            qg = list(zip((qhi - qlo).tolist(), itertools.repeat("qg"), qlo.tolist(), qhi.tolist(),
                          [w.quad_texts[k] for k in which[order].tolist()], strict=False))
            if w.length == 4:  # its one 4-gram's postings are the sections where it starts
                out[i] = _Lists(p, qg, True)
                continue
        out[i] = _Lists(p, sorted(bg[i] + tg + qg), False)
    return out


def _rarest(pl: _Lists) -> np.ndarray:
    """Global sections of a part's rarest list: its candidates (the answer itself when ``pl.exact``)."""
    _, kind, lo, hi, _ = pl.lists[0]
    return _postings(pl.p, kind, lo, hi)


def _filtered(pl: _Lists, cand: np.ndarray, n: int) -> np.ndarray:
    """While there are many, only the candidates (global sections of one part, sorted) near which each other
    list of the part has a posting. A candidate holds a gram of an occurrence of the ``n``-byte wording, so
    the occurrence starts within ``n`` bytes before the candidate's section ends and every gram of it starts
    between ``n`` bytes before the candidate's start and ``n`` bytes after its end: in a section from the one
    holding the first of those bytes to the one holding the last (sections, not the candidate alone: a
    wording may run across a break).

    Filtering only saves verification, so it stops where it stops paying: a list whose gram lies inside a
    gram already used (社会 once 社会主义 is) cannot remove a candidate and is skipped, and once a list removes
    fewer than one candidate in :data:`FILTER_GAIN` the larger lists after it are left to verification. The
    postings are searched where they lie, in the part's own numbering and type (no copy of a list)."""
    if len(pl.lists) < 2 or len(cand) <= VERIFY_DIRECT:
        return cand
    part = pl.p.part
    starts = part.starts
    local = cand - pl.p.base
    low = np.maximum(np.searchsorted(starts, starts[local] - n, side="right") - 1, 0)
    high = np.searchsorted(starts, starts[local + 1] + n, side="right") - 1
    used = [pl.lists[0][4]]
    for _, kind, lo, hi, gram in pl.lists[1:]:
        if len(cand) <= VERIFY_DIRECT:
            break
        if any(gram in u for u in used):
            continue
        used.append(gram)
        post = part.arrays[kind + "_secs"][lo:hi]  # sorted: the first posting at or after each candidate's low
        at = np.searchsorted(post, low.astype(post.dtype))
        near = at < len(post)
        near[near] = post[at[near]] <= high[near]
        before = len(cand)
        cand, low, high = cand[near], low[near], high[near]
        if (before - len(cand)) * FILTER_GAIN < before:
            break
    return cand


#: Filtering goes on while each list removes at least one candidate in this many (:func:`_filtered`).
FILTER_GAIN = 16


def _candidates(gen: Generation, p: PartView, wording: str) -> np.ndarray | None:
    """Local candidate sections of a wording, in ascending order (None: the part cannot hold it)."""
    if len(wording) == 1:
        c = _code(wording)
        sl = p.part.range_postings("bg", c << 21, (c + 1) << 21)
        return distinct(np.asarray(p.part.bg_secs[sl], dtype=np.int64)) if sl.stop > sl.start else None
    if len(wording) == 2:
        found = _lookup(p, "bg", bigram_keys(wording))
        return None if found is None else _postings(p, "bg", int(found[0][0]), int(found[1][0])) - p.base
    w = _Wording.of(wording)
    found = _lookup(p, "bg", w.grams)
    pl = None if found is None else _part_lists(p, w, found)
    if pl is None:
        return None
    return (_rarest(pl) if pl.exact else _filtered(pl, _rarest(pl), len(wording.encode("utf-8")))) - p.base


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
    los, his = _windows(p, cand, len(needle))
    for k, (lo, hi) in enumerate(zip(los, his, strict=True)):
        if k % 256 == 255 and budget.over():
            return
        yield from _found_in(p, needle, lo, hi)


def _found_in(p: PartView, needle: bytes, lo: int, hi: int) -> Iterator[int]:
    """Byte offsets of every occurrence of ``needle`` inside ``[lo, hi)`` of the part's text, in order (the
    window read once, however many it holds)."""
    window = p.part.text[lo:hi]
    pos = window.find(needle)
    while pos != -1:
        yield lo + pos
        pos = window.find(needle, pos + 1)


def occurrences(gen: Generation, wording: str, budget: Budget) -> Iterator[tuple[PartView, int]]:
    """``(part, byte offset)`` of every occurrence of a normalised wording, in text order within each part."""
    if not wording or "\u0001" in wording:
        return
    needle = wording.encode("utf-8")
    for p in gen.parts:
        cand = _candidates(gen, p, wording)
        if cand is None or not len(cand):
            continue
        for pos in _verify(p, needle, cand, budget):
            yield p, pos
        if budget.over():
            return


@dataclass(eq=False)
class Found:
    """Where a wording starts (global sections, live or not), as the work gave them: arrays of sections
    (sorted or not, maybe overlapping) while they are few, a boolean mask over the generation once they are
    many (:data:`DENSE`). :meth:`sections` and :meth:`mask` give either form; a rare wording's answer then
    costs what its sections cost, not a pass over every section of the index."""

    n: int
    arrays: list[np.ndarray] = field(default_factory=list)
    dense: np.ndarray | None = None
    size: int = 0  # of the arrays, overlaps counted
    _mask: np.ndarray | None = None  # the arrays' mask, once asked for
    _sorted: np.ndarray | None = None  # the arrays' distinct sections, once asked for

    def add(self, sections: np.ndarray) -> None:
        if self.dense is not None:
            self.dense[sections] = True
            return
        self.arrays.append(sections)
        self.size += len(sections)
        self._mask = self._sorted = None
        if self.size * DENSE > self.n:
            self.dense = self.mask()
            self.arrays = []

    def mask(self) -> np.ndarray:
        """The sections as a boolean mask over the generation (the caller may not change it)."""
        if self.dense is not None:
            return self.dense
        if self._mask is None:
            self._mask = np.zeros(self.n, dtype=bool)
            for a in self.arrays:
                self._mask[a] = True
        return self._mask

    def sections(self, within: np.ndarray | None = None) -> np.ndarray:
        """The sections, ascending, each once (``within``: only those of this mask; not to be changed)."""
        if self.dense is not None:
            return np.flatnonzero(self.dense if within is None else self.dense & within)
        if self._sorted is None:
            self._sorted = distinct(np.concatenate(self.arrays)) if self.arrays else np.zeros(0, dtype=np.int64)
        return self._sorted if within is None else self._sorted[within[self._sorted]]

    def holds(self, sections: np.ndarray) -> np.ndarray:
        """Whether each of ``sections`` is among them."""
        if self.dense is not None:
            return self.dense[sections]
        have = self.sections()
        if not len(have):
            return np.zeros(len(sections), dtype=bool)
        at = np.minimum(np.searchsorted(have, sections), len(have) - 1)
        return have[at] == sections


#: A wording's sections are kept as a mask once they are more than one in this many of the generation's:
#: putting k section numbers in order costs about what a pass over n booleans does at k ≈ n / 10 (at 1M,
#: 128,000 numbers in 17 sorted runs: 1.0 ms; a mask made and read: 0.8–1.2 ms; 16,000: 0.11 and 0.87 ms).
DENSE = 16


def exact_mask(gen: Generation, wording: str, budget: Budget) -> np.ndarray:
    """Sections (global, live or not) where the normalised ``wording`` starts, as a mask (:func:`exact_found`)."""
    return exact_found(gen, wording, budget).mask()


def exact_found(gen: Generation, wording: str, budget: Budget) -> Found:
    """Sections (global, live or not) where the normalised ``wording`` starts.

    The work is done once per query across the generation's parts, not once per part: each part answers one
    search for all of the wording's keys, the candidates of every part are gathered into one array of global
    section numbers, and filtering, the word postings, the section-break test and the windows to verify are
    array operations over all of them (:mod:`.generation` keeps the few global columns they need). What is
    left per candidate is verification, which only a wording's matches make long."""
    found = Found(gen.n)
    if not wording or "\u0001" in wording or not gen.parts:
        return found
    if len(wording) == 1:
        c = _code(wording)
        for p in gen.parts:
            sl = p.part.range_postings("bg", c << 21, (c + 1) << 21)
            found.add(_postings(p, "bg", sl.start, sl.stop))
        return found
    grams = bigram_keys(wording)
    ranges = [(p, _lookup(p, "bg", grams)) for p in gen.parts]
    held = [(p, r) for p, r in ranges if r is not None]
    if len(wording) == 2:
        for p, (lo, hi) in held:
            found.add(_postings(p, "bg", int(lo[0]), int(hi[0])))
        return found
    w = _Wording.of(wording)
    pieces: list[tuple[_Lists, np.ndarray]] = []
    for pl in _parts_lists(held, w):
        if pl is None:
            continue
        if pl.exact:
            found.add(_rarest(pl))  # the layer's postings: the sections where the wording starts
        else:
            pieces.append((pl, _rarest(pl)))
    if not pieces:
        return found
    known = _known_words(gen, wording, [pl.p for pl, _ in pieces])
    if known is not None:  # sections known to hold it need no verification (nor filtering)
        found.add(known)
        pieces = [(pl, cand[~found.holds(cand) | _may_straddle(gen, wording, cand)]) for pl, cand in pieces]
    n = len(wording.encode("utf-8"))
    cand = np.concatenate([_filtered(pl, c, n) for pl, c in pieces])
    if budget.over():
        return found
    _verify_all(gen, wording.encode("utf-8"), cand, found, budget)
    return found


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
    that break (the previous section's last, this one's first) is one of the wording's bigrams — or the
    previous section is empty, when the pair across the break is the last character of one further back
    (taken as possible: such a candidate is verified)."""
    prev = np.maximum(cand - 1, 0)
    pairs = (gen.last_char[prev].astype(np.int64) << 21) | gen.first_char[cand].astype(np.int64)
    opens_doc = gen.doc_first[gen.doc_of[cand]] == cand
    return (np.isin(pairs, bigram_keys(wording).astype(np.int64)) | (gen.lengths[prev] == 0)) & ~opens_doc


#: candidates verified between two looks at the time budget
_VERIFY_BLOCK = 4096


def _verify_all(gen: Generation, needle: bytes, cand: np.ndarray, found: Found, budget: Budget) -> None:
    """Mark the sections where ``needle`` starts, searching the text around the candidates (global, sorted).

    What is searched is computed for all candidates of every part as one set of arrays: an occurrence whose
    candidate's gram lies in section ``c`` starts in ``[start(c) - n, end(c))`` (kept within the document),
    so the search runs from there to ``end(c) + n``, and stops at the first occurrence starting in ``c``
    itself — further ones cannot mark another section. That is one ``find`` per candidate, whatever the
    number of occurrences in it (a dot leader holds "...." a hundred times). Where the section before is a
    candidate too, its search has already seen what starts there, so the search starts at ``start(c)``."""
    if not len(cand):
        return
    n = len(needle)
    d = gen.doc_of[cand]
    first, last = gen.doc_first[d], gen.doc_first[d + 1] - 1
    start = gen.byte_start[cand]
    end = start + gen.lengths[cand]
    lo = np.maximum(gen.byte_start[first], start - n)
    if len(cand) > 1:
        after = np.zeros(len(cand), dtype=bool)
        after[1:] = (cand[1:] == cand[:-1] + 1) & (d[1:] == d[:-1])
        lo = np.where(after, start, lo)
    hi = np.minimum(gen.byte_start[last] + gen.lengths[last], end + n)
    part = np.searchsorted(gen.part_bases, cand, side="right") - 1
    bounds = np.flatnonzero(np.r_[True, part[1:] != part[:-1], True]).tolist()  # sorted: runs per part
    # where the first occurrence in each candidate's window starts in it (no Python step per candidate); -1:
    # nothing found, or not searched (the budget ran out)
    rel = np.full(len(cand), -1, dtype=np.int64)
    los, sizes = lo.tolist(), (hi - lo).tolist()  # windows within their document, so within the text
    for r in range(len(bounds) - 1):
        text = gen.parts[int(part[bounds[r]])].part.text
        for b0 in range(bounds[r], bounds[r + 1], _VERIFY_BLOCK):
            if budget.over():
                break
            b1 = min(b0 + _VERIFY_BLOCK, bounds[r + 1])
            rel[b0:b1] = text.finds(needle, los[b0:b1], sizes[b0:b1])
    pos = np.where(rel >= 0, lo + rel, -1)
    hit = (pos != -1) & (pos < end)
    own = hit & (pos >= start)
    found.add(cand[own])  # found starting in the candidate itself: no lookup of where it starts
    # one starting before the candidate marks the section before (where it starts); look on for one starting
    # in the candidate
    for k in np.flatnonzero(hit & ~own).tolist():
        p = gen.parts[int(part[k])]
        first, sk, ek = int(pos[k]), int(start[k]), int(end[k])
        places = [first]
        for at in _found_in(p, needle, first + 1, int(hi[k])):
            if at >= ek:
                break
            places.append(at)
            if at >= sk:
                break
        found.add(p.base + np.searchsorted(p.part.starts, places, side="right") - 1)
