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
