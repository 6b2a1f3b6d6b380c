"""Analysis pages: ``/wordings`` (提法 discovery), ``/collocates``, ``/keyness``, ``/dispersion``, each with a CSV
download (``….csv``; ``headers=zh`` for Chinese column headers), named after the view and its query.

Page data comes from :mod:`webui.analytics_pages` (built from the same :mod:`indexer.research` results the
JSON API of :mod:`webui.analytics_api` sends). A bad parameter is a 400 page with the API's message; a page
whose analysis was cut short by its time says so above its figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from indexer.research.wordings import PeriodMissing
from indexer.search.backend import SearchBackend
from indexer.search.query import QueryTooComplex
from webui import analytics_pages as pages
from webui.downloads import csv_response, file_name, header_lang
from webui.errors import ApiError
from webui.service import NoIndex, api_service, get_service

bp = Blueprint("analytics", __name__)


def _render(template: str, build: Callable[[SearchBackend, MultiDict[str, str]], dict[str, Any]]
            ) -> tuple[str, int] | str:
    try:
        service = get_service()
    except NoIndex as exc:
        return render_template("error.html", status=503, message=str(exc)), 503
    try:
        return render_template(template, **build(service, request.args))
    except (ApiError, QueryTooComplex, PeriodMissing) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return render_template("error.html", status=400, message=message), 400


def _csv(kind: str, label: str, build: Callable[[SearchBackend, MultiDict[str, str], str], tuple[str, Any]],
         name_parts: Callable[[MultiDict[str, str]], list[str]]) -> Response:
    service = api_service()
    lang = header_lang(request.args)
    try:
        body, _ = build(service, request.args, lang)
    except (QueryTooComplex, PeriodMissing) as exc:
        raise ApiError(str(exc)) from exc
    return csv_response(body, file_name(label, *name_parts(request.args)), f"{kind}.csv")


def _query(args: MultiDict[str, str]) -> list[str]:
    return [args.get("q") or "", args.get("province") or "", args.get("from") or "", args.get("to") or ""]


def _sides(args: MultiDict[str, str]) -> list[str]:
    target = "-".join(v for v in (args.get("province"), args.get("from"), args.get("to")) if v) or "全部"
    ref = "-".join(v for v in (args.get("ref_province"), args.get("ref_from"), args.get("ref_to")) if v) or "其余"
    return [target, "对比", ref]


@bp.get("/wordings")
def wordings_page() -> tuple[str, int] | str:
    return _render("wordings.html", pages.wordings_page)


@bp.get("/wordings.csv")
def wordings_csv() -> Response:
    return _csv("wordings", "提法", pages.wordings_csv, _query)


@bp.get("/collocates")
def collocates_page() -> tuple[str, int] | str:
    return _render("collocates.html", pages.collocates_page)


@bp.get("/collocates.csv")
def collocates_csv() -> Response:
    return _csv("collocates", "搭配", pages.collocates_csv, _query)


@bp.get("/keyness")
def keyness_page() -> tuple[str, int] | str:
    return _render("keyness.html", pages.keyness_page)


@bp.get("/keyness.csv")
def keyness_csv() -> Response:
    return _csv("keyness", "关键性", pages.keyness_csv, _sides)


@bp.get("/dispersion")
def dispersion_page() -> tuple[str, int] | str:
    return _render("dispersion.html", pages.dispersion_page)


@bp.get("/dispersion.csv")
def dispersion_csv() -> Response:
    return _csv("dispersion", "分布", pages.dispersion_csv, _query)
