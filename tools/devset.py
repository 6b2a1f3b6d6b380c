"""Citation metadata on the project's own development set: real government and party files against truth
read by hand from each document (``tests/data/devset/truth.jsonl``; provenance in its README).

Every file is imported through the normal path (:func:`indexer.extract.pipeline.extract_file`, what
``python -m indexer extract --json`` runs) and the *first* document of each file is compared with its truth row:

- ``title``: equal after NFKC and with all whitespace removed; a row whose title is null (the document states
  none) wants a derived title (``title_derived``) or none;
- ``issuer``: any issuer the row lists equals the one we show, or one part of it when we show several joined by
  、/，/; (same normalisation, and a leading 中华人民共和国 is dropped on both sides); null wants none;
- ``date``: the same string, so the same precision (YYYY-MM-DD, YYYY-MM or YYYY) and value; null wants no
  date, or one we mark as inferred (``date_inferred``);
- ``doc_number`` (发文字号): equal after NFKC with every bracket (〔〕[]［］()（）【】) made one kind and spaces
  removed; null wants none;
- ``phrases``: each of the row's phrases (copied from the document) is found in the text we keep (titles,
  headings and sections of every document of the file, whitespace removed);
- ``read``: the file gave at least one document (a file we cannot read counts wrong in every field).

``python -m tools.devset`` prints the shares per field and per format (``--set heldout`` scores the held-out
set, ``heldout.jsonl``, whose files the rules were not written against) (``--json`` for machines, ``--misses``
for a table of every miss); it exits 1 while a share is below the targets in :data:`TARGETS`.
The files themselves come from public repositories and are looked for in ``tests/data/devset/files`` and then
in ``../shared/devset/files`` (``--files`` names another folder); absent files are counted and left out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.extract.pipeline import ExtractError, extract_file

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "tests" / "data" / "devset" / "truth.jsonl"
#: The sets the scorer knows: name -> (truth rows, folder under tests/data/devset and ../shared/devset).
SETS = {"dev": ("truth.jsonl", "files"), "heldout": ("heldout.jsonl", "heldout")}
FIELDS = ("read", "title", "issuer", "date", "doc_number", "phrases")
#: What issue 21 asks of the set (``read`` is every readable file).
TARGETS = {"read": 1.0, "title": 0.95, "issuer": 0.90, "date": 0.95, "doc_number": 0.98}
_SPACE = re.compile(r"\s+")
_OPEN, _CLOSE = "〔[［(（【", "〕]］)）】"
_BRACKETS = str.maketrans({**{c: "(" for c in _OPEN}, **{c: ")" for c in _CLOSE}})
_JOINERS = re.compile(r"[、，,；;/]+")
_COUNTRY = "中华人民共和国"


def squeeze(text: str | None) -> str:
    """NFKC with every whitespace character removed (how titles and phrases are compared)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def issuer_key(text: str) -> str:
    """An issuer as compared: squeezed, without a leading 中华人民共和国."""
    return squeeze(text).removeprefix(_COUNTRY)


def number_key(text: str) -> str:
    """A 发文字号 as compared: squeezed, every bracket made one kind."""
    return squeeze(text).translate(_BRACKETS)


def files_dir(explicit: Path | None = None, folder: str = "files") -> Path:
    """Where the set's files are: ``explicit``, else tests/data/devset/<folder> when it holds files, else
    ../shared/devset/<folder> (``TZSEARCH_SHARED`` names another shared folder)."""
    if explicit is not None:
        return explicit
    local = TRUTH.parent / folder
    if local.is_dir() and any(local.iterdir()):
        return local
    shared = Path(os.environ.get("TZSEARCH_SHARED", ROOT.parent / "shared"))
    return shared / "devset" / folder


def load_truth(path: Path = TRUTH) -> list[dict[str, Any]]:
    """The truth rows, one per file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class FileScore:
    """How one file fared: a verdict per field and what we showed where it missed."""

    file: str
    format: str
    ok: dict[str, bool]
    phrases_found: int
    phrases_total: int
    got: dict[str, Any] = field(default_factory=dict)
    want: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def title_ok(got: str | None, want: str | None, derived: bool = False) -> bool:
    """The title rule: equal after :func:`squeeze`; a document that states none wants a derived one or none."""
    if want:
        return bool(got) and squeeze(got) == squeeze(want)
    return derived or not got


def date_ok(got: str | None, want: str | None, inferred: bool = False) -> bool:
    """The date rule: the same string, so the same precision; a document that states none wants none, or one
    marked as inferred."""
    if want:
        return got == want
    return got is None or inferred


def number_ok(got: str | None, want: str | None) -> bool:
    """The 发文字号 rule: equal after :func:`number_key`; none wants none."""
    if want:
        return got is not None and number_key(got) == number_key(want)
    return got is None


def issuer_ok(got: str | None, want: list[str] | None) -> bool:
    """The issuer rule: any listed issuer equals what we show or one of its 、/，/; parts (:func:`issuer_key`)."""
    if not want:
        return got is None
    if not got:
        return False
    wanted = {issuer_key(w) for w in want}
    parts = {issuer_key(got)} | {issuer_key(p) for p in _JOINERS.split(got) if p.strip()}
    return bool(wanted & parts)


def _text_of(docs: list[dict[str, Any]]) -> str:
    pieces: list[str] = []
    for d in docs:
        pieces.append(d.get("title") or "")
        for s in d["sections"]:
            pieces.extend((s.get("heading") or "", s.get("text") or ""))
    return squeeze("\n".join(pieces))


def score_file(row: dict[str, Any], path: Path) -> FileScore:
    """Extract ``path`` as ``import`` would and compare its first document with ``row``."""
    phrases = row.get("phrases") or []
    try:
        docs = extract_file(path).to_json()["documents"]
    except ExtractError as exc:
        return FileScore(row["file"], row["format"], {f: False for f in FIELDS}, 0, len(phrases),
                         error=str(exc))
    if not docs:
        return FileScore(row["file"], row["format"], {f: False for f in FIELDS}, 0, len(phrases),
                         error="no document")
    doc = docs[0]
    text = _text_of(docs)
    found = sum(1 for p in phrases if squeeze(p) in text)
    ok = {"read": True,
          "title": title_ok(doc.get("title"), row.get("title"), bool(doc.get("title_derived"))),
          "issuer": issuer_ok(doc.get("issuer"), row.get("issuer")),
          "date": date_ok(doc.get("date"), row.get("date"), bool(doc.get("date_inferred"))),
          "doc_number": number_ok(doc.get("doc_number"), row.get("doc_number")),
          "phrases": found == len(phrases)}
    got = {"title": doc.get("title"), "issuer": doc.get("issuer"), "date": doc.get("date"),
           "doc_number": doc.get("doc_number")}
    want = {f: row.get(f) for f in got}
    return FileScore(row["file"], row["format"], ok, found, len(phrases), got, want)


@dataclass
class Report:
    """The whole set's scores."""

    scores: list[FileScore]
    absent: list[str]

    def shares(self, fmt: str | None = None) -> dict[str, float | int]:
        """Share right per field (over every present file, or those of one format); ``phrases`` is the share
        of phrases found; ``files`` counts the files."""
        rows = [s for s in self.scores if fmt is None or s.format == fmt]
        n = len(rows)
        out: dict[str, float | int] = {"files": n}
        if not n:
            return out
        for f in FIELDS:
            if f == "phrases":
                total = sum(s.phrases_total for s in rows)
                out[f] = round(sum(s.phrases_found for s in rows) / total, 3) if total else 1.0
            else:
                out[f] = round(sum(s.ok[f] for s in rows) / n, 3)
        return out

    def formats(self) -> dict[str, dict[str, float | int]]:
        """:meth:`shares` for each format."""
        return {fmt: self.shares(fmt) for fmt in sorted({s.format for s in self.scores})}

    def misses(self) -> list[dict[str, Any]]:
        """One entry per (file, field) missed, with what the truth wants and what we showed."""
        out: list[dict[str, Any]] = []
        for s in self.scores:
            if s.error:
                out.append({"file": s.file, "field": "read", "want": "a document", "got": s.error})
                continue
            for f in ("title", "issuer", "date", "doc_number"):
                if not s.ok[f]:
                    out.append({"file": s.file, "field": f, "want": s.want.get(f), "got": s.got.get(f)})
            if s.phrases_found < s.phrases_total:
                out.append({"file": s.file, "field": "phrases", "want": s.phrases_total, "got": s.phrases_found})
        return out

    def targets_met(self) -> bool:
        """Whether every share reaches issue 21's targets."""
        shares = self.shares()
        return all(float(shares.get(f, 0.0)) >= t for f, t in TARGETS.items())


def score(rows: list[dict[str, Any]], folder: Path) -> Report:
    """Score every row whose file is in ``folder``."""
    scores: list[FileScore] = []
    absent: list[str] = []
    for row in rows:
        path = folder / row["file"]
        if path.is_file():
            scores.append(score_file(row, path))
        else:
            absent.append(row["file"])
    return Report(scores, absent)


def _print_table(report: Report, folder: Path) -> None:
    total = report.shares()
    print(f"devset: {total['files']} files scored from {folder}"
          + (f" ({len(report.absent)} absent)" if report.absent else ""))
    header = ["format", *(f for f in ("files", *FIELDS))]
    lines = [header]
    for fmt, shares in [*report.formats().items(), ("all", total)]:
        lines.append([fmt, *(str(shares.get(f, "-")) for f in header[1:])])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.devset [--set dev|heldout] [--files DIR] [--json] [--misses]``."""
    parser = argparse.ArgumentParser(prog="python -m tools.devset", description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=Path, help="folder holding the set's files")
    parser.add_argument("--set", choices=sorted(SETS), default="dev",
                        help="dev (truth.jsonl, files/) or heldout (heldout.jsonl, heldout/: files the rules were "
                             "not written against)")
    parser.add_argument("--truth", type=Path, help="truth rows (default: the set's)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--misses", action="store_true", help="list every miss per file")
    args = parser.parse_args(argv)
    truth_name, folder_name = SETS[args.set]
    rows = load_truth(args.truth or TRUTH.parent / truth_name)
    folder = files_dir(args.files, folder_name)
    report = score(rows, folder)
    if not report.scores:
        print(f"devset: none of the {len(rows)} files is in {folder}; nothing scored", file=sys.stderr)
        return 0
    if args.json:
        payload = {"folder": str(folder), "absent": report.absent, "all": report.shares(),
                   "formats": report.formats(), "targets": TARGETS, "targets_met": report.targets_met()}
        if args.misses:
            payload["misses"] = report.misses()
        print(json.dumps(payload, ensure_ascii=False))
    else:
        _print_table(report, folder)
        if args.misses:
            for m in report.misses():
                print(f"  miss {m['file']:<18} {m['field']:<10} want {m['want']!r:<40} got {m['got']!r}")
    return 0 if report.targets_met() else 1


if __name__ == "__main__":
    raise SystemExit(main())
