"""The one result model: what a search, a document or an error *is*, serialised once.

The JSON API, ``search --json`` and the HTML pages all render these dataclasses; the OpenAPI description
is generated from their type hints (``webui.openapi``), so the documented contract cannot drift from what is
sent. Nothing here is HTML: snippets are plain text with ``highlights`` (``[start, end)`` character offsets
into the snippet), which each renderer marks its own way.

``url`` fields are the document page's path (``/doc/<id>#s<n>``), relative unless a public base URL is
configured (``TZSEARCH_BASE_URL``); :func:`doc_path` is the one place that spells it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any
from urllib.parse import quote, urlencode

from indexer.relations.results import DocRelations

FACETS = ("province", "city", "year", "doctype", "source", "collection", "issuer", "status")
#: Facets of relations (indexer.relations): issuers each counted, status counted from the generation's statements.
RELATION_FACETS = ("issuer", "status")
#: The filter value that selects documents where a facet's value is not stated.
UNKNOWN_VALUE = "unknown"


def doc_path(doc_id: str, section_id: str | None = None, base_url: str = "", q: str = "", mode: str = "",
             synonyms: bool = True) -> str:
    """The document page of ``doc_id`` (highlighting ``q`` as it was searched: its mode, and ``synonyms=0``
    when a keyword search did without equivalents; anchored at a section), under ``base_url`` when set."""
    path = f"{base_url.rstrip('/')}/doc/{quote(doc_id, safe='/:')}" + _doc_query(q, mode, synonyms)
    return path + (f"#s{section_id.rsplit('#', 1)[-1]}" if section_id else "")


@functools.lru_cache(maxsize=256)
def _doc_query(q: str, mode: str, synonyms: bool) -> str:
    """The query string of :func:`doc_path` (a page's hits share one; encoded once)."""
    off = "0" if q and not synonyms and mode != "exact" else ""
    params = {k: v for k, v in (("q", q), ("mode", mode if mode == "exact" else ""), ("synonyms", off)) if v}
    return "?" + urlencode(params) if params else ""


@dataclass
class Region:
    """Where a document is from: province (全国 for central bodies) and city, short names."""

    province: str | None
    city: str | None


@dataclass
class Hit:
    """One matching section (or, grouped by document, a document's best section)."""

    doc_id: str
    section_id: str
    title: str | None
    title_derived: bool
    heading: str | None
    date: str | None
    date_precision: str | None
    year: int | None
    region: Region
    source: str | None
    issuer: str | None
    doctype: str | None
    collection: str | None
    snippet: str
    highlights: list[list[int]]
    score: float | None
    url: str
    fetched: str | None = None
    matches: int | None = None
    sections: list[str] | None = None
    template: bool = False
    added: str | None = None
    date_inferred: bool = False


@dataclass
class ExportHit:
    """A hit as exports carry it: with its section's whole text and the citation fields a hit lacks."""

    hit: Hit
    text: str
    doc_number: str | None
    source_url: str | None
    written: str | None


@dataclass
class FacetValue:
    """One value of a facet with its count (``value`` None: documents where it is unknown); for years,
    ``inferred`` says how many of them have the year by inference (the text implies it, states no date)."""

    value: str | int | None
    count: int
    inferred: int = 0


@dataclass
class SearchResult:
    """A page of hits with facet counts over *all* matches."""

    query: str
    mode: str
    sort: str
    group: str
    total: int
    total_documents: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    partial: bool = False
    notice: str | None = None
    ok: bool = True
    also_searched: list[str] = field(default_factory=list)


@dataclass
class SectionView:
    """A section of a document page."""

    section_id: str
    heading: str | None
    text: str


@dataclass
class Attachment:
    """A document linked from an article (a PDF, Word file… fetched by the crawler with the article as its
    ``parent``): what the article's page lists."""

    doc_id: str
    title: str | None
    title_derived: bool
    doctype: str | None
    url: str


@dataclass
class DocumentView:
    """A whole document with its metadata and sections in order."""

    doc_id: str
    title: str | None
    title_derived: bool
    date: str | None
    date_precision: str | None
    written: str | None
    year: int | None
    region: Region
    source: str | None
    issuer: str | None
    doc_number: str | None
    doctype: str | None
    url: str | None
    collection: str | None
    parent: str | None
    fetched: str | None
    sources: list[str]
    url_page: str
    sections: list[SectionView]
    ok: bool = True
    template: bool = False
    citation: str = ""
    citation_short: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    date_inferred: bool = False
    date_source: str | None = None
    title_alt: str | None = None
    relations: DocRelations | None = None


@dataclass
class SharedSpan:
    """A passage two documents share: [start, end) in this document's displayed text (its sections' text
    joined by newlines, as ``/api/doc`` gives them) and [other_start, other_end) in the other's."""

    start: int
    end: int
    other_start: int
    other_end: int
    text: str
    other_text: str


@dataclass
class SharedDocument:
    """Another document that shares wording with this one."""

    doc_id: str
    title: str | None
    title_derived: bool
    date: str | None
    chars: int
    coverage: float
    other_coverage: float
    earlier: str
    template: bool
    url: str
    spans: list[SharedSpan]


@dataclass
class ReuseView:
    """The wording a document shares with others (``analysed`` False: not compared yet)."""

    doc_id: str
    analysed: bool
    shared_total: int
    shared: list[SharedDocument]
    ok: bool = True


@dataclass
class PairDocument:
    """One side of a pair of documents that share wording."""

    doc_id: str
    title: str | None
    title_derived: bool
    date: str | None
    region: Region
    doctype: str | None
    template: bool
    url: str
    chars: int
    coverage: float


@dataclass
class ReusePair:
    """Two documents sharing wording; ``a`` is the earlier when the dates tell (``earlier``: a, b, unknown)."""

    a: PairDocument
    b: PairDocument
    chars: int
    spans: int
    earlier: str


@dataclass
class ReusePairs:
    """Pairs of documents by shared length (longest first), filtered by province, year and doctype."""

    total: int
    page: int
    per_page: int
    pairs: list[ReusePair]
    ok: bool = True


@dataclass(slots=True)
class Occurrence:
    """One occurrence of a wording (a concordance line): its document and section, and ``left``/``right``
    context on each side of ``match`` as the document page shows the text (line breaks as spaces)."""

    doc_id: str
    section_id: str
    title: str | None
    title_derived: bool
    date: str | None
    date_precision: str | None
    year: int | None
    region: Region
    left: str
    match: str
    right: str
    url: str
    date_inferred: bool = False  # the date is implied by the text, not stated (shown in brackets)


@dataclass
class Occurrences:
    """Occurrences of a query's wordings (see ``SearchBackend.occurrences``): ``total`` counts every
    occurrence (two in one section count twice), ``documents`` the documents holding them, ``items`` is the
    requested window of them in the requested order."""

    total: int
    documents: int
    items: list[Occurrence]
    partial: bool = False


@dataclass
class ErrorBody:
    """Every error of the API has this shape."""

    error: str
    status: int
    ok: bool = False


@dataclass
class Stats:
    """Size of the index and counts per facet."""

    documents: int
    sections: int
    index_bytes: int
    facets: dict[str, list[FacetValue]]
    ok: bool = True


_LEAVES = frozenset((str, int, float, bool, type(None)))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def to_json(obj: Any) -> Any:
    """A result object as JSON-ready data (``notice`` is left out when there is none). Leaves are answered
    by their exact type first and each class's field names are read once: a page of grouped hits has
    thousands of values (facet values, section ids)."""
    kind = type(obj)
    if kind in _LEAVES:
        return obj
    if kind is list or kind is tuple:
        return [v if type(v) in _LEAVES else to_json(v) for v in obj]
    if kind is dict:
        return {k: v if type(v) in _LEAVES else to_json(v) for k, v in obj.items()}
    if isinstance(obj, (str, int, float)):  # subclasses of the leaves (an IntEnum, a str subclass)
        return obj
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: v if type(v) in _LEAVES else to_json(v) for k, v in json_fields(obj).items()}
    return obj


def json_fields(obj: Any) -> dict[str, Any]:
    """A result object's fields as they are answered in JSON, values as they are (:func:`to_json` converts
    them in turn; the site's JSON writer hands them to its encoder): every field, ``notice`` left out when
    there is none."""
    out = {name: getattr(obj, name) for name in _field_names(obj.__class__)}
    if "notice" in out and out["notice"] is None:
        del out["notice"]
    return out


def region_label(region: Region) -> str:
    """省/市 for display (empty when unknown)."""
    return "/".join(x for x in (region.province, region.city) if x)
