"""Metadata from labelled lines and from the text: dates, source, issuer, document number, year, type.

Nothing is invented: a field nobody states stays None. Dates come, in order of trust, from a labelled line
(发布时间, 发布日期), a page's own metadata, then a dateline in the opening text (2月26日 with the year named
nearby). The year falls back to the year the title names (2020年工作总结) and then to the latest past year
the text's events name.
"""

from __future__ import annotations

import datetime as _dt
import re

from indexer.extract import rules

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_CN_DATE = re.compile(
    r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<![\d到至—\-~～])((?:19[4-9]|20[0-9])\d)\s*年(?!代)")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGIT[s[1]]
    if s.endswith("十"):
        return _CN_DIGIT[s[0]] * 10
    if "十" in s:
        return _CN_DIGIT[s[0]] * 10 + _CN_DIGIT[s[2]]
    return _CN_DIGIT[s]


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as YYYY-MM-DD (2019年1月22日, 2020-12-03, 二〇二〇年十二月三日)."""
    for m in _DATE.finditer(text or ""):
        got = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if got:
            return got
    cn = _CN_DATE.search(text or "")
    if cn:
        year = int("".join(str(_CN_DIGIT[c]) for c in cn.group(1)))
        return _valid(year, _cn_number(cn.group(2)), _cn_number(cn.group(3)))
    return None


def is_meta_line(line: str) -> bool:
    """A short line made of metadata labels (来源:… 发布时间:… 浏览:)."""
    s = line.strip()
    return len(s) <= 120 and bool(re.search(
        r"(发布时间|发布日期|发文日期|更新时间|信息来源|文章来源|来源|作者|责任编辑|浏览次数|浏览|点击数|"
        r"阅读次数)\s*[:：]", s))


def parse_meta_line(line: str) -> dict[str, str]:
    """Fields stated by one labelled line: date, source, issuer, doc_number."""
    out: dict[str, str] = {}
    m = rules.DATE_LABEL.search(line)
    if m:
        date = parse_date(line[m.end():m.end() + 40])
        if date:
            out["date"] = date
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


def dateline(lines: list[str], title: str | None) -> str | None:
    """A date in the opening text: a full date, or 2月26日 with a year within a sentence of it."""
    opening = "\n".join(lines)[:300]
    full = parse_date(opening)
    if full:
        return full
    m = _MONTH_DAY.search(opening)
    if not m:
        return None
    near = opening[max(0, m.start() - 40):m.end() + 40]
    years = [int(y) for y in _YEAR.findall(near)] or [int(y) for y in _YEAR.findall(title or "")]
    if len(set(years)) != 1:
        return None
    return _valid(years[0], int(m.group(1)), int(m.group(2)))


def infer_year(date: str | None, title: str | None, text: str) -> int | None:
    """Publication year; else the year the title names; else the latest past year the text names."""
    if date:
        return int(date[:4])
    this_year = _dt.date.today().year
    in_title = [int(y) for y in _YEAR.findall(title or "") if int(y) <= this_year]
    if in_title:
        return max(in_title)
    named = [int(y) for y in _YEAR.findall(text) if int(y) <= this_year]
    return max(named) if named else None


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
