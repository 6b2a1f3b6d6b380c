"""The 4-gram layer of a part: postings of the character 4-grams made of two *frequent* trigrams.

The trigram layer (:mod:`indexer.index.trigrams`) answers a three-character wording from postings; a longer
one is still verified in the text around each candidate. For a common four-character wording (社会主义,
智能制造, 中国特色) the candidates are the tens of thousands of sections that hold it, each confirmed by a
search of its text: tens of milliseconds at 1M sections, and most of the text read. This layer answers it
from postings too, with the same construction one step up:

* a trigram is *frequent* in a part when the part's trigram layer holds it with at least ``qg_min`` sections
  (the part records its ``qg_min`` in ``meta.json``; :func:`indexer.index.trigrams.threshold` of its size);
* for every 4-gram whose two trigrams are both frequent, the layer holds the sorted sections where the
  4-gram *starts* in its document's continuous text (like a trigram: across section breaks, never across a
  document's end; a layered trigram never holds :data:`indexer.index.doctext.SEP`, so neither does a 4-gram);
* so for any 4-gram of a wording, a part either has its postings, or one of its trigrams is rare or absent
  there (the trigram and bigram lists bound the candidates), or both trigrams are frequent and the 4-gram
  is absent — then the part cannot hold the wording. A four-character wording in the layer is answered from
  its postings; a longer one starts from the rarest of all its lists.

A 4-gram's key is ``i << 21 | d``: ``i`` the place of its first trigram in the part's ``tg_keys``, ``d`` its
last code point — exact, and known at query time from the trigram lookup a wording does anyway. Built from a
part's characters and trigram layer alone, so a combined part builds it again after its trigram layer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Bits of a 4-gram's last character in its key and while building.
_LAST_BITS = 21
_SEC_BITS = 22  # sections per part < 2**22
#: While building, a frequent trigram is numbered in this many bits (the threshold is raised until they fit:
#: never needed on real text, where a part has a few ten thousand frequent trigrams).
_RANK_BITS = 64 - _LAST_BITS - _SEC_BITS
#: Bits of the table that finds a frequent trigram's place from a hash of its key (a part has a few ten
#: thousand frequent trigrams: few share a slot, and those are searched for instead).
_HASH_BITS = 22
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd
#: Positions handled at once (bounds the build's temporary arrays to ~100 MB whatever the part's size).
_CHUNK = 1 << 22

Layer = tuple[np.ndarray, np.ndarray, np.ndarray, int]


def _hash(keys: np.ndarray) -> np.ndarray:
    """A multiplicative hash of trigram keys in :data:`_HASH_BITS` bits (a filter only: equality decides)."""
    return ((keys * _MIX) >> np.uint64(64 - _HASH_BITS)).astype(np.int64)


def _place_table(fkeys: np.ndarray) -> np.ndarray:
    """Slot (:func:`_hash`) → 1 + the place in ``fkeys`` of the one key hashed there; 0: none, -1: several."""
    slot = _hash(fkeys)
    table = np.zeros(1 << _HASH_BITS, dtype=np.int32)
    table[slot] = np.arange(1, len(fkeys) + 1, dtype=np.int32)
    ordered = np.sort(slot)
    table[ordered[1:][ordered[1:] == ordered[:-1]]] = -1
    return table


def _places(fkeys: np.ndarray, table: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """The place of each trigram key of ``tri`` in the sorted ``fkeys`` (-1: not there), by one look in the
    table (:func:`_place_table`) and a comparison: a random search of millions of keys in a sorted array was
    60 % of the layer's build."""
    place = table[_hash(tri)].astype(np.int64) - 1
    one = np.flatnonzero(place >= 0)
    place[one[fkeys[place[one]] != tri[one]]] = -1  # another key's slot
    several = np.flatnonzero(place == -2)
    if len(several):
        found = np.minimum(np.searchsorted(fkeys, tri[several]), len(fkeys) - 1)
        place[several] = np.where(fkeys[found] == tri[several], found, -1)
    return place


def quadgram_key(trigram_index: int, last: str) -> int:
    """The key of the 4-gram whose first trigram is ``tg_keys[trigram_index]`` and whose last character is
    ``last``."""
    return (trigram_index << _LAST_BITS) | ord(last)


def build(chars: np.ndarray, char_starts: np.ndarray, doc_ends: np.ndarray, tg_keys: np.ndarray,
          tg_offs: np.ndarray, sec_dtype: Any, qg_min: int) -> Layer:
    """4-gram postings ``(keys, offs, secs, qg_min)`` of a part.

    ``chars``: the code points of the part's continuous text (documents one after another);
    ``char_starts``: each section's first character (sections + 1 entries); ``doc_ends``: one past each
    document's last character; ``tg_keys``/``tg_offs``: the part's trigram layer."""
    keys_all = np.asarray(tg_keys, dtype=np.uint64)
    sizes = np.diff(np.asarray(tg_offs, dtype=np.int64))
    while True:
        frequent = np.flatnonzero(sizes >= qg_min)  # places in tg_keys, ascending (so are their keys)
        if len(frequent) < (1 << _RANK_BITS):
            break
        qg_min *= 2
    empty: Layer = (np.zeros(0, np.uint64), np.zeros(1, np.uint32), np.zeros(0, sec_dtype), qg_min)
    n = len(chars)
    if n < 4 or not len(frequent):
        return empty
    fkeys = keys_all[frequent]
    table = _place_table(fkeys)
    starts = np.asarray(char_starts, dtype=np.int64)
    past_end = np.zeros(n, dtype=bool)  # a 4-gram starting here runs past its document's end
    ends = np.asarray(doc_ends, dtype=np.int64)
    for back in (1, 2, 3):
        at = ends - back
        past_end[at[(at >= 0) & (at < n)]] = True
    pieces: list[np.ndarray] = []
    for lo in range(0, n - 3, _CHUNK):
        hi = min(lo + _CHUNK, n - 3)  # 4-grams starting in [lo, hi)
        c = chars[lo:hi + 3].astype(np.uint64)
        tri = (c[:-2] << np.uint64(42)) | (c[1:-1] << np.uint64(21)) | c[2:]  # trigrams starting in [lo, hi]
        rank = _places(fkeys, table, tri)  # the places of the frequent ones (-1: others)
        held = rank >= 0
        del tri
        q = np.flatnonzero(held[:-1] & held[1:] & ~past_end[lo:hi])
        if not len(q):
            continue
        sec = np.searchsorted(starts, q + lo, side="right") - 1
        packed = (rank[q].astype(np.uint64) << np.uint64(_LAST_BITS)) | c[q + 3]
        packed <<= np.uint64(_SEC_BITS)
        packed |= sec.astype(np.uint64)
        pieces.append(packed)
    if not pieces:
        return empty
    packed = np.concatenate(pieces)
    del pieces
    packed.sort()
    packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))]
    dense = packed >> np.uint64(_SEC_BITS)
    runs = np.flatnonzero(np.concatenate(([True], dense[1:] != dense[:-1])))
    d = dense[runs]
    last_mask = np.uint64((1 << _LAST_BITS) - 1)
    keys = (frequent[(d >> np.uint64(_LAST_BITS)).astype(np.int64)].astype(np.uint64) << np.uint64(_LAST_BITS)) \
        | (d & last_mask)
    offs = np.append(runs, len(packed)).astype(np.uint32)
    secs = (packed & np.uint64((1 << _SEC_BITS) - 1)).astype(sec_dtype)
    return keys, offs, secs, qg_min
