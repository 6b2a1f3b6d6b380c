"""Relations on PostgreSQL: each document's keys and references written with it, resolved after each commit.

* :func:`insert` — in the writer's transaction (buffered by it, written before its commit): ``tz_doc_keys``
  (发文字号, title, draft/final and series keys, date bounds) and ``tz_references``
  (:func:`indexer.relations.columns.reference_rows`, the embedded index's columns);
* :func:`update` — after a commit (as shared passages are, :mod:`.reuse`), under an advisory lock: documents
  imported before these tables existed get their rows (what ``db upgrade`` leaves to do), then every
  reference is resolved by :func:`indexer.relations.resolve.resolve` — the function the embedded index runs
  per generation — over the visible documents, and the targets and statuses that changed are written.
  Deleting a document removes its rows and unresolves the references to it at once (foreign keys); a new
  document is resolved by the update its import runs after committing. An update never holds up a writer:
  one that would wait for rows another writer's open transaction holds gives up (:data:`LOCK_WAIT`) and
  leaves the work to that writer's own update, which follows its commit.

Keys are 64-bit hashes stored signed. :mod:`.relations_view` is the read side.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import psycopg

from indexer.pg.tokens import date_bounds
from indexer.relations.columns import document_keys, reference_rows
from indexer.relations.resolve import Documents, References, Resolution, resolve

log = logging.getLogger(__name__)
_LOCK = 0x747A726C  # "tzrl": the advisory lock of relation updates
#: How long an update waits for a row another writer holds before leaving the work to that writer's update.
LOCK_WAIT = "2s"
_MASK = (1 << 64) - 1
_REF_COLUMNS = ("doc", "ordinal", "kind", "span_start", "span_end", "sent_start", "sent_end", "docno_key", "title_key",
                "year", "eff_date")


def signed(key: int) -> int:
    return key - (1 << 64) if key >= 1 << 63 else key


def unsigned(key: int) -> int:
    return key & _MASK


def relation_rows(doc_id: str, meta: dict[str, Any], text: str) -> tuple[Any, Any]:
    """(keys, references) of a document, as :func:`insert` writes them (computed in an import worker): keys are
    docno, title, version, series, flags, ident and the date bounds."""
    return (*document_keys(doc_id, meta), *date_bounds(meta.get("date"), meta.get("date_precision"),
                                                       meta.get("year"))), reference_rows(meta, text)


def insert(conn: Any, docs: Sequence[tuple[int, tuple[tuple[int, ...], list[tuple[int, ...]]]]]) -> None:
    """Write the keys and references of new documents: (doc, :func:`relation_rows`) each."""
    with conn.cursor().copy("COPY tz_doc_keys (doc, docno_key, title_key, version_key, series_key, flags, ident, "
                            "date_lo, date_hi) FROM STDIN") as copy:
        for doc, (keys, _) in docs:
            copy.write_row((doc, *(signed(k) for k in keys[:4]), keys[4], signed(keys[5]), keys[6], keys[7]))
    with conn.cursor().copy(f"COPY tz_references ({', '.join(_REF_COLUMNS)}) FROM STDIN") as copy:
        for doc, (_, refs) in docs:
            for ordinal, (kind, a, b, c, d, docno, title, year, date) in enumerate(refs):
                copy.write_row((doc, ordinal, kind, a, b, c, d, signed(docno), signed(title), year, date))


def _backfill(conn: Any) -> int:
    """Rows for the documents that lack them (imported before migration 0003); returns how many."""
    missing = [r[0] for r in conn.execute("SELECT d.doc FROM tz_documents d WHERE NOT EXISTS "
                                          "(SELECT 1 FROM tz_doc_keys k WHERE k.doc = d.doc) ORDER BY d.doc")]
    for start in range(0, len(missing), 500):
        batch = []
        for doc, doc_id, meta, text in conn.execute(
                "SELECT d.doc, d.doc_id, d.meta, (SELECT string_agg(t.body, E'\\n' ORDER BY t.ordinal) "
                "FROM tz_section_texts t WHERE t.doc = d.doc) FROM tz_documents d WHERE d.doc = ANY(%s)",
                (missing[start:start + 500],)).fetchall():
            batch.append((doc, relation_rows(doc_id, meta, text or "")))
        insert(conn, batch)
    return len(missing)


def load(conn: Any) -> tuple[np.ndarray, Documents, References, np.ndarray]:
    """(doc numbers, documents, references, stored targets as doc numbers or -1) of the database."""
    rows = conn.execute("SELECT d.doc, d.visible, k.docno_key, k.title_key, k.version_key, k.series_key, k.flags, "
                        "k.ident, k.date_lo, k.date_hi FROM tz_documents d JOIN tz_doc_keys k USING (doc) "
                        "ORDER BY d.doc").fetchall()
    table = np.array(rows, dtype=object).reshape(len(rows), 10)
    ids = table[:, 0].astype(np.int64)

    def keys(column: int) -> np.ndarray:
        return np.array([unsigned(k) for k in table[:, column]], dtype=np.uint64)

    docs = Documents(live=table[:, 1].astype(bool), docno=keys(2), title=keys(3), date_lo=table[:, 8].astype(np.int64),
                     date_hi=table[:, 9].astype(np.int64), ident=keys(7), version=keys(4), series=keys(5),
                     flags=table[:, 6].astype(np.uint8))
    refs = conn.execute("SELECT doc, ordinal, kind, docno_key, title_key, year, eff_date, coalesce(target, -1) "
                        "FROM tz_references ORDER BY doc, ordinal").fetchall()
    table = np.array(refs, dtype=object).reshape(len(refs), 8)
    references = References(
        src=np.searchsorted(ids, table[:, 0].astype(np.int64)).astype(np.int64), ordinal=table[:, 1].astype(np.int64),
        kind=table[:, 2].astype(np.uint8), docno=np.array([unsigned(k) for k in table[:, 3]], dtype=np.uint64),
        title=np.array([unsigned(k) for k in table[:, 4]], dtype=np.uint64), year=table[:, 5].astype(np.int16),
        date=table[:, 6].astype(np.int32))
    return ids, docs, references, table[:, 7].astype(np.int64)


def _write(conn: Any, ids: np.ndarray, refs: References, stored: np.ndarray, result: Resolution) -> int:
    """Write the targets and statuses that changed; returns how many references changed."""
    new = np.where(result.target >= 0, ids[np.maximum(result.target, 0)], -1) if len(ids) else result.target
    changed = np.flatnonzero(new != stored)
    if len(changed):
        conn.execute("UPDATE tz_references r SET target = nullif(x.target, -1) FROM unnest(%s::bigint[], %s::int[], "
                     "%s::bigint[]) AS x(doc, ordinal, target) WHERE r.doc = x.doc AND r.ordinal = x.ordinal",
                     (ids[refs.src[changed]].tolist(), refs.ordinal[changed].tolist(), new[changed].tolist()))
    marked = np.flatnonzero(result.status > 0)
    deciding = result.status_ref[marked]
    want = {(int(ids[d]), int(result.status[d]), int(ids[refs.src[i]]), int(refs.ordinal[i]))
            for d, i in zip(marked.tolist(), deciding.tolist(), strict=True)}
    have = {tuple(r) for r in conn.execute("SELECT doc, status, ref_doc, ref_ordinal FROM tz_doc_status")}
    gone = [row[0] for row in have - want]
    if gone:
        conn.execute("DELETE FROM tz_doc_status WHERE doc = ANY(%s)", (gone,))
    with conn.cursor().copy("COPY tz_doc_status (doc, status, ref_doc, ref_ordinal) FROM STDIN") as copy:
        for row in want - have:
            copy.write_row(row)
    return len(changed)


def update(conn: Any, attempts: int = 3) -> dict[str, float]:
    """Resolve every reference and status again (``conn`` in autocommit mode); see the module docstring. A run
    that meets a concurrent writer's change is tried again (the next commit's update would do it anyway)."""
    started = time.monotonic()
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK,))  # before the snapshot: it then sees the last update's
    try:
        for attempt in range(attempts):
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one state read, or a retry
                    conn.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                    added = _backfill(conn)
                    ids, docs, refs, stored = load(conn)
                    changed = _write(conn, ids, refs, stored, resolve(docs, refs))
                return {"backfilled": added, "references": len(refs), "changed": changed,
                        "seconds": time.monotonic() - started}
            except psycopg.errors.LockNotAvailable:
                log.info("relations: another writer holds rows this update would change; its own update follows")
                return {"backfilled": 0, "references": 0, "changed": 0, "seconds": time.monotonic() - started,
                        "postponed": 1}
            except (psycopg.errors.IntegrityError, psycopg.errors.SerializationFailure,
                    psycopg.errors.DeadlockDetected) as exc:
                log.info("relations: a concurrent change (%s); attempt %d", type(exc).__name__, attempt + 1)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK,))
    log.warning("relations: not updated after %d attempts; the next import's update will", attempts)
    return {"backfilled": 0, "references": 0, "changed": 0, "seconds": time.monotonic() - started}
