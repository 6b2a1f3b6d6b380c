"""Alerts: ``/feed.atom?<search parameters>`` — an Atom feed (RFC 4287) of the newest matching documents.

Entries are the search's documents in the order they entered the index (``sort=added``, one per document),
``FEED_ENTRIES`` of them (default 50): a document reaches the feed as soon as the import or crawl that
brought it commits. Feed readers and mail-digest tools poll it. Each entry's ``id`` is a UUID derived from
the document's id (stable across polls), ``updated`` is when it entered the index, and links go to the
document page — relative unless ``TZSEARCH_BASE_URL`` is set (readers resolve them against the feed's own
address; the ``Host`` header of a request is never used). The XML is built with ElementTree, so every text
is escaped, and every text and attribute first loses the characters XML 1.0 cannot hold at all (C0 controls
but tab and line breaks, U+FFFE/U+FFFF, lone surrogates): one document holding them (extraction removes
them too) or a query of ``%01`` must not make the feed unreadable for every subscriber.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, url_for

from indexer.search.query import QueryTooComplex
from indexer.search.results import Hit, doc_path, region_label
from webui.errors import ApiError
from webui.params import parse_search
from webui.presenters import state
from webui.service import api_service

bp = Blueprint("feeds", __name__)
ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def feed_url(args: Any) -> str:
    """The feed of a search page's search (sort and paging left out: a feed is always newest first)."""
    current = {k: v for k, v in state(args).items() if k not in ("sort", "group", "per_page")}
    return url_for("feeds.feed") + ("?" + urlencode(current) if current else "")


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"feed_url": feed_url}


#: What XML 1.0 cannot hold (the complement of its ``Char`` production).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def _id(kind: str, value: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tzsearch:{kind}:{value}").urn


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _entry(feed: ET.Element, hit: Hit, base: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", _id("doc", hit.doc_id))
    _sub(entry, "title", hit.title or hit.doc_id)
    _sub(entry, "updated", hit.added or _now())
    _sub(entry, "link", rel="alternate", type="text/html", href=doc_path(hit.doc_id, base_url=base))
    if hit.date and hit.date_precision == "day":
        _sub(entry, "published", f"{hit.date}T00:00:00+08:00")
    meta = " · ".join(x for x in (hit.date, hit.issuer or hit.source, region_label(hit.region), hit.doctype) if x)
    _sub(entry, "summary", (meta + "\n" if meta else "") + hit.snippet, type="text")
    for value in (hit.region.province, hit.doctype):
        if value:
            _sub(entry, "category", term=value)


@bp.get("/feed.atom")
def feed() -> Response:
    params = parse_search(request.args, current_app.config["MAX_PER_PAGE"], current_app.config["DEFAULT_PER_PAGE"],
                          current_app.config["SYNONYMS"])
    params.sort, params.group, params.page = "added", "document", 1
    params.per_page = min(current_app.config["FEED_ENTRIES"], current_app.config["MAX_PER_PAGE"])
    try:
        result = api_service().search(params)
    except QueryTooComplex as exc:
        raise ApiError(str(exc)) from exc
    base = current_app.config["BASE_URL"].rstrip("/")
    current = state(request.args)
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "id", _id("feed", urlencode(sorted(current.items()))))
    name = current_app.config["SITE_NAME"]
    _sub(root, "title", f"{name}：{params.q}" if params.q else f"{name}：新收录文档")
    _sub(root, "subtitle", f"最新收录的匹配文档（共 {result.total} 篇）")
    _sub(root, "updated", max((h.added for h in result.hits if h.added), default=None) or _now())
    _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed_url(request.args))
    _sub(root, "link", rel="alternate", type="text/html",
         href=base + url_for("views.search") + ("?" + urlencode(current) if current else ""))
    author = _sub(root, "author")
    _sub(author, "name", name)
    _sub(root, "generator", "tzsearch")
    for hit in result.hits:
        _entry(root, hit, base)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type=MEDIA_TYPE)
