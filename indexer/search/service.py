"""Query → hits, facets and snippets. No Flask here: the CLI, the web page and the JSON API all call
:meth:`SearchService.search` and get the same result object.

Evaluation works on sets of Whoosh document numbers held by an :class:`~indexer.search.view.IndexView`:
  * a phrase is exact wording (:meth:`IndexView.exact`);
  * a keyword term requires each of its jieba words, a word being present when the section contains it as
    exact wording — a superset of the sections whose ``words`` field holds it, so 统一战线 is found inside
    爱国统一战线 even though jieba never emits it there;
  * OR/NOT/parentheses are set operations; field filters and the request's facet filters intersect.
Ranking is BM25 over the query's words and phrases: document frequencies come from the jieba ``words``
field, term frequencies are counted in the normalised section text; plus a boost when the section contains
the whole query as exact wording and when the title matches.
Facet counts cover every matching section, with a ``null`` bucket, so each facet adds up to ``total``.
"""

from __future__ import annotations

import heapq
import math
import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.index.store import open_index
from indexer.search.query import Filter, Node, Not, Or, Phrase, Words, parse, positive_terms
from indexer.search.snippets import snippet
from indexer.search.view import FACETS, IndexView
from indexer.text.normalize import normalize
from indexer.text.segment import cut

MAX_PER_PAGE = 100
K1, B = 1.2, 0.75
EXACT_BOOST = 3.0
#: Above this many matches, hits come newest first instead of by BM25: scoring every section of a very
#: common wording costs more than the ranking is worth (the result says so in ``notice``).
RANK_LIMIT = 20000
TITLE_BOOST = 1.5
_WORDCHAR = re.compile(r"[\w\u3400-\u9fff]")
_SUFFIX = re.compile(r"(省|市|自治区|特别行政区|壮族|回族|维吾尔)+$")


@dataclass
class SearchParams:
    """One search request (already coerced; see ``webui.params`` for the HTTP side)."""

    q: str = ""
    mode: str = "keyword"  # or "exact"
    province: str | None = None
    city: str | None = None
    year: int | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    doctype: str | None = None
    source: str | None = None
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = 10


def query_words(text: str) -> list[str]:
    """The jieba words of a keyword term (normalised, punctuation dropped)."""
    return [w for w in cut(normalize(text)) if _WORDCHAR.search(w)]


def highlight_terms(tree: Node | None) -> list[str]:
    """What a hit should be marked for: the phrases and the jieba words of the keyword terms."""
    phrases, words = positive_terms(tree)
    return phrases + [w for text in words for w in query_words(text)]


class SearchService:
    """Searches one index; keeps one searcher and its :class:`IndexView` per process, refreshed when the
    index changes."""

    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0) -> None:
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir)
        self._view: IndexView | None = None
        self._checked = 0.0
        self._refresh = refresh_seconds
        self._lock = threading.RLock()
        query_words("统一战线")  # load the segmenter and its dictionary now, not on the first query

    # ------------------------------------------------------------------ index generation
    def view(self) -> IndexView:
        """The current view, reloaded when another process committed a change."""
        with self._lock:
            now = time.monotonic()
            if self._view is None:
                self._view = IndexView.load(self.ix.searcher())
                self._checked = now
            elif now - self._checked >= self._refresh:
                self._checked = now
                if not self._view.searcher.up_to_date():
                    old = self._view
                    self._view = IndexView.load(old.searcher.refresh())
            return self._view

    def close(self) -> None:
        with self._lock:
            if self._view is not None:
                self._view.searcher.close()
                self._view = None

    # ------------------------------------------------------------------ evaluation
    def _words(self, view: IndexView, text: str, field: str) -> set[int]:
        if field == "title":
            return view.title_docs(normalize(text))
        words = query_words(text)
        if not words:
            return view.exact(normalize(text))
        result: set[int] | None = None
        for w in sorted(words, key=len, reverse=True):
            # A section whose words field holds w also contains w as exact wording (same normalisation),
            # so exact wording alone is the union of "has the word" and "contains it inside a longer word".
            found = view.exact(w)
            result = found if result is None else result & found
            if not result:
                return set()
        return result or set()

    def _filter(self, view: IndexView, f: Filter) -> set[int]:
        if f.field == "year":
            return view.year_docs(f.low, f.high)
        value = f.value
        if f.field in ("province", "city") and value not in view.by_value[f.field]:
            value = _SUFFIX.sub("", value)
        return set(view.facet_docs(f.field, value))

    def evaluate(self, view: IndexView, node: Node) -> set[int]:
        """The sections matching ``node``."""
        if isinstance(node, Phrase):
            return view.exact(normalize(node.text))
        if isinstance(node, Words):
            return self._words(view, node.text, node.field)
        if isinstance(node, Filter):
            return self._filter(view, node)
        if isinstance(node, Not):
            return view.live - self.evaluate(view, node.item)
        if isinstance(node, Or):
            out: set[int] = set()
            for item in node.items:
                out |= self.evaluate(view, item)
            return out
        positives = [i for i in node.items if not isinstance(i, Not)]
        negatives = [i.item for i in node.items if isinstance(i, Not)]
        result = set(view.live)
        for item in positives:
            result &= self.evaluate(view, item)
            if not result:
                return result
        for item in negatives:
            result -= self.evaluate(view, item)
        return result

    def _apply_params(self, view: IndexView, docs: set[int], p: SearchParams) -> set[int]:
        for name in ("province", "city", "doctype", "source"):
            value = getattr(p, name)
            if value:
                docs &= self._filter(view, Filter(name, value))
        if p.year:
            docs &= view.year_docs(p.year, p.year)
        if p.date_from or p.date_to:
            lo, hi = p.date_from or "0000", (p.date_to or "9999") + "\uffff"
            dates = view.dates
            docs = {d for d in docs if dates[d] and lo <= dates[d] <= hi}
        return docs

    # ------------------------------------------------------------------ ranking
    def _rank(self, view: IndexView, docs: set[int], phrases: list[str], words: list[str]) -> dict[int, float]:
        terms = [normalize(t) for t in phrases] + [w for text in words for w in query_words(text)]
        terms = [t for t in dict.fromkeys(terms) if t]
        live = max(len(view.live), 1)
        avgdl = view.avg_length()
        whole = normalize("".join(phrases + words))
        norm, titles, lengths = view.norm, view.titles, view.lengths
        order = list(docs)
        dl = [K1 * (1 - B + B * lengths[d] / avgdl) for d in order]
        scores = [0.0] * len(order)
        for t in terms:  # document frequency from the words field's term info (no postings read)
            df = view.doc_frequency("words", t) or len(view.exact(t))
            idf = math.log(1 + (live - df + 0.5) / (df + 0.5))
            boost = TITLE_BOOST * idf / len(terms)
            for i, d in enumerate(order):
                tf = norm[d].count(t)  # type: ignore[union-attr]
                if tf:
                    scores[i] += idf * tf * (K1 + 1) / (tf + dl[i])
                if t in titles[d]:
                    scores[i] += boost
        if len(terms) > 1:
            for i, d in enumerate(order):
                if whole in norm[d]:  # type: ignore[operator]
                    scores[i] += EXACT_BOOST
        return dict(zip(order, scores))

    def _order(self, view: IndexView, docs: set[int], p: SearchParams, phrases: list[str],
               words: list[str], needed: int) -> tuple[list[int], dict[int, float]]:
        """The first ``needed`` sections in result order, and their scores."""
        dates = view.dates
        if p.sort == "date" or not (phrases or words) or len(docs) > RANK_LIMIT:
            keyed = [(dates[d], -d) for d in docs]
            return [-k[1] for k in heapq.nlargest(needed, keyed)], {}
        scores = self._rank(view, docs, phrases, words)
        keyed3 = [(s, dates[d], -d) for d, s in scores.items()]
        return [-k[2] for k in heapq.nlargest(needed, keyed3)], scores

    # ------------------------------------------------------------------ the call
    def search(self, p: SearchParams) -> dict[str, Any]:
        """Run one search; returns the result object of the JSON contract."""
        with self._lock:
            view = self.view()
            tree, degraded = parse(p.q, exact=p.mode == "exact")
            docs = set(view.live) if tree is None else self.evaluate(view, tree)
            docs = self._apply_params(view, docs, p)
            phrases, words = positive_terms(tree)
            per_page = max(1, min(p.per_page, MAX_PER_PAGE))
            start = (max(p.page, 1) - 1) * per_page
            ordered, scores = self._order(view, docs, p, phrases, words, start + per_page)
            needles = highlight_terms(tree)
            hits = [self._hit(view, d, scores.get(d), needles) for d in ordered[start:start + per_page]]
            result: dict[str, Any] = {
                "ok": True, "query": p.q, "mode": p.mode, "total": len(docs), "page": max(p.page, 1),
                "per_page": per_page, "hits": hits, "facets": facet_counts(view, docs),
            }
            if degraded:
                result["notice"] = "the query syntax was malformed; searched for the words literally"
            elif p.sort != "date" and len(docs) > RANK_LIMIT and (phrases or words):
                result["notice"] = f"more than {RANK_LIMIT} matches: newest first instead of by relevance"
            return result

    def _hit(self, view: IndexView, docnum: int, score: float | None, needles: list[str]) -> dict[str, Any]:
        stored = view.searcher.stored_fields(docnum)
        return {
            "doc_id": stored["doc_id"], "section_id": stored["section_id"], "title": stored.get("title_text"),
            "heading": stored.get("heading"), "date": stored.get("date"), "year": stored.get("year"),
            "region": {"province": stored.get("province"), "city": stored.get("city")},
            "source": stored.get("source"), "doctype": stored.get("doctype"), "fetched": stored.get("fetched"),
            "snippet": str(snippet(stored.get("text") or "", needles)),
            "score": round(score, 4) if score is not None else None,
        }

    # ------------------------------------------------------------------ documents and stats
    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A whole document with its sections in order, or None."""
        with self._lock:
            view = self.view()
            rows = sorted(view.searcher.documents(doc_id=doc_id), key=lambda r: r.get("ordinal", 0))
        if not rows:
            return None
        first = rows[0]
        return {
            "doc_id": doc_id, "title": first.get("title_text"), "date": first.get("date"),
            "year": first.get("year"), "region": {"province": first.get("province"), "city": first.get("city")},
            "source": first.get("source"), "issuer": first.get("issuer"), "doc_number": first.get("doc_number"),
            "doctype": first.get("doctype"), "url": first.get("url"), "fetched": first.get("fetched"),
            "sections": [{"section_id": r["section_id"], "heading": r.get("heading"), "text": r.get("text") or ""}
                         for r in rows],
        }

    def stats(self) -> dict[str, Any]:
        """Documents, sections, index size and per-facet counts."""
        with self._lock:
            view = self.view()
            doc_ids = {view.doc_ids[d] for d in view.live}
            size = sum(f.stat().st_size for f in self.index_dir.iterdir() if f.is_file())
            return {"ok": True, "documents": len(doc_ids), "sections": len(view.live),
                    "index_bytes": size, "facets": facet_counts(view, view.live)}


def facet_counts(view: IndexView, docs: set[int]) -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value over ``docs`` (None = unknown); years newest first, others by count."""
    out: dict[str, list[dict[str, Any]]] = {}
    complement = len(docs) > len(view.live) // 2  # count the smaller side
    rest = view.live - docs if complement else docs
    for f in FACETS:
        values = view.values[f]
        counts = Counter(map(values.__getitem__, rest))
        if complement:
            counts = view.facet_totals(f) - counts
            counts = Counter({k: v for k, v in counts.items() if v})
        if f == "year":
            keys = sorted(counts, key=lambda v: (v is None, -(v or 0)))
        else:
            keys = sorted(counts, key=lambda v: (v is None, -counts[v], str(v)))
        out[f] = [{"value": k, "count": counts[k]} for k in keys]
    return out


def default_workers() -> int:
    """Processes an import may use (both cores on the target machine)."""
    return max(1, min(2, os.cpu_count() or 1))
