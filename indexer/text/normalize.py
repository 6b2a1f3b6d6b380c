"""The one text normalisation used at index time and at query time.

Exact-wording search is only sound if the document text and the query go through the *same* function.

  0. traditional → simplified *phrases*: OpenCC's ``t2s`` converts the text as a whole, so that phrases
     whose characters convert differently in context are right (經濟復甦 → 经济复苏, although 甦 alone
     stays 甦). It is kept only where it keeps the length — line by line otherwise — so every character
     still has one place, and offsets back to the original stay exact;
then per character, in this order (one table, compiled once; applied by ``str.translate`` to short texts and
by array lookups over code points to long ones — ``str.translate`` looks every character up in a dict, three
times slower on a section of text than a lookup in an array indexed by code point; the answers are the same):
  1. NFKC (full-width letters and digits become ASCII, compatibility forms are unfolded), then a character
     with combining marks is decomposed into its letter and marks (NFD; Hangul syllables excepted): NFKC
     composes only sequences, which one character at a time it never sees, so ``café`` written with é and
     with e + U+0301 (as PDFs write pinyin), or ガ and half-width ｶﾞ, meet only in the decomposed form;
  2. traditional → simplified, OpenCC's ``t2s`` one character at a time (what step 0 left), and the
     traditional quotation marks as simplified text writes them (「」 → “”, 『』 → ‘’: 堅持「四個注重」 is
     坚持“四个注重”);
  3. case folding;
  4. white space, control characters and the characters Unicode says to ignore where they cannot be
     shown (format characters: zero-width spaces and joiners, soft hyphens, direction marks and
     isolates; variation selectors) are removed: invisible, they would split a wording in two.

For simplified text step 0 changes nothing, and the normal form of a substring is a substring of the normal
form. For traditional text that holds too except at the phrases of step 0 (甦 searched alone does not find
复苏). ``normalize_with_offsets`` also returns, for every output character, the index of the input
character it came from, which the highlighter uses to mark the original text at the right place.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import numpy as np

#: Characters that separate fields inside one indexed string (heading | text). Never produced by
#: :func:`normalize`, so a normalised query cannot match across the separator.
FIELD_SEP = "\u0001"

#: Invisible characters removed besides the format characters (category Cf): the variation selectors and the
#: combining grapheme joiner (with Cf, what Unicode lists as default-ignorable code points, minus fillers).
_IGNORABLE = frozenset([0x034F, *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])


#: Quotation marks of traditional text (and their vertical forms, which NFKC makes these) as simplified writes them.
_QUOTE_T2S = {"「": "“", "」": "”", "『": "‘", "』": "’", "〝": "“", "〞": "”"}


def _invisible(ch: str) -> bool:
    """Whether ``ch`` is dropped as an invisible character (step 4)."""
    return unicodedata.category(ch) == "Cf" or ord(ch) in _IGNORABLE


#: Code points beyond the BMP the table covers: the whole Supplementary Multilingual Plane (mathematical and
#: enclosed letters and digits, segmented digits, Arabic mathematical letters, modifier letters, the capital
#: letters of Deseret, Osage, Adlam… that case folding changes, a few scripts' format controls), the CJK
#: compatibility ideographs, and the tags and variation selectors of plane 14, removed as in step 4. Nothing
#: else beyond the BMP is changed by NFKC, case folding or step 4 (checked against the Unicode database in
#: tests/test_exact_oracle.py).
_EXTRA_RANGES = ((0x10000, 0x20000), (0x2F800, 0x2FA20), (0xE0000, 0xE0080), (0xE0100, 0xE01F0))
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
#: Texts of at least this many characters (not all ASCII) are translated by array lookups (see the docstring):
#: below it, making the arrays of a text costs more than ``str.translate`` saves (measured: even at ~100).
ARRAY_MIN = 128


def _t2s_char_map() -> dict[str, str]:
    """Map every CJK character that OpenCC's t2s changes to its simplified form (single characters)."""
    import opencc

    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC never merges across newlines
        raise RuntimeError("OpenCC t2s changed the number of lines")
    return {src: dst for src, dst in zip(chars, converted) if src != dst}


def _decomposed(text: str) -> str:
    """Each character's canonical decomposition (NFD), Hangul syllables left whole (their jamo are letters,
    not marks, and a Korean text would triple in length)."""
    if text.isascii():
        return text
    return "".join(c if 0xAC00 <= ord(c) <= 0xD7A3 else unicodedata.normalize("NFD", c) for c in text)


@functools.lru_cache(maxsize=1)
def translation_table() -> dict[int, str]:
    """The compiled per-character table (built once per process, ~0.2 s)."""
    t2s = _t2s_char_map()
    table: dict[int, str] = {}
    codepoints = list(range(0x10000)) + [c for lo, hi in _EXTRA_RANGES for c in range(lo, hi)]
    for cp in codepoints:
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        if ch.isspace() or _invisible(ch) or unicodedata.category(ch) == "Cc":
            table[cp] = ""
            continue
        if not unicodedata.decomposition(ch) and ch not in t2s and ch not in _QUOTE_T2S and ch.casefold() == ch:
            continue  # none of the steps below changes it (most code points: the table builds in a third the time)
        out = _decomposed(unicodedata.normalize("NFKC", ch))
        out = _decomposed("".join(t2s.get(c, _QUOTE_T2S.get(c, c)) for c in out).casefold())
        out = "".join(c for c in out if not (c.isspace() or _invisible(c)))
        if out != ch:
            table[cp] = out
    # Make the mapping idempotent: normalising normalised text changes nothing.
    for cp, out in list(table.items()):
        for _ in range(4):
            again = out.translate(table)
            if again == out:
                break
            out = again
        table[cp] = out
    return table


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


_SURROGATE = re.compile("([\ud800-\udfff])")


def _convert(text: str) -> str:
    """OpenCC's t2s of ``text``; lone surrogates (undecodable bytes kept by ``surrogateescape``, as in
    command-line arguments) cannot go to OpenCC, which takes UTF-8, so they stay as they are."""
    if not _SURROGATE.search(text):
        return str(_t2s().convert(text))
    parts = _SURROGATE.split(text)  # odd positions are the surrogates
    return "".join(p if i % 2 else str(_t2s().convert(p)) if p else "" for i, p in enumerate(parts))


def simplify_phrases(text: str) -> str:
    """Step 0: OpenCC's phrase-aware t2s, kept where it keeps the length (whole text, else line by line)."""
    if not text or text.isascii():
        return text
    converted = _convert(text)
    if len(converted) == len(text):
        return converted
    return "\n".join(simplify_lines(text.split("\n")))


def simplify_lines(lines: list[str]) -> list[str]:
    """``[simplify_phrases(line) for line in lines]``, converted by OpenCC in one call (a call per short line
    cost more than its conversion): no dictionary entry holds a line break, so a line converts among others as
    it does alone; each line keeps its conversion where that keeps its length (OpenCC leaves ASCII alone).
    Lines holding a line break themselves are converted one by one."""
    joined = "\n".join(lines)
    if joined.isascii():
        return list(lines)
    converted = _convert(joined).split("\n")
    if len(converted) != len(lines):  # a line held a line break
        return [simplify_phrases(line) for line in lines]
    return [conv if len(conv) == len(line) and not line.isascii() else line
            for conv, line in zip(converted, lines, strict=True)]


@functools.lru_cache(maxsize=1)
def _arrays() -> tuple[np.ndarray, np.ndarray]:
    """The table as two arrays over the code points up to the last it changes (about 0.2 million; beyond,
    every character is left alone): the one character each becomes (itself when the table leaves it alone),
    and how many characters it becomes (0: removed; more than 1: expanded, like ⑴ → (1))."""
    table = translation_table()
    size = max(table) + 1
    single = np.arange(size, dtype=np.uint32)
    lengths = np.ones(size, dtype=np.uint8)
    for cp, out in table.items():
        lengths[cp] = len(out)
        if len(out) == 1:
            single[cp] = ord(out)
    return single, lengths


def load_tables() -> None:
    """Build the tables now: a process about to fork workers then shares one copy of them with all."""
    _arrays()
    _t2s()


def _codes(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates, from undecodable bytes, included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _looked_up(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the character each code point becomes when it becomes one, how many it becomes) — see :func:`_arrays`."""
    single, lengths = _arrays()
    if int(codes.max(initial=0)) < len(single):
        return single[codes], lengths[codes]
    inside = codes < len(single)
    clipped = np.where(inside, codes, 0)
    return np.where(inside, single[clipped], codes), np.where(inside, lengths[clipped], 1).astype(np.uint8)


def _translate(text: str, looked_up: tuple[np.ndarray, np.ndarray] | None = None) -> str:
    """``text.translate(translation_table())``, by array lookups for a long text without expansions
    (``looked_up``: :func:`_looked_up` of its code points, when the caller has it)."""
    if looked_up is None:
        if len(text) < ARRAY_MIN or text.isascii():
            return text.translate(translation_table())
        looked_up = _looked_up(_codes(text))
    out, lengths = looked_up
    if np.any(lengths > 1):  # an expanded character: rare in running text
        return text.translate(translation_table())
    if not lengths.all():
        out = out[lengths.astype(bool)]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


def normalize(text: str) -> str:
    """Return the search normal form of ``text`` (see the module docstring)."""
    return _translate(simplify_phrases(text))


@functools.lru_cache(maxsize=1)
def _non_unit() -> re.Pattern[str]:
    """Characters whose normal form is not exactly one character (deleted or expanded)."""
    cps = sorted(cp for cp, out in translation_table().items() if len(out) != 1)
    ranges: list[str] = []
    start = prev = cps[0]
    for cp in cps[1:] + [-1]:
        if cp == prev + 1:
            prev = cp
            continue
        ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = cp
    return re.compile("[" + "".join(ranges) + "]")


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` and return ``(normal, origin)`` where ``origin[i]`` is the index in ``text`` of
    the character that produced ``normal[i]``. ``origin`` has one extra entry, ``len(text)``."""
    text = simplify_phrases(text)
    if len(text) >= ARRAY_MIN and not text.isascii():
        looked_up = _looked_up(_codes(text))
        origin_array = np.repeat(np.arange(len(text)), looked_up[1])
        return _translate(text, looked_up), origin_array.tolist() + [len(text)]
    table = translation_table()
    origin: list[int] = []
    pos = 0
    for m in _non_unit().finditer(text):
        origin.extend(range(pos, m.start()))
        origin.extend([m.start()] * len(table.get(ord(m.group()), m.group())))
        pos = m.end()
    origin.extend(range(pos, len(text) + 1))
    return text.translate(table), origin


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAS_FULLWIDTH_DIGIT = re.compile("[０-９]")


def ascii_digits(text: str) -> str:
    """Full-width digits as ASCII, one character for one (offsets into ``text`` stay valid); a text without any
    is returned as it is after one scan in C (``str.translate`` looks every character up)."""
    return text.translate(_FULLWIDTH_DIGITS) if _HAS_FULLWIDTH_DIGIT.search(text) else text


def to_traditional(text: str) -> str:
    """Simplified → traditional (OpenCC ``s2t``); used by tests and by the query hint."""
    return _s2t().convert(text) if text else text


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")
