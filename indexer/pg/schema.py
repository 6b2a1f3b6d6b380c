"""Versioned schema migrations: ``indexer/pg/migrations/NNNN_name.sql``, applied in order by
``python -m indexer db upgrade`` (and by the first import into an empty database).

Each migration runs in its own transaction together with the row that records it in ``tz_schema``, under
an advisory lock, so two upgrades at once apply each migration once and a failed one leaves the previous
version. A database whose schema is older than this code, or whose stored tokens were computed by another
version of :mod:`indexer.pg.tokens`, is refused with a message saying what to run — never read half-way.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from indexer.index import textmodel
from indexer.index.store import IndexFormatError, IndexMissing
from indexer.pg.tokens import TOKENS_VERSION

_LOCK = 0x747A7365  # "tzse": the advisory lock key of schema upgrades
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every migration shipped with this code, in order."""
    folder = resources.files("indexer.pg").joinpath("migrations")
    out = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    out.sort()
    if [v for v, _, _ in out] != list(range(1, len(out) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, … without gaps")
    return out


def latest() -> int:
    return migrations()[-1][0]


def current_version(conn: Any) -> int:
    """The schema version of the database (0: never upgraded)."""
    found = conn.execute("SELECT to_regclass('tz_schema') IS NOT NULL").fetchone()[0]
    if not found:
        return 0
    row = conn.execute("SELECT max(version) FROM tz_schema").fetchone()
    return int(row[0] or 0)


def upgrade(conn: Any) -> list[str]:
    """Apply the migrations the database lacks; returns their names. ``conn`` must be in autocommit mode."""
    applied: list[str] = []
    for version, name, sql in migrations():
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS tz_schema (version integer PRIMARY KEY, name text NOT NULL, "
                         "applied_at timestamptz NOT NULL DEFAULT now())")
            if conn.execute("SELECT 1 FROM tz_schema WHERE version = %s", (version,)).fetchone():
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO tz_schema (version, name) VALUES (%s, %s)", (version, name))
            if version == 1:
                conn.execute("INSERT INTO tz_meta (key, value) VALUES ('tokens_version', %s)", (str(TOKENS_VERSION),))
                _record_text_model(conn)
            applied.append(f"{version:04d}_{name}")
    _record_text_model(conn)  # a database made before the text model was recorded
    return applied


def _record_text_model(conn: Any) -> None:
    """Record the text model the tokens are computed with, unless one is recorded (a database older than this
    record was written by the text model of its time, which its tokens_version stands for)."""
    conn.execute("INSERT INTO tz_meta (key, value) VALUES ('text_model', %s) ON CONFLICT (key) DO NOTHING",
                 (json.dumps(textmodel.fingerprint(), sort_keys=True),))


def check(conn: Any, where: str) -> None:
    """Raise :class:`IndexMissing` (no schema yet) or :class:`IndexFormatError` (upgrade or rebuild needed)."""
    version = current_version(conn)
    if version == 0:
        raise IndexMissing(f"no index in the database {where} yet (run: python -m indexer import PATH "
                           f"--database URL, or python -m indexer db upgrade --database URL)")
    if version < latest():
        raise IndexFormatError(f"the database {where} has schema version {version}, this code needs "
                               f"{latest()}: run python -m indexer db upgrade --database URL")
    if version > latest():
        raise IndexFormatError(f"the database {where} has schema version {version}, newer than this code "
                               f"({latest()}): update tzsearch")
    row = conn.execute("SELECT value FROM tz_meta WHERE key = 'tokens_version'").fetchone()
    if row is None or row[0] != str(TOKENS_VERSION):
        raise IndexFormatError(f"the database {where} holds tokens of another version of tzsearch "
                               f"({row[0] if row else 'unknown'}, this one writes {TOKENS_VERSION}); rebuild it: "
                               "drop its tz_* tables and import your documents again")
    row = conn.execute("SELECT value FROM tz_meta WHERE key = 'text_model'").fetchone()
    changed = textmodel.differences(json.loads(row[0])) if row is not None else []
    if changed:
        raise IndexFormatError(f"the database {where} was built with another text model ({'; '.join(changed)}); "
                               "exact wording would not be found reliably: drop its tz_* tables and import your "
                               "documents again")


#: The GIN indexes a bulk import leaves loosely packed (new entries go through the pending list).
GRAM_INDEXES = ("tz_sections_grams",)


def optimize(conn: Any) -> None:
    """After a bulk import: rebuild the gram indexes packed (about half the size; readers and writers go on
    meanwhile, ``REINDEX CONCURRENTLY``), then ``VACUUM ANALYZE`` (visibility map, planner statistics).
    ``conn`` must be in autocommit mode."""
    for index in GRAM_INDEXES:
        conn.execute(f"REINDEX INDEX CONCURRENTLY {index}")
    conn.execute("VACUUM (ANALYZE) tz_sources, tz_documents, tz_sections, tz_section_texts, tz_stats")
