"""One JSON error shape, from one helper: ``{"ok": false, "error": str, "status": int}``.

API routes raise :class:`ApiError` (or let Flask raise 404/405); the handlers registered here turn every
error under ``/api/`` into that shape with the matching HTTP status, and never leak a traceback.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.search.results import ErrorBody

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A client-visible error with its HTTP status."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}  # e.g. Retry-After


def json_error(message: str, status: int) -> tuple[Response, int]:
    """The one JSON error response (an :class:`~indexer.search.results.ErrorBody`)."""
    return jsonify(ErrorBody(error=message, status=status)), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        if _wants_json():
            response, _ = json_error(exc.message, exc.status)
        else:
            response = Response(render_template("error.html", message=exc.message, status=exc.status), exc.status,
                                mimetype="text/html")
        response.headers.update(exc.headers)
        return response, exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        message = exc.description or exc.name if status != 404 else "not found"
        if _wants_json():
            response, _ = json_error(message, status)
        else:
            response = Response(render_template("error.html", message=message, status=status), status,
                                mimetype="text/html")
        for name, value in exc.get_headers():  # Allow on 405, Retry-After, …
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return json_error("internal error", 500)
        return render_template("error.html", message="internal error", status=500), 500
