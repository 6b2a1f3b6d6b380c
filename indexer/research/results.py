"""What the research views return: dataclasses serialised by :func:`indexer.search.results.to_json` for the
JSON API (and described by its OpenAPI components), rendered as they are by the pages.

Every count says what it counts: ``documents`` are documents (duplicates shown once), ``total`` in a
concordance counts occurrences. ``undated`` counts the documents without a year, which no per-year figure
includes.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.search.results import Hit, Occurrence


@dataclass
class FirstUse:
    """The earliest documents that use a query, oldest first: a year-only (or month-only) date sorts after
    the fully dated documents of its year (it is not claimed earlier), undated documents come last."""

    query: str
    mode: str
    total_documents: int
    undated: int
    hits: list[Hit]
    inferred: int = 0  # matching documents whose year is inferred (implied by the text, not stated)
    partial: bool = False
    notice: str | None = None
    ok: bool = True


@dataclass
class YearCount:
    """Documents of one year."""

    year: int
    documents: int


@dataclass
class TrendYear:
    """Documents of one year using a wording, and their share of all documents of that year."""

    year: int
    documents: int
    share: float


@dataclass
class TrendSeries:
    """One wording's documents per year (every year that has documents under the filters)."""

    query: str
    documents: int
    undated: int
    years: list[TrendYear]
    # the documents per year its shares divide by, when its query restricts the documents itself
    # (人工智能 province:山东); null: the trend's totals
    totals: list[YearCount] | None = None


@dataclass
class Trend:
    """Documents per year for up to five wordings; ``totals`` are all documents per year (the shares'
    denominators) under the same filters."""

    queries: list[str]
    mode: str
    series: list[TrendSeries]
    totals: list[YearCount]
    undated: int
    partial: bool = False
    notice: str | None = None
    ok: bool = True


@dataclass
class ProvinceSpread:
    """One province (全国 for central bodies; null: region unknown): the first year a wording appears
    there, and its documents per year (years with none left out)."""

    province: str | None
    first_year: int | None
    documents: int
    undated: int
    years: list[YearCount]
    first_year_inferred: bool = False  # no document of the first year states its date: each implies its year


@dataclass
class Spread:
    """Where a wording appears: per province, first year and documents per year; 全国 first, then
    provinces by first year."""

    query: str
    mode: str
    total_documents: int
    first_year: int | None
    provinces: list[ProvinceSpread]
    first_year_inferred: bool = False  # the first year rests only on years the documents imply
    partial: bool = False
    notice: str | None = None
    ok: bool = True


@dataclass
class Concordance:
    """A page of concordance lines: every occurrence of the wording (``total`` counts occurrences, two in
    one section twice), with ``width`` characters of context on each side."""

    query: str
    mode: str
    sort: str
    width: int
    total: int
    documents: int
    page: int
    per_page: int
    lines: list[Occurrence]
    partial: bool = False
    notice: str | None = None
    ok: bool = True


#: The result classes the OpenAPI description covers (after those of indexer.search.results).
COMPONENTS = (FirstUse, YearCount, TrendYear, TrendSeries, Trend, ProvinceSpread, Spread, Concordance)
