"""Shared wording: ``/api/doc/<id>/reuse``, ``/reuse`` + ``/api/reuse``, and the document page's section.

One data function per view feeds the page and the JSON (the result objects of :mod:`indexer.search.results`,
served by :meth:`~indexer.search.backend.SearchBackend.reuse` and ``reuse_pairs``). On the pages, each
shared passage is shown from both documents with the characters that differ marked (a changed place name
or number); ``/doc/<id>?reuse=<other id>`` marks the passages shared with that document in the text itself.
"""

from __future__ import annotations

import difflib
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from indexer.search.backend import SearchBackend
from indexer.search.results import DocumentView, ReusePairs, ReuseView, SharedDocument
from webui.errors import ApiError
from webui.params import parse_search
from webui.presenters import mark
from webui.service import api_service

bp = Blueprint("reuse", __name__)
EARLIER = {"this": "本文较早", "other": "对方较早（可能的来源）", "unknown": "先后不明（同日或未注明日期）"}
SHOWN_SPANS = 5
EXCERPT = 400


def _diff(this: str, other: str) -> tuple[Markup, Markup]:
    """Both texts escaped, with what differs between them marked."""
    a, b = this[:EXCERPT], other[:EXCERPT]
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    marks_a = [(i1, i2) for tag, i1, i2, _, _ in ops if tag != "equal" and i2 > i1]
    marks_b = [(j1, j2) for tag, _, _, j1, j2 in ops if tag != "equal" and j2 > j1]
    more = Markup("…") if len(this) > EXCERPT or len(other) > EXCERPT else Markup("")
    return mark(a, marks_a) + more, mark(b, marks_b) + more


def _entry(doc_id: str, shared: SharedDocument) -> dict[str, Any]:
    passages = [dict(zip(("this", "other"), _diff(s.text, s.other_text), strict=True))
                for s in shared.spans[:SHOWN_SPANS]]
    return {"doc": shared, "earlier": EARLIER.get(shared.earlier, EARLIER["unknown"]), "passages": passages,
            "more": max(0, len(shared.spans) - SHOWN_SPANS), "coverage": f"{shared.coverage:.1%}",
            "other_coverage": f"{shared.other_coverage:.1%}",
            "mark_url": url_for("views.document", doc_id=doc_id, reuse=shared.doc_id) + "#reuse",
            "compare_url": url_for("views.document", doc_id=shared.doc_id, reuse=doc_id) + "#reuse",
            "side_by_side": url_for("relations.compare_page", a=shared.doc_id if shared.earlier == "other" else doc_id,
                                    b=doc_id if shared.earlier == "other" else shared.doc_id)}


def reuse_section(service: SearchBackend, doc: DocumentView, marked: str | None = None) -> dict[str, Any]:
    """The document page's "wording shared with other documents" section, and the spans to mark in its text
    (those shared with ``marked``)."""
    view = service.reuse(doc.doc_id)
    if view is None:
        return {"reuse": None, "reuse_marks": []}
    marks = [(s.start, s.end) for d in view.shared if d.doc_id == marked for s in d.spans]
    templates = [d for d in view.shared if d.template]
    return {"reuse": {"view": view, "entries": [_entry(doc.doc_id, d) for d in view.shared],
                      "templates": templates, "marked": marked if marks else None},
            "reuse_marks": marks}


def _doc_reuse(doc_id: str) -> ReuseView:
    view = api_service().reuse(doc_id) if len(doc_id) < 2000 else None
    if view is None:
        raise ApiError(f"no document {doc_id[:200]!r}", 404)
    return view


@bp.get("/api/doc/<docid:doc_id>/reuse")
def api_document(doc_id: str) -> Response:
    return jsonify(_doc_reuse(doc_id))


def _pairs() -> tuple[ReusePairs, dict[str, str]]:
    p = parse_search(request.args, current_app.config["MAX_PER_PAGE"], 20)
    result = api_service().reuse_pairs(province=p.province, year=p.year, doctype=p.doctype, page=p.page,
                                    per_page=p.per_page)
    current = {k: request.args[k].strip() for k in ("province", "year", "doctype", "per_page")
               if (request.args.get(k) or "").strip()}
    return result, current


@bp.get("/api/reuse")
def api_pairs() -> Response:
    return jsonify(_pairs()[0])


@bp.get("/reuse")
def page() -> str:
    result, current = _pairs()
    stats = api_service().stats()
    last = max(1, -(-result.total // result.per_page))

    def page_url(n: int) -> str:
        return url_for("reuse.page") + "?" + urlencode({**current, "page": n})

    rows = [{"pair": p, "earlier": p.earlier != "unknown",
             "a_url": url_for("views.document", doc_id=p.a.doc_id, reuse=p.b.doc_id) + "#reuse",
             "b_url": url_for("views.document", doc_id=p.b.doc_id, reuse=p.a.doc_id) + "#reuse",
             "compare_url": url_for("relations.compare_page", a=p.a.doc_id, b=p.b.doc_id)}
            for p in result.pairs]
    options = {name: [b.value for b in stats.facets[name] if b.value is not None][:60]
               for name in ("province", "year", "doctype")}
    return render_template(
        "reuse.html", result=result, rows=rows, current=current, options=options,
        prev_url=page_url(result.page - 1) if result.page > 1 else None,
        next_url=page_url(result.page + 1) if result.page < last else None, last=last,
        api_url=url_for("reuse.api_pairs") + ("?" + urlencode(current) if current else ""))
