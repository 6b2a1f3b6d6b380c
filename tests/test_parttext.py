"""A part's text read by pread (indexer/index/parttext.py) answers as its memory map does: slices, find in a
window, the first occurrence in many windows — at the text's ends and past them too."""

from __future__ import annotations

import mmap
import random

import pytest

from indexer.index import parttext
from indexer.index.parttext import PartText


@pytest.fixture(params=[True, False], ids=["pread", "map"])
def text(request, tmp_path, monkeypatch):
    monkeypatch.setattr(parttext, "_PREAD", request.param and parttext._PREAD)
    rng = random.Random(5)
    body = "".join(rng.choice("统一战线工作统战。的\n") for _ in range(5_000)).encode("utf-8")
    (tmp_path / "text.bin").write_bytes(body)
    with open(tmp_path / "text.bin", "rb") as fh:
        plain = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return PartText(tmp_path / "text.bin"), plain


def test_reads_answer_as_the_memory_map_does(text) -> None:
    part, plain = text
    rng = random.Random(9)
    size = len(plain)
    assert len(part) == size
    needles = ["统战".encode(), "战线工作".encode(), "。".encode(), "的\n统".encode(), b"x", "工".encode() * 3]
    starts, ends, wanted = [], [], []
    for _ in range(3_000):
        a = rng.randrange(-5, size + 5)
        b = a + rng.randrange(-3, 60)
        needle = rng.choice(needles)
        lo, hi = max(a, 0), max(b, 0)
        assert part[lo:hi] == plain[lo:hi]
        assert part.find(needle, lo, hi) == plain.find(needle, lo, hi), (needle, lo, hi)
        if needle == needles[0] and lo <= hi <= size:
            starts.append(lo)
            ends.append(hi - lo)
            found = plain.find(needle, lo, hi)
            wanted.append(found - lo if found >= 0 else -1)
    assert part.find(needles[1]) == plain.find(needles[1])
    assert part[size - 3:] == plain[size - 3:] and part[:0] == b""
    assert part.finds(needles[0], starts, ends).tolist() == wanted  # counted from each window's start
    assert -1 in wanted and any(w >= 0 for w in wanted)
