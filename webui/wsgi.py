"""The site as a WSGI application for any server: the Flask app behind one small middleware for raw bytes.

Browsers percent-encode an address; ``curl 'http://…/api/search?q=统战'`` and some scripts send the UTF-8
bytes raw. A WSGI server hands such bytes on as Latin-1 characters (PEP 3333), and may percent-decode the path
a second time as if it were text (gunicorn builds ``PATH_INFO`` that way). :class:`RawBytes` looks at the
address exactly as sent (``RAW_URI`` or ``REQUEST_URI``) and, when it holds non-ASCII bytes:

* that are UTF-8: serves the request as if they had been percent-encoded — ``PATH_INFO`` decoded from the raw
  path once, ``QUERY_STRING`` with the bytes percent-encoded — so it is answered like its encoded form;
* that are not UTF-8: marks the request (``tzsearch.raw_bytes = "invalid"``), and the app refuses it in its
  own error shape (:func:`webui.params.refuse_raw_bytes`: JSON under ``/api/``, a page elsewhere).

``application(config)`` is what a server imports: ``gunicorn 'webui.wsgi:application()'`` serves the site
with the settings of the environment (:mod:`webui.settings`), as ``python -m webui`` does (:mod:`webui.server`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

RAW_BYTES = "tzsearch.raw_bytes"
_NON_ASCII = re.compile(rb"[\x80-\xff]")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _percent_encode(data: bytes) -> str:
    return _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], data).decode("ascii")


class RawBytes:
    """WSGI middleware: raw non-ASCII bytes in the address (see the module docstring)."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        sent = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
        if not sent.isascii():
            self._fix(environ, sent)
        return self.app(environ, start_response)

    @staticmethod
    def _fix(environ: dict[str, Any], sent: str) -> None:
        try:
            raw = sent.encode("latin-1")
        except UnicodeEncodeError:  # already text, not bytes as Latin-1: nothing a server sent raw
            return
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            environ[RAW_BYTES] = "invalid"
            return
        environ[RAW_BYTES] = "utf-8"
        path, _, query = raw.partition(b"#")[0].partition(b"?")
        if path.startswith(b"/") and not environ.get("SCRIPT_NAME"):
            environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1")
        environ["QUERY_STRING"] = _percent_encode(query)


def wrap(app: WSGIApp) -> WSGIApp:
    """``app`` behind the site's middleware."""
    return RawBytes(app)


def application(config: dict[str, Any] | None = None) -> WSGIApp:
    """The whole site as a WSGI application (settings layered as in :func:`webui.create_app`)."""
    from webui import create_app

    return wrap(create_app(config))
