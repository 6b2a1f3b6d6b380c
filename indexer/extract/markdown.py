"""Markdown → lines with the roles its markup gives them (many repositories publish laws and notices so).

Markup is read as markup, never kept as text: ``#`` headings (and setext ``===``/``---`` underlines) are
headings — the first level-1 heading at the top is the title hint, the rest are headings the sectioner splits
at; ``**bold**``, ``*em*``, ``` `code` ```, links (their text), images (their alt text), ``\\[`` escapes, list
and quote markers, table pipes and HTML comments go, and thematic breaks (``* * *``, ``---``) are no lines. A
YAML front-matter block (``---`` … ``---`` at the top) is an export's fields: its ``title:`` is the title hint
when no ``#`` heading gives one, the rest is recorded as removed; a heading over an export's header of ``key:
value`` lines (``# 原件固化`` / ``- title: …``) is that header's, not the title. Each source line stays a line
(Chinese Markdown sets one paragraph per line; wrapped lines are joined later, as for text). What a line is
beyond its markup (banner, 发文字号, 题注, 落款) is :mod:`indexer.extract.structure`'s job, as for every format.
"""

from __future__ import annotations

import re

from indexer.document import Removal
from indexer.extract.metadata import export_header
from indexer.extract.structure import Line

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_LIST = re.compile(r"^[ \t]*(?:[-*+][ \t]+)")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_TABLE_RULE = re.compile(r"^[ \t]*+\|?[ \t]*+:?-{3,}:?[ \t]*+(?:\|[ \t]*+:?-{3,}:?[ \t]*+)*\|?[ \t]*$")
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_CODE = re.compile(r"`+([^`]*)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.*?\S?)\1")
_EMPH = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_LEFTOVER = re.compile(r"\*{2,}")
_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_BR = re.compile(r"<br\s*/?>", re.I)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w -]{0,30}):\s*(.*)$")


#: The patterns above stay linear on any line: a bracket, ``<`` or white space repeated along a 10 MB line (with
#: no closing bracket and no table rule) is not scanned again from each of its characters (link text excludes
#: both brackets, runs of white space are possessive); such a line took hours.


def _without_comments(text: str) -> str:
    """``text`` with each HTML comment replaced by its line breaks (a search from each ``<!--`` for its ``-->``:
    a pattern would scan to the end again from every unclosed ``<!--``, quadratic on a long text)."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break  # unclosed: the rest is text, as the pattern left it
        out.append(text[pos:start])
        out.append("\n" * text.count("\n", start, end))
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def inline(text: str) -> str:
    """A line's text without inline markup (emphasis, code, links, images, escapes)."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested or adjacent emphasis (**附件：**正文, ****2010****年)
        text = _STRONG.sub(r"\2", text)
    text = _EMPH.sub(r"\1", text)
    text = _LEFTOVER.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def _front_matter(lines: list[str], removed: list[Removal]) -> tuple[int, str | None]:
    """(lines used, title) of a YAML front-matter block at the top."""
    if not lines or lines[0].strip() != "---":
        return 0, None
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return 0, None
    fields = [m for ln in lines[1:end] if (m := _FRONT_KEY.match(ln.strip()))]
    if not fields:
        return 0, None
    title = next((m.group(2).strip().strip("\"'") for m in fields if m.group(1).lower() == "title"), None)
    removed.extend(Removal(ln.strip(), "front matter (an export's fields)") for ln in lines[1:end] if ln.strip())
    return end + 1, title or None


def read_markdown(text: str, removed: list[Removal] | None = None) -> list[Line]:
    """The lines of a Markdown text with their roles (see the module docstring)."""
    removed = removed if removed is not None else []
    raw = _without_comments(text).splitlines()
    start, front_title = _front_matter(raw, removed)
    out: list[Line] = []
    fence: str | None = None
    titled = False
    for i in range(start, len(raw)):
        line = raw[i]
        if fence:
            if line.strip().startswith(fence):
                fence = None
            elif line.strip():
                out.append(Line(line.strip()))
            continue
        if m := _FENCE.match(line):
            fence = m.group(1)[:3]
            continue
        m = _SETEXT.match(line)
        if m and out and not (out[-1].heading or out[-1].title) and i > start and raw[i - 1].strip():
            last = out.pop()
            out.append(_heading(last.text, 1 if m.group(1)[0] == "=" else 2, titled, len(out)))
            titled = titled or out[-1].title
            continue
        if _BREAK.match(line) or (m and out and (out[-1].heading or out[-1].title)) or _TABLE_RULE.match(line):
            continue
        if m := _ATX.match(line):
            body = inline(m.group(2) or "").strip()
            if body:
                out.append(_heading(body, len(m.group(1)), titled, len(out)))
                titled = titled or out[-1].title
            continue
        s = _QUOTE.sub("", _LIST.sub("", line))
        if s.strip().startswith("|") or s.strip().endswith("|"):
            s = " ".join(c.strip() for c in s.strip().strip("|").split("|"))
        for piece in _BR.split(inline(s)):
            if piece.strip():
                out.append(Line(piece.strip()))
    if out and out[0].title and export_header([ln.text for ln in out])[0]:
        out[0] = Line(out[0].text)  # the heading of an export's own header block (# 原件固化), not a title
        titled = False
    if front_title and not titled:
        out.insert(0, Line(inline(front_title), title=True))
    return out


def _heading(text: str, level: int, titled: bool, position: int) -> Line:
    """A heading line: the first level-1 heading near the top is the title hint, any other a heading."""
    if level == 1 and not titled and position < 12:
        return Line(text, title=True)
    return Line(text, heading=True)
