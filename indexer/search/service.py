"""Query → :class:`~indexer.search.results.SearchResult`: the one entry point of the CLI, the pages and the API.

A search runs on the generation :class:`~indexer.search.live.LiveIndex` serves (never blocked by a reload):
parse (bounded: :mod:`.query` refuses queries that are too large or too deep), evaluate to a mask of
matching live sections (:mod:`.evaluate`), apply the request's filters, count facets over all matches
(:mod:`.facets`), order (BM25 over every match, or by date: :mod:`.ranking`), and read the stored fields of
the page's hits only. Each request has a time budget: when it runs out, the result is marked ``partial``
with a notice, never presented as complete.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from indexer.relations.embedded import document_graph, document_relations, external_references
from indexer.relations.results import ExternalReferences, Graph
from indexer.reuse.view import ReuseReader
from indexer.search.analysis import CollectionReads
from indexer.search.docview import attachment, document_view
from indexer.search.evaluate import Matcher
from indexer.search.exact import Budget
from indexer.search.facets import document_runs, facet_counts, representatives
from indexer.search.generation import Generation
from indexer.search.live import LiveIndex
from indexer.search.occurrences import find_occurrences
from indexer.search.query import Filter, Node, parse, positive_terms, restrictions
from indexer.search.ranking import by_added, by_date, rank
from indexer.search.rankquery import RankQuery, rank_query
from indexer.search.results import (
    Attachment,
    DocumentView,
    ExportHit,
    FacetValue,
    Hit,
    Occurrence,
    Occurrences,
    Region,
    ReusePairs,
    ReuseView,
    SearchResult,
    SectionView,
    Stats,
    doc_path,
)
from indexer.search.snippets import hit_snippet
from indexer.search.synonyms import expand
from indexer.text.normalize import normalize
from indexer.text.terms import query_words

MAX_PER_PAGE = 100
MAX_PAGE = 100_000
SORTS = ("relevance", "newest", "oldest", "added")  # added: newest in the index first (what feeds follow)
GROUPS = ("section", "document")
_FILTERS = ("province", "city", "doctype", "source", "collection", "issuer", "docno", "status")
#: Time budget of evaluating a query for :meth:`SearchService.iter_hits` (an export is never cut short silently).
EXPORT_SECONDS = 120.0
PARTIAL_NOTICE = "the search took too long and was stopped early: counts and facets cover only part of the matches"
#: Said when the query's syntax was malformed (:func:`indexer.search.query.parse`: what was searched instead).
MALFORMED_NOTICE = ("the query syntax was malformed; searched without the brackets and marks that pair with none, "
                    "or for the words literally")
#: Said while the newest published generation cannot be served (damaged, or another text model).
REFUSED_NOTICE = ("the index's newest version could not be opened (see the server's log; `python -m indexer check`); "
                  "these results are from the previous version")


@dataclass
class CountTable:
    """Counts per combination of facet values (see :meth:`SearchService.count_by`)."""

    fields: tuple[str, ...]
    counts: dict[tuple[Any, ...], int]
    total: int
    partial: bool = False


@dataclass
class SearchParams:
    """One search request (already validated; see ``webui.params`` for the HTTP side)."""

    q: str = ""
    mode: str = "keyword"  # or "exact"
    province: str | None = None
    city: str | None = None
    year: int | None = None  # 0 selects documents without a year
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    doctype: str | None = None
    source: str | None = None
    collection: str | None = None
    issuer: str | None = None  # one issuer (a joint document is found under each of its issuers)
    docno: str | None = None  # a 发文字号, whatever brackets or spaces it is written with
    status: str | None = None  # 已废止, 已修订 or 未见废止或修订
    sort: str = "relevance"  # relevance | newest | oldest | added ("date" is read as newest)
    group: str = "section"  # or "document"
    page: int = 1
    per_page: int = 10
    synonyms: bool = True  # keyword terms also find their equivalents (data/synonyms.txt)


def filters_only(p: SearchParams) -> SearchParams:
    """``p`` without its wording: its filters, and the field conditions its query applies to all of it
    (人工智能 province:山东 keeps province:山东) — the documents a wording's counts are a share of."""
    return replace(p, q=restrictions(p.q, exact=p.mode == "exact"))


def query_tree(q: str, mode: str, synonyms: bool = True) -> tuple[Node | None, bool, list[str]]:
    """The parsed query — with its keyword terms' equivalents when ``synonyms`` (keyword mode only) — whether
    its syntax was malformed, and the equivalents added (what the result says was also searched)."""
    tree, degraded = parse(q, exact=mode == "exact")
    if mode == "exact" or not synonyms:
        return tree, degraded, []
    tree, added = expand(tree)
    return tree, degraded, added


def highlight_terms(q: str, mode: str, synonyms: bool = True) -> list[str]:
    """What a hit should be marked for: the phrases, the jieba words of the keyword terms and their
    equivalents."""
    tree, _, added = query_tree(q, mode, synonyms)
    phrases, words = positive_terms(tree)
    return phrases + added + [w for text in words if text not in added for w in query_words(text)]


def _iso(stamp: float | None) -> str | None:
    """A Unix time as an ISO 8601 UTC timestamp (when a document entered the index)."""
    if not stamp:
        return None
    return datetime.fromtimestamp(float(stamp), tz=UTC).isoformat(timespec="seconds")


def _key(date: str | None) -> int:
    return int(date.replace("-", "")) if date else 0


class SearchService(CollectionReads):
    """Searches one index (see the module docstring); the collection-wide reads of the research analyses
    come from :class:`~indexer.search.analysis.CollectionReads`."""

    def __init__(self, index_dir: Path, base_url: str = "", budget_seconds: float = 5.0) -> None:
        self.index_dir = Path(index_dir)
        self.base_url = base_url
        self.budget_seconds = budget_seconds
        self.live = LiveIndex(self.index_dir)
        self.reuse_reader = ReuseReader(self.index_dir, base_url)
        query_words("统一战线")  # load the segmenter and its dictionary now, not on the first query

    def close(self) -> None:
        self.live.close()

    # ------------------------------------------------------------------------------------------ search
    def _matches(self, gen: Generation, p: SearchParams, budget: Budget
                 ) -> tuple[Matcher, np.ndarray, Any, bool, list[str]]:
        """(matcher, matching live sections, query tree, degraded, equivalents also searched) of a request."""
        tree, degraded, added = query_tree(p.q, p.mode, p.synonyms)
        matcher = Matcher(gen, budget)
        cand = np.flatnonzero(gen.live) if tree is None else matcher.sections(tree, gen.live)
        filters = self._filters(gen, matcher, p)
        if filters is not None:
            cand = cand[filters[cand]]
        return matcher, cand, tree, degraded, added

    def count_by(self, p: SearchParams, fields: tuple[str, ...]) -> CountTable:
        """How many matches (documents when ``p.group`` is "document", else sections) have each combination
        of values of ``fields`` (any of province, city, year, doctype, source, collection; None = unknown; and
        ``inferred``: whether the date is implied by the text, True or False).
        One pass over all matches: what trend and spread charts are made of."""
        gen, stale = self.live.current()
        budget = Budget(self.budget_seconds)
        _, cand, _, _, _ = self._matches(gen, p, budget)
        rows = representatives(gen, cand) if p.group == "document" else cand
        columns = [gen.year[rows].astype(np.int64) if f == "year" else gen.inferred[rows].astype(np.int64)
                   if f == "inferred" else gen.codes[f][rows].astype(np.int64) for f in fields]
        counts: dict[tuple[Any, ...], int] = {}
        if len(rows) and columns:
            stacked = np.stack(columns, axis=1)
            keys, sizes = np.unique(stacked, axis=0, return_counts=True)
            for key, size in zip(keys.tolist(), sizes.tolist(), strict=True):
                values = tuple((v or None) if f == "year" else bool(v) if f == "inferred" else gen.vocab[f][v]
                               for f, v in zip(fields, key, strict=True))
                counts[values] = int(size)
        return CountTable(fields=fields, counts=counts, total=len(rows), partial=budget.exhausted or stale)

    def occurrences(self, p: SearchParams, width: int = 30, order: Callable[[Occurrence], Any] | None = None,
                    window: tuple[int, int] = (0, 50)) -> Occurrences:
        """Every occurrence of the wordings ``p`` highlights, in the sections ``p`` matches, ordered by the key
        ``order``; the ``window`` (start, count) of them with ``width`` characters of original text on each
        side (see :mod:`indexer.search.occurrences`)."""
        gen, stale = self.live.current()
        budget = Budget(self.budget_seconds)
        _, cand, _, _, _ = self._matches(gen, p, budget)
        wordings = [normalize(t) for t in highlight_terms(p.q, p.mode, p.synonyms)]

        def link(doc_id: str, section_id: str) -> str:
            return doc_path(doc_id, section_id, self.base_url, p.q, p.mode, p.synonyms)

        found = find_occurrences(gen, cand, wordings, width, order, window, budget, link)
        found.partial = found.partial or stale
        return found

    def search(self, p: SearchParams) -> SearchResult:
        gen, stale = self.live.current()
        budget = Budget(self.budget_seconds)
        matcher, cand, tree, degraded, added = self._matches(gen, p, budget)
        reps = representatives(gen, cand, matcher.documents_of(cand))
        rows = reps if p.group == "document" else cand
        per_page = max(1, min(p.per_page, MAX_PER_PAGE))
        page = max(1, min(p.page, MAX_PAGE))
        start = (page - 1) * per_page
        order, scores = self._order(gen, matcher, cand, p, rank_query(tree), start + per_page)
        hits = self._hits(gen, cand, order, scores, p, start, per_page, matcher.documents_of(cand))
        result = SearchResult(query=p.q, mode=p.mode, sort=p.sort, group=p.group, total=len(rows),
                              total_documents=len(reps), page=page, per_page=per_page, hits=hits,
                              facets=facet_counts(gen, rows), partial=budget.exhausted, also_searched=added)
        result.notice = self._notice(degraded, budget.exhausted, stale, self.live.refused is not None)
        return result

    def iter_hits(self, p: SearchParams, limit: int) -> Iterator[ExportHit]:
        """Every hit of a search in result order (``page``/``per_page`` ignored), at most ``limit``, produced
        one at a time while the generation they come from stays open: what exports stream. Raises
        :class:`TimeoutError` when the query cannot be evaluated completely within EXPORT_SECONDS."""
        with self.live.pinned() as gen:
            budget = Budget(EXPORT_SECONDS)
            matcher, cand, tree, _, _ = self._matches(gen, p, budget)
            order, scores = self._order(gen, matcher, cand, p, rank_query(tree), len(cand))
            if budget.exhausted:
                raise TimeoutError("the search took too long to export completely; narrow it down")
            if p.group == "document":
                docs = gen.doc_of[cand[order]]
                _, first = np.unique(docs, return_index=True)
                doc_ids, counts = np.unique(gen.doc_of[cand], return_counts=True)
                order = order[np.sort(first)]
            needles = highlight_terms(p.q, p.mode, p.synonyms)
            for i in order[:max(0, limit)].tolist():
                num = int(cand[i])
                st = gen.stored(num)
                score = None if scores is None else float(scores[i])
                hit = self._hit(gen, num, score, needles, p.q, p.mode, st, p.synonyms)
                if p.group == "document":
                    hit.matches = int(counts[np.searchsorted(doc_ids, gen.doc_of[num])])
                meta = st.get("meta") or {}
                yield ExportHit(hit, st.get("text") or "", meta.get("doc_number"), meta.get("url"), meta.get("written"))

    @staticmethod
    def _notice(degraded: bool, partial: bool, stale: bool, refused: bool = False) -> str | None:
        notes = []
        if partial:
            notes.append(PARTIAL_NOTICE)
        if degraded:
            notes.append(MALFORMED_NOTICE)
        if stale:
            notes.append("the index is being updated; these results may not include the latest changes")
        if refused:  # the reason (with file names) is in the server's log, not in answers
            notes.append(REFUSED_NOTICE)
        return "; ".join(notes) or None

    def _filters(self, gen: Generation, matcher: Matcher, p: SearchParams) -> np.ndarray | None:
        """The sections the request's filters let through (None: it has none)."""
        masks = [matcher.filter(Filter(name, getattr(p, name))) for name in _FILTERS if getattr(p, name)]
        if p.year is not None:  # 0: the year is not stated
            masks.append(gen.year == p.year)
        if p.date_from or p.date_to:  # a document dated by year or month only counts when it overlaps the range
            lo, hi = _key(p.date_from) or 0, _key(p.date_to) or 99999999
            masks.append((gen.date_lo > 0) & (gen.date_hi >= lo) & (gen.date_lo <= hi))
        if not masks:
            return None
        mask = masks[0].copy()
        for m in masks[1:]:
            mask &= m
        return mask

    def _order(self, gen: Generation, matcher: Matcher, cand: np.ndarray, p: SearchParams, rq: RankQuery,
               needed: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Candidate indices in result order, enough for ``needed`` rows: sections, or documents (then one index
        per document: its best section)."""
        by_doc = p.group == "document"
        if not len(cand) or needed <= 0:
            return np.zeros(0, dtype=np.int64), None
        if p.sort == "added" or p.sort in ("newest", "date", "oldest") or not rq:
            # date and time added belong to the document: its first match stands for it
            rows = document_runs(gen, cand, matcher.documents_of(cand)) if by_doc else np.arange(len(cand))
            k = min(needed, len(rows))
            sub = cand[rows]
            if p.sort == "added":
                return rows[by_added(sub, gen.added[gen.doc_of[sub]], k)], None
            return rows[by_date(sub, gen.date_lo[sub], gen.date_hi[sub], k, p.sort != "oldest")], None
        return rank(gen, matcher, cand, rq, needed, by_doc)

    # ------------------------------------------------------------------------------------------ hits
    def _hits(self, gen: Generation, cand: np.ndarray, order: np.ndarray, scores: np.ndarray | None,
              p: SearchParams, start: int, per_page: int, docs: np.ndarray) -> list[Hit]:
        """The page's hits; ``docs``: the document of each candidate."""
        needles = highlight_terms(p.q, p.mode, p.synonyms)
        if p.group != "document":
            picked = order[start:start + per_page]
            return [self._hit(gen, int(cand[i]), None if scores is None else float(scores[i]), needles, p.q, p.mode,
                              synonyms=p.synonyms)
                    for i in picked]
        # docs is non-decreasing: a document's matches are one run
        _, first = np.unique(docs[order], return_index=True)
        best = order[np.sort(first)][start:start + per_page]
        hits = []
        for i in best:
            num = int(cand[i])
            hit = self._hit(gen, num, None if scores is None else float(scores[i]), needles, p.q, p.mode,
                            synonyms=p.synonyms)
            lo, hi = np.searchsorted(docs, gen.doc_of[num], "left"), np.searchsorted(docs, gen.doc_of[num], "right")
            hit.matches = int(hi - lo)
            hit.sections = gen.section_ids(cand[lo:min(hi, lo + 100)].tolist(), hit.doc_id)
            hits.append(hit)
        return hits

    def _hit(self, gen: Generation, num: int, score: float | None, needles: list[str], q: str = "",
             mode: str = "", st: dict[str, Any] | None = None, synonyms: bool = True) -> Hit:
        st = st if st is not None else gen.stored(num)
        meta: dict[str, Any] = st.get("meta") or {}
        text = st.get("text") or ""
        snip = hit_snippet(text, st.get("heading"), needles, lambda: self._following(gen, num),
                           (None if meta.get("title_derived") else meta.get("title"), meta.get("title_alt")))
        return Hit(
            doc_id=st["doc_id"], section_id=st["section_id"], title=meta.get("title"),
            title_derived=bool(meta.get("title_derived")), heading=st.get("heading"), date=meta.get("date"),
            date_precision=meta.get("date_precision"), year=meta.get("year"),
            region=Region(meta.get("province"), meta.get("city")), source=meta.get("source"),
            issuer=meta.get("issuer"), doctype=meta.get("doctype"), collection=meta.get("collection"),
            snippet=snip.text, highlights=snip.spans, score=None if score is None else round(score, 4),
            url=doc_path(st["doc_id"], st["section_id"], self.base_url, q, mode, synonyms), fetched=meta.get("fetched"),
            template=bool(meta.get("template")), added=_iso(meta.get("added")),
            date_inferred=bool(meta.get("date_inferred")),
        )

    @staticmethod
    def _following(gen: Generation, num: int, chars: int = 400) -> str:
        """Text of the sections after ``num`` in its document, up to ``chars`` characters."""
        out = ""
        doc = gen.doc_of[num]
        nxt = num + 1
        while len(out) < chars and nxt < gen.n and gen.doc_of[nxt] == doc:
            out += gen.stored(nxt).get("text") or ""
            nxt += 1
        return out[:chars]

    # ------------------------------------------------------------------------------------------ documents
    def document(self, doc_id: str) -> DocumentView | None:
        """A whole document with its sections in order, or None (a duplicate shows the document it repeats)."""
        gen, _ = self.live.current()
        nums = gen.doc_sections(doc_id, include_hidden=True)
        if not nums:
            return None
        doc = gen.canonical(int(gen.doc_of[nums[0]]))
        lo, hi = int(gen.doc_first[doc]), int(gen.doc_first[doc + 1])
        rows = [gen.stored(n) for n in range(lo, hi)]
        meta: dict[str, Any] = rows[0].get("meta") or {}
        others = gen.doc_number_ids(gen.duplicates.get(doc, []))
        sections = [SectionView(r["section_id"], r.get("heading"), r.get("text") or "") for r in rows]
        view = document_view(rows[0]["doc_id"], meta, sections, others, self._attachments(gen, doc_id),
                             self.base_url)
        view.relations = document_relations(gen, doc, view.doc_id, meta, "\n".join(s.text for s in sections),
                                            self.base_url)
        return view

    def references(self, docno: str | None = None, title: str | None = None) -> ExternalReferences:
        """Every reference to a 发文字号 (any brackets) or exact title, indexed or not."""
        gen, _ = self.live.current()
        return external_references(gen, docno, title, self.base_url)

    def graph(self, doc_id: str, hops: int = 2) -> Graph | None:
        """The citation graph around a document (None: no such document)."""
        gen, _ = self.live.current()
        nums = gen.doc_sections(doc_id, include_hidden=True)
        if not nums:
            return None
        doc = gen.canonical(int(gen.doc_of[nums[0]]))
        return document_graph(gen, doc, gen.stored(int(gen.doc_first[doc]))["doc_id"], hops, self.base_url)

    def _attachments(self, gen: Generation, doc_id: str) -> list[Attachment]:
        """The documents fetched from links on ``doc_id`` (each once, whatever it repeats)."""
        out: dict[str, Attachment] = {}
        for child in gen.children(doc_id):
            first = gen.stored(int(gen.doc_first[child]))
            out.setdefault(first["doc_id"], attachment(first["doc_id"], first.get("meta") or {}, self.base_url))
        return list(out.values())

    def reuse(self, doc_id: str) -> ReuseView | None:
        """The wording a document shares with other documents (None: no such document)."""
        gen, _ = self.live.current()
        nums = gen.doc_sections(doc_id, include_hidden=True)
        if not nums:
            return None
        doc = gen.canonical(int(gen.doc_of[nums[0]]))
        return self.reuse_reader.document(gen, doc, gen.stored(int(gen.doc_first[doc]))["doc_id"])

    def reuse_pairs(self, province: str | None = None, year: int | None = None, doctype: str | None = None,
                    page: int = 1, per_page: int = 20) -> ReusePairs:
        """Pairs of documents sharing wording, longest shared length first (see ReuseReader.pairs)."""
        gen, _ = self.live.current()
        return self.reuse_reader.pairs(gen, province, year, doctype, max(1, min(page, MAX_PAGE)),
                                       max(1, min(per_page, MAX_PER_PAGE)))

    def stats(self) -> Stats:
        """Documents, sections, index size (the files the current generation's manifest names) and per-facet
        counts: computed once per generation (a pass over every section; the home and reuse pages ask for
        it), and the same object answered until the next commit."""
        gen, _ = self.live.current()
        with _STATS_LOCK:
            cached = _STATS.get(gen)
        if cached is not None:
            return cached
        rows = np.flatnonzero(gen.live)
        size = sum(int(entry[0]) for entry in gen.manifest.files.values())
        stats = Stats(documents=len(representatives(gen, rows)), sections=len(rows), index_bytes=size,
                      facets=facet_counts(gen, rows))
        with _STATS_LOCK:
            _STATS[gen] = stats
        return stats


#: Each generation's statistics, kept while the generation is (:meth:`SearchService.stats`).
_STATS: weakref.WeakKeyDictionary[Generation, Stats] = weakref.WeakKeyDictionary()
_STATS_LOCK = threading.Lock()


def default_workers() -> int:
    """Processes an import may use (both cores on the target machine)."""
    import os

    return max(1, min(2, os.cpu_count() or 1))


__all__ = ["GROUPS", "MAX_PER_PAGE", "SORTS", "CountTable", "FacetValue", "SearchParams", "SearchService",
           "default_workers", "highlight_terms", "query_tree"]
