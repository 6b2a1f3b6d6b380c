"""Parse, coerce and cap request parameters into :class:`indexer.search.service.SearchParams`.

Bad values raise :class:`webui.errors.ApiError` (400) with a message naming the parameter; ``per_page`` is
capped at ``MAX_PER_PAGE`` rather than refused; other numbers out of range (``page`` above 100000, ``year``
outside 1–9999) and a ``status`` other than the three the index gives are refused, as the OpenAPI description
says. Numbers and choices (``mode``, ``sort``,
``group``) given empty (``page=``) are refused; empty text filters and dates (what a form sends for an
untouched field) mean "not set". Digits are ASCII
digits, as in the description's patterns. Dates must exist (2020-02-30 is refused). The same function serves
the page and the API.

:func:`refuse_raw_bytes` runs before every request: an address whose bytes are not UTF-8, sent raw or
percent-encoded (``%FF``, an encoded surrogate ``%ED%A0%80``), is a 400 in the usual error shape (not a
plain-text 400 or a 500, and not a search for the literal text ``%FF`` or a document named U+FFFD, which is
what Werkzeug's lenient decoding would make of it). A ``%`` not followed by two hex digits (``q=100%``) is
text, not an encoding, and is read as such.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from urllib.parse import unquote_to_bytes

from flask import request

from indexer.relations.resolve import STATUS_LABELS
from indexer.search.results import UNKNOWN_VALUE
from indexer.search.service import GROUPS, SORTS, SearchParams
from webui.errors import ApiError

FILTERS = ("province", "city", "doctype", "source", "collection", "issuer", "docno", "status")
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
MAX_QUERY = 500
#: environ keys that hold the request's path as sent (percent-encoding and all); WSGI servers differ in which
#: they set (gunicorn and Werkzeug's test client both, waitress ``REQUEST_URI``)
_SENT_KEYS = ("RAW_URI", "REQUEST_URI")
RAW_BYTES_MESSAGE = ("the address contains bytes that are not UTF-8: percent-encode the text as UTF-8 "
                     "(统 is %E7%BB%9F; browsers do this themselves)")


def _utf8(wsgi_text: str, percent_encoded: bool = True, form: bool = False) -> bool:
    """Whether a WSGI string (bytes as Latin-1 characters) holds valid UTF-8 once its ``%XX`` escapes are
    decoded (when ``percent_encoded``; ``form``: a query string, where ``+`` is a space). Strict: an encoded
    surrogate (``%ED%A0%80``) is not UTF-8 either. A ``%`` without two hex digits after it stays as it is."""
    try:
        raw = wsgi_text.encode("latin-1")
    except UnicodeEncodeError:  # already text (a test client's environ)
        return True
    if percent_encoded:
        raw = unquote_to_bytes(raw.replace(b"+", b" ") if form else raw)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def refuse_raw_bytes() -> None:
    """Refuse a request whose address holds bytes that are not UTF-8, raw or percent-encoded
    (``before_request`` hook; raises ApiError). Raw UTF-8 is read as if it were percent-encoded, as browsers
    show it.

    The site's middleware (:mod:`webui.wsgi`) percent-encodes raw UTF-8 and marks the request when the bytes
    are not UTF-8; behind another WSGI stack they arrive as Latin-1 characters in the query string and the
    request URI, checked here too. Percent-encoded bytes pass any server as ASCII, so they are decoded here
    and checked the same way: Werkzeug would otherwise read ``q=%FF`` as the text ``%FF`` and a path's
    ``%FF`` as U+FFFD. The path is checked as sent (``RAW_URI``/``REQUEST_URI``: the whole address, its
    query too); without either, ``PATH_INFO``, which the server has already percent-decoded, is checked as
    it is (decoding it again would misread a ``%25FF`` that was sent as text).
    """
    environ = request.environ
    sent = [str(environ[k]) for k in _SENT_KEYS if environ.get(k)]
    path_ok = all(_utf8(s) for s in sent) if sent else _utf8(str(environ.get("PATH_INFO", "")), percent_encoded=False)
    if (environ.get("tzsearch.raw_bytes") == "invalid" or not path_ok
            or not _utf8(str(environ.get("QUERY_STRING", "")), form=True)):
        raise ApiError(RAW_BYTES_MESSAGE)


def _int(args: Mapping[str, str], name: str, default: int, low: int, high: int, cap: bool = False) -> int:
    """A whole number in [low, high]; above ``high`` it is capped when ``cap``, else refused."""
    if name not in args:
        return default
    raw = (args.get(name) or "").strip()
    if not raw:
        raise ApiError(f"{name} must be a whole number, got an empty value")
    m = re.fullmatch(r"0*([0-9]+)(?:\.0*)?", raw)  # 5.0 is a whole number too (as JSON Schema says)
    if not m:
        raise ApiError(f"{name} must be a whole number, got {raw[:40]!r}")
    value = int(m.group(1)) if len(m.group(1)) <= 18 else 10**18  # any huge number is above every limit
    if value < low:
        raise ApiError(f"{name} must be at least {low}")
    if value > high and not cap:
        raise ApiError(f"{name} must be at most {high}")
    return min(value, high)


def _date(args: Mapping[str, str], name: str, end: bool) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    m = _DATE.match(raw)
    if not m:
        raise ApiError(f"{name} must be a date YYYY-MM-DD (or YYYY, YYYY-MM), got {raw[:40]!r}")
    year, month, day = int(m.group(1)), int(m.group(2) or (12 if end else 1)), m.group(3)
    if not 1 <= year or not 1 <= month <= 12:
        raise ApiError(f"{name} is not a real date: {raw!r}")
    last = calendar.monthrange(year, month)[1]
    d = int(day) if day else (last if end else 1)
    if not 1 <= d <= last:
        raise ApiError(f"{name} is not a real date: {raw!r}")
    return f"{year:04d}-{month:02d}-{d:02d}"


def parse_search(args: Mapping[str, str], max_per_page: int = 100, default_per_page: int = 10,
                 synonyms: bool = True) -> SearchParams:
    """Request arguments → SearchParams (raises ApiError on a bad value); ``synonyms`` is the default of the
    ``synonyms`` parameter (the SYNONYMS setting)."""
    q = _text(args, "q") or ""
    mode = _choice(args, "mode", ("keyword", "exact"))
    sort = _choice(args, "sort", (*SORTS, "date"))
    sort = "newest" if sort == "date" else sort
    group = _choice(args, "group", GROUPS)
    if (args.get("year") or "").strip() == UNKNOWN_VALUE:
        year: int | None = 0
    else:
        year = _int(args, "year", 0, 1, 9999) or None
    date_from, date_to = _date(args, "from", False), _date(args, "to", True)
    if date_from and date_to and date_from > date_to:
        raise ApiError("from must not be after to")
    status = _text(args, "status")
    if status and status not in STATUS_LABELS:
        raise ApiError(f"status must be one of {', '.join(STATUS_LABELS)}, got {status[:40]!r}")
    default = "1" if synonyms else "0"
    expand = _choice({"synonyms": args.get("synonyms", default)}, "synonyms", ("1", "0")) == "1"
    return SearchParams(
        q=q, mode=mode, year=year, date_from=date_from, date_to=date_to, sort=sort, group=group, synonyms=expand,
        page=_int(args, "page", 1, 1, 100000),
        per_page=_int(args, "per_page", default_per_page, 1, max_per_page, cap=True),
        **{f: _text(args, f) for f in FILTERS},
    )


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """One of ``allowed``, exactly (the first when the parameter is absent; given empty, it is refused)."""
    value = args.get(name, allowed[0])
    if value not in allowed:
        raise ApiError(f"{name} must be one of {', '.join(allowed)}, got {value[:40]!r}")
    return value


def _text(args: Mapping[str, str], name: str) -> str | None:
    raw = args.get(name) or ""
    if len(raw) > MAX_QUERY:  # measured as sent (the description's maxLength), before white space is trimmed
        raise ApiError(f"{name} is too long ({len(raw)} characters; at most {MAX_QUERY})")
    return raw.strip() or None
