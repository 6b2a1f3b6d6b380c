"""The store of record's files as a generation sees them, and the collection of files no generation names.

Whoosh finds "the index" by listing its folder and taking the newest table of contents (``_MAIN_<n>.toc``),
and deletes the files of older ones when it commits. Both would undo the one publish step: a reader would
see a table of contents whose derived data does not exist yet, and a failed build would find the previous
generation's files deleted. :class:`PinnedStorage` is Whoosh's own ``FileStorage`` (its documented extension
point) with two changes: it lists only the table of contents of the generation it is pinned to, so Whoosh
opens exactly the generation a manifest names, and it never deletes — :func:`collect` does that, for the files
that neither the published manifest nor the one before it names, and only under the write lock.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from indexer.index.manifest import LEGACY_MARKER, MANIFEST, PREVIOUS, Manifest

log = logging.getLogger(__name__)

INDEXNAME = "MAIN"
DERIVED = "derived"
_TOC = re.compile(r"^_MAIN_([0-9]+)\.toc$")
#: Files of the index folder that are never collected.
_KEEP = {MANIFEST, PREVIOUS, LEGACY_MARKER, "MAIN_WRITELOCK", "MAIN_READLOCK"}


class PinnedStorage(FileStorage):
    """Whoosh's FileStorage showing one table-of-contents generation (``None``: all) and never deleting."""

    def __init__(self, path: Path, generation: int | None) -> None:
        super().__init__(str(path))
        self.pinned = generation

    def list(self) -> list[str]:
        names = super().list()
        if self.pinned is None:
            return names
        return [n for n in names if not (m := _TOC.match(n)) or int(m.group(1)) == self.pinned]

    def delete_file(self, name: str) -> None:
        """Whoosh cleans up at commit; here files are collected only once a manifest no longer names them."""


def open_pinned(index_dir: Path, toc: int | None) -> FileIndex:
    """The store of record as of table-of-contents generation ``toc`` (None: the newest on disk)."""
    return FileIndex(PinnedStorage(index_dir, toc), indexname=INDEXNAME)


def toc_name(generation: int) -> str:
    return f"_{INDEXNAME}_{generation}.toc"


def toc_generations(index_dir: Path) -> list[int]:
    """The table-of-contents generations present on disk."""
    return sorted(int(m.group(1)) for p in index_dir.iterdir() if (m := _TOC.match(p.name)))


def segment_files(index_dir: Path, segment_id: str) -> list[str]:
    """The store-of-record files of a segment (``MAIN_<id>.<ext>``)."""
    prefix = segment_id + "."
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(prefix))


def collect(index_dir: Path, keep: list[Manifest | None]) -> list[str]:
    """Remove every file and folder of the index that none of the manifests ``keep`` names (orphans of a
    failed or killed writer, generations replaced twice). Call only under the write lock. Returns what went."""
    wanted: set[str] = set(_KEEP)
    wanted_parts: set[str] = set()
    for manifest in keep:
        if manifest is None:
            continue
        wanted.update(name for name in manifest.files if "/" not in name)
        wanted_parts.update(manifest.part_folders())
    removed: list[str] = []
    for path in index_dir.iterdir():
        if path.is_dir():
            if path.name.endswith(".tmp"):  # a writer's temporary storage
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
            continue
        ours = _TOC.match(path.name) or path.name.startswith((INDEXNAME + "_", "_" + INDEXNAME, "."))
        if path.name not in wanted and (ours or path.suffix == ".tmp"):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    derived = index_dir / DERIVED
    if derived.is_dir():
        for path in derived.iterdir():
            rel = f"{DERIVED}/{path.name}"
            if rel not in wanted_parts:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(rel)
    if removed:
        log.info("collected %d unreferenced files: %s", len(removed), ", ".join(removed[:10]))
    return removed
