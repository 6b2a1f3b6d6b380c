"""Older word-processor formats: Word 97–2003 .doc and WPS Office .wps through antiword, and RTF.

**.doc / .wps** — Debian's ``antiword`` (GPL-2, run as a separate program, not linked) reads the body,
tables and text boxes of Word 97–2003 files, and of the .wps files WPS Office writes in the same compound
format; it needs a UTF-8 locale (``-m UTF-8.txt``, ``LANG=C.UTF-8``). It runs with a timeout and a memory
limit (:func:`.limits.run_tool`). Its table rows (``|cell |cell |``) become rows of cell text; the rule it
prints before text boxes is dropped. It does not print page headers. Where antiword is not installed
the file is refused with the command that installs it. No font sizes: the title comes from
:mod:`.layout`'s fallback (the first title-like line after the banner and the 发文字号).

**.rtf** — read here (:func:`rtf_text`): groups, ``\\'hh`` bytes in the document's code page (GBK for
Chinese RTF), ``\\uN`` characters with their fallback skipped (a surrogate pair of them joined into one
character beyond U+FFFF), paragraphs, cells and rows, text boxes
(``{\\*\\shpinst … {\\shptxt …}}``, their ``\\shprslt`` copy skipped); font tables, style sheets, pictures,
shape properties and other ``{\\*…}`` destinations are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

from indexer.extract.errors import ExtractError
from indexer.extract.formats.layout import Layout, Line, garbled, layout_of
from indexer.extract.formats.limits import run_tool

INSTALL_ANTIWORD = "apt-get install antiword (or run make test as root)"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RULE = re.compile(r"^-{10,}$")


def read_doc(data: bytes) -> Layout:
    """Lines of a .doc or .wps file through antiword (see the module docstring)."""
    if not data.startswith(_OLE_MAGIC):
        if data.lstrip().startswith(b"{\\rtf"):
            return read_rtf(data)  # Word happily saves RTF under a .doc name
        raise ExtractError("not a Word 97–2003 or WPS document (no compound-file header)")
    tool = shutil.which("antiword")
    if tool is None:
        raise ExtractError(f".doc/.wps needs antiword, which is not installed: {INSTALL_ANTIWORD}")
    fd, path = tempfile.mkstemp(suffix=".doc")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        out = run_tool([tool, "-m", "UTF-8.txt", "-w", "0", path], "Word/WPS")
    finally:
        os.unlink(path)
    return layout_of(antiword_lines(out.decode("utf-8", "replace")))


def antiword_lines(text: str) -> list[Line]:
    """antiword's text output → lines (table rows as cell text, the text-box rule dropped)."""
    lines = []
    for raw in text.splitlines():
        s = raw.strip()
        if not s or _RULE.match(s):
            continue
        if s.startswith("|") and s.endswith("|"):
            s = " ".join(c.strip() for c in s.strip("|").split("|") if c.strip())
        lines.append(Line(s))
    return lines


# ----------------------------------------------------------------------------------------------- RTF
#: A control word's parameter is a 16- or 32-bit number: ten digits at most are read, further ones dropped (a
#: parameter of thousands of digits would otherwise fail the conversion).
_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d{1,10})?\d* ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_SKIP_DEST = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"themedata",
              b"colorschememapping", b"latentstyles", b"datastore", b"xmlnstbl", b"listtable",
              b"listoverridetable", b"rsidtbl", b"generator", b"userprops", b"fldinst", b"filetbl",
              b"revtbl", b"pgdsctbl", b"bkmkstart", b"bkmkend", b"sp", b"shprslt", b"nonshppict"}
#: Starred destinations that hold text after all: a shape's instructions carry its text box (\shptxt).
_READ_STARRED = {b"shpinst"}
_BREAKS = {b"par": "\n", b"line": "\n", b"row": "\n", b"sect": "\n", b"page": "\n", b"cell": " ", b"tab": " ",
           b"emdash": "—", b"endash": "–", b"lquote": "‘", b"rquote": "’", b"ldblquote": "“", b"rdblquote": "”",
           b"bullet": "•"}
_MAX_DEPTH = 200
_SURROGATE = re.compile("[\ud800-\udfff]")


def rtf_text(data: bytes) -> str:
    """The text of an RTF document (see the module docstring)."""
    head = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codepage = f"cp{int(head.group(1))}" if head else "cp1252"
    codepage = "gb18030" if codepage == "cp936" else codepage
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    out: list[str] = []
    pending = bytearray()
    stack: list[tuple[bool, int]] = []
    skipping, uc, skip_next, starred = False, 1, 0, False

    def flush() -> None:
        if pending:
            out.append(pending.decode(codepage, "replace"))
            pending.clear()

    for m in _TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, plain = m.groups()
        if brace == b"{":
            if len(stack) >= _MAX_DEPTH:
                raise ExtractError("RTF groups nested too deeply")
            stack.append((skipping, uc))
        elif brace == b"}":
            flush()
            skipping, uc = stack.pop() if stack else (skipping, uc)
        elif skipping:
            continue
        elif starred:
            starred = False
            skipping = word not in _READ_STARRED
        elif skip_next and (hexbyte or plain):  # the fallback after \uN
            skip_next -= 1
            if plain and len(plain) > 1:
                out.append(plain[1:].decode(codepage, "replace"))
                skip_next = 0
        elif hexbyte:
            pending.append(int(hexbyte, 16))
        elif word:
            flush()
            if word in _SKIP_DEST:
                skipping = True
            elif word == b"uc" and arg:
                uc = int(arg)
            elif word == b"u" and arg:
                out.append(chr(int(arg) % 65536))
                skip_next = uc
            elif word in _BREAKS:
                out.append(_BREAKS[word])
        elif symbol:
            flush()
            if symbol == b"*":
                starred = True
            elif symbol in (b"\\", b"{", b"}"):
                out.append(symbol.decode())
            elif symbol == b"~":
                out.append(" ")
        elif plain:
            flush()
            out.append(plain.decode(codepage, "replace"))
    flush()
    return utf16_pairs("".join(out))


def utf16_pairs(text: str) -> str:
    """``\\uN`` is one UTF-16 code unit: a character beyond U+FFFF (CJK Extension B and later, common in
    names: 𠀀, 𪚥) comes as two, a surrogate pair, joined here into the one character; a lone half is U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def read_rtf(data: bytes) -> Layout:
    """Lines of an RTF document (after a byte-order mark some editors write before ``{\\rtf``, as the type sniffer
    reads it: it is not text)."""
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not data.startswith(b"{\\rtf"):
        raise ExtractError("not an RTF document (no {\\rtf header)")
    text = rtf_text(data)
    if garbled(text):
        raise ExtractError("RTF holds no readable text (binary or garbled content)")
    return layout_of([Line(ln) for ln in text.splitlines()])
