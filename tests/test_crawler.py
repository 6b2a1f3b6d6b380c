"""The crawler against a local site on 127.0.0.1: robots, spacing, scope, coverage, 304s, updates, resume.

The site serves real pages from tests/data (a 共产党员网 article, a GB2312 Xinhua page, a seed document) and
list pages with pagination, a robots.txt that forbids a path, an off-site link, a PDF attachment, a page that
times out and one that answers 500. No request leaves this machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from crawl_site import HTML, Site, list_page, make_crawler, seed_page

from indexer.crawl.state import CrawlState
from indexer.search.results import to_json
from indexer.search.service import SearchParams, SearchService


def slow(handler) -> int:
    time.sleep(2.5)
    return ok(handler, seed_page("慢"))


def ok(handler, body: bytes) -> int:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return 200


def broken(handler) -> int:
    handler.send_response(500)
    handler.end_headers()
    return 500


@pytest.fixture
def site():
    s = Site()
    s.routes = {"/news/slow.html": slow, "/news/broken.html": broken}
    s.pages = {
        "/robots.txt": (b"User-agent: *\nDisallow: /news/private/\nCrawl-delay: 0.3\n", "text/plain"),
        "/news/index.html": (list_page([("a1.html", "习近平同中外记者见面"), ("a2.html", "常州统战"),
                                        ("private/secret.html", "内部"), ("http://offsite.invalid/x.html", "外站"),
                                        ("files/report.pdf", "附件下载"), ("index_1.html", "下一页"),
                                        ("javascript:void(0)", "打印"), ("/other/outside.html", "站内其他栏目")]), HTML),
        "/news/index_1.html": (list_page([("a3.html", "河北新闻"), ("slow.html", "慢"), ("broken.html", "坏"),
                                          ("index.html", "上一页")]), HTML),
        "/news/a1.html": ((DATA / "pages" / "12371_ARTI1508921834409967.shtml").read_bytes(), HTML),
        "/news/a2.html": (seed_page("第一版独有措辞甲乙丙"), HTML),
        "/news/a3.html": ((DATA / "encodings" / "he_xinhuanet_gb2312.html").read_bytes(), "text/html"),
        "/news/private/secret.html": (seed_page("不该抓取"), HTML),
        "/news/files/report.pdf": (b"%PDF-1.4", "application/pdf"),
        "/other/outside.html": (seed_page("栏目之外"), HTML),
    }
    yield s
    s.close()


def crawl(site: Site, tmp_path: Path, **kw) -> tuple[object, CrawlState]:
    crawler = make_crawler(tmp_path, delay=kw.pop("delay", 0.1), max_time=10.0, **kw)
    return crawler.run([site.url + "/news/index.html"]), crawler.state


def hits(tmp_path: Path, q: str) -> list[dict]:
    svc = SearchService(tmp_path / "index")
    try:
        return to_json(svc.search(SearchParams(q=q, per_page=100)))["hits"]
    finally:
        svc.close()


def test_first_crawl(site, tmp_path) -> None:
    summary, state = crawl(site, tmp_path)
    paths = [r[1] for r in site.log]
    assert paths[0] == "/robots.txt"
    assert not site.requests("/news/private/secret.html"), "robots.txt forbids it"
    assert not site.requests("/news/files/report.pdf") and not site.requests("/other/outside.html")
    assert {"/news/a1.html", "/news/a2.html", "/news/a3.html", "/news/index_1.html"} <= set(paths)
    assert summary.new == 3 and summary.list_pages == 2
    reasons = dict(summary.skipped)
    assert "HTTP 500" in reasons[site.url + "/news/broken.html"]
    assert "network error" in reasons[site.url + "/news/slow.html"]
    assert len(site.requests("/news/broken.html")) == 2  # one retry, then skipped
    times = sorted(r[0] for r in site.log)
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.25, "Crawl-delay 0.3 from robots.txt (not the 0.1 s default)"
    index_page = state.pages[site.url + "/news/index.html"]
    assert site.url + "/news/files/report.pdf" in index_page["attachments"]
    found = hits(tmp_path, '"第一版独有措辞"')
    assert len(found) == 1 and found[0]["doc_id"] == site.url + "/news/a2.html" and found[0]["fetched"]
    gb = hits(tmp_path, "河北")
    assert any(h["doc_id"].endswith("/news/a3.html") for h in gb), "the GB2312 page was decoded and indexed"


def test_recrawl_is_conditional_and_picks_up_changes(site, tmp_path) -> None:
    crawl(site, tmp_path)
    site.log.clear()
    site.pages["/news/a2.html"] = (seed_page("第二版独有措辞丁戊己"), "text/html; charset=utf-8")
    summary, _ = crawl(site, tmp_path)
    a1 = site.requests("/news/a1.html")
    assert a1 and a1[-1][2] and a1[-1][3] == 304, "a conditional request answered 304"
    assert summary.updated == 1 and summary.new == 0 and summary.unchanged >= 3
    assert hits(tmp_path, '"第一版独有措辞"') == []
    assert len(hits(tmp_path, '"第二版独有措辞"')) == 1
    sections = hits(tmp_path, '"大战大考彰显担当作为"')
    assert len(sections) == 1, "no stale or duplicate sections after the update"


def test_max_pages_and_exclude(site, tmp_path) -> None:
    summary, _ = crawl(site, tmp_path, max_pages=2, exclude=r"a1\.html")
    assert summary.fetched == 2
    assert not site.requests("/news/a1.html")


def test_resume_after_kill(site, tmp_path) -> None:
    state_file = tmp_path / "state.json"
    site.pages["/robots.txt"] = (b"User-agent: *\nDisallow: /news/private/\n", "text/plain")
    args = [sys.executable, "-m", "indexer", "crawl", site.url + "/news/index.html", "--index", str(tmp_path / "index"),
            "--state", str(state_file), "--delay", "0.6", "--batch", "1", "--timeout", "1", "--retries", "0"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if state_file.exists() and len(json.loads(state_file.read_text())["pages"]) >= 3:
            break
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = set(json.loads(state_file.read_text())["pages"])
    assert 3 <= len(done_before) < 7, "killed part-way"
    site.log.clear()
    proc = subprocess.run(args + ["--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    again = {site.url + r[1] for r in site.log}
    assert not (again & done_before), "pages finished before the kill were not fetched again"
    for name in ("a1", "a2", "a3"):
        assert sum(h["doc_id"].endswith(f"/news/{name}.html") for h in hits(tmp_path, "")) >= 1
    assert len(hits(tmp_path, '"第一版独有措辞"')) == 1
