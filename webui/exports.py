"""Exports: ``/api/export?<search parameters>&format=csv|xlsx|jsonl&style=2025|2015`` — every hit, not a page.

The parameters are those of ``/api/search`` (``page`` and ``per_page`` are ignored); at most
``EXPORT_MAX_ROWS`` rows (default 1,000,000) are sent. Headers say what was sent: ``X-Total-Count`` (all
matches), ``X-Export-Rows`` and ``X-Export-Truncated``. CSV and JSON lines stream as they are read; XLSX is
built in a temporary file (XlsxWriter's constant-memory mode) and then streamed. The rows are made by
:mod:`indexer.search.export` from :meth:`~indexer.search.backend.SearchBackend.iter_hits`.

An export holds one of the process's ``EXPORT_SLOTS`` (default 1, always fewer than its request threads, so a
search never waits behind exports) from the request until its response is closed; when none is free the answer
is a 503 with ``Retry-After`` in the one error shape. A client that hangs up stops the work: a streamed format
stops at the next write (the server closes the generator), and every format looks every few rows whether
the client is still there (:func:`client_gone`: under gunicorn its socket shows the end of the stream; under
waitress, ``waitress.client_disconnected``), so an XLSX being built is abandoned and its temporary file
removed.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, request, url_for

from indexer.cite import STYLES
from indexer.search import export
from indexer.search.query import QueryTooComplex
from indexer.search.service import SearchParams, highlight_terms
from webui.display import bare
from webui.downloads import attachment, file_name, header_lang
from webui.errors import ApiError
from webui.params import parse_search
from webui.presenters import state
from webui.service import api_service

bp = Blueprint("exports", __name__)
LABELS = {"csv": "CSV（Excel）", "xlsx": "Excel 工作簿（.xlsx）", "jsonl": "JSON Lines"}
#: Seconds a client refused for want of a free export slot is told to wait (``Retry-After``).
RETRY_AFTER = 30
#: Rows between two looks at whether the client is still connected.
CHECK_EVERY = 64
_SLOTS = "tzsearch.export_slots"


def init_app(app: Flask) -> None:
    """Give the app its export slots (a process forked from it gets its own, all free)."""
    app.extensions[_SLOTS] = threading.BoundedSemaphore(max(1, app.config["EXPORT_SLOTS"]))


class _Slot:
    """One export slot held; :meth:`release` gives it back once, however often it is called."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots: threading.BoundedSemaphore | None = slots
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            slots, self._slots = self._slots, None
        if slots is not None:
            slots.release()


def _take_slot() -> _Slot:
    """One of the process's export slots (raises the 503 when exports are off or every slot is taken)."""
    if not current_app.config["EXPORT_SLOTS"]:
        raise ApiError("exports are turned off on this server (EXPORT_SLOTS=0)", 503)
    slots: threading.BoundedSemaphore = current_app.extensions[_SLOTS]
    if not slots.acquire(blocking=False):
        raise ApiError(f"the server is building as many exports as it can at once; try again in {RETRY_AFTER} "
                       "seconds", 503, {"Retry-After": str(RETRY_AFTER)})
    return _Slot(slots)


def client_gone(environ: dict[str, Any]) -> Callable[[], bool]:
    """A test of whether the client of this request has hung up: gunicorn hands the app the connection's
    socket (``gunicorn.socket``), whose read side shows the end of the stream without taking anything from it;
    waitress (reading one request ahead) says so itself. Where neither is known: never."""
    flag = environ.get("waitress.client_disconnected")
    if flag is not None:
        return flag
    sock = environ.get("gunicorn.socket")
    if sock is None:
        return lambda: False

    def gone() -> bool:
        try:
            return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except (BlockingIOError, InterruptedError):
            return False  # nothing to read: still connected
        except OSError:
            return True

    return gone


def _while_connected(rows: Iterator[dict[str, Any]], gone: Callable[[], bool], stopped: list[bool]
                     ) -> Iterator[dict[str, Any]]:
    """``rows`` until the client is gone (then ``stopped[0]`` is set)."""
    for n, row in enumerate(rows):
        if n % CHECK_EVERY == 0 and gone():
            stopped[0] = True
            return
        yield row


def export_urls(args: Any) -> list[dict[str, str]]:
    """The download menu of a search page: one link per format, carrying the page's search state."""
    current = {k: v for k, v in state(args).items() if k != "per_page"}
    return [{"format": f, "label": LABELS[f], "url": url_for("exports.export_hits") + "?" + urlencode(
        {**current, "format": f})} for f in ("csv", "xlsx", "jsonl")]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"export_urls": export_urls}


def export_name(params: SearchParams, fmt: str) -> str:
    """``检索_<query>_<province>_<time>.<fmt>``: a download named after what it holds."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = file_name("检索", bare(params.q), params.province, params.doctype, params.date_from, params.date_to,
                     stamp, ext=fmt)
    return attachment(name, f"tzsearch-{stamp}.{fmt}")


def _chunks(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    return chain([] if first is None else [first], rest)


@bp.get("/api/export")
def export_hits() -> Response:
    fmt = request.args.get("format", "csv")  # absent: the default; given (even empty): one of the choices
    if fmt not in export.FORMATS:
        raise ApiError(f"format must be one of {', '.join(export.FORMATS)}")
    style = request.args.get("style", "2025")
    if style not in STYLES:
        raise ApiError(f"style must be one of {', '.join(STYLES)}")
    params = parse_search(request.args, current_app.config["MAX_PER_PAGE"], current_app.config["DEFAULT_PER_PAGE"],
                          current_app.config["SYNONYMS"])
    lang = header_lang(request.args)
    service = api_service()
    slot = _take_slot()
    try:
        response = _response(service, params, fmt, style, slot, lang)
    except BaseException:
        slot.release()
        raise
    response.call_on_close(slot.release)  # a response the server does not iterate (HEAD) is closed all the same
    return response


def _response(service: Any, params: Any, fmt: str, style: str, slot: _Slot, lang: str) -> Response:
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
               "Content-Disposition": export_name(params, fmt)}
    stopped = [False]
    gone = client_gone(request.environ)
    rows = _while_connected(_chunks(first, records), gone, stopped)
    if fmt == "xlsx":
        body = _xlsx(rows, stopped, lang)
    else:
        body = (chunk.encode("utf-8") for chunk in (export.csv_chunks(rows, lang=lang) if fmt == "csv"
                                                     else export.jsonl_chunks(rows)))
    return Response(_Body(body, slot.release), content_type=export.MEDIA_TYPES[fmt], headers=headers,
                    direct_passthrough=True)


class _Body:
    """The response body: ``body``, then ``done()`` — when it ends, or when the server closes it (the client
    left), started or not. (A response passed through as is gets no ``call_on_close``: its iterable is what the
    server closes.)"""

    def __init__(self, body: Iterator[bytes], done: Callable[[], None]) -> None:
        self.body, self.done = body, done

    def __iter__(self) -> _Body:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self.body)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done()


def _xlsx(rows: Iterator[dict[str, Any]], stopped: list[bool], lang: str = "en", chunk: int = 1 << 16
          ) -> Iterator[bytes]:
    """Build the workbook in a temporary file (constant memory), stream it, remove it (nothing is sent when
    the client left while it was being built)."""
    fd, name = tempfile.mkstemp(prefix="tzsearch-export-", suffix=".xlsx")
    os.close(fd)
    path = Path(name)
    try:
        if export.write_xlsx(rows, path, lambda: stopped[0], lang) is None:
            return  # the client left: nothing to send
        with path.open("rb") as fh:
            while True:
                data = fh.read(chunk)
                if not data:
                    break
                yield data
    finally:
        path.unlink(missing_ok=True)
