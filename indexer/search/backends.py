"""Which engine holds the index: the one place that decides, used by the CLI, the web app, the crawler and the bench.

A *target* is an index folder (the embedded Whoosh index, the default) or a PostgreSQL URL
(``postgresql://…``). :func:`resolve` picks it from a command's options — ``--database URL`` wins, then an
explicit ``--index DIR``, then ``TZSEARCH_DATABASE_URL``, then ``var/index`` — and

* :func:`open_backend` gives its read side (:class:`~indexer.search.backend.SearchBackend`: search, count_by,
  document, stats), with reads from ``TZSEARCH_DATABASE_REPLICA_URL`` when set;
* :func:`open_store` gives its write side (:class:`IndexStore`: the content hashes it holds, and
  transactions that write extractions and delete), which the importer and the crawler's sink use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from indexer.document import Extraction
from indexer.index.store import DEFAULT_INDEX, known_hashes, open_index
from indexer.index.transaction import IndexLock, Transaction
from indexer.search.backend import SearchBackend

DATABASE_ENV = "TZSEARCH_DATABASE_URL"
_SCHEMES = ("postgresql://", "postgres://")

Target = Path | str


class BackendUnavailable(RuntimeError):
    """The database cannot be reached (the message names it, never its password)."""


def is_database(target: Target) -> bool:
    return isinstance(target, str) and target.startswith(_SCHEMES)


def resolve(index: str | Path | None = None, database: str | None = None,
            environ: Mapping[str, str] | None = None) -> Target:
    """The target of a command (see the module docstring)."""
    environ = os.environ if environ is None else environ
    if database:
        if not database.startswith(_SCHEMES):
            raise ValueError("--database must be a URL starting with postgresql://")
        return database
    if index:
        return Path(index)
    url = environ.get(DATABASE_ENV)
    return url if url else DEFAULT_INDEX


def describe(target: Target) -> str:
    """The target for messages: a folder's name, or a database's host, port and name (never a password)."""
    if is_database(target):
        from indexer.pg.connect import where

        return f"database {where(str(target))}"
    return f"index {Path(target)}"


class StoreTransaction(Protocol):
    """One atomic change (a context manager)."""

    def __enter__(self) -> StoreTransaction: ...

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Any: ...

    def write(self, extraction: Extraction, source_key: str, digest: str, collection: str) -> int: ...

    def delete(self, field: str, value: str) -> int: ...


class IndexStore(Protocol):
    """The write side of an index. ``prepare``, when not None, is a module-level function the import's worker
    processes apply to each extraction (``prepare(extraction, source_key, collection)``) before it is
    written: work that would otherwise queue in the one writing process."""

    @property
    def prepare(self) -> Callable[[Extraction, str, str], Extraction] | None: ...

    def known_hashes(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """source_key → content hash of the sources held (of ``keys`` only, when given)."""
        ...

    def check_writable(self) -> None: ...

    def transaction(self, procs: int = 1) -> StoreTransaction: ...

    def close(self) -> None: ...


class WhooshStore:
    """The embedded index as an :class:`IndexStore` (one writer at a time: :class:`IndexBusy` otherwise)."""

    prepare: Callable[[Extraction, str, str], Extraction] | None = None

    def __init__(self, index_dir: Path, create: bool = False, reuse: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir, create=create)
        self.reuse = reuse

    def known_hashes(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        return known_hashes(self.ix, keys)

    def check_writable(self) -> None:
        IndexLock(self.index_dir).acquire().release()

    def transaction(self, procs: int = 1) -> Transaction:
        return Transaction(self.index_dir, procs, reuse=self.reuse)

    def close(self) -> None:
        self.ix.close()


def open_store(target: Target, create: bool = False, reuse: bool = True) -> IndexStore:
    """The write side of ``target`` (created when ``create`` and missing; ``reuse``: compare new documents for
    shared passages after each commit)."""
    if is_database(target):
        from indexer.pg.writer import PgStore

        return PgStore(str(target), create=create, reuse=reuse)
    return WhooshStore(Path(target), create=create, reuse=reuse)


def open_backend(target: Target, base_url: str = "", budget_seconds: float = 5.0, replica_url: str | None = None,
                 pool_size: int = 1) -> SearchBackend:
    """The read side of ``target`` (IndexMissing / IndexFormatError when there is no usable index)."""
    if is_database(target):
        from indexer.pg.connect import replica_url as replica
        from indexer.pg.search import PgBackend

        return PgBackend(str(target), replica_url=replica(replica_url), base_url=base_url,
                         budget_seconds=budget_seconds, pool_size=pool_size)
    from indexer.search.service import SearchService

    return SearchService(Path(target), base_url=base_url, budget_seconds=budget_seconds)
