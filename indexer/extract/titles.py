"""A document's title: the one its opening states, or one derived from its text and marked as derived.

Stated: a title block among the opening lines (before any heading or prose) — a title-like line, the lines
that continue it (a title wrapped onto two lines, a second slogan line, a ``——在…上的报告`` subtitle) and
remarks in brackets (（征求意见稿）, （2021 版）), followed by the body or a header element (dateline, document
number, addressee, author). A text that begins with a labelled metadata line states its title just above it.
Never a remark alone, an office's name alone (教育部办公厅), a date or a line that runs on into the next. A title
repeated on the next line (a database's copy over the document's own) is the lower one, as the document
writes it.

Derived (``title_derived``): the first sentence of the body, skipping salutations, addressees, datelines and
leading time words, cut after whole clauses at about ``TITLE_TARGET`` characters (never inside a clause or
inside brackets; when the first clause alone is too long, the next sentence; an article of a regulation
(第一条 为加强…) is a sentence, a numbered item's lead (1.对标规划，查找差距。) is not); a document with no such
sentence takes its first heading, and one with no text its file name. A numbered heading (一、总体要求)
names a part, not the document, so it is only the last resort before the file name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from indexer.extract import metadata, rules
from indexer.extract.linebreaks import ends_paragraph
from indexer.extract.notes import is_note_line
from indexer.extract.sections import classify


def _cjk(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


#: Words of two characters or more set apart by a space: a table's cells (症状 常用药物) — which never go on a
#: title (a letter-spaced title sets single characters apart: 几 个 问 题 的 通 知) — or a standard's title
#: (能源管理体系 评价规范).
_CELLS = re.compile(r"[\u4e00-\u9fff]{2}\s+[\u4e00-\u9fff]{2}")


def is_office_name(line: str) -> bool:
    """An issuing body's name standing alone (教育部办公厅, 济南市工业和信息化局)."""
    s = re.sub(r"\s+", "", line)
    return bool(rules.OFFICE_NAME.match(s)) and not rules.TITLE_DOC_END.search(s)


def is_header_element(line: str) -> bool:
    """A line of a document's header other than its title: dateline, number, addressee, author, remark, 题注."""
    s = line.strip()
    return bool(rules.DATELINE.match(s) or rules.DOC_NUMBER_LINE.match(s) or rules.ADDRESSEE.match(s)
                or rules.AUTHOR_LINE.match(s) or rules.TITLE_REMARK.match(s)
                or (len(s) <= 30 and rules.SALUTATION.match(s)) or is_note_line(s))


def _outside_brackets(s: str) -> str:
    """The characters of ``s`` that are not inside brackets or quotes."""
    out, depth = [], 0
    for c in s:
        depth += (c in rules.OPENING_MARKS) - (c in rules.CLOSING_BRACKETS)
        if depth <= 0 and c not in rules.CLOSING_BRACKETS:
            out.append(c)
            depth = 0
    return "".join(out)


def is_title_like(line: str, source: str | None = None, strict: bool = True) -> bool:
    """Could ``line`` be (the first line of) a title? ``strict`` also refuses clause punctuation inside. A line
    longer than 60 characters is a title only when it ends with a document type (…关于印发…的通知)."""
    s = line.strip()
    longest = rules.TITLE_MAX if rules.TITLE_DOC_END.search(s) else 60
    if not (4 <= len(s) <= longest and _cjk(s) and s[-1] not in rules.SENTENCE_END and s != (source or "")):
        return False
    if strict and any(c in rules.TITLE_INNER_STOPS for c in _outside_brackets(s)):
        return False
    return (classify(s)[0] == "text" and not rules.BULLET.match(s) and not metadata.is_meta_line(s)
            and not is_header_element(s) and not is_office_name(s) and not rules.NOT_TITLE.match(s))


def _continues_title(block: list[str], line: str) -> str | None:
    """How ``line`` joins the title block ("" or " "), or None when the block has ended."""
    s = line.strip()
    if rules.DATELINE.match(s) or _CELLS.search(s):
        return None  # a date, or a table's row (its cells set apart by spaces: 症状 常用药物)
    if rules.TITLE_REMARK.match(s) or rules.SUBTITLE.match(s) or rules.TITLE_PART.match(re.sub(r"\s+", "", s)):
        return ""
    head = "".join(block)
    if len(s) <= 3 and _cjk(s) and not rules.TITLE_DOC_END.search(head) and rules.TITLE_DOC_END.search(head + s):
        return ""  # the rest of a type word broken off its line (政府工作报 / 告)
    if len(block) < 3 and len(s) <= 20 and rules.TITLE_CONJUNCTION.match(s) and rules.TITLE_DOC_END.search(s) \
            and is_title_like(s):
        return ""  # the title goes on after a conjunction (…体能测评标准 / 及实施规范)
    if len(block) < 3 and len(head) + len(s) <= 60 and is_title_like(s) and not rules.TITLE_DOC_END.search(head):
        return "" if rules.TITLE_DOC_END.search(s) or rules.TITLE_NOTICE_END.search(s) else " "
    return None


_DASHES = str.maketrans({c: "-" for c in "—–－―‐‑~～"})


def same_title(line: str, title: str) -> bool:
    """Whether ``line`` repeats ``title`` but for the width of its brackets, its dashes and its spaces (a
    database's copy of a title over the document's own)."""
    def key(s: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).translate(_DASHES)
    return len(title) >= 4 and key(line) == key(title)


def title_block(lines: list[str], start: int) -> tuple[str, int]:
    """The title that starts at ``lines[start]`` and the index after its last line."""
    block = [lines[start].strip()]
    end = start + 1
    while end < len(lines):
        glue = _continues_title(block, lines[end])
        if glue is None:
            break
        block.append(glue + lines[end].strip())
        end += 1
    return "".join(block), end


def _stands_alone(lines: list[str], end: int, first: str) -> bool:
    """What follows a title block: the body (a line at least as long), a heading, a header element or a
    table's header row."""
    if end >= len(lines):
        return True
    nxt = lines[end]
    return (len(nxt) >= len(first) or classify(nxt)[0] != "text" or is_header_element(nxt)
            or bool(_CELLS.search(nxt)))


def find_title(lines: list[str], meta_at: int | None, source: str | None, start: int = 0) -> tuple[int, int] | None:
    """(first, after-last) line of the stated title among the opening lines from ``start`` (after a banner and
    a 发文字号, or an attachment label), or None."""
    if meta_at is not None and meta_at >= start:
        if meta_at > 0 and is_title_like(lines[meta_at - 1], source, strict=False):
            return meta_at - 1, meta_at
        for i in range(meta_at, min(len(lines), meta_at + 3)):
            if is_title_like(lines[i], source, strict=False):
                return i, title_block(lines, i)[1]
    for i in range(start, min(start + 4, len(lines))):
        line = lines[i]
        if is_title_like(line, source):
            block, end = title_block(lines, i)
            if _stands_alone(lines, end, line) or rules.TITLE_DOC_END.search(block):
                return i, end  # a title that ends with its type (…申请表) stands over a form's short labels too
        if len(line) <= 8 and rules.ATTACHMENT_LABEL.match(line):
            continue  # 附件1： over an attachment's title
        if len(line) > 60 or classify(line)[0] != "text" or line.rstrip()[-1] in rules.SENTENCE_END:
            break
    return None


def _clauses(sentence: str) -> list[str]:
    """``sentence`` cut after each clause mark outside brackets and quotes, and after a bracketed date."""
    ends = {m.end() - 1 for m in rules.BRACKET_DATE.finditer(sentence)}
    out, depth, start = [], 0, 0
    for i, c in enumerate(sentence):
        depth += (c in rules.OPENING_MARKS) - (c in rules.CLOSING_BRACKETS)
        if (c in rules.CLAUSE_MARKS and depth <= 0) or i in ends:
            out.append(sentence[start:i + 1])
            start = i + 1
    if sentence[start:]:
        out.append(sentence[start:])
    return out


def _paragraph(lines: list[str], i: int) -> tuple[str, int]:
    """Line ``i`` with the lines a long line runs on into (a sentence wrapped over several lines), and the
    index after the last line used."""
    s = lines[i].strip()
    i += 1
    while (len(s) >= rules.WRAP_MIN_WIDTH and not ends_paragraph(s) and i < len(lines) and len(s) < 300
           and classify(lines[i])[0] == "text" and not is_header_element(lines[i])):
        s += lines[i].strip()
        i += 1
    return s, i


def _sentences(lines: list[str]) -> Iterator[str]:
    """The sentences of the opening paragraphs, with leading salutations and time words taken off."""
    i = 0
    while i < min(40, len(lines)):
        s = lines[i].strip()
        kind = classify(s)[0]
        if (not _cjk(s) or is_header_element(s) or is_office_name(s)
                or (kind != "text" and not rules.ARTICLE_MARKER.match(s))):
            i += 1
            continue
        paragraph, i = _paragraph(lines, i)
        paragraph = rules.ARTICLE_MARKER.sub("", paragraph)
        for sentence in rules.SENTENCE.findall(rules.LEAD_ADDRESS.sub("", paragraph)):
            clauses = _clauses(sentence.strip())
            while clauses and rules.LEAD_FILLER.match(clauses[0].rstrip(rules.SENTENCE_END)):
                clauses.pop(0)
            if len("".join(clauses).rstrip(rules.SENTENCE_END + " ")) >= rules.TITLE_MIN:
                yield "".join(clauses)


def cut_title(sentence: str) -> str | None:
    """Whole clauses of ``sentence`` up to about TITLE_TARGET characters, leaving out leading clauses longer
    than TITLE_MAX (a string of cited titles); None if no clause fits."""
    clauses = _clauses(sentence)
    while clauses and len(clauses[0]) > rules.TITLE_MAX:
        clauses.pop(0)
    title = ""
    for clause in clauses:
        if title and len(title) + len(clause) > rules.TITLE_TARGET:
            break
        title += clause
    title = title.rstrip(rules.SENTENCE_END + " ")
    return title if rules.TITLE_MIN <= len(title) <= rules.TITLE_MAX else None


def derive_title(lines: list[str], stem: str) -> str:
    """A title for a document that states none (see the module docstring)."""
    for k, sentence in enumerate(_sentences(lines)):
        cut = cut_title(sentence)
        if cut:
            return cut
        if k >= 2:
            break
    for line in lines:
        kind, heading = classify(line)
        if kind != "text" and heading and len(heading) <= rules.TITLE_MAX:
            return heading.rstrip(rules.SENTENCE_END)
    return stem
