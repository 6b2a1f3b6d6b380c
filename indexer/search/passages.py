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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.search.rankquery import RankQuery

K1, B = 1.2, 0.75
PHRASE_BOOST = 2.0
#: How many of the first stage's best matches the second stage re-scores (five pages of ten; re-scoring 100
#: measured the same on the judged queries, at twice the cost).
HEAD = 50
#: A section longer than this many average sections is scored partly by its best passage of that length.
PASSAGE = 2.0
#: What ends a sentence: 。！？；： (three UTF-8 bytes each), their ASCII forms, and the title/heading break.
_ENDS = "。！？；!?;：:\u0001"
_SINGLE = "".join(c for c in _ENDS if len(c.encode("utf-8")) == 1).encode("ascii")


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


def _sentence_ends(data: bytes) -> np.ndarray:
    """Offsets just after each sentence-ending character of UTF-8 ``data``, by array operations: the bytes
    that can start one of them first, then the whole character at those few places."""
    raw = np.frombuffer(data, dtype=np.uint8)
    found = [np.flatnonzero(np.isin(raw, np.frombuffer(_SINGLE, dtype=np.uint8))) + 1]
    wide = [np.frombuffer(c.encode("utf-8"), dtype=np.uint8) for c in _ENDS if len(c.encode("utf-8")) == 3]
    lead = np.flatnonzero(np.isin(raw[:max(len(raw) - 2, 0)], [int(c[0]) for c in wide]))
    for code in wide:
        hit = lead[(raw[lead] == code[0]) & (raw[lead + 1] == code[1]) & (raw[lead + 2] == code[2])]
        found.append(hit + 3)
    return np.concatenate(found)


def _windows(texts: Sequence[bytes], limit: float) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """The texts joined (a NUL between them, so that nothing is found across two) and their passages:
    ``[lo, hi)`` offsets in the joined bytes and the number of the text each belongs to, in order. A text's
    passages start at each of its sentences and hold as many whole sentences as fit in ``limit`` bytes (at
    least one), up to the first that reaches the text's end."""
    joined = b"\0".join(texts)
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(lens + 1)[:-1])).astype(np.int64)
    last = first + lens
    ends = _sentence_ends(joined)
    bounds = np.unique(np.concatenate((first, ends, last)))
    owner = np.searchsorted(first, bounds, side="right") - 1
    starts = np.flatnonzero(bounds != last[owner])
    text = owner[starts]
    fit = np.searchsorted(bounds, bounds[starts] + limit, side="right") - 1  # the last bound within the limit
    fit = np.minimum(np.maximum(fit, starts + 1), np.searchsorted(bounds, last[text]))
    lo, hi = bounds[starts], bounds[fit]
    reach = np.flatnonzero(hi == last[text])
    _, firsts = np.unique(text[reach], return_index=True)
    keep = np.arange(len(lo)) <= reach[firsts][text]
    return joined, lo[keep], hi[keep], text[keep]


def best_passages(texts: Sequence[bytes], titles: Sequence[np.ndarray], rq: RankQuery, idfs: Sequence[float],
                  avgdl: float) -> np.ndarray:
    """The score of the best passage of each long section (see the module docstring), ``titles`` saying per
    ranking term and section whether the term is in the section's title: per ranking term, its occurrences
    in the passage (an alternative of several words: as often as its rarest; alternatives: the most
    frequent), then BM25F as in the first stage with the passage's length. All sections at once."""
    if not texts:
        return np.zeros(0)
    joined, lo, hi, text = _windows(texts, passage_limit(avgdl))
    norm = 1 - B + B * (hi - lo) / max(avgdl, 1.0)
    counts: dict[str, np.ndarray] = {}
    total = np.zeros(len(lo))
    for group, weight, in_title in zip(rq.groups, idfs, titles, strict=True):
        tf = np.zeros(len(lo))
        for alt in group:
            for term in alt:
                if term not in counts:
                    pos = _positions(joined, term)
                    counts[term] = (np.searchsorted(pos, hi) - np.searchsorted(pos, lo)).astype(np.float64)
            tf = np.maximum(tf, np.min([counts[t] for t in alt], axis=0))
        tt = tf / norm + np.asarray(in_title, dtype=np.float64)[text]
        total += weight * tt * (K1 + 1) / (tt + K1)
    return np.maximum.reduceat(total, np.flatnonzero(np.diff(text, prepend=-1)))


def head_scores(head: Head, rq: RankQuery, idfs: Sequence[float], avgdl: float, phrase: bool = True,
                passages: bool = True) -> np.ndarray:
    """The head's final scores (32-bit; ``phrase``/``passages`` switch the two refinements, for measuring)."""
    out = head.scores.astype(np.float32).copy()
    boost = np.where(np.asarray(head.phrase, dtype=bool) & phrase, PHRASE_BOOST, 0.0)
    own = out.astype(np.float64) + boost
    if passages:
        long = [i for i, text in enumerate(head.pieces) if text is not None]
        texts = [text for text in head.pieces if text is not None]
        best = best_passages(texts, [np.asarray(v, dtype=bool)[long] for v in head.titles], rq, idfs, avgdl)
        own[long] = 0.5 * (own[long] + best + boost[long])
    return own.astype(np.float32)
