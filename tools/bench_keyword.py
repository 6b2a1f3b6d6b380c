"""Keyword search latency of two checkouts on one index, in process, interleaved: what a ranking change costs.

    .venv/bin/python -m tools.bench_keyword --index INDEX --corpus CORPUS --root /tmp/before --root . [--rounds 3]

INDEX and CORPUS are those of a kept bench run (``python -m tools.bench --keep WORK``: WORK/index2 and
WORK/corpus). The keyword queries are the bench's (:func:`tools.bench_queries.keyword_queries`, drawn from the
corpus). Each checkout runs in a process of its own ``.venv`` importing its own ``indexer`` (the search API
both share: :func:`indexer.search.backends.open_backend` and ``SearchParams``), kept open for the whole run;
after one untimed pass over the queries (the index's files in the page cache, the segmenter loaded), every
query is searched (page 1 of 10, grouped by section and by document) by each checkout in turn, one search
at a time, ``--rounds`` times, and timed inside the worker: other load on the machine weighs on both alike.
Per checkout and group: p50 and p95 over every timed search, and the ratio to the first checkout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

from tools.bench_queries import keyword_queries, sample_lines

#: Run in each checkout's own interpreter (cwd: the checkout): the index on the first line of stdin, then one
#: JSON line [query, group] per search; answers the time in ms of each (a line), "ready" after opening.
WORKER = """
import json, sys, time
from indexer.search.backends import open_backend
from indexer.search.service import SearchParams
svc = open_backend(sys.stdin.readline().strip())
print("ready", flush=True)
for line in sys.stdin:
    q, g = json.loads(line)
    t = time.perf_counter()
    svc.search(SearchParams(q=q, mode="keyword", group=g))
    print((time.perf_counter() - t) * 1000, flush=True)
svc.close()
"""
GROUPS = ("section", "document")


class Worker:
    """One checkout's searching process."""

    def __init__(self, root: Path, index: Path) -> None:
        self.root = root
        self.proc = subprocess.Popen([str(root / ".venv" / "bin" / "python"), "-c", WORKER], cwd=root, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.stdin.write(f"{index}\n")
        self.stdin.flush()
        if self.stdout.readline().strip() != "ready":
            raise SystemExit(f"{root}: the worker did not start")

    def search(self, q: str, group: str) -> float:
        self.stdin.write(json.dumps([q, group], ensure_ascii=False) + "\n")
        self.stdin.flush()
        answer = self.stdout.readline()
        if not answer:
            raise SystemExit(f"{self.root}: the worker stopped")
        return float(answer)

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait(60)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench_keyword", description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--root", type=Path, action="append", required=True, help="a checkout with its .venv")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args(argv)
    queries = keyword_queries(sample_lines(args.corpus), args.queries)
    roots = [r.resolve() for r in args.root]
    samples: dict[Path, dict[str, list[float]]] = {r: {g: [] for g in GROUPS} for r in roots}
    workers = [Worker(r, args.index.resolve()) for r in roots]
    try:
        for w in workers:  # untimed: the page cache, the segmenter
            for q in queries:
                for g in GROUPS:
                    w.search(q, g)
        for i in range(max(1, args.rounds)):
            for q in queries:
                for g in GROUPS:
                    for w in workers if i % 2 == 0 else workers[::-1]:
                        samples[w.root][g].append(w.search(q, g))
    finally:
        for w in workers:
            w.close()
    figures = {}
    for root in roots:
        figures[str(root)] = {g: {"p50_ms": round(statistics.median(v), 2), "p95_ms": round(percentile(v, 0.95), 2),
                                  "n": len(v)} for g, v in samples[root].items()}
    base = figures[str(roots[0])]
    print(f"{'checkout':40} {'group':9} {'p50 ms':>8} {'p95 ms':>8} {'p50 ×':>6} {'p95 ×':>6}")
    for root in roots:
        for g, f in figures[str(root)].items():
            print(f"{str(root)[-40:]:40} {g:9} {f['p50_ms']:8.2f} {f['p95_ms']:8.2f} "
                  f"{f['p50_ms'] / base[g]['p50_ms']:6.2f} {f['p95_ms'] / base[g]['p95_ms']:6.2f}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
