"""The search side of ``make bench``, run in a fresh process: cold open, latencies, memory, and a commit
measured while a client keeps searching — on an index folder or a database (the same calls through
:func:`indexer.search.backends.open_backend`). See :mod:`tools.bench`."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from indexer.search.backends import is_database
from tools.bench import KEYWORDS, ROOT, _timed, latency, query_set, rss_mb


def pss_mb() -> float:
    """Proportional set size: shared pages (the memory-mapped index) divided among the processes mapping them."""
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return -1.0


def _texts(gen: Any, sample: int | None = None) -> list[str]:
    """Normalised section texts (all, or a seeded sample of them)."""
    where = [(p, i) for p in gen.parts for i in range(p.part.sections)]
    if sample is not None and len(where) > sample:
        where = random.Random(3).sample(where, sample)
    return [bytes(p.part.text[int(p.part.starts[i]):int(p.part.starts[i + 1])]).decode("utf-8") for p, i in where]


def _probes(service: Any, index: str) -> tuple[Any, Any]:
    """(indexed exact lookup, a function giving the normalised section texts — all, or a sample) of a backend."""
    if is_database(index):
        from tools import bench_pg

        return bench_pg.exact_lookup(index), lambda sample=None: bench_pg.texts(index, sample)
    from indexer.search.exact import Budget, exact_mask
    from indexer.text.normalize import normalize

    gen, _ = service.live.current()
    return (lambda q: exact_mask(gen, normalize(q), Budget())), lambda sample=None: _texts(gen, sample)


def _scan_ratio(lookup: Any, texts: Any, queries: dict[str, list[str]]) -> float:
    """Brute-force scan of every normalised section text ÷ the indexed exact lookup, same queries."""
    norm = texts()
    scan_ms = index_ms = 0.0
    for q in queries["exact"] + queries["exact_rare"]:
        index_ms += _timed(lambda q=q: lookup(q))
        scan_ms += _timed(lambda q=q: [i for i, t in enumerate(norm) if q in t])
    return round(scan_ms / max(index_ms, 1e-6), 1)


def _latencies(service: Any, norm: list[str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    from indexer.search.service import SearchParams

    queries = query_set(norm)
    chars = Counter(c for t in random.Random(5).sample(norm, min(500, len(norm))) for c in t[:200])
    singles = [c for c, _ in chars.most_common(40)][::2] + [c for c, _ in chars.most_common()[-40:]][::2]
    provinces = [str(b.value) for b in service.search(SearchParams(q="")).facets["province"] if b.value]
    province = provinces[0] if provinces else None
    kinds: dict[str, list[float]] = {k: [] for k in ("exact", "exact_rare", "exact_1char", "keyword", "filtered",
                                                     "by_date")}
    for kind in ("exact", "exact_rare"):
        for q in queries[kind]:
            params = SearchParams(q=f'"{q}"' if '"' not in q else q, mode="exact")
            kinds[kind].append(_timed(lambda p=params: service.search(p)))
    for c in singles:
        kinds["exact_1char"].append(_timed(lambda c=c: service.search(SearchParams(q=c, mode="exact"))))
    for q in KEYWORDS:
        kinds["keyword"].append(_timed(lambda q=q: service.search(SearchParams(q=q))))
        kinds["filtered"].append(_timed(
            lambda q=q: service.search(SearchParams(q=q, province=province))))
        kinds["by_date"].append(_timed(lambda q=q: service.search(SearchParams(q=q, sort="newest"))))
    return {k: latency(v) for k, v in kinds.items()}, queries


def _commit(service: Any, index: str, extra: str, marker: str, reuse: bool) -> dict[str, Any]:
    """Import ``extra`` in another process while a client thread searches; when is ``marker`` served?"""
    from indexer.search.service import SearchParams

    stop = threading.Event()
    slowest: list[float] = []

    def client() -> None:
        while not stop.is_set():
            slowest.append(_timed(lambda: service.search(SearchParams(q="统一战线 发展"))))

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    started = time.monotonic()
    where = ["--database" if is_database(index) else "--index", index]
    command = [sys.executable, "-m", "indexer", "import", extra, *where, "--procs", "2"]
    proc = subprocess.Popen(command + ([] if reuse else ["--no-reuse"]),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    visible = imported = None
    deadline = started + 3600
    while time.monotonic() < deadline:
        if imported is None and proc.poll() is not None:
            imported = time.monotonic() - started
        if service.search(SearchParams(q=f'"{marker}"', per_page=1)).total:
            visible = time.monotonic() - started
            break
        time.sleep(0.05)
    proc.wait()
    imported = imported if imported is not None else time.monotonic() - started
    stop.set()
    thread.join(timeout=10)
    return {"commit_visible_s": round(visible, 2) if visible is not None else None,
            "commit_import_s": round(imported, 2), "commit_requests": len(slowest),
            "commit_max_request_ms": round(max(slowest), 1) if slowest else None,
            "commit_requests_p95_ms": latency(slowest)["p95_ms"] if slowest else None}


def search_job(index: str, extra: str, marker: str, reuse: bool, queue: Any) -> None:
    from indexer.search.backends import open_backend

    started = time.monotonic()
    service = open_backend(index if is_database(index) else Path(index))
    if not is_database(index):
        service.live.current()  # type: ignore[attr-defined]
    open_seconds = time.monotonic() - started
    lookup, texts = _probes(service, index)
    figures, queries = _latencies(service, texts(3000))
    # memory of a serving process that has answered every kind of query (before the scan loads all texts)
    figures.update(open_seconds=round(open_seconds, 2), search_rss_mb=round(rss_mb(), 1), search_pss_mb=pss_mb())
    figures.update(_commit(service, index, extra, marker, reuse))
    lookup, texts = _probes(service, index)  # the generation that serves the commit
    figures["scan_ratio"] = _scan_ratio(lookup, texts, queries)
    service.close()
    queue.put(figures)
