"""The one table of file types that ``import``, ``extract`` and the crawler read, and the skip policy.

A file's kind comes from its suffix; a file without a suffix is sniffed (``%PDF-``, ``{\\rtf``, an
OFD zip, HTML markup in its first bytes, else text). An office kind whose bytes are another
container, or a .doc or .xls that is HTML, an XML Spreadsheet or text (web systems export 职位表 as an
HTML table named .xls), is read as what its bytes are (:func:`content_kind`). Office and
fixed-layout kinds (:data:`OFFICE`) are read by :mod:`indexer.extract.formats`; their size limit is
larger (:func:`max_bytes`). Everything that decides whether a file is read at all lives here, so
``extract FILE`` and ``import FOLDER`` can never disagree about a file.
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
XMLSHEET = "xmlsheet"  # Excel 2003 XML Spreadsheet (SpreadsheetML), often saved with an .xls name
MARKDOWN = "markdown"  # Markdown: headings and emphasis are markup, not text
#: Kinds read by :mod:`indexer.extract.formats` (binary; not decoded as text).
OFFICE = frozenset({DOCX, DOC, RTF, PDF, OFD, XLSX, XLS, XMLSHEET})
#: Office kinds whose text flows (paragraphs and table rows, page headers kept apart), unlike pages (PDF, OFD).
FLOW = frozenset({DOCX, DOC, RTF, XLSX, XLS, XMLSHEET})
#: Fixed-layout kinds: lines as the pages set them.
PAGES = frozenset({PDF, OFD})

#: suffix → kind. Add a format here and a reader in :mod:`indexer.extract.formats`.
SUFFIXES: dict[str, str] = {
    ".txt": TEXT, ".text": TEXT, ".md": MARKDOWN, ".markdown": MARKDOWN,
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
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
#: What the bytes of each office container start with.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {DOC: (_OLE2,), XLS: (_OLE2,), DOCX: (_ZIP,), XLSX: (_ZIP,), OFD: (_ZIP,),
                                            RTF: (b"{\\rt",)}
_SPREADSHEET_ML = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet|<\?mso-application[^>]*Excel", re.I)


#: Kinds that systems export under another kind's name: an HTML table, an XML Spreadsheet or CSV named .xls, a
#: web page, MHT or RTF named .doc (what Word and WPS open as they are). A .pdf that is not a PDF is a broken
#: download or an error page: the PDF reader says so.
_SAVED_AS = frozenset({DOC, XLS})


def content_kind(kind: str, data: bytes) -> str:
    """``kind`` (from a name) checked against the bytes: an office kind whose container signature is missing
    is what its bytes are — another office container, or (for .doc and .xls, :data:`_SAVED_AS`) HTML, an
    Excel XML Spreadsheet or text without NUL bytes; other kinds, and bytes of no known kind (the named reader
    then says why it cannot read them), stay."""
    signatures = _SIGNATURES.get(kind)
    if signatures is None or not data or data.startswith(signatures):
        return kind
    found = _sniff(data)
    if found in OFFICE and found not in (PDF, OFD):
        return found
    if kind in _SAVED_AS and found in (HTML, XMLSHEET, TEXT, RTF) and not (found == TEXT and b"\x00" in data[:8192]):
        return found
    return kind


def _sniff(head: bytes) -> str:
    """The kind of bytes whose name does not tell (or tells wrongly)."""
    start = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(_OLE2):
        return DOC if b"W\x00o\x00r\x00d\x00D\x00o\x00c" in head[:1 << 20] else XLS
    if start.startswith(b"%PDF-"):
        return PDF
    if start.startswith(b"{\\rtf"):
        return RTF
    if start.startswith(_ZIP):
        if b"OFD.xml" in head[:200]:
            return OFD
        return XLSX if b"xl/" in head[:1 << 16] else DOCX
    if start.startswith(b"<?xml") and _SPREADSHEET_ML.search(start):
        return XMLSHEET
    return HTML if _HTML_SNIFF.search(start) else TEXT


def kind_of(suffix: str, head: bytes = b"") -> str:
    """The kind of a file with this suffix whose first bytes are ``head`` (suffix-less files are sniffed; a
    binary kind whose bytes say otherwise is what the bytes say, :func:`content_kind`)."""
    suffix = suffix.lower()
    if suffix in SUFFIXES:
        return content_kind(SUFFIXES[suffix], head) if head else SUFFIXES[suffix]
    return _sniff(head)


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
