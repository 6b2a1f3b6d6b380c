"""Facet counts by SQL aggregation, in the statement that finds the matches, and the one ordering of the
embedded index (:func:`indexer.search.facets.facet_counts`): years newest first, other values by count then
by value, the unknown value (stored as ``''`` or year 0) last as ``None``."""

from __future__ import annotations

from typing import Any

from indexer.relations import issuers
from indexer.relations.resolve import STATUS_LABELS
from indexer.search.results import FACETS, FacetValue

#: Facets and their columns in ``tz_sections`` (``year`` is a smallint, 0 when unknown), but ``status``: a
#: document's, joined from ``tz_doc_status`` per matching document (:data:`WITH_STATUS`), 0 when unmarked.
COLUMNS = FACETS
SECTION_GROUP = ", ".join(c for c in COLUMNS if c != "status")
#: Rows of the matches grouped per document (``FROM`` this, grouped by ``doc`` and SECTION_GROUP) with the status.
WITH_STATUS = "SELECT g.*, coalesce(x.status, 0)::smallint AS status FROM ({}) g LEFT JOIN tz_doc_status x USING (doc)"


#: The facet columns, as GROUP BY keys, as text (one result shape), and as NULLs (other row kinds).
GROUP = ", ".join(COLUMNS)
GROUP_TEXT = ", ".join(f"{c}::text" if c in ("year", "status") else c for c in COLUMNS)
NULLS = ", ".join("NULL::text" for _ in COLUMNS)


def from_combos(combos: list[tuple[tuple[Any, ...], int, int]], by_documents: bool) -> dict[str, list[FacetValue]]:
    """Facet lists from counts per combination of facet values: ``(values, sections, documents)``. Facet values
    are the document's, so one pass grouped by document and values gives both kinds of count."""
    totals: dict[tuple[str, Any], int] = {}
    for values, sections, documents in combos:
        for facet, value in zip(COLUMNS, values, strict=True):
            totals[(facet, value)] = totals.get((facet, value), 0) + (documents if by_documents else sections)
    return facet_lists([(facet, value, count) for (facet, value), count in totals.items()])


def grouping_sql(source: str) -> str:
    """Rows (facet, value, count) over the rows of ``source``, all facets in one pass (GROUPING SETS)."""
    name = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in COLUMNS[:-1])
    value = ", ".join(f"{c}::text" if c in ("year", "status") else c for c in COLUMNS)
    sets = ", ".join(f"({c})" for c in COLUMNS)
    return (f"SELECT CASE {name} ELSE '{COLUMNS[-1]}' END AS facet, COALESCE({value}) AS value, count(*) AS n "
            f"FROM {source} GROUP BY GROUPING SETS ({sets})")


def stored_value(facet: str, value: Any) -> Any:
    """A stored facet value as the result model has it (None for unknown)."""
    if facet == "year":
        return int(value) or None
    if facet == "status":
        return STATUS_LABELS[int(value)]
    return value or None


def facet_lists(rows: list[tuple[str, str, int]]) -> dict[str, list[FacetValue]]:
    """(facet, value as text, count) rows → the result model's facet lists, ordered like the Whoosh side."""
    pairs: dict[str, list[tuple[Any, int]]] = {f: [] for f in FACETS}
    for facet, value, count in rows:
        pairs[facet].append((stored_value(facet, value), int(count)))
    pairs["issuer"] = issuers.expand(pairs["issuer"])  # a joint value counts for each of its issuers
    out: dict[str, list[FacetValue]] = {}
    for facet, values in pairs.items():
        if facet == "year":
            values.sort(key=lambda vc: (vc[0] is None, -(vc[0] or 0)))
        else:
            values.sort(key=lambda vc: (vc[0] is None, -vc[1], str(vc[0])))
        out[facet] = [FacetValue(v, c) for v, c in values]
    return out
