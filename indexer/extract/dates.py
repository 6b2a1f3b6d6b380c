"""Dates as Chinese documents write them, parsed into ISO strings that are always real calendar dates.

``parse_date`` finds a full date (2019年1月22日, 2020-12-03, 二〇二〇年十二月三日, fullwidth digits);
``parse_month`` a year and month (2021 年 11 月); ``parse_value`` reads one value a person typed into a
metadata file (2024, 2024-03, 2024-03-05, 2024-03-05 00:00:00, 2024年3月5日) with its precision.
``session_year`` turns a congress session a text names (第十三届全国人民代表大会第四次会议, 党的第十二次全国代表
大会) into its calendar year. An impossible date (2020-02-30) is never returned. Which date in a document is
*its* date is decided by :mod:`indexer.extract.dating`.
"""

from __future__ import annotations

import datetime as _dt
import re

from indexer.extract import rules

_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_MONTH = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*|[-/.])(\d{1,2})(?!\d)\s*月?")
#: Zero is written 〇, 零, ○, a letter O, or a digit 0 (fullwidth ０ is made ASCII first): 二０００年六月二十一日.
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0}
_CN_YEAR = "(?=[0〇零○ＯOo]*[一二三四五六七八九])[0〇零○ＯOo一二三四五六七八九]{4}"
_CN_DATE = re.compile(rf"({_CN_YEAR})年([一二三四五六七八九十]{{1,3}})月(?:([一二三四五六七八九十]{{1,3}})日)?")
_VALUE = re.compile(r"^((?:1[89]|20)\d{2})(?:[-/.年](\d{1,2})月?(?:[-/.月](\d{1,2})日?)?)?(?:[T\s]+[\d:.]+)?$")


def valid(y: int, m: int, d: int) -> str | None:
    """``YYYY-MM-DD`` when (y, m, d) is a real calendar date, else None."""
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def cn_number(s: str) -> int:
    """一 … 九十九 written with 十 (十二, 二十, 二十三) as an int."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGIT[s[1]]
    if s.endswith("十"):
        return _CN_DIGIT[s[0]] * 10
    if "十" in s:
        return _CN_DIGIT[s[0]] * 10 + _CN_DIGIT[s[2]]
    return _CN_DIGIT[s]


def cn_year(s: str) -> int:
    """一九八二 → 1982."""
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def _ascii(text: str | None) -> str:
    return (text or "").translate(_FULLWIDTH)


def parse_date(text: str | None) -> str | None:
    """The first real full date in ``text`` as YYYY-MM-DD."""
    text = _ascii(text)
    for m in _DATE.finditer(text):
        got = valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if got:
            return got
    for cn in _CN_DATE.finditer(text):
        if cn.group(3):
            got = valid(cn_year(cn.group(1)), cn_number(cn.group(2)), cn_number(cn.group(3)))
            if got:
                return got
    return None


def parse_month(text: str | None) -> str | None:
    """The first real year and month in ``text`` as YYYY-MM (2021 年 11 月, 2021-11, 二〇二一年十一月)."""
    text = _ascii(text)
    for m in _MONTH.finditer(text):
        if 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{int(m.group(2)):02d}"
    cn = _CN_DATE.search(text)
    if cn and 1 <= cn_number(cn.group(2)) <= 12:
        return f"{cn_year(cn.group(1))}-{cn_number(cn.group(2)):02d}"
    return None


def parse_value(value: str) -> tuple[str, str]:
    """A date typed into a metadata file → (date, precision); ValueError when it is not a real date.

    A remark in brackets after the value is ignored ("2021 (from text)")."""
    s = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", _ascii(value).strip())
    m = _VALUE.match(s)
    if not m:
        raise ValueError(f"not a date: {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        got = valid(int(year), int(month), int(day))
        if not got:
            raise ValueError(f"no such day: {value!r}")
        return got, "day"
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"no such month: {value!r}")
        return f"{year}-{int(month):02d}", "month"
    return year, "year"


def _num(s: str) -> int:
    return int(s) if s.isdigit() else cn_number(s)


def session_year(text: str | None) -> int | None:
    """The calendar year of the first congress session ``text`` names, or None."""
    found = session_years(text)
    return min(found)[1] if found else None


def session_years(text: str | None) -> list[tuple[int, int]]:
    """(position, calendar year) of every congress session ``text`` names."""
    found: list[tuple[int, int]] = []
    for pattern, body in rules.SESSIONS:
        for m in pattern.finditer(_ascii(text)):
            term = _num(m.group("term"))
            if body == "cpc":
                got = rules.CPC_CONGRESS_YEARS.get(term)
            else:
                session = _num(m.group("session"))
                got = rules.NPC_SESSION_YEARS.get((term, session))
                first = rules.NPC_FIRST_YEARS.get(term)
                if got is None and first is not None and session <= 5:
                    got = first + session - 1
            if got:
                found.append((m.start(), got))
    return found
