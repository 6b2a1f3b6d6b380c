"""Import files and folders into the index: walk, read (through the one skip policy of
:mod:`indexer.extract.filetypes`), skip what is unchanged, extract, and write — all in one transaction.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.writing import IndexWriter

from indexer.extract.pipeline import ExtractError, extract_data, read_source
from indexer.index.store import content_hash, known_hashes, open_index, write_extraction, writer_for

log = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    """What an import did."""

    files: int = 0
    documents: int = 0
    sections: int = 0
    unchanged: int = 0
    replaced: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"files": self.files, "documents": self.documents, "sections": self.sections,
                "unchanged": self.unchanged, "replaced": self.replaced,
                "skipped": [{"path": p, "reason": r} for p, r in self.skipped], "seconds": round(self.seconds, 2)}


def source_key(collection: str, relative: Path) -> str:
    """A file's id: its path relative to the imported folder, under the collection's name. It never
    depends on where the folder lies, so moving or copying the folder changes no id."""
    return f"{collection}/{relative.as_posix()}"


def iter_files(paths: Iterable[Path], collection: str | None = None) -> Iterator[tuple[Path, str]]:
    """``(file, id)`` for the files under ``paths`` (folders recursively, in name order, hidden ones left
    out). The collection is ``collection`` or the imported folder's own name (a single file's folder)."""
    for path in paths:
        if path.is_dir():
            name = collection or path.resolve().name
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for f in sorted(files):
                    if not f.startswith("."):
                        full = Path(root) / f
                        yield full, source_key(name, full.relative_to(path))
        else:
            yield path, source_key(collection or path.resolve().parent.name, Path(path.name))


def import_paths(paths: list[Path], index_dir: Path, procs: int = 1, multisegment: bool = False,
                 progress: Callable[[int, int, str], None] | None = None,
                 collection: str | None = None) -> ImportSummary:
    """Import files and folders into the index at ``index_dir`` in one transaction."""
    started = time.monotonic()
    summary = ImportSummary()
    files = list(iter_files(paths, collection))
    ix = open_index(index_dir, create=True)
    hashes = known_hashes(ix)
    writer = writer_for(ix, procs, multisegment)
    try:
        for n, (path, key) in enumerate(files, 1):
            if progress:
                progress(n, len(files), str(path))
            _import_one(writer, path, key, hashes, summary)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    summary.seconds = time.monotonic() - started
    return summary


def _import_one(writer: IndexWriter, path: Path, key: str, hashes: dict[str, str], summary: ImportSummary) -> None:
    summary.files += 1
    try:
        data = read_source(path)
    except ExtractError as exc:
        summary.skipped.append((str(path), str(exc)))
        log.info("skipped %s: %s", path, exc)
        return
    digest = content_hash(data)
    if hashes.get(key) == digest:
        summary.unchanged += 1
        return
    try:
        extraction = extract_data(data, path, key)
    except ExtractError as exc:
        summary.skipped.append((str(path), str(exc)))
        log.info("skipped %s: %s", path, exc)
        return
    if key in hashes:
        summary.replaced += 1
    summary.sections += write_extraction(writer, extraction, key, digest)
    summary.documents += len(extraction.documents)


def terminal_progress(n: int, total: int, label: str) -> None:
    """A one-line progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return
    width = 30
    done = int(width * n / max(total, 1))
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {n}/{total} {Path(label).name[:40]:<40}")
    if n == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
