"""Issue 11, item 4: the crawler against hostile or broken servers on 127.0.0.1, each fault reproduced.

Cut bodies (Content-Length and chunked), a page trickling a byte at a time (body and headers), an endless
body and a huge Content-Length, redirect loops and endless redirect chains, an off-site redirect to a host
whose robots.txt forbids everything, a redirect to a loopback address from a public-looking host (a fake
resolver gives it 127.0.0.1), pagination traps, and runs stopped by Ctrl-C, SIGTERM and an error. Every
route is bounded in bytes and time; every crawl is bounded by its limits and by the test's own timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from crawl_site import HTML, Site, list_page, make_crawler, redirect, seed_page
from whoosh import index as whoosh_index

from indexer.crawl import crawler as crawl_loop
from indexer.crawl.fetch import AddressPolicy, Fetcher, address_refusal
from indexer.crawl.state import CrawlState
from indexer.search.results import to_json
from indexer.search.service import SearchParams, SearchService


def stored_docs(index_dir: Path) -> dict[str, dict]:
    """doc_id → the stored record of its first section, its document metadata (``meta``) merged in."""
    ix = whoosh_index.open_dir(str(index_dir))
    try:
        with ix.searcher() as s:
            out: dict[str, dict] = {}
            for fields in s.reader().all_stored_fields():
                out.setdefault(fields["doc_id"], {**fields, **(fields.get("meta") or {})})
            return out
    finally:
        ix.close()


def hits(index_dir: Path, q: str) -> list[dict]:
    svc = SearchService(index_dir)
    try:
        return to_json(svc.search(SearchParams(q=q, per_page=100)))["hits"]
    finally:
        svc.close()


# -- misbehaving routes (each bounded) ------------------------------------------------------------------

def cut_body(handler) -> int:
    """Promises 20,000 bytes, sends 3,000, closes."""
    handler.send_response(200)
    handler.send_header("Content-Type", HTML)
    handler.send_header("Content-Length", "20000")
    handler.end_headers()
    handler.wfile.write((seed_page("截断的页面") * 5)[:3000])
    handler.close_connection = True
    return 200


def cut_chunked(handler) -> int:
    """A chunked body whose connection closes in the middle of a chunk."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"1000\r\n" + seed_page("分块截断")[:1500])
    handler.close_connection = True
    return 200


def trickle(site: Site, headers_too: bool = False):
    """A byte every 0.15 s (at most 400 bytes, and never past the site's closing)."""
    def route(handler) -> int:
        head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 400\r\n\r\n"
        if not headers_too:
            handler.wfile.write(head)
            handler.wfile.flush()
        for byte in ((head if headers_too else b"") + b"<html>" + b"x" * 394)[:400]:
            if site.stopping.wait(0.15):
                break
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        return 200
    return route


def endless(site: Site, path: str):
    """A body with no length, 64 KiB at a time, until the client goes (at most 256 MiB)."""
    def route(handler) -> int:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>")
        chunk = "<p>无尽的页面</p>".encode() * 3000
        site.sent[path] = 0
        while site.sent[path] < 256 * 2**20 and not site.stopping.is_set():
            handler.wfile.write(chunk)
            site.sent[path] += len(chunk)
        return 200
    return route


def huge_length(handler) -> int:
    handler.send_response(200)
    handler.send_header("Content-Type", HTML)
    handler.send_header("Content-Length", str(10**10))
    handler.end_headers()
    handler.wfile.write(b"<html>" + b"x" * 10000)
    return 200


def hop_forever(handler) -> int:
    n = int(handler.path.rsplit("=", 1)[1]) if "=" in handler.path else 0
    return redirect(f"/news/hop?n={n + 1}")(handler)


def _send_page(handler, body: bytes) -> int:
    handler.send_response(200)
    handler.send_header("Content-Type", HTML)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return 200


def trap_page(handler) -> int:
    """Page n of an endless list: one article link and 下一页 to page n+1."""
    n = int(handler.path.rsplit("=", 1)[1])
    body = list_page([(f"/news/list?page={n + 1}", "下一页"), (f"/news/list?page={n + 1}", f"{n + 1}")])
    return _send_page(handler, body)


def calendar_page(handler) -> int:
    """An endless chain of pages that do not look like pagination (a calendar's 更多)."""
    n = int(handler.path.rsplit("/", 1)[1].split(".")[0])
    body = list_page([(f"/news/cal/{n + 1}.html", f"更多活动安排第{n + 1}期")])
    return _send_page(handler, body)


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def site_b():
    s = Site()
    yield s
    s.close()


def reasons(summary) -> dict[str, str]:
    return dict(summary.skipped)


# -- cut, slow and endless responses ----------------------------------------------------------------------

def test_truncated_responses_are_skips_and_the_batch_is_kept(site, tmp_path) -> None:
    site.routes = {"/news/cut.html": cut_body, "/news/cut-chunked.html": cut_chunked}
    site.pages = {
        "/news/index.html": (list_page([("a1.html", "一"), ("cut.html", "截断"), ("cut-chunked.html", "分块"),
                                        ("a2.html", "二")]), HTML),
        "/news/a1.html": (seed_page("截断之前的页面甲"), HTML),
        "/news/a2.html": (seed_page("截断之后的页面乙"), HTML),
    }
    summary = make_crawler(tmp_path, batch=50).run([site.url + "/news/index.html"])
    why = reasons(summary)
    assert why[site.url + "/news/cut.html"].startswith("truncated: connection closed after 3000 bytes")
    assert why[site.url + "/news/cut-chunked.html"].startswith("truncated")
    assert len(site.requests("/news/cut.html")) == 2, "retried once, then skipped"
    assert summary.new == 2 and summary.stopped == "done" and summary.state_saved
    assert len(hits(tmp_path / "index", '"截断之前的页面甲"')) == 1, "the batch written before the cut page is kept"
    assert len(hits(tmp_path / "index", '"截断之后的页面乙"')) == 1, "and the crawl went on"


def test_trickling_page_is_cut_at_the_total_time_limit(site, tmp_path) -> None:
    site.routes = {"/news/trickle.html": trickle(site), "/news/trickle-head.html": trickle(site, headers_too=True)}
    site.pages = {"/news/index.html": (list_page([("trickle.html", "慢一"), ("trickle-head.html", "慢二")]), HTML)}
    started = time.monotonic()
    summary = make_crawler(tmp_path, timeout=0.5, max_time=1.0).run([site.url + "/news/index.html"])
    elapsed = time.monotonic() - started
    why = reasons(summary)
    assert why[site.url + "/news/trickle.html"].startswith("too slow: not complete after 1 s")
    assert why[site.url + "/news/trickle-head.html"].startswith("too slow")
    assert len(site.requests("/news/trickle.html")) == 1, "a page over the time limit is not retried"
    assert elapsed < 4.0, f"each trickle is cut at 1 s (the whole crawl took {elapsed:.1f} s)"


def test_endless_body_is_cut_at_the_byte_cap_without_reading_it(site, tmp_path) -> None:
    site.routes = {"/news/endless.html": endless(site, "endless"), "/news/huge.html": huge_length}
    site.pages = {"/news/index.html": (list_page([("endless.html", "无尽"), ("huge.html", "巨大")]), HTML)}
    started = time.monotonic()
    summary = make_crawler(tmp_path, max_bytes=200_000).run([site.url + "/news/index.html"])
    why = reasons(summary)
    assert why[site.url + "/news/endless.html"] == "too large: more than 200000 bytes"
    assert why[site.url + "/news/huge.html"] == "too large: Content-Length 10000000000 bytes (limit 200000)"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(site.requests("/news/endless.html")) < 1:
        time.sleep(0.05)  # the server notices the closed connection
    assert site.sent["endless"] < 32 * 2**20, "the client stopped reading at the cap (the rest is socket buffers)"
    assert time.monotonic() - started < 8


# -- redirects ----------------------------------------------------------------------------------------------

def test_redirect_loops_and_chains_end_and_hops_are_spaced(site, tmp_path) -> None:
    site.routes = {"/news/loop1.html": redirect("loop2.html"), "/news/loop2.html": redirect("loop1.html"),
                   "/news/hop": hop_forever, "/news/moved.html": redirect("/news/a1.html", 301)}
    site.pages = {
        "/news/index.html": (list_page([("loop1.html", "环"), ("hop?n=0", "链"), ("moved.html", "已迁移")]), HTML),
        "/news/a1.html": (seed_page("迁移后的页面"), HTML),
    }
    summary = make_crawler(tmp_path, delay=0.2).run([site.url + "/news/index.html"])
    why = reasons(summary)
    assert why[site.url + "/news/loop1.html"].startswith("redirect loop:")
    assert why[site.url + "/news/hop?n=0"] == "too many redirects (more than 5)"
    assert len([p for p in site.paths() if p.startswith("/news/hop")]) == 6
    moved = [r[0] for r in site.log if r[1] in ("/news/moved.html", "/news/a1.html")]
    assert len(moved) == 2 and moved[1] - moved[0] >= 0.18, "a redirect hop waits the delay like any request"
    times = sorted(r[0] for r in site.log)
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.18
    assert [h["doc_id"] for h in hits(tmp_path / "index", '"迁移后的页面"')] == [site.url + "/news/a1.html"]


def test_offsite_redirect_obeys_the_scope_and_that_hosts_robots(site, site_b, tmp_path) -> None:
    third = Site()
    try:
        site.routes = {"/news/go.html": redirect(site_b.url + "/news/secret.html"),
                       "/news/away.html": redirect(third.url + "/news/x.html")}
        site.pages = {"/news/index.html": (list_page([("go.html", "外站一"), ("away.html", "外站二")]), HTML)}
        site_b.pages = {"/robots.txt": (b"User-agent: *\nDisallow: /\n", "text/plain"),
                        "/news/index.html": (list_page([("secret.html", "内部")]), HTML),
                        "/news/secret.html": (seed_page("内部资料不得收录"), HTML)}
        third.pages = {"/news/x.html": (seed_page("第三个站点"), HTML)}
        crawler = make_crawler(tmp_path)
        summary = crawler.run([site.url + "/news/index.html", site_b.url + "/news/index.html"])
    finally:
        third.close()
    why = reasons(summary)
    assert why[site.url + "/news/go.html"] == f"redirect to {site_b.url}/news/secret.html: forbidden by robots.txt"
    assert why[site.url + "/news/away.html"] == f"redirect to {third.url}/news/x.html: out of the crawl's scope"
    assert site_b.paths() == ["/robots.txt"], "only its robots.txt was read"
    assert third.log == [], "an out-of-scope host is not even asked for robots.txt"
    assert stored_docs(tmp_path / "index") == {}, "nothing from the forbidden host (nor anything else) is indexed"


class FakeDNS(AddressPolicy):
    """news.example.test is a public site that happens to live on 127.0.0.1; intranet.example.test is 10.0.0.7."""

    NAMES = {"news.example.test": "127.0.0.1", "intranet.example.test": "10.0.0.7"}

    def resolve(self, host: str, port: int) -> list[str]:
        return [self.NAMES.get(host, host)]

    def refusal(self, host: str, ip: str) -> str | None:
        return None if host == "news.example.test" else super().refusal(host, ip)


def test_redirect_to_a_loopback_address_is_refused_unless_the_crawl_started_there(site, site_b, tmp_path) -> None:
    public = f"http://news.example.test:{site.port}"
    site.routes = {"/news/go.html": redirect(site_b.url + "/news/secret.html")}
    site.pages = {"/news/index.html": (list_page([("go.html", "内网一")]), HTML)}
    site_b.pages = {"/news/index.html": (list_page([("b.html", "本站")]), HTML),
                    "/news/b.html": (seed_page("内网站点自己的页面"), HTML),
                    "/news/secret.html": (seed_page("内网机密"), HTML)}
    crawler = make_crawler(tmp_path, policy=FakeDNS())
    summary = crawler.run([public + "/news/index.html", site_b.url + "/news/index.html"])
    why = reasons(summary)
    assert why[public + "/news/go.html"].startswith(f"redirect to {site_b.url}/news/secret.html: refused: 127.0.0.1 "
                                                    "is at a loopback address")
    assert "/news/secret.html" not in site_b.paths()
    assert "/news/b.html" in site_b.paths(), "a crawl started on a loopback address may stay there"
    assert "/news/index.html" in site.paths(), "the public-looking name reached the server it resolved to"
    assert hits(tmp_path / "index", '"内网机密"') == []


def test_address_policy() -> None:
    for ip in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "::1", "fe80::1",
               "fc00::1", "0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1", "224.0.0.1"):
        assert address_refusal(ip), ip
    for ip in ("8.8.8.8", "114.114.114.114", "2400:3200::1"):
        assert address_refusal(ip) is None, ip
    fetcher = Fetcher("ua", delay=0, policy=FakeDNS(), retries=0)
    resp = fetcher.get("http://intranet.example.test/x.html")
    assert resp.status == 0 and resp.error and "private address 10.0.0.7" in resp.error, "refused before connecting"


# -- traps and budgets --------------------------------------------------------------------------------------

def test_pagination_trap_ends_at_the_depth_limit(site, tmp_path) -> None:
    site.routes = {"/news/list": trap_page}
    summary = make_crawler(tmp_path, delay=0.01, max_list_depth=4).run([site.url + "/news/list?page=0"])
    assert [p for p in site.paths() if p.startswith("/news/list")] == [f"/news/list?page={n}" for n in range(5)]
    assert summary.stopped == "done" and summary.limited["list pages deeper than 4"] == 1


def test_default_page_budget_ends_a_crawl_without_max_pages(site, tmp_path, monkeypatch, capsys) -> None:
    from indexer.cli.main import main

    site.routes = {f"/news/cal/{n}.html": calendar_page for n in range(200)}
    monkeypatch.setattr(crawl_loop, "DEFAULT_MAX_PAGES", 6)
    code = main(["crawl", site.url + "/news/cal/0.html", "--index", str(tmp_path / "index"), "--delay", "0.01",
                 "--timeout", "1", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["fetched"] == 6 and out["stopped"].startswith("page budget reached (6 URLs")
    assert out["limited"] == {"page budget (left queued)": 1} and out["state_saved"]
    state = json.loads((tmp_path / "index" / "crawl-state.json").read_text())
    assert [t["url"] for t in state["run"]["queue"]] == [site.url + "/news/cal/6.html"], "the next run goes on there"


# -- however the run ends: batch written, state saved, summary given ----------------------------------------

def article_site(site: Site, n: int = 6) -> None:
    site.pages = {"/news/index.html": (list_page([(f"a{k}.html", f"文章{k}") for k in range(n)]), HTML)}
    for k in range(n):
        site.pages[f"/news/a{k}.html"] = (seed_page(f"第{k}篇独有措辞"), HTML)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError, "told"])
def test_a_stopped_run_writes_its_batch_and_saves_its_state(site, tmp_path, stop) -> None:
    """Stopped by Ctrl-C, by an error, or told to stop by a signal handler whose KeyboardInterrupt Python
    ignored (it landed in a weak reference's callback): the same batch written and the same state saved."""
    article_site(site)
    seen: list[str] = []

    def progress(summary, url: str) -> None:
        seen.append(url)
        if len(seen) == 4:
            if stop == "told":
                crawler.interrupt.set()
            else:
                raise stop("stop here")

    crawler = make_crawler(tmp_path, delay=0.01, batch=50, progress=progress)
    if stop is not RuntimeError:
        summary = crawler.run([site.url + "/news/index.html"])
        assert summary.stopped == "interrupted"
    else:
        with pytest.raises(RuntimeError):
            crawler.run([site.url + "/news/index.html"])
        assert crawler.summary.stopped == "error: RuntimeError: stop here"
    assert crawler.summary.state_saved and crawler.summary.new == 3
    assert {h["doc_id"].rsplit("/", 1)[1] for h in hits(tmp_path / "index", "")} == {"a0.html", "a1.html", "a2.html"}
    state = CrawlState(tmp_path / "state.json")
    assert state.run is not None and len(state.run.queue) == 3
    site.log.clear()
    again = make_crawler(tmp_path, delay=0.01).run([site.url + "/news/index.html"])
    fetched = sorted(p for p in site.paths() if p != "/robots.txt")
    assert fetched == ["/news/a3.html", "/news/a4.html", "/news/a5.html"], "resumed, nothing refetched"
    assert again.new == 3 and CrawlState(tmp_path / "state.json").run is None


def test_sigterm_ends_the_crawl_with_its_summary_and_state(site, tmp_path) -> None:
    article_site(site, 12)
    state_file = tmp_path / "state.json"
    args = [sys.executable, "-m", "indexer", "crawl", site.url + "/news/index.html", "--index",
            str(tmp_path / "index"), "--state", str(state_file), "--delay", "0.3", "--batch", "50", "--timeout", "1"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(site.log) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert out.startswith("fetched ") and "stopped: interrupted" in out
    state = json.loads(state_file.read_text())
    assert state["run"]["queue"] and len(state["pages"]) >= 3, "the pending batch was written and the state saved"
    assert os.path.isdir(tmp_path / "index")


def test_https_goes_to_the_checked_address_and_verifies_the_site_name(tmp_path) -> None:
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is not installed (it makes the test's certificate)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=news.example.test", "-addext", "subjectAltName=DNS:news.example.test"],
                   check=True, capture_output=True, timeout=30)
    site = Site()
    try:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
        site.pages = {"/news/%E8%B7%AF%E5%BE%84.html": (b"<html>ok</html>", HTML)}
        fetcher = Fetcher("ua", delay=0, retries=0, timeout=2, policy=FakeDNS())
        url = f"https://news.example.test:{site.port}/news/路径.html"
        assert fetcher.get(url).error == "TLS error: self-signed certificate"
        fetcher.tls = ssl.create_default_context(cafile=str(cert))
        resp = fetcher.get(url)
        assert (resp.status, resp.body) == (200, b"<html>ok</html>")
        assert site.paths()[-1] == "/news/%E8%B7%AF%E5%BE%84.html", "a non-ASCII path is sent percent-encoded"
    finally:
        site.close()
