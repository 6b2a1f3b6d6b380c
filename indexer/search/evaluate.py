"""Query tree → the matching sections of a generation, as a boolean mask over global section numbers.

* a phrase is exact wording (:mod:`.exact`);
* a keyword term requires each of its jieba words, a word being present when the section contains it as
  exact wording (so 统一战线 is found inside 爱国统一战线); a term without words (punctuation) is exact wording;
  a term's equivalents from the synonym dictionary (``Words.also``) match as exact wording besides;
  keyword terms written side by side match when all but at most one are present (ranking puts the best
  first; measured on the judged queries in BENCHMARKS.md), ``A AND B`` when both are;
* ``title:`` matches documents whose normalised title contains the text;
* field filters compare facet codes; ``year:A..B`` a range; OR/NOT/parentheses are mask operations.
Masks of wordings are kept per request in :class:`Matcher` (ranking asks for them again).
"""

from __future__ import annotations

import itertools
import re
import threading
import weakref
from collections import OrderedDict

import numpy as np

from indexer.arrays import distinct
from indexer.index import derived
from indexer.relations.generation import filter_mask
from indexer.search.exact import Budget, Found, bigram_keys, exact_found, key_places
from indexer.search.generation import Generation
from indexer.search.query import And, Filter, Node, Not, Or, Phrase, Words
from indexer.search.results import UNKNOWN_VALUE
from indexer.text.normalize import normalize
from indexer.text.terms import query_words

#: Wordings whose documents by title are kept per generation (a boolean per document each).
TITLE_CACHE = 256
_TITLES: weakref.WeakKeyDictionary[Generation, OrderedDict[str, np.ndarray]] = weakref.WeakKeyDictionary()
_TITLE_LOCK = threading.Lock()
#: Up to this many candidates, the titles of their documents are read one by one instead of looking the wording
#: up in every part's title postings (a rare wording's few candidates then stay out of the cache).
TITLES_READ_APART = 2000
_SUFFIX = re.compile(r"(省|市|自治区|特别行政区|壮族|回族|维吾尔)+$")


def _cached_title_docs(gen: Generation, normalized: str) -> np.ndarray | None:
    """:func:`_title_docs` of the wording if it is kept for the generation (None otherwise)."""
    with _TITLE_LOCK:
        cache = _TITLES.setdefault(gen, OrderedDict())
        found = cache.get(normalized)
        if found is not None:
            cache.move_to_end(normalized)
        return found


def _title_docs(gen: Generation, normalized: str) -> np.ndarray:
    """Documents (global numbers) whose normalised title contains the wording, from each part's title
    postings; kept per generation for the most recent :data:`TITLE_CACHE` wordings (the common words of
    queries come back)."""
    found = _cached_title_docs(gen, normalized)
    if found is not None:
        return found
    docs = np.zeros(gen.documents_all, dtype=bool)
    for p in gen.parts if normalized else []:
        found = _part_title_docs(p.part, normalized)
        docs[p.doc_base + found] = True
    docs.setflags(write=False)
    with _TITLE_LOCK:
        cache = _TITLES.setdefault(gen, OrderedDict())
        cache[normalized] = docs
        while len(cache) > TITLE_CACHE:
            cache.popitem(last=False)
    return docs


def _part_title_docs(part: derived.Part, normalized: str) -> np.ndarray:
    """The documents of one part (local numbers) whose title contains the wording, from the part's title
    bigram postings (:func:`indexer.index.derived.title_bigrams`): a character is any bigram it starts, two
    characters are one bigram, a longer wording is verified in the titles holding all of its bigrams."""
    keys, offs, members = derived.title_bigrams(part)
    codes = [ord(c) for c in normalized]
    if not len(keys):
        return np.zeros(0, np.int64)
    if len(codes) == 1:
        lo, hi = np.searchsorted(keys, np.array([codes[0] << 21, (codes[0] + 1) << 21], dtype=np.uint64))
        return members[offs[lo]:offs[hi]].astype(np.int64)
    idx = key_places(keys, bigram_keys(normalized))
    if idx is None:
        return np.zeros(0, np.int64)
    lists = sorted((members[offs[i]:offs[i + 1]] for i in idx.tolist()), key=len)
    cand = lists[0].astype(np.int64)
    for other in lists[1:]:
        if not len(cand):
            break
        cand = cand[np.isin(cand, other, assume_unique=True)]
    if len(codes) == 2 or not len(cand):
        return cand
    needle = normalized.encode("utf-8")
    starts = np.asarray(part.title_starts, dtype=np.int64)
    at = np.fromiter(map(part.titles.find, itertools.repeat(needle, len(cand)), starts[cand].tolist(),
                         starts[cand + 1].tolist()), dtype=np.int64, count=len(cand))
    return cand[at != -1]


class Matcher:
    """Evaluates query trees over one generation within one request's budget."""

    def __init__(self, gen: Generation, budget: Budget) -> None:
        self.gen = gen
        self.budget = budget
        self._wordings: dict[str, Found] = {}
        self._documents: tuple[np.ndarray, np.ndarray] | None = None

    def found(self, normalized: str) -> Found:
        """Sections where the normalised wording starts, as found (cached per request)."""
        found = self._wordings.get(normalized)
        if found is None:
            found = self._wordings[normalized] = exact_found(self.gen, normalized, self.budget)
        return found

    def wording(self, normalized: str) -> np.ndarray:
        """Sections where the normalised wording starts, as a mask (cached per request; not to be changed)."""
        return self.found(normalized).mask()

    def sections(self, node: Node, live: np.ndarray) -> np.ndarray:
        """The sections of ``live`` (a mask) matching ``node``, ascending. A wording's come from its sections as
        found, without a pass over every section of the index while they are few (:class:`Found`)."""
        if isinstance(node, Phrase):
            return self.found(normalize(node.text)).sections(live)
        return np.flatnonzero(self.evaluate(node) & live)

    def documents_of(self, sections: np.ndarray) -> np.ndarray:
        """The documents of ``sections`` (global numbers), kept for the last array asked about: grouping,
        ranking and hits all ask for the request's candidates' documents."""
        if self._documents is None or self._documents[0] is not sections:
            self._documents = (sections, self.gen.doc_of[sections])
        return self._documents[1]

    def title_docs(self, normalized: str) -> np.ndarray:
        """Documents (global numbers) whose normalised title contains the wording (:func:`_title_docs`)."""
        return _title_docs(self.gen, normalized)

    def titles_hold(self, normalized: str, docs: np.ndarray) -> np.ndarray:
        """Whether the normalised title of each of ``docs`` (global numbers) contains the wording: where they
        are few (a rare wording's candidates), their own titles are read; else :meth:`title_docs`."""
        found = _cached_title_docs(self.gen, normalized)
        if found is not None or len(docs) > TITLES_READ_APART:
            return (found if found is not None else self.title_docs(normalized))[docs]
        needle = normalized.encode("utf-8")
        uniq = distinct(docs)
        held = np.zeros(len(uniq), dtype=bool)
        bases = np.array([p.doc_base for p in self.gen.parts], dtype=np.int64)
        owner = np.searchsorted(bases, uniq, side="right") - 1
        for pi in (distinct(owner).tolist() if needle else []):
            part = self.gen.parts[pi].part
            at = np.flatnonzero(owner == pi)
            local = uniq[at] - bases[pi]
            starts = part.title_starts
            titles = part.titles
            for i, lo, hi in zip(at.tolist(), starts[local].tolist(), starts[local + 1].tolist(), strict=True):
                held[i] = titles.find(needle, lo, hi) != -1
        return held[np.searchsorted(uniq, docs)]

    def words(self, text: str) -> np.ndarray:
        words = query_words(text)
        if not words:
            return self.wording(normalize(text))
        result: np.ndarray | None = None
        for w in sorted(set(words), key=len, reverse=True):
            found = self.wording(w)
            result = found.copy() if result is None else result & found
            if not result.any():
                break
        assert result is not None
        return result

    def filter(self, f: Filter) -> np.ndarray:
        gen = self.gen
        if f.field == "year":
            low = f.low if f.low is not None else -1
            high = f.high if f.high is not None else 32767
            return (gen.year >= low) & (gen.year <= high) & (gen.year > 0)
        if f.field in ("issuer", "docno", "status"):  # relation fields (indexer.relations)
            return filter_mask(gen, f.field, f.value)
        vocab = gen.vocab.get(f.field)
        if vocab is None:
            return np.zeros(gen.n, dtype=bool)
        if f.value == UNKNOWN_VALUE:
            return gen.codes[f.field] == 0
        value = f.value
        if f.field in ("province", "city") and value not in vocab:
            value = _SUFFIX.sub("", value)
        if value not in vocab:
            return np.zeros(gen.n, dtype=bool)
        return gen.codes[f.field] == vocab.index(value)

    def evaluate(self, node: Node) -> np.ndarray:
        """Sections matching ``node`` (not yet restricted to live sections)."""
        if isinstance(node, Phrase):
            return self.wording(normalize(node.text))
        if isinstance(node, Words):
            if node.field == "title":
                return self.title_docs(normalize(node.text))[self.gen.doc_of]
            found = self.words(node.text)
            for other in node.also:  # equivalents from the synonym dictionary, as exact wording
                found = found | self.wording(normalize(other))
            return found
        if isinstance(node, Filter):
            return self.filter(node)
        if isinstance(node, Not):
            return ~self.evaluate(node.item)
        if isinstance(node, Or):
            out = np.zeros(self.gen.n, dtype=bool)
            for item in node.items:
                out |= self.evaluate(item)
            return out
        assert isinstance(node, And)
        if node.soft:  # keyword terms side by side: all of them but at most one
            cover = np.zeros(self.gen.n, dtype=np.int16)
            for item in node.items:
                cover += self.evaluate(item)
            return cover >= len(node.items) - 1
        result = np.ones(self.gen.n, dtype=bool)
        for item in sorted(node.items, key=lambda i: isinstance(i, Not)):
            result &= self.evaluate(item)
            if not result.any():
                break
        return result
