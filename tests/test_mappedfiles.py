"""Derived files written in 64 KB pieces (indexer/index/mappedfiles.py): the same bytes as a write at once, no
write larger than a piece."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from indexer.index import mappedfiles
from indexer.index.mappedfiles import PIECE, save_array, write_bytes


@pytest.fixture
def writes(monkeypatch) -> list[int]:
    """The size of every os.write the module makes (each shortened to at most 1,000 bytes less than asked,
    as a short write may be: the rest must still be written)."""
    sizes: list[int] = []
    real = os.write

    def short_write(fd: int, data) -> int:
        sizes.append(len(data))
        return real(fd, data[:max(1, len(data) - 1000)])

    monkeypatch.setattr(mappedfiles.os, "write", short_write)
    return sizes


@pytest.mark.parametrize("arr", [
    np.arange(300_000, dtype=np.uint64), np.zeros(0, dtype=np.int32), np.array([True, False] * 70_001),
    np.arange(12, dtype=np.int16).reshape(3, 4), np.asfortranarray(np.arange(40_000, dtype=np.float64).reshape(200, 200)),
])
def test_an_array_is_saved_as_numpy_saves_it(tmp_path, writes, arr) -> None:
    expected = io.BytesIO()
    np.save(expected, np.ascontiguousarray(arr))
    save_array(tmp_path / "a.npy", arr)
    assert (tmp_path / "a.npy").read_bytes() == expected.getvalue()
    assert np.array_equal(np.load(tmp_path / "a.npy", mmap_mode="r"), arr)
    assert max(writes) <= PIECE


def test_bytes_are_written_whole_in_pieces(tmp_path, writes) -> None:
    data = os.urandom(3 * PIECE + 12_345)
    write_bytes(tmp_path / "t.bin", data)
    assert (tmp_path / "t.bin").read_bytes() == data
    assert max(writes) <= PIECE and len(writes) > 4  # short writes went on where they stopped
    write_bytes(tmp_path / "t.bin", b"\0")  # an existing file is replaced
    assert (tmp_path / "t.bin").read_bytes() == b"\0"
