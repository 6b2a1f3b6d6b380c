"""Frequent wordings of a set of documents: character n-grams of Chinese characters, counted level by level
with sorts of packed integer arrays (numpy), never a Python loop over text positions.

The input is the documents' normalised continuous text (:func:`encode`). Only Chinese characters (Han) make
wordings: punctuation, digits, Latin letters, white space, the title separator and document ends all break
them. Each document belongs to one or more *groups* (a sub-collection; period B and the years before it;
the two sides of a keyness comparison); counts are kept per group.

Level ``n`` (1, 2, … ``max_len``) works on the positions where an n-gram can still be frequent: those whose
(n-1)-gram and whose (n-1)-gram one character further are both frequent (a longer wording is in no more
documents than each of its parts: the Apriori principle). For these positions

1. the n-gram's key is (id of its (n-1)-gram, code of its last character); one sort of ``key << bits |
   index`` numbers the distinct n-grams (dense ids) and counts their occurrences;
2. one sort of ``id << bits | document`` gives the distinct (n-gram, document) pairs: document frequency per
   group;
3. *maximality* (from ``min_len`` on): one sort each of (id, next character) and (id, previous character)
   gives, per n-gram, the count of its most frequent one-character extension to the right and to the left.
   A wording is **not maximal** when one extension covers at least :data:`COVER` of its occurrences — then
   a longer wording (that extension, or a longer one still) stands for nearly all its uses. Any longer
   wording's occurrences contain distinct occurrences of a one-character extension, so checking those is
   checking every longer wording up to ``max_len``. At ``max_len`` itself, only a left extension hides a
   wording (so a repeated passage longer than ``max_len`` is shown once, by its first ``max_len``
   characters, marked ``truncated`` when a right extension covers its uses).

Occurrences count overlapping ones (``统战统战统战`` holds ``统战统战`` twice). All of this is exact: ids
are ranks, not hashes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: Share of a wording's occurrences a one-character extension must cover to hide the wording.
COVER = 0.9
MIN_LEN, MAX_LEN = 4, 12

Predicate = Callable[[np.ndarray], np.ndarray]


def is_han(ch: str) -> bool:
    """Whether one character is a Chinese character (as :func:`han_mask` decides)."""
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x323AF or 0xF900 <= cp <= 0xFAFF
            or cp == 0x3007)


def han_mask(cp: np.ndarray) -> np.ndarray:
    """Which code points are Chinese characters (CJK unified ideographs, extensions, compatibility, 〇)."""
    return (((cp >= 0x4E00) & (cp <= 0x9FFF)) | ((cp >= 0x3400) & (cp <= 0x4DBF))
            | ((cp >= 0x20000) & (cp <= 0x323AF)) | ((cp >= 0xF900) & (cp <= 0xFAFF)) | (cp == 0x3007))


@dataclass
class Encoded:
    """Documents as one array of character codes: 0 breaks a wording (anything that is not a Chinese
    character, and the end of each document); ``1…len(alphabet)`` are Chinese characters."""

    codes: np.ndarray  # int32, one per character (+ one 0 after each document)
    doc: np.ndarray  # int32, the document of each position
    groups: np.ndarray  # bool (documents × groups): which groups each document belongs to
    alphabet: np.ndarray  # uint32 code point of each code (index 0: unused)
    char_counts: np.ndarray  # int64 occurrences of each code per group (codes × groups)

    @property
    def documents(self) -> int:
        return len(self.groups)

    def chars(self, group: int) -> int:
        """Chinese characters in the documents of ``group``."""
        return int(self.char_counts[:, group].sum())

    def text(self, start: int, length: int) -> str:
        return "".join(map(chr, self.alphabet[self.codes[start:start + length]].tolist()))


def encode(texts: Sequence[str], groups: np.ndarray | None = None) -> Encoded:
    """``texts`` (normalised, one per document) as codes; ``groups`` (documents × groups, bool) says which
    groups each document is in (default: one group holding all)."""
    if groups is None:
        groups = np.ones((len(texts), 1), dtype=bool)
    joined = "\0".join(texts) + "\0"
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    han = han_mask(cp)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    present = np.flatnonzero(np.bincount(cp[han]))
    table = np.zeros(int(present[-1]) + 1 if len(present) else 1, dtype=np.int32)
    table[present] = np.arange(1, len(present) + 1)
    codes = np.zeros(len(cp), dtype=np.int32)
    codes[han] = table[cp[han]]
    alphabet = np.concatenate([np.zeros(1, np.uint32), present.astype(np.uint32)])
    ngroups = groups.shape[1]
    counts = np.zeros((len(alphabet), ngroups), dtype=np.int64)
    for g in range(ngroups):
        counts[:, g] = np.bincount(codes[groups[doc, g] & han], minlength=len(alphabet))
    return Encoded(codes, doc, groups, alphabet, counts)


@dataclass
class Grams:
    """The frequent wordings found, one row each (parallel arrays): where one occurrence starts (``pos``),
    its length, documents and occurrences per group, whether it is maximal and whether it runs on past
    ``max_len`` in most uses (``truncated``). ``complete_to`` is the longest length counted (less than
    asked when the time ran out: ``stopped``, or when no longer wording is frequent)."""

    enc: Encoded
    pos: np.ndarray
    length: np.ndarray
    df: np.ndarray  # rows × groups
    occ: np.ndarray  # rows × groups
    truncated: np.ndarray
    complete_to: int
    stopped: bool = False  # the time ran out before max_len
    levels: list[int] = field(default_factory=list)  # positions examined per level (for benchmarks)

    def __len__(self) -> int:
        return len(self.pos)

    def text(self, row: int) -> str:
        return self.enc.text(int(self.pos[row]), int(self.length[row]))


def _bits(value: int) -> int:
    return max(1, int(value).bit_length())


def _runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of a sorted array starts, and its length."""
    n = len(sorted_values)
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return starts, np.diff(np.append(starts, n))


@dataclass
class _Ranked:
    """Keys sorted (stably: equal keys keep their order): ``order`` of the keys, where each distinct key's run
    starts in it and its length (its occurrences); ``ids`` numbers the distinct keys of each position."""

    order: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @property
    def first(self) -> np.ndarray:
        """The index of one key (the first) of each run."""
        return self.order[self.starts]

    def ids(self) -> np.ndarray:
        """Each key's run number."""
        out = np.empty(len(self.order), dtype=np.int64)
        out[self.order] = np.repeat(np.arange(len(self.starts), dtype=np.int64), self.counts)
        return out


def _rank(keys: np.ndarray) -> _Ranked:
    """Sort ``keys`` (non-negative int64) stably into runs of equal keys."""
    n = len(keys)
    kb, pb = _bits(int(keys.max()) if n else 0), _bits(n)
    if kb + pb <= 63:  # a stable argsort by a plain sort of key and index packed together (a much faster sort)
        packed = np.sort((keys << pb) | np.arange(n, dtype=np.int64))
        order = packed & ((1 << pb) - 1)
        sorted_keys = packed >> pb
    else:
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
    starts, counts = _runs(sorted_keys)
    return _Ranked(order, starts, counts)


def _count_sorted(ids: np.ndarray, nids: int) -> np.ndarray:
    """How often each id 0…nids-1 occurs in a sorted array of ids."""
    out = np.zeros(nids, dtype=np.int64)
    starts, counts = _runs(ids)
    out[ids[starts]] = counts
    return out


def _df(ranked: _Ranked, docs: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Documents per run and group (runs × groups). Positions are in text order, so within a run (a stable
    sort) their documents come in order: a run's documents are its changes of document."""
    nids = len(ranked.starts)
    sorted_docs = docs[ranked.order]
    run = np.repeat(np.arange(nids, dtype=np.int64), ranked.counts)
    out = np.zeros((nids, groups.shape[1]), dtype=np.int64)
    for g in range(groups.shape[1]):
        if groups[:, g].all():
            d, r = sorted_docs, run
        else:
            inside = groups[sorted_docs, g]
            d, r = sorted_docs[inside], run[inside]
        new = np.ones(len(d), dtype=bool)
        new[1:] = (d[1:] != d[:-1]) | (r[1:] != r[:-1])
        out[:, g] = np.bincount(r[new], minlength=nids)
    return out


def _best_extension(ids: np.ndarray, chars: np.ndarray, width: int, nids: int) -> np.ndarray:
    """Per id, the occurrences of its most frequent extension character (0 where it has none)."""
    keep = chars > 0
    keys = np.sort(ids[keep] * width + chars[keep])
    best = np.zeros(nids, dtype=np.int64)
    starts, counts = _runs(keys)
    if len(starts):
        owner = keys[starts] // width  # sorted: the runs of one id are side by side
        first, _ = _runs(owner)
        best[owner[first]] = np.maximum.reduceat(counts, first)
    return best


def _occurrences(ids: np.ndarray, docs: np.ndarray, groups: np.ndarray, nids: int) -> np.ndarray:
    """Occurrences per id and group (ids × groups)."""
    out = np.zeros((nids, groups.shape[1]), dtype=np.int64)
    for g in range(groups.shape[1]):
        out[:, g] = np.bincount(ids if groups[:, g].all() else ids[groups[docs, g]], minlength=nids)
    return out


def _maximality(codes: np.ndarray, width: int, ids: np.ndarray, pos: np.ndarray, n: int, nids: int,
                last: bool, total: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(hidden, truncated) per id, judged on the occurrences at ``pos`` (``total``: how many there are per
    id, when known; module docstring)."""
    total = np.bincount(ids, minlength=nids) if total is None else total
    right = _best_extension(ids, codes[np.minimum(pos + n, len(codes) - 1)], width, nids)
    left = _best_extension(ids, np.where(pos > 0, codes[np.maximum(pos - 1, 0)], 0), width, nids)
    cover = COVER * total
    hidden = (left >= cover) if last else (left >= cover) | (right >= cover)
    return hidden | (total == 0), (right >= cover) & last


def count(enc: Encoded, frequent: Predicate, min_len: int = MIN_LEN, max_len: int = MAX_LEN,
          target: np.ndarray | None = None, over: Callable[[], bool] | None = None) -> Grams:
    """The n-grams of ``min_len``…``max_len`` Chinese characters that ``frequent`` accepts (it gets a table
    of documents per group, one row per n-gram, and returns a mask; it must be monotone: more documents are
    never less frequent). Maximality is judged on the occurrences in the documents of the groups ``target``
    marks (default: all). ``over()`` is asked before and during each level longer than ``min_len``; when it
    says the time is up, that level and the longer ones are left out (``complete_to``, ``stopped``).

    Below ``min_len`` an n-gram is kept when ``frequent`` accepts its occurrences (in all groups, for each
    group: never fewer than its documents there, so nothing frequent is lost) — a count that comes free with
    the sort and prunes nearly as well."""
    codes, doc, groups = enc.codes, enc.doc, enc.groups
    ngroups = groups.shape[1]
    width = len(enc.alphabet) + 1
    in_target = np.asarray(groups[:, np.ones(ngroups, bool) if target is None else target].any(axis=1))
    rows: list[tuple[np.ndarray, ...]] = []
    levels: list[int] = []
    idfull = np.full(len(codes) + 1, -1, dtype=np.int32)  # the frequent (n-1)-gram at each position, or -1
    start = 3 if 3 * _bits(width) + _bits(len(codes)) <= 63 and min_len >= 3 else 2  # skip a level when keys fit
    span = len(codes) - start + 1  # positions where a first-level n-gram can start
    first_keys = codes[:span].astype(np.int64)
    valid = codes[:span] > 0
    for k in range(1, start):  # contiguous slices: no gathers
        first_keys = first_keys * width + codes[k:span + k]
        valid &= codes[k:span + k] > 0
    pos = np.flatnonzero(valid)
    marked = pos[:0]
    complete_to, stopped = start - 1, False
    single = ngroups == 1 and bool(groups.all())
    everywhere = bool(in_target.all())
    for n in range(start, max_len + 1):
        if n == start:
            keys = first_keys[pos]
        else:
            pos = pos[idfull[pos + 1] >= 0]  # both (n-1)-grams frequent
            keys = idfull[pos].astype(np.int64) * width + codes[pos + n - 1]
        if not len(pos):
            break
        check = over if n > min_len else None
        if check is not None and check():
            stopped = True
            break
        ranked = _rank(keys)
        if check is not None and check():  # the longest level counted so far is the last one kept
            stopped = True
            break
        counts, nids = ranked.counts, len(ranked.starts)
        docs = doc[pos]
        levels.append(len(pos))
        ids = ranked.ids()
        if n < min_len:  # all occurrences stand in for each group's documents: never fewer, so nothing is lost
            keep = frequent(np.repeat(counts[:, None], ngroups, axis=1))
        else:
            df = _df(ranked, docs, groups)
            keep = frequent(df)
            sel = keep[ids] if everywhere else keep[ids] & in_target[docs]
            hidden, truncated = _maximality(codes, width, ids[sel], pos[sel], n, nids, n == max_len,
                                            np.where(keep, counts, 0) if everywhere else None)
            shown = np.flatnonzero(keep & ~hidden)
            occ = counts[:, None] if single else _occurrences(ids, docs, groups, nids)
            rows.append((pos[ranked.first[shown]], np.full(len(shown), n), df[shown], occ[shown], truncated[shown]))
        complete_to = n
        idfull[marked] = -1
        alive = keep[ids]
        pos = marked = pos[alive]
        idfull[pos] = (np.cumsum(keep) - 1)[ids[alive]]
        if not len(pos):
            break
    if rows:
        cat = [np.concatenate([r[k] for r in rows]) for k in range(5)]
    else:
        cat = [np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, ngroups), np.int64),
               np.zeros((0, ngroups), np.int64), np.zeros(0, bool)]
    return Grams(enc, cat[0], cat[1], cat[2], cat[3], cat[4], complete_to, stopped, levels)
