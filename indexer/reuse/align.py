"""Local alignment of document pairs around shared rare fingerprints, with array operations throughout.

1. Seeds — ``(a, b, xa, xb)``: documents ``a`` and ``b`` share a rare fingerprint at ``xa`` and ``xb``.
2. Runs — seeds of one pair on one diagonal (``xb - xa``), at most ``RUN_GAP`` characters apart; a run
   with at least two seeds spanning at least ``MIN_EXTENT`` characters is a candidate (a single shared
   phrase of a few words is not). Candidate runs of a diagonal less than ``COALESCE`` characters apart are
   compared as one region (near-identical documents would otherwise compare their whole diagonal per run).
3. Segments — around each run the two texts are compared character by character along its diagonal
   (the region grows until the match stops inside it); exact runs of at least ``min_run`` characters are
   merged across gaps of up to ``max_gap`` mismatched characters (a changed place name or number).
4. Spans — segments of one pair on neighbouring diagonals are chained when each side's gap is at most
   ``max_gap`` (an edit that changes the length); spans of at least ``min_chars`` characters on both sides
   are kept, overlaps resolved in favour of the longer span.

The result for a pair depends only on its two texts and on which of their shared fingerprints are rare,
so evaluating a pair again gives the same spans (what makes incremental updates equal a full rebuild).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from indexer.reuse.fingerprints import Params

RUN_GAP = 40
MIN_EXTENT = 12
COALESCE = 1000
_MARGINS = (32, 512, 1 << 30)

Spans = dict[tuple[int, int], np.ndarray]  # (a, b) → int32 array of rows (a0, a1, b0, b1)


class Texts:
    """Code points of the documents involved, concatenated (``off[doc]`` is where a document starts)."""

    def __init__(self, docs: Mapping[int, np.ndarray]) -> None:
        ids = sorted(docs)
        self.off = {d: 0 for d in ids}
        self.length = {d: len(docs[d]) for d in ids}
        pos = 0
        for d in ids:
            self.off[d] = pos
            pos += len(docs[d])
        self.chars = np.concatenate([docs[d] for d in ids]) if ids else np.zeros(0, np.uint32)


def _runs(a: np.ndarray, b: np.ndarray, xa: np.ndarray, xb: np.ndarray, ngram: int
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate runs: (a, b, diagonal, first xa, last xa + ngram)."""
    diag = xb.astype(np.int64) - xa
    pair = (a.astype(np.int64) << 32) | b
    order = np.lexsort((((diag + (1 << 31)) << 32) | xa, pair))
    a, b, diag, xa = a[order], b[order], diag[order], xa[order].astype(np.int64)
    if not len(a):
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty, empty
    new = np.ones(len(a), dtype=bool)
    new[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (diag[1:] != diag[:-1]) | (xa[1:] - xa[:-1] > RUN_GAP)
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(a)) - 1
    lo, hi = xa[first], xa[last] + ngram
    keep = (last > first) & (hi - lo >= MIN_EXTENT)
    f, lo, hi = first[keep], lo[keep], hi[keep]
    if not len(f):
        return a[f].astype(np.int64), b[f].astype(np.int64), diag[f], lo, hi
    group = np.ones(len(f), dtype=bool)
    same = (a[f][1:] == a[f][:-1]) & (b[f][1:] == b[f][:-1]) & (diag[f][1:] == diag[f][:-1])
    group[1:] = ~same | (lo[1:] - hi[:-1] > COALESCE)
    starts = np.flatnonzero(group)
    g = f[starts]
    return a[g].astype(np.int64), b[g].astype(np.int64), diag[g], lo[starts], np.maximum.reduceat(hi, starts)


def _segments(texts: Texts, a: np.ndarray, b: np.ndarray, diag: np.ndarray, x0: np.ndarray, x1: np.ndarray,
              params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Segments of each region [x0, x1) on its diagonal: (region, start, end, matched, touches_edge)."""
    lens = np.maximum(x1 - x0, 0)
    total = int(lens.sum())
    if total == 0:
        e = np.zeros(0, np.int64)
        return e, e, e, e, np.zeros(0, bool)
    region = np.repeat(np.arange(len(a)), lens)
    starts = np.cumsum(lens) - lens
    x = x0[region] + (np.arange(total) - starts[region])
    off_a = np.array([texts.off[int(d)] for d in a], dtype=np.int64)
    off_b = np.array([texts.off[int(d)] for d in b], dtype=np.int64)
    eq = texts.chars[off_a[region] + x] == texts.chars[off_b[region] + x + diag[region]]
    prev = np.zeros(total, dtype=bool)
    prev[1:] = eq[:-1] & (region[1:] == region[:-1])
    nxt = np.zeros(total, dtype=bool)
    nxt[:-1] = eq[1:] & (region[1:] == region[:-1])
    rs, re = np.flatnonzero(eq & ~prev), np.flatnonzero(eq & ~nxt) + 1
    long = re - rs >= params.min_run
    rs, re = rs[long], re[long]
    if not len(rs):
        e = np.zeros(0, np.int64)
        return e, e, e, e, np.zeros(0, bool)
    reg = region[rs]
    brk = np.ones(len(rs), dtype=bool)
    brk[1:] = (reg[1:] != reg[:-1]) | (rs[1:] - re[:-1] > params.max_gap)
    seg_first = np.flatnonzero(brk)
    seg_last = np.append(seg_first[1:], len(rs)) - 1
    matched = np.add.reduceat(re - rs, seg_first)
    s, e = x[rs[seg_first]], x[re[seg_last] - 1] + 1
    sreg = reg[seg_first]
    touches = (s == x0[sreg]) | (e == x1[sreg])
    return sreg, s, e, matched, touches


def _bounds(texts: Texts, a: np.ndarray, b: np.ndarray, diag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The widest region each diagonal allows (both texts cover it)."""
    len_a = np.array([texts.length[int(d)] for d in a], dtype=np.int64)
    len_b = np.array([texts.length[int(d)] for d in b], dtype=np.int64)
    return np.maximum(0, -diag), np.minimum(len_a, len_b - diag)


def segments(texts: Texts, runs: tuple[np.ndarray, ...], params: Params) -> list[tuple[int, int, int, int, int, int]]:
    """Aligned segments of all runs: (a, b, a0, a1, b0, matched), regions grown until no segment touches an
    edge that the texts would let it pass."""
    a, b, diag, lo, hi = runs
    floor, ceil = _bounds(texts, a, b, diag)
    todo = np.arange(len(a))
    out: set[tuple[int, int, int, int, int, int]] = set()
    for margin in _MARGINS:
        if not len(todo):
            break
        x0 = np.maximum(lo[todo] - margin, floor[todo])
        x1 = np.minimum(hi[todo] + margin, ceil[todo])
        reg, s, e, matched, touches = _segments(texts, a[todo], b[todo], diag[todo], x0, x1, params)
        lo_open, hi_open = x0 > floor[todo], x1 < ceil[todo]
        at_edge = touches & (((s == x0[reg]) & lo_open[reg]) | ((e == x1[reg]) & hi_open[reg]))
        redo = np.unique(reg[at_edge])
        done = ~np.isin(reg, redo)
        for r, s0, e0, m in zip(reg[done].tolist(), s[done].tolist(), e[done].tolist(), matched[done].tolist()):
            i = int(todo[r])
            out.add((int(a[i]), int(b[i]), s0, e0, s0 + int(diag[i]), m))
        todo = todo[redo]
    return sorted(out)


def _chain(segs: list[tuple[int, int, int, int, int, int]], params: Params) -> list[tuple[int, int, int, int, int]]:
    """Chain one pair's segments (sorted by a0) into spans: (a0, a1, b0, b1, matched). A segment continues
    a recent span when both sides resume within ``max_gap`` characters of where it ended."""
    spans: list[list[int]] = []
    g = params.max_gap
    for _, _, a0, a1, b0, m in segs:
        b1 = b0 + (a1 - a0)
        for cur in reversed(spans[-8:]):
            if -g <= a0 - cur[1] <= g and -g <= b0 - cur[3] <= g and a1 > cur[1] and b1 > cur[3] and b0 >= cur[2]:
                cur[1], cur[3], cur[4] = a1, b1, cur[4] + m
                break
        else:
            spans.append([a0, a1, b0, b1, m])
    return [(s[0], s[1], s[2], s[3], s[4]) for s in spans]


def _non_overlapping(spans: list[tuple[int, int, int, int, int]], params: Params) -> np.ndarray:
    kept: list[tuple[int, int, int, int, int]] = []
    for s in sorted(spans, key=lambda t: (-(t[1] - t[0]), t[0], t[2])):
        if s[1] - s[0] < params.min_chars or s[3] - s[2] < params.min_chars or s[4] < 0.7 * (s[1] - s[0]):
            continue
        if any(s[0] < k[1] and k[0] < s[1] or s[2] < k[3] and k[2] < s[3] for k in kept):
            continue
        kept.append(s)
    kept.sort()
    return np.array([k[:4] for k in kept], dtype=np.int32).reshape(-1, 4)


def align(texts: Texts, a: np.ndarray, b: np.ndarray, xa: np.ndarray, xb: np.ndarray, params: Params) -> Spans:
    """Shared spans of every pair the seeds name (pairs without a span are left out)."""
    runs = _runs(a, b, xa, xb, params.ngram)
    by_pair: dict[tuple[int, int], list[tuple[int, int, int, int, int, int]]] = {}
    for seg in segments(texts, runs, params):
        by_pair.setdefault((seg[0], seg[1]), []).append(seg)
    out: Spans = {}
    for pair, segs in by_pair.items():
        segs.sort(key=lambda s: (s[2], s[4], s[3]))
        spans = _non_overlapping(_chain(segs, params), params)
        if len(spans):
            out[pair] = spans
    return out
