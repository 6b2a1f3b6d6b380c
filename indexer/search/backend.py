"""The search-backend interface: what the site, the API, the command line and the research views may ask of
an index, whatever engine holds it.

:class:`indexer.search.service.SearchService` (Whoosh + memory-mapped derived data, embedded) implements it;
a PostgreSQL backend implements the same methods with the same semantics (exact wording over each
document's continuous text, duplicates shown once, facets and counts over all matches). Research views
(first use, trend, spread, concordance) and exports are built from these methods only, so they work on
every backend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from indexer.search.results import DocumentView, Occurrence, Occurrences, SearchResult, Stats
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

    def occurrences(self, p: SearchParams, width: int = 30, order: Callable[[Occurrence], Any] | None = None,
                    window: tuple[int, int] = (0, 50)) -> Occurrences:
        """Every occurrence of the wordings ``p`` highlights (its phrases, and the words of its keyword terms,
        normalised) in the sections ``p`` matches — in each document's continuous text, overlapping ones
        and two in one section all counted — for concordance lines.

        ``order`` is a sort key applied (stably, ties in text order) to every occurrence before the window is
        taken; it sees each occurrence with its document's metadata, an empty ``section_id`` and ``left`` /
        ``right`` as *normalised* text (simplified, no white space: what sorting by context compares).
        ``window`` is (start, count) of the sorted occurrences to return, resolved: ``section_id``, ``url``
        and ``width`` characters on each side in the *original* text (line breaks as spaces). ``total``
        counts every occurrence; ``partial`` says the time ran out or more occurrences were found than one
        request sorts (50,000)."""
        ...

    def document(self, doc_id: str) -> DocumentView | None:
        """A document with its sections in order (a hidden duplicate shows the document it repeats)."""
        ...

    def stats(self) -> Stats:
        """Documents, sections, size and facet counts."""
        ...

    def close(self) -> None:
        ...
