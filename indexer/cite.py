"""Citations in GB/T 7714, as plain text: the reference-list entry and a short in-text form.

GB/T 7714-2025 (in force from 2026-07-01) is the default and GB/T 7714-2015 an option. A document is cited
as an online resource: an official document (it has a 发文字号, or its type is a 公文 such as 通知, 意见,
决定) as ``[A/OL]`` — the standard's own example for official documents — anything else as ``[EB/OL]``::

    2015: 北京市人民政府办公厅. 关于转发…的通知：京政办发〔2005〕37号[A/OL]. (2005-07-12)[2011-07-12]. URL.
    2025: 北京市人民政府办公厅. 关于转发…的通知：京政办发〔2005〕37号[A/OL]. （2005-07-12）[2011-07-12]. URL.

The 2025 edition unifies the marks: "." "[ ]" "/" "-" stay half-width, colon, comma and round brackets are
full-width (its examples, e.g. ``许振超. “好好干，当一个好工人”[EB/OL]. （2025-02-17）[2025-06-22]. URL.``).
Fields: 主要责任者 = issuer, else source; 题名 = title (a title the document does not state is given in
square brackets, as the standard does for untitled resources); 其他题名信息 = 发文字号; the date in round
brackets is the publication date as precise as known; the 引用日期 in square brackets is when a crawler
fetched the page (left out otherwise); the access path is the original URL, else the document's page on this
site (relative when no public address is configured: that is where the address goes). A missing field is
left out with its marks, never printed as empty punctuation.

In-text (著者-出版年制): ``（国务院办公厅，2019）`` in 2025 style, ``(国务院办公厅, 2019)`` in 2015 style;
佚名 stands for a missing 责任者, as the standard's author-year examples do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

STYLES = ("2025", "2015")
DEFAULT_STYLE = "2025"
#: Document types that are official documents (党政机关公文 and regulations): cited as [A/OL].
OFFICIAL_TYPES = frozenset({"通知", "通报", "意见", "决定", "决议", "办法", "方案", "规划", "条例", "规定", "批复",
                            "函", "答复", "公告", "纪要", "报告", "命令", "公报", "请示", "议案"})


@dataclass(frozen=True)
class CitationFields:
    """What a citation is made of (see the module docstring for where each comes from)."""

    author: str | None
    title: str | None
    title_derived: bool
    doc_number: str | None
    type_code: str
    date: str | None
    accessed: str | None
    url: str | None

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date and self.date[:4].isdigit() else None


def citation_fields(*, title: str | None, title_derived: bool = False, issuer: str | None = None,
                    source: str | None = None, doc_number: str | None = None, doctype: str | None = None,
                    date: str | None = None, url: str | None = None, fetched: str | None = None,
                    permalink: str | None = None) -> CitationFields:
    """The citation fields of a document's metadata (``permalink``: its page on this site)."""
    online = url if url and url.startswith(("http://", "https://")) else None
    official = bool(doc_number) or doctype in OFFICIAL_TYPES
    return CitationFields(
        author=_clean(issuer) or _clean(source), title=_clean(title), title_derived=title_derived,
        doc_number=_clean(doc_number), type_code="A" if official else "EB", date=_clean(date),
        accessed=fetched[:10] if fetched and fetched[:4].isdigit() else None, url=online or permalink or None)


class Citable(Protocol):
    """What a document or hit of the result model offers a citation."""

    title: str | None
    title_derived: bool
    issuer: str | None
    source: str | None
    doc_number: str | None
    doctype: str | None
    date: str | None
    url: str | None
    fetched: str | None


def fields_of(doc: Citable, permalink: str) -> CitationFields:
    """The citation fields of a :class:`~indexer.search.results.DocumentView` or a hit (``doc_number`` may be
    absent on a hit)."""
    return citation_fields(title=doc.title, title_derived=doc.title_derived, issuer=doc.issuer, source=doc.source,
                           doc_number=getattr(doc, "doc_number", None), doctype=doc.doctype, date=doc.date,
                           url=doc.url, fetched=doc.fetched, permalink=permalink)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip().rstrip("。.")
    return value or None


def citation(f: CitationFields, style: str = DEFAULT_STYLE) -> str:
    """The reference-list entry."""
    full = style != "2015"
    colon = "："
    lpar, rpar = ("（", "）") if full else ("(", ")")
    parts: list[str] = []
    if f.author:
        parts.append(f"{f.author}.")
    title = f"[{f.title}]" if f.title and f.title_derived else (f.title or "")
    if f.doc_number:
        title = f"{title}{colon}{f.doc_number}" if title else f.doc_number
    parts.append(f"{title}[{f.type_code}/OL].")
    when = (f"{lpar}{f.date}{rpar}" if f.date else "") + (f"[{f.accessed}]" if f.accessed else "")
    if when:
        parts.append(f"{when}.")
    if f.url:
        parts.append(f"{f.url}.")
    return " ".join(parts)


def citation_short(f: CitationFields, style: str = DEFAULT_STYLE) -> str:
    """The in-text form: (责任者, 年)."""
    who = f.author or "佚名"
    if style == "2015":
        return f"({who}, {f.year})" if f.year else f"({who})"
    return f"（{who}，{f.year}）" if f.year else f"（{who}）"
