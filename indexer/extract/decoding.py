"""Bytes → text, without trusting what a file says about itself.

Order of evidence:
  1. binary files (NUL bytes, known magic numbers) are refused with a reason;
  2. a byte-order mark decides;
  3. bytes that are valid UTF-8 are UTF-8, whatever the page declares (real pages declare gb2312 and are
     UTF-8);
  4. otherwise every plausible codec is tried — the declared charset, chardet's guess, GB18030, Big5 and
     EUC-TW — and the decoding that reads most like real Chinese wins (see :mod:`indexer.extract.plausibility`).
     GB2312/GBK labels always decode as GB18030, their superset.

Text whose characters are mostly lost (a file that was once re-saved with U+FFFD in place of every
undecodable byte) raises :class:`DecodeError`; a few damaged characters are left for the cleaner, which
removes and reports them.
"""

from __future__ import annotations

import codecs
import re
import shutil
import subprocess
from dataclasses import dataclass

from indexer.extract import plausibility

_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive (or DOCX/XLSX)",
    b"\xd0\xcf\x11\xe0": "MS Office (OLE) document",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"Rar!": "RAR archive",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
    "euc-cn": "gb18030", "csgb2312": "gb18030", "gb18030": "gb18030", "936": "gb18030",
    "big5": "big5hkscs", "big-5": "big5hkscs", "cn-big5": "big5hkscs", "x-x-big5": "big5hkscs",
    "cp950": "cp950", "big5-hkscs": "big5hkscs", "euc-tw": "euc-tw", "euctw": "euc-tw",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode": "utf-8",
}
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
#: Share of replacement characters above which a text is refused as damaged beyond use.
MAX_DAMAGE = 0.10


class DecodeError(ValueError):
    """The bytes cannot be turned into trustworthy text; the message is the one-line reason."""


@dataclass
class Decoded:
    """Text plus how it was obtained."""

    text: str
    encoding: str
    declared: str | None = None
    replaced: int = 0  # characters that could not be decoded (now U+FFFD)


def canonical_codec(label: str | None) -> str | None:
    """Map a charset label to the codec we decode it with (GBK family → GB18030), or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charsets(data: bytes) -> list[str]:
    """Charsets named inside the bytes (meta tags, XML prolog), in document order, canonicalised."""
    out: list[str] = []
    head = data[:65536]
    folded = head.lower()  # every match holds "charset" or "encoding" in some case: one C scan for each first
    if b"charset" not in folded and b"encoding" not in folded:
        return out
    for m in _DECLARED.finditer(head):
        codec = canonical_codec(m.group(1).decode("ascii", "replace"))
        if codec and codec not in out:
            out.append(codec)
    return out


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary file, or None when the bytes may be text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if head.count(b"\x00") > max(2, len(head) // 100):
        return "binary data (NUL bytes)"
    return None


def _decode_euc_tw(data: bytes) -> str:
    """EUC-TW has no Python codec; glibc's iconv has one."""
    iconv = shutil.which("iconv")
    if not iconv:
        raise UnicodeDecodeError("euc-tw", data, 0, 1, "iconv not available")
    proc = subprocess.run([iconv, "-f", "EUC-TW", "-t", "UTF-8"], input=data, capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise UnicodeDecodeError("euc-tw", data, 0, 1, "not valid EUC-TW")
    return proc.stdout.decode("utf-8")


def _try(data: bytes, codec: str) -> tuple[str, int] | None:
    """Decode strictly; failing that, with replacement. Returns (text, replaced) or None."""
    try:
        if codec == "euc-tw":
            return _decode_euc_tw(data), 0
        return data.decode(codec), 0
    except (UnicodeDecodeError, LookupError, subprocess.SubprocessError):
        pass
    if codec == "euc-tw":
        return None
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    return text, text.count("\ufffd")


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _chardet_guess(data: bytes) -> str | None:
    import chardet

    guess = chardet.detect(data[:200000])
    return canonical_codec(guess.get("encoding"))


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode ``data`` (see the module docstring). Raises :class:`DecodeError` with a reason."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8" and not _valid_utf8(data[len(bom):]):
                # a mark that lies (an editor put it before GBK bytes): the bytes after it decide
                return decode_bytes(data[len(bom):], http_charset)
            return _checked(Decoded(data[len(bom):].decode(codec, errors="replace"), codec))
    kind = sniff_binary(data)
    if kind:
        raise DecodeError(f"not a text document: {kind}")
    declared = [c for c in [canonical_codec(http_charset)] + declared_charsets(data) if c]
    first_declared = declared[0] if declared else None
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", first_declared))
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    for guess in declared + [_chardet_guess(data), "gb18030", "big5hkscs", "utf-8"]:
        if guess and guess != "ascii" and guess not in candidates:
            candidates.append(guess)
    best: tuple[float, str, str, int] | None = None
    for codec in candidates:
        got = _try(data, codec)
        if got is None:
            continue
        text, replaced = got
        value = plausibility.score(text) - (0.02 if codec not in declared else 0.0)
        if best is None or value > best[0]:
            best = (value, codec, text, replaced)
    if best is None or best[0] < 0.3:
        got = _try(data, "euc-tw")
        if got is not None:
            value = plausibility.score(got[0])
            if best is None or value > best[0]:
                best = (value, "euc-tw", got[0], 0)
    if best is None:
        raise DecodeError("no character encoding decodes these bytes")
    _, codec, text, replaced = best
    return _checked(Decoded(text, codec, first_declared, replaced))


def _checked(decoded: Decoded) -> Decoded:
    """Refuse text that is mostly replacement characters."""
    text = decoded.text
    lost = text.count("\ufffd")
    decoded.replaced = lost
    if not lost:  # nothing lost: the common case, without a pass over the text
        return decoded
    meaningful = len(re.sub(r"[\s\x00-\x7f]", "", text)) or 1
    if lost / meaningful > MAX_DAMAGE:
        raise DecodeError(
            f"text is damaged: {lost} of {meaningful} non-ASCII characters were already lost "
            f"(U+FFFD) before it reached us ({decoded.encoding}); the original bytes cannot be recovered"
        )
    return decoded
