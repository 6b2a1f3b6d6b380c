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


def test_a_metadata_file_wins_over_inference(shared: Path, tmp_path: Path) -> None:
    """import --metadata MANIFEST.tsv: every field the manifest gives is the one the index shows."""
    import csv
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    from indexer.extract.regions import normalize_region
    from indexer.search.service import SearchService

    folder = tmp_path / "reports"
    shutil.copytree(shared / "corpus" / "reports", folder)
    proc = subprocess.run([sys.executable, "-m", "indexer", "import", str(folder), "--index", str(tmp_path / "ix"),
                           "--metadata", str(folder / "MANIFEST.tsv")], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader((folder / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    svc = SearchService(tmp_path / "ix")
    checked = 0
    try:
        for row in rows:
            doc = svc.document(f"reports/{row['file']}")
            if doc is None:  # a file whose text repeats another's is shown as that one
                continue
            title = row["title_if_known"].strip()
            if title and doc.doc_id == f"reports/{row['file']}":
                assert doc.title == title and not doc.title_derived, row["file"]
            year = row["year_if_known"].strip()[:4]
            if year.isdigit() and doc.doc_id == f"reports/{row['file']}":
                assert doc.year == int(year), row["file"]
            place = normalize_region(row["region_if_known"]) if row["region_if_known"].strip() else None
            if place and doc.doc_id == f"reports/{row['file']}":
                assert doc.region.province == place.province, row["file"]
            url = row["source_url_if_known"].strip()
            if url and doc.doc_id == f"reports/{row['file']}":
                assert doc.url == url, row["file"]
            checked += 1
    finally:
        svc.close()
    assert checked > 300
