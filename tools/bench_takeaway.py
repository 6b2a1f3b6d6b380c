"""The take-away side of ``make bench``: what reuse detection adds to an import, and export memory.

1. Reuse overhead, on the index of ``../shared/corpus/reports/`` + ``corpus/`` (the corpus issue 15 names):
   the same import with and without reuse detection (``import_paths(reuse=...)``), each in a fresh process,
   wall-clock and CPU seconds (the process and its workers); and the detection alone, run again over the
   finished index (``update_reuse(full=True)``), with the pairs and spans it found.
2. Export memory, on the bench's own index: every hit of a common one-character wording exported as CSV
   rows through :meth:`SearchService.iter_hits` (what ``/api/export`` streams), once capped at 1,000 rows
   and once at ``EXPORT_ROWS``, each in a fresh process; peak resident memory of each, and rows per second.
   Flat memory means the two peaks are close although one run writes many times more rows.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any

EXPORT_ROWS = 100_000
EXPORT_QUERY = "的"


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _in_child(target: Any, *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return dict(result)


def _import(folders: list[str], index: str, reuse: bool, queue: Any) -> None:
    from indexer.index.importer import import_paths

    cpu, started = _cpu(), time.monotonic()
    summary = import_paths([Path(f) for f in folders], Path(index), procs=2, reuse=reuse)
    queue.put({"seconds": time.monotonic() - started, "cpu": _cpu() - cpu, "documents": summary.documents})


def _detect(index: str, queue: Any) -> None:
    from indexer.reuse.update import update_reuse

    cpu = _cpu()
    s = update_reuse(Path(index), full=True)
    queue.put({"seconds": s.seconds, "cpu": _cpu() - cpu, "documents": s.documents, "pairs": s.pairs})


def reuse_overhead(root: Path, shared: Path, work: Path) -> dict[str, Any] | None:
    """Import time with and without reuse detection on reports + corpus (None without ../shared)."""
    reports = shared / "corpus" / "reports"
    if not reports.is_dir():
        return None
    folders = [str(root / "corpus"), str(reports)]
    without = _in_child(_import, folders, str(work / "reuse_without"), False)
    with_reuse = _in_child(_import, folders, str(work / "reuse_with"), True)
    alone = _in_child(_detect, str(work / "reuse_without"))
    for name in ("reuse_without", "reuse_with"):
        shutil.rmtree(work / name, ignore_errors=True)
    return {
        "reuse_documents": alone["documents"], "reuse_pairs": alone["pairs"],
        "reuse_import_s": round(with_reuse["seconds"], 2), "reuse_import_without_s": round(without["seconds"], 2),
        "reuse_import_cpu_s": round(with_reuse["cpu"], 2), "reuse_import_without_cpu_s": round(without["cpu"], 2),
        "reuse_detect_s": round(alone["seconds"], 2), "reuse_detect_cpu_s": round(alone["cpu"], 2),
        "reuse_overhead_pct": round(100 * alone["seconds"] / without["seconds"], 1),
        "reuse_overhead_wall_pct": round(100 * (with_reuse["seconds"] / without["seconds"] - 1), 1),
    }


def _export(index: str, limit: int, queue: Any) -> None:
    from indexer.search.export import csv_chunks, rows
    from indexer.search.service import SearchParams, SearchService, highlight_terms

    service = SearchService(Path(index))
    params = SearchParams(q=EXPORT_QUERY, mode="exact")
    service.search(params)  # warm: segmenter, mapped pages
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, count = time.monotonic(), 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for rec in rows(service.iter_hits(params, limit), highlight_terms(params.q, params.mode, params.synonyms)):
            count += 1
            for chunk in csv_chunks([rec]):
                sink.write(chunk)
    seconds = time.monotonic() - started
    service.close()
    queue.put({"rows": count, "seconds": seconds, "rss_before_mb": before,
               "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def export_memory(index: Path) -> dict[str, Any]:
    """Peak memory exporting 1,000 rows and up to EXPORT_ROWS rows of the same search."""
    small = _in_child(_export, str(index), 1000)
    large = _in_child(_export, str(index), EXPORT_ROWS)
    return {
        "export_query": EXPORT_QUERY, "export_rows_small": small["rows"], "export_rows_large": large["rows"],
        "export_rss_small_mb": round(small["rss_peak_mb"], 1), "export_rss_large_mb": round(large["rss_peak_mb"], 1),
        "export_rss_growth_mb": round(large["rss_peak_mb"] - large["rss_before_mb"], 1),
        "export_rows_per_s": round(large["rows"] / max(large["seconds"], 1e-9)),
    }


def print_takeaway(f: dict[str, Any]) -> None:
    """The readable lines of these figures (appended to the bench table)."""
    if f.get("reuse_overhead_pct") is not None:
        print(f"reuse detection on reports + corpus ({f['reuse_documents']} documents, {f['reuse_pairs']} pairs): "
              f"{f['reuse_detect_s']} s = {f['reuse_overhead_pct']}% of the import without it "
              f"({f['reuse_import_without_s']} s); import with it {f['reuse_import_s']} s "
              f"(CPU {f['reuse_import_cpu_s']} s vs {f['reuse_import_without_cpu_s']} s)")
    else:
        print("reuse detection: skipped (../shared/corpus/reports is absent)")
    print(f"export of '{f['export_query']}': {f['export_rows_small']} rows peak RSS {f['export_rss_small_mb']} MB, "
          f"{f['export_rows_large']} rows peak RSS {f['export_rss_large_mb']} MB (growth while exporting "
          f"{f['export_rss_growth_mb']} MB), {f['export_rows_per_s']} rows/s")
