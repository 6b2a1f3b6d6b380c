"""Citations in GB/T 7714, as plain text: the reference-list entry and a short in-text form.

GB/T 7714-2025 (in force from 2026-07-01) is the default and GB/T 7714-2015 an option. A document is cited
as an online resource: a standard (its number, NB/T 10001—2023, is its 其他题名信息) as ``[S/OL]``, an official
document (it has a 发文字号, or its type is a 公文 such as 通知, 意见, 决定, 报告, 决议) as ``[A/OL]`` — the
standard's own example for official documents — anything else as ``[EB/OL]``; the type comes from what the
document is, so a series (the yearly work reports, titled or not) is cited with one type::

    2015: 北京市人民政府办公厅. 关于转发…的通知：京政办发〔2005〕37号[A/OL]. (2005-07-12)[2011-07-12]. URL.
    2025: 北京市人民政府办公厅. 关于转发…的通知：京政办发〔2005〕37号[A/OL]. （2005-07-12）[2011-07-12]. URL.

The 2025 edition unifies the marks: "." "[ ]" "/" "-" stay half-width, colon, comma and round brackets are
full-width (its examples, e.g. ``许振超. “好好干，当一个好工人”[EB/OL]. （2025-02-17）[2025-06-22]. URL.``).
Fields: 主要责任者 = issuer, else source; 题名 = title (a title the document does not state is given in
square brackets, as the standard does for untitled resources); 其他题名信息 = 发文字号; the date in round
brackets is the publication date as precise as known — a year the document does not state but implies
(``date_inferred``: a work report reviewing 1996) in square brackets inside them, ``（[1997]）``, as
bibliographic practice marks a supplied date; the 引用日期 in square brackets is the day the citation is made
(today, unless ``cited`` says otherwise); the access path is the original URL, else the document's page on
this site (relative when no public address is configured: that is where the address goes). A missing field is
left out with its marks, never printed as empty punctuation.

In-text (著者-出版年制): ``（国务院办公厅，2019）`` in 2025 style, ``(国务院办公厅, 2019)`` in 2015 style, an
inferred year in brackets (``（国务院，[1997]）``); 佚名 stands for a 责任者 the document does not name, as the
standard's author-year examples do (extraction names it wherever the text does: header, title, 落款, byline).
"""

from __future__ import annotations

import datetime as _dt
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
    date_inferred: bool = False

    @property
    def year(self) -> str | None:
        """The year of the in-text form; a supplied (inferred) year in square brackets."""
        if not (self.date and self.date[:4].isdigit()):
            return None
        return f"[{self.date[:4]}]" if self.date_inferred else self.date[:4]

    @property
    def shown_date(self) -> str | None:
        if not self.date:
            return None
        return f"[{self.date}]" if self.date_inferred else self.date


def today() -> str:
    """The 引用日期 of a citation made now (ISO date)."""
    return _dt.date.today().isoformat()


def citation_fields(*, title: str | None, title_derived: bool = False, issuer: str | None = None,
                    source: str | None = None, doc_number: str | None = None, doctype: str | None = None,
                    date: str | None = None, url: str | None = None, permalink: str | None = None,
                    date_inferred: bool = False, cited: str | None = None) -> CitationFields:
    """The citation fields of a document's metadata (``permalink``: its page on this site; ``cited``: the
    引用日期, YYYY-MM-DD, today when not given)."""
    online = url if url and url.startswith(("http://", "https://")) else None
    official = bool(doc_number) or doctype in OFFICIAL_TYPES
    code = "S" if doctype == "标准" else "A" if official else "EB"
    return CitationFields(
        author=_clean(issuer) or _clean(source), title=_clean(title), title_derived=title_derived,
        doc_number=_clean(doc_number), type_code=code, date=_clean(date),
        accessed=(cited or today())[:10], url=online or permalink or None,
        date_inferred=bool(date_inferred and date))


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


def fields_of(doc: Citable, permalink: str, cited: str | None = None) -> CitationFields:
    """The citation fields of a :class:`~indexer.search.results.DocumentView` or a hit (``doc_number`` and
    ``date_inferred`` may be absent on a hit)."""
    return citation_fields(title=doc.title, title_derived=doc.title_derived, issuer=doc.issuer, source=doc.source,
                           doc_number=getattr(doc, "doc_number", None), doctype=doc.doctype, date=doc.date,
                           url=doc.url, permalink=permalink, date_inferred=bool(getattr(doc, "date_inferred", False)),
                           cited=cited)


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
    when = (f"{lpar}{f.shown_date}{rpar}" if f.date else "") + (f"[{f.accessed}]" if f.accessed else "")
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
