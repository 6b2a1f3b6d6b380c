"""The reuse data beside the index: ``<index>/reuse/``, derived (deleting it only costs a rebuild).

Layout: one folder per version (``v<N>/``) holding ``.npy`` arrays and ``meta.json``, and ``CURRENT``
naming the version in force; a writer fills a new folder and then replaces ``CURRENT`` atomically, so a
reader sees one whole version. ``LOCK`` (``flock``) serialises writers. Arrays:

  keys, lengths        per document: text hash (the generation's ``doc_hash``) and reuse-text length
  fp_offs, fp_hash     per document, its fingerprints (uint32, sorted; positions are computed again when
                       a pair is aligned)
  pair_a, pair_b       per pair, its two documents (indices; ``keys[a] < keys[b]``)
  span_offs, spans     per pair, its spans: rows (a0, a1, b0, b1) in the two reuse texts
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 2
FOLDER = "reuse"
_ARRAYS = ("keys", "lengths", "fp_offs", "fp_hash", "pair_a", "pair_b", "span_offs", "spans")


@dataclass
class ReuseData:
    """One version of the reuse data (arrays may be memory-mapped)."""

    keys: np.ndarray
    lengths: np.ndarray
    fp_offs: np.ndarray
    fp_hash: np.ndarray
    pair_a: np.ndarray
    pair_b: np.ndarray
    span_offs: np.ndarray
    spans: np.ndarray
    params: dict[str, Any]
    version: int = 0

    @classmethod
    def empty(cls, params: dict[str, Any]) -> ReuseData:
        z32 = np.zeros(0, np.int32)
        return cls(np.zeros(0, np.uint64), z32, np.zeros(1, np.int64), np.zeros(0, np.uint32), z32, z32,
                   np.zeros(1, np.int64), np.zeros((0, 4), np.int32), params)

    @property
    def documents(self) -> int:
        return len(self.keys)

    def pair_spans(self, i: int) -> np.ndarray:
        return np.asarray(self.spans[int(self.span_offs[i]):int(self.span_offs[i + 1])])

    def pairs(self) -> dict[tuple[int, int], np.ndarray]:
        """Every pair with its spans, by document indices."""
        return {(int(a), int(b)): self.pair_spans(i)
                for i, (a, b) in enumerate(zip(self.pair_a.tolist(), self.pair_b.tolist(), strict=True))}


def root(index_dir: Path) -> Path:
    return Path(index_dir) / FOLDER


def current_version(index_dir: Path) -> str | None:
    """The name of the version folder in force (None when there is none)."""
    try:
        name = (root(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name or None


def load(index_dir: Path) -> ReuseData | None:
    """The version in force, memory-mapped (None when absent, unreadable or of another format). A version
    replaced while it was being opened is followed to the new one."""
    for _ in range(3):
        name = current_version(index_dir)
        if name is None:
            return None
        data = _load(root(index_dir) / name)
        if data is not None or current_version(index_dir) == name:
            return data
    return None


def _load(folder: Path) -> ReuseData | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None
        arrays = {n: np.load(folder / f"{n}.npy", mmap_mode="r") for n in _ARRAYS}
    except (OSError, ValueError):
        return None
    return ReuseData(**arrays, params=meta["params"], version=int(meta["version"]))


def save(index_dir: Path, data: ReuseData) -> int:
    """Write ``data`` as a new version and put it in force; returns its number. Older versions are removed
    (a reader that mapped one keeps its pages; one opening it meanwhile follows CURRENT to the new one)."""
    base = root(index_dir)
    base.mkdir(parents=True, exist_ok=True)
    version = max([int(p.name[1:]) for p in base.glob("v*") if p.name[1:].isdigit()] or [0]) + 1
    folder = base / f"v{version}"
    tmp = base / f".tmp-v{version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for name in _ARRAYS:
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(getattr(data, name)))
    meta = {"format": FORMAT, "version": version, "params": data.params, "documents": data.documents,
            "pairs": len(data.pair_a)}
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    os.rename(tmp, folder)
    pointer = base / f".CURRENT.{os.getpid()}"
    pointer.write_text(folder.name, encoding="utf-8")
    os.replace(pointer, base / "CURRENT")
    for old in [*base.glob("v*"), *base.glob(".tmp-*")]:  # writers hold the lock: a .tmp- is a killed one's
        if old.name != folder.name:
            shutil.rmtree(old, ignore_errors=True)
    return version


@contextmanager
def locked(index_dir: Path) -> Iterator[None]:
    """Hold the reuse writer lock (blocking: a second updater waits, then finds little left to do)."""
    base = root(index_dir)
    base.mkdir(parents=True, exist_ok=True)
    with open(base / "LOCK", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
