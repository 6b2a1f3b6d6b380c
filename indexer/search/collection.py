"""What the collection-wide analyses (:mod:`indexer.research`: wordings, collocates, keyness, dispersion) read
from an index, whatever engine holds it — the answers every backend gives — and the embedded index's side.

Three reads, each over the documents one or more searches match (a *group* is one search: its query and
filters; a document is in a group when one of its sections matches), all from one state of the index:

* :class:`Texts` — each document's normalised continuous text (what exact wording matches against); when the
  documents hold more than ``max_bytes`` of text, an evenly spread sample of them (:func:`sample`), said so;
* :class:`WordCounts` — jieba word tokens per group, keyed by :func:`~indexer.text.terms.term_key` (what the
  index stores); :meth:`SearchBackend.word_names` turns keys back into words;
* :class:`Positions` — where a query's wordings start in each document (character offsets into its
  continuous text, from the occurrences the concordance lists) and the size of every document under the
  filters per year.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from indexer.search.exact import Budget
from indexer.search.generation import Generation
from indexer.search.results import Region
from indexer.text.segment import cut
from indexer.text.terms import term_key

#: Text one analysis reads at most by default (UTF-8 bytes of normalised text, about 8 million characters:
#: what the n-gram count gets through in about 1.5 s of one core).
MAX_TEXT_BYTES = 24_000_000


@dataclass
class Texts:
    """Normalised continuous text of documents, one entry per analysed document, in index order."""

    texts: list[str]
    years: list[int | None]
    groups: np.ndarray  # bool, documents × groups: which groups each analysed document is in
    matched: list[int]  # documents each group matches
    analysed: list[int]  # of them, analysed (fewer when sampled or cut short)
    partial: bool = False
    bytes_matched: int = 0  # text of all the documents matched
    bytes_analysed: int = 0  # text of those analysed

    @property
    def scale(self) -> float:
        """How much more text the matched documents hold than the analysed ones (1.0: all analysed)."""
        return self.bytes_matched / self.bytes_analysed if self.bytes_analysed else 1.0


@dataclass
class WordCounts:
    """Word tokens (punctuation left out) of one group's documents: ``keys`` sorted, ``counts`` beside."""

    keys: np.ndarray  # uint64 term keys, ascending
    counts: np.ndarray  # int64
    documents: int
    partial: bool = False
    names: dict[int, str] = field(default_factory=dict)  # key → word, when the backend segmented the text

    @property
    def tokens(self) -> int:
        return int(self.counts.sum())

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The counts of ``keys`` (0 where absent)."""
        i = np.minimum(np.searchsorted(self.keys, keys), max(0, len(self.keys) - 1))
        found = (len(self.keys) > 0) & (self.keys[i] == keys) if len(self.keys) else np.zeros(len(keys), bool)
        return np.where(found, self.counts[i] if len(self.keys) else 0, 0)


@dataclass
class DocPositions:
    """A document holding a wording: its metadata, the length of its continuous text and where (character
    offsets, ascending) each occurrence starts."""

    doc_id: str
    title: str | None
    title_derived: bool
    date: str | None
    date_precision: str | None
    year: int | None
    region: Region
    chars: int
    offsets: list[int]
    date_inferred: bool = False  # the date is implied by the text, not stated (shown in brackets)


@dataclass
class Positions:
    """Occurrences of a query's wordings by document, and the documents and characters per year (None:
    undated) of all documents under its filters — what a frequency per year is divided by."""

    documents: list[DocPositions]
    total: int
    years: dict[int | None, tuple[int, int]] = field(default_factory=dict)
    partial: bool = False


def evenly(count: int, share: float) -> np.ndarray:
    """Every k-th of ``count`` items, evenly spread: about ``share`` of them (all when ``share`` ≥ 1)."""
    if share >= 1:
        return np.ones(count, dtype=bool)
    steps = np.floor(np.arange(count + 1) * share)
    return steps[1:] > steps[:-1]


def sample(sizes: np.ndarray, member: np.ndarray, max_bytes: int) -> np.ndarray:
    """Which documents (of ``sizes``, in index order; ``member``: documents × groups) to read when they hold
    more than ``max_bytes``: the budget is shared out among the groups, a group that needs less than its share
    getting all of it (a small target beside a large reference is read whole), and each group's documents
    are taken evenly spread, every k-th (the same rule on every backend)."""
    if int(sizes.sum()) <= max_bytes or not len(sizes):
        return np.ones(len(sizes), dtype=bool)
    need = [int(sizes[member[:, g]].sum()) for g in range(member.shape[1])]
    left, keep = float(max_bytes), np.zeros(len(sizes), dtype=bool)
    for k, g in enumerate(sorted(range(len(need)), key=lambda g: need[g])):
        give = min(need[g], left / (len(need) - k))
        left -= give
        inside = np.flatnonzero(member[:, g])
        keep[inside[evenly(len(inside), give / need[g] if need[g] else 1.0)]] = True
    return keep


# ---------------------------------------------------------------------------------------------- word names
_NAMES: OrderedDict[int, str] = OrderedDict()
_NAMES_LOCK = threading.Lock()
_NAMES_MAX = 200_000


def remember_words(words: list[str] | set[str]) -> None:
    """Keep the words a segmentation produced, so their keys can be named without reading text again."""
    with _NAMES_LOCK:
        for w in words:
            _NAMES[term_key(w)] = w
        while len(_NAMES) > _NAMES_MAX:
            _NAMES.popitem(last=False)


def known_names(keys: list[int]) -> dict[int, str]:
    with _NAMES_LOCK:
        return {k: _NAMES[k] for k in keys if k in _NAMES}


def names_from_texts(keys: list[int], text_of: Callable[[int], str | None]) -> dict[int, str]:
    """Words of ``keys``: remembered ones, the others found by segmenting a text that holds them
    (``text_of(key)``: the normalised piece of a section where the index saw the word)."""
    out = known_names(keys)
    for k in keys:
        if k in out:
            continue
        text = text_of(k)
        if text is None:
            continue
        words = set(cut(text))
        remember_words(words)
        for w in words:
            if term_key(w) == k:
                out[k] = w
                break
    return out


# ---------------------------------------------------------------------------------------------- embedded index
def _doc_bytes(gen: Generation) -> np.ndarray:
    """Bytes of each document's continuous text (global document numbers)."""
    cum = np.concatenate([np.zeros(1, np.int64), np.cumsum(gen.lengths, dtype=np.int64)])
    return cum[gen.doc_first[1:]] - cum[gen.doc_first[:-1]]


def doc_membership(gen: Generation, matches: list[np.ndarray]) -> np.ndarray:
    """documents × groups: the documents holding a section of each group's matches (global section numbers)."""
    out = np.zeros((gen.documents_all, len(matches)), dtype=bool)
    for g, m in enumerate(matches):
        out[gen.doc_of[m], g] = True
    return out


def embedded_texts(gen: Generation, matches: list[np.ndarray], max_bytes: int, budget: Budget) -> Texts:
    """:class:`Texts` of the documents holding each group's ``matches`` (live sections)."""
    member = doc_membership(gen, matches)
    union = np.flatnonzero(member.any(axis=1))
    sizes = _doc_bytes(gen)[union]
    keep = sample(sizes, member[union], max_bytes)
    chosen = union[keep]
    texts: list[str] = []
    for k, d in enumerate(chosen.tolist()):
        if k % 256 == 255 and budget.over():
            chosen = chosen[:k]
            break
        first, last = int(gen.doc_first[d]), int(gen.doc_first[d + 1])
        part, local = gen.locate(first)
        starts = part.part.starts
        texts.append(part.part.text[int(starts[local]):int(starts[local + last - first])].decode("utf-8", "ignore"))
    years = gen.year[gen.doc_first[chosen]].tolist()
    return Texts(texts, [y or None for y in years], member[chosen], member.sum(axis=0).tolist(),
                 member[chosen].sum(axis=0).tolist(), partial=len(chosen) < len(union),
                 bytes_matched=int(sizes.sum()), bytes_analysed=int(sizes[keep][:len(chosen)].sum()))


def _merge(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not keys:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    k, c = np.concatenate(keys), np.concatenate(counts)
    order = np.argsort(k, kind="stable")
    k, c = k[order], c[order]
    if not len(k):
        return k, c
    new = np.concatenate(([True], k[1:] != k[:-1]))
    return k[new], np.add.reduceat(c, np.flatnonzero(new))


def embedded_word_counts(gen: Generation, matches: list[np.ndarray]) -> list[WordCounts]:
    """:class:`WordCounts` of the documents holding each group's ``matches``, from the word postings."""
    member = doc_membership(gen, matches)
    out = []
    for g in range(len(matches)):
        section_in = member[gen.doc_of, g] & gen.live
        keys, counts = [], []
        for p in gen.parts:
            offs = np.asarray(p.part.w_offs, dtype=np.int64)
            if len(offs) < 2:
                continue
            inside = section_in[p.base + np.asarray(p.part.w_secs, dtype=np.int64)]
            sums = np.add.reduceat(np.where(inside, np.asarray(p.part.w_tf, dtype=np.int64), 0), offs[:-1])
            nz = sums > 0
            keys.append(np.asarray(p.part.w_keys)[nz])
            counts.append(sums[nz])
        k, c = _merge(keys, counts)
        out.append(WordCounts(k, c, int(member[:, g].sum())))
    return out


def embedded_word_names(gen: Generation, keys: list[int]) -> dict[int, str]:
    """Words of term keys, read from a section of the index that holds each."""
    def text_of(key: int) -> str | None:
        for p in gen.parts:
            sl = p.part.postings("w", key)
            if sl.stop > sl.start:
                local = int(p.part.w_secs[sl.start])
                starts = p.part.starts
                return p.part.text[int(starts[local]):int(starts[local + 1])].decode("utf-8", "ignore")
        return None

    return names_from_texts(keys, text_of)
