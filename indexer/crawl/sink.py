"""The crawler's one door to the index: everything it asks of :mod:`indexer.index.store` is here.

Two verbs: :meth:`IndexSink.known_hash` (the content hash the index holds for a source, read once at the
start) and :meth:`IndexSink.write` (these extractions, in one :class:`~indexer.index.store.Transaction` —
all or nothing, derived data built before it returns). The write lock is taken per batch, not for the whole
crawl, so an import can run between two batches; a batch that finds the lock taken waits for it a bounded
time (:data:`LOCK_WAIT`) and then raises :class:`IndexBusy`. Opening the sink checks the index's format and
that no other writer holds it, before anything is fetched.

A crawled source's collection is its site (``host[:port]``). An attachment's ``parent`` travels in its
Document and is stored by the store with the rest of the document's metadata.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from indexer.document import Extraction
from indexer.index.store import IndexBusy, Transaction, known_hashes, open_index, writer_for

#: Seconds a batch waits for another writer to finish before the crawl stops with IndexBusy.
LOCK_WAIT = 30.0

#: (extraction, source_key, content hash) — one fetched source to write.
Item = tuple[Extraction, str, str]


class IndexSink:
    """Writes crawled extractions into the index at ``index_dir`` (created when missing)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.ix = open_index(index_dir, create=True)
        writer_for(self.ix).cancel()  # IndexBusy now, not after the first batch was fetched
        self.hashes = known_hashes(self.ix)

    def known_hash(self, source_key: str) -> str | None:
        """The content hash the index holds for ``source_key``, or None when it is not in the index."""
        return self.hashes.get(source_key)

    def write(self, items: Sequence[Item]) -> None:
        """Replace each item's source with its extraction, all in one commit."""
        if not items:
            return
        with self._transaction() as tx:
            for extraction, key, digest in items:
                tx.write(extraction, key, digest, urlsplit(key).netloc)
        for _extraction, key, digest in items:
            self.hashes[key] = digest

    def _transaction(self) -> Transaction:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                return Transaction(self.ix, self.index_dir)
            except IndexBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.5)

    def close(self) -> None:
        self.ix.close()
