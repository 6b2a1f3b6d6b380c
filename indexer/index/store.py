"""Open, create and change the index — atomically. (Walking folders and deciding what to import is
:mod:`indexer.index.importer`'s job.)

One import is one Whoosh transaction: sections are written into new segment files and become visible only
when the table of contents is replaced at commit (Whoosh writes it to a temporary file and renames it). A
crash or a kill before that leaves the previous index as it was. Whoosh's write lock serialises writers; a
second import while one runs is refused with :class:`IndexBusy`.

Writing a source replaces all its sections (deleted by ``source_key``, then added).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from indexer.analysis import exact_text
from indexer.document import Document, Extraction
from indexer.schema import SCHEMA_VERSION, build_schema

#: Where the index lives unless --index says otherwise (relative to the working directory).
DEFAULT_INDEX = Path("var/index")
#: Bump when extraction changes, so that re-importing re-extracts unchanged files.
EXTRACTOR_VERSION = "2"


class IndexBusy(RuntimeError):
    """Another process is writing to the index."""


class IndexMissing(FileNotFoundError):
    """There is no index at the given place."""


def open_index(path: Path, create: bool = False) -> whoosh_index.Index:
    """Open the index at ``path``; create it when asked and missing."""
    if whoosh_index.exists_in(str(path)):
        return whoosh_index.open_dir(str(path))
    if not create:
        raise IndexMissing(f"no index at {path} (run: python -m indexer import PATH --index {path})")
    path.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(path), build_schema())


def writer_for(ix: whoosh_index.Index, procs: int = 1, multisegment: bool = False) -> IndexWriter:
    """A writer, or :class:`IndexBusy` when another process holds the lock."""
    try:
        if procs > 1:
            return ix.writer(procs=procs, multisegment=multisegment, limitmb=256)
        return ix.writer(limitmb=256)
    except LockError as exc:
        raise IndexBusy(f"another import is writing to {ix.storage.folder}; try again when it ends") from exc


def content_hash(data: bytes) -> str:
    """Hash of a source's bytes and the extractor version."""
    return hashlib.sha256(data + f"\0tzsearch-extractor-{EXTRACTOR_VERSION}-{SCHEMA_VERSION}".encode()).hexdigest()


def known_hashes(ix: whoosh_index.Index) -> dict[str, str]:
    """source_key → content_hash of every source in the index."""
    out: dict[str, str] = {}
    with ix.searcher() as s:
        for _num, stored in s.reader().iter_docs():
            out.setdefault(stored["source_key"], stored.get("content_hash") or "")
    return out


def section_records(doc: Document, source_key: str) -> Iterator[dict[str, object]]:
    """The Whoosh documents (one per section) of ``doc``."""
    for ordinal, s in enumerate(doc.sections):
        record: dict[str, object] = {
            "section_id": s.section_id, "doc_id": doc.doc_id, "source_key": source_key, "ordinal": ordinal,
            "words": (s.heading or "") + "\n" + s.text,
            "exact": exact_text(s.heading, s.text), "heading": s.heading, "text": s.text,
            "title_text": doc.title, "issuer": doc.issuer, "doc_number": doc.doc_number, "url": doc.url,
            "fetched": doc.fetched, "content_hash": doc.content_hash or "",
        }
        for name in ("province", "city", "doctype", "source", "date", "parent"):
            value = getattr(doc, name)
            if value:
                record[name] = value
        if doc.year:
            record["year"] = doc.year
        yield record


def write_extraction(writer: IndexWriter, extraction: Extraction, source_key: str, digest: str) -> int:
    """Replace ``source_key``'s sections with the extraction's; returns the number of sections."""
    writer.delete_by_term("source_key", source_key)
    count = 0
    for doc in extraction.documents:
        doc.content_hash = digest
        for record in section_records(doc, source_key):
            writer.add_document(**record)
            count += 1
    return count


def delete_document(index_dir: Path, doc_id: str) -> int:
    """Delete every section of ``doc_id``; returns how many were deleted."""
    ix = open_index(index_dir)
    writer = writer_for(ix)
    try:
        count = writer.delete_by_term("doc_id", doc_id)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return int(count)
