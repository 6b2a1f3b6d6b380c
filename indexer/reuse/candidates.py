"""Candidate seeds: where two documents share a *rare* fingerprint (one held by 2 to ``max_df`` documents).

:class:`Postings` turns the document-major fingerprints of the store into fingerprint-major postings (which
documents hold each fingerprint). :func:`shared_batches` yields, a batch of query documents at a time so
that memory stays bounded (each batch expands at most ``BATCH_SEEDS`` postings), the rare fingerprints each
admitted pair shares. :func:`seeds` then places them: positions are not stored (they would double the
store), they come from the fingerprints of the texts being aligned, computed again. Every seed is oriented
so that ``a`` is the document with the smaller key, which makes a pair's alignment the same whichever of its
documents was imported last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

BATCH_SEEDS = 4_000_000

Shared = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # query doc, partner doc, their fingerprint indices
Seeds = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # a, b, xa, xb
Admit = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (query docs, partner docs) → mask of pairs to keep


@dataclass(frozen=True)
class Postings:
    """Fingerprint-major postings over the store's documents."""

    keys: np.ndarray  # distinct fingerprint hashes, sorted
    offs: np.ndarray  # int64, len(keys) + 1
    docs: np.ndarray  # int32 document index of each posting
    src: np.ndarray  # the document-major index of each posting
    gram_of: np.ndarray  # for each document-major fingerprint, the index of its hash in keys

    @classmethod
    def build(cls, fp_offs: np.ndarray, fp_hash: np.ndarray) -> Postings:
        doc = np.repeat(np.arange(len(fp_offs) - 1, dtype=np.int32), np.diff(fp_offs))
        order = np.lexsort((doc, fp_hash))
        hashes = fp_hash[order]
        starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1]))) if len(hashes) else \
            np.zeros(0, np.int64)
        offs = np.append(starts, len(hashes)).astype(np.int64)
        gram_of = np.empty(len(hashes), np.int64)
        gram_of[order] = np.repeat(np.arange(len(starts)), np.diff(offs))
        return cls(hashes[starts], offs, doc[order], order, gram_of)

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
        i = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
        return np.where(self.keys[i] == hashes, i, -1)


def _ranges(lo: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated ranges [lo, lo + count): (which range, index)."""
    which = np.repeat(np.arange(len(lo)), counts)
    return which, lo[which] + (np.arange(int(counts.sum())) - (np.cumsum(counts) - counts)[which])


def shared_batches(post: Postings, rare: np.ndarray, fp_offs: np.ndarray, query: np.ndarray, admit: Admit
                   ) -> Iterator[Shared]:
    """The rare fingerprints shared by the pairs (q, p) with q in ``query`` and ``admit(q, p)``, in bounded
    batches; all of a pair's come in one batch (they are all found from its query document)."""
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
        which, idx = _ranges(fp_offs[batch], fp_offs[batch + 1] - fp_offs[batch])
        k = post.gram_of[idx]
        ok = rare[k]
        qd, k = batch[which][ok], k[ok]
        pick, entry = _ranges(post.offs[k], post.offs[k + 1] - post.offs[k])
        q, p = qd[pick], post.docs[entry].astype(np.int64)
        keep = (p != q) & admit(q, p)
        yield q[keep], p[keep], idx[ok][pick][keep], post.src[entry][keep]


def seeds(shared: Shared, prints: Mapping[int, tuple[np.ndarray, np.ndarray]], fp_offs: np.ndarray,
          doc_keys: np.ndarray) -> Seeds:
    """Place shared fingerprints: their positions in both documents, oriented by key. ``prints`` holds the
    involved documents' fingerprints as :func:`~indexer.reuse.fingerprints.fingerprints` gives them — in the
    store's order, so a fingerprint's index within its document finds its position."""
    q, p, iq, ip = shared
    ids = np.array(sorted(prints), dtype=np.int64)
    sizes = np.array([len(prints[int(d)][1]) for d in ids], dtype=np.int64)
    base = np.concatenate(([0], np.cumsum(sizes)))[:-1] if len(ids) else np.zeros(0, np.int64)
    pos = np.concatenate([prints[int(d)][1] for d in ids]).astype(np.int64) if len(ids) else np.zeros(0, np.int64)

    def where(docs: np.ndarray, index: np.ndarray) -> np.ndarray:
        return pos[base[np.searchsorted(ids, docs)] + (index - fp_offs[docs])]

    xq, xp = where(q, iq), where(p, ip)
    swap = doc_keys[q] > doc_keys[p]
    return np.where(swap, p, q), np.where(swap, q, p), np.where(swap, xp, xq), np.where(swap, xq, xp)
