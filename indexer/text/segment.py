"""Word segmentation: one rjieba instance with the project's 统战 user dictionary.

rjieba is the Rust port of jieba 0.42.1 (same tokens, much faster). It has no ``load_userdict``, so the
terms in ``data/userdict.txt`` are added one by one with ``add_word``. Everything that needs words (the
Whoosh analyzer, the plausibility check) goes through this module, so the dictionary is the same everywhere.
"""

from __future__ import annotations

import functools
from importlib import resources


def user_terms() -> list[str]:
    """The 统战 terms of ``data/userdict.txt``."""
    text = resources.files("indexer").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@functools.lru_cache(maxsize=1)
def _jieba():
    import rjieba

    seg = rjieba.Jieba()
    for term in user_terms():
        seg.add_word(term, None, None)
    return seg


def tokenize(text: str, search_mode: bool = True) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` triples with character offsets. Search mode also yields the shorter words
    inside long ones (两个健康 → 两个, 健康, 两个健康), which is what an index wants."""
    return _jieba().tokenize(text, "search" if search_mode else "default", True)


def cut(text: str) -> list[str]:
    """Plain segmentation (HMM on) for queries."""
    return _jieba().cut(text, True)


def dictionary_words(text: str) -> list[str]:
    """Segmentation with the HMM off: every multi-character token is a dictionary word."""
    return _jieba().cut(text, False)
