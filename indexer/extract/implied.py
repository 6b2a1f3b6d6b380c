"""The year a reader would give a document that does not state its date, and the line that says so.

Used by :mod:`indexer.extract.dating` only when no date is stated. Each rule is a way Chinese official texts
date themselves by implication, tried in this order (the first that speaks decides):
  1. the year a stated title names (2020年工作总结; not a plan target, not a period a 年度 guide plans for)
     or the congress session it names, or the first year of the period a plan it names is for (…行动计划
     （2021-2023年）, "十四五"…规划: a plan is drawn up for its period's start);
  2. the occasion the opening names: the session a report is given to (向第十届全国人民代表大会第一次会议
     报告…; 我们第一届全国人民代表大会第一次会议…), a congress named without its session (its first session),
     the congress a party report opens with, or the outgoing central committee (我代表第十四届中央委员会 →
     the fifteenth congress);
  3. a report reviewing a past year is of the year after (一、１９９６年国内工作的回顾; 首先报告２００１年的工作;
     刚刚过去的１９８４年; 一、2022年…取得显著成效; 关于１９５５年国家决算);
  4. 去年/今年 with a stated year: a 去年 review heading and the year the next paragraph opens with
     (一、去年工作回顾 / 2005年，…), or 去年/今年 with a year or session in the same clause; a span counted from a
     stated year or session to now (第十届全国人民代表大会第一次会议以来的五年 → 2008; 从1993年3月就职，到现在已经
     五年了 → 1998), or a heading reviewing a five-year plan's period ("十一五"时期…的回顾 → 2011);
  5. the year of its 发文字号 (民函〔2021〕742号);
  6. a lower bound: the year an endnote dates the speech, or the latest year whose events the text dates
     to the month (:func:`indexer.extract.dating.event_year`), whichever is later.
Every such date is year-precision and marked inferred; pages and citations show it in square brackets.
"""

from __future__ import annotations

import re

from indexer.extract import rules
from indexer.extract.dates import cn_number, session_year
from indexer.text.normalize import ascii_digits, simplify_lines, simplify_phrases

#: A span of years counted from a stated year or session to now, in one clause: 第十届全国人民代表大会第一次会议以来
#: 的五年; 本届政府从1993年3月就职，到现在已经五年了; 2012年以来的十年 (``anchor`` is a year or a session).
ELAPSED = re.compile(r"(?P<anchor>(?:19|20)\d{2}\s*年"
                     r"|第[^。，！\n]{1,4}届全国[^。，！\n]{2,10}第[^。，！\n]{1,3}次(?:全体)?会议"
                     r"|(?:党的|中国共产党|中共)第?[^。，！\n]{1,3}(?:次全国代表大会|大))"
                     r"[^。！？；\n]{0,16}?(?:以来的|到现在已经|至今已经?|到现在已有)\s*"
                     rf"(?P<n>[{rules.CN_NUM}]{{1,3}}|\d{{1,2}})\s*(?:个年头|年)")
#: A review of a five-year plan's period, so dated the year after it ends: 一、"十一五"时期国民经济和社会发展的回顾.
_PLAN_NO = r"十[一二三四五六七八九]?|[三四五六七八九]"
PLAN_REVIEW = re.compile(rf"^(?:[一二三四五六七八九十]{{1,2}}[、.．]|[（(][一二三四五六七八九十]{{1,2}}[)）])?\s*"
                         rf"(?:[“\"](?P<n>{_PLAN_NO})五[”\"](?:时期|期间)?"
                         rf"|(?P<n2>{_PLAN_NO})五(?:时期|期间|计划))[^，。；\n]{{0,16}}的?回顾")
#: A plan or programme a stated title names by its period, so dated by the period's first year: …行动计划
#: （2021-2023年）; "十四五"…规划 (``n`` the plan's number).
TITLE_PERIOD = re.compile(r"[（(]\s*(?P<y>(?:19|20)\d{2})\s*年?\s*[-－—–~～至到]+\s*(?:19|20)\d{2}\s*年?\s*[)）]"
                          r"(?:\s*[（(][^（()）]{1,12}[)）])*$")
TITLE_PLAN = re.compile(rf"^[^《》]*[“\"](?P<n>{_PLAN_NO})五[”\"][^《》]*(?:规划|计划|纲要|方案)"
                        r"(?:\s*[（(][^（()）]{1,12}[)）])*$")
_NUMBER_YEAR = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]")
_TERM_YEAR = re.compile(r"\s*度")
_DIGIT_SPACE = re.compile(r"(?<=\d)\s+(?=[\d年月])")
_LEAD_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?!代)")


def _plain(text: str) -> str:
    """Simplified script, ASCII digits (the 1954 report is in traditional script, older ones in full width)."""
    return ascii_digits(simplify_phrases(text))


def _num(s: str) -> int:
    return int(s) if s.isdigit() else cn_number(s)


def plan_start(number: str) -> int | None:
    """The first year of the five-year plan numbered ``number`` (三 → 1966, 十四 → 2021; the first two ran from
    1953 and 1958, then three years of readjustment)."""
    n = _num(number)
    return {1: 1953, 2: 1958}.get(n) or (1966 + 5 * (n - 3) if 3 <= n <= 20 else None)


def title_year(title: str | None) -> int | None:
    """The year a stated title names (not a plan target, not a 年度 period), or of the session it names, or the
    first year of the period a plan the title names is for (…行动计划（2021-2023年）, "十四五"…规划)."""
    if not title:
        return None
    plain = _plain(title)
    for m in rules.YEAR.finditer(plain):
        if not rules.TARGET_BEFORE.search(plain[:m.start()]) and not _TERM_YEAR.match(plain[m.end():]):
            return int(m.group(1))
    year = session_year(plain)
    if year:
        return year
    period = TITLE_PERIOD.search(plain)
    if period:
        return int(period.group("y"))
    plan = TITLE_PLAN.match(plain)
    return plan_start(plan.group("n")) if plan else None


def occasion_year(opening: str) -> int | None:
    """The year of the congress session the opening says the text is given to (rule 2)."""
    m = rules.OCCASION.search(opening[:600])
    if m:
        year = session_year(m.group(0))
        if year:
            return year
    m = rules.CONGRESS_TERM.search(opening[:600])
    if m:
        term = _num(m.group("term"))
        return rules.NPC_SESSION_YEARS.get((term, 1)) or rules.NPC_FIRST_YEARS.get(term)
    m = rules.OUTGOING_COMMITTEE.search(opening[:600])
    if m:
        return rules.CPC_CONGRESS_YEARS.get(_num(m.group("term")) + 1)
    return None


def _plain_lines(lines: list[str]) -> list[str]:
    """``[_plain(line) for line in lines]``, converted together."""
    return [ascii_digits(line) for line in simplify_lines(lines)]


def review_year(lines: list[str]) -> tuple[int, str] | None:
    """Rules 3 and 4: the year after the one a report reviews, with the line saying so."""
    plains = _plain_lines([line.strip() for line in lines[:60]])
    for i, line in enumerate(lines[:60]):
        plain = plains[i]
        m = rules.REVIEW_YEAR.search(plain)
        if m:
            year = next(int(g) for g in m.groups() if g)
            return year + 1, line.strip()
        if len(plain) <= 30 and rules.LAST_YEAR_HEADING.search(plain) and i + 1 < len(lines):
            lead = _LEAD_YEAR.match(_plain(lines[i + 1]))
            if lead:
                return int(lead.group(1)) + 1, f"{line.strip()} / {lines[i + 1].strip()[:40]}"
    return None


def elapsed_year(lines: list[str]) -> tuple[int, str] | None:
    """Rule 4b: a span counted from a stated year or session to now (…第一次会议以来的五年 → that year + 5), or the
    year after a five-year plan's period a heading reviews ("十一五"时期…的回顾 → 2011)."""
    for line, plain in zip(lines[:12], _plain_lines([line.strip() for line in lines[:12]]), strict=True):
        plain = _DIGIT_SPACE.sub("", plain)
        m = PLAN_REVIEW.match(plain)
        start = plan_start(m.group("n") or m.group("n2")) if m else None
        if start:
            return start + 5, line.strip()
        for m in ELAPSED.finditer(plain):
            anchor = m.group("anchor")
            year = int(anchor[:4]) if anchor[:4].isdigit() else session_year(anchor)
            if year and not rules.TARGET_BEFORE.search(plain[max(0, m.start() - 6):m.start()]):
                return year + _num(m.group("n")), m.group(0)
    return None


def now_or_last(opening: str) -> tuple[int, str] | None:
    """Rule 4's second half: 去年/今年 with a year or a session in the same clause."""
    for m in rules.NOW_OR_LAST.finditer(opening):
        what = m.group("what")
        if rules.TARGET_BEFORE.search(opening[max(0, m.start("what") - 6):m.start("what")]):
            continue
        year = int(what[:4]) if what[:4].isdigit() else session_year(what)
        if year:
            return year + (1 if m.group("when") == "去年" else 0), m.group(0)
    return None


def number_year(doc_number: str | None) -> int | None:
    """The year of a 发文字号 (民函〔2021〕742号 → 2021)."""
    m = _NUMBER_YEAR.search(doc_number or "")
    return int(m.group(1)) if m else None


def implied_year(lines: list[str], title: str | None, doc_number: str | None) -> tuple[int, str] | None:
    """(year, the line it comes from) by rules 1–5 of the module docstring, or None."""
    year = title_year(title)
    if year:
        return year, title or ""
    opening = _plain("\n".join(lines[:6])[:1500])
    year = occasion_year(opening)
    if year:
        first = next((ln for ln in lines[:6] if occasion_year(_plain(ln))), lines[0] if lines else "")
        return year, first.strip()
    found = review_year(lines) or now_or_last(_plain("\n".join(lines[:40])[:4000])) or elapsed_year(lines)
    if found:
        return found
    year = number_year(doc_number)
    return (year, doc_number or "") if year else None
