"""Word 97–2003 binary (.doc, and the .wps/.doc files WPS Office writes) read from the file's own structures.

antiword (:mod:`.legacy`) reads most such files; some it refuses although their text is plainly in them
(files written by WPS Office and by other producers that fill the header differently). This reader follows
the [MS-DOC] specification:

* the compound file is opened by olefile (BSD-2-Clause); its ``WordDocument`` stream starts with the FIB,
  which says which table stream (``0Table``/``1Table``) holds the rest, how many characters the main text,
  footnotes, headers and text boxes have, and where the piece table (CLX) lies;
* the piece table maps character positions to bytes: each piece is UTF-16LE, or one byte a character
  (cp1252) when marked compressed;
* paragraphs end at ``\\r``; table cells at ``\\x07`` (two in a row end a table row); field codes between
  ``\\x13`` and ``\\x14`` are dropped and the field's result kept; object anchors and other marks are dropped;
* the style of each paragraph (the PAPX runs of the FKP pages) is looked up in the style sheet by its
  built-in identifier — Title (sti 62) and Heading 1–9 (sti 1–9), whatever the style's name in the file's
  language — and a centred paragraph (sprmPJc) is marked centred, for :mod:`.layout`.
Encrypted files and Word 6/95 files (an older FIB) are refused with that reason.
"""

from __future__ import annotations

import io
import struct

from indexer.extract.errors import ExtractError
from indexer.extract.formats.layout import Layout, Line, garbled, layout_of

_MAGIC = 0xA5EC
_TITLE_STI = 62
_JC_SPRMS = (0x2403, 0x2461)
#: Marks that are not text: object and picture anchors, footnote and annotation references, separators.
_DROP = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08\x1f"), None) | {0x1E: "-", 0xA0: " ", 0x0B: "\n",
                                                                        0x0C: "\n", 0x0E: "\n"}


def _u16(b: bytes, at: int) -> int:
    return int(struct.unpack_from("<H", b, at)[0])


def _u32(b: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", b, at)[0])


class _Doc:
    """The FIB fields and streams this reader uses."""

    def __init__(self, data: bytes) -> None:
        import olefile

        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
        except (OSError, ValueError, struct.error) as exc:
            raise ExtractError(f"not a readable Word 97–2003 file ({exc})") from exc
        try:
            if not ole.exists("WordDocument"):
                raise ExtractError("not a Word document (no WordDocument stream)")
            self.word = ole.openstream("WordDocument").read()
            fib = self.word
            if len(fib) < 0x200 or _u16(fib, 0) != _MAGIC:
                raise ExtractError("not a Word 97–2003 document (no FIB)")
            flags = _u16(fib, 0x0A)
            if flags & 0x0100:
                raise ExtractError("encrypted Word document (password protected)")
            csw = _u16(fib, 32)
            lw = 32 + 2 + 2 * csw
            cslw = _u16(fib, lw)
            if csw < 14 or cslw < 22:
                raise ExtractError("Word 6/95 document (an older format than Word 97–2003)")
            self.lw = lw + 2
            self.pairs = self.lw + 4 * cslw + 2
            table = "1Table" if flags & 0x0200 else "0Table"
            if not ole.exists(table):
                raise ExtractError(f"Word document without its {table} stream")
            self.table = ole.openstream(table).read()
        except (OSError, ValueError, struct.error) as exc:
            raise ExtractError(f"Word document cannot be read ({exc})") from exc
        finally:
            ole.close()

    def count(self, index: int) -> int:
        """FibRgLw97 field ``index`` (3 ccpText, 4 ccpFtn, 5 ccpHdd, 7 ccpAtn, 8 ccpEdn, 9 ccpTxbx)."""
        return _u32(self.word, self.lw + 4 * index)

    def pair(self, index: int) -> tuple[int, int]:
        """FibRgFcLcb97 pair ``index`` (1 STSH, 13 PlcBtePapx, 33 CLX): (offset, length) in the table stream."""
        at = self.pairs + 8 * index
        if at + 8 > len(self.word):
            return 0, 0
        return _u32(self.word, at), _u32(self.word, at + 4)


def _pieces(doc: _Doc) -> list[tuple[int, int, int, bool]]:
    """(cp start, cp end, byte offset, compressed) of every piece of the CLX."""
    fc, lcb = doc.pair(33)
    clx = doc.table[fc:fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers, skipped
        at += 3 + _u16(clx, at + 1)
    if at >= len(clx) or clx[at] != 0x02:
        raise ExtractError("Word document without a piece table")
    size = _u32(clx, at + 1)
    plc = clx[at + 5:at + 5 + size]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise ExtractError("Word document with an empty piece table")
    cps = [_u32(plc, 4 * i) for i in range(n + 1)]
    out = []
    for i in range(n):
        raw = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(raw & 0x40000000)
        offset = (raw & 0x3FFFFFFF) // 2 if compressed else raw & 0x3FFFFFFF
        out.append((cps[i], cps[i + 1], offset, compressed))
    return out


def _text(doc: _Doc, pieces: list[tuple[int, int, int, bool]], start: int, end: int) -> str:
    """Characters [start, end) through the piece table."""
    parts = []
    for cp0, cp1, offset, compressed in pieces:
        a, b = max(cp0, start), min(cp1, end)
        if a >= b:
            continue
        if compressed:
            raw = doc.word[offset + a - cp0:offset + b - cp0]
            parts.append(raw.decode("cp1252", "replace"))
        else:
            raw = doc.word[offset + 2 * (a - cp0):offset + 2 * (b - cp0)]
            parts.append(raw.decode("utf-16-le", "replace"))
    return "".join(parts)


def _styles(doc: _Doc) -> dict[int, int]:
    """istd → built-in style identifier (sti) from the style sheet."""
    fc, lcb = doc.pair(1)
    stsh = doc.table[fc:fc + lcb]
    if len(stsh) < 4:
        return {}
    header = _u16(stsh, 0)
    cstd = _u16(stsh, 2)
    at = 2 + header
    out = {}
    for istd in range(min(cstd, 4096)):
        if at + 2 > len(stsh):
            break
        size = _u16(stsh, at)
        if size >= 2:
            out[istd] = _u16(stsh, at + 2) & 0x0FFF
        at += 2 + size
    return out


def _paragraph_runs(doc: _Doc) -> list[tuple[int, int, int, bool]]:
    """(byte start, byte end, istd, centred) of the paragraphs the FKP pages describe."""
    fc, lcb = doc.pair(13)
    plc = doc.table[fc:fc + lcb]
    n = (len(plc) - 4) // 8
    runs = []
    for i in range(max(0, n)):
        page = (_u32(plc, 4 * (n + 1) + 4 * i) & 0x3FFFFF) * 512
        fkp = doc.word[page:page + 512]
        if len(fkp) < 512:
            continue
        crun = fkp[511]
        for k in range(min(crun, 101)):
            start, end = _u32(fkp, 4 * k), _u32(fkp, 4 * (k + 1))
            offset = fkp[4 * (crun + 1) + 13 * k] * 2
            if not offset or offset >= 511:
                runs.append((start, end, 0, False))
                continue
            cb = fkp[offset]
            body_at, size = (offset + 2, 2 * fkp[offset + 1]) if cb == 0 else (offset + 1, 2 * cb - 1)
            papx = fkp[body_at:body_at + size]
            istd = _u16(papx, 0) if len(papx) >= 2 else 0
            runs.append((start, end, istd, _centred(papx[2:])))
    return runs


def _centred(grpprl: bytes) -> bool:
    """Whether a paragraph's property list centres it (sprmPJc / sprmPJc80 = 1)."""
    at = 0
    while at + 2 <= len(grpprl):
        sprm = _u16(grpprl, at)
        spra = sprm >> 13
        size = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}.get(spra)
        if size is None:  # variable length
            size = 1 + (grpprl[at + 2] if at + 2 < len(grpprl) else 0)
        if sprm in _JC_SPRMS and at + 2 < len(grpprl):
            return grpprl[at + 2] == 1
        at += 2 + size
    return False


def _roles(doc: _Doc, pieces: list[tuple[int, int, int, bool]]) -> dict[int, tuple[int, bool]]:
    """cp of each paragraph's end → (sti, centred)."""
    stis = _styles(doc)
    out: dict[int, tuple[int, bool]] = {}
    for _start, end, istd, centred in _paragraph_runs(doc):
        for cp0, cp1, offset, compressed in pieces:
            width = 1 if compressed else 2
            lo, hi = offset, offset + (cp1 - cp0) * width
            if lo <= end - width < hi:
                out[cp0 + (end - width - lo) // width] = (stis.get(istd, -1), centred)
    return out


def _lines(text: str, start: int, roles: dict[int, tuple[int, bool]]) -> list[Line]:
    """Paragraphs of ``text`` (which starts at cp ``start``) as lines with their style roles."""
    lines: list[Line] = []
    field_depth: list[bool] = []  # per open field: whether we are in its result
    buf: list[str] = []
    for k, ch in enumerate(text):
        if ch == "\x13":
            field_depth.append(False)
            continue
        if ch == "\x14":
            if field_depth:
                field_depth[-1] = True
            continue
        if ch == "\x15":
            if field_depth:
                field_depth.pop()
            continue
        if field_depth and not field_depth[-1]:
            continue
        if ch not in "\r\x07":
            buf.append(ch)
            continue
        if ch == "\x07":
            buf.append("\t")
            if not (k + 1 < len(text) and text[k + 1] == "\x07"):
                continue
        sti, centred = roles.get(start + k, (-1, False))
        paragraph = "".join(buf).translate(_DROP)
        buf.clear()
        for piece in paragraph.split("\n"):
            piece = " ".join(c for c in piece.split("\t") if c.strip()) if "\t" in piece else piece
            if piece.strip():
                lines.append(Line(piece, 0.0, "center" if centred else None, 1 <= sti <= 9, sti == _TITLE_STI))
    tail = "".join(buf).translate(_DROP)
    lines.extend(Line(p) for p in tail.split("\n") if p.strip())
    return lines


def read_word_binary(data: bytes) -> Layout:
    """A .doc/.wps file: read here first (it gives the styles); where this reader refuses the file (a Word 6/95
    file, damaged structures) antiword is tried, and the file is refused only when both fail, with both
    reasons. RTF saved under a .doc name and files that are not compound files go to :func:`.legacy.read_doc`."""
    from indexer.extract.formats.legacy import read_doc

    if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return read_doc(data)
    try:
        return read_worddoc(data)
    except ExtractError as ours:
        if "encrypted" in str(ours):
            raise
        try:
            return read_doc(data)
        except ExtractError as theirs:
            raise ExtractError(f"{ours}; antiword: {theirs}") from theirs


def read_worddoc(data: bytes) -> Layout:
    """Lines and layout hints of a Word 97–2003 binary document (see the module docstring)."""
    doc = _Doc(data)
    try:
        pieces = _pieces(doc)
        main = doc.count(3)
        before_boxes = main + sum(doc.count(i) for i in (4, 5, 7, 8))
        roles = _roles(doc, pieces)
        lines = _lines(_text(doc, pieces, 0, main), 0, roles)
        boxes = doc.count(9)
        if boxes:
            lines += _lines(_text(doc, pieces, before_boxes, before_boxes + boxes), before_boxes, roles)
    except (struct.error, IndexError) as exc:
        raise ExtractError(f"Word document structures are damaged ({exc})") from exc
    text = "\n".join(ln.text for ln in lines)
    if not text.strip():
        raise ExtractError("Word document holds no text")
    if garbled(text):
        raise ExtractError("Word document text is not readable (damaged or obfuscated)")
    return layout_of(lines)
