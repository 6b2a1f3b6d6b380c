"""The one table of file types that ``import``, ``extract`` and the crawler read, and the skip policy.

A file's kind comes from its suffix; a file without a suffix is sniffed (``%PDF-``, ``{\\rtf``, an OFD
zip, HTML markup in its first bytes, else text). Office and fixed-layout kinds (:data:`OFFICE`) are read by
:mod:`indexer.extract.formats`; their size limit is larger (:func:`max_bytes`). Everything that decides
whether a file is read at all lives here, so ``extract FILE`` and ``import FOLDER`` can never disagree
about a file.
"""

from __future__ import annotations

import re
from pathlib import Path

TEXT = "text"
HTML = "html"
DOCX = "docx"  # Word 2007+ (zip of XML)
DOC = "doc"  # Word 97–2003 and WPS Office's .wps (OLE2 compound files)
RTF = "rtf"
PDF = "pdf"
OFD = "ofd"  # GB/T 33190 fixed layout (zip of XML)
XLSX = "xlsx"  # zip-based workbooks: .xlsx, .xlsm, .ods
XLS = "xls"  # Excel 97–2003 workbooks
#: Kinds read by :mod:`indexer.extract.formats` (binary; not decoded as text).
OFFICE = frozenset({DOCX, DOC, RTF, PDF, OFD, XLSX, XLS})

#: suffix → kind. Add a format here and a reader in :mod:`indexer.extract.formats`.
SUFFIXES: dict[str, str] = {
    ".txt": TEXT, ".text": TEXT, ".md": TEXT,
    ".html": HTML, ".htm": HTML, ".shtml": HTML, ".xhtml": HTML, ".jhtml": HTML, ".asp": HTML,
    ".aspx": HTML, ".jsp": HTML, ".php": HTML,
    ".docx": DOCX, ".docm": DOCX, ".dotx": DOCX,
    ".doc": DOC, ".dot": DOC, ".wps": DOC, ".wpt": DOC,
    ".rtf": RTF,
    ".pdf": PDF,
    ".ofd": OFD,
    ".xlsx": XLSX, ".xlsm": XLSX, ".ods": XLSX,
    ".xls": XLS,
}
#: Text and HTML files larger than this are refused before they are read (a document this large is a dump).
MAX_BYTES = 30 * 1024 * 1024
#: Office and PDF files may be larger (scans, embedded fonts and images), up to this.
MAX_OFFICE_BYTES = 100 * 1024 * 1024
#: Project files that sit beside documents in a folder and are not documents.
SKIP_NAMES = ("readme", "manifest", "license", "licence", "copying")
_HTML_SNIFF = re.compile(rb"<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<table", re.I)


def kind_of(suffix: str, head: bytes = b"") -> str:
    """The kind of a file with this suffix whose first bytes are ``head`` (suffix-less files are sniffed)."""
    suffix = suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"{\\rtf"):
        return RTF
    if head.startswith(b"PK\x03\x04") and b"OFD.xml" in head[:200]:
        return OFD
    return HTML if _HTML_SNIFF.search(head[:4096]) else TEXT


def max_bytes(kind: str) -> int:
    """The largest file of this kind that is read at all."""
    return MAX_OFFICE_BYTES if kind in OFFICE else MAX_BYTES


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is not read at all (by name or type), or None when it is a document to read."""
    if path.name.lower().startswith(SKIP_NAMES):
        return "project metadata file, not a document"
    suffix = path.suffix.lower()
    if suffix and suffix not in SUFFIXES:
        return f"unsupported file type {suffix}"
    return None
