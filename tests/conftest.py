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


#: The search backends every backend-independent test runs against (see indexer/search/backends.py).
BACKENDS = ["whoosh", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    """The session's own PostgreSQL server (skips where PostgreSQL cannot be installed or started)."""
    from pg_fixtures import TestServer, new_cluster

    cluster = new_cluster()
    yield TestServer(cluster)
    cluster.destroy()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A new, empty database."""
    return pg_server.database()


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path):
    """Where a test imports to: a fresh index folder, or a fresh database."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "index"


def _imported_db(pg_server, folder: Path) -> str:
    from indexer.index.importer import import_paths

    url = pg_server.database()
    import_paths([folder], url, procs=2)
    return url


@pytest.fixture(scope="session")
def corpus_db(pg_server, corpus_index) -> str:
    """The same files as ``corpus_index``, imported into a database. Returns its URL."""
    return _imported_db(pg_server, corpus_index[1])


def _backend(request, folder_fixture: str, db_fixture: str):
    from indexer.search.backends import open_backend

    if request.param == "postgresql":
        return open_backend(request.getfixturevalue(db_fixture))
    index = request.getfixturevalue(folder_fixture)
    return open_backend(index[0] if isinstance(index, tuple) else index)


@pytest.fixture(scope="session", params=BACKENDS)
def service(request):
    """The shipped corpus behind each search backend."""
    svc = _backend(request, "corpus_index", "corpus_db")
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
def reports_db(pg_server, reports_index) -> str:
    return _imported_db(pg_server, reports_index[1])


@pytest.fixture(scope="session", params=BACKENDS)
def reports_service(request):
    """../shared's reports behind each search backend."""
    svc = _backend(request, "reports_index", "reports_db")
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def research_index(tmp_path_factory):
    """An index of the research corpus (tests/research_corpus.py): known dates and regions."""
    import research_corpus

    return research_corpus.build(tmp_path_factory.mktemp("research"))


@pytest.fixture(scope="session")
def research_db(pg_server, tmp_path_factory) -> str:
    """The research corpus imported into a database."""
    import research_corpus

    return str(research_corpus.build(tmp_path_factory.mktemp("research_db"), pg_server.database()))


@pytest.fixture(scope="session", params=BACKENDS)
def research_service(request):
    """The research corpus behind each search backend."""
    svc = _backend(request, "research_index", "research_db")
    yield svc
    svc.close()
