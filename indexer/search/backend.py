"""The search-backend interface: what the site, the API, the command line and the research views may ask of
an index, whatever engine holds it.

:class:`indexer.search.service.SearchService` (Whoosh + memory-mapped derived data, embedded) implements it;
a PostgreSQL backend implements the same methods with the same semantics (exact wording over each
document's continuous text, duplicates shown once, facets and counts over all matches). Research views
(first use, trend, spread, concordance) and exports are built from these methods only, so they work on
every backend.
"""

from __future__ import annotations

from typing import Protocol

from indexer.search.results import DocumentView, SearchResult, Stats
from indexer.search.service import CountTable, SearchParams


class SearchBackend(Protocol):
    """Read side of an index."""

    def search(self, p: SearchParams) -> SearchResult:
        """A page of hits (sections, or documents with ``p.group == "document"``), with facet counts and totals
        over all matches; ordered by relevance (BM25 over every match), newest or oldest first."""
        ...

    def count_by(self, p: SearchParams, fields: tuple[str, ...]) -> CountTable:
        """Matches counted per combination of facet values (documents when grouped)."""
        ...

    def document(self, doc_id: str) -> DocumentView | None:
        """A document with its sections in order (a hidden duplicate shows the document it repeats)."""
        ...

    def stats(self) -> Stats:
        """Documents, sections, size and facet counts."""
        ...

    def close(self) -> None:
        ...
