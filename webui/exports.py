"""Exports: ``/api/export?<search parameters>&format=csv|xlsx|jsonl&style=2025|2015`` — every hit, not a page.

The parameters are those of ``/api/search`` (``page`` and ``per_page`` are ignored); at most
``EXPORT_MAX_ROWS`` rows (default 1,000,000) are sent. Headers say what was sent: ``X-Total-Count`` (all
matches), ``X-Export-Rows`` and ``X-Export-Truncated``. CSV and JSON lines stream as they are read; XLSX is
built in a temporary file (XlsxWriter's constant-memory mode) and then streamed. The rows are made by
:mod:`indexer.search.export` from :meth:`~indexer.search.backend.SearchBackend.iter_hits`.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from indexer.cite import STYLES
from indexer.search import export
from indexer.search.query import QueryTooComplex
from indexer.search.service import highlight_terms
from webui.errors import ApiError
from webui.params import parse_search
from webui.presenters import state
from webui.service import api_service

bp = Blueprint("exports", __name__)
LABELS = {"csv": "CSV（Excel）", "xlsx": "Excel 工作簿（.xlsx）", "jsonl": "JSON Lines"}


def export_urls(args: Any) -> list[dict[str, str]]:
    """The download menu of a search page: one link per format, carrying the page's search state."""
    current = {k: v for k, v in state(args).items() if k != "per_page"}
    return [{"format": f, "label": LABELS[f], "url": url_for("exports.export_hits") + "?" + urlencode(
        {**current, "format": f})} for f in ("csv", "xlsx", "jsonl")]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"export_urls": export_urls}


def _chunks(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    return chain([] if first is None else [first], rest)


@bp.get("/api/export")
def export_hits() -> Response:
    fmt = (request.args.get("format") or "csv").strip()
    if fmt not in export.FORMATS:
        raise ApiError(f"format must be one of {', '.join(export.FORMATS)}")
    style = (request.args.get("style") or "2025").strip()
    if style not in STYLES:
        raise ApiError(f"style must be one of {', '.join(STYLES)}")
    params = parse_search(request.args, current_app.config["MAX_PER_PAGE"], current_app.config["DEFAULT_PER_PAGE"],
                          current_app.config["SYNONYMS"])
    service = api_service()
    limit = current_app.config["EXPORT_MAX_ROWS"]
    try:
        total = service.count_by(params, ()).total
        items = service.iter_hits(params, limit)
        needles = highlight_terms(params.q, params.mode, params.synonyms)
        records = export.rows(items, needles, current_app.config["BASE_URL"], style)
        first = next(records, None)  # evaluates the query now, so that an error is still a JSON error
    except QueryTooComplex as exc:
        raise ApiError(str(exc)) from exc
    except TimeoutError as exc:
        raise ApiError(str(exc), 503) from exc
    sent = min(total, limit)
    headers = {"X-Total-Count": str(total), "X-Export-Rows": str(sent),
               "X-Export-Truncated": str(total > limit).lower(),
               "Content-Disposition": f'attachment; filename="tzsearch-{time.strftime("%Y%m%d-%H%M%S")}.{fmt}"'}
    rows = _chunks(first, records)
    if fmt == "xlsx":
        return Response(_xlsx(rows), content_type=export.MEDIA_TYPES[fmt], headers=headers, direct_passthrough=True)
    text = export.csv_chunks(rows) if fmt == "csv" else export.jsonl_chunks(rows)
    body = (chunk.encode("utf-8") for chunk in text)
    return Response(stream_with_context(body), content_type=export.MEDIA_TYPES[fmt], headers=headers,
                    direct_passthrough=True)


def _xlsx(rows: Iterator[dict[str, Any]], chunk: int = 1 << 16) -> Iterator[bytes]:
    """Build the workbook in a temporary file (constant memory), stream it, remove it."""
    fd, name = tempfile.mkstemp(prefix="tzsearch-export-", suffix=".xlsx")
    os.close(fd)
    path = Path(name)
    try:
        export.write_xlsx(rows, path)
        with path.open("rb") as fh:
            while True:
                data = fh.read(chunk)
                if not data:
                    break
                yield data
    finally:
        path.unlink(missing_ok=True)
