"""The last step of every extraction: each record checked and cleaned, in this one place, before any store sees it.

What the stores (UTF-8 files, PostgreSQL text), the pages and the Atom feed (XML 1.0) can hold decides what is
cleaned. Cleaning never changes what a search finds — normalisation drops these characters at index and query
time anyway — and where the text is still right after it, it is done silently:

* a lone UTF-16 surrogate (a broken ``\\uN`` pair, a JSON ``"\\ud800"``, an undecodable byte) becomes U+FFFD;
* NUL, the other C0 control characters except tab and newline, DEL, the C1 controls (U+0080–U+009F) and the
  noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and their like in every plane) are removed — XML cannot hold
  most of them and none is text (a spreadsheet's ``_x0001_`` escape, a stray byte of a binary file);
* a carriage return becomes a line break in text and a space in a one-line field.

What cleaning cannot put right makes the whole file a skip with its reason (:class:`ExtractError`):

* a document of more than :data:`MAX_SECTIONS` sections (the index numbers the sections of a part in 16 bits;
  a document this long is a dump, not one document) or :data:`MAX_DOCUMENT_CHARS` characters of text;
* a section of more than :data:`MAX_SECTION_CHARS` characters (sections are cut into passages of about 1,500
  characters, so this only catches a reader that did not cut);
* an identifier (doc_id, section id, url, parent) that needs cleaning or is longer than :data:`MAX_KEY_CHARS`:
  changing it would change what it names.

A metadata field longer than :data:`MAX_FIELD_CHARS` (a page's ``<title>`` holding a whole article) is cut
there, and the cut is listed among the removals ``extract`` reports. :func:`clean_field` is the same cleaning
for values that come from elsewhere (a ``--metadata`` file, a link's text).
"""

from __future__ import annotations

import re

from indexer.document import Document, Extraction, Removal
from indexer.extract.errors import ExtractError

#: Sections one document may have, and characters of text (both a dump beyond this, not a document).
MAX_SECTIONS = 20_000
MAX_DOCUMENT_CHARS = 10_000_000
#: Characters of one section (the section splitter makes passages of ~1,500).
MAX_SECTION_CHARS = 100_000
#: Characters of a metadata field (title, heading, issuer…): cut beyond this.
MAX_FIELD_CHARS = 1_000
#: Characters of an identifier (doc_id, url…): refused beyond this.
MAX_KEY_CHARS = 4_096

_ASTRAL_NONCHARACTERS = "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                                for plane in range(1, 17))
#: What cleaning touches in the Basic Multilingual Plane (a compact class: fast) and beyond it (looked for only
#: in a text that has characters beyond U+FFFF at all).
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SUSPECT_ASTRAL = re.compile(f"[{_ASTRAL_NONCHARACTERS}]")
_DROP = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff{_ASTRAL_NONCHARACTERS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CR = re.compile("\r\n?")
_KEYS = ("doc_id", "url", "parent")
_FIELDS = ("title", "date", "written", "source", "issuer", "doc_number", "doctype", "province", "city",
           "fetched", "content_hash")


def _suspect(text: str) -> bool:
    if _SUSPECT.search(text):
        return True
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return False  # nothing beyond U+FFFF (the encoding is C speed; a regex over astral ranges is not)
    return _SUSPECT_ASTRAL.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` (several lines) as a store, a page and XML can hold it (see the module docstring)."""
    if not _suspect(text):
        return text
    text = _SURROGATE.sub("\ufffd", text)
    return _DROP.sub("", _CR.sub("\n", text))


def clean_field(value: str) -> str:
    """A one-line value cleaned like :func:`clean_text`, a carriage return becoming a space."""
    if not _suspect(value):
        return value
    return clean_text(value.replace("\r\n", " ").replace("\r", " "))


def sanitize(extraction: Extraction) -> Extraction:
    """The extraction with every record cleaned and checked (see the module docstring); ExtractError when a
    document cannot be stored as it is."""
    for doc in extraction.documents:
        _document(doc, extraction.removed)
    extraction.removed = [Removal(clean_text(r.text), clean_field(r.reason)) for r in extraction.removed]
    extraction.documents = [d for d in extraction.documents if any(s.text or s.heading for s in d.sections)]
    if not extraction.documents:
        raise ExtractError("no text left after removing characters that are not text (control characters, NUL)")
    return extraction


def _document(doc: Document, removed: list[Removal]) -> None:
    for name in _KEYS:
        _check_key(doc, name, getattr(doc, name))
    if len(doc.sections) > MAX_SECTIONS:
        raise ExtractError(f"document {doc.doc_id} has {len(doc.sections):,} sections (limit {MAX_SECTIONS:,}): "
                           f"too long to index as one document")
    total = sum(len(s.text) for s in doc.sections)
    if total > MAX_DOCUMENT_CHARS:
        raise ExtractError(f"document {doc.doc_id} has {total:,} characters of text (limit {MAX_DOCUMENT_CHARS:,}): "
                           f"a dump, not a document")
    for name in _FIELDS:
        value = getattr(doc, name)
        if isinstance(value, str):
            setattr(doc, name, _field(value, name, removed))
    for section in doc.sections:
        _check_key(doc, "section id", section.section_id)
        if len(section.text) > MAX_SECTION_CHARS:
            raise ExtractError(f"section {section.section_id} has {len(section.text):,} characters "
                               f"(limit {MAX_SECTION_CHARS:,})")
        section.text = clean_text(section.text)
        if section.heading is not None:
            section.heading = _field(section.heading, "heading", removed)


def _field(value: str, name: str, removed: list[Removal]) -> str:
    value = clean_field(value)
    if len(value) > MAX_FIELD_CHARS:
        removed.append(Removal(value[MAX_FIELD_CHARS:MAX_FIELD_CHARS + 200],
                               f"{name} cut at {MAX_FIELD_CHARS:,} characters (it had {len(value):,})"))
        value = value[:MAX_FIELD_CHARS]
    return value


def _check_key(doc: Document, name: str, value: str | None) -> None:
    if value is None:
        return
    if _suspect(value):
        shown = clean_field(value)[:200]
        raise ExtractError(f"the {name} {shown!r} holds characters that cannot be stored (control characters, "
                           f"NUL or broken Unicode)")
    if len(value) > MAX_KEY_CHARS:
        raise ExtractError(f"the {name} of document {doc.doc_id[:200]} is {len(value):,} characters long "
                           f"(limit {MAX_KEY_CHARS:,})")
