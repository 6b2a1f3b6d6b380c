"""One dict per analysis page (``/wordings``, ``/collocates``, ``/keyness``, ``/dispersion``) and their CSV
downloads, built from the result dataclasses of :mod:`indexer.research` — the objects the JSON API sends —
so templates only loop. URLs carry the whole state; every chart's numbers are in a table on the same page.

Links between the views: a wording leads to its trend (the same filters without the period, so that "before"
shows), its concordance, collocates and dispersion (the same filters); a collocate to the concordance of the
wording filtered to lines with that collocate in the window.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from indexer.research.collocates import collocates
from indexer.research.dispersion import dispersion
from indexer.research.keyness import keyness
from indexer.research.wordings import wordings
from indexer.search.backend import SearchBackend
from indexer.search.results import region_label
from webui import analytics_charts as charts
from webui.analytics_params import (
    REF_ARGS,
    collocates_args,
    dispersion_args,
    keyness_args,
    wordings_args,
)
from webui.display import dated
from webui.downloads import csv_text
from webui.research_charts import bar_chart
from webui.research_pages import PRECISION_NOTE, page_url
from webui.research_params import FILTER_ARGS

UNIT_LABELS = {"word": "词", "char": "字", "wording": "提法"}
SORT_LABELS = {"ll": "对数似然", "mi": "互信息", "frequency": "频次"}
CHART_ROWS = 20


def filters(args: MultiDict[str, str], names: tuple[str, ...] = FILTER_ARGS) -> dict[str, str]:
    """The filters a URL carries (non-empty ones)."""
    return {k: (args.get(k) or "").strip() for k in names if (args.get(k) or "").strip()}


def wording_links(text: str, state: dict[str, str]) -> dict[str, str]:
    """The views of one wording (exact) under ``state``'s filters; its trend without the period."""
    undated = {k: v for k, v in state.items() if k not in ("from", "to", "year")}
    return {"trend": page_url("research.trend_page", q=text, **undated),
            "concordance": page_url("research.concordance_page", q=text, **state),
            "collocates": page_url("analytics.collocates_page", q=text, **state),
            "dispersion": page_url("analytics.dispersion_page", q=text, **state),
            "search": page_url("views.search", q=text, mode="exact", **state)}


def downloads(endpoint: str, api: str, values: dict[str, Any]) -> dict[str, str]:
    return {"csv_url": page_url(endpoint, **values), "csv_zh_url": page_url(endpoint, **values, headers="zh"),
            "api_url": page_url(api, **values)}


# ---------------------------------------------------------------------------------------------- wordings
def _wordings_state(args: MultiDict[str, str]) -> dict[str, Any]:
    keep = ("q", "mode", "view", "min_documents", "min_length", "max_length", "n")
    return {**filters(args), **{k: args.get(k) for k in keep if (args.get(k) or "").strip()}}


def wordings_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """提法 discovery: the form, a bar chart of the first wordings, the table with links, downloads."""
    state = filters(args)
    page: dict[str, Any] = {"state": state, "q": (args.get("q") or "").strip(), "view": args.get("view", "frequent"),
                            "mode": args.get("mode", "exact"), "result": None, "asked": bool(args)}
    if not args:
        return page
    a = wordings_args(args)
    page.update(view=a.view, min_documents=a.min_documents or "", min_length=a.min_length, max_length=a.max_length)
    result = wordings(backend, a.params, a.view, a.min_documents, a.min_length, a.max_length, a.n)
    new = a.view == "new"
    rows: list[dict[str, Any]] = [{"w": w, "links": wording_links(w.text, state)} for w in result.wordings]
    values = _wordings_state(args)
    page.update(result=result, rows=rows, **downloads("analytics.wordings_csv", "analytics_api.wordings_api", values),
                view_urls={v: page_url("analytics.wordings_page", **{**values, "view": v})
                           for v in ("frequent", "new")},
                chart=charts.hbars([(w.text, w.share, w.share_before if new else None, r["links"]["concordance"])
                                    for w, r in zip(result.wordings[:CHART_ROWS], rows, strict=False)],
                                   "使用该提法的文档占比", ("时期内", "此前"), percent=True))
    return page


WORDING_COLUMNS = (("text", "提法"), ("length", "字数"), ("documents", "文档数"), ("share", "文档占比"),
                   ("occurrences", "出现次数"), ("truncated", "超过最大长度"), ("documents_before", "此前文档数"),
                   ("share_before", "此前文档占比"))


def wordings_csv(backend: SearchBackend, args: MultiDict[str, str], lang: str) -> str:
    a = wordings_args(args)
    result = wordings(backend, a.params, a.view, a.min_documents, a.min_length, a.max_length, a.n)
    rows = [[getattr(w, k) if getattr(w, k) is not None else "" for k, _ in WORDING_COLUMNS] for w in result.wordings]
    return csv_text(WORDING_COLUMNS, rows, lang)


# ---------------------------------------------------------------------------------------------- collocates
def collocates_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """Collocates of a wording: the form, a bar chart by the chosen score, the table, downloads."""
    a = collocates_args(args, required=False)
    state = filters(args)
    page: dict[str, Any] = {"q": a.params.q, "state": state, "a": a, "result": None, "units": UNIT_LABELS,
                            "sorts": SORT_LABELS}
    if not a.params.q:
        return page
    result = collocates(backend, a.params, a.unit, a.span, a.min_frequency, a.sort, a.n)
    mode = {"mode": a.params.mode} if a.params.mode != "exact" else {}
    values = {"q": a.params.q, **state, "unit": a.unit, "span": a.span, "min_frequency": a.min_frequency,
              "sort": a.sort, **mode}
    rows: list[dict[str, Any]] = [
        {"c": c, "url": page_url("research.concordance_page", q=a.params.q, **state, near=c.text, unit=a.unit,
                                 span=a.span, **mode)} for c in result.collocates]
    score = {"ll": lambda c: c.log_likelihood, "mi": lambda c: c.mi, "frequency": lambda c: c.frequency}[a.sort]
    page.update(result=result, rows=rows,
                **downloads("analytics.collocates_csv", "analytics_api.collocates_api", values),
                sort_urls={k: page_url("analytics.collocates_page", **{**values, "sort": k}) for k in SORT_LABELS},
                unit_urls={k: page_url("analytics.collocates_page", **{**values, "unit": k}) for k in ("word", "char")},
                views=wording_links(a.params.q, state),
                chart=charts.hbars([(r["c"].text, max(0.0, score(r["c"])), None, r["url"])
                                    for r in rows[:CHART_ROWS]], SORT_LABELS[a.sort], label_chars=6))
    return page


COLLOCATE_COLUMNS = (("text", "搭配词"), ("frequency", "窗口内频次"), ("left", "左侧"), ("right", "右侧"),
                     ("corpus_frequency", "语料频次"), ("expected", "期望频次"), ("mi", "互信息"),
                     ("log_likelihood", "对数似然"))


def collocates_csv(backend: SearchBackend, args: MultiDict[str, str], lang: str) -> str:
    a = collocates_args(args)
    result = collocates(backend, a.params, a.unit, a.span, a.min_frequency, a.sort, a.n)
    return csv_text(COLLOCATE_COLUMNS, [[getattr(c, k) for k, _ in COLLOCATE_COLUMNS] for c in result.collocates],
                    lang)


# ---------------------------------------------------------------------------------------------- keyness
def keyness_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """Keyness: two sets of filters, a diverging chart, the over- and under-represented tables, downloads."""
    target, ref = filters(args), {k[4:]: v for k, v in filters(args, REF_ARGS).items()}
    page: dict[str, Any] = {"target": target, "ref": ref, "unit": args.get("unit", "wording"), "result": None,
                            "units": UNIT_LABELS, "q": (args.get("q") or "").strip()}
    if not args:
        return page
    a = keyness_args(args)
    result = keyness(backend, a.target, a.reference, a.unit, a.min_frequency, a.n)
    values = {**filters(args), **filters(args, REF_ARGS), "unit": a.unit,
              **({"min_frequency": a.min_frequency} if a.min_frequency != 5 else {}),
              **({"q": page["q"]} if page["q"] else {})}

    def rows(items: list) -> list[dict[str, Any]]:
        return [{"k": k, "links": wording_links(k.text, target)} for k in items]

    over, under = rows(result.over), rows(result.under)
    page.update(result=result, over=over, under=under, min_frequency=a.min_frequency,
                **downloads("analytics.keyness_csv", "analytics_api.keyness_api", values),
                unit_urls={k: page_url("analytics.keyness_page", **{**values, "unit": k}) for k in ("wording", "word")},
                chart=charts.diverging([(r["k"].text, r["k"].log_likelihood, r["links"]["concordance"])
                                        for r in over[:15]],
                                       [(r["k"].text, r["k"].log_likelihood, None) for r in under[:15]],
                                       "对数似然（越长差异越显著）", ("目标中更常用", "参照中更常用")))
    return page


KEY_COLUMNS = (("direction", "方向"), ("text", "提法或词"), ("frequency", "目标频次"),
               ("reference_frequency", "参照频次"), ("per_million", "目标每百万"),
               ("reference_per_million", "参照每百万"), ("log_likelihood", "对数似然"), ("percent_diff", "%DIFF"))


def keyness_csv(backend: SearchBackend, args: MultiDict[str, str], lang: str) -> str:
    a = keyness_args(args)
    result = keyness(backend, a.target, a.reference, a.unit, a.min_frequency, a.n)
    rows = [[direction] + [getattr(k, f) if getattr(k, f) is not None else "" for f, _ in KEY_COLUMNS[1:]]
            for direction, items in (("over", result.over), ("under", result.under)) for k in items]
    return csv_text(KEY_COLUMNS, rows, lang)


# ---------------------------------------------------------------------------------------------- dispersion
def dispersion_page(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
    """Dispersion of a wording: strips per document, tenths of documents, per year, the tables, downloads."""
    a = dispersion_args(args, required=False)
    state = filters(args)
    page: dict[str, Any] = {"q": a.params.q, "state": state, "sort": a.sort, "result": None}
    if not a.params.q:
        return page
    result = dispersion(backend, a.params, a.sort, a.page, a.per_page)
    values = {"q": a.params.q, **state, **({"mode": a.params.mode} if a.params.mode != "exact" else {})}
    last = max(1, -(-result.documents // result.per_page))

    def url(**change: Any) -> str:
        return page_url("analytics.dispersion_page", **values, **{"sort": a.sort, **change})

    items = [{"d": d, "region": region_label(d.region), "note": PRECISION_NOTE.get(d.date_precision or "")}
             for d in result.items]
    page.update(result=result, items=items, views=wording_links(a.params.q, state), last=last,
                prev_url=url(page=result.page - 1) if result.page > 1 else None,
                next_url=url(page=result.page + 1) if result.page < last else None,
                sort_urls={k: url(sort=k) for k in ("date", "occurrences")},
                **downloads("analytics.dispersion_csv", "analytics_api.dispersion_api", values),
                strips=charts.strips([(f"{dated(d) or '未注明'} {d.title or d.doc_id}", d.positions, d.url)
                                      for d in result.items]),
                deciles=charts.columns([(f"{10 * i}–{10 * i + 10}%", n) for i, n in enumerate(result.deciles)],
                                       "出现次数", "在文档中的位置（从开头到结尾，十等分）"),
                per_year=bar_chart([(y.year, y.per_10k) for y in result.years], "每万字出现次数", width=640))
    return page


DISPERSION_COLUMNS = (("doc_id", "文档编号"), ("title", "标题"), ("date", "日期"), ("date_precision", "日期精度"),
                      ("date_inferred", "日期为推断"), ("province", "省份"), ("city", "城市"), ("chars", "文档字数"),
                      ("offset", "出现位置（字）"), ("position", "相对位置"))


def dispersion_csv(backend: SearchBackend, args: MultiDict[str, str], lang: str) -> str:
    """One row per occurrence, documents in date order (every document, not a page)."""
    a = dispersion_args(args)
    result = dispersion(backend, a.params, a.sort, 1, 1_000_000, cap=1_000_000)
    rows = [[d.doc_id, d.title or "", d.date or "", d.date_precision or "", d.date_inferred, d.region.province or "",
             d.region.city or "", d.chars, o, p]
            for d in result.items for o, p in zip(d.offsets, d.positions, strict=True)]
    return csv_text(DISPERSION_COLUMNS, rows, lang)
