"""A part's text (``text.bin``) as a request reads it: by ``pread``, copying what it reads, mapping nothing.

A request reads the text in small windows scattered over the whole index: the text around each candidate
section of a wording (verification), a ranked section's text (passages, phrases), a concordance line. Read
through a memory map, each such read maps the 64 KB around it into the process (the kernel's fault-around),
so a few hundred requests leave the whole text mapped in every worker that served them — the largest share of
the server's memory (PSS), 0.86 of its 2.2 GB after the bench's 445 requests at a million sections. Read by
``pread``, a window is copied into a bytes object the request drops, the page cache serving it either way; a
window's first occurrence of a wording costs one ``pread`` and one ``bytes.find`` (both in C, called by
``map``), measured at the same matching times as the memory map's ``find`` for common wordings and +0.05 ms
at the median of random ones.

Reading the whole text at once (the open-time checks, a part combined into another, counts over every
document) still goes through the memory map, :attr:`PartText.map`.
"""

from __future__ import annotations

import itertools
import mmap
import operator
import os
import weakref
from pathlib import Path

import numpy as np

_PREAD = hasattr(os, "pread")  # not on every platform: there, reads go through the map


def map_file(path: Path) -> mmap.mmap:
    """``path`` mapped read-only (a part's files are never written once named)."""
    with open(path, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


class PartText:
    """``text.bin`` of one part: ``len``, slices and ``find`` like the ``mmap`` it wraps (module docstring)."""

    def __init__(self, path: Path) -> None:
        self.map = map_file(path)
        self._size = len(self.map)
        self._fd = os.open(path, os.O_RDONLY) if _PREAD else -1
        if _PREAD:
            weakref.finalize(self, os.close, self._fd)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, key: slice) -> bytes:
        start, stop, step = key.indices(self._size)
        if step != 1:
            raise ValueError("a part's text is read in contiguous slices")
        if not _PREAD:
            return self.map[start:stop]
        return os.pread(self._fd, max(0, stop - start), start)

    def find(self, needle: bytes, start: int = 0, end: int | None = None) -> int:
        """Where ``needle`` first lies wholly inside ``[start, end)`` (-1: nowhere), as ``mmap.find``."""
        if not _PREAD:
            return self.map.find(needle, start, self._size if end is None else end)
        start = max(0, start)
        end = self._size if end is None else min(end, self._size)
        if end - start < len(needle):
            return -1
        at = os.pread(self._fd, end - start, start).find(needle)
        return at + start if at >= 0 else -1

    def finds(self, needle: bytes, starts: list[int], sizes: list[int]) -> np.ndarray:
        """Where ``needle`` first lies in each window ``[starts[i], starts[i] + sizes[i])`` of the text (windows
        within it), counted from the window's start (-1: nowhere), as one array: one ``pread`` and one
        ``bytes.find`` per window, made by ``map`` (no Python step per window)."""
        count = len(starts)
        if not _PREAD:
            ends = map(operator.add, starts, sizes)
            at = np.fromiter(map(self.map.find, itertools.repeat(needle, count), starts, ends), np.int64, count)
            return np.where(at >= 0, at - np.asarray(starts, dtype=np.int64), -1)
        windows = map(os.pread, itertools.repeat(self._fd, count), sizes, starts)
        return np.fromiter(map(bytes.find, windows, itertools.repeat(needle, count)), dtype=np.int64, count=count)
