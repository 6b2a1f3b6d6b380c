"""Opening an index reads every part (checksums, invariants, each section's first and last character), but
a server's workers keep mapped only what queries read: the pages the checks touched are let go
(:func:`indexer.index.derived.release_pages`), and the text queries read is read by ``pread``, not through the
map (:mod:`indexer.index.parttext`). Read from /proc/self/smaps, so Linux only."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from indexer.search.service import SearchParams, SearchService

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")


def _resident_kb(under: Path) -> dict[str, int]:
    """Resident KB of this process's mappings of files under ``under``, by file name."""
    out: dict[str, int] = {}
    name = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            name = head[5] if len(head) > 5 and head[5].startswith(str(under)) else None
        elif name and head[0] == "Rss:":
            out[Path(name).name] = out.get(Path(name).name, 0) + int(head[1])
    return out


def test_an_opened_index_keeps_its_postings_unmapped_until_queries_read_them_and_its_text_unmapped(
        corpus_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(corpus_index[0], index)  # a path no test has opened in this process
    svc = SearchService(index)
    svc.search(SearchParams(q="", mode="exact"))  # opens the index
    opened = _resident_kb(index / "derived")
    assert opened, "the parts are mapped"
    assert opened.get("text.bin", 0) == 0 and opened.get("bg_secs.npy", 0) == 0, opened
    result = svc.search(SearchParams(q="统一战线", mode="exact"))
    verified = svc.search(SearchParams(q="统一战线工作", mode="exact"))  # verified in the text around candidates
    ranked = svc.search(SearchParams(q="统一战线 工作", mode="keyword"))  # ranked sections' text read
    assert result.total > 0 and verified.total > 0 and ranked.total > 0
    assert verified.hits[0].snippet and "统一战线工作" in verified.hits[0].snippet.replace(" ", "")
    read = _resident_kb(index / "derived")
    assert read.get("bg_secs.npy", 0) > 0, read  # what the queries read
    assert read.get("text.bin", 0) == 0, read  # read by pread: copied, never mapped
