"""Index writes: re-import replaces, unchanged files change nothing, kills and concurrent imports are safe."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import CORPUS, ROOT
from whoosh import index as whoosh_index

from indexer.extract.filetypes import skip_reason
from indexer.index.importer import import_paths
from indexer.search.service import SearchParams, SearchService

DOC_V1 = "关于加强统战工作的通知\n\n一、总体要求\n\n各地要坚持大统战工作格局，凝聚共识。旧版独有措辞甲乙丙。\n"
DOC_V2 = "关于加强统战工作的通知\n\n一、总体要求\n\n各地要坚持大统战工作格局，凝聚共识。新版独有措辞丁戊己。\n\n二、工作措施\n\n建立联系制度。\n"


def total(index_dir, q: str) -> int:
    svc = SearchService(index_dir)
    try:
        return svc.search(SearchParams(q=q))["total"]
    finally:
        svc.close()


def test_changed_file_replaces_its_sections(tmp_path) -> None:
    doc = tmp_path / "docs" / "notice.txt"
    doc.parent.mkdir()
    doc.write_text(DOC_V1, encoding="utf-8")
    index = tmp_path / "index"
    first = import_paths([doc.parent], index)
    assert first.documents == 1 and total(index, '"旧版独有措辞"') == 1
    doc.write_text(DOC_V2, encoding="utf-8")
    second = import_paths([doc.parent], index)
    assert second.replaced == 1
    assert total(index, '"旧版独有措辞"') == 0
    assert total(index, '"新版独有措辞"') == 1
    assert total(index, "") == second.sections


def test_unchanged_file_changes_nothing(tmp_path) -> None:
    index = tmp_path / "index"
    import_paths([CORPUS], index)
    generation = whoosh_index.open_dir(str(index)).latest_generation()
    again = import_paths([CORPUS], index)
    documents = [f for f in CORPUS.iterdir() if skip_reason(f) is None]  # the seeds and the office samples
    assert again.unchanged == len(documents) and again.sections == 0
    assert whoosh_index.open_dir(str(index)).latest_generation() in (generation, generation + 1)
    assert total(index, "") > 0


def test_bad_files_are_skipped_with_reasons(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / "changzhou_2020_tz_work_review.txt", folder)
    (folder / "scan.txt").write_bytes(b"%PDF-1.4" + bytes(range(256)))
    (folder / "empty.html").write_text("<html><body></body></html>")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    summary = import_paths([folder], tmp_path / "index")
    assert summary.documents == 1
    reasons = dict(summary.skipped)
    assert len(reasons) == 3 and all(reasons.values())


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indexer", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def test_killed_import_leaves_previous_index(tmp_path) -> None:
    index = tmp_path / "index"
    import_paths([CORPUS], index)
    before = total(index, "统一战线")
    big = tmp_path / "big"
    big.mkdir()
    text = (CORPUS / "shanghai_tzb_intro_and_2020_summary.txt").read_text(encoding="utf-8")
    for i in range(400):
        (big / f"copy{i:03}.txt").write_text(text.replace("市委统战部", f"第{i}号统战部"), encoding="utf-8")
    proc = _cli("import", str(big), "--index", str(index))
    time.sleep(4)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert total(index, "统一战线") == before
    import_paths([CORPUS], index)  # and the index still takes writes


def test_second_import_is_refused_while_one_writes(tmp_path) -> None:
    index = tmp_path / "index"
    import_paths([CORPUS], index)
    lock = whoosh_index.open_dir(str(index)).storage.lock("MAIN_WRITELOCK")
    assert lock.acquire()  # what a running import holds
    try:
        proc = _cli("import", str(CORPUS), "--index", str(index))
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 3
        assert "another import" in err and "Traceback" not in err
    finally:
        lock.release()


def test_delete_command(tmp_path) -> None:
    index = tmp_path / "index"
    import_paths([CORPUS], index)
    doc_id = "corpus/changzhou_2020_tz_work_review.txt"
    proc = _cli("delete", doc_id, "--index", str(index))
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert total(index, "常州") == total(index, '"常州"') == 0 or total(index, "title:常州") == 0
    missing = _cli("delete", "nope", "--index", str(index))
    missing.communicate(timeout=60)
    assert missing.returncode == 1


@pytest.mark.parametrize("args", [["search", "x", "--index", "/nonexistent/ix"], ["stats", "--index", "/nonexistent/ix"]])
def test_missing_index_is_a_clear_error(args) -> None:
    proc = _cli(*args)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "no index" in err and "Traceback" not in err
