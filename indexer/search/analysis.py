"""The embedded index's collection-wide reads (what :mod:`indexer.research`'s wordings, collocates, keyness
and dispersion ask of a backend), as a mixin of :class:`~indexer.search.service.SearchService`: each read
takes the served generation once, evaluates every search on it, and says ``partial`` when the time ran out
or the generation was stale. The work itself is in :mod:`indexer.search.collection` and
:mod:`indexer.search.positions`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.search import collection
from indexer.search.collection import MAX_TEXT_BYTES, Positions, Texts, WordCounts
from indexer.search.exact import Budget
from indexer.search.positions import embedded_positions
from indexer.text.normalize import normalize

if TYPE_CHECKING:
    from indexer.search.generation import Generation
    from indexer.search.live import LiveIndex
    from indexer.search.service import SearchParams


class CollectionReads:
    """Texts, word counts, word names and positions of the documents searches match (embedded index)."""

    live: LiveIndex
    budget_seconds: float

    def _matches(self, gen: Generation, p: SearchParams, budget: Budget) -> tuple[Any, np.ndarray, Any, bool,
                                                                                 list[str]]:
        """(matcher, the matching sections, the query tree, degraded, the wordings synonyms added)."""
        raise NotImplementedError

    def _each(self, groups: list[SearchParams], seconds: float | None) -> tuple[Generation, bool, Budget,
                                                                                list[np.ndarray]]:
        gen, stale = self.live.current()
        budget = Budget(seconds or self.budget_seconds)
        return gen, stale, budget, [self._matches(gen, p, budget)[1] for p in groups]

    def texts(self, groups: list[SearchParams], max_bytes: int = MAX_TEXT_BYTES, seconds: float | None = None
              ) -> Texts:
        """Normalised text of the documents each search in ``groups`` matches."""
        gen, stale, budget, matches = self._each(groups, seconds)
        found = collection.embedded_texts(gen, matches, max_bytes, budget)
        found.partial = found.partial or stale or budget.exhausted
        return found

    def word_counts(self, groups: list[SearchParams], seconds: float | None = None) -> list[WordCounts]:
        """Word tokens of the documents each search in ``groups`` matches, from the word postings."""
        gen, stale, budget, matches = self._each(groups, seconds)
        found = collection.embedded_word_counts(gen, matches)
        for wc in found:
            wc.partial = stale or budget.exhausted
        return found

    def word_names(self, keys: list[int]) -> dict[int, str]:
        """The words of term keys (those the index holds)."""
        return collection.embedded_word_names(self.live.current()[0], keys)

    def positions(self, p: SearchParams, seconds: float | None = None) -> Positions:
        """Where ``p``'s wordings start in each document, and the documents and characters per year under its
        filters."""
        from indexer.search.service import filters_only, highlight_terms

        gen, stale, budget, (matches, filtered) = self._each([p, filters_only(p)], seconds)
        wordings = [normalize(t) for t in highlight_terms(p.q, p.mode, p.synonyms)]
        found = embedded_positions(gen, matches, filtered, wordings, budget)
        found.partial = found.partial or stale or budget.exhausted
        return found
