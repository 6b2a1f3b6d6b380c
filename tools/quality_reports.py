"""Metadata quality on the 367 plain-text reports of ../shared/corpus/reports, against their MANIFEST.tsv.

The reports are extracted exactly as ``import`` would (no metadata file), and the *first* document of each
file is compared with the manifest row:
  - year: where the manifest knows the year, how many of the years we show are right (``year_accuracy``),
    and for how many of those documents we show a year at all (``year_coverage``) — an unknown year is
    better than a wrong one, but showing none everywhere is no answer either;
  - region: the province (``全国`` for central bodies) against the manifest's region: how many of the regions
    we show are right (``region_accuracy``), for how many documents we show one (``region_coverage``), and
    the strict share that counts a missing region as wrong (``region_strict``);
  - titles: documents without a title (every document, not only the first; must be 0), derived titles cut
    inside a clause (must be 0), and how many titles we show match the manifest's where it gives a Chinese one;
  - issuer (责任者): against ``tests/data/reports_truth.tsv``, which names the issuer of the 120 reports whose
    text names it (header, title, 落款, byline, 我代表国务院…; read by hand, evidence column), how many we get
    right (``issuer_accuracy``; alternatives separated by |); a document whose text names no issuer is not
    scored. The same file corrects the manifest's year where the document's own date says otherwise (a
    repost date is not the document's);
  - implied dates: how many of the years shown are inferred (``year_inferred``), and how many documents have a
    year at all (``year_any``, over every file);
  - documents per file (a file that splits into several documents is usually a mistake).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from indexer.document import Document
from indexer.extract import rules
from indexer.extract.pipeline import ExtractError, extract_file
from indexer.extract.regions import normalize_region

#: The floors the tests hold.
FLOORS = {"year_accuracy": 0.98, "year_coverage": 0.56, "year_any": 0.58, "region_accuracy": 0.95,
          "region_coverage": 0.90, "issuer_accuracy": 0.90}
TRUTH = Path(__file__).resolve().parent.parent / "tests" / "data" / "reports_truth.tsv"


def load_truth(path: Path = TRUTH) -> dict[str, dict[str, str]]:
    """file → {issuer, year, evidence} of the hand-read truth file."""
    with path.open(encoding="utf-8") as fh:
        return {r["file"]: r for r in csv.DictReader(fh, delimiter="\t")}
#: How many files of the reports may hold more than one document (none of them does).
MAX_EXTRA_DOCUMENTS = 3
_WIRE_END = re.compile(rules.WIRE_DATELINE.pattern + "$")
_BOUNDARY = "，,；;：:。！？!?）)》”」—\n "


def _balanced(title: str) -> bool:
    """Whether every bracket and quote opened in ``title`` is closed (any closer closes any opener: sources
    mix 〔2021) and (2021〕)."""
    depth = 0
    for c in title:
        depth += (c in "《“（(【「〔[") - (c in "》”）)】」〕]")
        depth = max(depth, 0)
    return depth == 0


def cut_mid_clause(doc: Document) -> bool:
    """Whether a derived title is a fragment: its brackets or quotes do not close, or in the text it is
    followed by more of the same clause (on its line, or on the next when its long line runs on)."""
    if not doc.title_derived or not doc.title:
        return False
    if not _balanced(doc.title):
        return True
    text = doc.text
    at = text.find(doc.title)
    if at < 0:
        return False  # a file-name title, or a heading shown without its marker
    end = at + len(doc.title)
    after, before = text[end:end + 1], text[at - 1:at] if at else ""
    if before and before not in _BOUNDARY + "、" and not _WIRE_END.search(text[max(0, at - 20):at]):
        return True
    if any(m.end() == len(doc.title) for m in rules.BRACKET_DATE.finditer(doc.title)):
        return False  # ends with a bracketed date: …的讲话（2018年2月12日）
    if after in ("", "\n"):
        line = text[text.rfind("\n", 0, at) + 1:end]
        return len(line) >= 20 and "\u4e00" <= text[end + 1:end + 2] <= "\u9fff"
    return after not in _BOUNDARY


def _want_year(row: dict[str, str]) -> int | None:
    m = re.match(r"\d{4}", row.get("truth_year") or row.get("year_if_known", ""))
    return int(m.group(0)) if m else None


def score_reports(reports_dir: Path) -> dict[str, Any]:
    """The figures of the module docstring, with one line per miss in ``failures``."""
    with (reports_dir / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    truth = load_truth()
    n = {"docs": 0, "years_known": 0, "years_shown": 0, "years_right": 0, "regions_shown": 0, "regions_right": 0,
         "untitled": 0, "inferred": 0, "any_year": 0, "issuers_named": 0, "issuers_right": 0,
         "cut": 0, "derived": 0, "titles_known": 0, "titles_right": 0}
    failures: list[str] = []
    for row in rows:
        try:
            docs = extract_file(reports_dir / row["file"]).documents
        except ExtractError as exc:
            failures.append(f"{row['file']}: {exc}")
            continue
        n["docs"] += len(docs)
        n["untitled"] += sum(1 for d in docs if not d.title)
        n["cut"] += sum(1 for d in docs if cut_mid_clause(d))
        n["derived"] += sum(1 for d in docs if d.title_derived)
        failures += [f"{row['file']}: derived title cut mid-clause: {d.title!r}" for d in docs if cut_mid_clause(d)]
        truth_row = truth.get(row["file"], {})
        _score_first(docs[0], {**row, "truth_year": truth_row.get("year", "")}, n, failures)
        _score_issuer(docs[0], row["file"], truth_row.get("issuer", ""), n, failures)
    known = n["years_known"] or 1
    return {
        "files": len(rows), "documents": n["docs"], "docs_per_file": round(n["docs"] / max(1, len(rows)), 3),
        "year_known": n["years_known"], "year_shown": n["years_shown"],
        "year_accuracy": round(n["years_right"] / max(1, n["years_shown"]), 4),
        "year_coverage": round(n["years_shown"] / known, 4),
        "year_inferred": n["inferred"], "year_any": round(n["any_year"] / max(1, len(rows)), 4),
        "issuer_named": n["issuers_named"],
        "issuer_accuracy": round(n["issuers_right"] / max(1, n["issuers_named"]), 4),
        "region_accuracy": round(n["regions_right"] / max(1, n["regions_shown"]), 4),
        "region_coverage": round(n["regions_shown"] / max(1, len(rows)), 4),
        "region_strict": round(n["regions_right"] / max(1, len(rows)), 4),
        "untitled": n["untitled"], "derived_titles": n["derived"], "titles_cut_mid_clause": n["cut"],
        "title_known": n["titles_known"], "title_matches": n["titles_right"], "failures": failures,
    }


def _score_issuer(doc: Document, name: str, want: str, n: dict[str, int], failures: list[str]) -> None:
    if not want:
        return
    from tools.quality import comparable

    n["issuers_named"] += 1
    if comparable(doc.issuer) in {comparable(w) for w in want.split("|")}:
        n["issuers_right"] += 1
    else:
        failures.append(f"{name}: issuer {doc.issuer!r} != {want!r}")


def _score_first(doc: Document, row: dict[str, str], n: dict[str, int], failures: list[str]) -> None:
    n["any_year"] += doc.year is not None
    n["inferred"] += doc.date_inferred
    want = _want_year(row)
    if want is not None:
        n["years_known"] += 1
        if doc.year is not None:
            n["years_shown"] += 1
            n["years_right"] += doc.year == want
            if doc.year != want:
                failures.append(f"{row['file']}: year {doc.year} ({doc.date}) != {want}")
    place = normalize_region(row.get("region_if_known", ""))
    n["regions_shown"] += doc.province is not None
    if place and doc.province == place.province:
        n["regions_right"] += 1
    elif place:
        failures.append(f"{row['file']}: region {doc.province}/{doc.city} != {place.province}")
    title = row.get("title_if_known", "")
    if title and not title.startswith("(EN"):
        n["titles_known"] += 1
        n["titles_right"] += _same_title(doc.title, title)


def _same_title(got: str | None, want: str) -> bool:
    from tools.quality import comparable

    want = re.sub(r"\s*[(（][^()（）]*[)）]$", "", want)  # the manifest's own remark: (十四大)
    return bool(got) and comparable(got) == comparable(want)


def report_floors_met(result: dict[str, Any]) -> bool:
    """Whether ``result`` holds every floor (and has no untitled document or mid-clause title)."""
    return (all(result[k] >= v for k, v in FLOORS.items()) and result["untitled"] == 0
            and result["titles_cut_mid_clause"] == 0 and result["documents"] <= result["files"] + MAX_EXTRA_DOCUMENTS)
