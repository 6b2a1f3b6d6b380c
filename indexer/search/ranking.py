"""Ranking: BM25 over *every* matching section, computed with array operations (no Python loop per section).

For each query term (a keyword word, or a quoted phrase):
  * tf — the term's frequency in the section as a jieba word (stored at index time with the word postings);
    a section that matched the term as exact wording inside a longer word counts at least 1;
  * df — the number of live sections that contain the term as exact wording (the same test as matching),
    idf = ln(1 + (N − df + ½) / (df + ½)), BM25 with k1 = 1.2, b = 0.75 over section length in bytes;
plus boosts a plain BM25 lacks, measured on the judged queries in ``../shared/eval/rank`` (BENCHMARKS.md):
  * title: the term occurs in the document's title (``TITLE_BOOST`` × idf);
  * phrase: the whole query occurs as exact wording in the section (``PHRASE_BOOST``).
Ties are broken by newer date, then by section order. Only the top ``k`` are sorted.
"""

from __future__ import annotations

import math

import numpy as np

from indexer.search.evaluate import Matcher
from indexer.search.generation import Generation
from indexer.text.terms import term_key

K1, B = 1.2, 0.75
TITLE_BOOST = 0.5
PHRASE_BOOST = 2.0
#: Beyond this many candidates the phrase is looked up in the index instead of section by section.
LAZY_LIMIT = 4096


def _tf(gen: Generation, term: str, cand: np.ndarray) -> np.ndarray:
    """Word frequency of ``term`` in each candidate section (0 where jieba did not emit it there)."""
    dense = np.zeros(gen.n, dtype=np.float32)
    key = term_key(term)
    for p in gen.parts:
        sl = p.part.postings("w", key)
        if sl.stop > sl.start:
            dense[p.base + np.asarray(p.part.w_secs[sl], dtype=np.int64)] = p.part.w_tf[sl]
    return dense[cand]


def bm25(gen: Generation, matcher: Matcher, cand: np.ndarray, terms: list[str]) -> np.ndarray:
    """Scores of the candidate sections (global numbers) for normalised ``terms``, without the phrase boost
    (:func:`rank` adds it to the sections that can still reach the top)."""
    scores = np.zeros(len(cand), dtype=np.float32)
    if not len(cand) or not terms:
        return scores
    norm = K1 * (1 - B + B * gen.lengths[cand].astype(np.float32) / max(gen.avgdl, 1.0))
    n = max(gen.live_count, 1)
    docs = gen.doc_of[cand]
    for term in dict.fromkeys(terms):
        present = matcher.wording(term)
        df = int((present & gen.live).sum())
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        tf = _tf(gen, term, cand)
        tf = np.where(present[cand], np.maximum(tf, 1.0), tf)
        scores += idf * tf * (K1 + 1) / (tf + norm)
        scores += (TITLE_BOOST * idf) * matcher.title_docs(term)[docs]
        if matcher.budget.over():
            break
    return scores


def has_phrase(gen: Generation, sections: np.ndarray, whole: str) -> np.ndarray:
    """Whether the wording ``whole`` starts in each of these sections (in its document's continuous text):
    the byte ranges of every part's sections computed as arrays at once, then one ``find`` per section."""
    needle = whole.encode("utf-8")
    out = np.zeros(len(sections), dtype=bool)
    if not len(sections) or not needle:
        return out
    last = gen.doc_first[gen.doc_of[sections] + 1] - 1
    begins = gen.byte_start[sections]
    ends = begins + gen.lengths[sections]
    limits = np.minimum(gen.byte_start[last] + gen.lengths[last], ends + len(needle))
    part = np.searchsorted(gen.part_bases, sections, side="right") - 1
    texts = [p.part.text for p in gen.parts]
    for i, (pi, begin, end, limit) in enumerate(zip(part.tolist(), begins.tolist(), ends.tolist(), limits.tolist(),
                                                    strict=True)):
        pos = texts[pi].find(needle, begin, limit)
        out[i] = pos != -1 and pos < end
    return out


def rank(gen: Generation, matcher: Matcher, cand: np.ndarray, terms: list[str], whole: str, k: int,
         by_document: bool) -> tuple[np.ndarray, np.ndarray]:
    """Candidate indices best first — enough for the first ``k`` sections (or documents) — and the scores.

    BM25 is computed for every candidate; the phrase boost only for the best ``n`` of them, ``n`` growing
    until no other candidate could reach the ``k``-th place even with the boost. The order is the same as
    boosting every candidate, without verifying the phrase in hundreds of thousands of sections."""
    scores = bm25(gen, matcher, cand, terms)
    dates = gen.date_lo[cand]
    if not whole or len(dict.fromkeys(terms)) < 2:
        return (top_documents(gen, cand, scores, dates, k) if by_document else top(cand, scores, dates, k)), scores
    n = min(len(cand), max(256, 4 * k))
    while True:
        if n > LAZY_LIMIT and n < len(cand):  # scores too close to settle lazily: look the phrase up once
            boosted_all = scores + PHRASE_BOOST * matcher.wording(whole)[cand]
            return (top_documents(gen, cand, boosted_all, dates, k) if by_document
                    else top(cand, boosted_all, dates, k)), boosted_all
        idx = top(cand, scores, dates, n)
        boosted = scores[idx] + PHRASE_BOOST * has_phrase(gen, cand[idx], whole)
        order = idx[np.lexsort((cand[idx], -dates[idx], -boosted))]
        final = dict(zip(idx.tolist(), boosted.tolist(), strict=True))
        kth = _kth(gen, cand, order, final, k, by_document)
        if n >= len(cand) or (kth is not None and float(scores[idx[-1]]) + PHRASE_BOOST < kth):
            out = scores.copy()
            out[idx] = boosted
            return order, out
        n = min(len(cand), n * 4)


def _kth(gen: Generation, cand: np.ndarray, order: np.ndarray, final: dict[int, float], k: int,
         by_document: bool) -> float | None:
    """The score of the k-th section (or the k-th document's best section) in ``order``; None if fewer."""
    if not by_document:
        return final[int(order[k - 1])] if len(order) >= k else None
    docs = gen.doc_of[cand[order]]
    _, first = np.unique(docs, return_index=True)
    if len(first) < k:
        return None
    return final[int(order[np.sort(first)[k - 1]])]


def top(cand: np.ndarray, scores: np.ndarray, dates: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best candidates, best first (score, then newer date, then section order)."""
    idx = np.arange(len(cand))
    if len(cand) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        # take everything tied with the k-th score, so that ties are broken by date, not by chance
        idx = np.flatnonzero(scores >= scores[keep].min())
    order = idx[np.lexsort((cand[idx], -dates[idx], -scores[idx]))]
    return order[:k]


def top_documents(gen: Generation, cand: np.ndarray, scores: np.ndarray, dates: np.ndarray, k: int) -> np.ndarray:
    """Indices of the best section of each of the ``k`` best documents, best first — the order :func:`top` of
    every candidate gives them, in time linear in the candidates (``cand`` ascending: a document's matches are
    one run). A document's best section has its highest score, then the lowest number (its sections share
    its date)."""
    if not len(cand):
        return np.zeros(0, np.int64)
    docs = gen.doc_of[cand]
    starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    best = np.maximum.reduceat(scores, starts)
    at_best = np.flatnonzero(scores == np.repeat(best, np.diff(np.r_[starts, len(cand)])))
    run = np.searchsorted(starts, at_best, side="right") - 1
    firsts = at_best[np.r_[True, run[1:] != run[:-1]]]
    return firsts[top(cand[firsts], scores[firsts], dates[firsts], k)]


def by_date(cand: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int, newest: bool) -> np.ndarray:
    """Indices of the ``k`` first candidates in date order; undated last in both orders. A document dated
    only by year (or month) sorts after the fully dated ones of that year (it is not claimed earlier or later
    than them)."""
    undated = (lo == 0)
    if newest:
        key = np.where(undated, np.iinfo(np.int64).max, -lo)
    else:
        key = np.where(undated, np.iinfo(np.int64).max, hi)
    if len(cand) > k:
        part = np.argpartition(key, k - 1)[:k]
        kth = key[part].max()
        part = np.flatnonzero(key <= kth)
    else:
        part = np.arange(len(cand))
    order = part[np.lexsort((cand[part], key[part]))]
    return order[:k]


def by_added(cand: np.ndarray, added: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` candidates whose documents entered the index last, newest first."""
    part = np.argpartition(-added, k - 1)[:k] if len(cand) > k else np.arange(len(cand))
    if len(cand) > k:
        part = np.flatnonzero(added >= added[part].min())
    order = part[np.lexsort((cand[part], -added[part]))]
    return order[:k]
