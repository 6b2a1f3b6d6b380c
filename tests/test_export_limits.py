"""Exports cannot take a server down: few at once per process (the rest get a 503 with Retry-After in the one
error shape), a search never waits behind them, and a client that hangs up stops the work.

The site runs in this process on waitress as ``python -m webui`` runs it (:func:`webui.server.make_server`),
over the shipped corpus, with the search backend wrapped so that an export's rows can be counted, made
endless (bounded by ``CAP``) or held until the test lets them go.
"""

from __future__ import annotations

import http.client
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from live_server import stop_in_process, wait_for
from web_fixtures import Wrapped, wrapped_app

from webui.server import bind, make_server

CAP = 3_000_000  # rows an endless export makes at most (the bound of every loop here)


class Endless(Wrapped):
    """The real backend, but ``iter_hits`` repeats its rows up to ``CAP`` (counting them) after ``release``."""

    def __init__(self, real: Any) -> None:
        super().__init__(real)
        self.produced = 0
        self.cap = CAP
        self.started = threading.Event()
        self.release = threading.Event()

    def iter_hits(self, params: Any, limit: int) -> Iterator[Any]:
        items = list(self.real.iter_hits(params, 20))
        self.started.set()
        assert self.release.wait(30), "the test never let the export go"
        for n in range(self.cap):
            self.produced += 1
            yield items[n % len(items)]


@contextmanager
def site(corpus_index, **config: Any) -> Iterator[tuple[int, Endless]]:
    app = wrapped_app(corpus_index[0], Endless, THREADS=4, TESTING=False, **config)
    backend: Endless = app.extensions["tzsearch"]
    sock = bind("127.0.0.1", 0)
    server = make_server(app, sock, 4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], backend
    finally:
        backend.release.set()
        stop_in_process(server, thread)


def get(port: int, path: str, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


EXPORT = "/api/export?q=%E7%BB%9F%E6%88%98&format="


def test_exports_beyond_the_slots_get_503_and_a_search_does_not_wait(corpus_index) -> None:
    with site(corpus_index, EXPORT_SLOTS=1) as (port, backend):
        backend.cap = 2000
        held: list[Any] = []
        first = threading.Thread(target=lambda: held.append(get(port, EXPORT + "csv", 60)), daemon=True)
        first.start()
        wait_for(backend.started.is_set, 20, "the first export to start")
        others: list[tuple[int, dict[str, str], bytes]] = []
        threads = [threading.Thread(target=lambda: others.append(get(port, EXPORT + "xlsx")), daemon=True)
                   for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(others) == 6 and {status for status, _, _ in others} == {503}, [o[0] for o in others]
        for _, headers, body in others:
            assert int(headers["Retry-After"]) > 0
            error = json.loads(body)
            assert error["ok"] is False and error["status"] == 503 and "exports" in error["error"]
        start = time.monotonic()
        status, _, body = get(port, "/api/search?q=%E7%BB%9F%E6%88%98", timeout=20)
        assert status == 200 and json.loads(body)["total"] > 0
        assert not backend.release.is_set(), "the search was answered while the export still held its slot"
        searched = time.monotonic() - start
        backend.release.set()  # the held export now runs to its end
        first.join(60)
        assert held and held[0][0] == 200 and held[0][1]["X-Export-Rows"]
        status, _, _ = get(port, "/api/stats")
        assert status == 200 and searched < 20


def _hang_up_during(port: int, fmt: str, backend: Endless, read: int) -> None:
    conn = socket.create_connection(("127.0.0.1", port), timeout=20)
    conn.sendall(f"GET {EXPORT}{fmt} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    wait_for(backend.started.is_set, 20, "the export to start")
    backend.release.set()
    if read:
        assert conn.recv(read)
    wait_for(lambda: backend.produced > 2000, 60, "rows to be made")  # a client that reads nothing stops a CSV at the buffers
    conn.close()


def _settled(backend: Endless) -> int:
    """The row count once it stops growing (bounded wait)."""
    last = -1
    for _ in range(40):
        now = backend.produced
        if now == last:
            return now
        last = now
        time.sleep(0.5)
    raise AssertionError(f"the export went on after the client left ({backend.produced} rows)")


def _slot_is_free(port: int, backend: Endless, seconds: float = 20.0) -> None:
    """The next export gets the slot within ``seconds`` (the hung-up one notices at its next write; on a busy
    machine that can take a moment, so a 503 is asked again until then); its response starts, then the test
    hangs up."""
    def export_starts() -> bool:
        backend.started.clear()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request("GET", EXPORT + "jsonl")
            response = conn.getresponse()
            if response.status == 503:  # the slot is still held
                response.read()
                return False
            assert response.status == 200, response.read()
            assert backend.started.is_set()
            return True
        finally:
            conn.close()

    wait_for(export_starts, seconds, "the export slot to be free", step=0.2)


@pytest.mark.parametrize("fmt,read", [("xlsx", 0), ("csv", 4096)])
def test_a_client_that_hangs_up_stops_the_export(corpus_index, tmp_path, monkeypatch, fmt, read) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the XLSX is built
    with site(corpus_index, EXPORT_SLOTS=1) as (port, backend):
        _hang_up_during(port, fmt, backend, read)
        rows = _settled(backend)
        assert rows < CAP
        wait_for(lambda: not list(tmp_path.glob("tzsearch-export-*")), 30, "the half-built workbook to be removed")
        _slot_is_free(port, backend)


def test_a_client_that_hangs_up_before_the_first_byte_frees_the_slot(corpus_index) -> None:
    with site(corpus_index, EXPORT_SLOTS=1) as (port, backend):
        backend.cap = 100
        conn = socket.create_connection(("127.0.0.1", port), timeout=20)
        conn.sendall(f"GET {EXPORT}csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        wait_for(backend.started.is_set, 20, "the export to start")
        conn.close()  # while the export is still evaluating its query: the response never starts
        time.sleep(0.2)
        backend.release.set()
        _slot_is_free(port, backend)


def test_a_head_request_frees_its_slot(corpus_index) -> None:
    app = wrapped_app(corpus_index[0], Endless, EXPORT_SLOTS=1)
    app.extensions["tzsearch"].release.set()
    app.extensions["tzsearch"].cap = 10
    client = app.test_client()
    for _ in range(3):
        r = client.head(EXPORT + "csv")
        assert r.status_code == 200 and r.headers["X-Export-Rows"]
        r.close()


def test_a_client_that_hangs_up_is_seen_through_gunicorns_socket() -> None:
    """Under gunicorn (the server of ``python -m webui``) the app is handed the connection's socket: its end
    of stream is the client gone; bytes waiting (a next request) are not."""
    import socket

    from webui.exports import client_gone

    ours, theirs = socket.socketpair()
    try:
        gone = client_gone({"gunicorn.socket": ours})
        assert not gone()
        theirs.sendall(b"GET / HTTP/1.1\r\n")  # a pipelined request: still there
        assert not gone()
        theirs.close()
        ours.recv(64)
        assert gone()
    finally:
        ours.close()
    assert not client_gone({})()
