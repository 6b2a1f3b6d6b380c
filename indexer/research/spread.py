"""Spread: where a wording appears — per province, the first year it is used there and its documents per year.

One :meth:`~indexer.search.backend.SearchBackend.count_by` over documents, by (province, year). A province's
first year is the earliest year among its dated documents (a province with only undated documents has
none); ``first_year_inferred`` says that year rests only on years the documents imply (shown as [2019]), not on
a date one states. Rows: 全国 (central bodies) first, then provinces by first year (earlier first, then more documents,
then the official order), documents of unknown region last.
"""

from __future__ import annotations

from dataclasses import replace

from indexer.research.results import ProvinceSpread, Spread, YearCount
from indexer.search.backend import SearchBackend
from indexer.search.service import PARTIAL_NOTICE, SearchParams

NATIONAL = "全国"
#: Province-level units in the official (administrative code) order.
PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
             "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
             "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门")
_RANK = {name: i for i, name in enumerate(PROVINCES)}


def region_rank(province: str | None) -> int:
    """Sort rank of a province: 全国 first, then the official order, unknown (and anything else) last."""
    if province == NATIONAL:
        return -1
    return _RANK.get(province or "", len(PROVINCES))


def _row(province: str | None, years: dict[int | None, int], stated: set[int]) -> ProvinceSpread:
    """One province's row from its documents per year (None: undated) and the years some document states."""
    dated = sorted(y for y in years if y is not None)
    return ProvinceSpread(province=province, first_year=dated[0] if dated else None,
                          documents=sum(years.values()), undated=years.get(None, 0),
                          years=[YearCount(year=y, documents=years[y]) for y in dated],
                          first_year_inferred=bool(dated) and dated[0] not in stated)


def _order(row: ProvinceSpread) -> tuple:
    return (row.province is None, row.province != NATIONAL, row.first_year is None, row.first_year or 0,
            -row.documents, region_rank(row.province))


def spread(backend: SearchBackend, p: SearchParams) -> Spread:
    """Per province: first year and documents per year of the documents matching ``p``."""
    table = backend.count_by(replace(p, group="document"), ("province", "year", "inferred"))
    by_province: dict[str | None, dict[int | None, int]] = {}
    stated: dict[str | None, set[int]] = {}
    for (province, year, inferred), n in table.counts.items():
        years = by_province.setdefault(province, {})
        years[year] = years.get(year, 0) + n
        if year is not None and not inferred:
            stated.setdefault(province, set()).add(year)
    rows = sorted((_row(province, years, stated.get(province, set())) for province, years in by_province.items()),
                  key=_order)
    firsts = [r.first_year for r in rows if r.first_year is not None]
    first = min(firsts) if firsts else None
    return Spread(query=p.q, mode=p.mode, total_documents=table.total, first_year=first,
                  first_year_inferred=first is not None and all(r.first_year_inferred for r in rows
                                                                if r.first_year == first),
                  provinces=rows, partial=table.partial, notice=PARTIAL_NOTICE if table.partial else None)
