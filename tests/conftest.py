"""Shared fixtures: paths to the shipped corpus, the test data and (when present) ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("TZSEARCH_SHARED", ROOT.parent / "shared"))

#: seeds.json key prefix → the file's name in corpus/
SEED_FILES = {
    "000": "shanghai_tzb_intro_and_2020_summary.txt",
    "001": "shanghai_2024_tzb_ministers_meeting_pinyin_damaged.txt",
    "002": "changzhou_2020_tz_work_review.txt",
    "003": "anonymised_city_tzb_2020_summary_with_ads.txt",
    "004": "anonymised_county_grassroots_tz_report_speech.txt",
}


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, or skip the test when it is not on this machine."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); this test needs its real corpus")
    return SHARED


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """An index of the shipped corpus/ — the same data on every machine — built once per test session.
    Returns (index_dir, source_folder)."""
    from index_fixtures import build_index, copy_folder

    base = tmp_path_factory.mktemp("corpus_index")
    folder = copy_folder(CORPUS, base / "corpus", "*.txt")
    return build_index(folder, base / "index"), folder


@pytest.fixture(scope="session")
def service(corpus_index):
    from indexer.search.service import SearchService

    svc = SearchService(corpus_index[0])
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def reports_index(shared, tmp_path_factory):
    """An index of ../shared's 367 real reports (skipped where ../shared is absent). (index_dir, folder)"""
    from index_fixtures import build_index, copy_folder

    base = tmp_path_factory.mktemp("reports_index")
    folder = copy_folder(shared / "corpus" / "reports", base / "reports", "*.txt")
    return build_index(folder, base / "index"), folder


@pytest.fixture(scope="session")
def reports_service(reports_index):
    from indexer.search.service import SearchService

    svc = SearchService(reports_index[0])
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def research_index(tmp_path_factory):
    """An index of the research corpus (tests/research_corpus.py): known dates and regions."""
    import research_corpus

    return research_corpus.build(tmp_path_factory.mktemp("research"))


@pytest.fixture(scope="session")
def research_service(research_index):
    from indexer.search.service import SearchService

    svc = SearchService(research_index)
    yield svc
    svc.close()
