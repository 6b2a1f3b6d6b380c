"""A document's page model, built the same way by every backend from what it stores.

Both backends keep a document's metadata as the ``meta`` dict written at import
(:data:`indexer.index.store.META_FIELDS`); :func:`document_view` turns it, the document's sections, the ids of
the documents with the same text and the article's attachments into the one
:class:`~indexer.search.results.DocumentView` (with its citation), and :func:`attachment` does the same for an
attachment listed on its article's page.
"""

from __future__ import annotations

from typing import Any

from indexer.cite import citation, citation_short, fields_of
from indexer.search.results import Attachment, DocumentView, Region, SectionView, doc_path


def document_view(doc_id: str, meta: dict[str, Any], sections: list[SectionView], others: list[str],
                  attachments: list[Attachment], base_url: str) -> DocumentView:
    """The page model of document ``doc_id`` (``others``: the hidden documents that repeat its text)."""
    view = DocumentView(
        doc_id=doc_id, title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
        date=meta.get("date"), date_precision=meta.get("date_precision"), written=meta.get("written"),
        year=meta.get("year"), region=Region(meta.get("province"), meta.get("city")),
        source=meta.get("source"), issuer=meta.get("issuer"), doc_number=meta.get("doc_number"),
        doctype=meta.get("doctype"), url=meta.get("url"), collection=meta.get("collection"),
        parent=meta.get("parent"), fetched=meta.get("fetched"), sources=[doc_id, *others],
        url_page=doc_path(doc_id, base_url=base_url), sections=sections, template=bool(meta.get("template")),
        attachments=attachments, date_inferred=bool(meta.get("date_inferred")), date_source=meta.get("date_source"),
        title_alt=meta.get("title_alt"),
    )
    cited = fields_of(view, view.url_page)
    view.citation, view.citation_short = citation(cited), citation_short(cited)
    return view


def attachment(doc_id: str, meta: dict[str, Any], base_url: str) -> Attachment:
    """How an article's page lists one of its attachments."""
    return Attachment(doc_id=doc_id, title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
                      doctype=meta.get("doctype"), url=doc_path(doc_id, base_url=base_url))
