"""Which URLs a crawl may fetch: the start URL's host, under its folder (or matching ``--include``), not
matching ``--exclude``. Applied to every link and to every redirect hop."""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Scope:
    """The URLs one start URL lets the crawl fetch."""

    def __init__(self, start: str, include: str | None = None, exclude: str | None = None) -> None:
        parts = urlsplit(start)
        self.origin = origin_of(start)
        folder = parts.path.rsplit("/", 1)[0] + "/"
        self.prefix = self.origin + folder
        self.include = re.compile(include) if include else None
        self.exclude = re.compile(exclude) if exclude else None

    def allows(self, url: str) -> bool:
        if not url.startswith(self.origin + "/") and url != self.origin:
            return False
        if self.exclude and self.exclude.search(url):
            return False
        return bool(self.include.search(url)) if self.include else url.startswith(self.prefix)
