"""JSON API of the research views: ``/api/first``, ``/api/trend``, ``/api/spread``, ``/api/concordance``.

Each route parses its parameters (:mod:`webui.research_params`), calls one function of
:mod:`indexer.research` — the same one the pages call — and serialises its result dataclass with
``to_json`` (:mod:`webui.jsonout`); errors have the API's one shape (:mod:`webui.errors`).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from indexer.research.concordance import concordance
from indexer.research.first import MAX_FIRST, first_use
from indexer.research.spread import spread
from indexer.research.trend import trend
from indexer.search.query import QueryTooComplex
from webui.errors import json_error
from webui.research_params import base_params, concordance_args, int_arg, one_wording, wordings
from webui.service import api_service

bp = Blueprint("research_api", __name__, url_prefix="/api")


@bp.errorhandler(QueryTooComplex)
def _too_complex(exc: QueryTooComplex) -> tuple[Response, int]:
    return json_error(str(exc), 400)


@bp.get("/first")
def first() -> Response:
    p = one_wording(request.args)
    return jsonify(first_use(api_service(), p, int_arg(request.args, "n", 10, 1, MAX_FIRST)))


@bp.get("/trend")
def trend_api() -> Response:
    queries = wordings(request.args)
    return jsonify(trend(api_service(), queries, base_params(request.args)))


@bp.get("/spread")
def spread_api() -> Response:
    return jsonify(spread(api_service(), one_wording(request.args)))


@bp.get("/concordance")
def concordance_api() -> Response:
    a = concordance_args(request.args)
    return jsonify(concordance(api_service(), a.params, a.width, a.sort, a.page, a.per_page, near=a.near))
