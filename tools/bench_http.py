"""What users get: the real server (``python -m webui`` with its default settings) asked over HTTP.

* the server is started as an operator starts it (default workers and threads), on 127.0.0.1 and a free
  port; "open" is the time until every worker says it is ready;
* each query of :mod:`tools.bench_queries` is sent once, one after another, on one keep-alive connection, as
  the search page sends it (``group=document``, the site's default): exact random, exact common, keyword,
  and keyword + the most frequent province + newest first; p50/p95/p99/max per kind and over all of them;
* memory: PSS summed over the server's processes (a page shared by the workers counted once), after the
  queries;
* N clients (threads with a connection each) send the mixed queries for a fixed time: searches per second
  and the latency each saw;
* a commit under load: clients keep searching while ``python -m indexer import`` adds 1 % more sections;
  how long until the server finds the commit's wording, and the clients' latency meanwhile.
Every figure of every run is written; nothing is a best of several.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tools.bench import ROOT, latency

#: Kinds of request, in the order the table prints them.
KINDS = ("exact_random", "exact_common", "keyword", "filtered")


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max (ms) of ``samples`` (nearest rank)."""
    if not samples:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(samples)

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 2)

    return {"n": len(ordered), "p50_ms": rank(0.5), "p95_ms": rank(0.95), "p99_ms": rank(0.99),
            "max_ms": round(ordered[-1], 2)}


class Server:
    """``python -m webui`` serving ``target`` with its defaults (stopped by :meth:`stop`)."""

    def __init__(self, target: str, root: Path = ROOT) -> None:
        flag = "--database" if target.startswith(("postgres://", "postgresql://")) else "--index"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TZSEARCH_")}
        python = sys.executable if root == ROOT else str(root / ".venv" / "bin" / "python")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([python, "-u", "-m", "webui", flag, target, "--port", "0"], cwd=root,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     encoding="utf-8", errors="replace")
        self.lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        m = self._wait(r"serving .* on http://127\.0\.0\.1:(\d+)/ \((\d+) workers?", 300)
        self.port, self.workers = int(m.group(1)), int(m.group(2))
        self._wait_ready(self.workers, 600)
        self.open_seconds = round(time.monotonic() - self.started, 2)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def _wait(self, pattern: str, timeout: float) -> re.Match[str]:
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if m := rx.search(line):
                        return m
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the server did not start:\n" + "\n".join(self.lines[-20:]))
                self._cond.wait(0.5)

    def _wait_ready(self, workers: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while sum(" ready" in line for line in self.lines) < workers:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the server's workers did not start:\n" + "\n".join(self.lines[-20:]))
                self._cond.wait(0.5)

    def pids(self) -> list[int]:
        """The server's processes: the one started and its descendants."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += children.get(pid, [])
        return out

    def pss_mb(self) -> dict[str, float]:
        """PSS and RSS summed over the server's processes (MB)."""
        pss = rss = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
            except OSError:
                continue
        return {"server_pss_mb": round(pss / 1024, 1), "server_rss_mb": round(rss / 1024, 1)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class Client:
    """One keep-alive HTTP connection to the server (reconnects when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, body
            except (ConnectionError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        status, body = self.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}: {body[:200]!r}")
        return elapsed


def search_path(q: str, mode: str, **extra: str) -> str:
    return "/api/search?" + urlencode({"q": q, "mode": mode, "group": "document", **extra})


def requests(queries: dict[str, list[str]], province: str | None) -> dict[str, list[str]]:
    """The request paths of each kind."""
    filtered = {"sort": "newest", **({"province": province} if province else {})}
    return {"exact_random": [search_path(q, "exact") for q in queries["exact_random"]],
            "exact_common": [search_path(q, "exact") for q in queries["exact_common"]],
            "keyword": [search_path(q, "keyword") for q in queries["keyword"]],
            "filtered": [search_path(q, "keyword", **filtered) for q in queries["keyword"]]}


def top_province(client: Client) -> str | None:
    import json

    status, body = client.get("/api/stats")
    values = [f["value"] for f in json.loads(body).get("facets", {}).get("province", []) if f.get("value")]
    return values[0] if status == 200 and values else None


def sequential(client: Client, paths: dict[str, list[str]]) -> dict[str, Any]:
    """Each request once, one after another (kinds interleaved, so that other load weighs on all alike)."""
    samples: dict[str, list[float]] = {k: [] for k in paths}
    longest = max(len(v) for v in paths.values())
    for i in range(longest):
        for kind, items in paths.items():
            if i < len(items):
                samples[kind].append(client.timed(items[i]))
    out: dict[str, Any] = {kind: percentiles(v) for kind, v in samples.items()}
    out["all"] = percentiles([x for v in samples.values() for x in v])
    return out


def _hammer(port: int, paths: list[str], offset: int, stop: threading.Event, out: list[float],
            errors: list[str]) -> None:
    client = Client(port)
    i = offset
    while not stop.is_set():
        try:
            out.append(client.timed(paths[i % len(paths)]))
        except Exception as exc:  # counted and reported, never silently dropped
            errors.append(str(exc)[:200])
        i += 1


class Load:
    """``clients`` threads sending ``paths`` (from different offsets) until stopped."""

    def __init__(self, port: int, paths: list[str], clients: int) -> None:
        self.stop_event = threading.Event()
        self.samples: list[float] = []
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=_hammer, daemon=True, args=(
            port, paths, k * len(paths) // max(clients, 1), self.stop_event, self.samples, self.errors))
            for k in range(clients)]
        self.started = time.monotonic()
        for t in self.threads:
            t.start()

    def stop(self) -> dict[str, Any]:
        self.stop_event.set()
        for t in self.threads:
            t.join(180)
        seconds = time.monotonic() - self.started
        return {"clients": len(self.threads), "seconds": round(seconds, 1), "searches": len(self.samples),
                "per_second": round(len(self.samples) / max(seconds, 1e-9), 1), "errors": len(self.errors),
                **{k: v for k, v in percentiles(self.samples).items() if k != "n"}}


def concurrent(port: int, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    load = Load(port, paths, clients)
    time.sleep(seconds)
    return load.stop()


def commit_under_load(server: Server, paths: list[str], clients: int, target: str, extra: Path, marker: str,
                      reuse: bool, root: Path = ROOT) -> dict[str, Any]:
    """Import ``extra`` while ``clients`` keep searching; when does the server find ``marker``?"""
    load = Load(server.port, paths, clients)
    probe = Client(server.port)
    flag = "--database" if target.startswith(("postgres://", "postgresql://")) else "--index"
    started = time.monotonic()
    python = sys.executable if root == ROOT else str(root / ".venv" / "bin" / "python")
    command = [python, "-m", "indexer", "import", str(extra), flag, target, "--procs", "2"]
    proc = subprocess.Popen(command + ([] if reuse else ["--no-reuse"]), cwd=root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    visible = imported = None
    deadline = started + 3600
    path = "/api/search?" + urlencode({"q": f'"{marker}"', "per_page": 1})
    import json

    while time.monotonic() < deadline:
        if imported is None and proc.poll() is not None:
            imported = time.monotonic() - started
            if proc.returncode != 0:
                raise RuntimeError(f"the commit's import failed: {proc.stderr.read() if proc.stderr else ''}")
        status, body = probe.get(path)
        if status == 200 and json.loads(body)["total"]:
            visible = time.monotonic() - started
            break
        time.sleep(0.05)
    proc.wait()
    imported = imported if imported is not None else time.monotonic() - started
    during = load.stop()
    return {"commit_visible_s": round(visible, 2) if visible is not None else None,
            "commit_import_s": round(imported, 2), "commit_clients": clients,
            "commit_requests": during["searches"], "commit_requests_p95_ms": during["p95_ms"],
            "commit_max_request_ms": during["max_ms"]}


def measure(target: str, corpus: Path, extra: Path, marker: str, reuse: bool, clients: int,
            load_seconds: float, commit_clients: int, root: Path = ROOT) -> dict[str, Any]:
    """Every HTTP figure of the bench (see the module docstring); ``root``: the checkout whose server (and
    importer) is measured, with its own ``.venv`` (this one by default: comparing two versions on one index)."""
    from tools.bench_queries import query_sets

    queries = query_sets(corpus)
    server = Server(target, root)
    try:
        client = Client(server.port)
        paths = requests(queries, top_province(client))
        figures: dict[str, Any] = {"server_workers": server.workers, "open_seconds": server.open_seconds,
                                   "queries": {k: len(v) for k, v in paths.items()}}
        figures["http"] = sequential(client, paths)
        figures.update(server.pss_mb())
        mixed = [p for kind in KINDS for p in paths[kind]]
        if clients > 0:
            figures["concurrent"] = concurrent(server.port, mixed, clients, load_seconds)
        figures.update(commit_under_load(server, mixed, commit_clients, target, extra, marker, reuse, root))
        figures["query_sets"] = queries
        return figures
    finally:
        server.stop()


__all__ = ["KINDS", "Server", "latency", "measure", "percentiles"]
