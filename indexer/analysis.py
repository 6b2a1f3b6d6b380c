"""Whoosh analyzers: jieba words for ranking, character n-grams for exact wording.

Both start from :func:`indexer.normalize.normalize`, so the index and the query see the same characters.
Both follow Whoosh's tokenizer contract: ``positions`` gives ``pos`` (the token's ordinal — for n-grams, its
character index in the normalised text, which *is* its ordinal among same-length grams), ``chars`` gives
``startchar``/``endchar`` offsets into the normalised text, and ``start_pos``/``start_char`` shift them.

This module's import path is pickled into every index's schema: never move or rename these classes.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from whoosh.analysis import Token, Tokenizer

from indexer.normalize import FIELD_SEP, normalize
from indexer.segment import tokenize

_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)


class JiebaWordTokenizer(Tokenizer):
    """Normalise, then segment with rjieba in search mode (long words and the words inside them)."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize_: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for part_start, part in _parts(value):
            for word, start, end in tokenize(part, search_mode=mode != "query"):
                if not _WORD.search(word):
                    continue
                t.text = word
                t.boost = 1.0
                if keeporiginal:
                    t.original = word
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + part_start + start
                    t.endchar = start_char + part_start + end
                pos += 1
                yield t


class CharNgramTokenizer(Tokenizer):
    """Normalise, then emit every character bigram, never across :data:`~indexer.normalize.FIELD_SEP`;
    a part of a single character is emitted as that character. ``pos`` is the gram's character index (its
    real position). Single-character queries are answered from the in-memory normalised text instead of
    unigram postings, which would cost a third more index and writing time."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize_: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for part_start, part in _parts(value):
            size = 2 if len(part) > 1 else 1
            for i in range(len(part) - size + 1):
                t.text = part[i:i + size]
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = start_pos + part_start + i
                if chars:
                    t.startchar = start_char + part_start + i
                    t.endchar = t.startchar + size
                yield t


def _parts(value: str) -> Iterator[tuple[int, str]]:
    """The normalised pieces of ``value`` between field separators, with their offsets in the normalised
    whole (normalisation is idempotent, so already-normalised input passes unchanged)."""
    offset = 0
    for raw in value.split(FIELD_SEP):
        part = normalize(raw)
        yield offset, part
        offset += len(part) + 1


def WordAnalyzer() -> JiebaWordTokenizer:  # noqa: N802 - Whoosh's analyzer naming convention
    """Analyzer of the ``words`` and ``title`` fields."""
    return JiebaWordTokenizer()


def NgramAnalyzer() -> CharNgramTokenizer:  # noqa: N802
    """Analyzer of the ``exact`` field."""
    return CharNgramTokenizer()


def exact_text(heading: str | None, text: str) -> str:
    """The normalised string the ``exact`` field indexes and exact search verifies against."""
    return normalize(heading or "") + FIELD_SEP + normalize(text)
