"""Facet counts by SQL aggregation, in the statement that finds the matches, and the one ordering of the
embedded index (:func:`indexer.search.facets.facet_counts`): years newest first, other values by count then
by value, the unknown value (stored as ``''`` or year 0) last as ``None``. A year's count says how many of its
documents have the year by inference (``date_inferred`` in the document's meta)."""

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
#: Whether a document's date is inferred, for a row of a query that has its ``doc``.
INFERRED = "coalesce((SELECT (t.meta->>'date_inferred')::boolean FROM tz_documents t WHERE t.doc = {}.doc), false)"


Combo = tuple[tuple[Any, ...], int, int, int, int]


def from_combos(combos: list[Combo], by_documents: bool) -> dict[str, list[FacetValue]]:
    """Facet lists from counts per combination of facet values: ``(values, sections, documents, inferred
    sections, inferred documents)``. Facet values are the document's, so one pass grouped by document and values
    gives both kinds of count."""
    totals: dict[tuple[str, Any], list[int]] = {}
    for values, sections, documents, inf_sections, inf_documents in combos:
        for facet, value in zip(COLUMNS, values, strict=True):
            got = totals.setdefault((facet, value), [0, 0])
            got[0] += documents if by_documents else sections
            got[1] += (inf_documents if by_documents else inf_sections) if facet == "year" else 0
    return facet_lists([(facet, value, n, i) for (facet, value), (n, i) in totals.items()])


def grouping_sql(source: str) -> str:
    """Rows (facet, value, count, inferred count) over the rows of ``source`` (a relation with the facet
    columns and ``inf``), all facets in one pass (GROUPING SETS)."""
    name = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in COLUMNS[:-1])
    value = ", ".join(f"{c}::text" if c in ("year", "status") else c for c in COLUMNS)
    sets = ", ".join(f"({c})" for c in COLUMNS)
    return (f"SELECT CASE {name} ELSE '{COLUMNS[-1]}' END AS facet, COALESCE({value}) AS value, count(*) AS n, "
            f"count(*) FILTER (WHERE inf) AS i FROM {source} GROUP BY GROUPING SETS ({sets})")


def stored_value(facet: str, value: Any) -> Any:
    """A stored facet value as the result model has it (None for unknown)."""
    if facet == "year":
        return int(value) or None
    if facet == "status":
        return STATUS_LABELS[int(value)]
    return value or None


def facet_lists(rows: list[tuple[str, str, int, int]]) -> dict[str, list[FacetValue]]:
    """(facet, value as text, count, inferred count) rows → the result model's facet lists, ordered like the
    Whoosh side (an inferred count only for years)."""
    triples: dict[str, list[tuple[Any, int, int]]] = {f: [] for f in FACETS}
    for facet, value, count, inferred in rows:
        triples[facet].append((stored_value(facet, value), int(count), int(inferred) if facet == "year" else 0))
    issuer = issuers.expand([(v, c) for v, c, _ in triples["issuer"]])  # a joint value counts for each issuer
    triples["issuer"] = [(v, c, 0) for v, c in issuer]
    out: dict[str, list[FacetValue]] = {}
    for facet, values in triples.items():
        if facet == "year":
            values.sort(key=lambda t: (t[0] is None, -(t[0] or 0)))
        else:
            values.sort(key=lambda t: (t[0] is None, -t[1], str(t[0])))
        out[facet] = [FacetValue(v, c, i) for v, c, i in values]
    return out
