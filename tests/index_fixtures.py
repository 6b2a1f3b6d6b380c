"""Helpers that build real tiny indexes for the tests (no mocks)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS, SHARED

from indexer.index.importer import import_paths

#: How many real reports from ../shared join the seeds in the shared test index.
REPORTS = 40


def build_corpus_folder(target: Path) -> Path:
    """corpus/ plus, when ../shared is present, the first REPORTS real reports."""
    target.mkdir(parents=True, exist_ok=True)
    for f in CORPUS.glob("*.txt"):
        shutil.copy(f, target / f.name)
    reports = SHARED / "corpus" / "reports"
    if reports.is_dir():
        for f in sorted(reports.glob("*.txt"))[:REPORTS]:
            shutil.copy(f, target / f.name)
    return target


def build_index(folder: Path, index_dir: Path) -> Path:
    import_paths([folder], index_dir)
    return index_dir
