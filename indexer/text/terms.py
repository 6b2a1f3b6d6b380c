"""Terms: the jieba words of a query and of indexed text, and the stable 64-bit keys they are stored under.

The index stores word postings (with term frequencies) keyed by :func:`term_key`, a hash that is the same in
every process and every Python run; query words and indexed words come from the same segmentation of the
same normalised text, so a query word finds exactly the sections where jieba emitted it.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from indexer.text.cjk import WORD_CHAR
from indexer.text.normalize import normalize
from indexer.text.segment import cut


def term_key(term: str) -> int:
    """A stable unsigned 64-bit key of ``term``."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


def is_word(token: str) -> bool:
    """A token with a letter, digit or ideograph in it (not punctuation)."""
    return token.isalnum() or WORD_CHAR.search(token) is not None


def words_of(normalized: str) -> list[str]:
    """The word tokens (punctuation dropped) of already-normalised text."""
    return [w for w in cut(normalized) if is_word(w)]


def query_words(text: str) -> list[str]:
    """The jieba words of a keyword term (normalised, punctuation dropped)."""
    return words_of(normalize(text))


def word_counts(normalized: str) -> Counter[str]:
    """Term frequencies of the words of already-normalised text."""
    return Counter(words_of(normalized))
