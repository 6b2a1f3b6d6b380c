"""Word 2007+ (.docx, .docm): every ``w:t`` of the header, main document, footnote and footer parts, in order.

python-docx's paragraphs miss tables, headers and text boxes, so the parts are walked directly:

* block by block (paragraphs, tables, content controls); a table row becomes one line of its cells' text;
* a text box (``w:txbxContent``) becomes lines of its own after the paragraph that anchors it; the
  ``mc:Fallback`` branch of an ``mc:AlternateContent`` repeats the same box for old readers and is skipped;
* ``w:tab`` is a space, ``w:br`` a line break; deleted text (``w:delText``) and field codes
  (``w:instrText``) are not ``w:t`` and stay out;
* each paragraph carries its style's heading level or title role, its font size (``w:sz``, half-points,
  from the run, the paragraph style or the document defaults) and alignment, for :mod:`.layout`;
* an ``w:altChunk`` (content imported as another format, as exporters that write HTML into a .docx do) is
  read where it stands: its part, found through the relationship its ``r:id`` names, is HTML or an MHT
  (MIME) archive holding HTML, read by the project's HTML reader (:func:`indexer.extract.html.extract_html`;
  the page's title is the title, its ``<h2>``…``<h6>`` are headings), or plain text.

The container is checked by :func:`.limits.open_zip` first; XML goes through :func:`.limits.parse_xml`.
"""

from __future__ import annotations

import email
import email.policy
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from indexer.extract.decoding import DecodeError, decode_bytes
from indexer.extract.errors import ExtractError
from indexer.extract.formats.layout import Layout, Line, layout_of
from indexer.extract.formats.limits import MAX_CHARS, open_zip, parse_xml, read_member

_MAIN_TYPES = ("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml",
               "ms-word.document.macroEnabled.main+xml", "ms-word.template.macroEnabledTemplate.main+xml")
_HEADING_NAME = re.compile(r"^(heading|标题)\s*([1-9])$", re.I)
_TITLE_NAMES = {"title", "标题"}
#: The order of header1.xml … header12.xml (of a longer number, its last 9 digits).
_PART_NUMBER = re.compile(r"(\d{1,9})\.xml$")
_CONTAINERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple"}


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return str(value)
    return None


def _child(el: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == name), None)
    return el


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    size: float
    align: str | None


class _Styles:
    """Paragraph styles by id, with their inherited heading level, size and alignment."""

    def __init__(self, root: etree._Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_size = 0.0
        if root is None:
            return
        self.default_size = _half_points(_child(root, "docDefaults", "rPrDefault", "rPr", "sz"))
        for st in root:
            if _local(st) != "style":
                continue
            ppr = _child(st, "pPr")
            outline = _attr(_child(ppr, "outlineLvl"), "val")
            self.styles[_attr(st, "styleId") or ""] = _Style(
                name=(_attr(_child(st, "name"), "val") or "").strip().lower(),
                based_on=_attr(_child(st, "basedOn"), "val"),
                outline=int(outline) if outline and outline.isdigit() else None,
                size=_half_points(_child(st, "rPr", "sz")),
                align=_attr(_child(ppr, "jc"), "val"))

    def chain(self, style_id: str | None) -> list[_Style]:
        out: list[_Style] = []
        while style_id and style_id in self.styles and len(out) < 8:
            out.append(self.styles[style_id])
            style_id = out[-1].based_on
        return out

    def role(self, style_id: str | None) -> tuple[bool, bool]:
        """(is a heading, is the title) for a paragraph style."""
        chain = self.chain(style_id)
        if not chain:
            return False, False
        if chain[0].name in _TITLE_NAMES:
            return False, True
        heading = bool(_HEADING_NAME.match(chain[0].name)) or any(s.outline is not None and s.outline < 9
                                                                   for s in chain)
        return heading, False

    def size(self, style_id: str | None) -> float:
        return next((s.size for s in self.chain(style_id) if s.size), self.default_size)

    def align(self, style_id: str | None) -> str | None:
        return next((s.align for s in self.chain(style_id) if s.align), None)


def _half_points(el: etree._Element | None) -> float:
    val = _attr(el, "val")
    try:
        return float(val) / 2 if val else 0.0
    except ValueError:
        return 0.0


class _Walker:
    """Turns the blocks of one part into :class:`Line` objects (``chunk`` reads an altChunk by its r:id)."""

    def __init__(self, styles: _Styles, chunk: Callable[[str], list[Line]] | None = None) -> None:
        self.styles = styles
        self.chunk = chunk
        self.lines: list[Line] = []
        self.chunk_chars = 0  # of the altChunks' lines: a part referenced again and again is a dump

    def blocks(self, container: etree._Element) -> None:
        for child in container:
            name = _local(child)
            if name == "p":
                self.paragraph(child)
            elif name == "tbl":
                self.table(child)
            elif name == "AlternateContent":
                choice = _child(child, "Choice")
                if choice is not None:
                    self.blocks(choice)
            elif name in _CONTAINERS:
                self.blocks(child)
            elif name == "altChunk" and self.chunk is not None:
                got = self.chunk(_attr(child, "id") or "")
                self.chunk_chars += sum(len(ln.text) for ln in got)
                if self.chunk_chars > MAX_CHARS:
                    raise ExtractError(f"more than {MAX_CHARS} characters of text in its altChunks: a dump, "
                                       "not a document")
                self.lines.extend(got)

    def paragraph(self, p: etree._Element) -> None:
        boxes: list[etree._Element] = []
        text = _inline_text(p, boxes)
        ppr = _child(p, "pPr")
        style = _attr(_child(ppr, "pStyle"), "val")
        heading, title = self.styles.role(style)
        outline = _attr(_child(ppr, "outlineLvl"), "val")
        heading = heading or bool(outline and outline.isdigit() and int(outline) < 9)
        size = max((_half_points(_child(r, "rPr", "sz")) for r in p.iter("{*}r") if _has_text(r)), default=0.0)
        align = _attr(_child(ppr, "jc"), "val") or self.styles.align(style)
        align = {"end": "right", "start": "left"}.get(align or "", align)
        for piece in text.split("\n"):
            if piece.strip():
                self.lines.append(Line(piece, size or self.styles.size(style), align, heading, title))
        for box in boxes:
            self.blocks(box)

    def table(self, tbl: etree._Element) -> None:
        for row in tbl.iter("{*}tr"):
            if _local(row.getparent()) not in ("tbl", "sdtContent", "customXml") or _inside(row, tbl):
                continue
            cells = []
            for cell in (c for c in row if _local(c) in ("tc", "sdt")):
                inner = _Walker(self.styles)
                content = _child(cell, "sdtContent") if _local(cell) == "sdt" else None
                inner.blocks(cell if content is None else content)
                cells.append(" ".join(ln.text.strip() for ln in inner.lines if ln.text.strip()))
            row_text = " ".join(c for c in cells if c)
            if row_text:
                self.lines.append(Line(row_text))


def _inside(row: etree._Element, tbl: etree._Element) -> bool:
    """Whether ``row`` belongs to a table nested inside ``tbl`` (read with its cell, not as a row of ``tbl``)."""
    el = row.getparent()
    while el is not None and el is not tbl:
        if _local(el) == "tbl":
            return True
        el = el.getparent()
    return False


def _has_text(run: etree._Element) -> bool:
    return any((t.text or "").strip() for t in run.iter("{*}t"))


def _inline_text(el: etree._Element, boxes: list[etree._Element]) -> str:
    """The text of a paragraph's runs; text boxes are set aside in ``boxes``, fallbacks skipped."""
    parts: list[str] = []
    for child in el:
        name = _local(child)
        if name in ("Fallback", "pPr", "rPr", "instrText", "delText"):
            continue
        if name == "txbxContent":
            boxes.append(child)
        elif name == "t":
            parts.append(child.text or "")
        elif name == "tab":
            parts.append(" ")
        elif name in ("br", "cr"):
            parts.append("\n")
        elif name == "noBreakHyphen":
            parts.append("-")
        else:
            parts.append(_inline_text(child, boxes))
    return "".join(parts)


def _parts(archive: zipfile.ZipFile) -> tuple[str, list[str], list[str]]:
    """(main part, header parts, footnote and footer parts) by name."""
    main = "word/document.xml"
    if "[Content_Types].xml" in archive.namelist():
        types = parse_xml(read_member(archive, "[Content_Types].xml", "docx"), "docx content types")
        for override in types:
            if (_attr(override, "ContentType") or "").endswith(_MAIN_TYPES):
                main = (_attr(override, "PartName") or main).lstrip("/")
    names = archive.namelist()

    def numbered(prefix: str) -> list[str]:
        found = [n for n in names if re.fullmatch(rf"word/{prefix}\d*\.xml", n)]
        return sorted(found, key=lambda n: int(m.group(1)) if (m := _PART_NUMBER.search(n)) else 0)

    return main, numbered("header"), [n for n in ("word/footnotes.xml", "word/endnotes.xml") if n in names]\
        + numbered("footer")


def read_docx(data: bytes) -> Layout:
    """Lines and layout hints of a .docx file (see the module docstring)."""
    archive = open_zip(data, "docx")
    main, heads, tails = _parts(archive)
    styles_root = (parse_xml(read_member(archive, "word/styles.xml", "docx"), "docx styles")
                   if "word/styles.xml" in archive.namelist() else None)
    styles = _Styles(styles_root)
    lines: list[Line] = []
    seen: set[str] = set()
    for name in heads:
        lines.extend(_margin_lines(archive, name, styles, seen))
    chunks: dict[str, list[Line]] = {}  # each chunk read once, however often the body refers to it

    def chunk(rid: str) -> list[Line]:
        if rid not in chunks:
            chunks[rid] = _alt_chunk(archive, main, rid)
        return chunks[rid]

    walker = _Walker(styles, chunk)
    body = _child(parse_xml(read_member(archive, main, "docx"), "docx document"), "body")
    if body is not None:
        walker.blocks(body)
    lines.extend(walker.lines)
    for name in tails:
        lines.extend(_margin_lines(archive, name, styles, seen))
    return layout_of(lines)


def _margin_lines(archive: zipfile.ZipFile, name: str, styles: _Styles, seen: set[str]) -> list[Line]:
    """Lines of a header, footer or notes part: page numbers and lines already seen in another one left out."""
    walker = _Walker(styles)
    root = parse_xml(read_member(archive, name, "docx"), f"docx {name}")
    for holder in (root, *(n for n in root if _local(n) in ("footnote", "endnote")
                           and _attr(n, "type") not in ("separator", "continuationSeparator", "continuationNotice"))):
        walker.blocks(holder)
    out = []
    for ln in walker.lines:
        key = ln.text.strip()
        if key and key not in seen and re.search(r"[^\W\d_]", key):
            seen.add(key)
            out.append(Line(ln.text, 0.0, ln.align))
    return out


def _target(archive: zipfile.ZipFile, part: str, rid: str) -> str | None:
    """The part a relationship of ``part`` names (word/_rels/document.xml.rels), as a member name."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if not rid or rels not in archive.namelist():
        return None
    for rel in parse_xml(read_member(archive, rels, "docx"), "docx relationships"):
        if _attr(rel, "Id") == rid and _attr(rel, "TargetMode") != "External":
            target = _attr(rel, "Target") or ""
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(part), target))
            return name if name in archive.namelist() else None
    return None


def _alt_chunk(archive: zipfile.ZipFile, part: str, rid: str) -> list[Line]:
    """The lines of an altChunk (see the module docstring); an unknown kind of chunk gives none."""
    name = _target(archive, part, rid)
    if name is None:
        return []
    data = read_member(archive, name, "docx")
    charset = None
    head = data[:2048].lower()
    if name.lower().endswith((".mht", ".mhtml")) or b"mime-version:" in head or b"content-type: multipart" in head:
        found = _mime_html(data)
        if found is None:
            return []
        data, charset = found
    elif not name.lower().endswith((".htm", ".html", ".xhtml", ".txt")):
        return []
    try:
        text = decode_bytes(data, charset).text
    except DecodeError:
        return []
    if name.lower().endswith(".txt"):
        return [Line(ln) for ln in text.splitlines() if ln.strip()]
    from indexer.extract.html import extract_html  # the HTML reader: only for files that hold HTML

    page = extract_html(text)
    out, titled = [], False
    for ln in page.lines:
        title = not titled and page.title is not None and ln.strip() == page.title.strip()
        titled = titled or title
        out.append(Line(ln, title=title, heading=not title and ln.strip() in page.headings))
    return out


def _mime_html(data: bytes) -> tuple[bytes, str | None] | None:
    """The first HTML part of an MHT (MIME) archive, with its declared charset."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset()
    return None
