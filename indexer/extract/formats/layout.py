"""What a format reader hands the pipeline: lines of text, and the hints their layout gives.

Every reader turns its format into :class:`Line` objects (text, font size in points where known, alignment,
whether a style marks it as a heading). :func:`layout_of` then reads the hints a 红头文件 gives by where
things stand on the page, and returns a :class:`Layout` for the pipeline's ``clean_lines`` + ``assemble``:

* the title: the first run of large-font lines at the top, after the issuer's banner (…文件, the largest
  type) and the 发文字号; a Word paragraph styled Title/标题 wins;
* the issuer from the banner (中共××市委统战部文件 → 中共××市委统战部);
* the 发文字号 (统战发〔2023〕5号) from a short line at the top;
* the 落款 date: a short date line (right-aligned where known) near the end, not an 印发 line;
* headings: lines a paragraph style marks as headings, passed on so the sectioner splits there.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from indexer.document import Removal
from indexer.extract import rules
from indexer.extract.cleaning import tidy
from indexer.extract.errors import ExtractError
from indexer.extract.formats.limits import MAX_CHARS
from indexer.extract.metadata import parse_date
from indexer.extract.plausibility import cjk_chars, word_coverage

_TERMINAL = "。！？!?；;：:”」』）)"
_FULL_LINE = 0.85
_CELL_GAP = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff\d]")  # spaced CJK: table cells, not prose
_BANNER = re.compile(r"^(?P<org>[\u4e00-\u9fff（）()、]{2,40}?)\s*文\s*件$")
#: A line that is a written-out date and little else (二〇二三年三月十五日, 2023年3月15日, maybe in brackets).
_DATE_LINE = re.compile(r"^[\s（(]*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                        r"|[〇零○Ｏ一二三四五六七八九]{4}\s*年[一二三四五六七八九十]{1,3}\s*月[一二三四五六七八九十]{1,3}\s*日)[\s）)]*$")
_PRINTED = re.compile(r"印\s*发\s*$|印发$")
#: Spaces a layout engine puts between Chinese and Latin letters or digits (关于做好 2023 年…).
_HAN = "\u4e00-\u9fff〔〕（）"
_AUTOSPACE = re.compile(rf"(?<=[{_HAN}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])\s+(?=[{_HAN}])")
_MIN_TEXT = 10
_OPENING = 12
_CLOSING = 12


@dataclass
class Line:
    """One paragraph, table row or visual line of a source, with what its layout says about it."""

    text: str
    size: float = 0.0  # font size in points; 0 when unknown
    align: str | None = None  # "center", "right", "left", "both" where known
    heading: bool = False  # a paragraph style marks it as a heading
    title: bool = False  # a paragraph style marks it as the document's title


@dataclass
class Layout:
    """A source's lines and layout hints, ready for ``clean_lines`` and ``assemble``."""

    lines: list[str]
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    headings: set[str] = field(default_factory=set)
    removed: list[Removal] = field(default_factory=list)
    pages: int = 0
    ocr_pages: int = 0


def garbled(text: str) -> bool:
    """Whether text a reader got is not real text: control, private-use or unassigned characters, ``(cid:…)``
    tokens, symbols instead of letters, or CJK characters that form no words (a PDF font without a
    ToUnicode map, a broken RTF). Too little text to judge is not garbled."""
    chars = [c for c in text if not c.isspace()]
    if len(chars) < _MIN_TEXT:
        return False
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Cc", "Co", "Cs", "Cn"))
    bad += 5 * text.count("(cid:")
    if bad > 0.05 * len(chars):
        return True
    cjk = len(cjk_chars(text))
    letters = sum(1 for c in chars if c.isalpha())
    if cjk < 0.05 * len(chars) and letters < 0.5 * len(chars):
        return True  # neither Chinese nor a Latin-script text: codes drawn as symbols
    return cjk >= 20 and word_coverage(text) < 0.2


def layout_of(lines: list[Line], removed: list[Removal] | None = None, pages: int = 0, ocr_pages: int = 0) -> Layout:
    """The hints of :mod:`this module's docstring <indexer.extract.formats.layout>` read off ``lines``."""
    kept = [Line(tidy(ln.text), ln.size, ln.align, ln.heading, ln.title) for ln in lines]
    kept = [ln for ln in kept if ln.text]
    if sum(len(ln.text) for ln in kept) > MAX_CHARS:
        raise ExtractError(f"more than {MAX_CHARS} characters of text: a dump, not a document")
    meta: dict[str, str] = {}
    banner = _banner(kept)
    if banner is not None:
        meta["issuer"] = banner
    number = _doc_number(kept)
    if number:
        meta["doc_number"] = number
    signed = _signed_date(kept)
    if signed:
        meta["date"] = signed
        meta["written"] = signed
    return Layout(
        lines=[ln.text for ln in kept], title=_title(kept), meta=meta,
        headings={ln.text for ln in kept if ln.heading and not ln.title},
        removed=list(removed or []), pages=pages, ocr_pages=ocr_pages,
    )


def _visual_width(text: str) -> float:
    return sum(1.0 if ord(c) > 0x2E80 else 0.5 for c in text)


def join_wrapped(pages: list[list[Line]]) -> list[Line]:
    """Visual lines of fixed-layout pages (PDF, OFD, OCR) → paragraphs: a line as wide as the page's
    widest lines that does not end a sentence continues on the next line (on the next page too), unless
    the next line starts a heading (一、 （一） 第一条 …) or is set in another type size, or the line is spaced
    like a table row."""
    out: list[Line] = []
    open_end = False
    for page in pages:
        sized = all(ln.size > 0 for ln in page)  # widths in points where every line's type size is known

        def width(ln: Line, sized: bool = sized) -> float:
            return _visual_width(ln.text.strip()) * (ln.size if sized else 1.0)

        widths = sorted(width(ln) for ln in page if ln.text.strip())
        full = widths[int(len(widths) * 0.9)] if len(widths) >= 3 else float("inf")
        for ln in page:
            text = ln.text.strip()
            if not text:
                continue
            if open_end and out and not _starts_block(out[-1], ln, text):
                prev = out[-1]
                out[-1] = Line(prev.text + text, max(prev.size, ln.size), prev.align, prev.heading, prev.title)
            else:
                out.append(Line(text, ln.size, ln.align, ln.heading, ln.title))
            open_end = (width(ln) >= _FULL_LINE * full and text[-1] not in _TERMINAL
                        and not _CELL_GAP.search(text))
        open_end = open_end and bool(page)
    return out


def _starts_block(prev: Line, line: Line, text: str) -> bool:
    """Whether ``line`` starts a new block even after a full-width line: a heading, or another type size."""
    if prev.size > 0 and line.size > 0 and abs(prev.size - line.size) > 0.1 * max(prev.size, line.size):
        return True
    return any(p.match(text) for p in rules.HEADING_PATTERNS)


def _body_size(lines: list[Line]) -> float:
    sized = [ln.size for ln in lines if ln.size > 0 for _ in range(min(len(ln.text), 200))]
    return statistics.median(sized) if sized else 0.0


def _banner(lines: list[Line]) -> str | None:
    """The issuer named by a 红头 banner (…文件) among the first lines (the largest type, if sizes are known)."""
    found = [(ln.size, m.group("org")) for ln in lines[:4]
             if len(ln.text) <= 40 and (m := _BANNER.match(ln.text.replace(" ", "")))]
    return max(found, key=lambda f: f[0])[1] if found else None


def _doc_number(lines: list[Line]) -> str | None:
    for ln in lines[:_OPENING]:
        m = rules.DOC_NUMBER.search(ln.text)
        if m and len(ln.text) <= len(m.group(0)) + 16:
            return re.sub(r"\s+", "", m.group(0))
    return None


def _title(lines: list[Line]) -> str | None:
    """A title a style names, else the first run of large-font lines at the top (banner and number left out)."""
    for ln in lines[:_OPENING]:
        if ln.title:
            return ln.text
    body = _body_size(lines)
    if body <= 0:
        return _title_after_number(lines)
    run: list[Line] = []
    for ln in lines[:_OPENING]:
        skip = _BANNER.match(ln.text.replace(" ", "")) or rules.DOC_NUMBER.search(ln.text)
        large = ln.size >= body * 1.2 and not skip and len(ln.text) <= 60
        if large and (not run or abs(ln.size - run[0].size) <= 0.3 * run[0].size):
            run.append(ln)
            continue
        if run:
            break
    title = _AUTOSPACE.sub("", "".join(ln.text for ln in run[:3]))
    return title if 4 <= len(title) <= 100 and any("\u4e00" <= c <= "\u9fff" for c in title) else None


def _title_after_number(lines: list[Line]) -> str | None:
    """Without sizes: in a 红头文件 (banner or 发文字号 at the top), the title-like line(s) right after them."""
    top = [i for i, ln in enumerate(lines[:4])
           if _BANNER.match(ln.text.replace(" ", "")) or rules.DOC_NUMBER.search(ln.text)]
    if not top:
        return None
    rest = lines[top[-1] + 1:top[-1] + 3]
    if not rest or not (4 <= len(rest[0].text) <= 60) or rest[0].text[-1] in rules.SENTENCE_END:
        return None
    title = rest[0].text
    if (len(rest) > 1 and not rules.TITLE_DOC_SUFFIX.search(title) and len(rest[1].text) <= 40
            and rules.TITLE_DOC_SUFFIX.search(title + rest[1].text)):
        title += rest[1].text  # a title set on two lines
    return title


def _signed_date(lines: list[Line]) -> str | None:
    """The 落款 date: a line near the end that is a written-out date and little else (right-aligned ones
    first), not an 印发 line and not a table cell."""
    tail = lines[-_CLOSING:]
    candidates = [ln for ln in tail if _DATE_LINE.match(ln.text) and not _PRINTED.search(ln.text)
                  and parse_date(ln.text)]
    if not candidates:
        return None
    right = [ln for ln in candidates if ln.align == "right"]
    return parse_date((right or candidates)[-1].text)
