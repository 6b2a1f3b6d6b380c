"""Join lines that were broken inside a sentence, so a sentence is one line again.

Wiki pages exported to text put every link on a line of its own: ``根据《`` / ``中华人民共和国著作权法`` /
``》第五条``. Such breaks hide wording from exact search, make a cited title look like a document's title
(and start a false second document), and cut licence footers into pieces. A break is joined when it is
unmistakably inside a sentence: the line before ends with an opening bracket or quote, or the line after
starts with closing punctuation or a clause mark; a short link-text line in the middle of such a chain (the
line after it starting with closing punctuation, or with 的) joins its neighbours too. A blank line between
two lines is a paragraph break and is never joined across.

Text copied out of a PDF is hard-wrapped at a fixed width (most lines the same length, ending mid-clause):
such lines are joined into paragraphs by :func:`join_wrapped_lines`; a table's rows (cells set apart by spaces)
never are.
"""

from __future__ import annotations

import re
from collections import Counter

from indexer.extract import rules
from indexer.extract.sections import classify


def _opens(line: str) -> bool:
    s = line.rstrip()
    return bool(s) and s[-1] in rules.OPENING_MARKS


def _continues(line: str) -> bool:
    s = line.lstrip()
    return bool(s) and s[0] in rules.CLOSING_MARKS


def _inline_piece(line: str) -> bool:
    """A short piece of text without sentence punctuation (a link's text)."""
    s = line.strip()
    return 0 < len(s) <= rules.LINK_TEXT_MAX and not any(c in rules.SENTENCE_END for c in s)


def join_broken_lines(lines: list[str]) -> list[str]:
    """``lines`` with every unmistakable in-sentence break joined (see the module docstring)."""
    out: list[str] = []
    after_link = False  # the line before was link text joined on: a line starting with 的 goes on with it
    for i, line in enumerate(lines):
        prev = out[-1] if out else ""
        link = bool(prev.strip() and line.strip()) and _bridges(out, line, lines, i)
        if prev.strip() and line.strip() and (_opens(prev) or _continues(line) or link
                                              or (after_link and line.lstrip()[:1] == "的")):
            out[-1] = prev.rstrip() + line.strip()
        else:
            out.append(line)
        after_link = link
    return out


def _bridges(out: list[str], line: str, lines: list[str], i: int) -> bool:
    """``line`` is link text between a sentence that has not ended and a line that continues it (with closing
    punctuation, or with 的, which never starts a sentence or a heading: 根据 / 共同纲领 / 的规定)."""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return (_inline_piece(line) and (_continues(nxt) or nxt.lstrip()[:1] == "的")
            and out[-1].rstrip()[-1] not in rules.SENTENCE_END)


def ends_paragraph(line: str) -> bool:
    """Whether ``line`` ends a sentence (looking through closing quotes and brackets: …。”)."""
    s = line.rstrip().rstrip(rules.CLOSING_BRACKETS)
    return bool(s) and s[-1] in rules.PARAGRAPH_END


#: Words set apart by spaces (a table row's cells; prose sets none between Chinese characters).
TABLE_ROW = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff\d]|\d\s+[\u4e00-\u9fff]")


def _wrap_width(lines: list[str]) -> int | None:
    """The fixed width a text was hard-wrapped at (text copied out of a PDF), or None if it was not."""
    filled = [s for s in (ln.strip() for ln in lines) if s]
    if len(filled) < rules.WRAP_MIN_LINES:
        return None
    counts = Counter(len(s) for s in filled)
    width = counts.most_common(1)[0][0]
    share = sum(n for size, n in counts.items() if abs(size - width) <= 1) / len(filled)
    return width if width >= rules.WRAP_MIN_WIDTH and share >= rules.WRAP_MIN_SHARE else None


def _signs(line: str, width: int) -> bool:
    """A body's name on a short line of its own: a 落款 (the line above it is a labelled line that filled the
    width, 监督电话：…, not a sentence wrapped into it: a paragraph's last line ends its sentence)."""
    return len(line) < width - 1 and bool(rules.OFFICE_LINE.match(line))


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped text into paragraphs: a line that fills the width (the first line of
    a paragraph may be short by its indent) and does not end a sentence runs on into the next, unless the
    next is a heading."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    last, last_starts = "", True
    for line in lines:
        s = line.strip()
        full = len(last) >= width - 1 or (last_starts and len(last) >= width - rules.WRAP_INDENT - 1)
        joined = bool(out and s and last and full and not ends_paragraph(last) and classify(s)[0] == "text"
                      and not rules.BULLET.match(s) and not TABLE_ROW.search(last) and not TABLE_ROW.search(s)
                      and not _signs(s, width))
        if joined:
            out[-1] = out[-1].rstrip() + s
        else:
            out.append(line)
        last_starts = not joined and (not last or ends_paragraph(last) or classify(last)[0] != "text")
        last = s
    return out
