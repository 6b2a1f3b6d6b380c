"""What a format reader hands the pipeline: lines of text, and the hints their layout gives.

Every reader turns its format into :class:`Line` objects (text, font size in points where known, alignment,
whether a style marks it as a heading). :func:`layout_of` has :mod:`indexer.extract.structure` — the one
classifier every format shares — read the roles of the lines (banner, 发文字号, title by style or type size,
落款) and returns a :class:`Layout` for the pipeline's ``clean_lines`` + ``assemble``: the hinted title, the
issuer, 发文字号 and dates as ``meta``, and the lines a paragraph style marks as headings (passed on so the
sectioner splits there).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from indexer.document import Removal
from indexer.extract import rules
from indexer.extract.cleaning import tidy
from indexer.extract.errors import ExtractError
from indexer.extract.formats.limits import MAX_CHARS
from indexer.extract.plausibility import cjk_chars, word_coverage
from indexer.extract.signatures import bodies
from indexer.extract.structure import ISSUED_BY, Line, read_structure

__all__ = ["Layout", "Line", "garbled", "join_wrapped", "layout_of"]

_TERMINAL = "。！？!?；;：:”」』）)"
_FULL_LINE = 0.85
#: Spaced CJK: table cells, not prose — but not a number a layout engine sets apart by spaces inside a sentence
#: (第 14 个, 2 月 3 日).
_CELL_GAP = re.compile(r"[\u4e00-\u9fff]\s+(?:[\u4e00-\u9fff]|\d(?![\d.,%]*\s+[\u4e00-\u9fff]))")
#: A table's header row: three words or more set apart by spaces (序号 类别 违法行为 违反条款).
_TABLE_ROW = re.compile(r"[\u4e00-\u9fff]{2,}\s+[\u4e00-\u9fff]{2,}\s+[\u4e00-\u9fff]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MIN_TEXT = 10
#: Unicode's planes 2 and 3 hold CJK ideographs only; those added after this Python's Unicode database
#: (Extensions H and I, U+31350…, U+2EBF0…: rare characters of names) are unassigned to it, not garbage.
_IDEOGRAPH_PLANES = (0x20000, 0x3FFFF)


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
    bad = sum(1 for c in chars if c == "\ufffd" or (unicodedata.category(c) in ("Cc", "Co", "Cs", "Cn")
                                                    and not _IDEOGRAPH_PLANES[0] <= ord(c) <= _IDEOGRAPH_PLANES[1]))
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
    found = read_structure(kept)
    header_issuer = found.issuer if found.issuer != found.signers else None  # a 落款 is weighed with the title
    meta = {key: value for key, value in (("issuer", header_issuer), ("noted_issuer", found.noted_issuer),
                                          ("doc_number", found.doc_number),
                                          ("date", found.date or found.written), ("written", found.written),
                                          ("signed", found.signed)) if value}
    return Layout(
        lines=[ln.text for ln in kept], title=found.title, meta=meta,
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


def _names_only(text: str) -> bool:
    """Whether a line only names issuing bodies: no punctuation, each name an office's."""
    return (len(text) <= 60 and not re.search(r"[^\u4e00-\u9fff（）()\s]", text)
            and all(rules.OFFICE_NAME.match(p) for p in bodies(text).split("、")))


def _cover_names(prev: str, text: str) -> bool:
    """Two lines of a cover's 发布 block: a body's name over another's with their 发布 (国家质量监督检验检疫总局 /
    国家标准化管理委员会 发布), or the other way round. Two stacked names never run on into one."""
    for names, issued in ((prev, text), (text, prev)):
        m = ISSUED_BY.match(issued)
        if m and _names_only(names) and _names_only(m.group("org")):
            return True
    return False


def _starts_block(prev: Line, line: Line, text: str) -> bool:
    """Whether ``line`` starts a new block even after a full-width line: a heading, another type size, a table's
    header row, or Chinese after a line without any (a cover's English title, a code or a date line never runs
    on into its 发布 dates or its Chinese text)."""
    if prev.size > 0 and line.size > 0 and abs(prev.size - line.size) > 0.1 * max(prev.size, line.size):
        return True
    if _TABLE_ROW.search(text) or (_CJK.search(text) and not _CJK.search(prev.text)):
        return True
    if _cover_names(prev.text.strip(), text):
        return True
    return any(p.match(text) for p in rules.HEADING_PATTERNS)
