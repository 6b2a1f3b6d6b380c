"""Trend: for each of up to five wordings, the documents that use it per year, and their share of all
documents of that year (the Ngram Viewer's normalisation: a rise in share is not just a bigger corpus).

Two kinds of counts, both :meth:`~indexer.search.backend.SearchBackend.count_by` over documents under the
same filters (province, doctype, source, dates…): all documents per year (the denominators), and each
wording's documents per year. The years listed are every year that has documents under the filters, so a
share is always defined; documents without a year are counted apart (``undated``). A wording whose query
itself restricts the documents (``人工智能 province:山东``: field conditions joined to all of it) is divided by
the documents under those conditions too (its ``totals``), not by all documents of the year.
"""

from __future__ import annotations

from dataclasses import replace

from indexer.research.results import Trend, TrendSeries, TrendYear, YearCount
from indexer.search.backend import SearchBackend
from indexer.search.query import restrictions
from indexer.search.service import PARTIAL_NOTICE, SearchParams

#: The most wordings one trend compares.
MAX_WORDINGS = 5


def per_year(counts: dict[tuple, int]) -> dict[int | None, int]:
    """A one-field ``count_by(…, ("year",))`` table as year → documents (None: no year)."""
    return {key[0]: n for key, n in counts.items()}


def trend(backend: SearchBackend, queries: list[str], p: SearchParams) -> Trend:
    """Documents per year and share for each query in ``queries`` (``p`` gives mode and filters)."""
    base = replace(p, q="", group="document")
    totals = backend.count_by(base, ("year",))
    denominators = per_year(totals.counts)
    years = sorted(y for y in denominators if y is not None)
    series = []
    partial = totals.partial
    for q in queries[:MAX_WORDINGS]:
        table = backend.count_by(replace(base, q=q), ("year",))
        partial = partial or table.partial
        found = per_year(table.counts)
        own, below = None, denominators
        # a share of the documents under the query's own conditions, when it has any
        if conditions := restrictions(q, exact=p.mode == "exact"):
            restricted = backend.count_by(replace(base, q=conditions), ("year",))
            partial = partial or restricted.partial
            below = per_year(restricted.counts)
            own = [YearCount(year=y, documents=below.get(y, 0)) for y in years]
        series.append(TrendSeries(
            query=q, documents=table.total, undated=found.get(None, 0),
            years=[TrendYear(year=y, documents=found.get(y, 0),
                             share=round(found.get(y, 0) / below[y], 6) if below.get(y) else 0.0) for y in years],
            totals=own))
    return Trend(queries=queries[:MAX_WORDINGS], mode=p.mode, series=series,
                 totals=[YearCount(year=y, documents=denominators[y]) for y in years],
                 undated=denominators.get(None, 0), partial=partial, notice=PARTIAL_NOTICE if partial else None)
