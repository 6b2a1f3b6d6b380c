"""Concurrent-search throughput: N client processes, each with its own backend on the same index (an index
folder, memory-mapped and shared, or a database, one connection each), run the bench's query mix through
the function the API calls for a fixed time, all starting together. See :mod:`tools.bench`."""

from __future__ import annotations

import multiprocessing as mp
import time
from typing import Any

from tools.bench import latency


def _client(target: str, queries: list[tuple[str, str]], offset: int, seconds: float, barrier: Any,
            queue: Any) -> None:
    from indexer.search.backends import open_backend
    from indexer.search.service import SearchParams

    backend = open_backend(target)
    backend.search(SearchParams(q=queries[0][0], mode=queries[0][1]))  # opened and warm before the clock starts
    barrier.wait(timeout=600)
    samples: list[float] = []
    deadline = time.monotonic() + seconds
    i = offset
    while time.monotonic() < deadline:
        q, mode = queries[i % len(queries)]
        started = time.perf_counter()
        backend.search(SearchParams(q=q, mode=mode))
        samples.append((time.perf_counter() - started) * 1000)
        i += 1
    backend.close()
    queue.put(samples)


def throughput(target: str, queries: list[tuple[str, str]], clients: int = 8, seconds: float = 20.0) -> dict[str, Any]:
    """Searches per second of ``clients`` processes together, and the latency each search saw meanwhile."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(clients + 1)
    queue = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(target, queries, k * 7, seconds, barrier, queue))
             for k in range(clients)]
    for p in procs:
        p.start()
    barrier.wait(timeout=600)
    samples: list[float] = []
    for _ in procs:
        samples += queue.get(timeout=seconds + 600)
    for p in procs:
        p.join(timeout=60)
    return {"clients": clients, "seconds": seconds, "searches": len(samples),
            "per_second": round(len(samples) / seconds, 1), **latency(samples)}
