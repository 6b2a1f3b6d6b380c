"""First use: the earliest documents that use a wording.

One grouped search, oldest first (:func:`indexer.search.ranking.by_date`): each hit is a document (its
first matching section, the passage shown), ordered by the latest day its date allows — so a document dated
only "2019" comes after every fully dated 2019 document (it is not claimed to be earlier than them) —
and undated documents come last. ``undated`` says how many matching documents have no date at all,
``inferred`` how many have a year the text implies (labelled so wherever a date is shown).
"""

from __future__ import annotations

from dataclasses import replace

from indexer.research.results import FirstUse
from indexer.search.backend import SearchBackend
from indexer.search.results import FacetValue
from indexer.search.service import SearchParams

#: The most documents one first-use answer lists.
MAX_FIRST = 100


def undated_documents(facets_year: list[FacetValue]) -> int:
    """Documents without a year, from a result's ``year`` facet."""
    return next((f.count for f in facets_year if f.value is None), 0)


def inferred_documents(facets_year: list[FacetValue]) -> int:
    """Documents whose year is inferred, from a result's ``year`` facet."""
    return sum(f.inferred for f in facets_year)


def first_use(backend: SearchBackend, p: SearchParams, n: int = 10) -> FirstUse:
    """The ``n`` earliest documents matching ``p`` (its query and filters), oldest first."""
    result = backend.search(replace(p, sort="oldest", group="document", page=1, per_page=max(1, min(n, MAX_FIRST))))
    return FirstUse(query=p.q, mode=p.mode, total_documents=result.total_documents,
                    undated=undated_documents(result.facets["year"]), hits=result.hits,
                    inferred=inferred_documents(result.facets["year"]), partial=result.partial, notice=result.notice)
