"""Analysis pages: ``/wordings`` (提法 discovery), ``/collocates``, ``/keyness``, ``/dispersion``, each with a CSV
download (``….csv``; ``headers=zh`` for Chinese column headers), named after the view and its query.

Page data comes from :mod:`webui.analytics_pages` (built from the same :mod:`indexer.research` results the
JSON API of :mod:`webui.analytics_api` sends). A bad parameter is a 400 page with the API's message; a page
whose analysis was cut short by its time says so above its figures.
"""

from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.datastructures import MultiDict

from webui import analytics_pages as pages
from webui.research import csv_download, render_page

bp = Blueprint("analytics", __name__)


def _query(args: MultiDict[str, str]) -> list[str]:
    return [args.get("q") or "", args.get("province") or "", args.get("from") or "", args.get("to") or ""]


def _sides(args: MultiDict[str, str]) -> list[str]:
    target = "-".join(v for v in (args.get("province"), args.get("from"), args.get("to")) if v) or "全部"
    ref = "-".join(v for v in (args.get("ref_province"), args.get("ref_from"), args.get("ref_to")) if v) or "其余"
    return [target, "对比", ref]


@bp.get("/wordings")
def wordings_page() -> tuple[str, int] | str:
    return render_page("wordings.html", pages.wordings_page)


@bp.get("/wordings.csv")
def wordings_csv() -> Response:
    return csv_download("wordings", "提法", pages.wordings_csv, _query)


@bp.get("/collocates")
def collocates_page() -> tuple[str, int] | str:
    return render_page("collocates.html", pages.collocates_page)


@bp.get("/collocates.csv")
def collocates_csv() -> Response:
    return csv_download("collocates", "搭配", pages.collocates_csv, _query)


@bp.get("/keyness")
def keyness_page() -> tuple[str, int] | str:
    return render_page("keyness.html", pages.keyness_page)


@bp.get("/keyness.csv")
def keyness_csv() -> Response:
    return csv_download("keyness", "关键性", pages.keyness_csv, _sides)


@bp.get("/dispersion")
def dispersion_page() -> tuple[str, int] | str:
    return render_page("dispersion.html", pages.dispersion_page)


@bp.get("/dispersion.csv")
def dispersion_csv() -> Response:
    return csv_download("dispersion", "分布", pages.dispersion_csv, _query)
