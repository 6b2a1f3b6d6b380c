"""The relation result objects (:mod:`.results`), built the same way by every backend from rows it reads.

A backend resolves references its own way (:mod:`.generation` over arrays, :mod:`indexer.pg.relations` over
tables) and hands this module plain rows plus a :class:`Source` — how to name one of its documents
(:class:`~.results.DocRef`) and read its displayed text — so the page and the JSON say the same on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from indexer.relations import issuers
from indexer.relations.docno import find_docnos
from indexer.relations.extract import ABOLISH, AMEND, CITE, KINDS, REPLACE
from indexer.relations.resolve import AMENDED, NONE, STATUS_LABELS
from indexer.relations.results import Citation, Citing, DocRef, DocRelations, Status, Version

MAX_CITES = 500
MAX_CITING = 200
#: Citing documents whose sentence is shown (reading each one's text costs a lookup).
SENTENCES = 40
MAX_SENTENCE = 300
#: Strength of a reference kind when one document cites another several times.
_STRENGTH = {ABOLISH: 3, REPLACE: 2, AMEND: 1, CITE: 0}


class Source(Protocol):
    """A backend's documents as the views need them (``doc`` is the backend's own handle)."""

    def doc_ref(self, doc: Any) -> DocRef: ...

    def text(self, doc: Any) -> str: ...


@dataclass
class OutRow:
    """A reference of the document: kind, spans, the document it resolves to (None: unresolved)."""

    kind: int
    start: int
    end: int
    sent_start: int
    sent_end: int
    target: Any


@dataclass
class InRow:
    """A reference to the document, from ``src``."""

    src: Any
    kind: int
    sent_start: int
    sent_end: int


@dataclass
class StatusRow:
    """The statement deciding a document's status."""

    status: int
    kind: int
    src: Any
    date: int
    sent_start: int
    sent_end: int


def compare_path(a: str, b: str, base_url: str = "") -> str:
    """The page comparing two documents."""
    return f"{base_url.rstrip('/')}/compare?" + urlencode({"a": a, "b": b})


def sentence(text: str, start: int, end: int) -> str:
    """A sentence of a text, trimmed (long ones cut with …)."""
    out = " ".join(text[start:end].split())
    return out if len(out) <= MAX_SENTENCE else out[:MAX_SENTENCE] + "…"


def describe(written: str) -> tuple[str | None, str | None]:
    """(title, number) a reference names, from its text as written."""
    number = next(find_docnos(written), None)
    docno = written[number[0]:number[1]] if number else None
    if written.startswith("《"):
        return written[1:written.index("》")] if "》" in written else written[1:], docno
    return (None, docno) if number and number[0] == 0 else (written, None)


def _date(value: int) -> str | None:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}" if value else None


def status_of(row: StatusRow | None, src: Source) -> Status:
    """A document's status as the page and the API say it."""
    if row is None or row.status == NONE:
        return Status(status=STATUS_LABELS[NONE], label="未见废止或修订（仅就本库所收文件而言）")
    by = src.doc_ref(row.src)
    name = f"《{by.title.replace('《', '〈').replace('》', '〉')}》" if by.title else by.doc_id
    date = _date(row.date) or by.date
    if row.status == AMENDED:
        label = f"已修订，见{name}"
    else:
        label = f"已被{name}{'代替' if row.kind == REPLACE else '废止'}" + (f"（{date}）" if date else "")
    text = src.text(row.src)
    return Status(status=STATUS_LABELS[row.status], label=label, kind=KINDS[row.kind], by=by, date=date,
                  sentence=sentence(text, row.sent_start, row.sent_end))


def citations(text: str, rows: Sequence[OutRow], src: Source) -> list[Citation]:
    out = []
    for r in rows[:MAX_CITES]:
        written = text[r.start:r.end]
        title, docno = describe(written)
        out.append(Citation(text=written, title=title, doc_number=docno, kind=KINDS[r.kind], start=r.start,
                            end=r.end, sentence=sentence(text, r.sent_start, r.sent_end),
                            resolved=None if r.target is None else src.doc_ref(r.target)))
    return out


def citing(rows: Sequence[InRow], src: Source) -> tuple[list[Citing], int]:
    """Citing documents (in the order of ``rows``) and how many there are."""
    grouped: dict[Any, list[InRow]] = {}
    for r in rows:
        grouped.setdefault(r.src, []).append(r)
    out = []
    for i, (doc, refs) in enumerate(list(grouped.items())[:MAX_CITING]):
        strongest = max(refs, key=lambda r: _STRENGTH[r.kind])
        said = sentence(src.text(doc), strongest.sent_start, strongest.sent_end) if i < SENTENCES else ""
        out.append(Citing(document=src.doc_ref(doc), mentions=len(refs), kind=KINDS[strongest.kind], sentence=said))
    return out, len(grouped)


def doc_relations(doc_id: str, issuer: str | None, text: str, out_rows: Sequence[OutRow], in_rows: Sequence[InRow],
                  status: StatusRow | None, others: Sequence[tuple[str, Any]], src: Source,
                  base_url: str = "") -> DocRelations:
    """A document's relations (``others``: (relation, document) of its other versions)."""
    cited, total = citing(in_rows, src)
    versions = []
    for relation, doc in others:
        ref = src.doc_ref(doc)
        versions.append(Version(relation=relation, document=ref, compare_url=compare_path(
            doc_id if relation in ("final", "next") else ref.doc_id,
            ref.doc_id if relation in ("final", "next") else doc_id, base_url)))
    return DocRelations(doc_id=doc_id, issuers=issuers.names(issuer), status=status_of(status, src),
                        cites=citations(text, out_rows, src), cites_total=len(out_rows),
                        cites_resolved=sum(1 for r in out_rows if r.target is not None), cited_by=cited,
                        cited_by_total=total, cited_by_mentions=len(in_rows), versions=versions)


def doc_ref(doc_id: str, meta: dict[str, Any], url: str) -> DocRef:
    """How a relation names a document, from its stored metadata."""
    return DocRef(doc_id=doc_id, title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
                  date=meta.get("date"), date_inferred=bool(meta.get("date_inferred")), issuer=meta.get("issuer"),
                  doc_number=meta.get("doc_number"), url=url)
