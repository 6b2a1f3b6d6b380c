"""`make bench-research`: latency of the research endpoints on the index of ``../shared/corpus/reports/`` plus
``corpus/`` (about 9k sections), served by waitress on 127.0.0.1 and asked over HTTP like a client would.

Each endpoint gets a fixed set of requests — realistic wordings (rare to very common), filters, sorts and pages
— sent once to warm up (the segmenter, the memory-mapped arrays) and then ``--rounds`` times, timed one by one.
Prints a table and, last, one JSON line: per endpoint p50 / p95 / max in milliseconds (target: p95 < 200 ms for
every ``/api/`` endpoint). Not a test: figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

from tools.bench import ROOT, latency

#: Wordings from rare to very common in the reports (统一战线 177 occurrences, 社会主义 3.7k, 发展 13.8k).
WORDINGS = ("两个健康", "统一战线", "民营经济", "党外人士", "民主党派", "新的社会阶层", "中华民族共同体意识", "宗教",
            "港澳台", "改革开放", "中国共产党", "社会主义", "人民", "发展")
TARGET_MS = 200.0


def requests() -> dict[str, list[dict[str, Any]]]:
    """Endpoint → the query strings it is asked with."""
    pairs = [WORDINGS[i:i + 2] for i in range(0, len(WORDINGS), 2)]
    return {
        "/api/first": [{"q": w} for w in WORDINGS] + [{"q": w, "province": "全国", "n": 20} for w in WORDINGS[:4]],
        "/api/trend": [{"q": list(p)} for p in pairs] + [{"q": list(WORDINGS[:5])}, {"q": list(WORDINGS[-5:])},
                                                         {"q": ["统一战线", "民营经济"], "province": "山东"}],
        "/api/spread": [{"q": w} for w in WORDINGS] + [{"q": w, "from": "2000", "to": "2024"} for w in WORDINGS[:4]],
        "/api/concordance": [{"q": w} for w in WORDINGS]
        + [{"q": w, "sort": s} for w in ("统一战线", "社会主义", "发展") for s in ("left", "right", "region", "newest")]
        + [{"q": w, "page": 3, "width": 50} for w in ("统一战线", "人民")],
        "/": [{}],  # the landing page
        "/?first-use": [{"q": f'"{w}"'} for w in WORDINGS[:6]],  # the search page with its first-use panel
        "/trend": [{"q": ["两个健康", "统一战线", "民营经济"]}],
        "/spread": [{"q": "统一战线"}, {"q": "社会主义"}],
        "/concordance": [{"q": "统一战线"}, {"q": "发展", "sort": "right"}],
    }


def build_index(shared: Path, index: Path) -> dict[str, Any]:
    from indexer.index.importer import import_paths

    summary = import_paths([shared / "corpus" / "reports", ROOT / "corpus"], index, procs=2)
    return {"documents": summary.documents, "sections": summary.sections, "import_s": round(summary.seconds, 1)}


def _get(site: str, path: str, params: dict[str, Any]) -> float:
    url = site + path.split("?")[0] + ("?" + urlencode(params, doseq=True) if params else "")
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:  # our own server on 127.0.0.1
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{url}: HTTP {r.status}")
    return (time.perf_counter() - started) * 1000


def measure(index: Path, rounds: int) -> dict[str, Any]:
    """Serve ``index`` on 127.0.0.1 and time every request of :func:`requests`."""
    from waitress import create_server

    from webui import create_app

    server = create_server(create_app({"INDEX_DIR": str(index)}), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    site = f"http://127.0.0.1:{server.effective_port}"
    out: dict[str, Any] = {}
    try:
        for path, variants in requests().items():
            for params in variants:  # warm-up
                _get(site, path, params)
            timed = [(_get(site, path, params), params) for _ in range(rounds) for params in variants]
            slowest = max(timed, key=lambda t: t[0])[1]
            out[path] = {**latency([t for t, _ in timed]), "requests": len(timed),
                         "slowest": urlencode(slowest, doseq=True)}
    finally:
        server.task_dispatcher.shutdown()
        server.close()
        thread.join(timeout=5)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--index", type=Path, help="an index of the reports + corpus/ to reuse (built when absent)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    if not (args.shared / "corpus" / "reports").is_dir():
        ap.error(f"no reports under {args.shared}/corpus/reports (pass --shared)")
    with tempfile.TemporaryDirectory(prefix="bench-research-") as tmp:
        index = args.index or Path(tmp) / "index"
        figures: dict[str, Any] = {}
        if not (index / "manifest.json").is_file():
            figures["index"] = build_index(args.shared, index)
        figures["endpoints"] = measure(index, max(1, args.rounds))
    for path, f in figures["endpoints"].items():
        api = path.startswith("/api/")
        verdict = ("met" if f["p95_ms"] < TARGET_MS else "MISSED") if api else ""
        print(f"{path:<18} p50 {f['p50_ms']:>7.1f}  p95 {f['p95_ms']:>7.1f}  max {f['max_ms']:>7.1f} ms"
              f"  ({f['requests']} requests) {verdict}  slowest: {unquote(f['slowest'])}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
