"""Concordance (KWIC): every occurrence of a wording with its context, one line each, aligned on the match.

Occurrences come from :meth:`~indexer.search.backend.SearchBackend.occurrences` (two in one section are two
lines); this module chooses their order and the page. Orders (:data:`SORTS`):

  date      oldest first, by the latest day a date allows (a year-only date after the dated documents of
            its year), undated last — the order of first use
  newest    newest first, undated last
  region    全国, then provinces in the official order, then cities, unknown last; oldest first within
  left      by the left context read backwards from the match (the word just before it first), as
            concordancers sort "L1, L2…"; then by date
  right     by the right context (the words just after the match first); then by date
  document  in the order of the index (documents as imported, text order within each)

Contexts are compared as normalised text (simplified characters, no white space), so 統一 sorts with 统一.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from indexer.research.results import Concordance
from indexer.research.spread import region_rank
from indexer.search.backend import SearchBackend
from indexer.search.occurrences import MAX_LISTED
from indexer.search.results import Occurrence
from indexer.search.service import PARTIAL_NOTICE, SearchParams

SORTS = ("date", "newest", "region", "left", "right", "document")
MAX_WIDTH = 100
MAX_PER_PAGE = 200
_LAST = 99_999_999


@functools.lru_cache(maxsize=4096)
def date_bounds(date: str | None) -> tuple[int, int]:
    """Earliest and latest day (YYYYMMDD) a date of any precision allows; (0, 0) when undated."""
    if not date:
        return 0, 0
    try:
        parts = [int(x) for x in date.split("-")]
    except ValueError:
        return 0, 0
    y = parts[0]
    if len(parts) >= 3:
        day = y * 10000 + parts[1] * 100 + parts[2]
        return day, day
    if len(parts) == 2:
        last = calendar.monthrange(y, parts[1])[1] if 1 <= parts[1] <= 12 else 31
        return y * 10000 + parts[1] * 100 + 1, y * 10000 + parts[1] * 100 + last
    return y * 10000 + 101, y * 10000 + 1231


def _oldest(o: Occurrence) -> int:
    hi = date_bounds(o.date)[1]
    return hi or _LAST


def _newest(o: Occurrence) -> int:
    lo = date_bounds(o.date)[0]
    return -lo if lo else _LAST


KEYS: dict[str, Callable[[Occurrence], Any] | None] = {
    "date": _oldest,
    "newest": _newest,
    "region": lambda o: (region_rank(o.region.province), o.region.province or "", o.region.city or "", _oldest(o)),
    "left": lambda o: (o.left[::-1], _oldest(o)),
    "right": lambda o: (o.right, _oldest(o)),
    "document": None,
}


@dataclass
class Near:
    """Keep only the lines whose context passes ``test`` (it needs ``width`` characters of context): the
    lines of a wording with one collocate in the window (:func:`indexer.research.collocates.near`)."""

    test: Callable[[Occurrence], bool]
    width: int


def _near_order(near: Near, key: Callable[[Occurrence], Any] | None, seen: dict[str, Any]
                ) -> Callable[[Occurrence], Any]:
    """A sort key putting the lines ``near`` keeps first (in ``key``'s order), counting them in ``seen``."""
    def order(o: Occurrence) -> Any:
        kept = near.test(o)
        if kept:
            seen["lines"] += 1
            seen["documents"].add(o.doc_id)
        return (not kept, key(o) if key else 0)

    return order


def concordance(backend: SearchBackend, p: SearchParams, width: int = 30, sort: str = "date", page: int = 1,
                per_page: int = 50, cap: int = MAX_PER_PAGE, near: Near | None = None) -> Concordance:
    """Page ``page`` of the concordance of ``p``'s wording (``p`` also gives mode and filters); ``per_page``
    is capped at ``cap`` (an export may ask for more lines at once than a page); ``near`` keeps only the
    lines it accepts (``total`` and ``documents`` then count those)."""
    width = max(1, min(width, MAX_WIDTH))
    capped = per_page > cap
    per_page = max(1, min(per_page, cap))
    page = max(1, min(page, MAX_LISTED // per_page + 1))
    window = ((page - 1) * per_page, per_page)
    if near is None:
        found = backend.occurrences(p, width=width, order=KEYS[sort], window=window)
    else:
        seen: dict[str, Any] = {"lines": 0, "documents": set()}
        found = backend.occurrences(p, width=max(width, near.width), order=_near_order(near, KEYS[sort], seen),
                                    window=window)
        found.items = [replace(o, left=o.left[-width:], right=o.right[:width])
                       for o in found.items[:max(0, seen["lines"] - window[0])]]
        found.total, found.documents = seen["lines"], len(seen["documents"])
    notes = []
    if found.partial:
        notes.append(PARTIAL_NOTICE if found.total <= MAX_LISTED else (
            f"{found.total} occurrences: only the first {MAX_LISTED} (in text order) are sorted and listed"))
    if capped:
        notes.append(f"per_page is capped at {cap}: a page holds at most {cap} lines (ask for the next page)")
    notice = "; ".join(notes) or None
    return Concordance(query=p.q, mode=p.mode, sort=sort, width=width, total=found.total, documents=found.documents,
                       page=page, per_page=per_page, lines=found.items, partial=found.partial, notice=notice)
