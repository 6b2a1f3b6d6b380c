"""JSON API of the analyses: ``/api/wordings``, ``/api/collocates``, ``/api/keyness``, ``/api/dispersion``.

Each route parses its parameters (:mod:`webui.analytics_params`), calls one function of
:mod:`indexer.research` — the same one the pages and CSV downloads call — and serialises its result dataclass
(:mod:`indexer.research.analysis_results`) as its ``to_json`` (:mod:`webui.jsonout`); errors have the API's one
shape.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from indexer.research.collocates import collocates
from indexer.research.dispersion import dispersion
from indexer.research.keyness import keyness
from indexer.research.wordings import PeriodMissing, wordings
from indexer.search.query import QueryTooComplex
from webui.analytics_params import collocates_args, dispersion_args, keyness_args, wordings_args
from webui.errors import json_error
from webui.service import api_service

bp = Blueprint("analytics_api", __name__, url_prefix="/api")


@bp.errorhandler(QueryTooComplex)
@bp.errorhandler(PeriodMissing)
def _bad(exc: Exception) -> tuple[Response, int]:
    return json_error(str(exc), 400)


@bp.get("/wordings")
def wordings_api() -> Response:
    a = wordings_args(request.args)
    return jsonify(wordings(api_service(), a.params, a.view, a.min_documents, a.min_length, a.max_length, a.n))


@bp.get("/collocates")
def collocates_api() -> Response:
    a = collocates_args(request.args)
    return jsonify(collocates(api_service(), a.params, a.unit, a.span, a.min_frequency, a.sort, a.n))


@bp.get("/keyness")
def keyness_api() -> Response:
    a = keyness_args(request.args)
    return jsonify(keyness(api_service(), a.target, a.reference, a.unit, a.min_frequency, a.n))


@bp.get("/dispersion")
def dispersion_api() -> Response:
    a = dispersion_args(request.args)
    return jsonify(dispersion(api_service(), a.params, a.sort, a.page, a.per_page))
