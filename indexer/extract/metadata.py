"""Metadata from labelled lines and from the text: dates, source, issuer, document number, type.

Nothing is invented: a field nobody states stays None. Labelled lines (发布时间：… 来源：… 成文日期：…) give
fields directly; which of a document's dates is its own is :mod:`indexer.extract.dating`'s job.
"""

from __future__ import annotations

import re

from indexer.extract import rules
from indexer.extract.dates import parse_date

__all__ = ["find_doc_number", "infer_doctype", "is_meta_line", "parse_date", "parse_meta_line"]


def is_meta_line(line: str) -> bool:
    """A short line made of metadata labels (来源:… 发布时间:… 浏览:)."""
    s = line.strip()
    return len(s) <= 120 and bool(re.search(
        r"(发布时间|发布日期|发文日期|成文日期|更新时间|信息来源|文章来源|来源|作者|责任编辑|浏览次数|浏览|点击数|"
        r"阅读次数)\s*[:：]", s))


def parse_meta_line(line: str) -> dict[str, str]:
    """Fields stated by one labelled line: date, written (成文日期), source, issuer, doc_number."""
    out: dict[str, str] = {}
    m = rules.DATE_LABEL.search(line)
    if m:
        date = parse_date(line[m.end():m.end() + 40])
        if date:
            out["date"] = date
    m = rules.WRITTEN_LABEL.search(line)
    if m:
        written = parse_date(line[m.end():m.end() + 40])
        if written:
            out["written"] = written
    m = rules.SOURCE_LABEL.search(line + " ")
    if m:
        out["source"] = m.group(1).strip("　 ,，;；")
    m = rules.ISSUER_LABEL.search(line)
    if m:
        out["issuer"] = m.group(1)
    m = rules.DOCNUM_LABEL.search(line)
    if m:
        out["doc_number"] = m.group(1)
    return out


def infer_doctype(title: str | None, lines: list[str]) -> str | None:
    """Document type from the title (the type word nearest its end), or a speech's salutation."""
    if title:
        best: tuple[int, str] | None = None
        for pattern, doctype in rules.DOCTYPES:
            for m in re.finditer(pattern, title):
                if best is None or m.end() > best[0]:
                    best = (m.end(), doctype)
        if best:
            return best[1]
    if lines and rules.SALUTATION.match(lines[0]):
        return "讲话"
    return None


def find_doc_number(lines: list[str]) -> str | None:
    """A document number (国发〔2019〕5号) standing on its own line near the top."""
    for line in lines[:8]:
        m = rules.DOC_NUMBER.search(line)
        if m and len(line.strip()) <= len(m.group(0)) + 4:
            return m.group(0).replace(" ", "")
    return None
