"""Extraction quality measured against reference answers (the seeds and the real documents in ../shared).

``check_seed`` compares one extraction with a row of ``seeds.json``; ``score_pages`` scores titles, dates,
left-over site chrome and body text (character-bigram F1) on the ``12371/`` and ``govcn/`` pages;
``score_reports`` (:mod:`tools.quality_reports`) scores years, regions and titles of the 367 plain-text
reports against their ``MANIFEST.tsv``. All are used by the tests (which fail when scores drop) and by
``make quality``, which prints the figures.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from indexer.document import Extraction
from indexer.extract.metadata import parse_date
from indexer.extract.pipeline import ExtractError, extract_file
from indexer.text.normalize import normalize

#: Markers of site chrome that must not survive in extracted text.
CHROME_MARKERS = re.compile(
    r"微信扫一扫|扫一扫在手机|分享到|打印本页|【打印】|关闭窗口|字号[:：]?\s*[大中小]|ICP备|版权所有|您当前的位置|"
    r"当前位置[:：]|浏览次数|网站地图|联系我们|上一篇|下一篇|责任编辑|收听本文"
)


def comparable(text: str | None) -> str:
    """Normalised, without punctuation or symbols: how seeds.json says to compare."""
    return "".join(c for c in normalize(text or "") if unicodedata.category(c)[0] not in "PSZ")


def _region_ok(doc: dict[str, Any], pairs: list[list[str | None]]) -> bool:
    region = doc["region"]
    return [region["province"], region["city"]] in pairs


def _region_hit(doc: dict[str, Any], pairs: list[list[str | None]]) -> bool:
    region = doc["region"]
    return any(region["province"] == p and (c is None or region["city"] == c) for p, c in pairs)


def _date_ok(doc: dict[str, Any], expected: dict[str, Any]) -> bool:
    """seeds.json's date, where ``null`` ("the page states no date, none may be invented") also admits the
    year-only date that carries the expected year (``date_precision`` "year": a year, not an invented day)."""
    if expected["date"] is None and doc["date_precision"] == "year":
        return doc["date"] == str(expected["year"])
    return bool(doc["date"] == expected["date"])


def check_seed(extraction: Extraction, expected: dict[str, Any]) -> list[str]:
    """Every way ``extraction`` misses the seeds.json row ``expected`` (empty when it meets it).

    An empty ``title_any`` ("the document states no title") is met by a derived title."""
    docs = extraction.to_json()["documents"]
    problems: list[str] = []
    titles = [comparable(t) for t in expected["title_any"]]
    main = [d for d in docs if (comparable(d["title"]) in titles if titles else d["title_derived"])]
    if not main:
        return [f"no document has a title in {expected['title_any']}: {[d['title'] for d in docs]}"]
    if not any(_date_ok(d, expected) and d["year"] == expected["year"]
               and _region_ok(d, expected["region_any"]) and not _region_hit(d, expected["region_not"])
               and (d["source"] in expected["source_any"] if expected["source_any"] else d["source"] is None)
               for d in main):
        problems.append("metadata: " + str([(d["date"], d["year"], d["region"], d["source"]) for d in main]))
    text = comparable("\n".join(s["heading"] or "" for d in docs for s in d["sections"]) + "\n" +
                      "\n".join(s["text"] for d in docs for s in d["sections"]))
    problems += [f"lost: {p}" for p in expected["must_keep"] if comparable(p) not in text]
    problems += [f"left in: {p}" for p in expected["must_drop"] if comparable(p) in text]
    headings = {comparable(s["heading"]) for d in docs for s in d["sections"] if s["heading"]}
    problems += [f"heading not recognised: {h}" for h in expected["headings_any"] if comparable(h) not in headings]
    return problems


def bigram_f1(got: str, want: str) -> float:
    """F1 of the character-bigram multisets of two texts (after normalisation, punctuation dropped)."""
    a, b = comparable(got), comparable(want)
    ga, gb = Counter(a[i:i + 2] for i in range(len(a) - 1)), Counter(b[i:i + 2] for i in range(len(b) - 1))
    overlap = sum((ga & gb).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ga.values()), overlap / sum(gb.values())
    return 2 * precision * recall / (precision + recall)


def _reference_body(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    return soup.get_text("\n")


def score_pages(html_dir: Path) -> dict[str, Any]:
    """Title/date accuracy, chrome rate and body F1 over the 12371/ and govcn/ reference pages."""
    with (html_dir / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["file"].startswith(("12371/", "govcn/"))]
    titles = dates = chrome = 0
    f1s: list[float] = []
    failures: list[str] = []
    for r in rows:
        try:
            ex = extract_file(html_dir / r["file"])
        except ExtractError as exc:
            failures.append(f"{r['file']}: {exc}")
            continue
        doc = ex.documents[0]
        if comparable(doc.title) == comparable(r["gt_title"]):
            titles += 1
        else:
            failures.append(f"{r['file']}: title {doc.title!r} != {r['gt_title']!r}")
        if doc.date == parse_date(r["gt_publish_date"]):
            dates += 1
        else:
            failures.append(f"{r['file']}: date {doc.date} != {r['gt_publish_date']}")
        text = "\n".join(d.text for d in ex.documents)
        left = CHROME_MARKERS.search(text)
        if left:
            chrome += 1
            failures.append(f"{r['file']}: chrome left: {left.group(0)}")
        if r["gt_content_file"]:
            f1s.append(bigram_f1(text, _reference_body(html_dir / r["gt_content_file"].split(" ")[0])))
    n = len(rows)
    return {"pages": n, "title_accuracy": titles / n, "date_accuracy": dates / n, "chrome_rate": chrome / n,
            "body_f1": sum(f1s) / len(f1s) if f1s else None, "body_f1_min": min(f1s) if f1s else None,
            "failures": failures}


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.quality CORPUS_DIR``: print the page and report scores (exit 1 below the floors).

    CORPUS_DIR is ``../shared/corpus`` (its ``html/`` and ``reports/``); an ``html`` folder itself is
    accepted too."""
    import json
    import sys

    from tools.quality_reports import report_floors_met, score_reports

    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else "../shared/corpus")
    root = root.parent if root.name == "html" else root
    if not (root / "html" / "MANIFEST.tsv").exists():
        print(f"quality: no reference pages at {root / 'html'}", file=sys.stderr)
        return 2
    result = score_pages(root / "html")
    for line in result.pop("failures"):
        print("  miss:", line)
    print("pages:", json.dumps(result, ensure_ascii=False))
    floors_met = (result["title_accuracy"] >= 0.95 and result["date_accuracy"] >= 0.95
                  and result["chrome_rate"] <= 0.02 and (result["body_f1"] or 0) >= 0.97)
    if (root / "reports" / "MANIFEST.tsv").exists():
        reports = score_reports(root / "reports")
        for line in reports.pop("failures"):
            print("  miss:", line)
        print("reports:", json.dumps(reports, ensure_ascii=False))
        floors_met = floors_met and report_floors_met(reports)
    return 0 if floors_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
