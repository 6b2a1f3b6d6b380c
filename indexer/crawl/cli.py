"""``python -m indexer crawl URL…``: the options, the crawl, and its summary — printed however the crawl ends.

Ctrl-C and SIGTERM stop the crawl cleanly (the pending batch is written and the state saved, so the next
run resumes); the summary is printed then, and after an unexpected error too, before its traceback.
Exit codes: 0 done (or stopped by the page budget), 1 a batch could not be written to the index (the reason
is printed; the state stays at the last batch written), 2 the index needs a rebuild, 3 the index is busy,
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from indexer.crawl import crawler as crawl_loop
from indexer.crawl.fetch import Fetcher
from indexer.crawl.state import CrawlState
from indexer.crawl.summary import CrawlSummary
from indexer.extract.filetypes import MAX_BYTES
from indexer.index.store import IndexBusy, IndexMissing, IndexUnusable
from indexer.search.backends import BackendUnavailable, is_database, resolve

DEFAULT_CONTACT = "https://example.org/tzsearch-crawler (set --contact)"


def _progress(summary: CrawlSummary, url: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rfetched {summary.fetched} · new {summary.new} · updated {summary.updated} · "
                         f"unchanged {summary.unchanged} · skipped {len(summary.skipped)}  {url[-50:]:<50}")
        sys.stderr.flush()


@contextmanager
def _interrupts(crawler: crawl_loop.Crawler) -> Iterator[None]:
    """Within the block Ctrl-C and SIGTERM stop the crawl (main thread only): the crawler is told, and a
    KeyboardInterrupt cuts short what it is waiting for. Python ignores that exception where it lands in a weak
    reference's callback or a ``__del__``; the crawler, told, still stops before its next page."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        crawler.interrupt.set()
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print_summary(summary: CrawlSummary, as_json: bool) -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if as_json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        print("\n".join(summary.lines()))
    sys.stdout.flush()


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl the given sites into the index."""
    contact = args.contact or os.environ.get("TZSEARCH_CRAWLER_CONTACT") or DEFAULT_CONTACT
    fetcher = Fetcher(f"tzsearch-crawler/0.1 (+{contact})", delay=args.delay, timeout=args.timeout,
                      retries=args.retries, max_time=args.max_time, max_bytes=args.max_bytes)
    try:
        target = resolve(args.index, args.database)
    except ValueError as exc:
        print(f"crawl: {exc}", file=sys.stderr)
        return 2
    default_state = Path("var") / "crawl-state.json" if is_database(target) else Path(target) / "crawl-state.json"
    state = CrawlState(Path(args.state) if args.state else default_state)
    crawler = crawl_loop.Crawler(target, state, fetcher, args.max_pages, args.include, args.exclude,
                                 batch=args.batch, progress=_progress, max_list_depth=args.max_list_depth)
    with _interrupts(crawler):
        try:
            summary = crawler.run(args.urls)
        except IndexBusy as exc:
            print(f"crawl: {exc}", file=sys.stderr)
            return 3
        except (IndexUnusable, IndexMissing, BackendUnavailable) as exc:
            print(f"crawl: {exc}", file=sys.stderr)
            return 2
        finally:
            if crawler.sink is not None:  # it started: whatever happened, say what it did
                _print_summary(crawler.summary, args.json)
    if summary.write_error is not None:
        print(f"crawl: the index did not take a batch: {summary.write_error}", file=sys.stderr)
        return 1
    return 130 if summary.stopped == "interrupted" else 0


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--index", help="index folder (default var/index, or TZSEARCH_DATABASE_URL when set)")
    p.add_argument("--database", metavar="URL", help="a PostgreSQL database instead of an index folder")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to a host (default 1)")
    p.add_argument("--max-pages", type=int, default=crawl_loop.DEFAULT_MAX_PAGES,
                   help="stop after fetching this many URLs; the rest stays queued for the next run "
                        f"(default {crawl_loop.DEFAULT_MAX_PAGES})")
    p.add_argument("--max-list-depth", type=int, default=crawl_loop.DEFAULT_MAX_LIST_DEPTH,
                   help=f"follow a list's pagination at most this many pages deep "
                        f"(default {crawl_loop.DEFAULT_MAX_LIST_DEPTH})")
    p.add_argument("--include", help="regex: follow only URLs matching it (default: under the start folder)")
    p.add_argument("--exclude", help="regex: never follow URLs matching it")
    p.add_argument("--state", help="state file (default: INDEX/crawl-state.json, var/crawl-state.json with a database)")
    p.add_argument("--contact", help="contact URL or e-mail for the User-Agent")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for any one read (default 15)")
    p.add_argument("--max-time", type=float, default=60.0, help="seconds one response may take in all (default 60)")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES,
                   help=f"largest response read, in bytes (default {MAX_BYTES})")
    p.add_argument("--retries", type=int, default=2)
    p.add_argument("--batch", type=int, default=10, help="pages per index commit")
    p.add_argument("--json", action="store_true")
