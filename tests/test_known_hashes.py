"""The hashes an import compares its files with (``store.known_hashes``) are the same whether the files' keys are
looked up one by one (a few files against a large index) or in one pass over every source's term (many files):
the live sources' only, replaced and deleted ones left out, keys not held absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_files import notice_with_names

from indexer.index import store
from indexer.index.importer import import_paths
from indexer.index.store import known_hashes, open_index

NAMES = ["张三和李四", "王五和赵六", "孙七和周八", "吴九和郑十", "冯一和陈二", "褚三和卫四"]


@pytest.fixture
def index(tmp_path: Path) -> Path:
    docs = tmp_path / "c"
    docs.mkdir()
    for i, names in enumerate(NAMES):
        (docs / f"n{i}.txt").write_text(notice_with_names(names), encoding="utf-8")
    (docs / "sub").mkdir()
    (docs / "sub" / "n0.txt").write_text(notice_with_names("欧阳和司马"), encoding="utf-8")  # a key n0.txt prefixes
    index = tmp_path / "index"
    import_paths([docs], index, reuse=False)
    (docs / "n1.txt").write_text(notice_with_names("上官和诸葛"), encoding="utf-8")  # replaced: its old term dead
    (docs / "n2.txt").unlink()
    import_paths([docs], index, reuse=False, prune=True)  # n2 deleted
    return index


def _both(index: Path, keys: list[str] | None, monkeypatch) -> tuple[dict[str, str], dict[str, str]]:
    ix = open_index(index)
    try:
        monkeypatch.setattr(store, "SCAN_KEYS", 0)  # every key looked up alone
        alone = known_hashes(ix, keys)
        monkeypatch.setattr(store, "SCAN_KEYS", 10**9)  # one pass over the terms
        scanned = known_hashes(ix, keys)
    finally:
        ix.close()
    return alone, scanned


def test_both_ways_give_the_live_sources_hashes(index: Path, monkeypatch) -> None:
    ix = open_index(index)
    try:
        held = known_hashes(ix)
    finally:
        ix.close()
    assert held["c/n1.txt"] == store.content_hash((index.parent / "c" / "n1.txt").read_bytes())  # the new one
    assert sorted(held) == sorted(["c/n0.txt", "c/n1.txt", "c/n3.txt", "c/n4.txt", "c/n5.txt", "c/sub/n0.txt"])
    keys = ["c/n0.txt", "c/n1.txt", "c/n2.txt", "c/sub/n0.txt", "c/absent.txt", "c/n"]
    alone, scanned = _both(index, keys, monkeypatch)
    assert alone == scanned == {k: held[k] for k in ("c/n0.txt", "c/n1.txt", "c/sub/n0.txt")}
    alone, scanned = _both(index, None, monkeypatch)
    assert alone == scanned == held
