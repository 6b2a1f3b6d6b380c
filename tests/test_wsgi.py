"""The WSGI middleware for raw bytes in addresses (webui/wsgi.py), on environs as a server builds them.

gunicorn hands raw bytes on as Latin-1 characters in ``RAW_URI`` and ``QUERY_STRING`` and decodes the path a
second time as if it were text; the middleware makes raw UTF-8 read like its percent-encoded form and marks
other bytes, which the app refuses in its own error shape. The live-server tests (tests/test_server.py) send
the same bytes over a socket.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import pytest

from webui import create_app
from webui.wsgi import RAW_BYTES, RawBytes, application


def environ_as_sent(target: bytes) -> dict[str, Any]:
    """The environ gunicorn builds for a request line holding ``target`` as raw bytes."""
    path, _, query = target.partition(b"?")
    as_text = path.decode("latin-1")
    return {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": None,
            "RAW_URI": target.decode("latin-1"), "QUERY_STRING": query.decode("latin-1"),
            "PATH_INFO": unquote_to_bytes(as_text).decode("latin-1")}  # decoded as text: UTF-8 of Latin-1


def seen_by_app(target: bytes) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return []

    RawBytes(app)(environ_as_sent(target), lambda *a: None)
    return seen


def test_raw_utf8_in_the_query_is_read_as_if_percent_encoded() -> None:
    env = seen_by_app("/api/search?q=统一战线&province=上海".encode())
    assert env["QUERY_STRING"] == "q=" + quote("统一战线") + "&province=" + quote("上海")
    assert env[RAW_BYTES] == "utf-8"


def test_raw_utf8_in_the_path_is_decoded_once() -> None:
    env = seen_by_app("/doc/reports/统战%20工作.txt".encode())
    assert env["PATH_INFO"].encode("latin-1").decode("utf-8") == "/doc/reports/统战 工作.txt"


@pytest.mark.parametrize("target", [b"/api/search?q=%E7%BB%9F", b"/doc/a%2Fb", b"/"])
def test_ascii_addresses_are_left_as_the_server_made_them(target) -> None:
    before = environ_as_sent(target)
    env = seen_by_app(target)
    assert {k: env[k] for k in before} == before and RAW_BYTES not in env


def test_bytes_that_are_not_utf8_are_marked_and_refused_in_the_sites_error_shape() -> None:
    env = seen_by_app(b"/api/search?q=\xff\xfe")
    assert env[RAW_BYTES] == "invalid"
    statuses: list[str] = []
    body = b"".join(RawBytes(create_app({"TESTING": True}))(environ_as_sent(b"/api/search?q=\xff\xfe"),
                                                            lambda status, headers, *a: statuses.append(status)))
    assert statuses[0].startswith("400")
    error = json.loads(body)
    assert error["ok"] is False and "percent-encode" in error["error"]


def test_the_wsgi_entry_point_serves_the_site(tmp_path) -> None:
    statuses: list[str] = []
    app = application({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True})
    body = b"".join(app(environ_as_sent("/api/search?q=统战".encode()), lambda s, h, *a: statuses.append(s)))
    assert statuses[0].startswith("503") and json.loads(body)["ok"] is False  # no index there yet: 503, not 500
