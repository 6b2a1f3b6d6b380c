"""The crawler writes through the same store interface into a database: a first crawl, then a recrawl that
picks up a changed page without stale or doubled sections (the site of tests/test_crawler.py, on 127.0.0.1)."""

from __future__ import annotations

from crawl_site import Site, list_page, seed_page

from indexer.crawl.crawler import Crawler
from indexer.crawl.fetch import Fetcher
from indexer.crawl.state import CrawlState
from indexer.search.backends import open_backend
from indexer.search.service import SearchParams

HTML = "text/html; charset=utf-8"


def crawl(site: Site, url: str, tmp_path) -> object:
    fetcher = Fetcher("tzsearch-crawler/test (+http://127.0.0.1/contact)", delay=0.05, timeout=1.0, retries=1,
                      backoff=0.05, max_time=5.0, max_bytes=1_000_000)
    return Crawler(url, CrawlState(tmp_path / "state.json"), fetcher).run([site.url + "/news/index.html"])


def total(url: str, q: str) -> int:
    backend = open_backend(url)
    try:
        return backend.search(SearchParams(q=q)).total
    finally:
        backend.close()


def test_crawl_into_a_database_and_recrawl_a_change(tmp_path, pg_url) -> None:
    site = Site()
    try:
        site.pages = {
            "/robots.txt": (b"User-agent: *\nCrawl-delay: 0.05\n", "text/plain"),
            "/news/index.html": (list_page([("a1.html", "第一篇"), ("a2.html", "第二篇")]), HTML),
            "/news/a1.html": (seed_page("第一版独有措辞甲乙丙"), HTML),
            "/news/a2.html": (seed_page("另一篇稿件的独有措辞"), HTML),
        }
        first = crawl(site, pg_url, tmp_path)
        assert first.new == 2 and total(pg_url, '"第一版独有措辞"') == 1
        site.pages["/news/a1.html"] = (seed_page("第二版独有措辞丁戊己"), HTML)
        again = crawl(site, pg_url, tmp_path)
        assert again.updated == 1
        assert total(pg_url, '"第一版独有措辞"') == 0 and total(pg_url, '"第二版独有措辞"') == 1
        assert total(pg_url, '"另一篇稿件的独有措辞"') == 1
    finally:
        site.close()
