"""Index writes: re-import replaces, unchanged files change nothing, kills and concurrent imports are safe —
on both backends where the behaviour is the same (``target``: a fresh index folder or a fresh database)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from indexer.extract.filetypes import skip_reason
from indexer.index.importer import import_paths
from indexer.search.backends import is_database, open_backend
from indexer.search.service import SearchParams

DOC_V1 = "关于加强统战工作的通知\n\n一、总体要求\n\n各地要坚持大统战工作格局，凝聚共识。旧版独有措辞甲乙丙。\n"
DOC_V2 = "关于加强统战工作的通知\n\n一、总体要求\n\n各地要坚持大统战工作格局，凝聚共识。新版独有措辞丁戊己。\n\n二、工作措施\n\n建立联系制度。\n"

#: Documents in corpus/: the five seeds and the office-format samples.
CORPUS_FILES = sum(1 for f in CORPUS.iterdir() if skip_reason(f) is None)


def total(index_dir, q: str) -> int:
    svc = open_backend(index_dir)
    try:
        return svc.search(SearchParams(q=q)).total
    finally:
        svc.close()


def where(target) -> list[str]:
    """The command-line option naming ``target``."""
    return ["--database", target] if is_database(target) else ["--index", str(target)]


def test_changed_file_replaces_its_sections(tmp_path, target) -> None:
    doc = tmp_path / "docs" / "notice.txt"
    doc.parent.mkdir()
    doc.write_text(DOC_V1, encoding="utf-8")
    index = target
    first = import_paths([doc.parent], index)
    assert first.documents == 1 and total(index, '"旧版独有措辞"') == 1
    doc.write_text(DOC_V2, encoding="utf-8")
    second = import_paths([doc.parent], index)
    assert second.replaced == 1
    assert total(index, '"旧版独有措辞"') == 0
    assert total(index, '"新版独有措辞"') == 1
    assert total(index, "") == second.sections


def test_unchanged_file_changes_nothing(target) -> None:
    index = target
    import_paths([CORPUS], index)
    before = total(index, "")
    manifest = None if is_database(index) else (index / "manifest.json").read_bytes()
    again = import_paths([CORPUS], index)
    assert again.unchanged == CORPUS_FILES and again.sections == 0
    if manifest is not None:
        assert (index / "manifest.json").read_bytes() == manifest, "a no-op import published a generation"
    assert total(index, "") == before > 0


def test_bad_files_are_skipped_with_reasons(tmp_path, target) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / "changzhou_2020_tz_work_review.txt", folder)
    (folder / "scan.txt").write_bytes(b"%PDF-1.4" + bytes(range(256)))
    (folder / "empty.html").write_text("<html><body></body></html>")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    summary = import_paths([folder], target)
    assert summary.documents == 1
    reasons = dict(summary.skipped)
    assert len(reasons) == 3 and all(reasons.values())


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indexer", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _writing(index) -> bool:
    """Whether an import holds the index's write lock, or (a database) has written in an open transaction."""
    if is_database(index):
        import psycopg

        with psycopg.connect(index, autocommit=True) as conn:
            return bool(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tzsearch' "
                                     "AND backend_xid IS NOT NULL AND datname = current_database()").fetchone()[0])
    return _lock_held(index)


def _lock_held(index) -> bool:
    from indexer.index.store import IndexBusy
    from indexer.index.transaction import IndexLock

    try:
        IndexLock(index).acquire().release()
    except IndexBusy:
        return True
    return False


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig,moment", [(signal.SIGKILL, "writing"), (signal.SIGTERM, "writing"),
                                        (signal.SIGKILL, "extracting")])
def test_killed_import_leaves_previous_index_and_no_process(tmp_path, target, sig, moment) -> None:
    """kill -9 / -TERM of a two-process import: the previous index stays readable, no worker survives its
    parent, and the next import works (nothing holds the write lock; a database rolled the import back)."""
    index = target
    import_paths([CORPUS], index)
    before = total(index, "统一战线")
    big = tmp_path / "big"
    big.mkdir()
    text = (CORPUS / "shanghai_tzb_intro_and_2020_summary.txt").read_text(encoding="utf-8")
    for i in range(600):
        (big / f"copy{i:03}.txt").write_text(text.replace("市委统战部", f"第{i}号统战部"), encoding="utf-8")
    proc = _cli("import", str(big), *where(index), "--procs", "2")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and (moment == "extracting" or _writing(index)):
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the import finished before it could be killed"
    os.kill(proc.pid, sig)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived its killed parent"
    assert not _writing(index) if is_database(index) else not _lock_held(index)
    assert total(index, "统一战线") == before
    assert import_paths([CORPUS / "changzhou_2020_tz_work_review.txt"], index, collection="more").documents == 1


def test_moving_or_copying_the_folder_changes_nothing_and_prune_removes_gone_files(tmp_path, target) -> None:
    first = tmp_path / "a" / "docs"
    shutil.copytree(CORPUS, first)
    index = target
    import_paths([first], index)
    count = total(index, "")
    moved = tmp_path / "elsewhere" / "docs"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    again = import_paths([moved], index)
    assert again.unchanged == CORPUS_FILES and again.documents == 0 and total(index, "") == count
    (moved / "changzhou_2020_tz_work_review.txt").unlink()
    kept = import_paths([moved], index)
    assert kept.pruned == 0 and total(index, '"创新举措凝心聚力"') > 0, "without --prune nothing is removed"
    pruned = import_paths([moved], index, prune=True)
    assert pruned.pruned == 1 and total(index, '"创新举措凝心聚力"') == 0


def test_ids_never_hold_a_server_path(tmp_path, target) -> None:
    from indexer.search.results import to_json

    folder = tmp_path / "secret-server-dir" / "docs"
    shutil.copytree(CORPUS, folder)
    index = target
    import_paths([folder], index)
    svc = open_backend(index)
    try:
        text = str(to_json(svc.search(SearchParams(q="统一战线", per_page=100))))
        doc = svc.document("docs/changzhou_2020_tz_work_review.txt")
        assert doc is not None and "secret-server-dir" not in str(to_json(doc))
    finally:
        svc.close()
    assert "docs/changzhou_2020_tz_work_review.txt" in text and "secret-server-dir" not in text


def test_an_index_of_another_format_asks_for_an_upgrade(tmp_path) -> None:
    import json

    from indexer.index.store import IndexFormatError, open_index

    index = tmp_path / "index"
    import_paths([CORPUS], index)
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 3
    (index / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexFormatError, match="upgrade"):
        open_index(index)
    proc = _cli("search", "x", "--index", str(index))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "python -m indexer upgrade" in err and "Traceback" not in err


def test_second_import_is_refused_while_one_writes(tmp_path) -> None:
    from indexer.index.transaction import IndexLock

    index = tmp_path / "index"
    import_paths([CORPUS], index)
    with IndexLock(index):  # what a running import holds
        proc = _cli("import", str(CORPUS), "--index", str(index))
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 3
        assert "another import" in err and "Traceback" not in err


def test_delete_command(target) -> None:
    index = target
    import_paths([CORPUS], index)
    doc_id = "corpus/changzhou_2020_tz_work_review.txt"
    before = total(index, "")
    proc = _cli("delete", doc_id, *where(index))
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert total(index, "常州") == total(index, '"常州"') == 0 or total(index, "title:常州") == 0
    assert 0 < total(index, "") < before
    again = import_paths([CORPUS], index)
    assert again.documents == 1 and total(index, "") == before, "a deleted file's document comes back on re-import"
    missing = _cli("delete", "nope", *where(index))
    missing.communicate(timeout=60)
    assert missing.returncode == 1


@pytest.mark.parametrize("args", [["search", "x", "--index", "/nonexistent/ix"], ["stats", "--index", "/nonexistent/ix"]])
def test_missing_index_is_a_clear_error(args) -> None:
    proc = _cli(*args)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "no index" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["search", "x"], ["stats"], ["import", str(CORPUS)], ["delete", "x"],
                                     ["db", "upgrade"]])
def test_an_unreachable_database_is_a_clear_error(command) -> None:
    """No server listens there: one line naming the database (never a password), no traceback."""
    proc = _cli(*command, "--database", "postgresql://someone:secret@127.0.0.1:1/archive")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "cannot reach the database 127.0.0.1:1/archive" in err, err
    assert "Traceback" not in err and "secret" not in err


def test_an_empty_database_asks_for_an_import(pg_url) -> None:
    proc = _cli("search", "x", "--database", pg_url)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "no index in the database" in err and "Traceback" not in err


def test_an_index_never_written_to_searches_empty(target) -> None:
    from indexer.index.store import open_index

    if is_database(target):
        proc = _cli("db", "upgrade", "--database", target)
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    else:
        open_index(target, create=True)
    svc = open_backend(target)
    try:
        assert svc.search(SearchParams(q="统一战线")).total == 0 and svc.stats().documents == 0
    finally:
        svc.close()
