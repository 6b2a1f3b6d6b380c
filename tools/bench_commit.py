"""A commit's cost compared between checkouts, on copies of one kept bench index, interleaved.

``python -m tools.bench_commit --kept DIR --roots /path/a,/path/b --rounds 3``: DIR is a folder a
``python -m tools.bench --keep DIR`` run left (``index2/`` and ``corpus/``). Writes 1 % more sections (new
files carrying a new wording, as the bench's commit does), then, for each round and each checkout (each with
its own ``.venv``), on a fresh copy of the index:

* the CPU seconds of ``python -m indexer import`` of those files (both cores, no passage detection; the
  process and its workers, user + system) and its run time — CPU time holds on a loaded machine where
  run times do not;
* the bench's commit under load (:func:`tools.bench_http.commit_under_load`): the server of that checkout
  searched by ``--clients`` HTTP clients while the import runs; seconds until it finds the new wording.

Every run's figures are printed, one JSON line each; nothing is a best of several.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.bench import ROOT, base_documents, commit_marker, write_corpus


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def import_cpu(root: Path, index: Path, extra: Path) -> dict[str, float]:
    """CPU and run time of one import of ``extra`` into ``index`` by the checkout at ``root``."""
    cpu, started = _children_cpu(), time.monotonic()
    subprocess.run([str(root / ".venv" / "bin" / "python"), "-m", "indexer", "import", str(extra), "--index",
                    str(index), "--procs", "2", "--no-reuse"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    return {"import_cpu_s": round(_children_cpu() - cpu, 2), "import_wall_s": round(time.monotonic() - started, 2)}


def under_load(root: Path, index: Path, corpus: Path, extra: Path, marker: str, clients: int) -> dict[str, Any]:
    """The bench's commit-under-load figures with the server and importer of ``root``."""
    from tools.bench_http import KINDS, Client, Server, commit_under_load, requests, top_province
    from tools.bench_queries import query_sets

    server = Server(str(index), root)
    try:
        paths = requests(query_sets(corpus), top_province(Client(server.port)))
        mixed = [p for kind in KINDS for p in paths[kind]]
        return commit_under_load(server, mixed, clients, str(index), extra, marker, False, root)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_commit")
    parser.add_argument("--kept", required=True, help="a folder kept by python -m tools.bench --keep")
    parser.add_argument("--roots", default=str(ROOT), help="checkouts to compare, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=2, help="HTTP clients searching during the commit")
    parser.add_argument("--no-load", action="store_true", help="only the CPU measurement")
    args = parser.parse_args(argv)
    kept = Path(args.kept)
    sections = int(json.loads((kept / "kept.json").read_text())["sections"])
    work = Path(tempfile.mkdtemp(prefix="tzcommit-"))
    try:
        extra, marker = work / "extra", commit_marker()
        extra.mkdir()
        write_corpus(base_documents(None), max(1, sections // 100), extra, seed=99, marker=marker)
        for r in range(1, args.rounds + 1):
            for root in [Path(p) for p in args.roots.split(",")]:
                copy = work / "index"
                figures: dict[str, Any] = {"round": r, "root": str(root), "load": round(os.getloadavg()[0], 2)}
                for measure in ("cpu", "load")[: 1 if args.no_load else 2]:
                    shutil.rmtree(copy, ignore_errors=True)
                    shutil.copytree(kept / "index2", copy)
                    figures.update(import_cpu(root, copy, extra) if measure == "cpu"
                                   else under_load(root, copy, kept / "corpus", extra, marker, args.clients))
                print(json.dumps(figures), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
