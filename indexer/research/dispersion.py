"""Dispersion: where a wording occurs — its position inside each document, in which tenth of documents, how
often per year relative to the year's text, and how evenly over the sub-collection.

From :meth:`SearchBackend.positions`: the character offset of every occurrence (the concordance's
occurrences) in its document's continuous text and the document's length; the documents and characters
per year of every document under the search's filters. A position is ``offset / length`` (0 the start, 1
the end). Gries's DP (Gries 2008, "Dispersions and adjusted frequencies in corpora") compares each
document's share of the occurrences with its share of the text: ``DP = ½·Σ |v_i − s_i|`` over every document
under the filters (0: spread as evenly as the text; towards 1: in a few documents).
"""

from __future__ import annotations

from collections import Counter

from indexer.research.analysis_results import Dispersion, DocumentDispersion, YearDispersion
from indexer.research.concordance import date_bounds
from indexer.research.wordings import ANALYSIS_SECONDS
from indexer.search.backend import SearchBackend
from indexer.search.collection import DocPositions, Positions
from indexer.search.results import doc_path
from indexer.search.service import PARTIAL_NOTICE, SearchParams

SORTS = ("date", "occurrences")
MAX_PER_PAGE = 500
_LAST = 99_999_999


def relative(offset: int, chars: int) -> float:
    return round(offset / chars, 6) if chars else 0.0


def gries_dp(positions: Positions) -> float | None:
    """Gries's DP over every document under the filters (documents without the wording have v_i = 0)."""
    chars = sum(c for _, c in positions.years.values())
    total = sum(len(d.offsets) for d in positions.documents)  # all occurrences, unless cut short
    if not total or not chars:
        return None
    with_it = sum(abs(len(d.offsets) / total - d.chars / chars) for d in positions.documents)
    rest = 1.0 - sum(d.chars for d in positions.documents) / chars
    return round(0.5 * (with_it + max(0.0, rest)), 6)


def deciles(documents: list[DocPositions]) -> list[int]:
    """Occurrences in each tenth of their documents (start to end)."""
    out = [0] * 10
    for d in documents:
        for at in d.offsets:
            out[min(9, int(10 * at / d.chars)) if d.chars else 0] += 1
    return out


def _years(positions: Positions) -> tuple[list[YearDispersion], int]:
    docs: Counter[int | None] = Counter(d.year for d in positions.documents)
    occ: Counter[int | None] = Counter()
    for d in positions.documents:
        occ[d.year] += len(d.offsets)
    rows = [YearDispersion(year=y, documents=docs[y], occurrences=occ[y], all_documents=n, chars=c,
                           per_10k=round(occ[y] * 10_000 / c, 4) if c else 0.0)
            for y, (n, c) in sorted((k, v) for k, v in positions.years.items() if k is not None)]
    return rows, docs[None]


def _cut_short(found: Positions) -> str:
    """What a dispersion cut short by its time covers."""
    listed = sum(len(d.offsets) for d in found.documents)
    if not found.total or listed >= found.total:
        return PARTIAL_NOTICE
    return (f"the time ran out: positions of {listed} of {found.total} occurrences, in {len(found.documents)} "
            "documents (index order), are shown; the yearly figures and DP cover those")


def _order(sort: str):
    if sort == "occurrences":
        return lambda d: (-len(d.offsets), date_bounds(d.date)[1] or _LAST)
    return lambda d: date_bounds(d.date)[1] or _LAST


def dispersion(backend: SearchBackend, p: SearchParams, sort: str = "date", page: int = 1, per_page: int = 50,
               seconds: float = ANALYSIS_SECONDS, cap: int = MAX_PER_PAGE) -> Dispersion:
    """Dispersion of ``p``'s wording over the documents under its filters; ``per_page`` documents' positions
    (capped at ``cap``: a download may ask for every document at once)."""
    found = backend.positions(p, seconds=seconds)
    capped = per_page > cap
    per_page = max(1, min(per_page, cap))
    page = max(1, page)
    ordered = sorted(found.documents, key=_order(sort))
    items = [DocumentDispersion(doc_id=d.doc_id, title=d.title, date=d.date, date_precision=d.date_precision,
                                year=d.year, region=d.region, chars=d.chars, occurrences=len(d.offsets),
                                offsets=d.offsets, positions=[relative(o, d.chars) for o in d.offsets],
                                url=doc_path(d.doc_id, None, backend.base_url, p.q, p.mode, p.synonyms),
                                date_inferred=d.date_inferred)
             for d in ordered[(page - 1) * per_page:page * per_page]]
    years, undated = _years(found)
    return Dispersion(query=p.q, mode=p.mode, total=found.total, documents=len(found.documents),
                      all_documents=sum(n for n, _ in found.years.values()),
                      chars=sum(c for _, c in found.years.values()), dp=gries_dp(found),
                      deciles=deciles(found.documents), years=years, undated=undated, page=page, per_page=per_page,
                      items=items, partial=found.partial,
                      notice="; ".join(([_cut_short(found)] if found.partial else []) + (
                          [f"per_page is capped at {cap}: a page holds at most {cap} documents"] if capped else []))
                      or None)
