"""JSON API: ``/api/search``, ``/api/doc/<doc_id>``, ``/api/stats``, ``/api/openapi.json``.

Each route answers a result object of :mod:`indexer.search.results` — the same object ``search --json``
prints, written as its ``to_json`` (:mod:`webui.jsonout`) — and every error is an ``ErrorBody`` (see
:mod:`webui.errors`).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from indexer.cite import DEFAULT_STYLE, STYLES, citation, citation_short, fields_of
from indexer.search.query import QueryTooComplex
from webui.errors import ApiError
from webui.hints import query_hints
from webui.openapi import spec
from webui.params import parse_search
from webui.service import api_service

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    params = parse_search(request.args, current_app.config["MAX_PER_PAGE"], current_app.config["DEFAULT_PER_PAGE"],
                          current_app.config["SYNONYMS"])
    try:
        result = api_service().search(params)
    except QueryTooComplex as exc:
        raise ApiError(str(exc)) from exc
    if query_hints(params):  # a field or a province name the index does not know: say what would work
        hints = [f"{h.text} (q={h.q}{f', province={h.province}' if h.province else ''})" for h in query_hints(params)]
        result.notice = "; ".join(([result.notice] if result.notice else []) + hints) or None
    return jsonify(result)  # its fields handed to the encoder as they are (webui/jsonout.py)


@bp.get("/doc/<docid:doc_id>")
def document(doc_id: str) -> Response:
    style = request.args.get("style", DEFAULT_STYLE)
    if style not in STYLES:
        raise ApiError(f"style must be one of {', '.join(STYLES)}")
    doc = api_service().document(doc_id) if len(doc_id) < 2000 else None
    if doc is None:
        raise ApiError(f"no document {doc_id[:200]!r}", 404)
    if style != DEFAULT_STYLE:
        cited = fields_of(doc, doc.url_page)
        doc.citation, doc.citation_short = citation(cited, style), citation_short(cited, style)
    return jsonify(doc)


@bp.get("/stats")
def stats() -> Response:
    return jsonify(api_service().stats())


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec(current_app.config["MAX_PER_PAGE"]))
