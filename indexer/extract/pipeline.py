"""File or fetched page → documents, read as a checklist: read → decode → parse → clean → assemble.

A source that cannot be used raises :class:`ExtractError` with a one-line reason; callers that walk many
files (``import``, the crawler) log the reason and go on with the rest.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from indexer.document import Extraction, Removal
from indexer.extract.cleaning import clean_lines
from indexer.extract.decoding import DecodeError, decode_bytes
from indexer.extract.documents import assemble
from indexer.extract.html import extract_html

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".asp", ".aspx", ".jsp", ".php"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
#: Files larger than this are refused (a document this large is a dump, not a document).
MAX_BYTES = 30 * 1024 * 1024
_HTML_SNIFF = re.compile(rb"<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<table", re.I)


log = logging.getLogger(__name__)


class ExtractError(ValueError):
    """A source yielded nothing usable; the message is the reason."""


def looks_like_html(data: bytes, suffix: str) -> bool:
    """HTML by extension, or by sniffing the first bytes of an extension-less file."""
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES - {""}:
        return False
    return bool(_HTML_SNIFF.search(data[:4096]))


def source_id(path: Path) -> str:
    """The doc_id base of a file: its resolved path."""
    return str(path.resolve())


def extract_bytes(data: bytes, base_id: str, *, html: bool, url: str | None = None,
                  http_charset: str | None = None) -> Extraction:
    """Decode, parse, clean and assemble one source's bytes."""
    if len(data) > MAX_BYTES:
        raise ExtractError(f"file too large: {len(data)} bytes (limit {MAX_BYTES})")
    try:
        decoded = decode_bytes(data, http_charset)
    except DecodeError as exc:
        raise ExtractError(str(exc)) from exc
    removed: list[Removal] = []
    try:
        if html:
            page = extract_html(decoded.text)
            removed.extend(page.removed)
            lines = clean_lines(page.lines, removed)
            docs = assemble(lines, removed, base_id, url, page.title, page.meta)
        else:
            lines = clean_lines(decoded.text.splitlines(), removed)
            docs = assemble(lines, removed, base_id, url)
    except (RecursionError, ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        log.debug("parser failure on %s", base_id, exc_info=True)
        raise ExtractError(f"could not parse the document: {type(exc).__name__}: {exc}") from exc
    docs = [d for d in docs if any(s.text or s.heading for s in d.sections)]
    if not docs:
        raise ExtractError("no text left after cleaning (empty page or only site chrome)")
    return Extraction(docs, removed, decoded.encoding)


def extract_file(path: Path, url: str | None = None) -> Extraction:
    """Extract a file on disk; its resolved path is the doc_id base."""
    try:
        if not path.is_file():
            raise ExtractError(f"not a file: {path}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExtractError(f"file too large: {size} bytes (limit {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return extract_bytes(data, source_id(path), html=looks_like_html(data, path.suffix.lower()), url=url)
