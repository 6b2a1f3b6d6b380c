"""One dict per research page (trend, spread, concordance) and the CSV downloads, built from the result
dataclasses of :mod:`indexer.research` — the same objects the JSON API sends — so templates only loop.

URLs carry the whole state (wordings, mode, filters); charts come from :mod:`webui.research_charts`; every
chart's numbers are in a table on the same page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from werkzeug.datastructures import MultiDict

from indexer.research.concordance import SORTS, concordance
from indexer.research.results import Concordance, Spread, Trend
from indexer.research.spread import spread
from indexer.research.trend import MAX_WORDINGS, trend
from indexer.search.backend import SearchBackend
from indexer.search.results import region_label
from webui.downloads import csv_text
from webui.research_charts import SERIES, line_chart, tile_map
from webui.research_params import FILTER_ARGS, ConcordanceArgs, base_params, concordance_args, one_wording, wordings

SORT_LABELS = {"date": "最早", "newest": "最新", "region": "地区", "left": "左侧语境", "right": "右侧语境",
               "document": "文档顺序"}
PRECISION_NOTE = {"year": "仅知年份", "month": "仅知年月"}
CSV_LINES = 2000
#: Shades of the spread table's cells (classes h1…h8 in research.css, lightest to darkest).
HEAT_LEVELS = 8


def page_url(endpoint: str, **values: Any) -> str:
    """``url_for`` with query values of any type (lists become repeated parameters)."""
    return url_for(endpoint, **values)


def filter_state(args: Mapping[str, str]) -> dict[str, str]:
    """The mode (when not exact; with ``synonyms=0`` when a keyword view does without equivalents) and filters a
    research URL carries."""
    out = {k: (args.get(k) or "").strip() for k in FILTER_ARGS if (args.get(k) or "").strip()}
    if (args.get("mode") or "exact").strip() != "exact":
        out["mode"] = (args.get("mode") or "").strip()
        if (args.get("synonyms") or "").strip() == "0":  # a keyword view without equivalents stays so
            out["synonyms"] = "0"
    return out


def links(q: str, state: dict[str, str]) -> dict[str, str]:
    """The other views of one wording, with the same mode and filters."""
    search_args = {**state, "q": q, "mode": state.get("mode", "exact")}
    return {"search": page_url("views.search", **search_args),
            "trend": page_url("research.trend_page", q=q, **state),
            "spread": page_url("research.spread_page", q=q, **state),
            "concordance": page_url("research.concordance_page", q=q, **state),
            "collocates": page_url("analytics.collocates_page", q=q, **state),
            "dispersion": page_url("analytics.dispersion_page", q=q, **state)}


# ---------------------------------------------------------------------------------------------- trend
def trend_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """The trend page: a form for up to five wordings, lines per year (counts or shares), the table, CSV."""
    queries = wordings(args, required=False)
    state = filter_state(args)
    share = args.get("scale") == "share"
    page: dict[str, Any] = {"queries": queries, "inputs": queries + [""] * (MAX_WORDINGS - len(queries)),
                            "state": state, "share": share, "result": None}
    if not queries:
        return page
    result = trend(backend, queries, base_params(args))
    page.update(result=result, rows=_trend_rows(result), colours=[c for c, _ in SERIES],
                chart=line_chart([(s.query, [(y.year, y.share if share else y.documents) for y in s.years])
                                  for s in result.series], share,
                                 "占当年文档比例" if share else "使用该措辞的文档数"),
                scale_urls={k: page_url("research.trend_page", q=queries, **state, **({"scale": k} if k == "share"
                                                                                      else {}))
                            for k in ("count", "share")},
                csv_url=page_url("research.trend_csv", q=queries, **state),
                csv_zh_url=page_url("research.trend_csv", q=queries, **state, headers="zh"),
                api_url=page_url("research_api.trend_api", q=queries, **state),
                views=[(q, links(q, state)) for q in queries])
    return page


def _trend_rows(result: Trend) -> list[dict[str, Any]]:
    rows = []
    for i, total in enumerate(result.totals):
        rows.append({"year": total.year, "total": total.documents,
                     "cells": [(s.years[i].documents, s.years[i].share) for s in result.series]})
    return rows


def trend_csv(backend: SearchBackend, args: MultiDict[str, str], lang: str = "en") -> str:
    """The trend table as CSV: year, all documents, then documents and share per wording — and, before the share
    of a wording with field conditions of its own (人工智能 province:山东), the documents under them that its share
    is of (all documents are not its denominator)."""
    result = trend(backend, wordings(args), base_params(args))
    columns: list[tuple[str, str]] = [("year", "年份"), ("all_documents", "全部文档")]
    for s in result.series:
        columns.append((f"{s.query} documents", f"{s.query} 文档数"))
        if s.totals is not None:
            columns.append((f"{s.query} base_documents", f"{s.query} 比例的分母文档数"))
        columns.append((f"{s.query} share", f"{s.query} 占比"))
    rows: list[list[Any]] = []
    for i, row in enumerate(_trend_rows(result)):
        cells: list[Any] = [row["year"], row["total"]]
        for s, (n, share) in zip(result.series, row["cells"], strict=True):
            cells += [n, s.totals[i].documents, share] if s.totals is not None else [n, share]
        rows.append(cells)
    undated: list[Any] = ["undated" if lang == "en" else "未注明年份", result.undated]
    for s in result.series:
        undated += [s.undated, "", ""] if s.totals is not None else [s.undated, ""]
    rows.append(undated)
    return csv_text(columns, rows, lang)


# ---------------------------------------------------------------------------------------------- spread
def spread_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """The spread page: a tile map coloured by first year, the first years, the province × year table."""
    p = one_wording(args, required=False)
    state = filter_state(args)
    page: dict[str, Any] = {"q": p.q, "state": state, "result": None}
    if not p.q:
        return page
    result = spread(backend, p)
    search = {**state, "q": p.q, "mode": state.get("mode", "exact")}
    tile_links = {r.province: page_url("views.search", **{**search, "province": r.province})
                  for r in result.provinces if r.province}
    page.update(result=result, views=links(p.q, state), heat=_heat(result),
                map=tile_map({r.province: (r.first_year, r.documents) for r in result.provinces if r.province},
                             tile_links),
                api_url=page_url("research_api.spread_api", q=p.q, **state))
    return page


def _heat(result: Spread) -> dict[str, Any]:
    """Province × year cells with a background by count (the first year of each province marked)."""
    years = sorted({y.year for r in result.provinces for y in r.years})
    if not years:
        return {"years": [], "rows": []}
    span = list(range(years[0], years[-1] + 1)) if years[-1] - years[0] <= 60 else years
    top = max(y.documents for r in result.provinces for y in r.years)
    rows = []
    for r in result.provinces:
        counts = {y.year: y.documents for y in r.years}
        cells = []
        for year in span:
            n = counts.get(year, 0)
            level = -(-HEAT_LEVELS * n // top) if n else 0  # 1…HEAT_LEVELS: a class (no inline style: the CSP)
            cells.append({"n": n, "first": year == r.first_year, "level": f"h{level}" if n else "",
                          "dark": level > HEAT_LEVELS // 2})
        rows.append({"province": r.province or "未注明", "first_year": r.first_year,
                     "first_year_inferred": r.first_year_inferred, "documents": r.documents,
                     "undated": r.undated, "cells": cells})
    return {"years": span, "rows": rows}


# ---------------------------------------------------------------------------------------------- concordance
def _near_state(a: ConcordanceArgs) -> dict[str, Any]:
    """The collocate filter a concordance URL carries."""
    return {"near": a.near_text, "unit": a.near_unit, "span": a.near_span} if a.near_text else {}


def concordance_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """The concordance page: aligned lines, sort links, pages, CSV (filtered to a collocate with ``near``)."""
    a = concordance_args(args, required=False)
    state = filter_state(args)
    width = {"width": str(a.width)} if a.width != 30 else {}
    near = _near_state(a)
    page: dict[str, Any] = {"q": a.params.q, "state": state, "width": a.width, "sort": a.sort, "result": None,
                            "near": near}
    if not a.params.q:
        return page
    result = concordance(backend, a.params, a.width, a.sort, a.page, a.per_page, near=a.near)

    def url(**change: Any) -> str:
        return page_url("research.concordance_page", q=a.params.q, **state, **width, **near,
                        **{"sort": a.sort, **change})

    last = max(1, -(-min(result.total, 50_000) // result.per_page))
    page.update(result=result, views=links(a.params.q, state), lines=_lines(result),
                sort_urls=[(k, SORT_LABELS[k], url(sort=k)) for k in SORTS],
                prev_url=url(page=result.page - 1) if result.page > 1 else None,
                next_url=url(page=result.page + 1) if result.page < last else None, last=last,
                unfiltered_url=page_url("research.concordance_page", q=a.params.q, **state, **width, sort=a.sort),
                csv_url=page_url("research.concordance_csv", q=a.params.q, **state, **width, **near, sort=a.sort),
                csv_zh_url=page_url("research.concordance_csv", q=a.params.q, **state, **width, **near, sort=a.sort,
                                    headers="zh"),
                api_url=page_url("research_api.concordance_api", q=a.params.q, **state, **width, **near, sort=a.sort))
    return page


def _lines(result: Concordance) -> list[dict[str, Any]]:
    return [{"line": line, "region": region_label(line.region), "note": PRECISION_NOTE.get(line.date_precision or "")}
            for line in result.lines]


CONCORDANCE_COLUMNS = (("doc_id", "文档编号"), ("section_id", "段落编号"), ("date", "日期"),
                       ("date_precision", "日期精度"), ("date_inferred", "日期为推断"), ("province", "省份"),
                       ("city", "城市"), ("title", "标题"),
                       ("left", "左侧语境"), ("match", "措辞"), ("right", "右侧语境"))


def concordance_csv(backend: SearchBackend, args: MultiDict[str, str], lang: str = "en") -> str:
    """The first :data:`CSV_LINES` lines in the requested order, as CSV."""
    a = concordance_args(args)
    lines = concordance(backend, a.params, a.width, a.sort, 1, CSV_LINES, cap=CSV_LINES, near=a.near).lines
    rows = [[line.doc_id, line.section_id, line.date or "", line.date_precision or "", line.date_inferred,
             line.region.province or "",
             line.region.city or "", line.title or "", line.left, line.match, line.right] for line in lines]
    return csv_text(CONCORDANCE_COLUMNS, rows, lang)
