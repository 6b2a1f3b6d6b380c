"""Reads from a streaming replica: a primary and a hot standby (two local clusters on 127.0.0.1); documents
imported into the primary are searched on the replica once it has replayed them, and the replica refuses
writes with a message saying where they go."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from conftest import CORPUS
from pg_fixtures import FAST, new_cluster

from indexer.index.importer import import_paths
from indexer.pg.cluster import free_port
from indexer.search.backends import BackendUnavailable, open_backend
from indexer.search.results import to_json
from indexer.search.service import SearchParams


@pytest.fixture
def primary_and_replica():
    primary = new_cluster()
    replica = None
    try:
        replica = primary.replica(Path(tempfile.mkdtemp(prefix="tzsearch-replica-")), free_port())
        replica.start(FAST)
        yield primary.url, replica.url
    finally:
        if replica is not None:
            replica.destroy()
        primary.destroy()


def caught_up(primary: str, replica: str, seconds: float = 60) -> bool:
    """Wait until the replica has replayed everything the primary has written so far."""
    with psycopg.connect(primary, autocommit=True) as conn:
        lsn = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    deadline = time.monotonic() + seconds
    with psycopg.connect(replica, autocommit=True) as conn:
        while time.monotonic() < deadline:
            if conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)).fetchone()[0]:
                return True
            time.sleep(0.1)
    return False


def test_import_into_the_primary_search_the_replica(tmp_path, primary_and_replica) -> None:
    primary, replica = primary_and_replica
    folder = tmp_path / "docs"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    import_paths([folder], primary, procs=2)
    assert caught_up(primary, replica)
    on_primary = open_backend(primary)
    on_replica = open_backend(primary, replica_url=replica)
    try:
        with on_replica.reader.snapshot() as conn:  # type: ignore[attr-defined]
            assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        for q in ('"两个健康"', "统一战线", ""):
            a = to_json(on_primary.search(SearchParams(q=q)))
            b = to_json(on_replica.search(SearchParams(q=q)))
            assert a == b and a["total"] > 0
        assert on_replica.search(SearchParams(q='"创新举措凝心聚力"')).total > 0
        (folder / "changzhou_2020_tz_work_review.txt").unlink()
        import_paths([folder], primary, prune=True)
        assert caught_up(primary, replica)
        assert on_replica.search(SearchParams(q='"创新举措凝心聚力"')).total == 0
        assert on_replica.search(SearchParams(q="")).total == on_primary.search(SearchParams(q="")).total
    finally:
        on_primary.close()
        on_replica.close()
    with pytest.raises(BackendUnavailable, match="read-only replica"):
        import_paths([folder], replica)
