"""Connections: one for a command, a pool (``psycopg_pool``) for the web app, and which server to read from.

Writes always go to the primary (``TZSEARCH_DATABASE_URL`` / ``--database``). Searches go to the replica when
``TZSEARCH_DATABASE_REPLICA_URL`` names one (a streaming replica serves reads; PostgreSQL refuses writes
there). Every read runs in one ``REPEATABLE READ READ ONLY`` transaction, so the counts, facets and hits of
a search come from one snapshot, with a ``statement_timeout`` from the request's time budget.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from indexer.search.backends import BackendUnavailable

REPLICA_ENV = "TZSEARCH_DATABASE_REPLICA_URL"


def storable(value: str) -> bool:
    """Whether PostgreSQL text can hold ``value``. It cannot hold NUL, so nothing stored has one: a value with
    a NUL (a filter or document id from a request) matches nothing, and must not reach a query parameter
    (the driver refuses it)."""
    return "\x00" not in value


def where(url: str) -> str:
    """A URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 5432}{parts.path}"


def unavailable(url: str, exc: Exception) -> BackendUnavailable:
    reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return BackendUnavailable(f"cannot reach the database {where(url)}: {reason}")


def connect(url: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10, application_name="tzsearch")
    except psycopg.OperationalError as exc:
        raise unavailable(url, exc) from None


class Reader:
    """Read connections: a pool in the web app (``pool_size`` > 1), else one connection made on demand and
    used by one thread at a time."""

    def __init__(self, url: str, pool_size: int = 1) -> None:
        self.url = url
        self._pool: ConnectionPool[Any] | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()
        if pool_size > 1:
            connect(url).close()  # an unreachable server fails here at once, not after the pool's timeout
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True, timeout=10,
                                        kwargs={"connect_timeout": 10, "application_name": "tzsearch"})

    @contextmanager
    def snapshot(self, seconds: float | None = None) -> Iterator[psycopg.Connection[Any]]:
        """A connection inside one read-only repeatable-read transaction (rolled back at the end)."""
        with self._connection() as conn:
            with conn.transaction(force_rollback=True):
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # The planner prices a sequential scan below a bitmap scan of the gram index for common grams,
                # not counting that every row's grams would be detoasted: the index is always the better path.
                conn.execute("SET LOCAL enable_seqscan = off")
                conn.execute("SET LOCAL jit = off")
                if seconds:
                    conn.execute(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")
                yield conn

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        if self._pool is not None:
            try:
                with self._pool.connection() as conn:
                    yield conn
            except PoolTimeout as exc:
                raise unavailable(self.url, exc) from None
            return
        with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = connect(self.url)
            yield self._conn

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._conn is not None:
            self._conn.close()


def one(conn: psycopg.Connection[Any], sql: str, params: Any = None) -> tuple[Any, ...]:
    """The one row a statement returns."""
    row = conn.execute(sql, params).fetchone()
    if row is None:  # pragma: no cover - aggregates always return a row
        raise RuntimeError(f"no row from {sql[:80]}")
    return tuple(row)


def replica_url(explicit: str | None = None) -> str | None:
    return explicit or os.environ.get(REPLICA_ENV) or None
