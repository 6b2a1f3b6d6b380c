"""JSON API: ``/api/search``, ``/api/doc/<doc_id>``, ``/api/openapi.json`` (see ``webui.openapi``)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from webui.errors import ApiError
from webui.openapi import spec
from webui.params import parse_search
from webui.presenters import add_urls, doc_url
from webui.service import NoIndex, get_service

bp = Blueprint("api", __name__, url_prefix="/api")


def _service():
    try:
        return get_service()
    except NoIndex as exc:
        raise ApiError(str(exc), 503) from exc


@bp.get("/search")
def search():
    params = parse_search(request.args, current_app.config["MAX_PER_PAGE"], current_app.config["DEFAULT_PER_PAGE"])
    return jsonify(add_urls(_service().search(params), params))


@bp.get("/doc/<docid:doc_id>")
def document(doc_id: str):
    doc = _service().document(doc_id) if len(doc_id) < 2000 else None
    if doc is None:
        raise ApiError(f"no document {doc_id[:200]!r}", 404)
    doc["url_page"] = doc_url(doc_id)
    return jsonify({"ok": True, **doc})


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec(current_app.config["MAX_PER_PAGE"]))
