"""The data carried between the importer's stages and into the index.

A source file or page yields an :class:`Extraction`: one or more :class:`Document` objects (a page may hold
two logical documents) and the list of :class:`Removal` records saying what the cleaner cut and why.
Documents keep the *original* text (for display and citation); normalisation for search is the index's job.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Removal:
    """A piece of text the cleaner removed, with the reason (reported by ``extract``)."""

    text: str
    reason: str


@dataclass
class Section:
    """A part of a document under one heading (``heading`` is None for the text before the first one)."""

    section_id: str
    heading: str | None
    text: str


@dataclass
class Document:
    """One logical document with its metadata and sections.

    ``date`` is the publication date as precise as the document states it (``date_precision``: "day",
    "month" or "year"; a year-only date is stored as ``YYYY``); ``written`` is the 成文日期 when a page
    states it apart from publication. ``title_derived`` says the title was not stated by the document but
    derived (first heading or sentence, or the file name). ``province`` is ``全国`` for central bodies.
    ``parent`` is the doc_id of the article an attachment was linked from. ``template``: the text leaves names,
    places or numbers as placeholders (XX市, xx个; :mod:`indexer.extract.templates`).

    ``date_inferred``: the document does not state its date; ``date`` is the year a reader would give by
    implication (a work report reviewing 1996 is of 1997), shown in square brackets ([1997]), and
    ``date_source`` is the line it comes from. ``title_alt``: a title in another language (a metadata file's
    English title), shown and searchable beside the document's own."""

    doc_id: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY (see date_precision)
    year: int | None = None
    date_precision: str | None = None  # "day" | "month" | "year" | None
    written: str | None = None  # 成文日期, YYYY-MM-DD
    title_derived: bool = False
    province: str | None = None
    city: str | None = None
    source: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    doctype: str | None = None
    url: str | None = None
    sections: list[Section] = field(default_factory=list)
    fetched: str | None = None  # ISO timestamp when a crawler fetched the page
    content_hash: str | None = None
    parent: str | None = None
    template: bool = False
    date_inferred: bool = False
    date_source: str | None = None
    title_alt: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``extract --json`` shape (region nested; internal bookkeeping left out)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "title_derived": self.title_derived,
            "title_alt": self.title_alt,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_inferred": self.date_inferred,
            "date_source": self.date_source,
            "written": self.written,
            "year": self.year,
            "region": {"province": self.province, "city": self.city},
            "source": self.source,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "doctype": self.doctype,
            "url": self.url,
            "template": self.template,
            "sections": [asdict(s) for s in self.sections],
        }

    @property
    def text(self) -> str:
        """The whole continuous text, each heading once: a heading that is not part of its section's text
        (the title over the opening text) is put before it, but not again before the later passages of a
        long section, which carry the same heading."""
        parts = []
        previous: str | None = None
        for s in self.sections:
            if s.heading and s.heading not in s.text and s.heading != previous:
                parts.append(s.heading)
            if s.text:
                parts.append(s.text)
            previous = s.heading
        return "\n".join(parts)


@dataclass
class Extraction:
    """What one source yields: its documents and what was removed from it."""

    documents: list[Document]
    removed: list[Removal] = field(default_factory=list)
    encoding: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``extract --json`` object."""
        return {
            "documents": [d.to_json() for d in self.documents],
            "removed": [asdict(r) for r in self.removed],
        }
