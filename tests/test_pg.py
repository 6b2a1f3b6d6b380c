"""What only the PostgreSQL backend promises: several writers at once (row-level locks, no global one), exact
corpus statistics under concurrent writers, duplicates decided across writers, and versioned migrations."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import psycopg
import pytest
from conftest import CORPUS, ROOT

from indexer.index.importer import import_paths
from indexer.pg.writer import PgStore, recount, stored_stats
from indexer.search.backends import open_backend
from indexer.search.service import SearchParams

#: The plain-text files of corpus/ (the office samples add nothing here but import time: OCR).
TEXTS = sorted(CORPUS.glob("*.txt"))
CORPUS_FILES = len(TEXTS)


def cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indexer", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 300) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out


def search(url: str, q: str, **kw) -> int:
    backend = open_backend(url)
    try:
        return backend.search(SearchParams(q=q, **kw)).total
    finally:
        backend.close()


def statistics_agree(url: str) -> None:
    with psycopg.connect(url) as conn:
        assert stored_stats(conn) == recount(conn)


def waits_for_a_lock(url: str, seconds: float = 60) -> bool:
    """Whether another tzsearch session comes to wait for a lock within ``seconds``."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            if conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tzsearch' "
                            "AND wait_event_type = 'Lock'").fetchone()[0]:
                return True
            time.sleep(0.1)
    return False


def copies(tmp_path, names: list[str]) -> list:
    out = []
    for name in names:
        folder = tmp_path / name / "docs"
        folder.mkdir(parents=True)
        for f in TEXTS:
            shutil.copy(f, folder / f.name)
        out.append(folder)
    return out


def test_concurrent_imports_of_the_same_texts_show_each_text_once(tmp_path, pg_url) -> None:
    """Three imports at once of three collections holding the same files: all succeed, every text is shown
    once (the others are its further sources), and the statistics agree with the rows."""
    folders = copies(tmp_path, ["a", "b", "c"])
    procs = [cli("import", str(f), "--database", pg_url, "--collection", f.parent.name, "--procs", "1")
             for f in folders]
    for p in procs:
        finish(p)
    single = tmp_path / "single"
    import_paths([folders[0]], str(single), procs=2)
    assert search(pg_url, "") == search(str(single), "") > 0
    assert search(pg_url, '"一线两面三结合"') == search(str(single), '"一线两面三结合"') > 0
    backend = open_backend(pg_url)
    try:
        doc = backend.document("b/changzhou_2020_tz_work_review.txt")
        assert doc is not None and len(doc.sources) == 3
    finally:
        backend.close()
    statistics_agree(pg_url)
    # the collection whose copies are shown goes away: the next copies take over, concurrently with a re-import
    shown = doc.sources[0].split("/")[0]
    rest = [f for f in folders if f.parent.name != shown]
    shutil.rmtree(folders[["a", "b", "c"].index(shown)])
    empty = tmp_path / shown / "docs"
    empty.mkdir(parents=True)
    (empty / "note.txt").write_text("新增的一份说明材料，用于并发测试。\n", encoding="utf-8")
    procs = [cli("import", str(empty), "--database", pg_url, "--collection", shown, "--prune")] + \
        [cli("import", str(f), "--database", pg_url, "--collection", f.parent.name) for f in rest]
    for p in procs:
        finish(p)
    assert search(pg_url, "") == search(str(single), "") + 1
    assert search(pg_url, '"一线两面三结合"') == search(str(single), '"一线两面三结合"')
    statistics_agree(pg_url)


def test_writers_of_different_sources_do_not_wait_for_each_other(tmp_path, pg_url) -> None:
    """An import holding its transaction open does not stop another import of other files (no global lock);
    an import of the *same* file waits for it (the source's row is locked), then replaces it."""
    first, second = copies(tmp_path, ["one", "two"])
    documents = import_paths([first], pg_url, collection="one").documents
    store = PgStore(pg_url)
    try:
        with store.transaction() as tx:  # a writer in the middle of its import: the source 'one/...' is locked
            assert tx.delete("source_key", "one/changzhou_2020_tz_work_review.txt") > 0
            other = cli("import", str(second), "--database", pg_url, "--collection", "two", "--json")
            summary = json.loads(finish(other, timeout=120))
            assert summary["documents"] == documents
            changed = first / "changzhou_2020_tz_work_review.txt"
            changed.write_text(changed.read_text(encoding="utf-8") + "\n并发写入测试新增的一句。\n", encoding="utf-8")
            same = cli("import", str(first), "--database", pg_url, "--collection", "one", "--json")
            try:
                assert waits_for_a_lock(pg_url), "an import of the same file should wait for the row lock"
                assert same.poll() is None
            except BaseException:
                same.kill()
                same.communicate()
                raise
        summary = json.loads(finish(same))  # our delete committed; the changed file is written
        assert summary["documents"] == 1 and summary["unchanged"] == CORPUS_FILES - 1
    finally:
        store.close()
    assert search(pg_url, '"并发写入测试新增的一句"', collection="one") == 1
    statistics_agree(pg_url)


@pytest.fixture
def small_lock_table_url():
    """A database on a server of its own whose shared lock table is small (a few hundred entries), so that a
    bulk import overflows it with a few thousand per-text locks instead of 20,000."""
    from pg_fixtures import TestServer, new_cluster

    cluster = new_cluster({"max_locks_per_transaction": "10", "max_connections": "20"})
    try:
        yield TestServer(cluster).database()
    finally:
        cluster.destroy()


def _lock_slots(url: str) -> int:
    """The server's shared lock table: max_locks_per_transaction × the processes that may hold locks."""
    with psycopg.connect(url) as conn:
        get = {name: int(conn.execute(f"SHOW {name}").fetchone()[0]) for name in (
            "max_locks_per_transaction", "max_connections", "autovacuum_max_workers", "max_worker_processes",
            "max_wal_senders", "max_prepared_transactions")}
    return get.pop("max_locks_per_transaction") * sum(get.values())


def test_a_bulk_import_of_more_texts_than_the_lock_table_holds_commits(tmp_path, small_lock_table_url) -> None:
    """More small files in one import than the server's shared lock table holds (a per-text advisory lock
    each would overflow it: 'out of shared memory' at commit, the whole import lost) commit under one lock on
    all texts; duplicates among them are still shown once, and a small import afterwards takes its per-text
    locks."""
    pg_url = small_lock_table_url
    files = 3000
    assert files > 4 * _lock_slots(pg_url)  # far more than the table holds, its slack included
    folder = tmp_path / "bulk"
    folder.mkdir()
    for i in range(files):
        n = i % (files - 100)  # the last 100 files repeat the texts of the first 100
        (folder / f"f{i:05d}.txt").write_text(f"第{n}号统战工作简报\n\n编号{n}的简报正文，记录统一战线工作情况。\n",
                                              encoding="utf-8")
    summary = import_paths([folder], pg_url, procs=2, reuse=False)
    assert summary.documents == files
    assert search(pg_url, "") == files - 100
    assert search(pg_url, f'"编号{files - 101}的简报正文"') == 1 and search(pg_url, '"编号42的简报正文"') == 1
    statistics_agree(pg_url)
    import_paths(copies(tmp_path, ["small"]), pg_url)
    assert search(pg_url, '"一线两面三结合"') > 0
    statistics_agree(pg_url)


def test_a_rolled_back_write_leaves_nothing(tmp_path, pg_url) -> None:
    import_paths(copies(tmp_path, ["corpus"]), pg_url)
    before = search(pg_url, "")
    store = PgStore(pg_url)
    try:
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.delete("collection", "docs")
            raise RuntimeError("the import failed half-way")
    finally:
        store.close()
    assert search(pg_url, "") == before
    statistics_agree(pg_url)


def test_db_upgrade_status_check(tmp_path, pg_url) -> None:
    out = finish(cli("db", "upgrade", "--database", pg_url))
    assert "schema version 3 (applied 0001_initial, 0002_attachments, 0003_relations)" in out
    assert "already up to date" in finish(cli("db", "upgrade", "--database", pg_url))
    import_paths(copies(tmp_path, ["corpus"]), pg_url)
    status = json.loads(finish(cli("db", "status", "--database", pg_url, "--json")))
    assert status["documents"] == search(pg_url, "", group="document") > 0 and status["statistics_agree"] is True
    assert "agree" in finish(cli("db", "check", "--database", pg_url))
    assert "rebuilt" in finish(cli("db", "optimize", "--database", pg_url))
    assert search(pg_url, '"一线两面三结合"') > 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE tz_stats SET sections = sections + 1 WHERE shard = 0")
    proc = cli("db", "check", "--database", pg_url)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "differ" in err


def test_an_older_schema_is_refused_until_upgraded_and_upgrading_applies_only_what_it_lacks(tmp_path,
                                                                                           pg_url) -> None:
    import_paths(copies(tmp_path, ["corpus"]), pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as a database written before 0002 was
        conn.execute("DELETE FROM tz_schema WHERE version >= 2")
        conn.execute("DROP INDEX tz_documents_parent")
        conn.execute("DROP TABLE tz_doc_status, tz_references, tz_doc_keys")
        conn.execute("ALTER TABLE tz_sections DROP COLUMN issuer")
    proc = cli("search", "一线两面三结合", "--database", pg_url)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "db upgrade" in err and "Traceback" not in err
    out = finish(cli("db", "upgrade", "--database", pg_url))
    assert "(applied 0002_attachments, 0003_relations)" in out
    assert search(pg_url, '"一线两面三结合"') > 0


@pytest.mark.parametrize("change,message", [
    ("INSERT INTO tz_schema (version, name) VALUES (99, 'future')", "newer than this code"),
    ("UPDATE tz_meta SET value = '0' WHERE key = 'tokens_version'", "rebuild"),
])
def test_a_database_of_another_version_is_refused_with_a_message(tmp_path, pg_url, change, message) -> None:
    folder = copies(tmp_path, ["corpus"])[0]
    import_paths([folder], pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(change)
    for args in (["search", "x"], ["import", str(folder)]):
        proc = cli(*args, "--database", pg_url)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 2 and message in err and "Traceback" not in err
