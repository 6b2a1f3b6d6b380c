"""Derived data per Whoosh segment: build what is missing (in parallel), load it, remove what is orphaned.

A segment's derived data lives in ``<index>/derived/<segment id>/``: one folder per part (a docnum range
of whole documents, :data:`indexer.index.derived.PART_SECTIONS` sections at most) and ``ranges.json``
listing them, written last — a segment without ``ranges.json`` is not built yet. Parts are built by
``procs`` worker processes, each reading its range's stored fields from the index itself. Orphans (data of
segments merged away or deleted) are removed only while no writer holds the index's write lock.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from indexer.index import derived
from indexer.index.store import open_index
from indexer.index.workers import die_with_parent

DERIVED = "derived"


def _doc_ranges(reader: Any) -> list[tuple[int, int]]:
    """Docnum ranges of a segment's parts: at most PART_SECTIONS sections, never splitting a document."""
    ranges: list[tuple[int, int]] = []
    lo, prev = 0, None
    total = reader.doc_count_all()
    for num in range(total):
        doc_id = reader.stored_fields(num)["doc_id"]
        if num - lo >= derived.PART_SECTIONS and doc_id != prev:
            ranges.append((lo, num))
            lo = num
        prev = doc_id
    if total > lo:
        ranges.append((lo, total))
    return ranges


def _segment_reader(reader: Any, segment_id: str) -> Any:
    for sub, _ in reader.leaf_readers():
        if sub.segment() is not None and sub.segment().segment_id() == segment_id:
            return sub
    raise LookupError(f"segment {segment_id} is no longer in the index")


def _inputs(reader: Any, lo: int, hi: int) -> list[derived.SectionInput]:
    """The sections of a docnum range (whole documents: the metadata on each first section applies to all)."""
    out = []
    meta: dict[str, Any] = {}
    for num in range(lo, hi):
        st = reader.stored_fields(num)
        meta = st.get("meta") or meta
        out.append(derived.SectionInput(st["doc_id"], st.get("heading"), st.get("text") or "", meta))
    return out


def _build(task: tuple[str, str, int, int]) -> int:
    """Build one part (in a worker or in-process): (index dir, segment id, lo, hi)."""
    index_dir, segment_id, lo, hi = task
    folder = Path(index_dir) / DERIVED / segment_id / f"{lo}-{hi}"
    if (folder / "meta.json").exists():
        return 0
    ix = whoosh_index.open_dir(index_dir)
    with ix.reader() as reader:
        derived.build_part(_inputs(_segment_reader(reader, segment_id), lo, hi), folder)
    return 1


def ensure_derived(index_dir: Path, procs: int = 1, cleanup: bool = True) -> int:
    """Build the derived data of every segment of the current generation that lacks it; returns the number
    of parts built. Safe to run from several processes at once (parts appear by rename). With ``cleanup``,
    the data of segments no longer in the index is removed (only while no writer holds the lock)."""
    ix = open_index(index_dir)
    root = index_dir / DERIVED
    root.mkdir(exist_ok=True)
    todo: list[tuple[str, str, int, int]] = []
    finish: list[tuple[Path, list[tuple[int, int]]]] = []
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            seg = sub.segment()
            if seg is None:  # an empty index has a reader without a segment
                continue
            folder = root / seg.segment_id()
            if (folder / "ranges.json").exists():
                continue
            folder.mkdir(exist_ok=True)
            ranges = _doc_ranges(sub)
            todo += [(str(index_dir), seg.segment_id(), lo, hi) for lo, hi in ranges]
            finish.append((folder, ranges))
    built = _run(todo, procs)
    for folder, ranges in finish:
        tmp = folder / f"ranges.json.tmp{os.getpid()}"
        tmp.write_text(json.dumps(ranges), encoding="utf-8")
        tmp.replace(folder / "ranges.json")
    if cleanup:
        _remove_orphans(ix, root)
    return built


def _run(tasks: list[tuple[str, str, int, int]], procs: int) -> int:
    if procs <= 1 or len(tasks) <= 1:
        return sum(map(_build, tasks))
    with mp.get_context("fork").Pool(min(procs, len(tasks)), initializer=die_with_parent) as pool:
        return sum(pool.imap_unordered(_build, tasks))


def _remove_orphans(ix: whoosh_index.Index, root: Path) -> None:
    lock = ix.lock("WRITELOCK")
    if not lock.acquire(blocking=False):
        return  # a writer is at work; the next one cleans up
    try:
        with ix.reader() as reader:
            wanted = {sub.segment().segment_id() for sub, _ in reader.leaf_readers() if sub.segment() is not None}
        for old in root.iterdir():
            if old.name not in wanted:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        lock.release()


def segments_ready(index_dir: Path, ix: whoosh_index.Index) -> bool:
    """Whether every segment of the newest generation has its derived data."""
    root = index_dir / DERIVED
    with ix.reader() as reader:
        return all((root / sub.segment().segment_id() / "ranges.json").exists()
                   for sub, _ in reader.leaf_readers() if sub.segment() is not None)


def load_segment_parts(index_dir: Path, segment: Any) -> list[tuple[int, int, derived.Part]] | None:
    """The loaded parts of a segment as ``(lo, hi, part)``, or None when they are not built yet."""
    folder = index_dir / DERIVED / segment.segment_id()
    try:
        ranges = json.loads((folder / "ranges.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [(lo, hi, _cached_part(folder / f"{lo}-{hi}")) for lo, hi in ranges]


#: Parts already mapped by this process: a new generation reuses those of unchanged segments (and what they
#: have cached), so swapping in a commit costs only its new parts.
_PARTS: dict[Path, derived.Part] = {}
_PARTS_LOCK = threading.Lock()


def _cached_part(folder: Path) -> derived.Part:
    with _PARTS_LOCK:
        part = _PARTS.get(folder)
        if part is None:
            part = _PARTS[folder] = derived.load_part(folder)
            derived.boundary_chars(part)  # computed once, off the request path
        return part


def forget_parts(keep: set[Path]) -> None:
    """Drop this process's mapped parts that are not in ``keep`` (segments merged away or deleted)."""
    with _PARTS_LOCK:
        for folder in [f for f in _PARTS if f not in keep]:
            del _PARTS[folder]
