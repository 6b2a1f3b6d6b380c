"""Open, create and change the index — atomically — and keep its derived data beside it.

One change (an import, a crawl batch, a delete) is one Whoosh transaction: sections are written into new
segment files and become visible only when the table of contents is replaced at commit. A crash or a kill
before that leaves the previous index as it was. Whoosh's write lock (``flock``, released by the kernel when
its holder dies) serialises writers; a second writer is refused with :class:`IndexBusy`. After a commit,
:func:`indexer.index.segments.ensure_derived` builds the derived search data of the new segments before the
writer returns, so a server sees the change complete; then :func:`indexer.reuse.update.update_reuse` compares
the new documents with the indexed ones (shared passages, beside the index in ``reuse/``).

Records: one Whoosh document per section. Indexed (for deletes and lookups): ``doc_id``, ``source_key``
(the file or URL a document came from: all sections of one source are replaced together), ``source_hash``
(``key␉digest``: what :func:`known_hashes` reads without touching stored fields) and, on an attachment's
first section, ``parent`` (the article it was linked from, so that the article lists it). Stored: ordinal,
heading, text (Whoosh compresses stored fields), and on a document's first section ``meta``, its metadata.
Section ids are ``doc_id#n`` (n = ordinal + 1) and stored only where they differ.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from indexer.document import Document, Extraction

log = logging.getLogger(__name__)

#: Where the index lives unless --index says otherwise (relative to the working directory).
DEFAULT_INDEX = Path("var/index")
#: The on-disk format: bump when the schema, the stored record or the derived data change meaning.
FORMAT_VERSION = 5
#: Bump when extraction changes, so that re-importing re-extracts unchanged files.
EXTRACTOR_VERSION = "5"
MARKER = "tzsearch.json"
#: Document fields kept in each section's ``meta``.
META_FIELDS = ("title", "title_derived", "date", "date_precision", "written", "year", "province", "city",
               "source", "issuer", "doc_number", "doctype", "url", "fetched", "parent", "template",
               "date_inferred", "date_source", "title_alt")


class IndexBusy(RuntimeError):
    """Another process is writing to the index."""


class IndexMissing(FileNotFoundError):
    """There is no index at the given place."""


class IndexFormatError(RuntimeError):
    """The index was written by another version of tzsearch and must be rebuilt."""


def build_schema() -> fields.Schema:
    """The Whoosh schema (built-in field types only, so nothing of ours is pickled into the index)."""
    return fields.Schema(
        doc_id=fields.ID(stored=True), source_key=fields.ID(), source_hash=fields.ID(), parent=fields.ID(),
        ordinal=fields.STORED(),
        section_id=fields.STORED(), heading=fields.STORED(), text=fields.STORED(), meta=fields.STORED(),
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
        # compound=False: each part of a segment is its own file, read where it lies; a compound file is
        # copied into memory whole when read (660 MB of stored text at a million sections)
        return ix.writer(limitmb=128, compound=False)
    except LockError as exc:
        raise IndexBusy("another import or crawl is writing to this index; try again when it ends") from exc


class Transaction:
    """One atomic change: a writer that commits on success only when something was written or deleted
    (a no-op import creates no new generation), and cancels on any exception."""

    def __init__(self, ix: whoosh_index.Index, index_dir: Path, procs: int = 1, reuse: bool = True) -> None:
        self.index_dir = index_dir
        self.procs = procs
        self.reuse = reuse
        self.writer = writer_for(ix)
        self.changed = False

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self.changed:
            self.writer.cancel()
            return
        self.writer.commit()
        from indexer.index.segments import ensure_derived

        ensure_derived(self.index_dir, procs=self.procs)
        if self.reuse:
            from indexer.reuse.update import update_reuse

            update_reuse(self.index_dir)

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


def known_hashes(ix: whoosh_index.Index, keys: Iterable[str] | None = None) -> dict[str, str]:
    """source_key → content_hash of the live sources (of ``keys`` only, when given: an import of a few files
    into a large index looks up just those), from the terms of ``source_hash`` (``key␉digest``; no stored
    field is read), each checked against deletions."""
    out: dict[str, str] = {}
    with ix.searcher() as s:
        reader = s.reader()
        if keys is None:
            terms: Iterable[Any] = reader.lexicon("source_hash")
        else:
            terms = (t for key in keys for t in reader.expand_prefix("source_hash", key + "\t"))
        for term in terms:
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if s.document_number(source_hash=text) is not None:
                key, _, digest = text.rpartition("\t")
                out[key] = digest
    return out


def read_record(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored section record with its ``section_id`` (stored only where it is not ``doc_id#n``)."""
    out = dict(stored)
    if not out.get("section_id"):
        out["section_id"] = f"{out['doc_id']}#{out.get('ordinal', 0) + 1}"
    return out


def section_records(doc: Document, source_key: str, collection: str, added: float) -> Iterator[dict[str, Any]]:
    """The Whoosh documents (one per section) of ``doc``; the document's metadata rides on its first one."""
    meta = {name: getattr(doc, name) for name in META_FIELDS}
    meta.update(collection=collection, added=added, source_key=source_key)
    tag = f"{source_key}\t{doc.content_hash or ''}"
    for ordinal, s in enumerate(doc.sections):
        record: dict[str, Any] = {"doc_id": doc.doc_id, "source_key": source_key, "source_hash": tag,
                                  "ordinal": ordinal, "heading": s.heading, "text": s.text}
        if s.section_id != f"{doc.doc_id}#{ordinal + 1}":
            record["section_id"] = s.section_id
        if ordinal == 0:
            record["meta"] = meta
            if doc.parent:  # indexed so that an article finds its attachments
                record["parent"] = doc.parent
        yield record


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
