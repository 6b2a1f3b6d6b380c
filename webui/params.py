"""Parse, coerce and cap request parameters into :class:`indexer.search.service.SearchParams`.

Bad values raise :class:`webui.errors.ApiError` (400) with a message naming the parameter; ``per_page`` is
capped at ``MAX_PER_PAGE`` (100) rather than refused. The same function serves the page and the API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from indexer.search.service import SearchParams
from webui.errors import ApiError

FILTERS = ("province", "city", "doctype", "source")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_QUERY = 500


def _int(args: Mapping[str, str], name: str, default: int, low: int, high: int | None = None) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ApiError(f"{name} must be a whole number, got {raw[:40]!r}")
    value = int(raw)
    if value < low:
        raise ApiError(f"{name} must be at least {low}")
    return min(value, high) if high else value


def _date(args: Mapping[str, str], name: str, end: bool) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not _DATE.match(raw):
        raise ApiError(f"{name} must be a date YYYY-MM-DD (or YYYY, YYYY-MM), got {raw[:40]!r}")
    if len(raw) == 4:
        return raw + ("-12-31" if end else "-01-01")
    if len(raw) == 7:
        return raw + ("-31" if end else "-01")
    return raw


def parse_search(args: Mapping[str, str], max_per_page: int = 100, default_per_page: int = 10) -> SearchParams:
    """Request arguments → SearchParams (raises ApiError on a bad value)."""
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise ApiError(f"q is too long ({len(q)} characters; at most {MAX_QUERY})")
    mode = (args.get("mode") or "keyword").strip()
    if mode not in ("keyword", "exact"):
        raise ApiError("mode must be 'keyword' or 'exact'")
    sort = (args.get("sort") or "relevance").strip()
    if sort not in ("relevance", "date"):
        raise ApiError("sort must be 'relevance' or 'date'")
    year_raw = (args.get("year") or "").strip()
    year = _int(args, "year", 0, 1) if year_raw else None
    date_from, date_to = _date(args, "from", False), _date(args, "to", True)
    if date_from and date_to and date_from > date_to:
        raise ApiError("from must not be after to")
    return SearchParams(
        q=q, mode=mode, year=year, date_from=date_from, date_to=date_to, sort=sort,
        page=_int(args, "page", 1, 1, 100000),
        per_page=_int(args, "per_page", default_per_page, 1, max_per_page),
        **{f: ((args.get(f) or "").strip() or None) for f in FILTERS},
    )
