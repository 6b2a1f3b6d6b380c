"""The index lifecycle: one publish step, failures and kills at every stage, damage found and repaired,
upgrades in place, merges without re-tokenising (see indexer/index/transaction.py and README "Index lifecycle")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, DATA, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.document import Document, Extraction, Section
from indexer.index import derived
from indexer.index.importer import import_paths
from indexer.index.maintenance import check
from indexer.index.manifest import read_manifest, verify
from indexer.index.store import IndexDamaged, IndexFormatError, RecordError
from indexer.index.transaction import FANOUT
from indexer.search.backends import open_backend, open_store
from indexer.search.service import SearchParams
from indexer.text.normalize import normalize

TEXTS = sorted(CORPUS.glob("*.txt"))
QUERIES = ['"统一战线"', '"民营企业家"', '"两个健康"', "统战 工作", '"常州"', "title:工作", ""]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def answers(index: Path) -> list[tuple[int, list[str]]]:
    """What users see for a few queries: totals and the hits' section ids (sorted: ties between equal scores
    are broken by the index's internal order, which a merge changes)."""
    svc = open_backend(index)
    try:
        out = []
        for q in QUERIES:
            r = svc.search(SearchParams(q=q, per_page=50))
            out.append((r.total, sorted(h.section_id for h in r.hits)))
        return out
    finally:
        svc.close()


def folder_of(tmp_path: Path, name: str, files: list[Path]) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def files_of(index: Path) -> set[str]:
    return {str(p.relative_to(index)) for p in index.rglob("*") if p.is_file()}


def named_files(index: Path) -> set[str]:
    """Files a published manifest (or the one before it) names, plus the index's own small files."""
    names: set[str] = {"manifest.json", "manifest.prev.json", "tzsearch.lock", "MAIN_WRITELOCK"}
    for name in ("manifest.json", "manifest.prev.json"):
        m = read_manifest(index, name)
        if m is not None:
            names |= set(m.files)
    return names


# ------------------------------------------------------------------------------ failures at every stage
STAGES = ["write", "build", "commit", "publish", "merge"]


@pytest.mark.parametrize("action", ["raise", "kill"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_failure_at_any_stage_publishes_nothing_and_the_next_import_works(tmp_path, stage, action) -> None:
    """An import that fails (an error, or kill -9) at any stage of write, build, merge, commit or publish
    leaves the previous generation searchable as it was, and the next import works and cleans up."""
    index = tmp_path / "index"
    first = folder_of(tmp_path, "first", TEXTS[:2])
    import_paths([first], index, reuse=False)
    for i in range(FANOUT - 1 if stage == "merge" else 0):  # FANOUT small segments: the next commit merges
        extra = tmp_path / f"extra{i}"
        extra.mkdir()
        (extra / "n.txt").write_text(f"关于第{i}批统一战线工作的通知\n\n各单位要做好第{i}批工作。\n", encoding="utf-8")
        import_paths([extra], index, collection=f"extra{i}", reuse=False)
    before = answers(index)
    manifest = (index / "manifest.json").read_bytes()
    second = folder_of(tmp_path, "second", TEXTS[2:])
    proc = _cli("import", str(second), "--index", str(index), "--procs", "2", "--no-reuse",
                env={"TZSEARCH_FAULT": f"{stage}:{action}"})
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    if action == "raise":
        assert "nothing was published" in proc.stderr
    assert (index / "manifest.json").read_bytes() == manifest
    assert answers(index) == before
    again = import_paths([second], index, reuse=False)
    assert again.documents > 0 and not again.skipped
    assert answers(index) != before
    leftovers = files_of(index) - named_files(index)
    assert not {f for f in leftovers if not f.startswith("reuse/")}, "files of no generation were left behind"


@pytest.mark.parametrize("stage", ["published", "collect"])
def test_a_failure_after_the_publish_step_keeps_the_new_generation_whole(tmp_path, stage) -> None:
    """An error (or Ctrl-C) once the manifest is renamed must not remove the files it names: the new generation
    is the index, sound and searchable (it was rolled back as if unpublished, leaving a manifest naming
    deleted files: a store of record that only importing everything again could mend)."""
    index = tmp_path / "index"
    import_paths([folder_of(tmp_path, "first", TEXTS[:2])], index, reuse=False)
    second = folder_of(tmp_path, "second", TEXTS[2:])
    proc = _cli("import", str(second), "--index", str(index), "--no-reuse", env={"TZSEARCH_FAULT": f"{stage}:raise"})
    assert "Traceback" not in proc.stderr and "nothing was published" not in proc.stderr, proc.stderr
    if stage == "published":  # the import failed, and says its documents are in
        assert proc.returncode != 0 and "was published (the documents are in the index)" in proc.stderr
    else:  # removing the replaced generation's files failed: the next writer removes them
        assert proc.returncode == 0 and "the next import removes them" in proc.stderr, proc.stderr
    report = check(index)
    assert report.ok, report.problems
    assert read_manifest(index).generation == 2
    published = answers(index)
    again = import_paths([second], index, reuse=False)
    assert again.unchanged == len(TEXTS[2:]) and again.documents == 0
    assert answers(index) == published


def test_a_full_disk_when_shared_wording_is_saved_does_not_fail_a_published_import(tmp_path, monkeypatch,
                                                                                  caplog) -> None:
    """The comparison for shared wording runs after the publish step: when it fails (a disk full as its arrays
    are saved) the import is in the index, so it must not fail saying "nothing was published, the index is as
    it was" — it warns and names the command that catches up."""
    import errno

    from indexer.reuse import store as reuse_store

    index = tmp_path / "index"
    import_paths([folder_of(tmp_path, "first", TEXTS[:2])], index)

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(reuse_store, "save", full)
    summary = import_paths([folder_of(tmp_path, "second", TEXTS[2:])], index)
    assert summary.files == len(TEXTS[2:]) and summary.documents >= summary.files and not summary.skipped
    assert read_manifest(index).generation == 2 and check(index).ok
    assert "reuse --update" in caplog.text


@pytest.mark.parametrize("stage", ["build", "write"])
def test_a_full_disk_is_a_clear_error_and_leaves_no_temporary_files(tmp_path, stage) -> None:
    """At "write" the store's writer had begun its segment's files (and, on a real full disk, its MAIN.tmp
    folder): they were left taking space until the next writer collected them."""
    index = tmp_path / "index"
    import_paths([folder_of(tmp_path, "first", TEXTS[:1])], index, reuse=False)
    before = files_of(index)
    proc = _cli("import", str(folder_of(tmp_path, "second", TEXTS[1:])), "--index", str(index),
                env={"TZSEARCH_FAULT": f"{stage}:enospc"})
    assert proc.returncode == 2 and "No space left on device" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") <= 2, proc.stderr
    assert files_of(index) - {"tzsearch.lock"} <= before


# ------------------------------------------------------------------------------ records the index cannot hold
def _extraction(doc_id: str, text: str) -> Extraction:
    doc = Document(doc_id=doc_id, title="关于测试的通知", sections=[Section(f"{doc_id}#1", None, text)])
    return Extraction(documents=[doc])


@pytest.mark.parametrize("text", ["名字𠀀𪚥之外\ud800还有", "空字符\x00在此"])
def test_a_record_the_index_cannot_hold_is_refused_before_anything_changes(tmp_path, target, text) -> None:
    import_paths([folder_of(tmp_path, "first", TEXTS[:1])], target, reuse=False)
    store = open_store(target)
    try:
        with store.transaction() as tx:
            with pytest.raises(RecordError):
                tx.write(_extraction("bad/doc", text), "bad/doc", "d1", "bad")
            tx.write(_extraction("good/doc", "名字𠀀𪚥之外一切正常的统一战线文字"), "good/doc", "d2", "good")
    finally:
        store.close()
    svc = open_backend(target)
    try:
        assert svc.search(SearchParams(q='"𪚥之外"')).total == 1
        assert svc.search(SearchParams(q="", collection="bad")).total == 0
        assert svc.stats().documents == 2
    finally:
        svc.close()


# ------------------------------------------------------------------------------ damage found and repaired
def _built(tmp_path: Path) -> Path:
    index = tmp_path / "index"
    import_paths([folder_of(tmp_path, "docs", TEXTS)], index, reuse=False)
    return index


def test_check_finds_every_single_byte_flip_in_derived_files(tmp_path) -> None:
    """CRC-32 detects every single-byte change; shown exhaustively on one file and at sample positions of
    every derived file through the `check` command itself."""
    index = _built(tmp_path)
    manifest = read_manifest(index)
    assert manifest is not None
    derived_files = sorted(n for n in manifest.files if n.startswith("derived/"))
    small = min(derived_files, key=lambda n: manifest.files[n][0])
    path = index / small
    original = path.read_bytes()
    for pos in range(len(original)):
        flipped = bytearray(original)
        flipped[pos] ^= 0x40
        path.write_bytes(bytes(flipped))
        assert verify(index, {small: manifest.files[small]}), f"flip at {pos} of {small} not found"
    path.write_bytes(original)
    assert _cli("check", "--index", str(index)).returncode == 0
    for name in derived_files:
        path = index / name
        original = path.read_bytes()
        for pos in sorted({0, len(original) // 2, len(original) - 1}):
            flipped = bytearray(original)
            flipped[pos] ^= 0x01
            path.write_bytes(bytes(flipped))
            report = check(index)
            assert not report.ok and any(name in p for p in report.problems), (name, pos)
            path.write_bytes(original)
    path = index / derived_files[0]
    path.write_bytes(b"x" + path.read_bytes()[1:])
    proc = _cli("check", "--index", str(index), "--json")
    assert proc.returncode == 1 and derived_files[0] in " ".join(json.loads(proc.stdout)["problems"])


def test_damaged_derived_data_is_refused_and_repair_restores_the_same_answers(tmp_path) -> None:
    index = _built(tmp_path)
    expected = answers(index)
    manifest = read_manifest(index)
    assert manifest is not None
    text = next(index / n for n in manifest.files if n.endswith("/text.bin"))
    data = bytearray(text.read_bytes())
    pos = data.find("民营企业家".encode())
    data[pos + 1] ^= 0x01  # a flipped byte inside a wording users search
    text.write_bytes(bytes(data))
    starts = next(index / n for n in manifest.files if n.endswith("/starts.npy"))
    raw = bytearray(starts.read_bytes())
    raw[-16:] = raw[-8:] + raw[-16:-8]  # two section offsets swapped
    starts.write_bytes(bytes(raw))
    with pytest.raises(IndexDamaged):
        answers(index)
    proc = _cli("search", '"民营企业家"', "--index", str(index))
    assert proc.returncode == 2 and "damaged" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("repair", "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    assert _cli("check", "--index", str(index)).returncode == 0
    assert answers(index) == expected


def test_missing_parts_and_a_missing_manifest_are_rebuilt(tmp_path) -> None:
    index = _built(tmp_path)
    expected = answers(index)
    shutil.rmtree(index / "derived")
    assert _cli("check", "--index", str(index)).returncode == 1
    assert _cli("repair", "--index", str(index)).returncode == 0
    assert answers(index) == expected
    (index / "manifest.json").unlink()
    (index / "manifest.prev.json").unlink()
    assert _cli("repair", "--index", str(index)).returncode == 0
    assert answers(index) == expected


@pytest.mark.parametrize("damage", ["truncated", "empty", "not json"])
def test_a_damaged_manifest_is_repaired_as_check_says(tmp_path, damage) -> None:
    """check says "run: repair" for a manifest.json that is not valid JSON; repair must then work (it kept the
    damaged manifest as the previous one by parsing it, and failed with a JSONDecodeError traceback: no command
    could mend the index)."""
    index = _built(tmp_path)
    expected = answers(index)
    manifest = index / "manifest.json"
    data = manifest.read_bytes()
    manifest.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "not json": b"\x00" * len(data)}[damage])
    proc = _cli("check", "--index", str(index))
    assert proc.returncode == 1 and "repair" in proc.stdout
    proc = _cli("repair", "--index", str(index))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert _cli("check", "--index", str(index)).returncode == 0
    assert answers(index) == expected


@pytest.mark.parametrize("command", [["repair"], ["upgrade"], ["delete", "x/y.txt"]])
def test_a_read_only_index_folder_is_a_clear_refusal(tmp_path, monkeypatch, capsys, command) -> None:
    """The write lock cannot be created in a read-only folder (or one the user may not write): repair, upgrade
    and delete said so with a traceback (import already said it in a line)."""
    import errno

    from indexer.cli.main import main
    from indexer.index.transaction import IndexLock

    index = _built(tmp_path)

    def read_only(self: IndexLock) -> IndexLock:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self.path))

    monkeypatch.setattr(IndexLock, "acquire", read_only)
    extra = ["--procs", "1"] if command[0] != "delete" else []
    assert main([*command, "--index", str(index), *extra]) == 2
    err = capsys.readouterr().err
    assert "Read-only file system" in err and "tzsearch.lock" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["check"], ["search", "x"], ["repair"], ["import", str(TEXTS[0])]])
def test_an_index_path_that_is_a_file_is_named_as_such(tmp_path, command) -> None:
    """check and search called it a damaged index ("run: repair"), repair "no index", import "File exists"."""
    index = tmp_path / "index"
    index.write_text("not an index\n", encoding="utf-8")
    proc = _cli(*command, "--index", str(index))
    assert proc.returncode == 2 and "is a file, not an index folder" in proc.stderr, proc.stderr
    assert index.read_text(encoding="utf-8") == "not an index\n"


def test_a_first_import_killed_before_its_empty_generation_is_published_is_no_index(tmp_path) -> None:
    """What a first import killed inside create_index leaves (an empty table of contents, no manifest) was
    reported as "written by an older version of tzsearch: run upgrade"; it is no index, and importing works."""
    from whoosh.index import FileIndex

    from indexer.index.storage import INDEXNAME, PinnedStorage
    from indexer.index.store import build_schema

    index = tmp_path / "index"
    index.mkdir()
    FileIndex.create(PinnedStorage(index, None), build_schema(), indexname=INDEXNAME)
    proc = _cli("check", "--index", str(index))
    assert proc.returncode == 2 and "no index" in proc.stderr and "older version" not in proc.stdout + proc.stderr
    assert import_paths([folder_of(tmp_path, "first", TEXTS[:1])], index, reuse=False).documents >= 1
    assert check(index).ok


@pytest.mark.parametrize("command", ["repair", "upgrade"])
def test_a_rebuild_keeps_the_replaced_generation_for_readers_that_just_opened_it(tmp_path, command) -> None:
    """As after a commit, the files of the generation a rebuild replaces stay until the next writer: repair
    --all and upgrade removed them at once, so a reader (a server worker starting, a search) that had just
    read the previous manifest found its parts missing and was told the index is damaged."""
    from indexer.search.generation import Generation

    index = _built(tmp_path)
    before = read_manifest(index)
    args = ["repair", "--all"] if command == "repair" else ["upgrade"]
    assert _cli(*args, "--index", str(index)).returncode == 0
    assert read_manifest(index).generation == before.generation + 1
    assert not verify(index, before.files)
    Generation(index, before).close()  # loads and verifies the replaced generation


def test_a_damaged_store_of_record_is_named_and_not_rebuilt(tmp_path) -> None:
    index = _built(tmp_path)
    manifest = read_manifest(index)
    assert manifest is not None
    stored = next(index / n for n in manifest.files if n.endswith("._stored.col"))
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    proc = _cli("repair", "--index", str(index))
    assert proc.returncode == 2 and "store of record is damaged" in proc.stderr and "into a new index folder" in proc.stderr
    # an import refuses to write on top of it (it published a generation naming the damaged file, reported
    # done); searching says what helps (it said "run repair", which cannot)
    files = sorted(p.name for p in index.iterdir())
    new = tmp_path / "new.txt"
    new.write_text("关于统一战线新工作的通知\n\n统一战线新工作要做好。\n", encoding="utf-8")
    proc = _cli("import", str(new), "--index", str(index))
    assert proc.returncode != 0 and "store of record is damaged" in proc.stderr and stored.name in proc.stderr
    assert "into a new index folder" in proc.stderr and "nothing was published" in proc.stderr
    assert sorted(p.name for p in index.iterdir()) == files and read_manifest(index) == manifest
    with pytest.raises(IndexDamaged, match="into a new index folder") as damaged:
        answers(index)
    assert "indexer repair" not in str(damaged.value)


def test_a_damaged_segment_is_never_merged_into_a_new_one(tmp_path) -> None:
    """An import that skips the shared-wording update (it checks sizes, not every checksum, before writing)
    still reads each segment it merges first: merged, a flipped byte would be copied into a new segment whose
    checksums are right, and the damage would be lost to `check`."""
    index = tmp_path / "index"
    import_paths([folder_of(tmp_path, "first", TEXTS[:2])], index, reuse=False)
    for i in range(FANOUT - 1):  # FANOUT small segments: the next commit merges them
        extra = tmp_path / f"extra{i}"
        extra.mkdir()
        (extra / "n.txt").write_text(f"关于第{i}批统一战线工作的通知\n\n各单位要做好第{i}批工作。\n", encoding="utf-8")
        import_paths([extra], index, collection=f"extra{i}", reuse=False)
    manifest = read_manifest(index)
    assert manifest is not None and len(manifest.segments) == FANOUT
    stored = next(index / n for n in manifest.files if n.endswith("._stored.col"))
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    proc = _cli("import", str(folder_of(tmp_path, "second", TEXTS[2:])), "--index", str(index), "--no-reuse")
    assert proc.returncode != 0 and "store of record is damaged" in proc.stderr and stored.name in proc.stderr
    assert read_manifest(index) == manifest and stored.exists()
    assert stored.name in " ".join(check(index).store_damaged)


def test_a_truncated_store_file_is_refused_before_an_import_writes(tmp_path) -> None:
    index = _built(tmp_path)
    manifest = read_manifest(index)
    assert manifest is not None
    stored = next(index / n for n in manifest.files if n.endswith("._stored.col"))
    os.truncate(stored, stored.stat().st_size // 2)
    new = tmp_path / "new.txt"
    new.write_text("关于统一战线新工作的通知\n\n统一战线新工作要做好。\n", encoding="utf-8")
    proc = _cli("import", str(new), "--index", str(index))
    assert proc.returncode != 0 and f"{stored.name}: " in proc.stderr and "store of record is damaged" in proc.stderr
    assert read_manifest(index) == manifest


def test_a_running_server_refuses_a_damaged_generation_and_keeps_serving(tmp_path) -> None:
    from indexer.search.service import SearchService

    index = _built(tmp_path)
    svc = SearchService(index)
    try:
        before = svc.search(SearchParams(q='"统一战线"')).total
        svc.live.poll = 3600.0  # the watcher looks again only when a request asks: after the damage below
        time.sleep(0.5)
        extra = folder_of(tmp_path, "extra", [])
        (extra / "n.txt").write_text("关于统一战线新工作的通知\n\n统一战线新工作要做好。\n", encoding="utf-8")
        os.environ["TZSEARCH_FAULT"] = ""
        import_paths([extra], index, reuse=False)
        manifest = read_manifest(index)
        assert manifest is not None
        newest = max((n for n in manifest.files if n.endswith("/text.bin")), key=lambda n: (index / n).stat().st_mtime)
        data = bytearray((index / newest).read_bytes())
        data[0] ^= 0x01
        (index / newest).write_bytes(bytes(data))
        result = svc.search(SearchParams(q='"统一战线"'))
        assert result.total == before  # the last good generation
        assert svc.live.refused and "damaged" in svc.live.refused
        assert "previous version" in (result.notice or "") and str(index) not in (result.notice or "")
    finally:
        os.environ.pop("TZSEARCH_FAULT", None)
        svc.close()


# ------------------------------------------------------------------------------ upgrades in place
def test_an_index_of_the_previous_format_is_upgraded_in_place(tmp_path) -> None:
    legacy = tmp_path / "index"
    shutil.copytree(DATA / "legacy_index_v5", legacy)
    (legacy / "derived" / "MAIN_cetyil482a8w7ds1" / "0-11").mkdir(parents=True)  # old-format derived data
    with pytest.raises(IndexFormatError, match="python -m indexer upgrade"):
        answers(legacy)
    proc = _cli("search", "x", "--index", str(legacy))
    assert proc.returncode == 2 and "upgrade" in proc.stderr
    proc = _cli("upgrade", "--index", str(legacy))
    assert proc.returncode == 0, proc.stderr
    assert not (legacy / "tzsearch.json").exists() and not (legacy / "derived" / "MAIN_cetyil482a8w7ds1").exists()
    fresh = tmp_path / "fresh"
    src = folder_of(tmp_path, "legacy", [CORPUS / "changzhou_2020_tz_work_review.txt",
                                         CORPUS / "shanghai_tzb_intro_and_2020_summary.txt"])
    import_paths([src], fresh, reuse=False)
    assert answers(legacy) == answers(fresh)
    assert _cli("check", "--index", str(legacy)).returncode == 0
    more = folder_of(tmp_path, "more", [CORPUS / "anonymised_city_tzb_2020_summary_with_ads.txt"])
    assert import_paths([more], legacy, reuse=False).documents == 1


def test_a_changed_text_model_asks_for_an_upgrade_instead_of_answering(tmp_path) -> None:
    index = _built(tmp_path)
    expected = answers(index)
    path = index / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["text_model"]["opencc"] = "0.0.1"  # as if OpenCC's tables had changed under the index
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexFormatError, match="text model"):
        answers(index)
    proc = _cli("search", '"统一战线"', "--index", str(index))
    assert proc.returncode == 2 and "text model" in proc.stderr and "upgrade" in proc.stderr
    assert _cli("upgrade", "--index", str(index)).returncode == 0
    assert answers(index) == expected


def test_search_data_of_an_earlier_format_asks_for_an_upgrade_and_is_rebuilt(tmp_path) -> None:
    """An index whose derived search data predates this version's (format 5: no trigram layer) is refused
    with "upgrade" by the search and by the importer, not read as damaged; ``upgrade`` rebuilds it."""
    index = _built(tmp_path)
    expected = answers(index)
    path = index / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["derived_format"]  # as a manifest written before the field existed
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexFormatError, match="search data of format before 6"):
        answers(index)
    proc = _cli("check", "--index", str(index))
    assert proc.returncode != 0 and "search data of format" in proc.stdout + proc.stderr
    assert _cli("upgrade", "--index", str(index)).returncode == 0
    assert answers(index) == expected
    assert json.loads(path.read_text(encoding="utf-8"))["derived_format"] == derived.FORMAT


# ------------------------------------------------------------------------------ merges
def test_many_small_commits_are_merged_without_changing_answers(tmp_path) -> None:
    """Twenty commits (crawl batches), with replacements and deletions: the index keeps few segments and
    parts, and answers equal those of one fresh import of the same final files."""
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    final = tmp_path / "final"
    final.mkdir()
    for i in range(20):
        batch = tmp_path / f"batch{i}"
        batch.mkdir()
        body = f"关于第{i}批统一战线工作的通知\n\n各单位要做好民营企业家第{i}批联系工作，促进两个健康。\n"
        (batch / f"n{i}.txt").write_text(body, encoding="utf-8")
        import_paths([batch], index, collection="c", reuse=False)
        if i % 5 == 4:  # replace an earlier one
            (batch / f"n{i}.txt").write_text(body.replace("做好", "认真做好"), encoding="utf-8")
            import_paths([batch], index, collection="c", reuse=False)
        if i % 7 == 6:
            store = open_store(index)
            with store.transaction() as tx:
                tx.delete("doc_id", f"c/n{i - 1}.txt")
            store.close()
    for i in range(20):
        if i not in (5, 12):  # deleted after commits 6 and 13
            shutil.copy(tmp_path / f"batch{i}" / f"n{i}.txt", final / f"n{i}.txt")
    import_paths([final], fresh, collection="c", reuse=False)
    manifest = read_manifest(index)
    assert manifest is not None and len(manifest.segments) < 8 and len(manifest.part_folders()) < 10
    assert answers(index) == answers(fresh)
    assert _cli("check", "--index", str(index)).returncode == 0


def test_a_database_with_another_text_model_says_so(pg_url, tmp_path) -> None:
    import psycopg

    import_paths([folder_of(tmp_path, "docs", TEXTS[:1])], pg_url, reuse=False)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        row = conn.execute("SELECT value FROM tz_meta WHERE key = 'text_model'").fetchone()
        model = json.loads(row[0])
        model["unicode"] = "1.0.0"  # as if Python's Unicode tables had changed under the database
        conn.execute("UPDATE tz_meta SET value = %s WHERE key = 'text_model'", (json.dumps(model),))
    proc = _cli("search", '"统一战线"', "--database", pg_url)
    assert proc.returncode == 2 and "text model" in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------------------ any text, both backends
_ALPHABET = st.one_of(
    st.sampled_from(list("统一战线工作民营企业家两个健康，。、；：“”《》（）")),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # CJK Ext-B (names: 𠀀, 𪚥)
    st.characters(min_codepoint=0, max_codepoint=0x1F),  # C0 controls, NUL included
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.sampled_from(["\ufffe", "\uffff", "\u200b", "\u3000", "\r", "\n", " "]),
    st.characters(),
)


@pytest.mark.parametrize("backend", ["whoosh", "postgresql"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(_ALPHABET, min_size=1, max_size=60), min_size=1, max_size=4))
def test_random_unicode_never_breaks_the_index(tmp_path_factory, request, backend, texts) -> None:
    """Whatever a document holds — astral characters, controls, lone surrogates, NUL — each write is either
    stored or refused with a reason, and the index stays searchable, with exact wording found."""
    if backend == "postgresql":
        index: Path | str = request.getfixturevalue("pg_server").database()
    else:
        index = tmp_path_factory.mktemp("ix") / "index"
    store = open_store(index, create=True)
    stored: list[str] = []
    try:
        with store.transaction() as tx:
            for i, text in enumerate(texts):
                try:
                    tx.write(_extraction(f"h/{i}", text), f"h/{i}", f"d{i}", "h")
                    stored.append(text)
                except RecordError:
                    assert "\x00" in text or any(0xD800 <= ord(c) < 0xE000 for c in text)
    finally:
        store.close()
    svc = open_backend(index)
    try:
        assert svc.stats().documents <= len(stored)
        for text in stored:
            norm = normalize(text)
            probe = next((norm[i:i + 3] for i in range(len(norm) - 2)
                          if all("\u4e00" <= c <= "\u9fff" or c > "\U0001ffff" for c in norm[i:i + 3])), None)
            if probe:
                assert svc.search(SearchParams(q=f'"{probe}"')).total >= 1, probe
    finally:
        svc.close()


def test_a_document_of_more_than_65536_sections_is_numbered_right(tmp_path) -> None:
    """Section numbers within a part are 16-bit only where a part has fewer than 65,536 sections."""
    index = tmp_path / "index"
    n = 70_000
    sections = [Section(f"big/doc#{i + 1}", None, f"第{i}段。") for i in range(n)]
    sections[-1] = Section(f"big/doc#{n}", None, "最后一段写着民营企业家健康成长。")
    doc = Document(doc_id="big/doc", title="关于很长文件的通知", sections=sections)
    store = open_store(index, create=True)
    try:
        with store.transaction() as tx:
            tx.write(Extraction(documents=[doc]), "big/doc", "d", "big")
    finally:
        store.close()
    svc = open_backend(index)
    try:
        hits = svc.search(SearchParams(q='"民营企业家健康成长"')).hits
        assert [h.section_id for h in hits] == [f"big/doc#{n}"]
    finally:
        svc.close()


@pytest.mark.parametrize(("command", "stage"), [("delete", "published"), ("repair", "rebuilt"), ("upgrade", "rebuilt")])
def test_a_failure_after_the_publish_step_of_delete_or_repair_keeps_the_index_whole(tmp_path, command, stage) -> None:
    """delete publishes through the same commit as an import, repair and upgrade through their own: an error
    past the rename is said as such (no traceback, no "nothing was published") and the index stays sound."""
    index = tmp_path / "index"
    import_paths([folder_of(tmp_path, "first", TEXTS)], index, reuse=False)
    generation = read_manifest(index).generation
    args = {"delete": ["delete", f"first/{TEXTS[0].name}"], "repair": ["repair", "--all"], "upgrade": ["upgrade"]}[command]
    proc = _cli(*args, "--index", str(index), env={"TZSEARCH_FAULT": f"{stage}:raise"})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "nothing was published" not in proc.stderr, proc.stderr
    assert "was published" in proc.stderr
    assert read_manifest(index).generation == generation + 1
    report = check(index)
    assert report.ok, report.problems


def test_a_change_that_changes_nothing_reads_no_store_file(tmp_path, monkeypatch) -> None:
    """The store's every checksum is read before a change publishes with the shared-wording update (which reads
    them anyway); an import of unchanged files or a delete of no document publishes nothing and reads only sizes
    and the table of contents (it read the whole store each time: every `make run`)."""
    from indexer.index import manifest as manifest_module
    from indexer.index import segments
    from indexer.index.transaction import delete_document

    folder = folder_of(tmp_path, "docs", TEXTS)
    index = tmp_path / "index"
    import_paths([folder], index)
    read: list[str] = []
    real = manifest_module.file_checksum
    monkeypatch.setattr(manifest_module, "file_checksum", lambda p: (read.append(Path(p).name), real(p))[1])
    segments._VERIFIED.clear()  # a new process
    import_paths([folder], index)
    assert delete_document(index, "docs/none.txt") == 0
    assert [n for n in read if not n.endswith(".toc")] == []
    new = tmp_path / "more"
    new.mkdir()
    (new / "n.txt").write_text("关于统一战线新工作的通知\n\n统一战线新工作要做好。\n", encoding="utf-8")
    import_paths([new], index)
    assert any(n.endswith("._stored.col") for n in read), "a change that publishes still checks the whole store"
