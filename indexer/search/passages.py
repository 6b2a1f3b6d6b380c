"""The second stage of ranking: the best passage of a long section, and the phrase boost, for the head.

The *head* is the :data:`HEAD` best matches by the first stage (BM25F over every match,
:mod:`indexer.search.ranking`). Their scores are refined here from their normalised text, by one function
both backends call with the same inputs, so they give the same scores to the bit:

* phrase: a section where the whole query starts as exact wording gains :data:`PHRASE_BOOST`;
* passages: a section longer than :data:`PASSAGE` × the average section is a chapter rather than a
  paragraph, and its terms may meet only by chance, far apart. Its score becomes the mean of its own score
  and the score of its best *passage*: a run of whole sentences (ended by 。！？；: or a heading break) of at
  most that length, starting at a sentence, scored with the same BM25F — term occurrences inside the passage,
  length-normalised by the passage's length, the title field, the phrase boost — so a chapter where the
  terms occur together in a few sentences keeps its place, and one where they are scattered falls back
  (combining a document's score with its best passage's follows Callan, SIGIR 1994). Sections of up to that
  length are scored as they are.

The order of results: the head by these scores, then every other match in first-stage order. A match beyond
the head keeps its first-stage score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.search.rankquery import RankQuery

K1, B = 1.2, 0.75
PHRASE_BOOST = 2.0
#: How many of the first stage's best matches the second stage re-scores.
HEAD = 100
#: A section longer than this many average sections is scored partly by its best passage of that length.
PASSAGE = 2.0
_ENDS = re.compile(b"|".join(re.escape(c.encode("utf-8")) for c in "。！？；!?;：:\u0001"))


@dataclass(frozen=True)
class Head:
    """The head's inputs, in first-stage order: first-stage scores (32-bit), whether the whole query starts
    in each section, the normalised text of each *long* section (None for the others), and per ranking term
    (``RankQuery.groups``) whether it is in each section's document title."""

    scores: np.ndarray
    phrase: np.ndarray
    pieces: Sequence[bytes | None]
    titles: Sequence[np.ndarray]


def passage_limit(avgdl: float) -> float:
    """Sections (and passages) longer than this many bytes are long (see the module docstring)."""
    return PASSAGE * max(avgdl, 1.0)


def _positions(text: bytes, term: str) -> np.ndarray:
    needle = term.encode("utf-8")
    out: list[int] = []
    pos = text.find(needle) if needle else -1
    while pos != -1:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return np.array(out, dtype=np.int64)


def _windows(text: bytes, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """[lo, hi) byte ranges of the passages of a long text: from each sentence start, as many whole sentences
    as fit in ``limit`` bytes (at least one), up to the first passage that reaches the end."""
    ends = np.array([m.end() for m in _ENDS.finditer(text)], dtype=np.int64)
    bounds = np.unique(np.concatenate(([0], ends, [len(text)])))
    starts = bounds[:-1]
    fit = np.searchsorted(bounds, starts + limit, side="right") - 1  # last bound within the limit
    his = bounds[np.maximum(fit, np.arange(1, len(bounds)))]
    last = int(np.argmax(his == len(text)))
    return starts[:last + 1], his[:last + 1]


def best_passage(text: bytes, rq: RankQuery, idfs: Sequence[float], titles: Sequence[bool], phrase: bool,
                 avgdl: float) -> float:
    """The score of the best passage of a long section (see the module docstring): per ranking term, its
    occurrences in the passage (an alternative of several words: as often as its rarest; alternatives: the
    most frequent), then BM25F as in the first stage with the passage's length."""
    lo, hi = _windows(text, passage_limit(avgdl))
    norm = 1 - B + B * (hi - lo) / max(avgdl, 1.0)
    counts: dict[str, np.ndarray] = {}
    total = np.zeros(len(lo))
    for group, weight, in_title in zip(rq.groups, idfs, titles, strict=True):
        tf = np.zeros(len(lo))
        for alt in group:
            for term in alt:
                if term not in counts:
                    pos = _positions(text, term)
                    counts[term] = (np.searchsorted(pos, hi) - np.searchsorted(pos, lo)).astype(np.float64)
            tf = np.maximum(tf, np.min([counts[t] for t in alt], axis=0))
        tt = tf / norm + float(in_title)
        total += weight * tt * (K1 + 1) / (tt + K1)
    return float(total.max()) + (PHRASE_BOOST if phrase else 0.0)


def head_scores(head: Head, rq: RankQuery, idfs: Sequence[float], avgdl: float, phrase: bool = True,
                passages: bool = True) -> np.ndarray:
    """The head's final scores (32-bit; ``phrase``/``passages`` switch the two refinements, for measuring)."""
    out = head.scores.astype(np.float32).copy()
    for i in range(len(out)):
        ph = bool(phrase and head.phrase[i])
        own = float(out[i]) + (PHRASE_BOOST if ph else 0.0)
        text = head.pieces[i]
        if passages and text is not None:
            titles = [bool(v[i]) for v in head.titles]
            own = 0.5 * (own + best_passage(text, rq, idfs, titles, ph, avgdl))
        out[i] = np.float32(own)
    return out
