"""Split a document's lines into sections by the headings these documents use.

Recognised (patterns in :mod:`indexer.extract.rules`): 第X章/节, 一、, （一）, 1. / 1、, （1）, 一是, 第X条, a short
bullet line introducing sub-items, and a bare short line without sentence punctuation that introduces a
longer paragraph; and any line the source's markup declares a heading (Word's Heading styles, passed in
``headings``). A heading on a line of its own starts a section; a heading that leads a paragraph
("（一）聚智慧，打造…平台。坚持…") names the section by its lead clause and the paragraph stays whole as
the section's text. A section longer than ``MAX_SECTION_CHARS`` continues in further sections under the
same heading. Headings are stored without their list marker (一、, （一）, 1.); the section's text keeps
every original line, the heading line included, so nothing of the original is lost.
"""

from __future__ import annotations

from collections.abc import Collection

from indexer.document import Section
from indexer.extract import rules


def _is_prose(line: str) -> bool:
    return line[-1] in rules.SENTENCE_END or len(line) > rules.MAX_HEADING_LEN * 2


def classify(line: str) -> tuple[str, str | None]:
    """('heading', text) for a standalone heading, ('inline', lead clause) for a paragraph that starts
    with one, ('text', None) otherwise."""
    for pattern in rules.HEADING_PATTERNS:
        m = pattern.match(line)
        if not m:
            continue
        body = m.groupdict().get("h") or line
        if not _is_prose(line) and len(line) <= rules.MAX_HEADING_LEN * 1.5:
            return "heading", body.strip()
        lead = rules.LEAD_CLAUSE.match(body)
        if lead:
            return "inline", lead.group(1).strip()
        if line.startswith("第") and line[1:].split("条")[0] and "条" in line[:8]:
            return "inline", line[:line.index("条") + 1]
        return "text", None
    return "text", None


def _short_plain(line: str) -> bool:
    return len(line) <= 30 and not _is_prose(line) and not rules.BULLET.match(line)


def _bare_heading(lines: list[str], i: int) -> str | None:
    """A short unpunctuated line that introduces a longer paragraph or a bullet list (and does not
    itself continue a list of short lines)."""
    line = lines[i]
    if i + 1 >= len(lines) or len(line) > 30 or len(line) < 4 or _is_prose(line):
        return None
    if not any("\u4e00" <= c <= "\u9fff" for c in line):
        return None
    if i > 0 and _short_plain(lines[i - 1]):
        return None
    nxt = lines[i + 1]
    if classify(nxt)[0] != "text":
        return None
    bullet = rules.BULLET.match(line)
    if bullet:
        return line[bullet.end():].strip() if not rules.BULLET.match(nxt) and not _short_plain(nxt) else None
    if rules.BULLET.match(nxt) or len(nxt) >= max(40, 2 * len(line)):
        return line
    return None


def split_sections(lines: list[str], doc_id: str, first_heading: str | None = None,
                   headings: Collection[str] = ()) -> list[Section]:
    """Sections of a document; the text before the first heading gets ``first_heading`` (the title).
    ``headings`` are lines the source's own markup declares headings (Word's Heading styles)."""
    sections: list[tuple[str | None, list[str]]] = [(first_heading, [])]
    for i, line in enumerate(lines):
        kind, heading = classify(line)
        if line in headings and kind != "heading":
            kind, heading = "heading", line
        if kind == "text":
            bare = _bare_heading(lines, i)
            if bare:
                kind, heading = "heading", bare
        if kind == "heading":
            sections.append((heading, [line]))
        elif kind == "inline":
            sections.append((heading, [line]))
        else:
            sections[-1][1].append(line)
    out: list[Section] = []
    for heading, body in sections:
        if heading is None and not body:
            continue
        if heading is not None and heading == first_heading and not body and len(sections) > 1:
            continue
        for chunk in _chunks(body):
            out.append(Section(f"{doc_id}#{len(out) + 1}", heading, "\n".join(chunk)))
    return out


def _chunks(lines: list[str]) -> list[list[str]]:
    """A section's lines in passages of at most MAX_SECTION_CHARS (a long line splits after a sentence),
    so that a hit points at a passage, not at a whole unstructured speech."""
    pieces: list[str] = []
    for line in lines:
        while len(line) > rules.MAX_SECTION_CHARS:
            cut = max(line.rfind(p, 0, rules.MAX_SECTION_CHARS) for p in "。！？；")
            cut = cut + 1 if cut > rules.MAX_SECTION_CHARS // 3 else rules.MAX_SECTION_CHARS
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    chunks: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        if chunks[-1] and size + len(piece) > rules.MAX_SECTION_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(piece)
        size += len(piece)
    return chunks
