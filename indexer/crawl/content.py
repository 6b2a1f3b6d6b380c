"""What a fetched body is and what becomes of it: its kind, its state record, and for an attachment the
article metadata it inherits.

A page's kind comes from its Content-Type (HTML or plain text; anything else is not a page). An
attachment's kind comes from the file-type table (:data:`indexer.extract.filetypes.SUFFIXES`) by the
suffix of its name — the Content-Disposition file name, else the URL, else the suffix of its Content-Type
— so a format gets crawled as soon as it has a reader. A document suffix without a reader is refused before
the request is made.

An attachment's documents get ``parent`` (the article's doc_id) and, where the file itself does not state
them, the article's date (with its precision and year), issuer, source (来源) and region; a title the file
does not state is taken from the link text (附件1：关于…的通知.pdf → 关于…的通知).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from indexer.crawl.fetch import Response
from indexer.crawl.links import DOCUMENT_SUFFIXES, url_suffix
from indexer.crawl.state import Task
from indexer.document import Document
from indexer.extract.filetypes import HTML, SUFFIXES, TEXT
from indexer.extract.sanitize import clean_field

_CHARSET = re.compile(r"charset=\"?([\w.:-]+)", re.I)
_FILENAME = re.compile(r"filename\*?\s*=\s*(?:[\w-]+'[\w-]*')?\"?([^\";]+)", re.I)
_LABEL_PREFIX = re.compile(r"^\s*(附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：.、]?\s*)?"
                           r"([0-9０-９]{1,2}\s*[.、．]\s*)?")
#: Article fields an attachment takes when it does not state its own.
INHERITED = ("date", "date_precision", "year", "issuer", "source", "province", "city")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def http_charset(resp: Response) -> str | None:
    m = _CHARSET.search(resp.headers.get("content-type", ""))
    return m.group(1) if m else None


def page_kind(resp: Response) -> str | None:
    """HTML or TEXT for a page by its Content-Type (HTML when it names none), None when it is not a page."""
    ctype = resp.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if "html" in ctype:
        return HTML
    return TEXT if ctype == "text/plain" else None


def record(resp: Response, role: str, **extra: Any) -> dict[str, Any]:
    """The state record of a URL fetched with ``resp``."""
    return {"role": role, "etag": resp.headers.get("etag"), "last_modified": resp.headers.get("last-modified"),
            "fetched": now_iso(), **extra}


def unsupported_before_fetch(url: str) -> str | None:
    """Why an attachment is not fetched at all: a document type that has no reader yet."""
    suffix = url_suffix(url)
    if suffix in DOCUMENT_SUFFIXES and suffix not in SUFFIXES:
        return f"unsupported type {suffix} (no reader for it yet)"
    return None


def attachment_kind(resp: Response) -> tuple[str | None, str]:
    """(kind, suffix) of a fetched attachment; kind None when no reader exists for it."""
    m = _FILENAME.search(resp.headers.get("content-disposition", ""))
    suffix = PurePosixPath(unquote(m.group(1).strip())).suffix.lower() if m else ""
    if suffix not in SUFFIXES:
        suffix = url_suffix(resp.url) if url_suffix(resp.url) in SUFFIXES else suffix
    if suffix not in SUFFIXES:
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        suffix = mimetypes.guess_extension(ctype) or suffix or ctype
    return SUFFIXES.get(suffix), suffix


def inheritable(doc: Document | None) -> dict[str, Any]:
    """The metadata an article passes to its attachments."""
    if doc is None:
        return {}
    return {name: getattr(doc, name) for name in INHERITED if getattr(doc, name) is not None}


def label_title(label: str | None, suffix: str) -> str | None:
    """A title from an attachment's link text, or None when the text is no title (下载, 附件)."""
    text = _LABEL_PREFIX.sub("", clean_field(label or "").strip())
    if text.lower().endswith(suffix) and suffix:
        text = text[: -len(suffix)]
    text = text.strip()
    return text if len(text) >= 4 and text not in ("点击下载", "附件下载") else None


def adopt(docs: list[Document], task: Task, fetched: str, suffix: str) -> None:
    """Make ``docs`` (extracted from an attachment) children of the task's article (see module)."""
    inherit = task.inherit or {}
    for doc in docs:
        doc.parent = task.parent
        doc.fetched = fetched
        vaguer = doc.date_precision == "year" and inherit.get("date_precision") in ("day", "month") \
            and str(inherit.get("date", ""))[:4] == (doc.date or "")[:4]
        if (doc.date is None or vaguer) and inherit.get("date"):  # the article dates a year-only attachment
            doc.date, doc.date_precision = inherit["date"], inherit.get("date_precision")
            doc.year = doc.year or inherit.get("year")
        if doc.year is None:
            doc.year = inherit.get("year")
        if doc.issuer is None:
            doc.issuer = inherit.get("issuer")
        if doc.source is None:
            doc.source = inherit.get("source")
        if doc.province is None:
            doc.province, doc.city = inherit.get("province"), inherit.get("city")
        elif doc.city is None and doc.province == inherit.get("province"):
            doc.city = inherit.get("city")
        if doc.title is None or doc.title_derived:
            title = label_title(task.label, suffix)
            if title:
                doc.title, doc.title_derived = title, False
