"""File or fetched page → documents, read as a checklist: read → decode → parse → clean → assemble → sanitize.

Office and fixed-layout files (.docx, .doc/.wps, .rtf, .pdf, .ofd, .xlsx/.xls) are not decoded: their reader
in :mod:`indexer.extract.formats` gives lines with a title, 发文字号, 落款 date and headings where the layout
shows them, and those lines take the same clean → assemble path. Markdown is decoded, then read by
:mod:`indexer.extract.markdown` into lines with the roles its markup gives them, and takes the same path.
A file's kind comes from its name, checked against its bytes (:func:`.filetypes.content_kind`).

Every extraction ends in :func:`~indexer.extract.sanitize.sanitize`, the one place where records are checked
and cleaned for the stores (valid Unicode, no NUL or control characters, size limits).

A source that cannot be used raises :class:`ExtractError` with a one-line reason; callers that walk many
files (``import``, the crawler) log the reason and go on with the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

from indexer.document import Document, Extraction, Removal
from indexer.extract.cleaning import clean_lines
from indexer.extract.decoding import DecodeError, decode_bytes
from indexer.extract.documents import assemble, labelled
from indexer.extract.errors import ExtractError
from indexer.extract.filetypes import FLOW, HTML, MARKDOWN, OFFICE, PAGES, content_kind, kind_of, max_bytes, skip_reason
from indexer.extract.formats import read_document
from indexer.extract.formats.layout import Layout, layout_of
from indexer.extract.html import extract_html
from indexer.extract.markdown import read_markdown
from indexer.extract.sanitize import sanitize
from indexer.extract.sections import split_sections

__all__ = ["ExtractError", "extract_bytes", "extract_data", "extract_file", "read_source"]
log = logging.getLogger(__name__)


def extract_bytes(data: bytes, base_id: str, *, kind: str, url: str | None = None,
                  http_charset: str | None = None) -> Extraction:
    """Decode, parse, clean and assemble one source's bytes (``kind`` from :mod:`.filetypes`)."""
    limit = max_bytes(kind)
    if len(data) > limit:
        raise ExtractError(f"file too large: {len(data)} bytes (limit {limit})")
    kind = content_kind(kind, data)
    if kind in OFFICE:
        return sanitize(_extract_office(data, base_id, kind, url))
    return sanitize(_extract_text(data, base_id, kind, url, http_charset))


def _extract_text(data: bytes, base_id: str, kind: str, url: str | None, http_charset: str | None) -> Extraction:
    """Decode a text or HTML source, then clean and assemble its lines."""
    html = kind == HTML
    try:
        decoded = decode_bytes(data, http_charset)
    except DecodeError as exc:
        raise ExtractError(str(exc)) from exc
    if kind == MARKDOWN:
        removed_md: list[Removal] = []
        layout = layout_of(read_markdown(decoded.text, removed_md), removed_md)
        return _extract_layout(layout, base_id, kind, url, decoded.encoding)
    removed: list[Removal] = []
    try:
        if html:
            page = extract_html(decoded.text)
            removed.extend(page.removed)
            lines = clean_lines(page.lines, removed)
            docs = assemble(lines, removed, base_id, url, page.title, labelled(page.meta))
        else:
            lines = clean_lines(decoded.text.splitlines(), removed)
            docs = assemble(lines, removed, base_id, url)
    except RecursionError as exc:  # expected: markup nested deeper than the parser can walk
        raise ExtractError("markup nested too deeply to read") from exc
    docs = [d for d in docs if any(s.text or s.heading for s in d.sections)]
    if not docs:
        raise ExtractError("no text left after cleaning (empty page or only site chrome)")
    return Extraction(docs, removed, decoded.encoding)


def _extract_office(data: bytes, base_id: str, kind: str, url: str | None) -> Extraction:
    """Read an office or fixed-layout file, then clean and assemble its lines like any other source."""
    layout = read_document(data, kind)
    if layout.ocr_pages:
        log.info("%s: %d of %d pages read by OCR", base_id, layout.ocr_pages, layout.pages)
    return _extract_layout(layout, base_id, kind, url, None)


def _extract_layout(layout: Layout, base_id: str, kind: str, url: str | None, encoding: str | None) -> Extraction:
    """Clean and assemble the lines a reader gave, with its layout hints."""
    removed = list(layout.removed)
    lines = clean_lines(layout.lines, removed, flow=kind in FLOW, repeats=kind not in FLOW and kind not in PAGES)
    docs = assemble(lines, removed, base_id, url, layout.title, layout.meta or None)
    for doc in docs:
        _apply_headings(doc, layout.headings)
    docs = [d for d in docs if any(s.text or s.heading for s in d.sections)]
    if not docs:
        raise ExtractError(f"no text left after cleaning ({kind} file)")
    return Extraction(docs, removed, encoding)


def _apply_headings(doc: Document, headings: set[str]) -> None:
    """Split again where the source's own markup declares headings the text patterns did not see."""
    lines = [ln for s in doc.sections for ln in s.text.split("\n") if ln]
    if not headings or not headings.intersection(lines):
        return
    first = doc.sections[0].heading if doc.sections and doc.sections[0].heading == doc.title else None
    doc.sections = split_sections(lines, doc.doc_id, first, headings)


def read_source(path: Path) -> bytes:
    """The bytes of a file to extract, refused by name, type or size *before* it is read."""
    reason = skip_reason(path)
    if reason:
        raise ExtractError(reason)
    try:
        if not path.is_file():
            raise ExtractError("not a file")
        limit = max_bytes(kind_of(path.suffix))
        size = path.stat().st_size
        if size > limit:
            raise ExtractError(f"file too large: {size} bytes (limit {limit})")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ExtractError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:  # it grew while we looked
        raise ExtractError(f"file too large: more than {limit} bytes")
    return data


def extract_data(data: bytes, path: Path, doc_id: str, url: str | None = None) -> Extraction:
    """Extract bytes already read from ``path`` (its suffix tells the kind)."""
    return extract_bytes(data, doc_id, kind=kind_of(path.suffix, data), url=url)


def extract_file(path: Path, doc_id: str | None = None, url: str | None = None) -> Extraction:
    """Extract a file on disk; ``doc_id`` defaults to ``folder/name``, the id ``import FILE`` gives it."""
    return extract_data(read_source(path), path, doc_id or f"{path.resolve().parent.name}/{path.name}", url=url)
