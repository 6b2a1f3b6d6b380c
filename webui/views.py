"""HTML pages: the search page (``/``) and the document page (``/doc/<doc_id>``)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from indexer.search.query import QueryTooComplex
from webui.docpage import document_page
from webui.errors import ApiError
from webui.params import parse_search
from webui.presenters import search_page
from webui.relations import relations_section
from webui.research import first_use_panel, is_landing, landing_page
from webui.reuse import reuse_section
from webui.service import NoIndex, get_service

bp = Blueprint("views", __name__)


@bp.get("/")
def search() -> tuple[str, int] | str:
    try:
        service = get_service()
    except NoIndex as exc:
        return render_template("error.html", status=503, message=str(exc)), 503
    if is_landing(request.args):
        return render_template("landing.html", **landing_page(service))
    args = request.args.copy()
    args.setdefault("group", "document")  # the page lists documents unless asked for passages
    try:
        params = parse_search(args, current_app.config["MAX_PER_PAGE"], current_app.config["DEFAULT_PER_PAGE"],
                          current_app.config["SYNONYMS"])
        return render_template("search.html", **search_page(service, params, args),
                               first_use=first_use_panel(service, params, args))
    except (ApiError, QueryTooComplex) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return render_template("error.html", status=400, message=message), 400


@bp.get("/doc/<docid:doc_id>")
def document(doc_id: str) -> tuple[str, int] | str:
    try:
        service = get_service()
    except NoIndex as exc:
        return render_template("error.html", status=503, message=str(exc)), 503
    doc = service.document(doc_id) if len(doc_id) < 2000 else None
    if doc is None:
        abort(404)
    mode = request.args.get("mode", "keyword")
    shared = reuse_section(service, doc, request.args.get("reuse"))
    cfg = current_app.config
    try:
        synonyms = request.args.get("synonyms", "1" if cfg["SYNONYMS"] else "0") != "0"
        page = document_page(doc, request.args.get("q", "")[:500], mode if mode in ("keyword", "exact") else "keyword",
                             cfg["BASE_URL"], shared["reuse_marks"], cfg["DOC_SECONDS"], synonyms)
    except QueryTooComplex:
        page = document_page(doc, "", "keyword", cfg["BASE_URL"], shared["reuse_marks"], cfg["DOC_SECONDS"])
    article = service.document(doc.parent) if doc.parent else None  # an attachment names its article
    return render_template("doc.html", **page, **shared, **relations_section(service, doc),
                           parent_title=article.title if article else None)
