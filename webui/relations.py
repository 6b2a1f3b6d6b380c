"""Relations on the site: the document page's section (status, references, citing documents, other versions, the
citation graph), ``/api/references`` + ``/references`` (every document citing a number or title, indexed or
not), ``/api/doc/<id>/graph``, and ``/compare`` + ``/api/compare`` (two documents side by side).

One data function per view feeds the page and the JSON (the result objects of :mod:`indexer.relations.results`
and :mod:`indexer.relations.compare`, served by the backend); the pages add only links and marks.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from indexer.relations.compare import MAX_CHARS, CompareRow, Comparison, Mark, compare
from indexer.relations.results import DocRef, ExternalReferences, Graph
from indexer.search.backend import SearchBackend
from indexer.search.results import DocumentView
from webui.errors import ApiError
from webui.relations_svg import graph_svg
from webui.service import api_service

bp = Blueprint("relations", __name__)
KIND_LABELS = {"cite": "引用", "abolish": "废止", "replace": "代替", "amend": "修订"}
VERSION_LABELS = {"draft": "征求意见稿", "final": "正式文本", "previous": "同一系列的上一篇",
                  "next": "同一系列的下一篇"}
MAX_TEXT = 500
#: Equal rows in a row longer than this are folded away on the compare page (a <details> opens them).
FOLD = 6


def _text_arg(name: str, required: bool = False) -> str | None:
    raw = request.args.get(name) or ""
    if len(raw) > MAX_TEXT:
        raise ApiError(f"{name} is too long ({len(raw)} characters; at most {MAX_TEXT})")
    value = raw.strip() or None
    if required and value is None:
        raise ApiError(f"{name} is required: a document id")
    return value


def _document(service: SearchBackend, doc_id: str) -> DocumentView:
    doc = service.document(doc_id) if len(doc_id) < 2000 else None
    if doc is None:
        raise ApiError(f"no document {doc_id[:200]!r}", 404)
    return doc


# ---------------------------------------------------------------------------------------------- document page
def relations_section(service: SearchBackend, doc: DocumentView) -> dict[str, Any]:
    """What the document page shows of a document's relations (``relations``: None when there are none)."""
    rel = doc.relations
    if rel is None:
        return {"relations": None}
    graph = service.graph(doc.doc_id, 2) if rel.cites_resolved or rel.cited_by_total else None
    return {"relations": {"view": rel, "kinds": KIND_LABELS, "versions": VERSION_LABELS,
                          "graph": graph_svg(graph) if graph else Markup(""), "graph_data": graph,
                          "references_url": lambda c: url_for("relations.references_page", docno=c.doc_number)
                          if c.doc_number else url_for("relations.references_page", title=c.title)}}


# ---------------------------------------------------------------------------------------------- references
def _references() -> ExternalReferences:
    docno, title = _text_arg("docno"), _text_arg("title")
    if not docno and not title:
        raise ApiError("give docno (a 发文字号) or title (a document's exact title)")
    return api_service().references(docno=docno, title=title)


@bp.get("/api/references")
def api_references() -> Response:
    return jsonify(_references())


@bp.get("/references")
def references_page() -> str:
    if not (request.args.get("docno") or "").strip() and not (request.args.get("title") or "").strip():
        return render_template("references.html", result=None, kinds=KIND_LABELS)
    return render_template("references.html", result=_references(), kinds=KIND_LABELS)


@bp.get("/api/doc/<docid:doc_id>/graph")
def api_graph(doc_id: str) -> Response:
    raw = request.args.get("hops", "2")
    if raw not in ("1", "2"):
        raise ApiError("hops must be 1 or 2")
    graph: Graph | None = api_service().graph(doc_id, int(raw)) if len(doc_id) < 2000 else None
    if graph is None:
        raise ApiError(f"no document {doc_id[:200]!r}", 404)
    return jsonify(graph)


# ---------------------------------------------------------------------------------------------- compare
def _ref(doc: DocumentView) -> DocRef:
    return DocRef(doc_id=doc.doc_id, title=doc.title, title_derived=doc.title_derived, date=doc.date,
                  date_inferred=doc.date_inferred, issuer=doc.issuer, doc_number=doc.doc_number, url=doc.url_page)


def _comparison() -> Comparison:
    a_id, b_id = _text_arg("a", required=True), _text_arg("b", required=True)
    assert a_id is not None and b_id is not None
    service = api_service()
    a, b = _document(service, a_id), _document(service, b_id)
    return compare(_ref(a), "\n".join(s.text for s in a.sections), _ref(b), "\n".join(s.text for s in b.sections))


@bp.get("/api/compare")
def api_compare() -> Response:
    return jsonify(_comparison())


def _marked(text: str | None, marks: list[Mark]) -> Markup:
    """A row's text escaped, its marks as <del>/<ins>/<mark class="chg">."""
    if text is None:
        return Markup("")
    tags = {"del": ("<del>", "</del>"), "ins": ("<ins>", "</ins>"), "chg": ('<mark class="chg">', "</mark>")}
    out, pos = [], 0
    for m in sorted(marks, key=lambda m: m.start):
        out.append(str(escape(text[pos:m.start])))
        out.append(tags[m.kind][0] + str(escape(text[m.start:m.end])) + tags[m.kind][1])
        pos = m.end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _blocks(rows: list[CompareRow], changes: list[int]) -> list[dict[str, Any]]:
    """Rows as the page shows them: runs of more than FOLD equal rows folded, each change numbered with the
    anchors of the previous and next one."""
    number = {row: k for k, row in enumerate(changes)}
    blocks: list[dict[str, Any]] = []
    run: list[dict[str, Any]] = []

    def flush() -> None:
        if len(run) > FOLD:
            blocks.extend(run[:2])
            blocks.append({"fold": run[2:-2]})
            blocks.extend(run[-2:])
        else:
            blocks.extend(run)
        run.clear()

    for i, row in enumerate(rows):
        item = {"row": row, "left": _marked(row.left, row.left_marks), "right": _marked(row.right, row.right_marks)}
        if row.op == "equal":
            run.append(item)
            continue
        flush()
        k = number[i]
        item.update(anchor=f"c{k + 1}", n=k + 1, prev=f"c{k}" if k else None,
                    next=f"c{k + 2}" if k + 1 < len(changes) else None)
        blocks.append(item)
    flush()
    return blocks


@bp.get("/compare")
def compare_page() -> str:
    if not (request.args.get("a") or "").strip() or not (request.args.get("b") or "").strip():
        return render_template("compare.html", result=None, a=request.args.get("a", "")[:MAX_TEXT],
                               b=request.args.get("b", "")[:MAX_TEXT])
    result = _comparison()
    return render_template("compare.html", result=result, blocks=_blocks(result.rows, result.changes),
                           max_chars=MAX_CHARS, kept=f"{result.summary.kept_share:.1%}",
                           api_url=url_for("relations.api_compare", a=result.a.doc_id, b=result.b.doc_id))
