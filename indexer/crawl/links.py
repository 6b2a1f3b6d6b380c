"""What a fetched HTML page points to: pages to follow, attachments, pagination, and how much of it is links.

A link is an **attachment** when its file type is a document rather than a page — a suffix in
:data:`indexer.extract.filetypes.SUFFIXES` whose kind is not HTML (``.txt`` today; ``.pdf``, ``.docx``…
as readers land), or one of :data:`DOCUMENT_SUFFIXES` that have no reader yet — or when the page labels it
as one (its text or the text just before it starts with 附件). Media and archive links are neither followed
nor attached. Every other http(s) link is a page link; a page link is **pagination** when its text says so
(下一页, 尾页, a bare page number…) or its URL does (``index_3.html``, ``?page=3``). The crawler uses that to
bound how deep it walks a list's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.extract.filetypes import HTML, SUFFIXES

#: Document types recorded as attachments even before a reader exists (then skipped "unsupported type").
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".et", ".rtf", ".ppt",
                               ".pptx", ".dps", ".ceb", ".odt", ".ods", ".csv"})
#: Files that are neither pages nor documents: never followed, never attached.
IGNORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".mp3", ".mp4",
                              ".avi", ".wmv", ".flv", ".mov", ".swf", ".zip", ".rar", ".7z", ".gz", ".tar",
                              ".exe", ".apk", ".iso", ".css", ".js", ".xml", ".json"})
_ATTACHMENT_LABEL = re.compile(r"^\s*附\s*件")
_PAGINATION_TEXT = re.compile(
    r"^[\[【(（<«»>\s]*(下一?页|上一?页|前一?页|后一?页|首页|尾页|末页|最后一页|第?\d{1,5}页?|next|prev(ious)?|last|first|"
    r"下一頁|上一頁|»|«|>|<|>>|<<|…|\.\.\.)[\]】)）>«»<\s]*$", re.I)
_PAGINATION_URL = re.compile(r"(_\d{1,5}\.s?html?$|[?&](page|pageno|pageindex|pagenum|curpage|currentpage|pn|p|start|"
                             r"offset)=\d+|/page/\d+/?$)", re.I)
_SPACE = re.compile(r"\s+")


@dataclass
class Link:
    """One link of a page: absolute URL (no fragment) and its text."""

    url: str
    label: str = ""


@dataclass
class PageLinks:
    """The links of one page, sorted by what the crawler does with them."""

    pages: list[Link] = field(default_factory=list)
    attachments: list[Link] = field(default_factory=list)
    link_share: float = 1.0  # share of the page's text inside page links (a list page is mostly links)


def url_suffix(url: str) -> str:
    """The lower-cased suffix of a URL's path (``.pdf``), or ""."""
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def is_pagination(link: Link) -> bool:
    """Whether a page link leads to another page of the same list."""
    return bool(_PAGINATION_TEXT.match(link.label) or _PAGINATION_URL.search(link.url))


def _is_attachment(url: str, label: str, before: str) -> bool:
    suffix = url_suffix(url)
    if suffix in DOCUMENT_SUFFIXES or (suffix in SUFFIXES and SUFFIXES[suffix] != HTML):
        return True
    return bool(_ATTACHMENT_LABEL.match(label) or _ATTACHMENT_LABEL.match(before))


def _text_before(a: Tag) -> str:
    """The text right before a link in its block (``附件：`` in ``<p>附件：<a>…</a></p>``)."""
    prev = a.previous_sibling
    while prev is not None and isinstance(prev, NavigableString) and not prev.strip():
        prev = prev.previous_sibling
    if isinstance(prev, NavigableString):
        return str(prev).strip()[-12:]
    if isinstance(prev, Tag) and prev.name not in ("a", "br", "p", "div", "li"):
        return prev.get_text().strip()[-12:]
    if prev is None and isinstance(a.parent, Tag) and a.parent.name in ("span", "font", "strong", "em", "b"):
        return _text_before(a.parent)
    return ""


def _href(a: Tag) -> str:
    raw = a.get("href")
    return (raw if isinstance(raw, str) else " ".join(raw or [])).strip()


def page_links(body: bytes, base: str) -> PageLinks:
    """Page links, attachments and link share of the HTML page ``body`` fetched from ``base``."""
    soup = BeautifulSoup(body, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    out = PageLinks()
    seen: set[str] = set()
    linked = 0
    for a in soup.find_all("a"):
        label = _SPACE.sub(" ", a.get_text()).strip()
        href = _href(a)
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            linked += len(label.replace(" ", ""))
            continue
        url = urldefrag(urljoin(base, href))[0]
        if urlsplit(url).scheme not in ("http", "https") or url_suffix(url) in IGNORED_SUFFIXES:
            continue
        if _is_attachment(url, label, _text_before(a)):
            target = out.attachments  # an attachment's label is part of the article, not of a list
        else:
            target = out.pages
            linked += len(label.replace(" ", ""))
        if url not in seen:
            seen.add(url)
            target.append(Link(url, label))
    text = len(_SPACE.sub("", soup.get_text()))
    out.link_share = linked / text if text else 1.0
    return out
