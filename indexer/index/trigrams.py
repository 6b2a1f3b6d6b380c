"""The trigram layer of a part: postings of the character trigrams made of two *frequent* bigrams.

Exact wording of three characters or more starts from the postings of the wording's rarest bigram and
verifies each candidate by finding the wording in the text around it. That costs what the candidates
cost, and for a wording whose every bigram is frequent (社会主, 建设。, 工作，加) the candidates are tens of
thousands of sections at 100k and ten times that at 1M, nearly all of them verified in vain or confirmed one
``find`` at a time. This layer removes that case:

* a bigram is *frequent* in a part when at least ``tg_min`` sections of the part hold it (the part records
  its ``tg_min`` in ``meta.json``);
* for every trigram whose two bigrams are both frequent, the layer holds the sorted sections where the
  trigram *starts* in its document's continuous text (like a bigram, a trigram running across a section
  break belongs to the section where it starts; trigrams never run across a document's end, nor hold
  :data:`indexer.index.doctext.SEP`);
* so for any trigram of a wording, a part either has its postings, or one of its bigrams is rare there
  (fewer than ``tg_min`` candidates), or both bigrams are frequent and the trigram is absent — then the part
  cannot hold the wording at all. A three-character wording in the layer is answered from its postings
  without verification; a longer one starts from the rarest of its bigrams' and trigrams' postings (and,
  from four characters, of its 4-grams': :mod:`indexer.index.quadgrams` is this layer one step up).

A trigram's key is its three code points in 63 bits (``a << 42 | b << 21 | c``). While building, the
characters of frequent bigrams are numbered densely (in code-point order, so sorting dense codes sorts keys),
so that a trigram and its section fit one 64-bit integer. The layer is derived from a part's text and
bigram postings alone, so :mod:`indexer.index.combine` builds it again for a combined part, where more
bigrams may be frequent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer.index.doctext import SEP

#: A bigram is frequent in a part of :data:`TG_SECTIONS` sections when at least this many of them hold it.
#: Below it a wording's candidates are few enough to verify; the layer's size grows as the threshold falls
#: (BENCHMARKS.md).
TG_MIN = 64
#: Larger parts have a proportionally larger threshold (:func:`threshold`): a bigram outside the layer then
#: costs at most the same verifications per section of the index (64 per 25,000), whatever the parts' size,
#: and the layer keeps the same share of the postings.
TG_SECTIONS = 25_000
_SEC_BITS = 22
_CHAR_BITS = 14  # 3 × 14 + 22 = 64: dense character numbers, 0 for a character of no frequent bigram


def trigram_key(a: str, b: str, c: str) -> int:
    return (ord(a) << 42) | (ord(b) << 21) | ord(c)


def threshold(sections: int) -> int:
    """The frequency threshold of a part of ``sections`` sections (see :data:`TG_SECTIONS`)."""
    return max(TG_MIN, -(-sections * TG_MIN // TG_SECTIONS))


def _frequent(bg_keys: np.ndarray, bg_offs: np.ndarray, tg_min: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The frequent bigram keys (sorted), their characters (sorted) and the threshold that chose them: raised
    until those characters can be numbered in :data:`_CHAR_BITS` bits (never needed on real text: a few
    thousand characters)."""
    sizes = np.diff(np.asarray(bg_offs, dtype=np.int64))
    keys = np.asarray(bg_keys, dtype=np.uint64)
    while True:
        freq = keys[sizes >= tg_min]
        freq = freq[(freq & np.uint64((1 << 21) - 1)) != 0]  # a document's last character pairs with 0
        chars = np.unique(np.concatenate([freq >> np.uint64(21), freq & np.uint64((1 << 21) - 1)]))
        if len(chars) < (1 << _CHAR_BITS):
            return freq, chars.astype(np.int64), tg_min
        tg_min *= 2


Layer = tuple[np.ndarray, np.ndarray, np.ndarray, int]


def build(chars: np.ndarray, char_starts: np.ndarray, doc_ends: np.ndarray, bg_keys: np.ndarray,
          bg_offs: np.ndarray, sec_dtype: Any, tg_min: int | None = None) -> Layer:
    """Trigram postings ``(keys, offs, secs, tg_min)`` of a part (``tg_min``: :data:`TG_MIN` unless given).

    ``chars``: the code points of the part's continuous text (documents one after another);
    ``char_starts``: each section's first character (sections + 1 entries); ``doc_ends``: one past each
    document's last character; ``bg_keys``/``bg_offs``: the part's bigram postings."""
    freq, fchars, tg_min = _frequent(bg_keys, bg_offs, TG_MIN if tg_min is None else tg_min)
    empty: Layer = (np.zeros(0, np.uint64), np.zeros(1, np.uint32), np.zeros(0, sec_dtype), tg_min)
    if len(chars) < 3 or not len(freq):
        return empty
    low = np.uint64((1 << 21) - 1)
    table = np.zeros(max(int(fchars[-1]), int(chars.max())) + 1, dtype=np.uint16)
    table[fchars] = np.arange(1, len(fchars) + 1, dtype=np.uint16)
    ids = table[chars]
    del table
    m = len(fchars) + 1
    fcodes = (np.searchsorted(fchars, (freq >> np.uint64(21)).astype(np.int64)) + 1) * m \
        + np.searchsorted(fchars, (freq & low).astype(np.int64)) + 1
    bitmap = np.zeros((m * m + 7) // 8, dtype=np.uint8)  # which pairs of dense numbers are frequent bigrams
    np.bitwise_or.at(bitmap, fcodes >> 3, (1 << (fcodes & 7)).astype(np.uint8))
    code = ids[:-1].astype(np.int64) * m + ids[1:]
    frequent = (bitmap[code >> 3] >> (code & 7).astype(np.uint8)) & 1 == 1  # bigram at i is frequent
    del code, bitmap
    ok = frequent[:-1] & frequent[1:]  # trigram at i: both its bigrams frequent
    ok &= chars[2:] != ord(SEP)
    ends = np.asarray(doc_ends, dtype=np.int64)
    for back in (1, 2):  # a trigram starting at a document's last or second-last character runs past its end
        at = ends - back
        at = at[(at >= 0) & (at < len(ok))]
        ok[at] = False
    q = np.flatnonzero(ok)
    del ok, frequent
    if not len(q):
        return empty
    sec = np.searchsorted(np.asarray(char_starts, dtype=np.int64), q, side="right") - 1
    packed = ids[q].astype(np.uint64) << np.uint64(2 * _CHAR_BITS)
    packed |= ids[q + 1].astype(np.uint64) << np.uint64(_CHAR_BITS)
    packed |= ids[q + 2].astype(np.uint64)
    packed <<= np.uint64(_SEC_BITS)
    packed |= sec.astype(np.uint64)
    del q, sec
    packed.sort()  # (np.unique hashes: several times slower at this size)
    packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))]
    dense = packed >> np.uint64(_SEC_BITS)
    starts = np.flatnonzero(np.concatenate(([True], dense[1:] != dense[:-1])))
    d = dense[starts]
    one = np.uint64((1 << _CHAR_BITS) - 1)
    full = np.asarray(fchars, dtype=np.uint64)
    keys = (full[(d >> np.uint64(2 * _CHAR_BITS)).astype(np.int64) - 1] << np.uint64(42)) \
        | (full[((d >> np.uint64(_CHAR_BITS)) & one).astype(np.int64) - 1] << np.uint64(21)) \
        | full[(d & one).astype(np.int64) - 1]
    offs = np.append(starts, len(packed)).astype(np.uint32)
    secs = (packed & np.uint64((1 << _SEC_BITS) - 1)).astype(sec_dtype)
    return keys, offs, secs, tg_min


def characters(text: bytes, starts: np.ndarray, doc_start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(chars, char_starts, doc_ends)`` of a part's UTF-8 text and its section byte offsets (what a combined
    part has): what :func:`build` and :func:`indexer.index.quadgrams.build` take (:mod:`indexer.index.combine`
    builds both layers again from them)."""
    starts = np.asarray(starts, dtype=np.int64)
    n = len(starts) - 1
    end = int(starts[-1]) if n >= 0 and len(starts) else 0
    chars = np.frombuffer(text[:end].decode("utf-8").encode("utf-32-le"), dtype=np.uint32)
    raw = np.frombuffer(text, dtype=np.uint8)[:end]
    counts = np.zeros(max(n, 0), dtype=np.int64)
    filled = starts[1:] > starts[:-1]
    if filled.any():
        counts[filled] = np.add.reduceat((raw & 0xC0) != 0x80, starts[:-1][filled], dtype=np.int64)
    char_starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=char_starts[1:])
    doc_ends = char_starts[np.asarray(doc_start, dtype=np.int64)[1:]]
    return chars, char_starts, doc_ends

