"""Ranking ideas measured and *not* adopted (BENCHMARKS.md), as patches :mod:`tools.rank_eval` applies for one
variant: what each would change, measured on the same index and queries as the components that were kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from indexer.search import passages, ranking
from indexer.search.evaluate import Matcher
from indexer.search.query import And
from indexer.text.terms import term_key


@contextmanager
def _patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


@contextmanager
def rarest_required() -> Iterator[None]:
    """Keyword terms side by side match when all but one are present *and* the rarest one is."""
    plain = Matcher.evaluate

    def evaluate(self: Matcher, node: Any) -> np.ndarray:
        if isinstance(node, And) and node.soft:
            masks = [plain(self, i) for i in node.items]
            cover = np.sum([m.astype(np.int16) for m in masks], axis=0)
            rarest = min(masks, key=lambda m: int((m & self.gen.live).sum()))
            return (cover >= len(masks) - 1) & rarest
        return plain(self, node)

    with _patched(Matcher, "evaluate", evaluate):
        yield


@contextmanager
def word_df() -> Iterator[None]:
    """A word's df counts the sections where jieba emitted it as a word, not those holding it as wording."""
    plain = ranking._group

    def group(gen: Any, matcher: Any, cand: np.ndarray, grp: Any, docs: np.ndarray) -> Any:
        present, tf, title = plain(gen, matcher, cand, grp, docs)
        if len(grp) == 1 and len(grp[0]) == 1:
            present = np.zeros(gen.n, dtype=bool)
            for p in gen.parts:
                sl = p.part.postings("w", term_key(grp[0][0]))
                present[p.base + np.asarray(p.part.w_secs[sl], dtype=np.int64)] = True
        return present, tf, title

    with _patched(ranking, "_group", group):
        yield


@contextmanager
def b_half() -> Iterator[None]:
    """BM25's b = 0.5 instead of the standard 0.75 (both stages)."""
    with _patched(ranking, "B", 0.5), _patched(passages, "B", 0.5):
        yield


EXPERIMENTS: dict[str, Callable[[], Any]] = {
    "+ rarest term required": rarest_required,
    "+ word df": word_df,
    "+ b = 0.5": b_half,
}
