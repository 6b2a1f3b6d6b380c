"""A throwaway PostgreSQL server on 127.0.0.1: ``make pg-up`` / ``make pg-down``, the tests and the bench.

``initdb`` writes a cluster into a folder (``var/pg`` for ``make pg-up``), which is started with ``pg_ctl`` on a
non-default port, listening on 127.0.0.1 only (no Unix socket), trusting local connections (it is a
development server: nothing but this machine can reach it). PostgreSQL refuses to run as root, so when we
are root the cluster belongs to an unprivileged user (``postgres`` where Debian's package created it, else
``nobody``) and its commands run through ``runuser``. A streaming replica is a second cluster made with
``pg_basebackup -R`` from a running primary (:meth:`Cluster.replica`).

    python -m indexer.pg.cluster up [--dir var/pg] [--port 54329]    # prints the database URL
    python -m indexer.pg.cluster down [--dir var/pg]
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path("var/pg")
DEFAULT_PORT = 54329
USER = "tzsearch"
DATABASE = "tzsearch"
#: Server settings of a throwaway cluster (sized for this 2-core, 24 GiB machine; see BENCHMARKS.md).
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "default_toast_compression": "lz4",
    "jit": "off",
}


class ClusterError(RuntimeError):
    """PostgreSQL is not installed here, or a server command failed (the message says which)."""


def find_bin(name: str) -> Path | None:
    """A PostgreSQL program: Debian's newest ``/usr/lib/postgresql/N/bin`` first, then PATH."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                         if p.parent.name.isdigit() else 0, reverse=True):
        if (folder / name).is_file():
            return folder / name
    found = shutil.which(name)
    return Path(found) if found else None


def installed() -> bool:
    return all(find_bin(n) for n in ("initdb", "pg_ctl", "postgres", "pg_basebackup"))


def _owner() -> str | None:
    """The unprivileged user that runs the server when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root and there is no 'postgres' or 'nobody' user to run PostgreSQL as")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """One local cluster: its folder and port."""

    datadir: Path
    port: int = DEFAULT_PORT

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, program: str, *args: str, timeout: float = 120) -> str:
        binary = find_bin(program)
        if binary is None:
            raise ClusterError(f"PostgreSQL's {program} is not installed (Debian: apt-get install postgresql)")
        cmd = [str(binary), *args]
        owner = _owner()
        if owner:
            cmd = ["runuser", "-u", owner, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")
        if proc.returncode != 0:
            raise ClusterError(f"{program} failed: {(proc.stderr or proc.stdout).strip()[-2000:]}")
        return proc.stdout

    def _own(self, path: Path) -> None:
        owner = _owner()
        if owner:
            entry = pwd.getpwnam(owner)
            for p in [path, *path.rglob("*")]:
                os.chown(p, entry.pw_uid, entry.pw_gid)

    def initialised(self) -> bool:
        return (self.datadir / "PG_VERSION").is_file()

    def init(self) -> None:
        """initdb (UTF-8, C locale, trust on 127.0.0.1) unless the folder already holds a cluster."""
        if self.initialised():
            return
        self.datadir.mkdir(parents=True, exist_ok=True)
        self.datadir.chmod(0o700)
        self._own(self.datadir)
        self._run("initdb", "-D", str(self.datadir.resolve()), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-instructions")

    def running(self) -> bool:
        try:
            self._run("pg_ctl", "status", "-D", str(self.datadir.resolve()), timeout=30)
            return True
        except ClusterError:
            return False

    def start(self, extra: dict[str, str] | None = None, timeout: int = 60) -> None:
        """Start the server (settings as -c options) and create the database if it is missing."""
        if self.running():
            return
        opts = {**SETTINGS, "port": str(self.port), **(extra or {})}
        options = " ".join(f"-c {k}={v!r}" if v == "" else f"-c {k}={v}" for k, v in opts.items())
        log = self.datadir.resolve() / "server.log"
        self._run("pg_ctl", "start", "-D", str(self.datadir.resolve()), "-l", str(log), "-w", "-t", str(timeout),
                  "-o", options, timeout=timeout + 30)
        self._create_database()

    def _create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(f"postgresql://{USER}@127.0.0.1:{self.port}/postgres", autocommit=True,
                                     connect_timeout=5) as conn:
                    if conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,):
                        return  # a standby: the database comes from its primary
                    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
                        conn.execute(f"CREATE DATABASE {DATABASE}")
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self, timeout: int = 60) -> None:
        if self.initialised() and self.running():
            self._run("pg_ctl", "stop", "-D", str(self.datadir.resolve()), "-m", "fast", "-w", "-t", str(timeout),
                      timeout=timeout + 30)

    def replica(self, datadir: Path, port: int) -> Cluster:
        """A streaming replica of this (running) cluster in ``datadir``, not yet started."""
        datadir.mkdir(parents=True, exist_ok=True)
        datadir.chmod(0o700)
        self._own(datadir)
        self._run("pg_basebackup", "-D", str(datadir.resolve()), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER,
                  "-X", "stream", "-R", "-c", "fast", timeout=600)
        return Cluster(datadir, port)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.pg.cluster",
                                     description="a throwaway PostgreSQL on 127.0.0.1 for tzsearch")
    parser.add_argument("action", choices=("up", "down", "url"))
    parser.add_argument("--dir", default=str(DEFAULT_DIR), help=f"cluster folder (default {DEFAULT_DIR})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    cluster = Cluster(Path(args.dir), args.port)
    try:
        if args.action == "up":
            cluster.init()
            cluster.start()
            print(f"PostgreSQL is up: {cluster.url}  (export TZSEARCH_DATABASE_URL={cluster.url})")
        elif args.action == "down":
            cluster.stop()
            print(f"PostgreSQL in {args.dir} is stopped")
        else:
            print(cluster.url)
    except (ClusterError, subprocess.TimeoutExpired) as exc:
        print(f"pg: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
