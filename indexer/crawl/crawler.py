"""The crawl loop: a polite, resumable crawler that keeps the index current from the sites staff watch.

For each start URL, pages on its host under its folder (or matching ``--include``, not ``--exclude``: see
:mod:`.scope`) are fetched breadth-first. Every request — a link, each redirect hop, an attachment, a
robots.txt — goes through the same checks, in this order: scope, address (:mod:`.fetch`), robots.txt of
that URL's host (:mod:`.robots`), then the fetcher's spacing and limits. A redirect is followed hop by hop
(at most ``max_redirects``; a loop ends with its reason) and the page is indexed under its final URL.

What a page is decides what happens to it (:mod:`.links`, :mod:`.content`): a page that is mostly links
is a list page — its links are followed, pagination at most ``max_list_depth`` pages deep — and is not
indexed; any other page is extracted like a file, with its URL as ``url`` and ``doc_id``, and its
attachments (PDF, DOCX… — whatever the file-type table reads) are fetched next with the same politeness
and limits and indexed as documents of their own whose ``parent`` is the article.

Incremental and resumable: the state (:mod:`.state`) keeps each URL's validators and hash, so a re-run
sends conditional requests and a 304 or an unchanged hash skips the page. Extractions are written in
batches (:mod:`.sink`), and the state is saved right after each commit: a kill loses at most one batch.
A run fetches at most ``max_pages`` URLs (a default budget bounds a crawl nobody limited); what is left
stays queued for the next run. Whatever ends a run — the queue emptied, the budget, Ctrl-C, an error —
the pending batch is written, the state saved and the summary filled in.

No fetched page stops the crawl: network faults, truncated or oversized or slow responses, HTTP errors,
refusals and pages that cannot be extracted are skips with a reason (:class:`.CrawlSummary`), and so is a
reader that crashes, hangs or runs out of memory (pages are read in a worker process:
:class:`~indexer.extract.isolated.Readers`). A batch the index cannot take stops the crawl with the reason in
``summary.write_error`` (the state stays at the last batch written; the command exits 1).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from indexer.crawl import content
from indexer.crawl.fetch import Fetcher, Response
from indexer.crawl.links import Link, is_pagination, page_links
from indexer.crawl.robots import Robots
from indexer.crawl.scope import Scope, origin_of
from indexer.crawl.sink import BatchNotWritten, IndexSink, Item
from indexer.crawl.state import CrawlState, Run, Task
from indexer.crawl.summary import CrawlSummary
from indexer.document import Extraction
from indexer.extract.errors import ExtractError
from indexer.extract.isolated import Readers
from indexer.index.store import IndexBusy, content_hash
from indexer.search.backends import Target

log = logging.getLogger(__name__)

#: URLs a run fetches when nobody says how many (what is left stays queued for the next run).
DEFAULT_MAX_PAGES = 5000
#: How many pages of one list the crawl walks (下一页 after 下一页…).
DEFAULT_MAX_LIST_DEPTH = 100
#: Redirect hops followed for one URL.
MAX_REDIRECTS = 5
#: A page whose text is more than this share links is a list page.
LIST_PAGE_SHARE = 0.5

Progress = Callable[[CrawlSummary, str], None]


@dataclass
class Visit:
    """What visiting one task produced, applied to the run in one step."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    follow: list[Task] = field(default_factory=list)
    attach: list[Task] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


class Crawler:
    """One crawl run over some start URLs (see the module docstring)."""

    def __init__(self, index_dir: Target, state: CrawlState, fetcher: Fetcher, max_pages: int | None = None,
                 include: str | None = None, exclude: str | None = None, batch: int = 10,
                 progress: Progress | None = None, max_list_depth: int = DEFAULT_MAX_LIST_DEPTH,
                 max_redirects: int = MAX_REDIRECTS) -> None:
        self.index_dir = index_dir
        self.state = state
        self.fetcher = fetcher
        self.max_pages = DEFAULT_MAX_PAGES if max_pages is None else max_pages
        self.include, self.exclude = include, exclude
        self.batch = max(1, batch)
        self.progress = progress
        self.max_list_depth = max_list_depth
        self.max_redirects = max_redirects
        self.summary = CrawlSummary()
        self.robots = Robots(fetcher)
        self.scopes: list[Scope] = []
        self.queue: deque[Task] = deque()
        self.queued: set[str] = set()
        self.done: set[str] = set()
        self.pending: list[Item] = []
        self.pending_records: dict[str, dict[str, Any]] = {}
        self.visits = 0
        self.sink: IndexSink | None = None
        self.readers: Readers | None = None
        #: set when a stop is asked for (a signal handler): the run stops before its next page even when the
        #: KeyboardInterrupt raised with it went where Python ignores it (a weak reference's callback, __del__)
        self.interrupt = threading.Event()

    # -- the run --------------------------------------------------------------------------------------

    def run(self, starts: list[str]) -> CrawlSummary:
        """Crawl from ``starts`` (or resume the unfinished run); returns the summary, also on Ctrl-C."""
        started = time.monotonic()
        self.sink = IndexSink(self.index_dir)  # IndexBusy before anything is fetched
        self.readers = Readers()
        self.scopes = [Scope(s, self.include, self.exclude) for s in starts]
        self._begin(starts)
        current: Task | None = None
        try:
            while self.queue:
                if self.interrupt.is_set():
                    raise KeyboardInterrupt
                if self.summary.fetched >= self.max_pages:
                    self.summary.stopped = f"page budget reached ({self.max_pages} URLs; the rest stays queued)"
                    self.summary.limited["page budget (left queued)"] = len(self.queue)
                    break
                current = self.queue.popleft()
                self.queued.discard(current.url)
                if current.url in self.done:
                    continue
                self.done.add(current.url)
                self._apply(self._visit(current))
                url, current = current.url, None
                self.visits += 1
                if self.visits % self.batch == 0:
                    self._flush()
                if self.progress:
                    self.progress(self.summary, url)
        except BatchNotWritten as exc:
            self.summary.stopped = f"a batch could not be written to the index ({exc})"
            self.summary.write_error = str(exc)
        except KeyboardInterrupt:
            self.summary.stopped = "interrupted"
            if current is not None:  # its work was not applied: it goes back to the queue
                self.done.discard(current.url)
                self.queue.appendleft(current)
        except BaseException as exc:
            self.summary.stopped = f"error: {type(exc).__name__}: {exc}"
            raise
        finally:
            self._finish(started)
        return self.summary

    def _begin(self, starts: list[str]) -> None:
        run = self.state.run
        if run is not None:  # an unfinished run: go on where it stopped
            self.done = set(run.done)
            for task in run.queue:
                self._enqueue(task)
        for url in dict.fromkeys(starts):
            if url not in self.done:
                parts = urlsplit(url)
                port = parts.port or (443 if parts.scheme == "https" else 80)
                self._enqueue(Task(url, private_ok=self.fetcher.policy.is_private(parts.hostname or "", port)))

    def _enqueue(self, task: Task, front: bool = False) -> None:
        if task.url in self.done or task.url in self.queued:
            return
        self.queued.add(task.url)
        if front:
            self.queue.appendleft(task)
        else:
            self.queue.append(task)

    def _apply(self, visit: Visit) -> None:
        self.pending.extend(visit.items)
        self.pending_records.update(visit.records)
        self.done.update(visit.done)
        for task in visit.follow:
            self._enqueue(task)
        for task in reversed(visit.attach):  # attachments next, so they share their article's batch
            self._enqueue(task, front=True)

    def _flush(self) -> None:
        """Write the pending batch in one commit, then save the state that matches it (BatchNotWritten when the
        index does not take it)."""
        assert self.sink is not None
        for key, reason in self.sink.write(self.pending):
            self.summary.skip(key, reason)
        self.state.pages.update(self.pending_records)
        self.pending, self.pending_records = [], {}
        finished = not self.queue and self.summary.stopped == "done"
        self.state.run = None if finished else Run(list(self.queue), sorted(self.done))
        self.state.save()
        self.summary.state_saved = True

    def _finish(self, started: float) -> None:
        self.summary.state_saved = False
        try:
            if self.summary.write_error is None:  # a batch the index refused is not tried again
                self._flush()
        except (BatchNotWritten, IndexBusy) as exc:  # keep the last saved state, say so
            reason = str(exc) if isinstance(exc, BatchNotWritten) else f"{type(exc).__name__}: {exc}"
            self.summary.stopped += f"; last batch not written ({reason})"
            self.summary.write_error = reason
        except Exception as exc:  # the state could not be saved
            log.error("could not save the crawl state: %s", exc)
            self.summary.stopped += f"; crawl state not saved ({type(exc).__name__}: {exc})"
        finally:
            if self.readers is not None:
                self.readers.close()
            if self.sink is not None:
                self.sink.close()
            self.summary.seconds = time.monotonic() - started

    # -- one URL ----------------------------------------------------------------------------------------

    def _visit(self, task: Task) -> Visit:
        """Fetch one task (following redirects) and sort out what it is."""
        if task.parent is not None and (why := content.unsupported_before_fetch(task.url)):
            self.summary.skip(task.url, why)
            return Visit()
        fetched = self._fetch(task)
        if fetched is None:
            return Visit()
        url, resp, visit = fetched
        known = self.state.pages.get(url, {})
        if resp.status == 304:
            self.summary.unchanged += 1
            return self._known(task, url, known, visit)
        if resp.status != 200 or resp.error:
            self.summary.skip(url, f"HTTP {resp.status}" if resp.status else resp.error or "no response")
            return self._known(task, url, known, visit)
        if task.parent is not None:
            return self._attachment(task, url, resp, visit)
        return self._page(task, url, resp, visit)

    def _fetch(self, task: Task) -> tuple[str, Response, Visit] | None:
        """Follow ``task.url`` hop by hop; None (with a skip) when a hop may not be made."""
        url, hops = task.url, [task.url]
        visit = Visit()
        while True:
            reason = self._refusal(task, url, hop=len(hops) > 1)
            if reason:
                self.summary.skip(task.url, reason)
                return None
            if len(hops) == 1:
                self.summary.fetched += 1
            resp = self.fetcher.get(url, self._validators(url), allow_private=task.private_ok)
            self.summary.requests += 1
            if resp.location is None:
                visit.done.append(url)
                return url, resp, visit
            target = urldefrag(urljoin(url, resp.location))[0]
            visit.records[url] = content.record(resp, "redirect", to=target)
            if target in hops:
                self.summary.skip(task.url, f"redirect loop: {' → '.join(hops[hops.index(target):])} → {target}")
                return None
            if len(hops) > self.max_redirects:
                self.summary.skip(task.url, f"too many redirects (more than {self.max_redirects})")
                return None
            if target in self.done:
                self.summary.limited["redirect to a page already crawled"] += 1
                return None
            hops.append(target)
            url = target

    def _refusal(self, task: Task, url: str, hop: bool) -> str | None:
        if urlsplit(url).scheme not in ("http", "https"):
            reason: str | None = "not an http(s) URL"
        elif hop and not self._in_scope(task, url):
            reason = "out of the crawl's scope"
        else:
            reason = (self.fetcher.address_refusal(url, task.private_ok)
                      or self.robots.refusal(url, task.private_ok))
        return f"redirect to {url}: {reason}" if reason and hop else reason

    def _in_scope(self, task: Task, url: str) -> bool:
        if task.parent is not None and origin_of(url) == origin_of(task.parent):
            return True  # an attachment may live anywhere on its article's site
        return any(s.allows(url) for s in self.scopes)

    def _validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers, only when a 304 would leave the index right."""
        known = self.state.pages.get(url)
        if not known or known.get("role") == "redirect":
            return {}
        assert self.sink is not None
        if known.get("indexed", True) and known.get("role") != "list" and self.sink.known_hash(url) is None:
            return {}  # the index lost it (rebuilt?): fetch it whole
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    # -- what a URL was ---------------------------------------------------------------------------------

    def _page(self, task: Task, url: str, resp: Response, visit: Visit) -> Visit:
        kind = content.page_kind(resp)
        if kind is None:
            self.summary.skip(url, f"not an HTML page ({resp.headers.get('content-type', '').split(';')[0]})")
            return visit
        links = page_links(resp.body, url)
        digest = content_hash(resp.body)
        attachments: list[Link] = []
        meta: dict[str, Any] = {}
        indexed = True
        if links.link_share > LIST_PAGE_SHARE:
            role, indexed = "list", False
            self.summary.list_pages += 1
        else:
            role, attachments = "article", links.attachments
            known_hash = self.sink.known_hash(url) if self.sink else None
            if known_hash == digest:
                self.summary.unchanged += 1
                meta = self.state.pages.get(url, {}).get("meta", {})
            else:
                meta, indexed = self._extract_page(url, resp, kind, digest, known_hash is not None, visit)
        visit.records[url] = content.record(
            resp, role, hash=digest, indexed=indexed, meta=meta,
            links=[ln.url for ln in links.pages], pagination=[ln.url for ln in links.pages if is_pagination(ln)],
            attachments=[a.url for a in links.attachments], labels={a.url: a.label for a in attachments})
        visit.follow = self._follow(task, [(ln.url, is_pagination(ln)) for ln in links.pages])
        visit.attach = self._attachments(task, url, attachments, meta)
        return visit

    def _extract_page(self, url: str, resp: Response, kind: str, digest: str, updated: bool,
                      visit: Visit) -> tuple[dict[str, Any], bool]:
        try:
            extraction = self._read(resp, url, kind)
        except ExtractError as exc:
            self.summary.skip(url, str(exc))
            return {}, False
        fetched = content.now_iso()
        for doc in extraction.documents:
            doc.fetched = fetched
        visit.items.append((extraction, url, digest))
        self._count(updated)
        return content.inheritable(extraction.documents[0]), True

    def _read(self, resp: Response, url: str, kind: str) -> Extraction:
        """The extraction of a fetched body, made in the reader process (ExtractError with the reason)."""
        assert self.readers is not None
        return self.readers.data(resp.body, url, kind=kind, url=url, http_charset=content.http_charset(resp))

    def _attachment(self, task: Task, url: str, resp: Response, visit: Visit) -> Visit:
        kind, suffix = content.attachment_kind(resp)
        if kind is None:
            self.summary.skip(url, f"unsupported type {suffix or 'unknown'} (no reader for it)")
            return visit
        digest = content_hash(resp.body)
        known_hash = self.sink.known_hash(url) if self.sink else None
        rec = content.record(resp, "attachment", hash=digest, parent=task.parent, label=task.label)
        if known_hash == digest:
            self.summary.unchanged += 1
            visit.records[url] = rec
            return visit
        try:
            extraction = self._read(resp, url, kind)
        except ExtractError as exc:
            self.summary.skip(url, str(exc))
            return visit
        content.adopt(extraction.documents, task, rec["fetched"], suffix)
        visit.items.append((extraction, url, digest))
        visit.records[url] = rec
        self.summary.attachments += 1
        self._count(known_hash is not None)
        return visit

    def _known(self, task: Task, url: str, known: dict[str, Any], visit: Visit) -> Visit:
        """Follow what a page linked last time (it is unchanged, or could not be fetched now)."""
        if known.get("role") not in (None, "list", "article"):
            return visit
        pagination = known.get("pagination")
        links = known.get("links", [])
        visit.follow = self._follow(task, [(u, u in pagination if pagination is not None else is_pagination(Link(u)))
                                           for u in links])
        if known.get("role") == "article":
            labels = known.get("labels", {})
            attachments = [Link(u, labels.get(u, "")) for u in labels]
            visit.attach = self._attachments(task, url, attachments, known.get("meta", {}))
        return visit

    def _follow(self, task: Task, links: list[tuple[str, bool]]) -> list[Task]:
        """Tasks for the in-scope (url, is pagination) links of a page, pagination depth bounded."""
        out = []
        for url, paginates in links:
            depth = task.depth + 1 if paginates else 0
            if not any(s.allows(url) for s in self.scopes) or url in self.done:
                continue
            if depth > self.max_list_depth:
                self.summary.limited[f"list pages deeper than {self.max_list_depth}"] += 1
                continue
            out.append(Task(url, depth=depth, private_ok=task.private_ok))
        return out

    def _attachments(self, task: Task, url: str, links: list[Link], meta: dict[str, Any]) -> list[Task]:
        out = []
        for link in links:
            if origin_of(link.url) != origin_of(url) and not any(s.allows(link.url) for s in self.scopes):
                self.summary.limited["attachments on another site"] += 1
                continue
            out.append(Task(link.url, private_ok=task.private_ok, parent=url, label=link.label, inherit=meta))
        return out

    def _count(self, updated: bool) -> None:
        if updated:
            self.summary.updated += 1
        else:
            self.summary.new += 1
