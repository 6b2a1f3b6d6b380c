"""A polite, resumable crawler that keeps the index current from the sites staff watch.

For each start URL: robots.txt is read first and obeyed (Crawl-delay included); only pages on the same
host, under the start URL's folder (or matching ``--include``), not matching ``--exclude``, are fetched; at
least ``--delay`` seconds pass between two requests to a host. Every HTML page's in-scope links are
followed (list pages and their pagination — 下一页, index_1.html — lead to the articles); links to
attachments (PDF, DOC…) are recorded on the page that links them, not fetched. A page whose text is mostly
links is a list page and is not indexed; any other page goes through the same importer as a file, with its
URL as the document's ``url`` and ``doc_id``.

Incremental and resumable: the state file keeps, per URL, its ETag/Last-Modified, content hash, links and
the time it was fetched, plus the queue. A re-run sends conditional requests; 304 or an unchanged hash
skips the page, a changed page replaces its sections. Index writes are committed in batches and the state
is saved (atomically) right after each commit, so a kill loses at most one batch of work.

Network faults (timeouts, resets, 5xx) are retried with back-off a bounded number of times; 4xx is recorded
and skipped; a page that cannot be decoded or cleaned is skipped with its reason. No page stops the crawl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from indexer.extract.filetypes import HTML
from indexer.extract.pipeline import ExtractError, extract_bytes
from indexer.index.store import (
    DEFAULT_INDEX,
    IndexBusy,
    content_hash,
    ensure_derived,
    open_index,
    write_extraction,
    writer_for,
)

log = logging.getLogger(__name__)

DEFAULT_CONTACT = "https://example.org/tzsearch-crawler (set --contact)"
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|txt|jpg|jpeg|png|gif|mp4|mp3|ofd|ceb)$", re.I)
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


@dataclass
class CrawlSummary:
    """What a crawl did."""

    fetched: int = 0
    unchanged: int = 0
    new: int = 0
    updated: int = 0
    list_pages: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"fetched": self.fetched, "unchanged": self.unchanged, "new": self.new, "updated": self.updated,
                "list_pages": self.list_pages, "skipped": [{"url": u, "reason": r} for u, r in self.skipped],
                "seconds": round(self.seconds, 2)}


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class CrawlState:
    """Per-URL validators, hashes and links, plus the queue; saved atomically as JSON."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.pages: dict[str, dict[str, Any]] = {}
        self.queue: list[str] = []
        if path and path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.pages = data.get("pages", {})
            self.queue = data.get("queue", [])

    def save(self) -> None:
        if not self.path:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"version": 1, "pages": self.pages, "queue": self.queue}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, self.path)


class Fetcher:
    """HTTP GET with a User-Agent, conditional headers, a timeout, bounded retries and per-host spacing."""

    def __init__(self, user_agent: str, delay: float, timeout: float = 10.0, retries: int = 2,
                 backoff: float = 0.5) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.last: dict[str, float] = {}
        self.host_delay: dict[str, float] = {}

    def _wait(self, host: str) -> None:
        gap = max(self.delay, self.host_delay.get(host, 0.0))
        wait = self.last.get(host, -1e9) + gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last[host] = time.monotonic()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """Fetch ``url``; network faults and 5xx are retried, then returned as status 0 / 5xx."""
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self._wait(host)
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, **(headers or {})})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                    return Response(resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()})
            except urllib.error.HTTPError as exc:
                response = Response(exc.code, b"", {k.lower(): v for k, v in (exc.headers or {}).items()})
                exc.close()
                if exc.code < 500 or attempt >= self.retries:
                    return response
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                if attempt >= self.retries:
                    return Response(0, str(getattr(exc, "reason", exc)).encode())
            attempt += 1
            time.sleep(self.backoff * 2 ** (attempt - 1))


class Scope:
    """Which URLs a crawl may fetch."""

    def __init__(self, start: str, include: str | None, exclude: str | None) -> None:
        parts = urlsplit(start)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        folder = parts.path.rsplit("/", 1)[0] + "/"
        self.include = re.compile(include) if include else None
        self.prefix = self.origin + folder
        self.exclude = re.compile(exclude) if exclude else None

    def allows(self, url: str) -> bool:
        if not url.startswith(self.origin + "/") and url != self.origin:
            return False
        if self.exclude and self.exclude.search(url):
            return False
        return bool(self.include.search(url)) if self.include else url.startswith(self.prefix)


def robots_crawl_delay(lines: list[str]) -> float | None:
    """The largest Crawl-delay in robots.txt (Python's parser ignores fractional values like 0.5)."""
    found = [float(m.group(1)) for line in lines
             if (m := re.match(r"\s*crawl-delay\s*:\s*([0-9]+(?:\.[0-9]+)?)", line, re.I))]
    return max(found) if found else None


def page_links(body: bytes, base: str) -> tuple[list[str], list[str], float]:
    """(links, attachment links, share of the page's text inside links) of an HTML page."""
    soup = BeautifulSoup(body, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    links: list[str] = []
    attachments: list[str] = []
    for a in soup.find_all("a", href=True):
        raw = a["href"]
        href = (raw if isinstance(raw, str) else " ".join(raw)).strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        (attachments if ATTACHMENT.search(urlsplit(url).path) else links).append(url)
    text = len(re.sub(r"\s+", "", soup.get_text()))
    linked = sum(len(re.sub(r"\s+", "", a.get_text())) for a in soup.find_all("a"))
    return list(dict.fromkeys(links)), list(dict.fromkeys(attachments)), linked / text if text else 1.0


class Crawler:
    """One crawl run over some start URLs (see the module docstring)."""

    def __init__(self, index_dir: Path, state: CrawlState, fetcher: Fetcher, max_pages: int | None = None,
                 include: str | None = None, exclude: str | None = None, batch: int = 10,
                 progress: Callable[[CrawlSummary, str], None] | None = None) -> None:
        self.index_dir = index_dir
        self.state = state
        self.fetcher = fetcher
        self.max_pages = max_pages
        self.include, self.exclude = include, exclude
        self.batch = batch
        self.progress = progress
        self.summary = CrawlSummary()
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        if origin not in self.robots:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            resp = self.fetcher.get(origin + "/robots.txt")
            delay = None
            if resp.status == 200:
                lines = resp.body.decode("utf-8", "replace").splitlines()
                parser.parse(lines)
                delay = robots_crawl_delay(lines)
            elif resp.status in (401, 403):
                parser.disallow_all = True  # type: ignore[attr-defined]  # read by can_fetch
            else:
                parser.allow_all = True  # type: ignore[attr-defined]
            if delay:
                self.fetcher.host_delay[urlsplit(url).netloc] = float(delay)
            self.robots[origin] = parser
        return self.robots[origin]

    def run(self, starts: list[str]) -> CrawlSummary:
        started = time.monotonic()
        scopes = [Scope(s, self.include, self.exclude) for s in starts]
        resuming = bool(self.state.queue)  # an interrupted run: pages already in the state are done
        queue = list(self.state.queue) if resuming else list(dict.fromkeys(starts))
        done: set[str] = set(self.state.pages) if resuming else set()
        ix = open_index(self.index_dir, create=True)
        writer = writer_for(ix)
        pending = 0
        try:
            while queue and (self.max_pages is None or self.summary.fetched < self.max_pages):
                url = queue.pop(0)
                if url in done:
                    continue
                done.add(url)
                for link in self._visit(url, writer):
                    if link not in done and link not in queue and any(s.allows(link) for s in scopes):
                        queue.append(link)
                pending += 1
                if pending >= self.batch:
                    writer.commit()
                    ensure_derived(self.index_dir)
                    self.state.queue = [u for u in queue if u not in done]
                    self.state.save()
                    writer, pending = writer_for(ix), 0
                if self.progress:
                    self.progress(self.summary, url)
            writer.commit()
            ensure_derived(self.index_dir)
        except BaseException:
            writer.cancel()
            raise
        self.state.queue = queue
        self.state.save()
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _visit(self, url: str, writer: Any) -> list[str]:
        """Fetch one URL, index it if it is an article; returns the links to follow."""
        if not self._robots(url).can_fetch(self.fetcher.user_agent, url):
            self.summary.skipped.append((url, "forbidden by robots.txt"))
            return []
        known = self.state.pages.get(url, {})
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        resp = self.fetcher.get(url, headers)
        self.summary.fetched += 1
        if resp.status == 304:
            self.summary.unchanged += 1
            return known.get("links", [])
        if resp.status != 200:
            reason = f"HTTP {resp.status}" if resp.status else f"network error: {resp.body.decode()[:120]}"
            self.summary.skipped.append((url, reason))
            return known.get("links", [])
        ctype = resp.headers.get("content-type", "text/html")
        if "html" not in ctype and "text/plain" not in ctype:
            self.summary.skipped.append((url, f"not an HTML page ({ctype.split(';')[0]})"))
            return []
        links, attachments, link_share = page_links(resp.body, url)
        record = {"etag": resp.headers.get("etag"), "last_modified": resp.headers.get("last-modified"),
                  "links": links, "attachments": attachments,
                  "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        digest = content_hash(resp.body)
        if known.get("hash") == digest:
            self.summary.unchanged += 1
        elif link_share > 0.5:
            self.summary.list_pages += 1
        else:
            self._index(url, resp, digest, record, writer, updated=bool(known.get("hash")))
        record["hash"] = digest
        self.state.pages[url] = record
        return links

    def _index(self, url: str, resp: Response, digest: str, record: dict[str, Any], writer: Any,
               updated: bool) -> None:
        m = _CHARSET.search(resp.headers.get("content-type", ""))
        try:
            extraction = extract_bytes(resp.body, url, kind=HTML, url=url, http_charset=m.group(1) if m else None)
        except ExtractError as exc:
            self.summary.skipped.append((url, str(exc)))
            return
        for doc in extraction.documents:
            doc.fetched = record["fetched"]
        write_extraction(writer, extraction, url, digest, urlsplit(url).netloc)
        if updated:
            self.summary.updated += 1
        else:
            self.summary.new += 1


def _progress(summary: CrawlSummary, url: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rfetched {summary.fetched} · new {summary.new} · updated {summary.updated} · "
                         f"unchanged {summary.unchanged} · skipped {len(summary.skipped)}  {url[-50:]:<50}")
        sys.stderr.flush()


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl the given sites into the index."""
    contact = args.contact or os.environ.get("TZSEARCH_CRAWLER_CONTACT") or DEFAULT_CONTACT
    fetcher = Fetcher(f"tzsearch-crawler/0.1 (+{contact})", delay=args.delay, timeout=args.timeout,
                      retries=args.retries)
    state = CrawlState(Path(args.state) if args.state else Path(args.index) / "crawl-state.json")
    crawler = Crawler(Path(args.index), state, fetcher, args.max_pages, args.include, args.exclude,
                      batch=args.batch, progress=_progress)
    try:
        summary = crawler.run(args.urls)
    except IndexBusy as exc:
        print(f"crawl: {exc}", file=sys.stderr)
        return 3
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        print(f"fetched {summary.fetched}: {summary.new} new, {summary.updated} updated, {summary.unchanged} "
              f"unchanged, {summary.list_pages} list pages, {len(summary.skipped)} skipped "
              f"({summary.seconds:.1f}s)")
        for url, reason in summary.skipped:
            print(f"  skipped {url}: {reason}")
    return 0


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--index", default=str(DEFAULT_INDEX))
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to a host (default 1)")
    p.add_argument("--max-pages", type=int, help="stop after fetching this many pages")
    p.add_argument("--include", help="regex: follow only URLs matching it (default: under the start folder)")
    p.add_argument("--exclude", help="regex: never follow URLs matching it")
    p.add_argument("--state", help="state file (default: INDEX/crawl-state.json)")
    p.add_argument("--contact", help="contact URL or e-mail for the User-Agent")
    p.add_argument("--timeout", type=float, default=15.0)
    p.add_argument("--retries", type=int, default=2)
    p.add_argument("--batch", type=int, default=10, help="pages per index commit")
    p.add_argument("--json", action="store_true")
