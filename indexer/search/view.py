"""An in-memory view of one index generation, loaded once per searcher.

Holds, by Whoosh document number: the normalised ``heading ␁ text`` each section is verified against, its
facet values (province, city, year, doctype, source, date) and its normalised title; plus the set of live
documents. With these, exact wording is answered by reading the postings of the query's rarest character
bigram from the ``exact`` field and keeping the candidates whose normalised text really contains the query
(a single character is looked for in every live section's text directly) — recall and precision 1.0 by
construction — and facets are counted without
touching the index again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from whoosh.searching import Searcher

from indexer.analysis import exact_text
from indexer.text.normalize import normalize

FACETS = ("province", "city", "year", "doctype", "source")


def read_postings(reader: Any, fieldname: str, term: str) -> list[int]:
    """All document numbers of a term, read a block at a time from each segment (Whoosh's ``all_ids``
    yields them one Python call at a time, which dominates a common term's cost)."""
    out: list[int] = []
    for sub, offset in reader.leaf_readers():
        if (fieldname, term) not in sub:
            continue
        m = sub.postings(fieldname, term)
        if not (hasattr(m, "_read_ids") and hasattr(m, "_next_block")):
            out.extend(d + offset for d in m.all_ids())
            continue
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            ids = m._ids[m._i:]
            out.extend(ids if not offset else [d + offset for d in ids])
            m._next_block()
    return out


@dataclass
class IndexView:
    """Arrays of one searcher's generation (see the module docstring)."""

    searcher: Searcher
    norm: list[str | None] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)
    dates: list[str] = field(default_factory=list)
    live: set[int] = field(default_factory=set)
    doc_ids: list[str] = field(default_factory=list)
    total_length: int = 0
    lengths: list[int] = field(default_factory=list)
    by_value: dict[str, dict[Any, set[int]]] = field(default_factory=dict)
    _postings: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    _by_title: dict[str, set[int]] | None = None

    @classmethod
    def load(cls, searcher: Searcher) -> IndexView:
        """Read every live section's stored fields once."""
        reader = searcher.reader()
        size = reader.doc_count_all()
        view = cls(searcher, norm=[None] * size, titles=[""] * size, dates=[""] * size,
                   values={f: [None] * size for f in FACETS}, doc_ids=[""] * size, lengths=[0] * size)
        view.by_value = {f: defaultdict(set) for f in FACETS}
        for num, stored in reader.iter_docs():
            text = exact_text(stored.get("heading"), stored.get("text") or "")
            view.norm[num] = text
            view.total_length += len(text)
            view.lengths[num] = len(text)
            view.doc_ids[num] = stored["doc_id"]
            view.titles[num] = normalize(stored.get("title_text") or "")
            view.dates[num] = stored.get("date") or ""
            for f in FACETS:
                value = stored.get(f) or None
                view.values[f][num] = value
                view.by_value[f][value].add(num)
            view.live.add(num)
        return view

    def postings(self, fieldname: str, term: str) -> frozenset[int]:
        """Live document numbers whose ``fieldname`` holds ``term`` (recent answers are kept)."""
        key = (fieldname, term)
        found = self._postings.get(key)
        if found is None:
            norm = self.norm
            found = frozenset(d for d in read_postings(self.searcher.reader(), fieldname, term)
                              if norm[d] is not None)
            if len(self._postings) >= 256:
                self._postings.pop(next(iter(self._postings)))
            self._postings[key] = found
        return found

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return self.searcher.reader().doc_frequency(fieldname, term)

    def exact(self, normalized: str) -> set[int]:
        """Sections whose normalised heading or text contains ``normalized`` (already normalised)."""
        if not normalized:
            return set()
        norm = self.norm
        if len(normalized) == 1:
            return {d for d in self.live if normalized in norm[d]}  # type: ignore[operator]
        if len(normalized) == 2:  # the postings of a bigram are its answer: nothing to verify
            return set(self.postings("exact", normalized))
        grams = {normalized[i:i + 2] for i in range(len(normalized) - 1)}
        rarest = min(grams, key=lambda g: self.doc_frequency("exact", g))
        return {d for d in self.postings("exact", rarest) if normalized in norm[d]}  # type: ignore[operator]

    def facet_totals(self, fieldname: str) -> Counter[Any]:
        """Counts of every value of a facet over all live sections."""
        return Counter({value: len(docs) for value, docs in self.by_value[fieldname].items()})

    def title_docs(self, normalized: str) -> set[int]:
        """Sections whose document title contains ``normalized`` (titles are scanned once per distinct title)."""
        if self._by_title is None:
            grouped: dict[str, set[int]] = defaultdict(set)
            for d in self.live:
                grouped[self.titles[d]].add(d)
            self._by_title = grouped
        out: set[int] = set()
        for title, docs in self._by_title.items():
            if normalized in title:
                out |= docs
        return out

    def avg_length(self) -> float:
        """Mean length of the live sections' normalised text (BM25's avgdl)."""
        return self.total_length / len(self.live) if self.live else 1.0

    def facet_docs(self, fieldname: str, value: Any) -> set[int]:
        return self.by_value[fieldname].get(value, set())

    def year_docs(self, low: int | None, high: int | None) -> set[int]:
        out: set[int] = set()
        for year, docs in self.by_value["year"].items():
            if year is not None and (low is None or year >= low) and (high is None or year <= high):
                out |= docs
        return out
