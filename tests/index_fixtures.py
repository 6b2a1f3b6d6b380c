"""Helpers that build real tiny indexes for the tests (no mocks)."""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.index.importer import import_paths


def copy_folder(source: Path, target: Path, pattern: str) -> Path:
    """A copy of the files of ``source`` matching ``pattern`` (tests never write next to the originals)."""
    target.mkdir(parents=True, exist_ok=True)
    for f in sorted(source.glob(pattern)):
        shutil.copy(f, target / f.name)
    return target


def build_index(folder: Path, index_dir: Path) -> Path:
    import_paths([folder], index_dir, procs=2)
    return index_dir
