"""robots.txt: read once per host (scheme, name and port) per crawl, through the same :class:`Fetcher` and its
limits, and obeyed for every request to that host — redirect hops and attachments included.

What an answer means follows RFC 9309 where it is clear: 200 → the rules; 404 and other 4xx → no rules
(everything allowed), except 401/403, which we read as "keep out"; 5xx, a network error or a refused address
→ the host is unreachable and nothing on it is fetched. robots.txt itself may redirect (up to five hops, each
through the address policy). Its Crawl-delay (fractions too; the standard parser drops them) raises the
host's spacing, capped at :data:`MAX_CRAWL_DELAY` so a hostile file cannot stall the crawl.
"""

from __future__ import annotations

import logging
import re
import urllib.robotparser
from urllib.parse import urldefrag, urljoin, urlsplit

from indexer.crawl.fetch import Fetcher

log = logging.getLogger(__name__)

#: The longest Crawl-delay obeyed (seconds); a longer one is capped, with a log line.
MAX_CRAWL_DELAY = 60.0
#: robots.txt larger than this is not read (Google reads 500 KiB).
MAX_ROBOTS_BYTES = 512 * 1024
_MAX_HOPS = 5
_DELAY = re.compile(r"\s*crawl-delay\s*:\s*([0-9]+(?:\.[0-9]+)?)", re.I)


def robots_crawl_delay(lines: list[str]) -> float | None:
    """The largest Crawl-delay in robots.txt (Python's parser ignores fractional values like 0.5)."""
    found = [float(m.group(1)) for line in lines if (m := _DELAY.match(line))]
    return max(found) if found else None


class _Rules:
    def __init__(self, parser: urllib.robotparser.RobotFileParser | None, closed: str | None) -> None:
        self.parser = parser
        self.closed = closed  # why the whole host is off limits, or None


class Robots:
    """The robots.txt rules of every host a crawl meets."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.hosts: dict[str, _Rules] = {}

    def refusal(self, url: str, allow_private: bool = False) -> str | None:
        """Why robots.txt keeps the crawler from ``url``, or None when it may be fetched."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.hosts:
            self.hosts[origin] = self._load(origin, allow_private)
        rules = self.hosts[origin]
        if rules.closed:
            return rules.closed
        if rules.parser and not rules.parser.can_fetch(self.fetcher.user_agent, url):
            return "forbidden by robots.txt"
        return None

    def _load(self, origin: str, allow_private: bool) -> _Rules:
        url = origin + "/robots.txt"
        for _hop in range(_MAX_HOPS + 1):
            resp = self.fetcher.get(url, allow_private=allow_private, max_bytes=MAX_ROBOTS_BYTES)
            if not resp.location:
                break
            url = urldefrag(urljoin(url, resp.location))[0]
        else:
            return _Rules(None, None)  # too many redirects: RFC 9309 treats it as absent
        if resp.status == 200:
            lines = resp.body.decode("utf-8", "replace").splitlines()
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            parser.parse(lines)
            self._set_delay(origin, robots_crawl_delay(lines))
            return _Rules(parser, None)
        if resp.status in (401, 403):
            return _Rules(None, f"forbidden by robots.txt (HTTP {resp.status} for robots.txt)")
        if 400 <= resp.status < 500:
            return _Rules(None, None)
        why = f"HTTP {resp.status}" if resp.status else resp.error
        return _Rules(None, f"robots.txt unreachable ({why}): host not crawled")

    def _set_delay(self, origin: str, delay: float | None) -> None:
        if not delay:
            return
        if delay > MAX_CRAWL_DELAY:
            log.warning("%s asks for Crawl-delay %g s; using %g s", origin, delay, MAX_CRAWL_DELAY)
            delay = MAX_CRAWL_DELAY
        self.fetcher.host_delay[urlsplit(origin).netloc] = delay
