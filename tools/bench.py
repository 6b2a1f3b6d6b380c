"""``make bench``: import speed, index size, memory and search latency, measured through the real code.

1. Corpus: the shipped ``corpus/`` plus ``../shared/corpus/reports/`` when present, replicated with small
   seeded random character changes until it holds N sections, written as files.
2. Import through :func:`indexer.index.store.import_paths` (decode, clean, section, index), once with one process
   and once using both cores; each in its own process so its peak memory is its own.
3. In a fresh process (``tools.bench_search``): open the index cold; a fixed, seeded query set through
   :meth:`indexer.search.service.SearchService.search` (the function the API calls, facets and 10
   highlighted hits included): exact wording of lengths 1–12 (common and rare), one-character wording,
   keyword queries ranked by BM25 over all matches, a facet filter, and sorting by date; the same exact
   queries as a brute-force scan over the normalised texts (a ratio that stays comparable on a noisy
   machine); resident memory (RSS, and PSS, which counts shared memory-mapped pages once).
4. A commit of 1 % more sections by a separate import process while a client thread keeps searching: the
   time until the served index finds the new wording, and the slowest request meanwhile.
5. What issue 15 adds (:mod:`tools.bench_takeaway`): the cost of reuse detection at import on the index of
   ``../shared/corpus/reports/`` + ``corpus/``, and the memory of exporting 1,000 vs up to 100,000 rows.
6. Concurrent-search throughput: 8 client processes (``--clients``), each with its own backend on the index,
   run the keyword and common exact queries together for ``--load-seconds`` (:mod:`tools.bench_load`).
7. A readable table, then one JSON line with every figure.

``--backend postgresql`` measures the database backend the same way, on a PostgreSQL server of the bench's
own (initdb in the work folder, the settings of ``indexer.pg.cluster``): the same import function into a
database, then the same search process; the size is the database's tables, indexes and TOAST, and the
server's memory (PSS of all its processes) is reported beside the client's (:mod:`tools.bench_pg`). Step 5
is measured on the embedded index only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
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
KINDS = ("exact", "exact_rare", "exact_1char", "keyword", "filtered", "by_date")
KEYWORDS = ["统一战线", "民营经济", "两个健康", "党外人士", "民主党派", "宗教中国化", "新的社会阶层人士",
            "统战部 工作", "改革 发展", "经济 增长", "人民 生活", "乡村振兴", "疫情防控", "中华民族共同体意识",
            "政治协商 制度", "科技创新", "生态文明", "国家 安全", "社会主义 现代化", "港澳台 侨务"]


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


def query_set(norm_texts: list[str], seed: int = 7) -> dict[str, list[str]]:
    """Seeded queries: common and rare exact wording of lengths 1–12, and keyword queries."""
    rng = random.Random(seed)
    grams: Counter[str] = Counter()
    for t in rng.sample(norm_texts, min(3000, len(norm_texts))):
        for i in range(0, len(t) - 4, 7):
            grams[t[i:i + 4]] += 1
    common = [g for g, _ in grams.most_common(400) if _CJK.match(g[0])]
    exact, rare = [], []
    for length in range(1, 13):
        for _ in range(4):
            base = rng.choice(common)
            exact.append((base * 3)[:length] if length > 4 else base[:length])
            text = rng.choice(norm_texts)
            if len(text) > length + 1:
                start = rng.randrange(len(text) - length)
                rare.append(text[start:start + length])
    return {"exact": exact, "exact_rare": rare, "keyword": KEYWORDS}


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def latency(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2), "max_ms": round(ordered[-1], 2)}


def run_search(index: Path | str, extra: Path, marker: str, reuse: bool = True) -> dict[str, Any]:
    """Search figures from a fresh process (cold open), then the commit measurement."""
    from tools.bench_search import search_job

    return _in_process("spawn", search_job, str(index), str(extra), marker, reuse)


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
    parser.add_argument("--clients", type=int, default=8, help="concurrent search clients (0: skip)")
    parser.add_argument("--load-seconds", type=float, default=20.0, help="length of the concurrent run")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tzbench-"))
    server = None
    try:
        print(f"bench: building {args.sections} sections in {work}", file=sys.stderr)
        docs = base_documents(shared if shared.is_dir() else None)
        corpus = work / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        sections, text_mb = write_corpus(docs, args.sections, corpus)
        targets, server = _targets(args.backend, work, args.skip_single)
        two = run_import(corpus, targets[0], 2, not args.no_reuse)
        one = None if args.skip_single else run_import(corpus, targets[1], 1, not args.no_reuse)
        extra = work / "extra"
        extra.mkdir(exist_ok=True)
        marker = commit_marker()
        extra_sections, extra_mb = write_corpus(docs, max(1, sections // 100), extra, seed=99, marker=marker)
        backend = _backend_figures(args.backend, targets[0], server)
        search = run_search(targets[0], extra, marker, not args.no_reuse)
        from tools.bench_takeaway import export_memory, print_takeaway, reuse_overhead

        takeaway = ({**(reuse_overhead(ROOT, shared, work) or {"reuse_overhead_pct": None}),
                     **export_memory(work / "index2")} if args.backend == "whoosh" else {})
        load = _load(targets[0], docs, args.clients, args.load_seconds)
        if server is not None:  # after the searches and the concurrent run: the server's memory in use
            from tools.bench_pg import server_pss_mb

            backend["server_pss_mb"] = server_pss_mb(server)
        index_mb = backend.pop("index_mb", None) or round(dir_mb(work / "index2"), 1)
        figures = {
            "backend": args.backend, "sections": sections, "text_mb": round(text_mb, 2),
            "import_mb_per_s": round(text_mb / two["seconds"], 3),
            "import_mb_per_s_1proc": round(text_mb / one["seconds"], 3) if one else None,
            "import_seconds": round(two["seconds"], 1),
            "import_seconds_1proc": round(one["seconds"], 1) if one else None,
            "index_mb": index_mb, "import_rss_mb": round(two["rss_mb"], 1),
            "commit_sections": extra_sections, "commit_mb": round(extra_mb, 2), **search, **backend, **takeaway,
            "concurrent": load,
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


def _load(target: Path | str, docs: list[Document], clients: int, seconds: float) -> dict[str, Any] | None:
    """Throughput of ``clients`` concurrent search processes over the keyword and common exact queries."""
    if clients <= 0:
        return None
    from indexer.text.normalize import normalize
    from tools.bench_load import throughput

    texts = [normalize("".join(s.text for s in d.sections)) for d in docs[:200]]
    common = [g for g in query_set(texts)["exact"] if len(g) > 1]
    queries = [(q, "keyword") for q in KEYWORDS] + [(q, "exact") for q in common]
    return throughput(str(target), queries, clients, seconds)


def print_table(f: dict[str, Any]) -> None:
    print(f"sections {f['sections']}, text {f['text_mb']} MB")
    single = (f"{f['import_mb_per_s_1proc']} MB/s with 1 ({f['import_seconds_1proc']} s)"
              if f["import_mb_per_s_1proc"] else "one-process import skipped")
    print(f"import: {f['import_mb_per_s']} MB/s with 2 processes ({f['import_seconds']} s), {single}; "
          f"index + derived data {f['index_mb']} MB ({f['index_mb'] / max(f['text_mb'], 1e-9):.2f}x text); "
          f"import peak RSS {f['import_rss_mb']} MB")
    print(f"search: cold open {f['open_seconds']} s, RSS {f['search_rss_mb']} MB (PSS {f['search_pss_mb']} MB), "
          f"scan/index ratio {f['scan_ratio']}")
    print(f"commit of {f['commit_sections']} sections ({f['commit_mb']} MB): served {f['commit_visible_s']} s "
          f"after the import started (import took {f['commit_import_s']} s); requests meanwhile: p95 "
          f"{f['commit_requests_p95_ms']} ms, slowest {f['commit_max_request_ms']} ms, {f['commit_requests']} in all")
    if f.get("server_pss_mb") is not None:
        print(f"PostgreSQL: server PSS {f['server_pss_mb']} MB; db optimize after the import "
              f"{f['optimize_seconds']} s (database {f['index_mb_before_optimize']} MB before, {f['index_mb']} after)")
    if f.get("concurrent"):
        c = f["concurrent"]
        print(f"concurrent: {c['clients']} clients, {c['per_second']} searches/s over {c['seconds']} s "
              f"(p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms)")
    print(f"{'kind':<12}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind in KINDS:
        k = f[kind]
        print(f"{kind:<12}{k['p50_ms']:>10}{k['p95_ms']:>10}{k['max_ms']:>10}")


if __name__ == "__main__":
    raise SystemExit(main())
