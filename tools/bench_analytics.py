"""`make bench-analytics`: time of the analyses (wordings, collocates, keyness, dispersion) through the functions
the API calls, on the index of ``../shared/corpus/reports/`` + ``corpus/`` (target: every answer within 1 s)
and, with ``--sections N``, on the bench's replicated corpus of N sections (target: within 5 s, or marked
partial with what was covered).

Each request is asked once to warm up (the segmenter, the mapped arrays, a generation's cached document
lengths) and then ``--rounds`` times; the table gives the median and the slowest time (and the median CPU
time of this process, which a machine busy with other work inflates less), and whether the answer was partial
(with the documents analysed). ``--backend postgresql`` measures the database backend on a
server of the bench's own. Not a test: figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from indexer.research.collocates import collocates
from indexer.research.dispersion import dispersion
from indexer.research.keyness import keyness
from indexer.research.wordings import wordings
from indexer.search.backend import SearchBackend
from indexer.search.service import SearchParams
from tools.bench import ROOT, base_documents, write_corpus

TARGET_S = {"reports": 1.0, "replicated": 5.0}


def P(**kw: Any) -> SearchParams:  # noqa: N802 - a short name for the request table
    return SearchParams(mode="exact", **kw)


def requests() -> list[tuple[str, str, Callable[[SearchBackend], Any]]]:
    """(analysis, what, call) of every timed request."""
    period, before = P(date_from="2018-01-01", date_to="2022-12-31"), P(date_from="2013-01-01", date_to="2017-12-31")
    out: list[tuple[str, str, Callable[[SearchBackend], Any]]] = [
        ("wordings", "all documents", partial(wordings, p=P())),
        ("wordings", "province=全国", partial(wordings, p=P(province="全国"))),
        ("wordings", "q=统一战线 (documents holding it)", partial(wordings, p=P(q="统一战线"))),
        ("wordings", "new in 2018–2022", partial(wordings, p=period, view="new")),
        ("wordings", "new in 2020", partial(wordings, p=P(year=2020), view="new")),
    ]
    for q in ("统一战线", "社会主义", "发展"):
        for unit in ("word", "char"):
            out.append(("collocates", f"{q}, {unit}", partial(collocates, p=P(q=q), unit=unit)))
    for unit in ("wording", "word"):
        out += [("keyness", f"{unit}: 2018–2022 vs 2013–2017", partial(keyness, target=period, reference=before,
                                                                       unit=unit)),
                ("keyness", f"{unit}: 上海 vs the rest", partial(keyness, target=P(province="上海"), unit=unit)),
                ("keyness", f"{unit}: 全国 vs 江苏", partial(keyness, target=P(province="全国"),
                                                           reference=P(province="江苏"), unit=unit))]
    for q in ("统一战线", "社会主义", "发展"):
        out.append(("dispersion", q, partial(dispersion, p=P(q=q))))
    return out


def _partial(result: Any) -> str:
    if not result.partial:
        return ""
    analysed = getattr(result, "analysed", None) or getattr(getattr(result, "target", None), "analysed", None)
    return f"partial{f' ({analysed} documents analysed)' if analysed is not None else ''}"


def measure(backend: SearchBackend, rounds: int) -> list[dict[str, Any]]:
    rows = []
    for analysis, what, call in requests():
        call(backend)  # warm-up
        times, cpu, result = [], [], None
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = call(backend)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        rows.append({"analysis": analysis, "request": what, "median_s": round(statistics.median(times), 3),
                     "max_s": round(max(times), 3), "cpu_s": round(statistics.median(cpu), 3),
                     "partial": _partial(result)})
    return rows


def _index(args: argparse.Namespace, work: Path, servers: list[Any]) -> tuple[str, Path | str]:
    """(label, target) of the index to measure (built when not given; a database server started for it is
    added to ``servers``)."""
    from indexer.index.importer import import_paths

    target: Path | str = args.index or work / "index"
    if args.backend == "postgresql" and not args.index:
        from tools.bench_pg import start_server

        cluster = start_server(work)
        servers.append(cluster)
        target = cluster.url
    label = "replicated" if args.sections else "reports"
    if args.index:
        return label, target
    if args.sections:
        folder = work / "corpus"
        folder.mkdir()
        write_corpus(base_documents(args.shared), args.sections, folder)
        import_paths([folder], target, procs=2, reuse=False)
    else:
        import_paths([args.shared / "corpus" / "reports", ROOT / "corpus"], target, procs=2, reuse=False)
    return label, target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--index", help="an index folder or database URL to reuse (built when absent)")
    ap.add_argument("--sections", type=int, default=0, help="measure the bench's replicated corpus of N sections")
    ap.add_argument("--backend", choices=("whoosh", "postgresql"), default="whoosh")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.index and not (args.shared / "corpus" / "reports").is_dir():
        ap.error(f"no reports under {args.shared}/corpus/reports (pass --shared)")
    from indexer.search.backends import open_backend

    servers: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="bench-analytics-") as tmp:
        try:
            label, target = _index(args, Path(tmp), servers)
            backend = open_backend(target, budget_seconds=5.0)
            try:
                rows = measure(backend, max(1, args.rounds))
            finally:
                backend.close()
        finally:
            for cluster in servers:
                cluster.stop()
    target_s = TARGET_S[label]
    for r in rows:
        verdict = "met" if r["max_s"] <= target_s or r["partial"] else "MISSED"
        print(f"{r['analysis']:<11} {r['request']:<34} median {r['median_s']:>6.3f} s  max {r['max_s']:>6.3f} s  "
              f"(cpu {r['cpu_s']:>6.3f} s)  {verdict:<6} {r['partial']}")
    print(json.dumps({"corpus": label, "backend": args.backend, "target_s": target_s, "rows": rows},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
