"""What the database stores per document and section, computed in Python by the code the Whoosh side uses.

A document's continuous text is :func:`indexer.index.doctext.document_pieces` joined (one normalised piece per
section, headings once, the title kept apart by ``SEP``). For each section we store:

* ``piece`` and ``tail`` — its normalised piece, and the next :data:`EXT` characters of the document after it: a
  wording of up to ``EXT + 1`` characters that *starts* in the section lies in the piece, or starts in the
  piece's last ``n − 1`` characters and runs on into the tail, however many section breaks it crosses
  (:mod:`.matching` verifies candidates against these two values);
* ``grams`` — integer codes (:func:`unit`, :func:`gram`) of every character of the piece and of every bigram
  that starts in it (the bigram across the break to the next section included), and *tail codes*
  (:func:`tail_gram`) of the bigrams of the tail: a wording inside the piece has all its bigrams' codes there;
  one that crosses the break after ``k`` characters has the codes of its first ``k`` bigrams and the tail
  codes of the others — one GIN ``@>`` each (:mod:`.matching`). One- and two-character wordings are
  answered by the codes alone;
* ``tf`` — jieba word frequencies of the piece (what BM25 reads), only those of 2 and more (a matching
  section counts at least 1), capped at 255 like the Whoosh side;
* the document's facet values and date bounds (sorting and overlap filtering), denormalised per section.

Codes: a character is its code point when it lies in the Basic Multilingual Plane outside the surrogates,
else it is folded into the surrogate range (:func:`unit`); a bigram is ``unit(a) << 16 | unit(b)`` and a
character alone ``unit(c) << 16`` (the pair with U+0000, which normalisation never leaves), as signed 32-bit
integers. Codes are exact for wordings without folded characters, which is nearly every query; a wording
with one is verified against the text like a long one. Tail codes are hashed into the codes whose first unit
is a control character (U+0002–U+001F, which normalisation removes), so they never stand for a character or
bigram of a piece; they are lossy, and every wording that uses them is verified.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from indexer.document import Document
from indexer.index.derived import date_key, date_precision
from indexer.index.doctext import SEP, document_pieces
from indexer.relations.issuers import issuer_value
from indexer.text.normalize import normalize
from indexer.text.segment import cut
from indexer.text.terms import is_word

#: Characters of the following text kept after each section's piece (wordings up to EXT + 1 characters are
#: verified against one section row; longer ones against the document's pieces joined).
EXT = 64
#: Bump when what is stored per section changes meaning (the database must then be rebuilt).
TOKENS_VERSION = 1
_FOLD_BASE = 0xD800
_FOLD_SIZE = 0x800


def unit(ch: str) -> int:
    """16-bit unit of a character: itself in the BMP outside the surrogates, else folded into them."""
    cp = ord(ch)
    if cp < 0x10000 and not 0xD800 <= cp < 0xE000:
        return cp
    return _FOLD_BASE + cp % _FOLD_SIZE


def folded(text: str) -> bool:
    """Whether a character of ``text`` is folded (its codes may then match other characters too)."""
    return any(ord(c) >= 0x10000 or 0xD800 <= ord(c) < 0xE000 for c in text)


def _signed(code: int) -> int:
    return code - (1 << 32) if code >= 1 << 31 else code


_TAIL_UNITS = 30  # first units U+0002 … U+001F


def tail_gram(code: int) -> int:
    """The tail code of a bigram code (hashed into the control-character codes; see the module docstring)."""
    mixed = ((code & 0xFFFFFFFF) * 0x9E3779B1) & 0xFFFFFFFF
    return _signed(((2 + (mixed >> 16) % _TAIL_UNITS) << 16) | (mixed & 0xFFFF))


def gram(a: str, b: str | None = None) -> int:
    """The code of a bigram ``ab``, or of the character ``a`` alone."""
    return _signed((unit(a) << 16) | (unit(b) if b else 0))


@dataclass
class SectionRow:
    """One section as stored (see the module docstring)."""

    ordinal: int
    section_id: str
    heading: str | None
    body: str
    piece: str
    tail: str
    piece_len: int
    start_char: int
    bytes: int
    grams: list[int]
    tf: dict[str, int] | None


@dataclass
class DocumentRow:
    """One document as stored, with its sections."""

    doc_id: str
    text_hash: int
    title_norm: str
    meta: dict[str, Any]
    facets: dict[str, str]
    year: int
    date_lo: int
    date_hi: int
    sections: list[SectionRow]

    @property
    def bytes(self) -> int:
        return sum(s.bytes for s in self.sections)


def text_key(full: str) -> int:
    """A document's text hash: the embedded index's ``doc_hash`` (blake2b, 8 bytes, little-endian) as a signed
    64-bit integer (what PostgreSQL's bigint holds)."""
    return int.from_bytes(hashlib.blake2b(full.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def date_bounds(date: str | None, stated_precision: str | None, year: int | None) -> tuple[int, int]:
    """Earliest and latest day (YYYYMMDD) a document can be from; (0, 0) when undated (as
    :func:`indexer.search.generation._date_bounds`, one document at a time)."""
    d = date_key(date)
    p = date_precision(date, stated_precision)
    if p == 3:
        lo, hi = d, d
    elif p == 2:
        lo, hi = d + 1, d + 31
    elif d > 0:
        lo, hi = d + 101, d + 1231
    else:
        lo, hi = 0, 0
    if lo == 0 and year:
        lo, hi = year * 10000 + 101, year * 10000 + 1231
    return lo, hi


_word_cache: dict[str, bool] = {}


def word_frequencies(piece: str) -> dict[str, int] | None:
    """jieba words of a piece counted 2 times or more (capped at 255), or None."""
    out: dict[str, int] = {}
    for word, tf in Counter(cut(piece)).items():
        if tf < 2:
            continue
        ok = _word_cache.get(word)
        if ok is None:
            ok = _word_cache[word] = is_word(word)
            if len(_word_cache) > 500_000:
                _word_cache.clear()
        if ok:
            out[word] = min(tf, 255)
    return out or None


def _section_grams(full: str, start: int, end: int, ext_end: int) -> list[int]:
    own: set[int] = set()
    for j in range(start, end):
        c = full[j]
        if c == SEP:
            continue
        own.add(gram(c))
        if j + 1 < len(full) and full[j + 1] != SEP:
            own.add(gram(c, full[j + 1]))
    own.update(tail_gram(gram(full[j], full[j + 1])) for j in range(end, ext_end - 1)
               if SEP not in (full[j], full[j + 1]))
    return sorted(own)


def document_row(doc: Document, meta: dict[str, Any]) -> DocumentRow:
    """The stored form of a document (``meta``: what the Whoosh side keeps on its first section)."""
    pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections],
                             doc.title_alt)
    full = "".join(pieces)
    sections: list[SectionRow] = []
    start = 0
    for ordinal, (s, piece) in enumerate(zip(doc.sections, pieces, strict=True)):
        end = start + len(piece)
        ext_end = min(len(full), end + EXT)
        sections.append(SectionRow(ordinal, s.section_id, s.heading, s.text, piece, full[end:ext_end], len(piece),
                                   start, len(piece.encode("utf-8")), _section_grams(full, start, end, ext_end),
                                   word_frequencies(piece)))
        start = end
    lo, hi = date_bounds(meta.get("date"), meta.get("date_precision"), meta.get("year"))
    return DocumentRow(
        doc_id=doc.doc_id, text_hash=text_key(full),
        title_norm=normalize(meta.get("title") or ""), meta=meta,
        facets={**{f: str(meta.get(f) or "") for f in ("province", "city", "doctype", "source", "collection")},
                "issuer": issuer_value(meta.get("issuer"))},
        year=int(meta.get("year") or 0), date_lo=lo, date_hi=hi, sections=sections)
