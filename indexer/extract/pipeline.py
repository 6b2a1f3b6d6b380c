"""File or fetched page → documents, read as a checklist: read → decode → parse → clean → assemble.

A source that cannot be used raises :class:`ExtractError` with a one-line reason; callers that walk many
files (``import``, the crawler) log the reason and go on with the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

from indexer.document import Extraction, Removal
from indexer.extract.cleaning import clean_lines
from indexer.extract.decoding import DecodeError, decode_bytes
from indexer.extract.documents import assemble
from indexer.extract.filetypes import HTML, MAX_BYTES, kind_of, skip_reason
from indexer.extract.html import extract_html

log = logging.getLogger(__name__)


class ExtractError(ValueError):
    """A source yielded nothing usable; the message is the reason."""


def extract_bytes(data: bytes, base_id: str, *, kind: str, url: str | None = None,
                  http_charset: str | None = None) -> Extraction:
    """Decode, parse, clean and assemble one source's bytes (``kind`` from :mod:`.filetypes`)."""
    if len(data) > MAX_BYTES:
        raise ExtractError(f"file too large: {len(data)} bytes (limit {MAX_BYTES})")
    html = kind == HTML
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
    except RecursionError as exc:  # expected: markup nested deeper than the parser can walk
        raise ExtractError("markup nested too deeply to read") from exc
    docs = [d for d in docs if any(s.text or s.heading for s in d.sections)]
    if not docs:
        raise ExtractError("no text left after cleaning (empty page or only site chrome)")
    return Extraction(docs, removed, decoded.encoding)


def read_source(path: Path) -> bytes:
    """The bytes of a file to extract, refused by name, type or size *before* it is read."""
    reason = skip_reason(path)
    if reason:
        raise ExtractError(reason)
    try:
        if not path.is_file():
            raise ExtractError("not a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExtractError(f"file too large: {size} bytes (limit {MAX_BYTES})")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ExtractError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:  # it grew while we looked
        raise ExtractError(f"file too large: more than {MAX_BYTES} bytes")
    return data


def extract_data(data: bytes, path: Path, doc_id: str, url: str | None = None) -> Extraction:
    """Extract bytes already read from ``path`` (its suffix tells the kind)."""
    return extract_bytes(data, doc_id, kind=kind_of(path.suffix, data), url=url)


def extract_file(path: Path, doc_id: str | None = None, url: str | None = None) -> Extraction:
    """Extract a file on disk; ``doc_id`` defaults to ``folder/name``, the id ``import FILE`` gives it."""
    return extract_data(read_source(path), path, doc_id or f"{path.resolve().parent.name}/{path.name}", url=url)
