"""The crawler's one door to the index: everything it asks of a store (:mod:`indexer.search.backends`) is here.

Two verbs: :meth:`IndexSink.known_hash` (the content hash the index holds for a source, read once at the
start) and :meth:`IndexSink.write` (these extractions, in one :class:`~indexer.index.store.Transaction` —
all or nothing, derived data built before it returns; :class:`BatchNotWritten` with the reason when the index
does not take them: the disk, the database). The write lock is taken per batch, not for the whole
crawl, so an import can run between two batches; a batch that finds the lock taken waits for it a bounded
time (:data:`LOCK_WAIT`) and then raises :class:`IndexBusy`. Opening the sink checks the index's format and
that no other writer holds it, before anything is fetched.

A crawled source's collection is its site (``host[:port]``). An attachment's ``parent`` travels in its
Document and is stored by the store with the rest of the document's metadata.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from indexer.document import Extraction
from indexer.index.store import IndexBusy, RecordError
from indexer.search.backends import StoreTransaction, Target, open_store

log = logging.getLogger(__name__)

#: Seconds a batch waits for another writer to finish before the crawl stops with IndexBusy.
LOCK_WAIT = 30.0

#: (extraction, source_key, content hash) — one fetched source to write.
Item = tuple[Extraction, str, str]


class BatchNotWritten(Exception):
    """The index did not take a batch; the message is the reason."""


class IndexSink:
    """Writes crawled extractions into the index at ``index_dir`` (a folder or a database; created when missing)."""

    def __init__(self, index_dir: Target) -> None:
        self.index_dir = index_dir
        self.store = open_store(index_dir, create=True)
        self.store.check_writable()  # IndexBusy now, not after the first batch was fetched
        self.hashes = self.store.known_hashes()

    def known_hash(self, source_key: str) -> str | None:
        """The content hash the index holds for ``source_key``, or None when it is not in the index."""
        return self.hashes.get(source_key)

    def write(self, items: Sequence[Item]) -> list[tuple[str, str]]:
        """Replace each item's source with its extraction, all in one commit; returns the sources the index
        refused (source_key, reason: a record it cannot hold), which are not written. IndexBusy when another
        writer holds the index longer than :data:`LOCK_WAIT`, BatchNotWritten when the index fails to take
        the batch."""
        refused: list[tuple[str, str]] = []
        if not items:
            return refused
        try:
            with self._transaction() as tx:
                for extraction, key, digest in items:
                    try:
                        tx.write(extraction, key, digest, urlsplit(key).netloc)
                    except RecordError as exc:  # refused before anything of it was written
                        refused.append((key, f"cannot be stored: {exc}"))
        except IndexBusy:
            raise
        except Exception as exc:  # the disk, the database
            log.error("could not write a batch of %d sources: %s", len(items), exc)
            raise BatchNotWritten(f"{type(exc).__name__}: {exc}") from exc
        gone = {key for key, _ in refused}
        for _extraction, key, digest in items:
            if key not in gone:
                self.hashes[key] = digest
        return refused

    def _transaction(self) -> StoreTransaction:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                return self.store.transaction()
            except IndexBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.5)

    def close(self) -> None:
        self.store.close()
