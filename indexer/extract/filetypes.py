"""The one table of file types that ``import``, ``extract`` and the crawler read, and the skip policy.

A file's kind comes from its suffix; a file without a suffix is sniffed (HTML markup in its first bytes,
else text). Everything that decides whether a file is read at all lives here, so ``extract FILE`` and
``import FOLDER`` can never disagree about a file.
"""

from __future__ import annotations

import re
from pathlib import Path

TEXT = "text"
HTML = "html"

#: suffix → kind. Add a format here and a reader in :mod:`indexer.extract.pipeline`.
SUFFIXES: dict[str, str] = {
    ".txt": TEXT, ".text": TEXT, ".md": TEXT,
    ".html": HTML, ".htm": HTML, ".shtml": HTML, ".xhtml": HTML, ".jhtml": HTML, ".asp": HTML,
    ".aspx": HTML, ".jsp": HTML, ".php": HTML,
}
#: Files larger than this are refused before they are read (a document this large is a dump).
MAX_BYTES = 30 * 1024 * 1024
#: Project files that sit beside documents in a folder and are not documents.
SKIP_NAMES = ("readme", "manifest", "license", "licence", "copying")
_HTML_SNIFF = re.compile(rb"<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<table", re.I)


def kind_of(suffix: str, head: bytes = b"") -> str:
    """The kind of a file with this suffix whose first bytes are ``head`` (suffix-less files are sniffed)."""
    suffix = suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    return HTML if _HTML_SNIFF.search(head[:4096]) else TEXT


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is not read at all (by name or type), or None when it is a document to read."""
    if path.name.lower().startswith(SKIP_NAMES):
        return "project metadata file, not a document"
    suffix = path.suffix.lower()
    if suffix and suffix not in SUFFIXES:
        return f"unsupported file type {suffix}"
    return None
