"""What the relation views return: dataclasses serialised by :func:`indexer.search.results.to_json` for the JSON
API (and described by its OpenAPI components, :data:`COMPONENTS`), rendered as they are by the pages.

Offsets (``start``, ``end``) are in the citing document's displayed text (its sections' text joined by
newlines, as ``/api/doc`` gives them). Counts are complete; lists may be cut (``…_total`` says how many there
are).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocRef:
    """An indexed document as a relation names it."""

    doc_id: str
    title: str | None
    title_derived: bool
    date: str | None
    date_inferred: bool
    issuer: str | None
    doc_number: str | None
    url: str


@dataclass
class Citation:
    """One reference this document makes: as written (``text``), what it names (``title``, ``doc_number``),
    ``kind`` (cite, abolish, replace, amend: the target of a validity statement) and the document it resolves
    to (``resolved``; null: not in the index)."""

    text: str
    title: str | None
    doc_number: str | None
    kind: str
    start: int
    end: int
    sentence: str
    resolved: DocRef | None


@dataclass
class Citing:
    """A document that cites this one: how often, the strongest kind of its references (an abolition before
    an amendment before a citation) and the first sentence that does."""

    document: DocRef
    mentions: int
    kind: str
    sentence: str


@dataclass
class Status:
    """What the index knows of a document's force: ``status`` is 已废止, 已修订 or 未见废止或修订 (never 现行有效:
    only what is indexed is known); ``label`` says it as a sentence; ``by`` is the stating document,
    ``sentence`` its words, ``date`` when the statement takes effect (its document's date when it names
    none)."""

    status: str
    label: str
    kind: str | None = None
    by: DocRef | None = None
    date: str | None = None
    sentence: str | None = None


@dataclass
class Version:
    """Another version of this document: its draft or final text (``relation`` draft | final), or the
    previous or next document of its series (previous | next); ``compare_url`` shows the two side by side."""

    relation: str
    document: DocRef
    compare_url: str


@dataclass
class DocRelations:
    """A document's relations: its issuers (each of a joint notice), status, references and citing documents
    (``cited_by_total`` documents, ``cited_by_mentions`` references), other versions."""

    doc_id: str
    issuers: list[str]
    status: Status
    cites: list[Citation]
    cites_total: int
    cites_resolved: int
    cited_by: list[Citing]
    cited_by_total: int
    cited_by_mentions: int
    versions: list[Version] = field(default_factory=list)
    ok: bool = True


@dataclass
class Mention:
    """A reference to a document that may not be indexed, in the document citing it."""

    document: DocRef
    text: str
    kind: str
    start: int
    end: int
    sentence: str


@dataclass
class ExternalReferences:
    """Every reference naming a 发文字号 or title (``docno``/``title``: as asked; ``indexed``: the documents of
    the index that have it)."""

    docno: str | None
    title: str | None
    indexed: list[DocRef]
    documents: int
    total: int
    mentions: list[Mention]
    ok: bool = True


@dataclass
class GraphNode:
    doc_id: str
    title: str | None
    url: str
    hops: int


@dataclass
class GraphEdge:
    """``source`` cites ``target`` (kind: cite, abolish, replace, amend)."""

    source: str
    target: str
    kind: str


@dataclass
class Graph:
    """The documents around one (``hops`` 1: it cites them or they cite it; 2: the same of those), at most a
    few dozen, and who cites whom among them."""

    doc_id: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False
    ok: bool = True


COMPONENTS = (DocRef, Citation, Citing, Status, Version, DocRelations, Mention, ExternalReferences, GraphNode,
              GraphEdge, Graph)
