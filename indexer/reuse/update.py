"""Bring the reuse data up to date with the index, comparing only what changed.

After a commit (:class:`indexer.index.store.Transaction` calls :func:`update_reuse`), the documents of the
current generation — one per distinct text — are compared with the stored version:

1. documents no longer in the index are dropped with their pairs;
2. new documents are fingerprinted and compared with every indexed document through the postings of
   their rare fingerprints (pairs among old documents are not looked at again);
3. rarity is a property of the whole corpus, so a fingerprint can cross the ``max_df`` line: old pairs
   sharing a fingerprint that stopped being rare, and old documents sharing one that became rare (after a
   deletion), are evaluated again. A pair's spans depend only on its two texts and on which fingerprints
   they share are rare, so the result equals a full rebuild (``full=True``; tested).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.arrays import distinct
from indexer.reuse import store
from indexer.reuse.align import Spans, Texts, align
from indexer.reuse.candidates import Admit, Postings, seeds, shared_batches
from indexer.reuse.fingerprints import Params, codepoints, fingerprints, reuse_text
from indexer.search.generation import Generation

log = logging.getLogger(__name__)
_TEXT_CACHE_CHARS = 50_000_000


@dataclass
class UpdateSummary:
    """What an update did."""

    documents: int = 0
    added: int = 0
    removed: int = 0
    evaluated_pairs: int = 0
    pairs: int = 0
    seconds: float = 0.0
    rebuilt: bool = False


def update_reuse(index_dir: Path, params: Params | None = None, full: bool = False) -> UpdateSummary:
    """Update ``<index>/reuse/`` for the index's current generation (see the module docstring)."""
    started = time.monotonic()
    params = params or Params()
    with store.locked(index_dir):
        gen = Generation(Path(index_dir))
        try:
            # one live document per distinct text
            docs = distinct(gen.doc_of[gen.live], already_sorted=True).astype(np.int64)
            summary = Updater(docs, gen.doc_hash[docs], None if full else store.load(index_dir), params,
                              lambda doc: reuse_text(gen, doc), lambda data: store.save(Path(index_dir), data)).run()
        finally:
            gen.close()
    summary.seconds = time.monotonic() - started
    log.info("reuse: %s", summary)
    return summary


def _cat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)


def _pair_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (np.minimum(a, b).astype(np.int64) << 32) | np.maximum(a, b).astype(np.int64)


class Updater:
    """One update: ``docs`` (one per distinct text) with their ``keys`` (text hashes), the stored version
    ``old`` (None: rebuild everything), how to read a document's reuse text and how to store the result —
    whatever holds the index (the folder beside a Whoosh index, or a database)."""

    def __init__(self, docs: np.ndarray, keys: np.ndarray, old: store.ReuseData | None, params: Params,
                 text: Callable[[int], str], save: Callable[[store.ReuseData], object]) -> None:
        self.params, self.reuse_text, self.save = params, text, save
        self.docs = np.asarray(docs, dtype=np.int64)
        self.doc_keys = np.asarray(keys, dtype=np.uint64)
        self.rebuilt = old is None or old.params != params.to_json()
        self.old = store.ReuseData.empty(params.to_json()) if self.rebuilt or old is None else old
        self._texts: dict[int, np.ndarray] = {}
        self._prints: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    # ------------------------------------------------------------------------------------------ run
    def run(self) -> UpdateSummary:
        old = self.old
        present = np.isin(old.keys, self.doc_keys)
        fresh = np.sort(self.doc_keys[~np.isin(self.doc_keys, old.keys)])
        summary = UpdateSummary(documents=len(self.doc_keys), added=len(fresh), removed=int((~present).sum()),
                                rebuilt=self.rebuilt)
        if not self.rebuilt and present.all() and not len(fresh):
            summary.pairs = len(old.pair_a)
            return summary
        kept = np.flatnonzero(present)
        n_kept = len(kept)
        self.keys = np.concatenate([np.asarray(old.keys)[kept], fresh]).astype(np.uint64)
        self.gen_doc = self.docs[np.argsort(self.doc_keys)][np.searchsorted(np.sort(self.doc_keys), self.keys)]
        fp_offs, fp_hash, lengths = self._fingerprints(kept)
        self.fp = (fp_offs, fp_hash)
        post = Postings.build(fp_offs, fp_hash)
        rare = post.rare(self.params.max_df)
        stored = self._kept_pairs(kept)
        changed = self._changed_pairs(post, rare, n_kept, stored)
        found: Spans = {}
        fresh_idx = np.arange(n_kept, len(self.keys))

        def admit_new(q: np.ndarray, p: np.ndarray) -> np.ndarray:
            return (p < n_kept) | (p > q)

        found.update(self._evaluate(post, rare, fresh_idx, admit_new))
        if len(changed):
            def admit_changed(q: np.ndarray, p: np.ndarray) -> np.ndarray:
                return np.isin(_pair_key(q, p), changed)

            query = np.unique((changed >> 32).astype(np.int64))
            found.update(self._evaluate(post, rare, query, admit_changed))
        summary.evaluated_pairs = len(found)
        again = set(changed.tolist())
        for pair, spans in stored.items():
            if pair not in found and (min(pair) << 32 | max(pair)) not in again:
                found[pair] = spans
        data = self._data(lengths, found)
        self.save(data)
        summary.pairs = len(data.pair_a)
        return summary

    # ------------------------------------------------------------------------------------------ parts
    def _text(self, idx: int) -> np.ndarray:
        cached = self._texts.get(idx)
        if cached is None:
            if sum(len(t) for t in self._texts.values()) > _TEXT_CACHE_CHARS:
                self._texts.clear()
                self._prints.clear()
            cached = self._texts[idx] = codepoints(self.reuse_text(int(self.gen_doc[idx])))
        return cached

    def _print(self, idx: int) -> tuple[np.ndarray, np.ndarray]:
        """A document's fingerprints with their positions (computed from its text, kept for this update)."""
        found = self._prints.get(idx)
        if found is None:
            found = self._prints[idx] = fingerprints(self._text(idx), self.params)
        return found

    def _fingerprints(self, kept: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        old = self.old
        lo, hi = np.asarray(old.fp_offs)[kept], np.asarray(old.fp_offs)[kept + 1]
        hashes = [np.asarray(old.fp_hash)[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]
        lengths = list(np.asarray(old.lengths)[kept].tolist())
        for i in range(len(kept), len(self.keys)):
            hashes.append(self._print(i)[0])
            lengths.append(len(self._text(i)))
        sizes = np.array([len(h) for h in hashes], dtype=np.int64)
        offs = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        return offs, _cat(hashes, np.uint32), np.array(lengths, dtype=np.int32)

    def _kept_pairs(self, kept: np.ndarray) -> Spans:
        remap = np.full(len(self.old.keys), -1, np.int64)
        remap[kept] = np.arange(len(kept))
        out: Spans = {}
        for (a, b), spans in self.old.pairs().items():
            ra, rb = int(remap[a]), int(remap[b])
            if ra >= 0 and rb >= 0:
                out[(ra, rb)] = spans
        return out

    def _changed_pairs(self, post: Postings, rare: np.ndarray, n_kept: int, stored: Spans) -> np.ndarray:
        """Keys of old pairs to evaluate again because a fingerprint they share changed rarity."""
        old = self.old
        if not len(old.keys):
            return np.zeros(0, np.int64)
        old_post = Postings.build(np.asarray(old.fp_offs), np.asarray(old.fp_hash))
        was_rare = old_post.rare(self.params.max_df)
        idx = post.lookup(old_post.keys)
        now_rare = np.where(idx >= 0, rare[np.maximum(idx, 0)], False)
        keys: list[np.ndarray] = []
        lost = idx[was_rare & ~now_rare & (idx >= 0)]
        if len(lost) and stored:
            affected = np.zeros(len(self.keys), dtype=bool)
            affected[self._holders(post, lost, n_kept)] = True
            pairs = np.array(list(stored), dtype=np.int64)
            both = affected[pairs[:, 0]] & affected[pairs[:, 1]]
            keys.append(_pair_key(pairs[both, 0], pairs[both, 1]))
        for k in idx[~was_rare & now_rare & (idx >= 0)].tolist():
            docs = post.docs[post.offs[k]:post.offs[k + 1]]
            docs = docs[docs < n_kept].astype(np.int64)
            i, j = np.triu_indices(len(docs), 1)
            keys.append(_pair_key(docs[i], docs[j]))
        return np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.int64)

    @staticmethod
    def _holders(post: Postings, grams: np.ndarray, n_kept: int) -> np.ndarray:
        counts = post.offs[grams + 1] - post.offs[grams]
        which = np.repeat(np.arange(len(grams)), counts)
        entry = post.offs[grams][which] + (np.arange(int(counts.sum())) - (np.cumsum(counts) - counts)[which])
        docs = post.docs[entry]
        return np.unique(docs[docs < n_kept])

    def _evaluate(self, post: Postings, rare: np.ndarray, query: np.ndarray, admit: Admit) -> Spans:
        out: Spans = {}
        for shared in shared_batches(post, rare, self.fp[0], query, admit):
            involved = np.unique(np.concatenate(shared[:2])).tolist()
            a, b, xa, xb = seeds(shared, {d: self._print(d) for d in involved}, self.fp[0], self.keys)
            texts = Texts({d: self._text(d) for d in involved})
            out.update(align(texts, a, b, xa, xb, self.params))
        return out

    def _data(self, lengths: np.ndarray, pairs: Spans) -> store.ReuseData:
        order = sorted(pairs)
        sizes = np.array([len(pairs[p]) for p in order], dtype=np.int64)
        spans = np.concatenate([pairs[p] for p in order]).astype(np.int32) if order else np.zeros((0, 4), np.int32)
        fp_offs, fp_hash = self.fp
        return store.ReuseData(
            keys=self.keys, lengths=lengths, fp_offs=fp_offs, fp_hash=fp_hash,
            pair_a=np.array([p[0] for p in order], dtype=np.int32),
            pair_b=np.array([p[1] for p in order], dtype=np.int32),
            span_offs=np.concatenate(([0], np.cumsum(sizes))).astype(np.int64), spans=spans.reshape(-1, 4),
            params=self.params.to_json())
