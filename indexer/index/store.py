"""Open, create and change the index — atomically — and keep its derived data beside it.

One change (an import, a crawl batch, a delete) is one Whoosh transaction: sections are written into new
segment files and become visible only when the table of contents is replaced at commit. A crash or a kill
before that leaves the previous index as it was. Whoosh's write lock (``flock``, released by the kernel when
its holder dies) serialises writers; a second writer is refused with :class:`IndexBusy`. After a commit,
:func:`ensure_derived` builds the derived search data of the new segments (:mod:`.derived`) before the
writer returns, so a server sees the change complete.

Records: one Whoosh document per section. Indexed (for deletes and lookups): ``section_id`` (unique),
``doc_id``, ``source_key`` (the file or URL a document came from: all sections of one source are replaced
together) and ``collection``. Everything else is stored: ordinal, heading, text and ``meta`` (the
document's metadata, the same dict on each of its sections).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from indexer.document import Document, Extraction
from indexer.index import derived

log = logging.getLogger(__name__)

#: Where the index lives unless --index says otherwise (relative to the working directory).
DEFAULT_INDEX = Path("var/index")
#: The on-disk format: bump when the schema, the stored record or the derived data change meaning.
FORMAT_VERSION = 3
#: Bump when extraction changes, so that re-importing re-extracts unchanged files.
EXTRACTOR_VERSION = "3"
MARKER = "tzsearch.json"
DERIVED = "derived"
#: Document fields kept in each section's ``meta``.
META_FIELDS = ("title", "title_derived", "date", "date_precision", "written", "year", "province", "city",
               "source", "issuer", "doc_number", "doctype", "url", "fetched", "parent")


class IndexBusy(RuntimeError):
    """Another process is writing to the index."""


class IndexMissing(FileNotFoundError):
    """There is no index at the given place."""


class IndexFormatError(RuntimeError):
    """The index was written by another version of tzsearch and must be rebuilt."""


def build_schema() -> fields.Schema:
    """The Whoosh schema (built-in field types only, so nothing of ours is pickled into the index)."""
    return fields.Schema(
        section_id=fields.ID(stored=True, unique=True), doc_id=fields.ID(stored=True),
        source_key=fields.ID(stored=True), collection=fields.ID(stored=True), ordinal=fields.STORED(),
        heading=fields.STORED(), text=fields.STORED(), meta=fields.STORED(), content_hash=fields.STORED(),
    )


def _rebuild_message(path: Path, found: object) -> str:
    return (f"the index in {path.name}/ was written by another version of tzsearch (format {found}, this one "
            f"reads {FORMAT_VERSION}); rebuild it: delete that folder and import your documents again")


def open_index(path: Path, create: bool = False) -> whoosh_index.Index:
    """Open the index at ``path`` (checking its format); create it when asked and missing."""
    if whoosh_index.exists_in(str(path)):
        marker = path / MARKER
        try:
            found = json.loads(marker.read_text(encoding="utf-8")).get("format")
        except (OSError, ValueError):
            found = "unknown"
        if found != FORMAT_VERSION:
            raise IndexFormatError(_rebuild_message(path, found))
        return whoosh_index.open_dir(str(path))
    if not create:
        raise IndexMissing(f"no index at {path} (run: python -m indexer import PATH --index {path})")
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    (path / MARKER).write_text(json.dumps({"format": FORMAT_VERSION}), encoding="utf-8")
    return ix


def writer_for(ix: whoosh_index.Index) -> IndexWriter:
    """A writer, or :class:`IndexBusy` when another process holds the lock."""
    try:
        return ix.writer(limitmb=128)
    except LockError as exc:
        raise IndexBusy("another import or crawl is writing to this index; try again when it ends") from exc


class Transaction:
    """One atomic change: a writer that commits on success only when something was written or deleted
    (a no-op import creates no new generation), and cancels on any exception."""

    def __init__(self, ix: whoosh_index.Index, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.writer = writer_for(ix)
        self.changed = False

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self.changed:
            self.writer.cancel()
            return
        self.writer.commit()
        ensure_derived(self.index_dir)

    def write(self, extraction: Extraction, source_key: str, digest: str, collection: str) -> int:
        """Replace a source's sections with the extraction's; returns the number of sections written."""
        self.changed = True
        return write_extraction(self.writer, extraction, source_key, digest, collection)

    def delete(self, field: str, value: str) -> int:
        """Delete the sections whose ``field`` (source_key, doc_id or collection) is ``value``."""
        count = int(self.writer.delete_by_term(field, value))
        self.changed = self.changed or count > 0
        return count


def content_hash(data: bytes) -> str:
    """Hash of a source's bytes, the extractor version and the index format."""
    return hashlib.sha256(data + f"\0tzsearch-extractor-{EXTRACTOR_VERSION}-{FORMAT_VERSION}".encode()).hexdigest()


def known_hashes(ix: whoosh_index.Index) -> dict[str, str]:
    """source_key → content_hash of every source in the index."""
    out: dict[str, str] = {}
    with ix.searcher() as s:
        for stored in s.reader().all_stored_fields():
            out.setdefault(stored["source_key"], stored.get("content_hash") or "")
    return out


def section_records(doc: Document, source_key: str, collection: str, added: float) -> Iterator[dict[str, Any]]:
    """The Whoosh documents (one per section) of ``doc``."""
    meta = {name: getattr(doc, name) for name in META_FIELDS}
    meta.update(collection=collection, added=added)
    for ordinal, s in enumerate(doc.sections):
        yield {"section_id": s.section_id, "doc_id": doc.doc_id, "source_key": source_key,
               "collection": collection, "ordinal": ordinal, "heading": s.heading, "text": s.text,
               "meta": meta, "content_hash": doc.content_hash or ""}


def write_extraction(writer: IndexWriter, extraction: Extraction, source_key: str, digest: str,
                     collection: str) -> int:
    """Replace ``source_key``'s sections with the extraction's; returns the number of sections."""
    writer.delete_by_term("source_key", source_key)
    added = time.time()
    count = 0
    for doc in extraction.documents:
        doc.content_hash = digest
        for record in section_records(doc, source_key, collection, added):
            writer.add_document(**record)
            count += 1
    return count


def delete_document(index_dir: Path, doc_id: str) -> int:
    """Delete every section of ``doc_id``; returns how many were deleted (nothing committed if none)."""
    with Transaction(open_index(index_dir), index_dir) as tx:
        return tx.delete("doc_id", doc_id)


# ---------------------------------------------------------------------------------------------- derived data
def _build_segment(reader: Any, folder: Path) -> int:
    """Build the parts of one segment (at most PART_SECTIONS sections each, never splitting a document)."""
    folder.mkdir(exist_ok=True)
    ranges: list[tuple[int, int]] = []
    batch: list[derived.SectionInput] = []
    lo = 0
    total = reader.doc_count_all()
    for num in range(total + 1):
        st = reader.stored_fields(num) if num < total else None
        if batch and (st is None or (len(batch) >= derived.PART_SECTIONS and st["doc_id"] != batch[-1].doc_id)):
            part = folder / f"{lo}-{num}"
            if not (part / "meta.json").exists():
                derived.build_part(batch, part)
            ranges.append((lo, num))
            batch, lo = [], num
        if st is not None:
            batch.append(derived.SectionInput(st["doc_id"], st.get("heading"), st.get("text") or "",
                                              st.get("meta") or {}))
    tmp = folder / f"ranges.json.tmp{os.getpid()}"
    tmp.write_text(json.dumps(ranges), encoding="utf-8")
    tmp.replace(folder / "ranges.json")
    return len(ranges)


def ensure_derived(index_dir: Path, cleanup: bool = True) -> int:
    """Build the derived data of every segment of the current generation that lacks it; returns the number
    of parts built. Safe to run from several processes at once (parts appear by rename). With ``cleanup``,
    and only while no writer holds the lock, the data of segments no longer in the index is removed."""
    ix = open_index(index_dir)
    root = index_dir / DERIVED
    root.mkdir(exist_ok=True)
    built = 0
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            if sub.segment() is None:  # an empty index has a reader without a segment
                continue
            folder = root / sub.segment().segment_id()
            if not (folder / "ranges.json").exists():
                built += _build_segment(sub, folder)
    if cleanup:
        _remove_orphans(ix, root)
    return built


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


def load_segment_parts(index_dir: Path, segment: Any) -> list[tuple[int, int, derived.Part]] | None:
    """The loaded parts of a segment as ``(lo, hi, part)``, or None when they are not built yet."""
    folder = index_dir / DERIVED / segment.segment_id()
    try:
        ranges = json.loads((folder / "ranges.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [(lo, hi, derived.load_part(folder / f"{lo}-{hi}")) for lo, hi in ranges]
