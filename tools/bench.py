"""``make bench``: what users get — import speed, index size, and the real server asked over HTTP.

1. Corpus: the shipped ``corpus/`` plus ``../shared/corpus/reports/`` when present, replicated with small
   seeded random character changes until it holds N sections, written as files.
2. Import through :func:`indexer.index.importer.import_paths` (decode, clean, section, index), using both
   cores (and once with one process unless ``--skip-single``), each in its own process so that its peak
   memory is its own.
3. Over HTTP (:mod:`tools.bench_http`): ``python -m webui`` with its default settings serves the index; the
   queries of :mod:`tools.bench_queries` (drawn from the indexed text: ≥ 200 exact wordings, random and
   common, and 100 keyword queries, plain and with a province, newest first) are sent one by one as the
   search page sends them (``group=document``): p50/p95/p99/max per kind and over all; PSS of all the
   server's processes; N concurrent HTTP clients; a commit of 1 % more sections under load, and when the
   server finds it.
4. A peer (:mod:`tools.bench_peer`): tantivy indexes the same normalised text with character bigrams and is
   asked the same exact wordings; the project's matching-and-counting step ÷ tantivy's, p50 and p95, for the
   random and the common wordings, measured in one process, results checked equal.
5. What issue 15 adds (:mod:`tools.bench_takeaway`): the cost of reuse detection at import on the index of
   ``../shared/corpus/reports/`` + ``corpus/``, and the memory of exporting 1,000 vs up to 100,000 rows.
6. A readable table, then one JSON line with every figure (every run's own: nothing is a best of several).

``--backend postgresql`` measures the database backend the same way, on a PostgreSQL server of the bench's
own (initdb in the work folder, the settings of ``indexer.pg.cluster``): the same import into a database, the
same server (``--database``) and requests; the size is the database's tables, indexes and TOAST, and the
database server's memory (PSS of all its processes) is reported beside the web server's
(:mod:`tools.bench_pg`). Steps 4 and 5 are measured on the embedded index only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import Any

from indexer.document import Document
from indexer.extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
_CJK = re.compile(r"[\u4e00-\u9fff]")


def commit_marker() -> str:
    """A wording found only in the files of one commit measurement (new for every run)."""
    digits = "零一二三四五六七八九"
    return "基准提交标记" + "".join(digits[int(c)] for c in f"{time.time_ns() % 10**8:08d}")


def rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def base_documents(shared: Path | None) -> list[Document]:
    """Extract the real documents the corpus is built from."""
    files = sorted((ROOT / "corpus").glob("*.txt"))
    if shared and (shared / "corpus" / "reports").is_dir():
        files += sorted((shared / "corpus" / "reports").glob("*.txt"))
    docs: list[Document] = []
    for f in files:
        docs.extend(extract_file(f).documents)
    return docs


def _mutate(text: str, rng: random.Random, pool: str) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 200)):
        i = rng.randrange(len(chars))
        if _CJK.match(chars[i]):
            chars[i] = rng.choice(pool)
    return "".join(chars)


def write_corpus(docs: list[Document], sections: int, folder: Path, seed: int = 42,
                 marker: str | None = None) -> tuple[int, float]:
    """Write replicated documents as text files until ``sections`` sections; returns (sections, text MB).
    With ``marker`` every file also carries that wording (the commit measurement looks for it)."""
    rng = random.Random(seed)
    pool = "".join(sorted({c for d in docs[:50] for s in d.sections for c in s.text if _CJK.match(c)}))
    written = 0
    text_bytes = 0
    copy = 0
    while written < sections:
        for n, doc in enumerate(docs):
            if written >= sections:
                break
            parts = []
            take = doc.sections[: sections - written]
            for s in take:
                text = s.text if copy == 0 and not marker else _mutate(s.text, rng, pool)
                parts.append(text)
                text_bytes += len(text.encode("utf-8"))
            title = doc.title or f"文档{n}"
            body = "\n".join(parts) + (f"\n{marker}。" if marker else "")
            (folder / f"c{copy:03}_{n:05}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
            written += len(take)
        copy += 1
    return written, text_bytes / 1e6


def _import_job(folder: str, index: str, procs: int, reuse: bool, queue: Any) -> None:
    from indexer.index.importer import import_paths
    from indexer.search.backends import is_database

    started = time.monotonic()
    summary = import_paths([Path(folder)], index if is_database(index) else Path(index), procs=procs, reuse=reuse)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    queue.put({"seconds": time.monotonic() - started, "sections": summary.sections,
               "rss_mb": max(rss_mb(), children)})


def _in_process(method: str, job: Any, *args: Any) -> dict[str, Any]:
    """Run ``job(*args, queue)`` in a fresh process (``method``: fork or spawn); returns what it put."""
    ctx = mp.get_context(method)
    queue = ctx.Queue()
    proc = ctx.Process(target=job, args=(*args, queue))  # type: ignore[attr-defined]
    proc.start()
    while True:  # a job that dies (an error, the OOM killer) ends the bench with its reason, never a hang
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not proc.is_alive():
                raise RuntimeError(f"the measurement process {job.__name__} ended without a result (exit code "
                                   f"{proc.exitcode}); its error is above") from None
    proc.join()
    return dict(result)


def run_import(folder: Path, index: Path | str, procs: int, reuse: bool = True) -> dict[str, Any]:
    """Import in a fresh process; returns its time, section count and peak memory."""
    return _in_process("fork", _import_job, str(folder), str(index), procs, reuse)


def dir_mb(path: Path) -> float:
    """Everything under ``path``: the Whoosh index and the derived search data."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def latency(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2), "max_ms": round(ordered[-1], 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench")
    parser.add_argument("--sections", type=int, default=100000)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--keep", help="build in this folder and keep it")
    parser.add_argument("--no-reuse", action="store_true",
                        help="import without shared-passage detection (measured apart on the real reports; the "
                             "replicated bench corpus, every document with many near copies, is its worst case)")
    parser.add_argument("--skip-single", action="store_true",
                        help="skip the one-process import (it only gives a comparison; slow at 1M sections)")
    parser.add_argument("--backend", choices=("whoosh", "postgresql"), default="whoosh")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (0: skip)")
    parser.add_argument("--load-seconds", type=float, default=20.0, help="length of the concurrent run")
    parser.add_argument("--commit-clients", type=int, default=2,
                        help="HTTP clients searching while the commit is imported")
    parser.add_argument("--no-peer", action="store_true", help="leave the tantivy peer out")
    parser.add_argument("--server-root", default=str(ROOT),
                        help="measure the server and importer of another checkout (with its .venv) on this index")
    parser.add_argument("--measure-only", action="store_true",
                        help="with --keep: measure the index a previous run kept there (no corpus, no import)")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tzbench-"))
    server = None
    try:
        print(f"bench: building {args.sections} sections in {work}", file=sys.stderr)
        docs = base_documents(shared if shared.is_dir() else None)
        corpus = work / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        if args.measure_only and args.keep and args.backend == "whoosh":
            sections, text_mb = _kept(work)
            targets: list[Path | str] = [work / "index2"]
            two, one = {"seconds": float("nan"), "rss_mb": float("nan")}, None
        else:
            sections, text_mb = write_corpus(docs, args.sections, corpus)
            targets, server = _targets(args.backend, work, args.skip_single)
            print("bench: importing", file=sys.stderr)
            two = run_import(corpus, targets[0], 2, not args.no_reuse)
            one = None if args.skip_single else run_import(corpus, targets[1], 1, not args.no_reuse)
            (work / "kept.json").write_text(json.dumps({"sections": sections, "text_mb": text_mb}))
        extra = work / "extra"
        shutil.rmtree(extra, ignore_errors=True)
        extra.mkdir()
        marker = commit_marker()
        extra_sections, extra_mb = write_corpus(docs, max(1, sections // 100), extra, seed=99, marker=marker)
        backend = _backend_figures(args.backend, targets[0], server)
        print("bench: the server over HTTP", file=sys.stderr)
        from tools.bench_http import measure

        http = measure(str(targets[0]), corpus, extra, marker, not args.no_reuse, args.clients, args.load_seconds,
                       args.commit_clients, Path(args.server_root))
        queries = http.pop("query_sets")
        peer = {}
        if args.backend == "whoosh" and not args.no_peer:
            print("bench: the tantivy peer", file=sys.stderr)
            peer = run_peer(targets[0], queries)
        from tools.bench_takeaway import export_memory, print_takeaway, reuse_overhead

        takeaway = ({**(reuse_overhead(ROOT, shared, work) or {"reuse_overhead_pct": None}),
                     **export_memory(work / "index2")} if args.backend == "whoosh" else {})
        if server is not None:  # after the searches and the concurrent run: the server's memory in use
            from tools.bench_pg import server_pss_mb

            backend["database_pss_mb"] = server_pss_mb(server)
        index_mb = backend.pop("index_mb", None) or round(dir_mb(work / "index2"), 1)
        figures = {
            "backend": args.backend, "sections": sections, "text_mb": round(text_mb, 2),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "import_mb_per_s": round(text_mb / two["seconds"], 3),
            "import_mb_per_s_1proc": round(text_mb / one["seconds"], 3) if one else None,
            "import_seconds": round(two["seconds"], 1),
            "import_seconds_1proc": round(one["seconds"], 1) if one else None,
            "index_mb": index_mb, "import_rss_mb": round(two["rss_mb"], 1),
            "commit_sections": extra_sections, "commit_mb": round(extra_mb, 2), **http, **backend, **peer,
            **takeaway,
        }
        print_table(figures)
        if takeaway:
            print_takeaway(figures)
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _kept(work: Path) -> tuple[int, float]:
    kept = json.loads((work / "kept.json").read_text())
    return int(kept["sections"]), float(kept["text_mb"])


def run_peer(index: Path | str, queries: dict[str, list[str]]) -> dict[str, Any]:
    """The tantivy peer over the bench's index, in a fresh process (its memory its own)."""
    from tools.bench_peer import peer_job

    groups = {"random": queries["exact_random"], "common": queries["exact_common"]}
    return _in_process("spawn", peer_job, str(index), groups)


def _targets(backend: str, work: Path, skip_single: bool) -> tuple[list[Path | str], Any]:
    """Where the two imports go (both cores, one process), and the server when there is one."""
    if backend == "whoosh":
        return [work / "index2", work / "index1"], None
    from tools import bench_pg

    server = bench_pg.start_server(work)
    return [bench_pg.database(server, "bench2"), "" if skip_single else bench_pg.database(server, "bench1")], server


def _backend_figures(backend: str, target: Path | str, server: Any) -> dict[str, Any]:
    if backend == "whoosh":
        return {}
    from tools import bench_pg

    imported = bench_pg.size_mb(str(target))
    seconds = bench_pg.optimize(str(target))
    return {"index_mb": bench_pg.size_mb(str(target)), "index_mb_before_optimize": imported,
            "optimize_seconds": round(seconds, 1)}


def print_table(f: dict[str, Any]) -> None:
    load = " ".join(str(x) for x in f["load_average"])
    print(f"sections {f['sections']}, text {f['text_mb']} MB; load average at the end {load}")
    single = (f"{f['import_mb_per_s_1proc']} MB/s with 1 ({f['import_seconds_1proc']} s)"
              if f["import_mb_per_s_1proc"] else "one-process import skipped")
    print(f"import: {f['import_mb_per_s']} MB/s with 2 processes ({f['import_seconds']} s), {single}; "
          f"index + derived data {f['index_mb']} MB ({f['index_mb'] / max(f['text_mb'], 1e-9):.2f}x text); "
          f"import peak RSS {f['import_rss_mb']} MB")
    print(f"server: {f['server_workers']} workers ready {f['open_seconds']} s after start; PSS of its processes "
          f"{f['server_pss_mb']} MB (RSS {f['server_rss_mb']} MB)")
    if f.get("database_pss_mb") is not None:
        print(f"PostgreSQL: server PSS {f['database_pss_mb']} MB; db optimize after the import "
              f"{f['optimize_seconds']} s (database {f['index_mb_before_optimize']} MB before, {f['index_mb']} after)")
    print(f"HTTP, one client, group=document ({', '.join(f'{k} {v}' for k, v in f['queries'].items())} requests):")
    print(f"  {'kind':<14}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, k in f["http"].items():
        print(f"  {kind:<14}{k['p50_ms']:>9}{k['p95_ms']:>9}{k['p99_ms']:>9}{k['max_ms']:>9}")
    if f.get("concurrent"):
        c = f["concurrent"]
        print(f"concurrent: {c['clients']} HTTP clients, {c['per_second']} searches/s over {c['seconds']} s "
              f"(p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, errors {c['errors']})")
    print(f"commit of {f['commit_sections']} sections ({f['commit_mb']} MB) while {f['commit_clients']} clients "
          f"search: served {f['commit_visible_s']} s after the import started (import took {f['commit_import_s']} s); "
          f"requests meanwhile: p95 {f['commit_requests_p95_ms']} ms, slowest {f['commit_max_request_ms']} ms, "
          f"{f['commit_requests']} in all")
    if f.get("peer"):
        print(f"peer: tantivy built {f['peer_mb_per_s']} MB/s ({f['peer_build_s']} s), {f['peer_index_mb']} MB, "
              f"{f['peer_segments']} segments; matching and counting, project / tantivy:")
        for group in ("random", "common"):
            g = f["peer"][group]
            print(f"  {group:<8} p50 {g['project_p50_ms']} / {g['tantivy_p50_ms']} ms = {g['ratio_p50']}x, "
                  f"p95 {g['project_p95_ms']} / {g['tantivy_p95_ms']} ms = {g['ratio_p95']}x ({g['queries']} queries)")
        bad = f["peer"]["mismatches"]
        print(f"  results equal: {'yes' if not bad else 'NO: ' + '; '.join(bad[:5])}")


if __name__ == "__main__":
    raise SystemExit(main())
