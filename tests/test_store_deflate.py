"""The store's stored records are deflated by ISA-L (``store.writer_for``), in the zlib format Whoosh reads back with
the standard library: records written either way read the same, in one index, and a Whoosh whose writer is not the
one expected still writes (with zlib, saying so)."""

from __future__ import annotations

import logging
import zlib
from pathlib import Path

from hostile_files import notice_with_names
from isal import isal_zlib

from indexer.index import store
from indexer.index.importer import import_paths
from indexer.index.store import open_index, writer_for
from indexer.search.service import SearchParams, SearchService


def _stored_texts(index: Path) -> dict[str, str]:
    ix = open_index(index)
    try:
        with ix.searcher() as s:
            return {f["doc_id"]: f["text"] for f in (s.stored_fields(n) for n in range(s.doc_count_all()))
                    if f.get("text")}
    finally:
        ix.close()


def _found(index: Path, wording: str) -> int:
    service = SearchService(index)
    try:
        return service.search(SearchParams(q=wording, mode="exact")).total_documents
    finally:
        service.close()


def test_the_writer_deflates_stored_records_with_isal(tmp_path: Path) -> None:
    import_paths([_notice(tmp_path, "a", "张三和李四")], tmp_path / "index")
    ix = open_index(tmp_path / "index")
    writer = writer_for(ix)
    try:
        compressing = writer.perdocwriter._colwriters["_stored"]._child
        assert compressing._compress is isal_zlib.compress
        assert zlib.decompress(compressing._compress(b"\xe7\xbb\x9f" * 100, 3)) == b"\xe7\xbb\x9f" * 100
    finally:
        writer.cancel()
        ix.close()


def test_records_deflated_either_way_read_the_same_in_one_index(tmp_path: Path, monkeypatch) -> None:
    index = tmp_path / "index"
    with monkeypatch.context() as m:  # the first commit as Whoosh writes it (zlib)
        m.setattr(store, "_fast_deflate", lambda writer: None)
        import_paths([_notice(tmp_path, "old", "张三和李四")], index, reuse=False)
    import_paths([_notice(tmp_path, "new", "王五和赵六")], index, reuse=False)
    texts = _stored_texts(index)
    assert any("张三和李四" in t for t in texts.values()) and any("王五和赵六" in t for t in texts.values())
    assert _found(index, "张三和李四") == 1 and _found(index, "王五和赵六") == 1


def test_another_whoosh_writer_still_writes_and_says_so(caplog) -> None:
    class Elsewhere:
        perdocwriter = None

    with caplog.at_level(logging.WARNING, logger="indexer.index.store"):
        store._fast_deflate(Elsewhere())  # type: ignore[arg-type]
    assert "compressed by zlib" in caplog.text


def _notice(tmp_path: Path, name: str, names: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.txt").write_text(notice_with_names(names), encoding="utf-8")
    return folder
