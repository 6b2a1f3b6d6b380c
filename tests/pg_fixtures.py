"""A PostgreSQL server of the test session's own (started once, destroyed at the end) and fresh databases in it.

Where PostgreSQL is not installed (``make test`` installs Debian's package as root: tests/install_system.sh),
the tests that need it skip with that reason (under CI they fail: tests/system.py); everything else runs.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import system

from indexer.pg.cluster import USER, Cluster, ClusterError, free_port

#: Settings of throwaway test clusters: durability off (nothing here must survive a crash), small memory.
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "shared_buffers": "128MB"}
_names = itertools.count(1)


class TestServer:
    """A running cluster and a way to make databases in it."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def database(self, prefix: str = "tz") -> str:
        """The URL of a new, empty database."""
        import psycopg

        name = f"{prefix}_{next(_names)}"
        with psycopg.connect(f"postgresql://{USER}@127.0.0.1:{self.cluster.port}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://{USER}@127.0.0.1:{self.cluster.port}/{name}"


def new_cluster(extra: dict[str, str] | None = None) -> Cluster:
    """Initialise and start a cluster in a fresh temporary folder (skips the test where PostgreSQL is absent)."""
    system.postgresql()
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="tzsearch-pg-")), free_port())
    try:
        cluster.init()
        cluster.start({**FAST, **(extra or {})})
    except (ClusterError, OSError) as exc:
        shutil.rmtree(cluster.datadir, ignore_errors=True)
        system.missing("a PostgreSQL server that starts", f"could not start a PostgreSQL server here: {exc}")
    return cluster
