"""The crawler's one door to the index: everything it asks of :mod:`indexer.index.store` is here.

Two verbs: :meth:`IndexSink.known_hash` (the content hash the index holds for a source, read once at the
start) and :meth:`IndexSink.write` (these extractions, in one commit — all or nothing). The write lock is
taken per batch, not for the whole crawl, so an import can run between two batches; a batch that finds the
lock taken waits for it a bounded time (:data:`LOCK_WAIT`) and then raises :class:`IndexBusy`. The sink is
opened once at the start, which also checks that no other writer holds the index.

An attachment's ``parent`` is written to the index's ``parent`` field (stored, searchable by term). An index
created before that field existed cannot take it: the sink then leaves it out, with a warning, and the
attachment is still indexed (rebuild the index to keep parents).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from whoosh.writing import IndexWriter

from indexer.document import Extraction
from indexer.index.store import IndexBusy, known_hashes, open_index, write_extraction, writer_for

log = logging.getLogger(__name__)

#: Seconds a batch waits for another writer to finish before the crawl stops with IndexBusy.
LOCK_WAIT = 30.0

#: (extraction, source_key, content hash) — one fetched source to write.
Item = tuple[Extraction, str, str]


class IndexSink:
    """Writes crawled extractions into the index at ``index_dir`` (created when missing)."""

    def __init__(self, index_dir: Path) -> None:
        self.ix = open_index(index_dir, create=True)
        writer_for(self.ix).cancel()  # IndexBusy now, not after the first batch was fetched
        self.hashes = known_hashes(self.ix)
        self.has_parent = "parent" in self.ix.schema.names()
        self._warned = False

    def known_hash(self, source_key: str) -> str | None:
        """The content hash the index holds for ``source_key``, or None when it is not in the index."""
        return self.hashes.get(source_key)

    def write(self, items: Sequence[Item]) -> None:
        """Replace each item's source with its extraction, all in one commit."""
        if not items:
            return
        if not self.has_parent:
            self._drop_parents(items)
        writer = self._writer()
        with writer:  # commits, or cancels on an exception
            for extraction, key, digest in items:
                write_extraction(writer, extraction, key, digest)
        for _extraction, key, digest in items:
            self.hashes[key] = digest

    def _writer(self) -> IndexWriter:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                return writer_for(self.ix)
            except IndexBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.5)

    def _drop_parents(self, items: Sequence[Item]) -> None:
        for extraction, _key, _digest in items:
            for doc in extraction.documents:
                if doc.parent and not self._warned:
                    log.warning("this index predates the parent field: attachments are indexed without "
                                "their article (rebuild the index to keep it)")
                    self._warned = True
                doc.parent = None

    def close(self) -> None:
        self.ix.close()
