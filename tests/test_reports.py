"""Metadata of the 367 real reports of ../shared, extracted without their manifest, against MANIFEST.tsv.

The floors the issue sets: years right where the manifest knows them and we show one (an unknown year is
better than a wrong one, but most must be known), regions likewise (全国 counts), no document without a
title, no derived title cut inside a clause, and no file split into documents it does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.quality_reports import FLOORS, MAX_EXTRA_DOCUMENTS, report_floors_met, score_reports


@pytest.fixture(scope="module")
def scores(shared: Path) -> dict:
    return score_reports(shared / "corpus" / "reports")


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_report_floor(scores: dict, figure: str) -> None:
    misses = [f for f in scores["failures"] if ("year" if "year" in figure else "region") in f]
    assert scores[figure] >= FLOORS[figure], misses


def test_every_document_has_a_title_and_none_is_cut_mid_clause(scores: dict) -> None:
    assert scores["untitled"] == 0
    assert scores["titles_cut_mid_clause"] == 0, [f for f in scores["failures"] if "mid-clause" in f]


def test_files_are_not_split_into_documents_they_do_not_hold(scores: dict) -> None:
    assert scores["files"] == 367
    assert scores["documents"] <= scores["files"] + MAX_EXTRA_DOCUMENTS


def test_quality_gate_agrees(scores: dict) -> None:
    assert report_floors_met(scores)


def test_a_metadata_file_merges_and_never_degrades(shared: Path, tmp_path: Path) -> None:
    """import --metadata MANIFEST.tsv: the manifest fills what the texts lack (years, regions, URLs, Chinese
    titles of untitled texts) and never replaces a better value: no title without Chinese is shown (the
    translations are title_alt), no day-precise date the text states is replaced by the manifest's, no city is
    lost, no URL cell that is not a URL is shown; the import prints every change and refusal."""
    import csv
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    from indexer.extract.pipeline import extract_file
    from indexer.search.service import SearchService

    folder = tmp_path / "reports"
    shutil.copytree(shared / "corpus" / "reports", folder)
    proc = subprocess.run([sys.executable, "-m", "indexer", "import", str(folder), "--index", str(tmp_path / "ix"),
                           "--metadata", str(folder / "MANIFEST.tsv")], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert "title_alt: set to '(EN" in proc.stderr and "date: kept '2013-04-11', not '2024-09-02'" in proc.stderr
    rows = list(csv.DictReader((folder / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    svc = SearchService(tmp_path / "ix")
    checked, problems = 0, []
    try:
        for row in rows:
            doc = svc.document(f"reports/{row['file']}")
            if doc is None or doc.doc_id != f"reports/{row['file']}":  # a text repeating another's
                continue
            own = extract_file(folder / row["file"]).documents[0]
            if not any("\u4e00" <= c <= "\u9fff" for c in doc.title or ""):
                problems.append(f"{row['file']}: title {doc.title!r}")
            if row["title_if_known"].startswith("(EN") and doc.title_alt != row["title_if_known"]:
                problems.append(f"{row['file']}: title_alt {doc.title_alt!r}")
            if own.date_precision == "day" and not own.date_inferred and doc.date != own.date:
                problems.append(f"{row['file']}: date {own.date} → {doc.date}")
            if own.city and doc.region.city != own.city and doc.region.province == own.province:
                problems.append(f"{row['file']}: city {own.city} lost")
            if doc.url and (" " in doc.url or not doc.url.startswith(("http://", "https://"))):
                problems.append(f"{row['file']}: url {doc.url!r}")
            year = row["year_if_known"].strip()[:4]
            if year.isdigit() and own.date is None and doc.year != int(year):
                problems.append(f"{row['file']}: year {doc.year} not filled with {year}")
            checked += 1
    finally:
        svc.close()
    assert problems == []
    assert checked > 300
