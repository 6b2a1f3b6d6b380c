"""The write side: import and crawl batches into PostgreSQL, one transaction each, safe with several writers.

:class:`PgStore` offers what :mod:`indexer.index.importer` and the crawler's sink ask of any store —
``known_hashes`` and ``transaction`` — and :class:`PgTransaction` what one change does: ``write`` an
extraction for a source (replacing the source's documents) and ``delete`` by source key, doc_id or
collection. Nothing is visible to readers before the commit; a killed import is rolled back by the server.

Concurrent writers take row-level locks only: the source's row in ``tz_sources`` (upserted first, so two
writers of the same source take turns), the rows they delete, and at the end (:meth:`PgTransaction._finish`):

* duplicates — of the documents with one normalised text (``text_hash``) only the earliest added is
  ``visible``. A writer locks each text it touched (a transaction-level advisory lock on the hash, taken in
  sorted order so two writers cannot deadlock on them), recomputes which document is first, and flips the
  ``visible`` flag of the rows that change, skipping rows another uncommitted writer is deleting (that
  writer recomputes the same text after us, under the same lock). Advisory locks live in the server's
  shared lock table (``max_locks_per_transaction`` × connections, a few thousand), so a writer that touched
  more than :data:`MAX_TEXT_LOCKS` texts (a bulk import) takes one lock on *all* texts instead: every writer
  holds a shared lock on that key while it takes its per-text locks, a bulk writer holds it exclusively —
  it waits for the others' final phase and they wait for its commit;
* corpus statistics — the flags that really changed, and the visible documents deleted, are added as
  deltas to one of the 16 rows of ``tz_stats`` (picked at random, updated last), so BM25's N and average
  length are exact in every snapshot without a global counter that all writers queue for.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from psycopg.types.json import Jsonb

from indexer.document import Document, Extraction
from indexer.index.store import META_FIELDS, section_records, validate_records
from indexer.pg import relations, schema
from indexer.pg.connect import connect, where
from indexer.pg.tokens import DocumentRow, document_row
from indexer.search.backends import BackendUnavailable

SHARDS = 16
#: Above this many touched texts a writer locks all texts at once (module docstring).
MAX_TEXT_LOCKS = 256
#: New documents whose relation rows a writer keeps before writing them (one COPY per batch, not per file).
RELATION_BATCH = 2000
#: The advisory lock on all texts: the two-integer key space, apart from the per-text bigint keys.
_ALL_TEXTS = (0x747A7365, 1)
_SECTION_COLUMNS = ("doc", "visible", "ordinal", "year", "date_lo", "date_hi", "added", "province", "city", "doctype",
                    "source", "collection", "issuer", "bytes", "piece_len", "start_char", "tf", "piece", "tail",
                    "grams")
_TEXT_COLUMNS = ("doc", "ordinal", "section_id", "heading", "body")


def _int_array(values: list[int]) -> str:
    """An integer array in COPY's text form (psycopg's generic list dumper is slow for long arrays)."""
    return "{" + ",".join(map(str, values)) + "}"


@dataclass
class PreparedExtraction(Extraction):
    """An extraction with its documents' rows already computed (by the import's workers)."""

    rows: list[DocumentRow] = field(default_factory=list)
    relations: list[Any] = field(default_factory=list)  # indexer.pg.relations.relation_rows of each document


def document_meta(doc: Document, collection: str, added: float, source_key: str) -> dict[str, Any]:
    """What the Whoosh store keeps as a document's ``meta``."""
    meta = {name: getattr(doc, name) for name in META_FIELDS}
    meta.update(collection=collection, added=added, source_key=source_key)
    return meta


def prepare(extraction: Extraction, source_key: str, collection: str) -> Extraction:
    """Compute the rows of an extraction's documents (in an import worker; ``added`` is set when written)."""
    rows = [document_row(doc, document_meta(doc, collection, 0.0, source_key)) for doc in extraction.documents]
    return PreparedExtraction(extraction.documents, extraction.removed, extraction.encoding, rows,
                              [_relation_rows(r) for r in rows])


def _relation_rows(row: DocumentRow) -> Any:
    return relations.relation_rows(row.doc_id, row.meta, "\n".join(s.body for s in row.sections))


class PgStore:
    """A tzsearch database as a place to write (see the module docstring)."""

    prepare = staticmethod(prepare)

    def __init__(self, url: str, create: bool = False, reuse: bool = True) -> None:
        self.url = url
        self.reuse = reuse
        self.conn = connect(url, autocommit=True)
        try:
            if self.conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,):
                raise BackendUnavailable(f"the database {where(url)} is a read-only replica: write to its primary "
                                         "(TZSEARCH_DATABASE_URL), read from replicas "
                                         "(TZSEARCH_DATABASE_REPLICA_URL)")
            if create and schema.current_version(self.conn) == 0:
                schema.upgrade(self.conn)
            schema.check(self.conn, where(url))
        except BaseException:
            self.conn.close()
            raise

    def known_hashes(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """source_key → content hash of the sources in the database (of ``keys`` only, when given)."""
        if keys is None:
            return dict(self.conn.execute("SELECT source_key, content_hash FROM tz_sources").fetchall())
        return dict(self.conn.execute("SELECT source_key, content_hash FROM tz_sources WHERE source_key = ANY(%s)",
                                      (list(keys),)).fetchall())

    def check_writable(self) -> None:
        """Writers never exclude each other here (the Whoosh store raises IndexBusy when one writes)."""

    def transaction(self, procs: int = 1) -> PgTransaction:
        return PgTransaction(self.conn, self.reuse)

    def close(self) -> None:
        self.conn.close()


class PgTransaction:
    """One atomic change (a context manager: commits on success, rolls back on any exception). After a
    commit that changed something, shared passages are brought up to date (``reuse``; :mod:`.reuse`), as the
    embedded index does after its commits: in their own transaction, so a failure there loses no import."""

    def __init__(self, conn: Any, reuse: bool = True) -> None:
        self.conn = conn
        self.reuse = reuse
        self._tx: Any = None
        self.touched: set[int] = set()
        self.delta = [0, 0, 0]  # visible documents, sections, bytes
        self.related: dict[int, Any] = {}  # new documents' relation rows, written in batches (relations.insert)

    def __enter__(self) -> PgTransaction:
        self._tx = self.conn.transaction()
        self._tx.__enter__()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self._finish()
        except BaseException as err:
            self._tx.__exit__(type(err), err, err.__traceback__)
            raise
        self._tx.__exit__(exc_type, exc, tb)
        if exc_type is None and self.reuse and self.touched:
            from indexer.pg import reuse

            reuse.update(self.conn)
        if exc_type is None and self.touched:
            relations.update(self.conn)

    # ------------------------------------------------------------------------------------------ changes
    def write(self, extraction: Extraction, source_key: str, digest: str, collection: str) -> int:
        """Replace the source's documents with the extraction's; returns the number of sections written.
        Raises :class:`~indexer.index.store.RecordError` (before changing anything) for a record the index
        cannot hold, as the embedded store does."""
        for doc in extraction.documents:
            validate_records(list(section_records(doc, source_key, collection, 0.0)))
        if not extraction.documents:  # as in the Whoosh store: a source without documents is not kept
            self._delete_docs("source_key = %s", (source_key,))
            self.conn.execute("DELETE FROM tz_sources WHERE source_key = %s", (source_key,))
            return 0
        added = time.time()
        self.conn.execute(
            "INSERT INTO tz_sources (source_key, content_hash, collection, added) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (source_key) DO UPDATE SET content_hash = EXCLUDED.content_hash, "
            "collection = EXCLUDED.collection, added = EXCLUDED.added", (source_key, digest, collection, added))
        self._delete_docs("source_key = %s", (source_key,))
        if isinstance(extraction, PreparedExtraction) and extraction.rows:
            rows, related = extraction.rows, extraction.relations
        else:
            rows = [document_row(doc, document_meta(doc, collection, added, source_key))
                    for doc in extraction.documents]
            related = [_relation_rows(r) for r in rows]
        for doc, row in zip(extraction.documents, rows, strict=True):
            doc.content_hash = digest
            row.meta.update(added=added, collection=collection, source_key=source_key)
        return self._insert(rows, source_key, added, related)

    def _visible(self, rows: list[DocumentRow]) -> list[bool]:
        """Whether each new document is the first with its text, as far as this snapshot tells (usually right;
        :meth:`_finish` settles it under the text's lock). Rows are written once, with their final flag."""
        taken = {int(h) for (h,) in self.conn.execute(
            "SELECT DISTINCT text_hash FROM tz_documents WHERE text_hash = ANY(%s)", ([r.text_hash for r in rows],))}
        out = []
        for r in rows:
            out.append(r.text_hash not in taken)
            taken.add(r.text_hash)
            if out[-1]:
                self._add(1, len(r.sections), r.bytes)
        return out

    def _insert(self, rows: list[DocumentRow], source_key: str, added: float, related: list[Any]) -> int:
        ids = [r[0] for r in self.conn.execute(
            "SELECT nextval(pg_get_serial_sequence('tz_documents', 'doc')) FROM generate_series(1, %s)",
            (len(rows),)).fetchall()]
        visible = self._visible(rows)
        with self.conn.cursor().copy(
                "COPY tz_documents (doc, doc_id, source_key, text_hash, added, visible, sections, bytes, title_norm, "
                "meta) FROM STDIN") as copy:
            for doc, r, v in zip(ids, rows, visible, strict=True):
                copy.write_row((doc, r.doc_id, source_key, r.text_hash, added, v, len(r.sections), r.bytes,
                                r.title_norm, Jsonb(r.meta)))
        with self.conn.cursor().copy(f"COPY tz_sections ({', '.join(_SECTION_COLUMNS)}) FROM STDIN") as copy:
            for doc, r, v in zip(ids, rows, visible, strict=True):
                for s in r.sections:
                    copy.write_row((doc, v, s.ordinal, r.year, r.date_lo, r.date_hi, added, *r.facets.values(), s.bytes,
                                    s.piece_len, s.start_char, Jsonb(s.tf) if s.tf else None, s.piece, s.tail,
                                    _int_array(s.grams)))
        with self.conn.cursor().copy(f"COPY tz_section_texts ({', '.join(_TEXT_COLUMNS)}) FROM STDIN") as copy:
            for doc, r in zip(ids, rows, strict=True):
                for s in r.sections:
                    copy.write_row((doc, s.ordinal, s.section_id, s.heading, s.body))
        self.related.update(zip(ids, related, strict=True))
        if len(self.related) >= RELATION_BATCH:
            self._write_relations()
        self.touched.update(r.text_hash for r in rows)
        return sum(len(r.sections) for r in rows)

    def delete(self, field: str, value: str) -> int:
        """Delete the documents whose ``field`` (source_key, doc_id or collection) is ``value``; returns the
        number of sections deleted. A source left without documents is forgotten (a re-import adds it again)."""
        if field == "source_key":
            count = self._delete_docs("source_key = %s", (value,))
            self.conn.execute("DELETE FROM tz_sources WHERE source_key = %s", (value,))
            return count
        if field == "collection":
            count = self._delete_docs("source_key IN (SELECT source_key FROM tz_sources WHERE collection = %s)",
                                      (value,))
            self.conn.execute("DELETE FROM tz_sources WHERE collection = %s", (value,))
            return count
        if field != "doc_id":
            raise ValueError(f"cannot delete by {field!r}")
        keys = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT source_key FROM tz_documents WHERE doc_id = %s", (value,)).fetchall()]
        count = self._delete_docs("doc_id = %s", (value,))
        self.conn.execute("DELETE FROM tz_sources s WHERE s.source_key = ANY(%s) AND NOT EXISTS "
                          "(SELECT 1 FROM tz_documents d WHERE d.source_key = s.source_key)", (keys,))
        return count

    def _delete_docs(self, condition: str, params: tuple[Any, ...]) -> int:
        deleted = self.conn.execute(f"DELETE FROM tz_documents WHERE {condition} "
                                    "RETURNING text_hash, visible, sections, bytes, doc", params).fetchall()
        for text_hash, visible, sections, size, doc in deleted:
            self.related.pop(doc, None)  # written in this transaction and deleted again: its rows never are
            self.touched.add(int(text_hash))
            if visible:
                self._add(-1, -sections, -size)
        return sum(r[2] for r in deleted)

    def _write_relations(self) -> None:
        relations.insert(self.conn, list(self.related.items()))
        self.related.clear()

    def _add(self, documents: int, sections: int, size: int) -> None:
        self.delta = [self.delta[0] + documents, self.delta[1] + sections, self.delta[2] + size]

    # ------------------------------------------------------------------------------------------ commit
    def _finish(self) -> None:
        """Write the buffered relation rows, decide which document of each touched text is visible, then record
        the statistics' deltas."""
        if self.related:
            self._write_relations()
        if self.touched:
            self._dedupe(sorted(self.touched))
        if any(self.delta):
            self.conn.execute("UPDATE tz_stats SET documents = documents + %s, sections = sections + %s, "
                              "bytes = bytes + %s WHERE shard = %s", (*self.delta, random.randrange(SHARDS)))

    def _dedupe(self, hashes: list[int]) -> None:
        if len(hashes) > MAX_TEXT_LOCKS:
            self.conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", _ALL_TEXTS)
        else:
            self.conn.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", _ALL_TEXTS)
            self.conn.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k",
                              (sorted(hashes),))
        rows = self.conn.execute("SELECT doc, text_hash, visible FROM tz_documents WHERE text_hash = ANY(%s) "
                                 "ORDER BY text_hash, added, doc", (hashes,)).fetchall()
        flips: list[tuple[int, bool]] = []
        previous = None
        for doc, text_hash, visible in rows:
            want = text_hash != previous
            previous = text_hash
            if want != visible:
                flips.append((doc, want))
        if not flips:
            return
        changed = self.conn.execute(
            "WITH want AS (SELECT * FROM unnest(%s::bigint[], %s::boolean[]) AS w(doc, visible)), "
            "locked AS (SELECT d.doc FROM tz_documents d JOIN want USING (doc) FOR UPDATE OF d SKIP LOCKED) "
            "UPDATE tz_documents d SET visible = want.visible FROM want, locked "
            "WHERE d.doc = want.doc AND d.doc = locked.doc AND d.visible <> want.visible "
            "RETURNING d.doc, d.visible, d.sections, d.bytes",
            ([d for d, _ in flips], [v for _, v in flips])).fetchall()
        for _doc, visible, sections, size in changed:
            sign = 1 if visible else -1
            self._add(sign, sign * sections, sign * size)
        self.conn.execute("UPDATE tz_sections s SET visible = d.visible FROM tz_documents d "
                          "WHERE s.doc = d.doc AND d.doc = ANY(%s)", ([c[0] for c in changed],))


def recount(conn: Any) -> tuple[int, int, int]:
    """(documents, sections, bytes) counted from the rows — what ``tz_stats`` must sum to (tests, ``db check``)."""
    row = conn.execute("SELECT (SELECT count(*) FROM tz_documents WHERE visible), "
                       "(SELECT count(*) FROM tz_sections WHERE visible), "
                       "(SELECT coalesce(sum(bytes), 0) FROM tz_sections WHERE visible)").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def stored_stats(conn: Any) -> tuple[int, int, int]:
    row = conn.execute("SELECT coalesce(sum(documents), 0), coalesce(sum(sections), 0), coalesce(sum(bytes), 0) "
                       "FROM tz_stats").fetchone()
    return int(row[0]), int(row[1]), int(row[2])

