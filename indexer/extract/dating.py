"""Which date is a document's own: publication date, 成文日期 and year, with how precise each is.

Evidence in order of trust (the first that speaks decides ``date``):
  1. the date of the bodies signing under the title (a 统计公报's byline: :mod:`indexer.extract.structure`);
  2. labelled metadata around the document (发布时间：…, a page's 发布日期 or ``<meta>``, an export's 【发布日期】):
     the date the page published the document, which a citation of the page gives;
  3. the date the document's header states (a law's 题注: its last act; an order's promulgation; a standard's
     cover);
  4. a newspaper's print line at the very end (《人民日报》（2020年02月24日 02 版）);
  5. a dateline standing alone under the title (（2022年10月16日）, 2021 年 11 月, (2021年3月11日…会议通过)), or the
     date a stated title opens with (2005年7月12日外交部发言人…答记者问; also an original title given with 原标题：);
  6. the 落款: the first issuing body over a date line after a finished sentence (a notice signs before the
     attachment it 印发s), else a date alone on one of the last lines;
  7. an opening that dates the event it reports (2019年5月26日，…; 2月26日 with the year named nearby);
  8. the day the text says it takes effect (本办法自2022年4月1日起施行): a regulation that states no other date of
     its own is cited by it (a date of a document it cites or abolishes never is its date).
Failing all of them, only a year can be told (``date_precision`` "year", ``date`` = "YYYY",
``inferred`` True, ``inferred_from`` the line it comes from): the year a reader would give by implication
(:mod:`indexer.extract.implied`: the title's year or session, the session a report is given to, the year
after the one a report reviews, 去年/今年 with a stated year, the 发文字号's year), else the year of the speech
an endnote dates (※这是…2020年9月28日在…的讲话) or the latest year the text's own events or work plans name
(:func:`event_year`), whichever is later (a text is never older than what it reports). Never a year from plan
targets (到2025年), from documents the text cites, or from licence footers (removed before this runs).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from indexer.extract import rules
from indexer.extract.dates import parse_date, parse_month, session_years, valid
from indexer.extract.implied import implied_year
from indexer.extract.signatures import first_signature


@dataclass
class Dating:
    """A document's dates: ``date`` (publication) with its precision, ``written`` (成文日期), and the
    source a print line or wire dateline names."""

    date: str | None = None
    precision: str | None = None
    written: str | None = None
    source: str | None = None
    inferred: bool = False
    inferred_from: str | None = None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


def print_line(text: str) -> tuple[str, str] | None:
    """(date, paper) from a newspaper print line ending the text."""
    m = rules.PRINT_LINE.search(text[-200:])
    date = parse_date(m.group("date")) if m else None
    return (date, m.group("paper").strip()) if m and date else None


def wire_agency(text: str) -> str | None:
    """The news agency of a wire dateline at the start or end of the text (新华社北京2月23日电)."""
    for part in (text[:200], text[-300:]):
        m = rules.WIRE_DATELINE.search(part)
        if m:
            return m.group("agency")
    return None


def _body_begun(line: str) -> bool:
    """Whether ``line`` is the body's: a finished sentence, or a numbered section heading (一、举办时间), under
    which a date alone is the event's (2017年10月13日 under 一、举办时间), not the document's."""
    s = line.strip()
    return s.endswith(("。", "！", "？")) or any(p.match(s) for p in rules.HEADING_PATTERNS[:5])


def header_date(lines: list[str]) -> tuple[str, str] | None:
    """(date, precision) of a dateline standing alone among the opening lines, before the body begins."""
    for line in lines[:6]:
        if _body_begun(line):
            return None
        m = rules.DATELINE.match(line.strip())
        if not m:
            continue
        day = parse_date(m.group("date"))
        if day:
            return day, "day"
        month = parse_month(m.group("date"))
        if month:
            return month, "month"
    return None


def signature_date(lines: list[str]) -> str | None:
    """The 落款's date: the first issuing body standing over a date line right after a finished sentence (a
    notice that 印发s an attachment signs before the attachment, whose own 落款 is the attachment's), else a
    date alone on one of the last lines, or after the issuing body's name on one line."""
    first = first_signature(lines)
    if first:
        return first[2]
    for line in reversed(lines[-8:]):
        s = line.strip()
        m = rules.SIGNATURE_DATE.match(s)
        if m:
            got = parse_date(m.group("date"))
            if got:
                return got
    return None


def opening_date(lines: list[str], title: str | None) -> str | None:
    """The date an opening reports its event on: a full date starting a line of the first few, or
    2月26日 with one year named within a sentence of it."""
    for line in lines[:4]:
        m = rules.EVENT_OPENING.match(line.strip()) or rules.EVENT_HEADING.match(line.strip())
        if m:
            got = parse_date(m.group("date"))
            if got:
                return got
    opening = "\n".join(lines)[:300]
    m = next((m for m in rules.MONTH_DAY.finditer(opening) if _event_day(opening, m)), None)
    if not m:
        return None
    near = opening[max(0, m.start() - 40):m.end() + 40]
    years = {int(y) for y in rules.YEAR.findall(near)} or {int(y) for y in rules.YEAR.findall(title or "")}
    return valid(years.pop(), int(m.group(1)), int(m.group(2))) if len(years) == 1 else None


def _event_day(text: str, m: re.Match[str]) -> bool:
    """Whether a 2月26日 in ``text`` can be the day of an event: not an end or the start of a period (公示时间：
    2023年5月22日至5月26日, spaces or not around 至), nor a deadline or a start (6月30日前, 7月1日起)."""
    before, after = text[:m.start()].rstrip(), text[m.end():].lstrip()
    return ((not before or before[-1] not in rules.RANGE_MARKS)
            and (not after or after[0] not in rules.RANGE_MARKS + "前起"))


def effective_date(text: str) -> str | None:
    """The day the text says it takes effect, speaking of itself (the last such clause); never before a
    congress session the text names (a text is never older than what it reports: a garbled year is no date)."""
    found = [d for m in rules.EFFECTIVE.finditer(text) if (d := parse_date(m.group("date")))]
    if not found:
        return None
    floor = max((year for _, year in session_years(text)), default=0)
    return next((d for d in reversed(found) if int(d[:4]) >= floor), None)


def endnote_date(text: str) -> str | None:
    """The date an endnote gives the speech or article (※这是…2020年9月28日在…的讲话)."""
    m = rules.ENDNOTE_DATE.search(text[-400:])
    return parse_date(m.group("date")) if m else None


def event_year(text: str) -> int | None:
    """The latest past year whose events the text dates to the month (2020年12月重新调整了…) or whose work it
    plans (2021年全市统战工作要点), ignoring plan targets (到2025年6月, 2025年6月底前), periods and schedules
    (2025年1月1日－2027年12月31日) and years inside cited titles (《…（2021—2023年）》)."""
    this_year = _dt.date.today().year
    text = rules.CITED_TITLE.sub("", text)
    years = []
    for m in rules.EVENT_MONTH.finditer(text):
        year = int(m.group(1))
        before, after = text[max(0, m.start() - 6):m.start()], text[m.end():m.end() + 8]
        if year <= this_year and not rules.TARGET_BEFORE.search(before) and not rules.TARGET_AFTER.match(after):
            years.append(year)
    years += [int(m.group(1)) for m in rules.PLAN_YEAR.finditer(text) if int(m.group(1)) <= this_year]
    return max(years) if years else None


def title_date(titles: list[str | None]) -> str | None:
    """The date a title opens with (2005年7月12日外交部发言人刘建超在例行记者会上答记者问)."""
    for title in titles:
        m = rules.EVENT_HEADING.match((title or "").strip())
        if m and parse_date(m.group("date")):
            return parse_date(m.group("date"))
    return None


def _own_date(lines: list[str], title: str | None, meta: dict[str, str], printed: tuple[str, str] | None,
              signed: str | None, title_stated: bool) -> tuple[str, str] | None:
    """(date, precision) of the first evidence 1–8 of the module docstring that speaks."""
    titled = title_date([title if title_stated else None, meta.get("original_title")])
    byline = meta.get("signed")
    candidates = [(byline, "month" if byline and len(byline) == 7 else "day"), (meta.get("labelled_date"), "day"),
                  (meta.get("date"), "day"),
                  (printed[0] if printed else None, "day"), header_date(lines) or (titled, "day"), (signed, "day"),
                  (opening_date(lines, title), "day"),
                  (effective_date("\n".join(lines)), "day")]
    return next(((date, precision) for date, precision in candidates if date), None)


def date_document(lines: list[str], title: str | None, title_stated: bool, meta: dict[str, str],
                  doc_number: str | None = None) -> Dating:
    """All of the module docstring for one document's lines (title and metadata lines already taken out)."""
    text = "\n".join(lines)
    printed = print_line(text)
    out = Dating(written=meta.get("written") or endnote_date(text),
                 source=printed[1] if printed else wire_agency(text))
    signed = signature_date(lines)
    own = _own_date(lines, title, meta, printed, signed, title_stated)
    if own:
        out.date, out.precision = own
        if signed and signed != out.date and not out.written:
            out.written = signed
        return out
    implied = implied_year(lines, title if title_stated else None, doc_number)
    if implied:
        out.date, out.precision, out.inferred = str(implied[0]), "year", True
        out.inferred_from = implied[1][:120]
        return out
    bounds = [(int(out.written[:4]), out.written) if out.written else None, _event(text)]
    known = [b for b in bounds if b]
    if known:
        year, line = max(known)
        out.date, out.precision, out.inferred, out.inferred_from = str(year), "year", True, line[:120]
    return out


def _event(text: str) -> tuple[int, str] | None:
    """(year, where) of :func:`event_year`."""
    year = event_year(text)
    if year is None:
        return None
    at = text.find(str(year))
    return year, text[max(0, at - 10):at + 30].replace("\n", " ") if at >= 0 else str(year)
