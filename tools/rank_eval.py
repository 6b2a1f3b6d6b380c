"""Keyword ranking on the judged development queries, per component: the ablation table of BENCHMARKS.md.

    .venv/bin/python -m tools.rank_eval [--shared ../shared] [--cache var/rankeval] [--splits] [--set heldout]

Scores exactly as ``../shared/eval/rank/score.py`` does (its own functions: nDCG@10 of the first 10 hits, a hit
credited with the best grade of the judged passages of its file that it overlaps, plain BM25 over the same
sections as the anchor), but imports the corpus once into ``--cache`` and then runs every variant of the ranking
in this process: all components, each one left out, none, and the ideas measured and not adopted
(:mod:`tools.rank_experiments`).
``--splits`` adds every leave-one-out split and the two halves (odd / even query numbers) for each variant's
gain over plain BM25, which is what a change must hold on.

``--set heldout`` scores 20 other queries (``tests/data/rank/heldout_*.tsv``: 477 sections of the same corpus
judged 0–3 by reading them, one assessor, pools of the project's and plain BM25's top 20, made when the ranking
was already built — so no rule of it was fitted to them). They name the project's section ids: a hit is credited
with its own section's grade, and the hits of the top 10 that nobody judged are counted and printed (an
extraction that sections the reports differently leaves more of them unjudged: judge those, or read the figure
with them).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from indexer.extract.pipeline import ExtractError, extract_file
from indexer.index.importer import import_paths
from indexer.search import ranking
from indexer.search.service import SearchParams, SearchService
from tools.rank_experiments import EXPERIMENTS


def _score_module(shared: Path) -> ModuleType:
    path = shared / "eval" / "rank" / "score.py"
    spec = importlib.util.spec_from_file_location("rank_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(shared: Path) -> list[Path]:
    seeds = shared / "corpus" / "seeds"
    reports = shared / "corpus" / "reports"
    return sorted(seeds.iterdir()) + sorted(p for p in reports.iterdir() if p.suffix == ".txt")


def _sections(files: list[Path], cache: Path) -> dict[str, tuple[str, str]]:
    """section_id → (file name, heading + text), as score.py reads them from ``extract --json``."""
    path = cache / "sections.json"
    if path.exists():
        return {k: (v[0], v[1]) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    out: dict[str, tuple[str, str]] = {}
    for f in files:
        try:
            ex = extract_file(f)
        except ExtractError as exc:
            raise SystemExit(f"extract failed on {f}: {exc}") from None
        for d in ex.to_json()["documents"]:
            for s in d["sections"]:
                out[s["section_id"]] = (f.name, (s.get("heading") or "") + "\n" + (s.get("text") or ""))
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "rank"


def _ndcg(gains: list[int], judged: list[int]) -> float:
    """nDCG@10 (score.py's gain 2^g − 1 and discount) of the hits' grades against the best judged ones."""
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))
    ideal = sorted(judged, reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


class HeldOutJudge:
    """nDCG@10 on the held-out queries (module docstring), each hit graded by its section id."""

    def __init__(self, folder: Path = HELDOUT) -> None:
        from collections import defaultdict

        self.queries = dict(line.split("\t")[:2] for line in
                            (folder / "heldout_queries.tsv").read_text(encoding="utf-8").splitlines() if line)
        self.qrels: dict[str, dict[str, int]] = defaultdict(dict)
        for line in (folder / "heldout_qrels.tsv").read_text(encoding="utf-8").splitlines():
            if line:
                qid, sid, grade = line.split("\t")[:3]
                self.qrels[qid][sid] = int(grade)
        self.unjudged: set[tuple[str, str]] = set()

    def ndcg(self, qid: str, ids: list[str]) -> float:
        judged = self.qrels[qid]
        self.unjudged.update((qid, s) for s in ids[:10] if s not in judged)
        return _ndcg([judged.get(s, 0) for s in ids], list(judged.values()))


class Judge:
    """nDCG@10 of a list of section ids for a query, as score.py computes it."""

    def __init__(self, score: ModuleType, shared: Path, sections: dict[str, tuple[str, str]]) -> None:
        import gzip
        from collections import defaultdict

        here = shared / "eval" / "rank"
        self.queries = dict(line.rstrip("\n").split("\t")[:2]
                            for line in (here / "queries.tsv").read_text(encoding="utf-8").splitlines())
        self.qrels: dict[str, dict[str, int]] = defaultdict(dict)
        for line in (here / "qrels.tsv").read_text(encoding="utf-8").splitlines():
            qid, pid, grade = line.split("\t")[:3]
            self.qrels[qid][pid] = int(grade)
        with gzip.open(here / "passages.jsonl.gz", "rt", encoding="utf-8") as fh:
            self.ptext = {p["id"]: score.grams(p["text"]) for p in map(json.loads, fh)}
        self.grams = {sid: (name, score.grams(text)) for sid, (name, text) in sections.items()}

    def gain(self, qid: str, sid: str) -> int:
        fname, g = self.grams.get(sid, (None, set()))
        best = 0
        for pid, grade in self.qrels[qid].items():
            pg = self.ptext.get(pid) or set()
            if fname and pid.split("#")[0] == fname and grade > best and pg and len(g) >= 20 \
                    and len(pg & g) >= 0.5 * min(len(pg), len(g)):
                best = grade
        return best

    def ndcg(self, qid: str, ids: list[str]) -> float:
        return _ndcg([self.gain(qid, s) for s in ids[:10]], list(self.qrels[qid].values()))


Variant = tuple[ranking.Components, bool, str | None]


def variants() -> dict[str, Variant]:
    """All components (and synonyms), each left out, none, and the ideas not adopted (on top of all)."""
    full = ranking.Components()
    out: dict[str, Variant] = {"all": (full, True, None)}
    for f in dataclasses.fields(full):
        out[f"without {f.name}"] = (dataclasses.replace(full, **{f.name: False}), True, None)
    out["without synonyms"] = (full, False, None)
    out["none"] = (ranking.Components(**{f.name: False for f in dataclasses.fields(full)}), False, None)
    out.update({name: (full, True, name) for name in EXPERIMENTS})
    return out


def run(service: SearchService, judge: Judge | HeldOutJudge, variant: Variant) -> dict[str, float]:
    ranking.COMPONENTS = variant[0]
    out = {}
    with EXPERIMENTS[variant[2]]() if variant[2] else contextlib.nullcontext():
        for qid, q in sorted(judge.queries.items()):
            res = service.search(SearchParams(q=q, per_page=10, synonyms=variant[1]))
            out[qid] = judge.ndcg(qid, [h.section_id for h in res.hits])
    return out


def _splits(gains: dict[str, float]) -> list[tuple[str, float]]:
    qids = sorted(gains)
    out = [(f"without {q}", sum(gains[x] for x in qids if x != q) / (len(qids) - 1)) for q in qids]
    halves = (qids[0::2], qids[1::2])
    out += [(f"half {i + 1}", sum(gains[q] for q in h) / len(h)) for i, h in enumerate(halves)]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--cache", type=Path, default=Path("var/rankeval"))
    ap.add_argument("--splits", action="store_true", help="gain over BM25 on every leave-one-out split and half")
    ap.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    ap.add_argument("--set", choices=("dev", "heldout"), default="dev",
                    help="the development queries of ../shared/eval/rank, or the held-out ones of tests/data/rank")
    args = ap.parse_args(argv)
    score = _score_module(args.shared)
    args.cache.mkdir(parents=True, exist_ok=True)
    files = _files(args.shared)
    sections = _sections(files, args.cache)
    index = args.cache / "index"
    if not index.exists():
        import_paths(files, index, procs=2)
    judge: Judge | HeldOutJudge = Judge(score, args.shared, sections) if args.set == "dev" else HeldOutJudge()
    qids = sorted(judge.queries)
    texts = {sid: text for sid, (_, text) in sections.items()}
    anchor = {q: judge.ndcg(q, ids) for q, ids in zip(qids, score.bm25(texts, [judge.queries[q] for q in qids]),
                                                       strict=True)}
    service = SearchService(index)
    table: dict[str, dict[str, float]] = {"plain BM25": anchor}
    try:
        for name, variant in variants().items():
            if args.only and name not in args.only:
                continue
            table[name] = run(service, judge, variant)
    finally:
        ranking.COMPONENTS = ranking.Components()
        service.close()
    _print(table, judge, anchor, args.splits)
    if isinstance(judge, HeldOutJudge):
        print(f"\nunjudged hits in a top 10 (counted as grade 0): {len(judge.unjudged)}")
    return 0


def _print(table: dict[str, dict[str, float]], judge: Judge | HeldOutJudge, anchor: dict[str, float],
           splits: bool) -> None:
    qids = sorted(judge.queries)
    print("| query | " + " | ".join(table) + " |")
    print("|---" * (len(table) + 1) + "|")
    for q in qids:
        print(f"| {q} {judge.queries[q]} | " + " | ".join(f"{row[q]:.3f}" for row in table.values()) + " |")
    mean: dict[str, Any] = {name: sum(row.values()) / len(row) for name, row in table.items()}
    print("| **mean** | " + " | ".join(f"**{m:.3f}**" for m in mean.values()) + " |")
    print("| worst vs BM25 | " + " | ".join(f"{min(row[q] - anchor[q] for q in qids):+.3f}"
                                           for row in table.values()) + " |")
    if splits:
        print()
        for name, row in table.items():
            gains = {q: row[q] - anchor[q] for q in qids}
            worst = min(_splits(gains), key=lambda s: s[1])
            print(f"{name}: gain over BM25 {sum(gains.values()) / len(gains):+.3f}; worst split {worst[0]} "
                  f"{worst[1]:+.3f}")


if __name__ == "__main__":
    sys.exit(main())
