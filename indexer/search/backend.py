"""The search-backend interface: what the site, the API, the command line and the research views may ask of
an index, whatever engine holds it.

:class:`indexer.search.service.SearchService` (Whoosh + memory-mapped derived data, embedded) implements it;
a PostgreSQL backend implements the same methods with the same semantics (exact wording over each
document's continuous text, duplicates shown once, facets and counts over all matches). Research views
(first use, trend, spread, concordance), exports and feeds are built from these methods only, so they work
on every backend. Shared passages are found at import and stored beside the index (``indexer.reuse``); a
backend serves them through :meth:`SearchBackend.reuse` and :meth:`SearchBackend.reuse_pairs` (a PostgreSQL
backend can keep the same pairs and spans in a table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from indexer.relations.results import ExternalReferences, Graph
from indexer.search.collection import Positions, Texts, WordCounts
from indexer.search.results import (
    DocumentView,
    ExportHit,
    Occurrence,
    Occurrences,
    ReusePairs,
    ReuseView,
    SearchResult,
    Stats,
)
from indexer.search.service import CountTable, SearchParams


class SearchBackend(Protocol):
    """Read side of an index."""

    @property
    def base_url(self) -> str:
        """The public address links are made under ('' for relative links)."""
        ...

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

    def iter_hits(self, p: SearchParams, limit: int) -> Iterator[ExportHit]:
        """Every hit of a search in result order (paging ignored), at most ``limit``, produced one at a time
        from one consistent state of the index (what exports stream; memory must not grow with the count)."""
        ...

    def reuse(self, doc_id: str) -> ReuseView | None:
        """The wording a document shares with others: per other document, the aligned spans (offsets in both
        displayed texts), coverage and which is earlier; None when there is no such document."""
        ...

    def reuse_pairs(self, province: str | None = None, year: int | None = None, doctype: str | None = None,
                    page: int = 1, per_page: int = 20) -> ReusePairs:
        """Document pairs sharing wording, longest shared length first; a pair is listed when one of its
        documents matches every filter given."""
        ...

    def references(self, docno: str | None = None, title: str | None = None) -> ExternalReferences:
        """Every reference from an indexed document to a 发文字号 (whatever its brackets) or an exact title, whether
        or not a document with it is indexed (:mod:`indexer.relations`)."""
        ...

    def graph(self, doc_id: str, hops: int = 2) -> Graph | None:
        """The citation graph around a document (1 or 2 hops, a few dozen documents at most); None: no such
        document. A document's own relations come with :meth:`document`."""
        ...

    def stats(self) -> Stats:
        """Documents, sections, size and facet counts."""
        ...

    # The collection-wide reads of the research analyses (wordings, collocates, keyness, dispersion); see
    # indexer.search.collection. A group is one search (query and filters): the documents it matches.
    def texts(self, groups: list[SearchParams], max_bytes: int = ..., seconds: float | None = None) -> Texts:
        """The normalised continuous text of the documents each group matches (an evenly spread sample of
        them beyond ``max_bytes``), from one state of the index."""
        ...

    def word_counts(self, groups: list[SearchParams], seconds: float | None = None) -> list[WordCounts]:
        """The jieba word tokens of the documents each group matches, keyed by term key."""
        ...

    def word_names(self, keys: list[int]) -> dict[int, str]:
        """The words of term keys."""
        ...

    def positions(self, p: SearchParams, seconds: float | None = None) -> Positions:
        """Where the wordings ``p`` highlights start in each document (character offsets into its continuous
        text, from the occurrences the concordance lists), and the documents and characters per year of the
        documents under ``p``'s filters."""
        ...

    def close(self) -> None:
        ...
