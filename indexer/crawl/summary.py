"""What a crawl did, as counts, skip reasons and why it stopped — printed at the end of every crawl."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CrawlSummary:
    """Counts of one run. ``fetched`` counts URLs the crawl asked for (hops and retries are ``requests``);
    ``limited`` counts links not followed because of a limit (pagination depth, page budget); ``write_error``
    says why a batch could not be written to the index (the crawl then failed)."""

    fetched: int = 0
    requests: int = 0
    unchanged: int = 0
    new: int = 0
    updated: int = 0
    list_pages: int = 0
    attachments: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    limited: Counter[str] = field(default_factory=Counter)
    stopped: str = "done"
    write_error: str | None = None  # a batch the index did not take: the crawl failed
    state_saved: bool = False
    seconds: float = 0.0

    def skip(self, url: str, reason: str) -> None:
        self.skipped.append((url, reason))

    def to_json(self) -> dict[str, Any]:
        return {"fetched": self.fetched, "requests": self.requests, "unchanged": self.unchanged, "new": self.new,
                "updated": self.updated, "list_pages": self.list_pages, "attachments": self.attachments,
                "skipped": [{"url": u, "reason": r} for u, r in self.skipped], "limited": dict(self.limited),
                "stopped": self.stopped, "write_error": self.write_error, "state_saved": self.state_saved,
                "seconds": round(self.seconds, 2)}

    def lines(self) -> list[str]:
        """The human-readable summary."""
        out = [f"fetched {self.fetched}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
               f"{self.list_pages} list pages, {self.attachments} attachments indexed, {len(self.skipped)} "
               f"skipped ({self.requests} requests, {self.seconds:.1f}s)"]
        if self.stopped != "done":
            out.append(f"stopped: {self.stopped}")
        for what, count in sorted(self.limited.items()):
            out.append(f"  not followed ({what}): {count}")
        out.extend(f"  skipped {url}: {reason}" for url, reason in self.skipped)
        if not self.state_saved:
            out.append("  crawl state not saved: the next run repeats the work since the last save")
        return out
