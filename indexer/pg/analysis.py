"""The PostgreSQL backend's collection-wide reads (what :mod:`indexer.research`'s wordings, collocates, keyness
and dispersion ask of a backend), as a mixin of :class:`~indexer.pg.search.PgBackend`: each read is one
read-only snapshot whose statement timeout is the request's time; a read the timeout stops comes back empty
and ``partial``. The statements are in :mod:`indexer.pg.collection`."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from indexer.pg import collection
from indexer.search.collection import MAX_TEXT_BYTES, Positions, Texts, WordCounts, known_names
from indexer.text.normalize import normalize

if TYPE_CHECKING:
    from indexer.pg.connect import Reader
    from indexer.pg.matching import Compiler
    from indexer.search.service import SearchParams


class PgCollectionReads:
    """Texts, word counts, word names and positions of the documents searches match (PostgreSQL)."""

    reader: Reader
    budget_seconds: float

    def _compile(self, conn: Any, p: SearchParams) -> tuple[Compiler, str, Any, bool, list[str]]:
        """(compiler, the condition, the query tree, degraded, the wordings synonyms added)."""
        raise NotImplementedError

    def texts(self, groups: list[SearchParams], max_bytes: int = MAX_TEXT_BYTES, seconds: float | None = None
              ) -> Texts:
        """Normalised text of the documents each search in ``groups`` matches."""
        seconds = seconds or self.budget_seconds
        try:
            with self.reader.snapshot(seconds) as conn:
                compiled = [self._compile(conn, p)[:2] for p in groups]
                return collection.texts(conn, compiled, max_bytes, time.monotonic() + seconds)
        except psycopg.errors.QueryCanceled:
            return Texts([], [], np.zeros((0, len(groups)), bool), [0] * len(groups), [0] * len(groups), True)

    def word_counts(self, groups: list[SearchParams], seconds: float | None = None) -> list[WordCounts]:
        """Word tokens of the documents each search in ``groups`` matches (their pieces segmented)."""
        seconds = seconds or self.budget_seconds
        try:
            with self.reader.snapshot(seconds) as conn:
                compiled = [self._compile(conn, p)[:2] for p in groups]
                return collection.word_counts(conn, self.reader.url, compiled, time.monotonic() + seconds)
        except psycopg.errors.QueryCanceled:
            return [WordCounts(np.zeros(0, np.uint64), np.zeros(0, np.int64), 0, True) for _ in groups]

    def word_names(self, keys: list[int]) -> dict[int, str]:
        """The words of term keys counted by this process (:func:`indexer.pg.collection.word_names`)."""
        known = known_names(keys)
        if len(known) == len(keys):
            return known
        with self.reader.snapshot(self.budget_seconds) as conn:
            return {**collection.word_names(conn, self.reader.url, [k for k in keys if k not in known]), **known}

    def positions(self, p: SearchParams, seconds: float | None = None) -> Positions:
        """Where ``p``'s wordings start in each document, and the documents and characters per year under its
        filters."""
        from indexer.search.service import filters_only, highlight_terms

        try:
            with self.reader.snapshot(seconds or self.budget_seconds) as conn:
                c, cond = self._compile(conn, p)[:2]
                filters = self._compile(conn, filters_only(p))[:2]
                wordings = [normalize(t) for t in highlight_terms(p.q, p.mode, p.synonyms)]
                return collection.positions(conn, c, cond, filters, wordings)
        except psycopg.errors.QueryCanceled:
            return Positions([], 0, {}, partial=True)
