"""Candidate seeds: where two documents share a *rare* fingerprint (one held by 2 to ``max_df`` documents).

:class:`Postings` turns the document-major fingerprints of the store into fingerprint-major postings (which
documents hold each fingerprint, and where). :func:`seed_batches` yields the seeds of the pairs asked for,
a batch of query documents at a time so that memory stays bounded: each batch expands at most
``BATCH_SEEDS`` postings. Every seed is oriented so that ``a`` is the document with the smaller key, which
makes a pair's alignment the same whichever of its documents was imported last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

BATCH_SEEDS = 4_000_000

Seeds = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # a, b, xa, xb
Admit = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (query docs, partner docs) → mask of pairs to keep


@dataclass(frozen=True)
class Postings:
    """Fingerprint-major postings over the store's documents."""

    keys: np.ndarray  # distinct fingerprint hashes, sorted
    offs: np.ndarray  # int64, len(keys) + 1
    docs: np.ndarray  # int32 document index of each posting
    pos: np.ndarray  # int32 position of the fingerprint in that document
    gram_of: np.ndarray  # for each document-major fingerprint, the index of its hash in keys

    @classmethod
    def build(cls, fp_offs: np.ndarray, fp_hash: np.ndarray, fp_pos: np.ndarray) -> Postings:
        doc = np.repeat(np.arange(len(fp_offs) - 1, dtype=np.int32), np.diff(fp_offs))
        order = np.lexsort((doc, fp_hash))
        hashes = fp_hash[order]
        starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1]))) if len(hashes) else \
            np.zeros(0, np.int64)
        offs = np.append(starts, len(hashes)).astype(np.int64)
        gram_of = np.empty(len(hashes), np.int64)
        gram_of[order] = np.repeat(np.arange(len(starts)), np.diff(offs))
        return cls(hashes[starts], offs, doc[order], fp_pos[order], gram_of)

    @property
    def df(self) -> np.ndarray:
        return np.diff(self.offs)

    def rare(self, max_df: int) -> np.ndarray:
        df = self.df
        return (df >= 2) & (df <= max_df)

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """Index of each hash in ``keys`` (-1 where absent)."""
        if not len(self.keys):
            return np.full(len(hashes), -1, np.int64)
        i = np.searchsorted(self.keys, hashes)
        i = np.minimum(i, len(self.keys) - 1)
        return np.where(self.keys[i] == hashes, i, -1)


def _query_fingerprints(fp_offs: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the query documents' fingerprints, and the document of each."""
    lo, hi = fp_offs[query], fp_offs[query + 1]
    lens = hi - lo
    total = int(lens.sum())
    which = np.repeat(np.arange(len(query)), lens)
    return lo[which] + (np.arange(total) - (np.cumsum(lens) - lens)[which]), query[which]


def _expand(post: Postings, k: np.ndarray, qx: np.ndarray, qd: np.ndarray) -> Seeds:
    counts = post.offs[k + 1] - post.offs[k]
    total = int(counts.sum())
    which = np.repeat(np.arange(len(k)), counts)
    entry = post.offs[k][which] + (np.arange(total) - (np.cumsum(counts) - counts)[which])
    return qd[which], post.docs[entry].astype(np.int64), qx[which].astype(np.int64), post.pos[entry].astype(np.int64)


def seed_batches(post: Postings, rare: np.ndarray, fp: tuple[np.ndarray, np.ndarray, np.ndarray],
                 query: np.ndarray, admit: Admit, doc_keys: np.ndarray) -> Iterator[Seeds]:
    """Seeds of the pairs (q, p) with q in ``query`` and ``admit(q, p)``, in bounded batches; each pair's
    seeds all come in one batch (they are all found from its query document)."""
    fp_offs, _, fp_pos = fp
    if not len(query):
        return
    cost = np.where(rare[post.gram_of], post.df[post.gram_of], 0)
    csum = np.concatenate(([0], np.cumsum(cost)))
    per_doc = csum[fp_offs[query + 1]] - csum[fp_offs[query]]
    start = 0
    while start < len(query):
        end = start + 1
        budget = int(per_doc[start])
        while end < len(query) and budget + int(per_doc[end]) <= BATCH_SEEDS:
            budget += int(per_doc[end])
            end += 1
        batch = query[start:end]
        start = end
        idx, qd = _query_fingerprints(fp_offs, batch)
        k = post.gram_of[idx]
        ok = rare[k]
        q, p, qx, px = _expand(post, k[ok], fp_pos[idx][ok], qd[ok])
        keep = (p != q) & admit(q, p)
        q, p, qx, px = q[keep], p[keep], qx[keep], px[keep]
        swap = doc_keys[q] > doc_keys[p]
        yield (np.where(swap, p, q), np.where(swap, q, p), np.where(swap, px, qx), np.where(swap, qx, px))
