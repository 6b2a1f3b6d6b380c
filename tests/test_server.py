"""The server as an operator runs it: ``python -m webui`` on 127.0.0.1 with gunicorn's worker processes.

Start-up refuses bad settings with a clear message; workers that die are restarted; SIGHUP replaces every
worker without a refused request; SIGTERM stops them all; killing the parent, even with SIGKILL, takes the
workers with it; addresses with raw bytes get the site's error shape (JSON under ``/api/``, an HTML page
elsewhere), never the server's plain-text 400 or a 500.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from live_server import ROOT, LiveServer, clean_env, process_gone, wait_for


def _start(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "webui", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("setting,value,says", [
    ("TZSEARCH_DEFAULT_PER_PAGE", "twenty", "DEFAULT_PER_PAGE from the environment must be int"),
    ("TZSEARCH_DEFAULT_PER_PAGE", "500", "DEFAULT_PER_PAGE must not be larger than MAX_PER_PAGE"),
    ("TZSEARCH_SEARCH_SECONDS", "0", "SEARCH_SECONDS from the environment must be greater than 0"),
    ("TZSEARCH_WORKERS", "many", "WORKERS from the environment must be int"),
    ("TZSEARCH_PORT", "70000", "PORT from the environment must be between 0 and 65535"),
    ("TZSEARCH_BASE_URL", "tz.example.org", "BASE_URL from the environment must start with http"),
    ("TZSEARCH_EXPORT_SLOTS", "4", "EXPORT_SLOTS (4) must be smaller than THREADS (4)"),
])
def test_a_bad_setting_stops_start_up_with_a_clear_message(tmp_path, setting, value, says) -> None:
    done = _start(["--index", str(tmp_path)], clean_env(**{setting: value}))
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert done.stderr.count("\n") == 1  # one line, not a log


def test_bad_flags_and_a_bad_config_file_are_refused_the_same_way(tmp_path) -> None:
    done = _start(["--workers", "0"], clean_env())
    assert done.returncode == 2 and "WORKERS from the command line must be between 1 and 64" in done.stderr
    cfg = tmp_path / "site.json"
    cfg.write_text(json.dumps({"MAX_PER_PAGE": "lots"}), encoding="utf-8")
    done = _start([], clean_env(TZSEARCH_CONFIG=str(cfg)))
    assert done.returncode == 2 and "MAX_PER_PAGE from config file site.json must be int" in done.stderr


def test_a_port_in_use_is_reported(corpus_index) -> None:
    with LiveServer(corpus_index[0], workers=1) as srv:
        done = _start(["--index", str(corpus_index[0]), "--port", str(srv.port)], clean_env())
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1:{srv.port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_workers_are_restarted_and_stop_with_the_server(corpus_index) -> None:
    with LiveServer(corpus_index[0], workers=2) as srv:
        first = srv.ready_pids()
        assert len(first) == 2 and os.getpid() not in first
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(srv.ready_pids()) == 2 and victim not in srv.ready_pids(), 30, "a new worker")
        assert f"worker {victim} ended" in srv.output() and f"(pid:{victim}) was sent SIGKILL" in srv.output()
        assert srv.get("/api/search?q=统一战线")[0] == 200
        workers = srv.ready_pids()
        assert srv.stop() == 0
    assert all(process_gone(pid) for pid in workers)


def test_sighup_replaces_every_worker_while_requests_keep_being_answered(corpus_index) -> None:
    with LiveServer(corpus_index[0], workers=2) as srv:
        old = srv.ready_pids()
        statuses: list[int] = []
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set() and len(statuses) < 5000:
                statuses.append(srv.get("/api/search?q=统一战线")[0])

        thread = threading.Thread(target=client)
        thread.start()
        try:
            assert srv.proc is not None
            srv.proc.send_signal(signal.SIGHUP)
            wait_for(lambda: len(srv.ready_pids() - old) == 2, 60, "two new workers")
            wait_for(lambda: all(process_gone(pid) for pid in old), 30, "the old workers to end")
        finally:
            stop.set()
            thread.join(30)
        assert statuses and set(statuses) == {200}, "no request refused during the reload"
        assert srv.get("/api/search?q=统一战线")[0] == 200
        assert srv.stop() == 0


def test_workers_die_with_the_parent_whatever_the_signal(corpus_index) -> None:
    for sig in (signal.SIGKILL, signal.SIGINT):
        with LiveServer(corpus_index[0], workers=2) as srv:
            workers = srv.ready_pids()
            assert srv.proc is not None
            srv.proc.send_signal(sig)
            srv.proc.wait(20)
            wait_for(lambda ws=workers: all(process_gone(pid) for pid in ws), 20, f"workers to end after {sig.name}")


@pytest.fixture(scope="module")
def server(corpus_index):
    with LiveServer(corpus_index[0], workers=2) as srv:
        yield srv


@pytest.mark.parametrize("target", [b"/api/search?q=\xff\xfe", b"/api/doc/\xff", b"/api/\xc0\xaf",
                                    b"/api/search?q=%E7%BB%9F&province=\xe4\xb8"])
def test_raw_bytes_that_are_not_utf8_get_the_json_error_shape(server, target) -> None:
    status, headers, body = server.raw(b"GET " + target + b" HTTP/1.1")
    assert status == 400 and headers["content-type"] == "application/json"
    error = json.loads(body)
    assert error["ok"] is False and error["status"] == 400 and "percent-encode" in error["error"]


@pytest.mark.parametrize("target", [b"/?q=\xff", b"/doc/\xff\xfe", b"/\xe4\xb8"])
def test_raw_bytes_outside_the_api_get_the_html_error_page(server, target) -> None:
    status, headers, body = server.raw(b"GET " + target + b" HTTP/1.1")
    assert status == 400 and headers["content-type"].startswith("text/html")
    assert "percent-encode" in body.decode("utf-8") and "<html" in body.decode("utf-8")


@pytest.mark.parametrize("target,kind", [(b"/api/search?q=%ff%fe", "application/json"),
                                         (b"/api/doc/%ED%A0%80", "application/json"),
                                         (b"/?q=%E7%BB%9F%ff&mode=exact", "text/html"), (b"/doc/%ff%fe", "text/html")])
def test_percent_encoded_bytes_that_are_not_utf8_get_the_same_400(server, target, kind) -> None:
    """As gunicorn hands them on (an ASCII request line, the path decoded to U+FFFD by Werkzeug otherwise)."""
    status, headers, body = server.raw(b"GET " + target + b" HTTP/1.1")
    assert status == 400 and headers["content-type"].startswith(kind)
    assert "percent-encode" in body.decode("utf-8")


def test_raw_utf8_is_read_like_its_percent_encoded_form(server) -> None:
    raw = server.raw("GET /api/search?q=统一战线 HTTP/1.1".encode())
    encoded = server.raw(b"GET /api/search?q=%E7%BB%9F%E4%B8%80%E6%88%98%E7%BA%BF HTTP/1.1")
    assert raw[0] == encoded[0] == 200
    assert json.loads(raw[2])["total"] == json.loads(encoded[2])["total"] > 0
    assert server.raw("GET /api/nothing/统 HTTP/1.1".encode())[0] == 404


#: The longest query the site takes (webui.params.MAX_QUERY), percent-encoded: 统 is 9 bytes, 𠀀 (CJK Extension B)
#: 12, with every filter set beside it; a request line gunicorn's default (4094 bytes) refused from 455 统 on.
LONGEST = [f"/api/search?q={q * 500}&mode={mode}&province=上海&city=常州&doctype=通知&source=统战部&collection=corpus"
           f"&issuer=中共中央统战部&docno=统发〔2020〕1号&from=2020-01-01&to=2021-12-31&sort=newest&per_page=100"
           for q, mode in (("统", "keyword"), ("𠀀", "exact"))]


def _answers_with_its_own_json(get: Callable[[str], tuple[int, dict[str, str], bytes]]) -> None:
    for path in LONGEST:
        status, headers, body = get(path)
        assert status == 200 and headers["content-type"] == "application/json", body[:200]
        assert len(json.loads(body)["query"]) == 500
    status, headers, body = get(LONGEST[0].replace("q=", "q=统", 1))  # one more: the site's own limit, in JSON
    assert status == 400 and json.loads(body)["error"] == "q is too long (501 characters; at most 500)"


def test_a_query_as_long_as_the_site_takes_reaches_the_site(server) -> None:
    """gunicorn reads request lines up to its maximum, so the site answers (not gunicorn's own HTML 400)."""
    _answers_with_its_own_json(server.get)


def test_the_site_answers_with_its_own_pages(server) -> None:
    status, headers, body = server.get("/?q=统一战线")
    assert status == 200 and "统一战线" in body.decode("utf-8")
    status, headers, _ = server.get("/api/stats")
    assert status == 200 and headers["content-type"] == "application/json"


def test_the_readme_documents_every_setting() -> None:
    from webui.settings import SETTINGS

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("`")[1]: line for line in section.splitlines() if line.startswith("| `TZSEARCH_")}
    assert set(rows) == {f"TZSEARCH_{s.name}" for s in SETTINGS}
    for s in SETTINGS:
        if s.name != "WORKERS" and s.default != "":
            assert f"`{s.default}`" in rows[f"TZSEARCH_{s.name}"], s.name
