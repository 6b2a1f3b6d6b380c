"""Collocates: the words (jieba) or characters used near a wording, with frequency, MI and log-likelihood.

The node's occurrences are the concordance's (:meth:`SearchBackend.occurrences`: every occurrence in the
sections the search matches, at most 50,000 listed); their normalised context is read through the
occurrences' sort key, which sees every listed line before any is resolved — no text is scanned twice.

A *window* is ``span`` units on each side of an occurrence, within its document (the title separator and the
document's ends close it):

* ``char`` — the ``span`` characters on each side; Chinese characters in them are counted (punctuation and
  digits take their place but are not collocates);
* ``word`` — the context (``WORD_WIDTH`` characters per unit) segmented by jieba; the ``span`` word tokens
  nearest the node on each side (punctuation is not a token). A context cut mid-word loses that word.

``frequency`` (O11) counts a collocate's tokens inside all windows, ``window_tokens`` (R1) all tokens inside
them; ``corpus_frequency`` (C1) and ``corpus_tokens`` (N) count the same units over the whole sub-collection
(the search's filters without its query): words from the index's word counts, characters from the text
(scaled up from a sample when the sub-collection is too large to read in time). Scores:
:mod:`indexer.research.scores`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from indexer.research import ngrams, scores
from indexer.research.analysis_results import Collocate, Collocates
from indexer.research.wordings import ANALYSIS_SECONDS, sample_notice
from indexer.search.backend import SearchBackend
from indexer.search.collection import MAX_TEXT_BYTES
from indexer.search.results import Occurrence
from indexer.search.service import PARTIAL_NOTICE, SearchParams, filters_only
from indexer.text.segment import cut
from indexer.text.terms import is_word, term_key

UNITS = ("word", "char")
SORTS = ("ll", "mi", "frequency")
MAX_SPAN = 10
WORD_WIDTH = 4  # characters of context read per word of span
_BREAK = " "  # the title separator, as a context shows it


def context_width(unit: str, span: int) -> int:
    return span if unit == "char" else WORD_WIDTH * span + 2


def char_window(left: str, right: str, span: int) -> tuple[list[str], list[str]]:
    """The Chinese characters among the ``span`` characters on each side."""
    left, right = left.rsplit(_BREAK, 1)[-1][-span:], right.split(_BREAK, 1)[0][:span]
    return [c for c in left if ngrams.is_han(c)], [c for c in right if ngrams.is_han(c)]


def _side_words(tokens: list[str], cut_off: bool, from_end: bool, span: int) -> list[str]:
    if cut_off and tokens:  # the context was cut: its outermost token may be part of a word
        tokens = tokens[1:] if from_end else tokens[:-1]
    words = [t for t in tokens if is_word(t)]
    return words[-span:] if from_end else words[:span]


def word_windows(contexts: list[tuple[str, str]], span: int, width: int) -> list[tuple[list[str], list[str]]]:
    """The ``span`` words nearest the node on each side of each ``(left, right)`` context (one jieba pass)."""
    sides = []
    for left, right in contexts:
        sides.append((left.rsplit(_BREAK, 1)[-1], len(left) >= width and _BREAK not in left))
        sides.append((right.split(_BREAK, 1)[0], len(right) >= width and _BREAK not in right))
    tokens: list[list[str]] = [[]]
    for t in cut("\n".join(s for s, _ in sides)):
        if t == "\n":
            tokens.append([])
        else:
            tokens[-1].append(t)
    out = []
    for i in range(len(contexts)):
        (_, lcut), (_, rcut) = sides[2 * i], sides[2 * i + 1]
        out.append((_side_words(tokens[2 * i], lcut, True, span), _side_words(tokens[2 * i + 1], rcut, False, span)))
    return out


def windows(contexts: list[tuple[str, str]], unit: str, span: int) -> list[tuple[list[str], list[str]]]:
    """(left units, right units) of each context."""
    if unit == "char":
        return [char_window(left, right, span) for left, right in contexts]
    return word_windows(contexts, span, context_width(unit, span))


def contexts_of(backend: SearchBackend, p: SearchParams, width: int) -> tuple[list[tuple[str, str]], Any]:
    """Every listed occurrence's normalised (left, right) context, ``width`` characters each; and the
    :class:`~indexer.search.results.Occurrences` answer (total, documents, partial)."""
    seen: list[tuple[str, str]] = []

    def collect(o: Occurrence) -> int:
        seen.append((o.left, o.right))
        return 0

    found = backend.occurrences(p, width=width, order=collect, window=(0, 0))
    return seen, found


@dataclass
class Corpus:
    """Frequencies of units over the sub-collection: a lookup and the total."""

    frequency: Callable[[list[str]], np.ndarray]
    tokens: int
    partial: bool
    notice: str | None


def corpus_counts(backend: SearchBackend, p: SearchParams, unit: str, seconds: float) -> Corpus:
    """The frequencies of words or characters in the documents under ``p``'s filters (not its wording; the field
    conditions its query applies to all of it are filters)."""
    base = replace(filters_only(p), group="document")
    if unit == "word":
        wc = backend.word_counts([base], seconds=seconds)[0]
        return Corpus(lambda units: wc.get(np.array([term_key(u) for u in units], dtype=np.uint64)), wc.tokens,
                      wc.partial, None)
    texts = backend.texts([base], max_bytes=MAX_TEXT_BYTES, seconds=seconds)
    enc = ngrams.encode(texts.texts)
    counts = enc.char_counts[:, 0] * texts.scale
    index = {chr(c): i for i, c in enumerate(enc.alphabet.tolist()) if i}
    notice = sample_notice(texts.matched[0], texts.analysed[0]) if texts.analysed[0] < texts.matched[0] else None
    return Corpus(lambda units: np.array([counts[index[u]] if u in index else 0 for u in units], dtype=np.float64),
                  round(float(counts.sum())), texts.partial, notice)


def collocates(backend: SearchBackend, p: SearchParams, unit: str = "word", span: int = 5, min_frequency: int = 3,
               sort: str = "ll", n: int = 100, seconds: float = ANALYSIS_SECONDS) -> Collocates:
    """The collocates of ``p``'s wording (module docstring), the first ``n`` in ``sort`` order."""
    span = max(1, min(span, MAX_SPAN))
    contexts, found = contexts_of(backend, p, context_width(unit, span))
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for lw, rw in windows(contexts, unit, span):
        left.update(lw)
        right.update(rw)
    r1 = sum(left.values()) + sum(right.values())
    corpus = corpus_counts(backend, p, unit, seconds)
    both = left + right
    units = sorted(u for u, f in both.items() if f >= min_frequency)
    o11 = np.array([both[u] for u in units], dtype=np.float64)
    c1 = np.maximum(corpus.frequency(units), o11) if units else np.zeros(0)
    n_all = float(max(corpus.tokens, r1, 1))
    mi = scores.mutual_information(o11, r1, c1, n_all) if units else o11
    ll = scores.collocation_ll(o11, r1, c1, n_all) if units else o11
    exp = scores.expected(r1, c1, n_all) if units else o11
    key = {"ll": -ll, "mi": -mi, "frequency": -o11}[sort]
    order: list[int] = np.lexsort((np.array(units, dtype=object), -o11, key)).tolist() if units else []
    items = [Collocate(text=units[i], frequency=int(o11[i]), left=left[units[i]], right=right[units[i]],
                       corpus_frequency=int(round(c1[i])), expected=round(float(exp[i]), 4),
                       mi=round(float(mi[i]), 4), log_likelihood=round(float(ll[i]), 4))
             for i in order[:max(1, n)]]
    notes = [x for x in (corpus.notice,) if x]
    if found.partial:
        notes.append(PARTIAL_NOTICE if len(contexts) >= found.total else
                     f"{found.total} occurrences: the first {len(contexts)} (in text order) were analysed")
    return Collocates(query=p.q, mode=p.mode, unit=unit, span=span, sort=sort, min_frequency=min_frequency,
                      occurrences=found.total, analysed_occurrences=len(contexts), documents=found.documents,
                      window_tokens=r1, corpus_tokens=int(n_all), total=len(units), collocates=items,
                      partial=found.partial or corpus.partial, notice="; ".join(notes) or None)


def near(unit: str, span: int, collocate: str) -> Callable[[Occurrence], bool]:
    """Whether an occurrence has ``collocate`` in its window (for a concordance of the node filtered to it;
    its context must be at least :func:`context_width` wide)."""
    width = context_width(unit, span)

    def test(o: Occurrence) -> bool:
        left, right = (windows([(o.left[-width:], o.right[:width])], unit, span))[0]
        return collocate in left or collocate in right

    return test
