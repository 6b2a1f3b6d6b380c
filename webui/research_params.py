"""Request parameters of the research pages and API (``/trend``, ``/spread``, ``/concordance``, ``/api/first``…).

The wording(s) and filters become :class:`~indexer.search.service.SearchParams` through
:func:`webui.params.parse_search` (the same checks and messages as a search), except that ``mode`` defaults
to ``exact`` (these views are about a wording) and the search's own ``sort``/``page`` are not read. Numbers
follow the search's rules (``n``, ``width`` and ``per_page`` are capped, ``page`` above 100000 is refused).
Bad values raise :class:`~webui.errors.ApiError` (400) naming the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from indexer.research import collocates
from indexer.research.concordance import MAX_WIDTH, SORTS, Near
from indexer.research.trend import MAX_WORDINGS
from indexer.search.service import SearchParams
from webui.errors import ApiError
from webui.params import _int, parse_search

#: Arguments that carry the filters of a research view (besides q and mode).
FILTER_ARGS = ("province", "city", "doctype", "source", "collection", "year", "from", "to", "issuer", "docno", "status")


def int_arg(args: Mapping[str, str], name: str, default: int, low: int, high: int, cap: bool = True) -> int:
    """A whole number of at least ``low``; above ``high`` it is capped (or refused when not ``cap``), as the
    search's numbers are (:mod:`webui.params`)."""
    return _int(args, name, default, low, high, cap=cap)


def base_params(args: Mapping[str, str], q: str = "") -> SearchParams:
    """Mode and filters of a research request, with ``q`` as its query (mode defaults to exact)."""
    flat = {k: args.get(k) or "" for k in FILTER_ARGS if k in args}
    flat["mode"] = args.get("mode", "exact")  # given, it must be exactly keyword or exact
    if "synonyms" in args:  # keyword terms' equivalents (1, the default, or 0), as in a search
        flat["synonyms"] = args.get("synonyms") or ""
    flat["q"] = q
    return parse_search(flat)


def wordings(args: MultiDict[str, str], required: bool = True) -> list[str]:
    """The ``q`` values (up to five, empty ones dropped)."""
    found = [q.strip() for q in args.getlist("q") if q.strip()]
    if len(found) > MAX_WORDINGS:
        raise ApiError(f"at most {MAX_WORDINGS} wordings (q) can be compared, got {len(found)}")
    if required and not found:
        raise ApiError("q is required: the wording to look for")
    for q in found:
        base_params({}, q)  # the length and syntax checks of a search
    return found


def one_wording(args: MultiDict[str, str], required: bool = True) -> SearchParams:
    """Params of a view of one wording (the first ``q``)."""
    found = [q.strip() for q in args.getlist("q") if q.strip()]
    if required and not found:
        raise ApiError("q is required: the wording to look for")
    return base_params(args, found[0] if found else "")


@dataclass
class ConcordanceArgs:
    """A concordance request: the wording and filters, context width, order and page."""

    params: SearchParams
    width: int
    sort: str
    page: int
    per_page: int
    near: Near | None = None
    near_text: str = ""
    near_unit: str = "word"
    near_span: int = 5


def _near(args: MultiDict[str, str]) -> tuple[Near | None, str, str, int]:
    """A collocate filter: ``near`` (a word or character), ``unit`` (word or char) and ``span``."""
    text = (args.get("near") or "").strip()
    unit = args.get("unit", "word")
    if unit not in collocates.UNITS:
        raise ApiError(f"unit must be one of {', '.join(collocates.UNITS)}, got {unit[:40]!r}")
    span = int_arg(args, "span", 5, 1, collocates.MAX_SPAN)
    if len(text) > 50:
        raise ApiError("near is too long (at most 50 characters)")
    if not text:
        return None, "", unit, span
    return Near(collocates.near(unit, span, text), collocates.context_width(unit, span)), text, unit, span


def concordance_args(args: MultiDict[str, str], required: bool = True, per_page: int = 50) -> ConcordanceArgs:
    sort = args.get("sort", "date")
    if sort not in SORTS:
        raise ApiError(f"sort must be one of {', '.join(SORTS)}, got {sort[:40]!r}")
    near, text, unit, span = _near(args)
    # per_page above MAX_PER_PAGE is capped by the concordance, which says so in its notice
    return ConcordanceArgs(params=one_wording(args, required), width=int_arg(args, "width", 30, 1, MAX_WIDTH),
                           sort=sort, page=int_arg(args, "page", 1, 1, 100_000, cap=False),
                           per_page=int_arg(args, "per_page", per_page, 1, 100_000), near=near, near_text=text,
                           near_unit=unit, near_span=span)
