"""Ranking: two stages over *every* matching section, computed with array operations.

First stage, every match: BM25F (Robertson, Zaragoza & Taylor 2004) with two fields, the section's text and its
document's title. For each term of the query (:mod:`indexer.search.rankquery`: a keyword word, a quoted
phrase, or a keyword term with its equivalents from the synonym dictionary, counted as one term):
  * tf — the term's frequency in the section as a jieba word (stored at index time with the word postings);
    a section that matched the term as exact wording inside a longer word counts at least 1 (a term with
    alternatives: the greatest over them, an alternative of several words counting its least frequent);
  * df — the number of live sections that contain the term as exact wording (the same test as matching; a term
    with alternatives: any of them), idf = ln(1 + (N − df + ½) / (df + ½));
  * the fields are combined before saturation: tt = tf / (1 − b + b · length / average length) + [term in the
    title], score = idf · tt · (k1 + 1) / (tt + k1), with k1 = 1.2, b = 0.75 over the section's length in
    bytes (a title is a short line: no length normalisation of its own). A term in the title thus adds to a
    section that already has it no more than BM25's saturation allows — not a flat bonus to every section
    of a document whose title holds a common word.
Second stage, the head (the :data:`~indexer.search.passages.HEAD` best): the phrase boost and the best
passage of long sections (:mod:`indexer.search.passages`). Results are the head in its final order, then
the other matches in first-stage order; ties are broken by newer date, then by section order. Measured on
the judged queries in ``../shared/eval/rank`` (BENCHMARKS.md, ``tools/rank_eval.py``).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np

from indexer.search import passages
from indexer.search.evaluate import Matcher
from indexer.search.generation import Generation
from indexer.search.passages import K1, B, Head, head_scores, passage_limit
from indexer.search.rankquery import RankQuery
from indexer.text.terms import term_key


@dataclass(frozen=True)
class Components:
    """The parts of the ranking beyond plain BM25, all on; ``tools.rank_eval`` turns each off in turn to
    measure what it adds (switches of the embedded index only: the database backend always runs all)."""

    title: bool = True
    phrase: bool = True
    passages: bool = True


COMPONENTS = Components()


def idf(n: int, df: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


_norms: weakref.WeakKeyDictionary[Generation, np.ndarray] = weakref.WeakKeyDictionary()


def length_norms(gen: Generation) -> np.ndarray:
    """BM25's length normalisation of every section, 1 − b + b · length / average length (float32), computed
    once per generation (a request gathers its candidates' instead of computing them)."""
    found = _norms.get(gen)
    if found is None:
        found = _norms[gen] = 1 - B + B * gen.lengths.astype(np.float32) / max(gen.avgdl, 1.0)
    return found


def _tf(gen: Generation, term: str, cand: np.ndarray, found: np.ndarray) -> np.ndarray:
    """Frequency of ``term`` in each candidate section: as a jieba word, and at least 1 where it is ``found``
    as exact wording (inside a longer word, say)."""
    dense = found.view(np.uint8).copy()  # stored counts are at most 255, and at least 1 where stored
    key = term_key(term)
    for p in gen.parts:
        sl = p.part.postings("w", key)
        if sl.stop > sl.start:
            dense[p.base + np.asarray(p.part.w_secs[sl], dtype=np.int64)] = p.part.w_tf[sl]
    return dense[cand].astype(np.float32)


@dataclass
class Stage1:
    """First-stage scores of the candidates, with what the second stage needs of each ranking term (in the
    order of ``RankQuery.groups``): its idf and whether it is in each candidate's document title."""

    scores: np.ndarray
    idfs: list[float]
    titles: list[np.ndarray]


def _group(gen: Generation, matcher: Matcher, cand: np.ndarray, group: tuple[tuple[str, ...], ...],
           docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sections holding the term, its frequency in each candidate, whether each candidate's title holds it)
    of one ranking term: one wording, or alternatives (see :mod:`indexer.search.rankquery`)."""
    present: np.ndarray | None = None
    tf: np.ndarray | None = None
    title: np.ndarray | None = None
    for alt in group:
        a_present, a_tf, a_title = None, None, None
        for term in alt:
            found = matcher.wording(term)
            freq = _tf(gen, term, cand, found)
            in_title = matcher.titles_hold(term, docs)
            a_present = found if a_present is None else a_present & found
            a_tf = freq if a_tf is None else np.minimum(a_tf, freq)
            a_title = in_title if a_title is None else a_title & in_title
        assert a_present is not None and a_tf is not None and a_title is not None
        present = a_present if present is None else present | a_present
        tf = a_tf if tf is None else np.maximum(tf, a_tf)
        title = a_title if title is None else title | a_title
    assert present is not None and tf is not None and title is not None
    return present, tf, title


def bm25f(gen: Generation, matcher: Matcher, cand: np.ndarray, rq: RankQuery) -> Stage1:
    """First-stage scores (32-bit) of the candidate sections (global numbers)."""
    scores = np.zeros(len(cand), dtype=np.float32)
    out = Stage1(scores, [], [])
    if not len(cand) or not rq:
        return out
    norm = length_norms(gen)[cand]
    n = max(gen.live_count, 1)
    docs = matcher.documents_of(cand)
    for group in rq.groups:
        present, tf, title = _group(gen, matcher, cand, group, docs)
        if not COMPONENTS.title:
            title = np.zeros(len(cand), dtype=bool)
        out.idfs.append(idf(n, int(np.count_nonzero(present & gen.live))))
        out.titles.append(title)
        tt = tf / norm
        tt += title  # the same operations as idf · tt · (k1 + 1) / (tt + k1), in place
        term = out.idfs[-1] * tt
        term *= K1 + 1
        tt += K1
        term /= tt
        scores += term
        if matcher.budget.over():  # cut short: the terms reached so far (the result says it is partial)
            break
    return out


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


def _pieces(gen: Generation, sections: np.ndarray, long: np.ndarray) -> list[bytes | None]:
    """The normalised text of the long ones of these sections (None for the others)."""
    out: list[bytes | None] = [None] * len(sections)
    for i in np.flatnonzero(long).tolist():
        p, local = gen.locate(int(sections[i]))
        out[i] = p.part.text[int(p.part.starts[local]):int(p.part.starts[local + 1])]
    return out


def rank(gen: Generation, matcher: Matcher, cand: np.ndarray, rq: RankQuery, k: int,
         by_document: bool) -> tuple[np.ndarray, np.ndarray]:
    """Candidate indices in result order — enough for the first ``k`` sections, or documents (then one index
    per document: its first section in that order) — and every candidate's score (see the module docstring).
    Work beyond the head is linear in the candidates: no full sort, whatever ``k``."""
    first = bm25f(gen, matcher, cand, rq)
    scores = first.scores
    dates = gen.date_lo[cand]
    if matcher.budget.exhausted:  # out of time: the first stage's order of what was scored, no second stage
        return (top_documents(gen, cand, scores, dates, k, matcher.documents_of(cand)) if by_document
                else top(cand, scores, dates, k)), scores
    head = top(cand, scores, dates, min(passages.HEAD, len(cand)))
    secs = cand[head]
    phrase = has_phrase(gen, secs, rq.whole) if rq.whole and COMPONENTS.phrase else np.zeros(len(head), bool)
    long = gen.lengths[secs] > passage_limit(gen.avgdl) if COMPONENTS.passages else np.zeros(len(head), bool)
    inputs = Head(scores[head], phrase, _pieces(gen, secs, long), [v[head] for v in first.titles])
    final = scores.copy()
    final[head] = head_scores(inputs, rq, first.idfs, gen.avgdl, COMPONENTS.phrase, COMPONENTS.passages)
    order = head[np.lexsort((cand[head], -dates[head], -final[head]))]
    if by_document:  # each document once, at its first section in that order
        docs = gen.doc_of[cand[order]]
        _, at = np.unique(docs, return_index=True)
        order = order[np.sort(at)]
    if k <= len(order):
        return order[:k], final
    rest = np.ones(len(cand), dtype=bool)
    if by_document:
        rest &= ~np.isin(gen.doc_of[cand], gen.doc_of[cand[order]])
    else:
        rest[head] = False
    others = np.flatnonzero(rest)
    best = top_documents(gen, cand[others], scores[others], dates[others], k - len(order)) if by_document else \
        top(cand[others], scores[others], dates[others], k - len(order))
    more = others[best]
    return np.concatenate([order, more]), final


#: Above this many scores, the k-th best is looked for among the scores above a bound guessed from a sample.
_SAMPLED_ABOVE = 16_384
#: One score in this many is in the sample.
_SAMPLE_STRIDE = 32


def kth_largest(values: np.ndarray, k: int) -> Any:
    """The ``k``-th largest of ``values`` (1 ≤ k ≤ len). Many values: a bound is read off a strided sample
    (well below the sample's share of the k best) and only the values at or above it are partitioned — exact
    whenever at least ``k`` are, else the partition of all of them is made."""
    n = len(values)
    if n > _SAMPLED_ABOVE:
        sample = values[::_SAMPLE_STRIDE]
        m = len(sample)
        want = min(m, 4 * (k * m // n) + 16)
        above = values[values >= np.partition(sample, m - want)[m - want]]
        if len(above) >= k:
            return np.partition(above, len(above) - k)[len(above) - k]
    return np.partition(values, n - k)[n - k]


def top(cand: np.ndarray, scores: np.ndarray, dates: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best candidates, best first (score, then newer date, then section order)."""
    idx = np.arange(len(cand))
    if len(cand) > k:
        # take everything tied with the k-th score, so that ties are broken by date, not by chance
        idx = np.flatnonzero(scores >= kth_largest(scores, k))
    order = idx[np.lexsort((cand[idx], -dates[idx], -scores[idx]))]
    return order[:k]


def top_documents(gen: Generation, cand: np.ndarray, scores: np.ndarray, dates: np.ndarray, k: int,
                  docs: np.ndarray | None = None) -> np.ndarray:
    """Indices of the best section of each of the ``k`` best documents, best first — the order :func:`top` of
    every candidate gives them, in time linear in the candidates (``cand`` ascending: a document's matches are
    one run). A document's best section has its highest score, then the lowest number (its sections share
    its date)."""
    if not len(cand):
        return np.zeros(0, np.int64)
    docs = gen.doc_of[cand] if docs is None else docs
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
