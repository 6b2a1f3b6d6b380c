"""The index of record: open the published generation, create an index, the records and their validation.

The store of record is a Whoosh index: one Whoosh document per section. Indexed (for deletes and lookups):
``doc_id``, ``source_key`` (the file or URL a document came from: all sections of one source are replaced
together), ``source_hash`` (``key␉digest``: what :func:`known_hashes` reads without touching stored fields)
and, on an attachment's first section, ``parent`` (the article it was linked from). Stored: ordinal, heading,
text (compressed by Whoosh), and on a document's first section ``meta``, its metadata. Section ids are
``doc_id#n`` (n = ordinal + 1) and stored only where they differ.

What an index *is* at any moment is its published generation: the manifest (:mod:`indexer.index.manifest`)
names the store's table of contents, its segments and their derived search data. :func:`open_index` opens the
store exactly as that manifest names it (:mod:`indexer.index.storage`), after checking the format and the text
model; changes go through :class:`indexer.index.transaction.Transaction`, which publishes a new generation in
one step or nothing at all. Records are validated before anything is written (:func:`validate_records`).
"""

from __future__ import annotations

import hashlib
import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh.codec import default_codec
from whoosh.index import FileIndex
from whoosh.writing import IndexWriter

from indexer.document import Document, Extraction
from indexer.index import derived, textmodel
from indexer.index.manifest import FORMAT_VERSION, LEGACY_MARKER, Manifest, ManifestError, read_manifest
from indexer.index.storage import open_pinned, toc_generations

try:  # a dependency (setup.cfg); where it cannot be installed, Whoosh's own zlib writes the records
    from isal import isal_zlib
except ImportError:  # pragma: no cover - every supported platform has a wheel
    isal_zlib = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: Where the index lives unless --index says otherwise (relative to the working directory).
DEFAULT_INDEX = Path("var/index")
#: Bump when extraction changes, so that re-importing re-extracts unchanged files.
EXTRACTOR_VERSION = "9"
#: Document fields kept in each section's ``meta``.
META_FIELDS = ("title", "title_derived", "date", "date_precision", "written", "year", "province", "city",
               "source", "issuer", "doc_number", "doctype", "url", "fetched", "parent", "template",
               "date_inferred", "date_source", "title_alt")
#: Limits of what one record may hold (characters): larger texts are refused with a reason, never stored.
MAX_SECTION_CHARS = 2_000_000
MAX_DOCUMENT_SECTIONS = 200_000


class IndexBusy(RuntimeError):
    """Another process is writing to the index."""


class IndexMissing(FileNotFoundError):
    """There is no index at the given place."""


class IndexUnusable(RuntimeError):
    """The index cannot be served as it is (the message says what to run)."""


class IndexFormatError(IndexUnusable):
    """The index was written by another version of tzsearch (or another text model): upgrade it first."""


class IndexDamaged(IndexUnusable):
    """The published generation's files are missing or damaged (``python -m indexer check`` says which)."""


#: What to do when the store of record is damaged: its records cannot be rebuilt from anything in the folder,
#: and an import into the same folder writes on top of the damaged store.
REIMPORT = "import the documents again into a new index folder (nothing is written on top of a damaged store)"


class StoreDamaged(IndexUnusable):
    """The store of record (sections, metadata) is damaged: derived data cannot be rebuilt from it, and
    nothing is written on top of it."""


class RecordError(ValueError):
    """A record that cannot be stored as it is (the file is skipped with this reason)."""


def build_schema() -> fields.Schema:
    """The Whoosh schema (built-in field types only, so nothing of ours is pickled into the index)."""
    return fields.Schema(
        doc_id=fields.ID(stored=True), source_key=fields.ID(), source_hash=fields.ID(), parent=fields.ID(),
        ordinal=fields.STORED(),
        section_id=fields.STORED(), heading=fields.STORED(), text=fields.STORED(), meta=fields.STORED(),
    )


def upgrade_message(path: Path, why: str) -> str:
    return (f"the index in {path.name}/ {why}; bring it up to date with: python -m indexer upgrade --index {path} "
            f"(it rebuilds from the stored records; nothing is imported again)")


def search_data_difference(manifest: Manifest) -> str | None:
    """How the generation's derived search data differs in format from what this version reads (None: same)."""
    if manifest.derived_format == derived.FORMAT:
        return None
    return f"search data of format {manifest.derived_format or 'before 6'}, this version reads {derived.FORMAT}"


def without_manifest(path: Path) -> IndexUnusable | IndexMissing:
    """What a folder without ``manifest.json`` is: an index of an older version (upgrade), one whose manifest
    was lost (its records are there: upgrade rebuilds it), or no index — nothing, a file, or what a first
    import killed before its empty generation was published (only an empty table of contents: import again)."""
    if path.exists() and not path.is_dir():
        return IndexMissing(f"{path} is a file, not an index folder")
    if (path / LEGACY_MARKER).exists():
        return IndexFormatError(upgrade_message(path, "was written by an older version of tzsearch"))
    tocs = toc_generations(path) if path.is_dir() else []
    if tocs and (tocs != [0] or any(p.name.startswith("MAIN_") and "." in p.name for p in path.iterdir())):
        return IndexFormatError(upgrade_message(path, "has no manifest.json (it was written by an older version "
                                                      "of tzsearch, or its manifest was lost)"))
    return IndexMissing(f"no index at {path} (run: python -m indexer import PATH --index {path})")


def published(path: Path) -> Manifest:
    """The published manifest of the index at ``path``: :class:`IndexMissing`, :class:`IndexFormatError` (an
    older format or another text model) or :class:`IndexDamaged` when it cannot be served."""
    try:
        manifest = read_manifest(path)
    except ManifestError as exc:
        raise IndexDamaged(f"the index in {path.name}/ is damaged: {exc}; run: python -m indexer repair "
                           f"--index {path}") from None
    if manifest is None:
        raise without_manifest(path)
    if manifest.format != FORMAT_VERSION:
        raise IndexFormatError(upgrade_message(path, f"has format {manifest.format}, this version reads "
                                                     f"{FORMAT_VERSION}"))
    stale = search_data_difference(manifest)
    if stale:
        raise IndexFormatError(upgrade_message(path, f"holds {stale}"))
    changed = textmodel.differences(manifest.text_model)
    if changed:
        raise IndexFormatError(upgrade_message(path, "was built with another text model (" + "; ".join(changed)
                                               + ")"))
    return manifest


def open_index(path: Path, create: bool = False) -> FileIndex:
    """The store of record as the published generation names it (created, empty, when asked and missing)."""
    if path.exists() and not path.is_dir():
        raise without_manifest(path)
    if create and not (path / "manifest.json").exists() and not (path / LEGACY_MARKER).exists():
        from indexer.index.transaction import create_index

        create_index(path)
    manifest = published(path)
    try:
        return open_pinned(path, manifest.toc)
    except Exception as exc:  # Whoosh raises many kinds when its table of contents is missing or damaged
        raise IndexDamaged(f"the index in {path.name}/ is damaged: its table of contents cannot be read "
                           f"({type(exc).__name__}); run: python -m indexer check --index {path}") from None


def writer_for(ix: FileIndex) -> IndexWriter:
    """Whoosh's writer on a pinned store (the caller holds the index's lock: see Transaction)."""
    # compound=False: each part of a segment is its own file, read where it lies; a compound file is
    # copied into memory whole when read
    codec = default_codec()
    # Whoosh writes a field's length into each posting (for scoring) and looks it up per posting, checking
    # that the field's length file exists each time (a stat per posting: 9 of the 24 s a million sections'
    # commit took). No field of this schema is scorable, so every length is 0 either way: skipped.
    codec.length_stats = any(field.scorable for _, field in ix.schema.items())
    writer = ix.writer(limitmb=128, compound=False, codec=codec)
    _fast_deflate(writer)
    return writer


def _fast_deflate(writer: IndexWriter) -> None:
    """Compress the writer's stored records with ISA-L's deflate instead of zlib's. Whoosh deflates each record at
    level 3; on Chinese text that was 0.27 s of the 0.47 s its writer took for 10,000 sections (the commit of 1 %
    at a million sections), ISA-L writes the same zlib format in 0.11 s (records 4 % larger), and Whoosh reads it
    back with the standard library's zlib as before. Whoosh keeps its compressor on the column's writer:
    ``perdocwriter`` → the ``_stored`` column (a pickling column around a compressing one)."""
    if isal_zlib is None:
        return
    columns = getattr(getattr(writer, "perdocwriter", None), "_colwriters", {})
    compressing = getattr(columns.get("_stored"), "_child", None)
    if compressing is None or getattr(compressing, "_compress", None) is not zlib.compress:  # another Whoosh
        log.warning("Whoosh's stored-records column is not the one expected; its records are compressed by zlib")
        return
    compressing._compress = isal_zlib.compress


def content_hash(data: bytes) -> str:
    """Hash of a source's bytes, the extractor version and the index format."""
    return hashlib.sha256(data + f"\0tzsearch-extractor-{EXTRACTOR_VERSION}-{FORMAT_VERSION}".encode()).hexdigest()


#: Many keys are looked up in one pass over the lexicon: at least one per this many sections held. A term read in
#: that pass costs ~2 µs, a key looked up alone ~60-140 µs (at a million sections; a re-import of its 42,487
#: files spent 6 of its 9.4 s looking them up one by one); there are ~23 sections per source here.
SCAN_KEYS = 64


def known_hashes(ix: FileIndex, keys: Iterable[str] | None = None) -> dict[str, str]:
    """source_key → content_hash of the live sources (of ``keys`` only, when given: an import of a few files
    into a large index looks up just those, one by one; of many, in one pass over the terms: :data:`SCAN_KEYS`),
    from the terms of ``source_hash`` (``key␉digest``; no stored field is read), each checked against
    deletions."""
    out: dict[str, str] = {}
    wanted = None if keys is None else set(keys)
    with ix.searcher() as s:
        reader = s.reader()
        if wanted is None or len(wanted) * SCAN_KEYS >= reader.doc_count_all():
            terms: Iterable[Any] = reader.lexicon("source_hash")  # one pass over every source's term
        else:
            terms = (t for key in wanted for t in reader.expand_prefix("source_hash", key + "\t"))
        for term in terms:
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            key, _, digest = text.rpartition("\t")
            if (wanted is None or key in wanted) and s.document_number(source_hash=text) is not None:
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


def _check_text(value: Any, what: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise RecordError(f"{what} holds a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RecordError(f"{what} holds an invalid character (a lone surrogate)") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_text(k, what)
            _check_text(v, f"{what} {k}")
    elif isinstance(value, list | tuple):
        for v in value:
            _check_text(v, what)


def validate_records(records: list[dict[str, Any]]) -> None:
    """Refuse (:class:`RecordError`) what the store or the derived data cannot hold: text that is not valid
    Unicode, NUL characters, sections or documents over the size limits. Extraction cleans such text
    (:mod:`indexer.extract.sanitize`); this is the store's own guard, so that no input — local, crawled or
    supplied metadata — can reach a commit and break the index."""
    if len(records) > MAX_DOCUMENT_SECTIONS:
        raise RecordError(f"{len(records)} sections in one document (at most {MAX_DOCUMENT_SECTIONS})")
    for record in records:
        text = record.get("text") or ""
        if len(text) > MAX_SECTION_CHARS:
            raise RecordError(f"a section of {len(text)} characters (at most {MAX_SECTION_CHARS})")
        for name, value in record.items():
            _check_text(value, name)


def extraction_records(extraction: Extraction, source_key: str, digest: str, collection: str
                       ) -> list[list[dict[str, Any]]]:
    """The records of every document of an extraction (one list per document), validated."""
    added = time.time()
    out = []
    for doc in extraction.documents:
        doc.content_hash = digest
        records = list(section_records(doc, source_key, collection, added))
        validate_records(records)
        out.append(records)
    return out
