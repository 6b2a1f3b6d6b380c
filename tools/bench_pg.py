"""The PostgreSQL side of ``make bench BACKEND=postgresql``: a server of the bench's own, its size and memory.
See :mod:`tools.bench`."""

from __future__ import annotations

import time
from pathlib import Path

from indexer.pg.cluster import USER, Cluster, free_port

#: Bench server: the throwaway cluster's settings (indexer.pg.cluster.SETTINGS), durable as in production.
EXTRA: dict[str, str] = {}


def start_server(work: Path) -> Cluster:
    """initdb + start a cluster in ``work/pg`` (the work folder is made traversable for the server's user)."""
    work.chmod(0o755)
    cluster = Cluster(work / "pg", free_port())
    cluster.init()
    cluster.start(EXTRA)
    return cluster


def database(cluster: Cluster, name: str) -> str:
    import psycopg

    with psycopg.connect(f"postgresql://{USER}@127.0.0.1:{cluster.port}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://{USER}@127.0.0.1:{cluster.port}/{name}"


def size_mb(url: str) -> float:
    """Tables, their indexes and TOAST (what the database holds for tzsearch)."""
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'tz\\_%'")]
        row = conn.execute("SELECT " + " + ".join(f"pg_total_relation_size('{t}')" for t in tables)).fetchone()
    return round(int(row[0]) / 1e6, 1) if row else 0.0


def optimize(url: str) -> float:
    """``db optimize`` after the bulk import (repack the gram indexes, VACUUM ANALYZE); returns its seconds."""
    import psycopg

    from indexer.pg.schema import optimize as run

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        run(conn)
    return time.monotonic() - started


def server_pss_mb(cluster: Cluster) -> float:
    """Proportional set size of all the server's processes (shared buffers counted once)."""
    try:
        root = int((cluster.datadir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0
    pids = [root] + [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat") if _ppid(p) == root]
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def _ppid(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1
