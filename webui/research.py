"""Research pages: ``/trend``, ``/spread``, ``/concordance`` (with CSV downloads), and the two parts of the
search page that come from the research views — the landing page shown at ``/`` without a query, and the
"first used" panel shown for an exact wording.

Page data comes from :mod:`webui.research_pages` (built from the same :mod:`indexer.research` results the JSON
API of :mod:`webui.research_api` sends). Errors in parameters are 400 pages with the API's messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from indexer.research.first import MAX_FIRST, first_use, undated_documents
from indexer.search.backend import SearchBackend
from indexer.search.query import QueryTooComplex, parse, positive_terms
from indexer.search.results import UNKNOWN_VALUE, region_label
from indexer.search.service import SearchParams
from webui import research_pages as pages
from webui.downloads import csv_response, file_name, header_lang
from webui.errors import ApiError
from webui.presenters import mark
from webui.research_charts import bar_chart, hbar_chart
from webui.research_pages import PRECISION_NOTE, filter_state, links, page_url
from webui.research_params import int_arg, one_wording
from webui.service import NoIndex, api_service, get_service

bp = Blueprint("research", __name__)

#: Wordings tried as examples on the landing page (those the index holds are shown).
EXAMPLE_WORDINGS = ("两个健康", "统一战线", "同心圆", "新的社会阶层", "民营经济", "中华民族共同体意识", "大团结大联合",
                    "港澳台", "宗教")
EXAMPLE_KEYWORDS = ("统战 民营经济", "民族 宗教 工作", "统一战线 政协", "统战 工作")
UNKNOWN = "未注明"


def render_page(template: str, build: Callable[[SearchBackend, MultiDict[str, str]], dict[str, Any]]
                ) -> tuple[str, int] | str:
    """A research or analysis page: no index is a 503 page, a bad parameter a 400 page with the message."""
    try:
        service = get_service()
    except NoIndex as exc:
        return render_template("error.html", status=503, message=str(exc)), 503
    try:
        return render_template(template, **build(service, request.args))
    except (ApiError, QueryTooComplex) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return render_template("error.html", status=400, message=message), 400


def _queries(args: MultiDict[str, str]) -> list[str]:
    return [q.strip() for q in args.getlist("q") if q.strip()]


def csv_download(kind: str, label: str, build: Callable[[SearchBackend, MultiDict[str, str], str], str],
                 name_parts: Callable[[MultiDict[str, str]], list[str]] = _queries) -> Response:
    """A CSV download named after its view and what it holds (``趋势_两个健康.csv``: ``name_parts`` of the
    request, its queries by default), headers in English or Chinese."""
    service = api_service()
    lang = header_lang(request.args)
    try:
        body = build(service, request.args, lang)
    except QueryTooComplex as exc:
        raise ApiError(str(exc)) from exc
    return csv_response(body, file_name(label, *name_parts(request.args)), f"{kind}.csv")


@bp.get("/trend")
def trend_page() -> tuple[str, int] | str:
    return render_page("trend.html", pages.trend_page)


@bp.get("/trend.csv")
def trend_csv() -> Response:
    return csv_download("trend", "趋势", pages.trend_csv)


@bp.get("/first")
def first_page() -> tuple[str, int] | str:
    """The earliest documents using a wording (what ``/api/first`` sends), oldest first."""
    def build(backend: SearchBackend, args: MultiDict[str, str]) -> dict[str, Any]:
        p = one_wording(args, required=False)
        n = int_arg(args, "n", 20, 1, MAX_FIRST)
        return {"q": p.q, "state": filter_state(args), "n": n, "first_use": first_use_panel(backend, p, args, n)}

    return render_page("first.html", build)


@bp.get("/spread")
def spread_page() -> tuple[str, int] | str:
    return render_page("spread.html", pages.spread_page)


@bp.get("/concordance")
def concordance_page() -> tuple[str, int] | str:
    return render_page("concordance.html", pages.concordance_page)


@bp.get("/concordance.csv")
def concordance_csv() -> Response:
    return csv_download("concordance", "语境", pages.concordance_csv)


# ---------------------------------------------------------------------------------------------- search page
def is_landing(args: MultiDict[str, str]) -> bool:
    """Whether ``/`` shows the landing page: nothing asked (no query, at most an empty search box's mode)."""
    return set(args) <= {"q", "mode"} and not (args.get("q") or "").strip() and args.get(
        "mode", "keyword") in ("keyword", "exact")


def first_use_panel(backend: SearchBackend, params: SearchParams, args: MultiDict[str, str], n: int = 5
                    ) -> dict[str, Any] | None:
    """The "first used" panel of the search page (shown on the first page of a query with exact wording) and
    the body of the ``/first`` page: the ``n`` earliest documents."""
    if not params.q or params.page != 1 or not positive_terms(parse(params.q, exact=params.mode == "exact")[0])[0]:
        return None
    found = first_use(backend, params, n=n)
    if not found.hits:
        return None
    state = {**filter_state(args), "mode": params.mode}
    search_args = {k: v for k, v in args.items() if k not in ("page", "sort") and v}
    return {"result": found, "views": links(params.q, state),
            "all_url": page_url("views.search", **search_args, sort="oldest"),
            "hits": [{"hit": h, "note": PRECISION_NOTE.get(h.date_precision or ""), "region": region_label(h.region),
                      "snippet_html": mark(h.snippet, h.highlights)} for h in found.hits]}


def _examples(backend: SearchBackend) -> dict[str, Any]:
    def documents(q: str, mode: str) -> int:
        return backend.count_by(SearchParams(q=q, mode=mode, group="document"), ()).total

    used = [w for w in EXAMPLE_WORDINGS if documents(w, "exact")][:3]
    keyword = next((k for k in EXAMPLE_KEYWORDS if documents(k, "keyword")), None)
    out: list[dict[str, str]] = []
    for w in used[:2]:
        out.append({"kind": "原文精确", "text": f"“{w}”", "url": page_url("views.search", q=w, mode="exact")})
    if keyword:
        out.append({"kind": "关键词", "text": keyword, "url": page_url("views.search", q=keyword)})
    if used:
        out.append({"kind": "最早使用", "text": f"“{used[0]}”最早见于哪些文档",
                    "url": page_url("views.search", q=used[0], mode="exact", sort="oldest")})
    if len(used) >= 2:
        out.append({"kind": "趋势对比", "text": " 与 ".join(f"“{w}”" for w in used),
                    "url": page_url("research.trend_page", q=used)})
    if used:
        out.append({"kind": "传播", "text": f"“{used[0]}”在各省的首次使用",
                    "url": page_url("research.spread_page", q=used[0])})
        out.append({"kind": "语境", "text": f"“{used[-1]}”的每一处用法",
                    "url": page_url("research.concordance_page", q=used[-1])})
    return {"examples": out}


def landing_page(backend: SearchBackend) -> dict[str, Any]:
    """``/`` without a query: what the corpus holds (documents by year, province and type, with their tables),
    the newest documents and example searches of each kind."""
    overview = backend.search(SearchParams(group="document", sort="newest", per_page=8))
    facets = overview.facets
    years = sorted((int(f.value), f.count) for f in facets["year"] if isinstance(f.value, int))

    def bars(name: str, top: int) -> list[tuple[str, int, str | None]]:
        return [(UNKNOWN if f.value is None else str(f.value), f.count,
                 page_url("views.search", **{name: UNKNOWN_VALUE if f.value is None else str(f.value)}))
                for f in facets[name][:top]]

    provinces, doctypes = bars("province", 16), bars("doctype", 12)
    return {
        "documents": overview.total_documents, "newest": overview.hits, "years": years,
        "undated": undated_documents(facets["year"]), "provinces": provinces, "doctypes": doctypes,
        "province_count": sum(1 for f in facets["province"] if f.value not in (None, "全国")),
        "year_chart": bar_chart(years, "文档数"), "province_chart": hbar_chart(provinces, "文档数"),
        "doctype_chart": hbar_chart(doctypes, "文档数"), **_examples(backend),
    }
