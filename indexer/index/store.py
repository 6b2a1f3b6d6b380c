"""Open, create and change the index — atomically.

One import is one Whoosh transaction: sections are written into new segment files and become visible only
when the table of contents is replaced at commit (Whoosh writes it to a temporary file and renames it). A
crash or a kill before that leaves the previous index as it was. Whoosh's write lock serialises writers; a
second import while one runs is refused with :class:`IndexBusy`.

Re-importing a source replaces all its sections (deleted by ``source_key``, then added); a source whose
bytes (and extractor version) are unchanged is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from indexer.analysis import exact_text
from indexer.document import Document, Extraction
from indexer.extract.pipeline import ExtractError, extract_bytes, looks_like_html, source_id
from indexer.schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)

#: Where the index lives unless --index says otherwise (relative to the working directory).
DEFAULT_INDEX = Path("var/index")
#: Bump when extraction changes, so that re-importing re-extracts unchanged files.
EXTRACTOR_VERSION = "2"
SKIP_NAMES = ("readme", "manifest", "license", "licence", "copying")
SUPPORTED = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ""}


class IndexBusy(RuntimeError):
    """Another process is writing to the index."""


class IndexMissing(FileNotFoundError):
    """There is no index at the given place."""


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
        for name in ("province", "city", "doctype", "source", "date"):
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


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under ``paths`` (folders recursively, in name order, hidden ones left out)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def _skip_reason(path: Path) -> str | None:
    if path.name.lower().startswith(SKIP_NAMES):
        return "project metadata file, not a document"
    if path.suffix.lower() not in SUPPORTED:
        return f"unsupported file type {path.suffix or '(none)'}"
    return None


def import_paths(paths: list[Path], index_dir: Path, procs: int = 1, multisegment: bool = False,
                 progress: Callable[[int, int, str], None] | None = None) -> ImportSummary:
    """Import files and folders into the index at ``index_dir`` in one transaction."""
    started = time.monotonic()
    summary = ImportSummary()
    files = list(iter_files(paths))
    ix = open_index(index_dir, create=True)
    hashes = known_hashes(ix)
    writer = writer_for(ix, procs, multisegment)
    try:
        for n, path in enumerate(files, 1):
            if progress:
                progress(n, len(files), str(path))
            _import_one(writer, path, hashes, summary)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    summary.seconds = time.monotonic() - started
    return summary


def _import_one(writer: IndexWriter, path: Path, hashes: dict[str, str], summary: ImportSummary) -> None:
    summary.files += 1
    reason = _skip_reason(path)
    if reason:
        summary.skipped.append((str(path), reason))
        return
    key = source_id(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        summary.skipped.append((str(path), f"cannot read: {exc.strerror or exc}"))
        return
    digest = content_hash(data)
    if hashes.get(key) == digest:
        summary.unchanged += 1
        return
    try:
        extraction = extract_bytes(data, key, html=looks_like_html(data, path.suffix.lower()))
    except ExtractError as exc:
        summary.skipped.append((str(path), str(exc)))
        log.info("skipped %s: %s", path, exc)
        return
    if key in hashes:
        summary.replaced += 1
    summary.sections += write_extraction(writer, extraction, key, digest)
    summary.documents += len(extraction.documents)


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
