"""Keyness: the wordings or words over- and under-represented in one sub-collection (the *target*, e.g.
province=上海, or 2018–2022) against another (the *reference*: e.g. 全国, 2013–2017; by default every other
document of the collection), with log-likelihood and %DIFF (:mod:`indexer.research.scores`).

* ``wording`` — the wordings of :mod:`indexer.research.ngrams` (4–12 Chinese characters, maximal over both
  sides) used in at least 1 % of either side's documents (at least 3), counted as occurrences; sizes are
  the sides' Chinese characters.
* ``word`` — jieba word tokens, from the index's word counts; sizes are the sides' word tokens.

Items used at least ``min_frequency`` times on both sides together are scored; ``over`` lists those relatively
more frequent in the target, ``under`` those relatively less frequent, each by log-likelihood, strongest
first, only where it reaches :data:`~indexer.research.scores.LL_SIGNIFICANT` (p < 0.05). A document in both
sides counts on both.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from indexer.research import ngrams, scores
from indexer.research.analysis_results import KeyItem, Keyness, Side
from indexer.research.wordings import ANALYSIS_SECONDS, default_min_documents, sample_notice
from indexer.search.backend import SearchBackend
from indexer.search.collection import MAX_TEXT_BYTES
from indexer.search.exact import Budget
from indexer.search.service import SearchParams

UNITS = ("wording", "word")
MAX_LISTED = 500
_FIELDS = (("province", "省份"), ("city", "城市"), ("doctype", "文种"), ("source", "来源"), ("collection", "集合"))


def describe(p: SearchParams | None) -> str:
    """A sub-collection in words: its filters (and query), or 其余全部文档 for the default reference."""
    if p is None:
        return "其余全部文档"
    parts = [f"{label}：{getattr(p, name)}" for name, label in _FIELDS if getattr(p, name)]
    if p.year is not None:
        parts.append(f"年份：{p.year or '未注明'}")
    if p.date_from or p.date_to:
        parts.append(f"日期：{p.date_from or '…'} 至 {p.date_to or '…'}")
    if p.q:
        parts.append(f"检索：{p.q}")
    return "；".join(parts) or "全部文档"


def _items(texts: list[str], a: np.ndarray, b: np.ndarray, c: float, d: float, ll: np.ndarray, pd: np.ndarray,
           rows: np.ndarray) -> list[KeyItem]:
    return [KeyItem(text=texts[i], frequency=int(a[r]), reference_frequency=int(b[r]),
                    per_million=round(float(a[r]) * 1e6 / c, 3) if c else 0.0,
                    reference_per_million=round(float(b[r]) * 1e6 / d, 3) if d else 0.0,
                    log_likelihood=round(float(ll[r]), 4),
                    percent_diff=None if math.isnan(pd[r]) else round(float(pd[r]), 2))
            for i, r in enumerate(rows.tolist())]


def _split(a: np.ndarray, b: np.ndarray, c: float, d: float, min_frequency: int, n: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, int]:
    """(LL, %DIFF, rows over, rows under — each strongest first, first n —, totals over and under)."""
    ll = scores.keyness_ll(a, b, c, d) if c and d else np.zeros(len(a))
    pd = scores.percent_diff(a, b, c, d) if c and d else np.full(len(a), np.nan)
    scored = (a + b >= min_frequency) & (ll >= scores.LL_SIGNIFICANT)
    higher = a * d > b * c
    over = np.flatnonzero(scored & higher)
    under = np.flatnonzero(scored & ~higher)
    over = over[np.argsort(-ll[over], kind="stable")]
    under = under[np.argsort(-ll[under], kind="stable")]
    return ll, pd, over[:n], under[:n], len(over), len(under)


def keyness(backend: SearchBackend, target: SearchParams, reference: SearchParams | None = None,
            unit: str = "wording", min_frequency: int = 5, n: int = 50, seconds: float = ANALYSIS_SECONDS,
            max_bytes: int = MAX_TEXT_BYTES) -> Keyness:
    """Keyness of ``target`` against ``reference`` (None: the rest of the collection)."""
    n = max(1, min(n, MAX_LISTED))
    groups = [replace(target, group="document"), replace(reference or SearchParams(mode=target.mode),
                                                         group="document")]
    if unit == "word":
        return _words(backend, target, reference, groups, min_frequency, n, seconds)
    budget = Budget(seconds)
    found = backend.texts(groups, max_bytes=max_bytes, seconds=seconds * 0.6)
    member = found.groups.copy()
    matched, analysed = list(found.matched), list(found.analysed)
    if reference is None:  # the rest: every document not in the target
        member[:, 1] &= ~member[:, 0]
        matched[1] -= matched[0]
        analysed[1] = int(member[:, 1].sum())
    enc = ngrams.encode(found.texts, member)
    ma, mb = default_min_documents(analysed[0]), default_min_documents(analysed[1])
    grams = ngrams.count(enc, lambda df: (df[:, 0] >= ma) | (df[:, 1] >= mb), over=budget.over)
    a, b = grams.occ[:, 0], grams.occ[:, 1]
    c, d = float(enc.chars(0)), float(enc.chars(1))
    ll, pd, over, under, n_over, n_under = _split(a, b, c, d, min_frequency, n)
    notes = []
    if analysed != matched:
        notes.append(sample_notice(sum(matched), sum(analysed)))
    if grams.stopped:
        notes.append(f"the time ran out: wordings longer than {grams.complete_to} characters were not counted")
    return Keyness(unit="wording", target=Side(describe(target), matched[0], analysed[0], int(c)),
                   reference=Side(describe(reference), matched[1], analysed[1], int(d)), min_frequency=min_frequency,
                   total_over=n_over, total_under=n_under,
                   over=_items([grams.text(r) for r in over.tolist()], a, b, c, d, ll, pd, over),
                   under=_items([grams.text(r) for r in under.tolist()], a, b, c, d, ll, pd, under),
                   partial=found.partial or budget.exhausted, notice="; ".join(notes) or None)


def _words(backend: SearchBackend, target: SearchParams, reference: SearchParams | None,
           groups: list[SearchParams], min_frequency: int, n: int, seconds: float) -> Keyness:
    wa, wb = backend.word_counts(groups, seconds=seconds)
    keys = np.union1d(wa.keys, wb.keys)
    a, b = wa.get(keys), wb.get(keys)
    docs_b = wb.documents
    if reference is None:
        b = b - a
        docs_b -= wa.documents
    c, d = float(a.sum()), float(b.sum())
    ll, pd, over, under, n_over, n_under = _split(a, b, c, d, min_frequency, n)
    wanted = [int(k) for k in keys[np.concatenate([over, under])].tolist()]
    names = {**backend.word_names([k for k in wanted if k not in wa.names]), **wa.names}

    def items(rows: np.ndarray) -> list[KeyItem]:
        rows = np.array([r for r in rows.tolist() if int(keys[r]) in names], dtype=np.int64)
        return _items([names[int(keys[r])] for r in rows.tolist()], a, b, c, d, ll, pd, rows)

    return Keyness(unit="word", target=Side(describe(target), wa.documents, wa.documents, int(c)),
                   reference=Side(describe(reference), docs_b, docs_b, int(d)), min_frequency=min_frequency,
                   total_over=n_over, total_under=n_under, over=items(over), under=items(under),
                   partial=wa.partial or wb.partial,
                   notice="the time ran out: counts cover part of the documents" if wa.partial or wb.partial else None)
