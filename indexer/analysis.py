"""Whoosh analyzers: jieba words for ranking, character n-grams for exact wording.

Both start from :func:`indexer.text.normalize.normalize`, so the index and the query see the same characters.
Both follow Whoosh's tokenizer contract: ``positions`` gives ``pos`` (the token's ordinal — for n-grams, its
character index in the normalised text, which *is* its ordinal among same-length grams), ``chars`` gives
``startchar``/``endchar`` offsets into the normalised text, and ``start_pos``/``start_char`` shift them.

This module's import path is pickled into every index's schema: never move or rename these classes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from indexer.text.normalize import FIELD_SEP, normalize
from indexer.text.segment import tokenize

_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)


class _NormalizingTokenizer(Tokenizer):
    """Shared Whoosh plumbing: normalise each part of the value, then emit the subclass's grams."""

    #: True: ``pos`` is the gram's ordinal; False: its character index in the normalised text.
    ordinal_positions = True

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def grams(self, part: str) -> Iterator[tuple[str, int, int]]:
        """(text, start, end) of each gram of one normalised part."""
        raise NotImplementedError

    def terms(self, value: str) -> set[str]:
        """The distinct grams of ``value`` (what a postings-only field records)."""
        return {text for _, part in _parts(value) for text, _, _ in self.grams(part)}

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize_: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        ordinal = start_pos
        for part_start, part in _parts(value):
            for text, start, end in self.grams(part):
                t.text = text
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = text
                if positions:
                    t.pos = ordinal if self.ordinal_positions else start_pos + part_start + start
                if chars:
                    t.startchar = start_char + part_start + start
                    t.endchar = start_char + part_start + end
                ordinal += 1
                yield t


class JiebaWordTokenizer(_NormalizingTokenizer):
    """Normalise, then segment with rjieba (default mode: each stretch of text as one sequence of words).
    Search mode would add the words inside long words (统一 inside 统一战线) as further postings, but search
    already accepts a word found as exact wording, so they would only cost writing time."""

    def grams(self, part: str) -> Iterator[tuple[str, int, int]]:
        for word, start, end in tokenize(part, search_mode=False):
            if _WORD.search(word):
                yield word, start, end


class CharNgramTokenizer(_NormalizingTokenizer):
    """Normalise, then emit every character bigram, never across :data:`~indexer.text.normalize.FIELD_SEP`;
    a part of a single character is emitted as that character. ``pos`` is the gram's character index (its
    real position). Single-character queries are answered from the in-memory normalised text instead of
    unigram postings, which would cost a third more index and writing time."""

    ordinal_positions = False

    def terms(self, value: str) -> set[str]:
        out: set[str] = set()
        for _, part in _parts(value):
            out.update({part[i:i + 2] for i in range(len(part) - 1)} if len(part) > 1 else {part} if part else set())
        return out

    def grams(self, part: str) -> Iterator[tuple[str, int, int]]:
        size = 2 if len(part) > 1 else 1
        for i in range(len(part) - size + 1):
            yield part[i:i + size], i, i + size


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
