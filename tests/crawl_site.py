"""A tiny web site on 127.0.0.1 for the crawler tests: static pages with ETags, plus misbehaving routes.

Static pages answer conditional requests (ETag and Last-Modified → 304). A route is a function that writes
whatever it likes on the raw connection (a cut body, a trickle, an endless body, a redirect). Every route
is bounded in bytes and time and stops when the site closes; every request is logged with its time, path,
If-None-Match and status.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import CORPUS

from indexer.crawl.crawler import Crawler
from indexer.crawl.fetch import AddressPolicy, Fetcher
from indexer.crawl.state import CrawlState

HTML = "text/html; charset=utf-8"
LAST_MODIFIED = "Mon, 01 Mar 2021 08:00:00 GMT"
ARTICLE = "<html><head><title>{title}</title></head><body><div class='nav'>首页 | 统战要闻</div>" \
          "<div id='zoom'>{body}</div><div class='footer'>版权所有 京ICP备000号</div></body></html>"

Route = Callable[[BaseHTTPRequestHandler], int]


def seed_page(marker: str, title: str = "创新举措凝心聚力 推进常州统战事业蓬勃发展") -> bytes:
    text = (CORPUS / "changzhou_2020_tz_work_review.txt").read_text(encoding="utf-8")
    paras = "".join(f"<p>{line.strip()}</p>" for line in text.splitlines()[6:20] if line.strip())
    return ARTICLE.format(title=title, body=f"<p>{marker}</p>{paras}").encode()


def list_page(links: list[tuple[str, str]]) -> bytes:
    items = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in links)
    return f"<html><head><title>统战要闻</title></head><body><ul>{items}</ul></body></html>".encode()


class Site:
    """A web site on 127.0.0.1 (an ephemeral port) with a request log; close() stops it."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[float, str, str | None, int]] = []
        self.sent: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                started = time.monotonic()
                status = site.respond(self)
                with site.lock:
                    site.log.append((started, self.path, self.headers.get("If-None-Match"), status))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def respond(self, handler: BaseHTTPRequestHandler) -> int:
        path = handler.path
        route = self.routes.get(path) or self.routes.get(path.split("?")[0])
        if route:
            try:
                return route(handler)
            except (BrokenPipeError, ConnectionResetError):
                return -1
        if path not in self.pages:
            handler.send_response(404)
            handler.end_headers()
            return 404
        body, ctype = self.pages[path]
        etag = '"' + hashlib.md5(body).hexdigest() + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return 304
        handler.send_response(200)
        handler.send_header("Content-Type", ctype)
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", LAST_MODIFIED)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return 200

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def requests(self, path: str) -> list[tuple[float, str, str | None, int]]:
        return [r for r in self.log if r[1] == path]

    def paths(self) -> list[str]:
        return [r[1] for r in self.log]


def redirect(location: str, status: int = 302) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> int:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return status
    return route


def make_crawler(tmp_path: Path, delay: float = 0.05, policy: AddressPolicy | None = None, timeout: float = 1.0,
                 max_time: float = 5.0, max_bytes: int = 1_000_000, retries: int = 1, target: Path | str | None = None,
                 **kw) -> Crawler:
    state = CrawlState(tmp_path / "state.json")
    fetcher = Fetcher("tzsearch-crawler/test (+http://127.0.0.1/contact)", delay=delay, timeout=timeout,
                      retries=retries, backoff=0.05, max_time=max_time, max_bytes=max_bytes, policy=policy)
    return Crawler(target or tmp_path / "index", state, fetcher, **kw)
