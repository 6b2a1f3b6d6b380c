"""The read side on PostgreSQL: :class:`PgBackend` implements :class:`indexer.search.backend.SearchBackend`.

A search is one read-only snapshot (:class:`indexer.pg.connect.Reader`): parse the query (the same parser
and limits), compile it and the filters to one condition (:mod:`.matching`); when ranking, read N, the
average length and each term's df (:mod:`.ranking`); then one statement materialises the matches with their
scores and returns the totals, every facet's counts (:mod:`.facets`) and the page's rows; a last one reads
the page's texts and metadata for the hits and snippets (:mod:`indexer.search.snippets`, as the embedded
backend does). The request's time budget is the statement timeout: a search that runs out comes back
empty, marked ``partial`` with the same notice, never presented as complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg

from indexer.pg import facets, occurrences, relations_view, reuse_view, schema
from indexer.pg.analysis import PgCollectionReads
from indexer.pg.connect import Reader, one, storable, where
from indexer.pg.matching import FACET_COLUMNS, Compiler, required_terms, sole_term
from indexer.pg.ranking import HeadRow, head_sql, idf_sql, key_sql, matches_sql, order_sql, rerank
from indexer.relations.results import ExternalReferences, Graph
from indexer.search.docview import attachment, document_view
from indexer.search.rankquery import RankQuery, rank_query
from indexer.search.results import (
    DocumentView,
    ExportHit,
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
from indexer.search.service import (
    EXPORT_SECONDS,
    MALFORMED_NOTICE,
    MAX_PAGE,
    MAX_PER_PAGE,
    PARTIAL_NOTICE,
    CountTable,
    SearchParams,
    _iso,
    highlight_terms,
    query_tree,
)
from indexer.search.snippets import hit_snippet
from indexer.text.normalize import normalize
from indexer.text.terms import query_words

_MATCH_COLUMNS = ("s.sec, s.doc, s.year, s.province, s.city, s.doctype, s.source, s.collection, s.issuer, s.date_lo, "
                  "s.date_hi, s.added")
_TABLES = ("tz_sources", "tz_documents", "tz_sections", "tz_section_texts", "tz_stats", "tz_meta", "tz_doc_keys",
           "tz_references", "tz_doc_status")


class PgBackend(PgCollectionReads):
    """Searches a tzsearch database (reads from ``replica_url`` when given); the collection-wide reads of the
    research analyses come from :class:`~indexer.pg.analysis.PgCollectionReads`."""

    def __init__(self, url: str, replica_url: str | None = None, base_url: str = "", budget_seconds: float = 5.0,
                 pool_size: int = 1) -> None:
        self.url = url
        self.base_url = base_url
        self.budget_seconds = budget_seconds
        self.reader = Reader(replica_url or url, pool_size)
        try:
            with self.reader.snapshot() as conn:
                schema.check(conn, where(replica_url or url))
        except BaseException:
            self.reader.close()
            raise
        query_words("统一战线")  # load the segmenter and its dictionary now, not on the first query

    def close(self) -> None:
        self.reader.close()

    # ------------------------------------------------------------------------------------------ search
    def _compile(self, conn: Any, p: SearchParams) -> tuple[Compiler, str, Any, bool, list[str]]:
        tree, degraded, added = query_tree(p.q, p.mode, p.synonyms)

        def known(field: str, value: str) -> bool:
            return conn.execute(f"SELECT EXISTS (SELECT 1 FROM tz_documents WHERE meta ->> '{field}' = %s)",
                                (value,)).fetchone()[0]

        c = Compiler(known)
        return c, c.request(tree, p), tree, degraded, added

    def search(self, p: SearchParams) -> SearchResult:
        per_page = max(1, min(p.per_page, MAX_PER_PAGE))
        page = max(1, min(p.page, MAX_PAGE))
        result = SearchResult(query=p.q, mode=p.mode, sort=p.sort, group=p.group, total=0, total_documents=0,
                              page=page, per_page=per_page, hits=[], facets=facets.facet_lists([]))
        degraded = False
        try:
            with self.reader.snapshot(self.budget_seconds) as conn:
                c, cond, tree, degraded, result.also_searched = self._compile(conn, p)
                self._run(conn, c, cond, tree, p, result)
        except psycopg.errors.QueryCanceled:
            result.partial = True
        notes = [PARTIAL_NOTICE] if result.partial else []
        if degraded:
            notes.append(MALFORMED_NOTICE)
        result.notice = "; ".join(notes) or None
        return result

    @staticmethod
    def _matches(c: Compiler, cond: str, tree: Any, p: SearchParams) -> tuple[str, RankQuery | None]:
        """(CTEs ending with ``m``, the matches with their first-stage rank — and ``h``, the head, and ``w``, the
        idfs, when ranked; the ranking terms, None when not ranked)."""
        rq = rank_query(tree)
        if p.sort in ("newest", "date", "oldest", "added") or not rq:
            return matches_sql(c, cond, _MATCH_COLUMNS, None, set()), None
        ctes = matches_sql(c, cond, _MATCH_COLUMNS, rq, required_terms(tree), sole_term(tree, p))
        return f"{ctes}, {head_sql(c, rq)}", rq

    @staticmethod
    def _head_rows(rq: RankQuery | None) -> str:
        """Union branches of the head (kind 4) and of the idfs (kind 5)."""
        if rq is None:
            return ""
        return (f"UNION ALL SELECT 4, piece, {facets.NULLS.split(', ', 1)[1]}, sec, doc, rank::real::float8, NULL, "
                f"NULL, NULL, info FROM h UNION ALL SELECT 5, {facets.NULLS}, NULL, NULL, NULL, NULL, NULL, NULL, "
                f"{idf_sql(rq)} FROM w ")

    @staticmethod
    def _reranked(rows: list[tuple[Any, ...]], rq: RankQuery | None) -> list[tuple[HeadRow, float]]:
        """The head in final order with final scores, from the kind 4 and 5 rows."""
        if rq is None:
            return []
        idfs = next(r[-1] for r in rows if r[0] == 5)
        head = [HeadRow.of(r[-7], r[-6], r[-5], r[-1], r[1]) for r in rows if r[0] == 4]
        return rerank(head, rq, idfs[:-1], idfs[-1])

    def _run(self, conn: Any, c: Compiler, cond: str, tree: Any, p: SearchParams, result: SearchResult) -> None:
        matches, rq = self._matches(c, cond, tree, p)
        ranked = rq is not None
        start = (result.page - 1) * result.per_page
        window = f"LIMIT {result.per_page} OFFSET {start}"
        grouped = p.group == "document"
        best_sec = "best[2]" if p.sort == "added" else "best[3]"
        page = (f"SELECT {best_sec}::bigint AS sec, doc, (-best[1])::real::float8 AS score FROM d ORDER BY best "
                f"{window}" if grouped else
                f"SELECT sec, doc, rank::real::float8 AS score FROM m ORDER BY {order_sql(p.sort, ranked)} {window}")
        best = "min(" + key_sql(p.sort, ranked) + ")" if grouped else "NULL::float8[]"
        per_doc = facets.WITH_STATUS.format(f"SELECT doc, {facets.SECTION_GROUP}, count(*) AS n, {best} AS best, "
                                            f"{facets.INFERRED.format('m')} AS inf "
                                            f"FROM m GROUP BY doc, {facets.SECTION_GROUP}")
        sql = (f"WITH {matches}, "
               f"d AS MATERIALIZED ({per_doc}), page AS ({page}) "
               f"SELECT 1 AS kind, {facets.GROUP_TEXT}, sum(n)::bigint AS a, count(*) AS b, NULL::float8 AS score, "
               f"NULL::bigint[] AS secs, (sum(n) FILTER (WHERE inf))::bigint AS ia, count(*) FILTER (WHERE inf) AS ib, "
               f"NULL::float8[] AS info FROM d GROUP BY {facets.GROUP} "
               f"UNION ALL SELECT 2, {facets.NULLS}, sec, doc, score, NULL, NULL, NULL, NULL FROM page "
               f"{self._head_rows(rq)}")
        if grouped:
            also = " OR doc IN (SELECT doc FROM h)" if ranked else ""
            sql += (f"UNION ALL SELECT 3, {facets.NULLS}, doc, count(*), NULL, (array_agg(sec ORDER BY sec))[1:100], "
                    f"NULL, NULL, NULL FROM m WHERE doc IN (SELECT doc FROM page){also} GROUP BY doc")
        rows = conn.execute(sql, c.params).fetchall()
        combos: list[facets.Combo] = []
        page_rows, doc_secs = [], {}
        for row in rows:  # kind, facet values, a, b, score, secs, inferred a and b, ranking info
            kind, values, (a, b, score, secs), (ia, ib) = row[0], row[1:-7], row[-7:-3], row[-3:-1]
            if kind == 1:
                combos.append((values, int(a), int(b), int(ia or 0), int(ib or 0)))
            elif kind == 2:
                page_rows.append((a, b, score))
            elif kind == 3:
                doc_secs[a] = (int(b), secs)
        result.total_documents = sum(combo[2] for combo in combos)
        result.total = result.total_documents if grouped else sum(combo[1] for combo in combos)
        result.facets = facets.from_combos(combos, by_documents=grouped)
        head = self._reranked(rows, rq)
        page_rows = _merge_head(page_rows, head, start, result.per_page, grouped, result.total)
        result.hits = self._hits(conn, page_rows, doc_secs, p, ranked)

    # ------------------------------------------------------------------------------------------ hits
    def _hits(self, conn: Any, page_rows: list[Any], doc_secs: dict[int, Any], p: SearchParams,
              ranked: bool) -> list[Hit]:
        if not page_rows:
            return []
        wanted = [r[0] for r in page_rows] + [s for _, secs in doc_secs.values() for s in secs]
        stored = self._stored(conn, wanted)
        needles = highlight_terms(p.q, p.mode, p.synonyms)
        hits = []
        for sec, doc, score in page_rows:
            hit = self._hit(conn, stored[sec], score if ranked else None, needles, p)
            if doc in doc_secs:
                hit.matches, secs = doc_secs[doc]
                hit.sections = [stored[s][2] for s in secs]
            hits.append(hit)
        return hits

    @staticmethod
    def _stored(conn: Any, secs: list[int]) -> dict[int, tuple[Any, ...]]:
        """sec → (doc, ordinal, section_id, heading, body, doc_id, meta) of these sections."""
        return {r[0]: tuple(r[1:]) for r in conn.execute(
            "SELECT s.sec, s.doc, s.ordinal, t.section_id, t.heading, t.body, d.doc_id, d.meta FROM tz_sections s "
            "JOIN tz_section_texts t ON t.doc = s.doc AND t.ordinal = s.ordinal JOIN tz_documents d ON d.doc = s.doc "
            "WHERE s.sec = ANY(%s)", (secs,)).fetchall()}

    def _hit(self, conn: Any, row: Any, score: float | None, needles: list[str], p: SearchParams) -> Hit:
        doc, ordinal, section_id, heading, text, doc_id, meta = row
        snip = hit_snippet(text, heading, needles, lambda: self._following(conn, doc, ordinal),
                           (None if meta.get("title_derived") else meta.get("title"), meta.get("title_alt")))
        return Hit(
            doc_id=doc_id, section_id=section_id, title=meta.get("title"),
            title_derived=bool(meta.get("title_derived")), heading=heading, date=meta.get("date"),
            date_precision=meta.get("date_precision"), year=meta.get("year"),
            region=Region(meta.get("province"), meta.get("city")), source=meta.get("source"),
            issuer=meta.get("issuer"), doctype=meta.get("doctype"), collection=meta.get("collection"),
            snippet=snip.text, highlights=snip.spans, score=None if score is None else round(score, 4),
            url=doc_path(doc_id, section_id, self.base_url, p.q, p.mode, p.synonyms), fetched=meta.get("fetched"),
            template=bool(meta.get("template")), added=_iso(meta.get("added")),
            date_inferred=bool(meta.get("date_inferred")),
        )

    @staticmethod
    def _following(conn: Any, doc: int, ordinal: int, chars: int = 400) -> str:
        """Text of the sections after ``ordinal`` in its document, up to ``chars`` characters."""
        out, last = "", ordinal
        while len(out) < chars:
            rows = conn.execute("SELECT ordinal, body FROM tz_section_texts WHERE doc = %s AND ordinal > %s "
                                "ORDER BY ordinal LIMIT 8", (doc, last)).fetchall()
            if not rows:
                break
            for _, body in rows:
                if len(out) >= chars:
                    break
                out += body or ""
            last = rows[-1][0]
        return out[:chars]

    def iter_hits(self, p: SearchParams, limit: int) -> Iterator[ExportHit]:
        """Every hit of a search in result order (paging ignored), at most ``limit``, streamed from one snapshot
        through a server-side cursor (memory does not grow with the count): the re-ranked head first (one
        statement), then the other matches in first-stage order. Raises :class:`TimeoutError` when the query
        cannot be evaluated completely within EXPORT_SECONDS."""
        grouped = p.group == "document"
        try:
            with self.reader.snapshot(EXPORT_SECONDS) as conn:
                c, cond, tree, _, _ = self._compile(conn, p)
                matches, rq = self._matches(c, cond, tree, p)
                ranked = rq is not None
                first: list[tuple[int, int, float, int | None]] = []
                if rq is not None:
                    # the rows of search(): kind, the facet columns, a, b, score, secs, ia, ib, info
                    sql = (f"WITH {matches} SELECT 0, {facets.NULLS}{', NULL' * 7} WHERE FALSE "
                           f"{self._head_rows(rq)}")
                    if grouped:
                        sql += (f"UNION ALL SELECT 6, {facets.NULLS}, doc, count(*){', NULL' * 5} FROM m "
                                "WHERE doc IN (SELECT doc FROM h) GROUP BY doc")
                    rows = conn.execute(sql, c.params).fetchall()
                    counts = {r[-7]: int(r[-6]) for r in rows if r[0] == 6}
                    first = [(sec, doc, score, counts.get(doc)) for sec, doc, score in
                             _head_order(self._reranked(rows, rq), grouped)][:max(0, limit)]
                    yield from self._export_rows(conn, first, p, ranked)
                m = f"WITH {matches} "
                rest = f"LIMIT {max(0, limit - len(first))} OFFSET {len(first)}"
                if grouped:
                    key = key_sql(p.sort, ranked)
                    sql = (f"{m}SELECT (min({key}))[{2 if p.sort == 'added' else 3}]::bigint, doc, "
                           f"(-(min({key}))[1])::real::float8, count(*) FROM m GROUP BY doc "
                           f"ORDER BY min({key}) {rest}")
                else:
                    sql = (f"{m}SELECT sec, doc, rank::real::float8, NULL FROM m "
                           f"ORDER BY {order_sql(p.sort, ranked)} {rest}")
                with conn.cursor(name="tz_export") as cursor:
                    cursor.execute(sql, c.params)
                    while batch := cursor.fetchmany(200):
                        yield from self._export_rows(conn, batch, p, ranked)
        except psycopg.errors.QueryCanceled:
            raise TimeoutError("the search took too long to export completely; narrow it down") from None

    def _export_rows(self, conn: Any, batch: list[Any], p: SearchParams, ranked: bool) -> Iterator[ExportHit]:
        """Export records of (sec, doc, score, matches) rows."""
        needles = highlight_terms(p.q, p.mode, p.synonyms)
        stored = self._stored(conn, [r[0] for r in batch])
        for sec, _doc, score, matches in batch:
            row = stored[sec]
            hit = self._hit(conn, row[:7], score if ranked else None, needles, p)
            if matches is not None:
                hit.matches = int(matches)
            meta = row[6]
            yield ExportHit(hit, row[4] or "", meta.get("doc_number"), meta.get("url"), meta.get("written"))

    def occurrences(self, p: SearchParams, width: int = 30, order: Callable[[Occurrence], Any] | None = None,
                    window: tuple[int, int] = (0, 50)) -> Occurrences:
        """Every occurrence of the wordings ``p`` highlights in the sections ``p`` matches, ordered by ``order``;
        the ``window`` of them resolved (:mod:`indexer.pg.occurrences`)."""
        def link(doc_id: str, section_id: str) -> str:
            return doc_path(doc_id, section_id, self.base_url, p.q, p.mode, p.synonyms)

        try:
            with self.reader.snapshot(self.budget_seconds) as conn:
                c, cond, _, _, _ = self._compile(conn, p)
                wordings = [normalize(t) for t in highlight_terms(p.q, p.mode, p.synonyms)]
                return occurrences.find(conn, c, cond, wordings, width, order, window, link)
        except psycopg.errors.QueryCanceled:
            return Occurrences(total=0, documents=0, items=[], partial=True)

    def reuse(self, doc_id: str) -> ReuseView | None:
        """The wording a document shares with other documents (None: no such document)."""
        if not storable(doc_id):
            return None
        with self.reader.snapshot(self.budget_seconds) as conn:
            return reuse_view.document(conn, doc_id, self.base_url)

    def reuse_pairs(self, province: str | None = None, year: int | None = None, doctype: str | None = None,
                    page: int = 1, per_page: int = 20) -> ReusePairs:
        """Pairs of documents sharing wording, longest shared length first."""
        with self.reader.snapshot(self.budget_seconds) as conn:
            return reuse_view.pairs(conn, self.base_url, province, year, doctype, max(1, min(page, MAX_PAGE)),
                                    max(1, min(per_page, MAX_PER_PAGE)))

    # ------------------------------------------------------------------------------------------ counts
    def count_by(self, p: SearchParams, fields: tuple[str, ...]) -> CountTable:
        """Matches (documents when grouped) per combination of values of ``fields``; one statement."""
        unknown = [f for f in fields if f not in FACET_COLUMNS and f not in ("year", "inferred")]
        if unknown:
            raise ValueError(f"cannot count by {', '.join(unknown)}")
        counts: dict[tuple[Any, ...], int] = {}
        total, partial = 0, False
        try:
            with self.reader.snapshot(self.budget_seconds) as conn:
                c, cond, _, _, _ = self._compile(conn, p)
                rows = "SELECT DISTINCT ON (s.doc) s.* FROM tz_sections s" if p.group == "document" else \
                    "SELECT s.* FROM tz_sections s"
                exprs = [facets.INFERRED.format("r") if f == "inferred" else f for f in fields]
                cols = ", ".join(exprs) or "NULL"
                group = f"GROUP BY {', '.join(exprs)}" if fields else ""
                for row in conn.execute(f"WITH r AS MATERIALIZED ({rows} WHERE {cond}) SELECT {cols}, count(*) "
                                        f"FROM r {group}", c.params).fetchall():
                    size = int(row[-1])
                    total += size
                    if fields and size:
                        counts[tuple(bool(v) if f == "inferred" else facets.stored_value(f, v)
                                     for f, v in zip(fields, row[:-1], strict=True))] = size
        except psycopg.errors.QueryCanceled:
            counts, total, partial = {}, 0, True
        return CountTable(fields=fields, counts=counts, total=total, partial=partial)

    # ------------------------------------------------------------------------------------------ documents
    def document(self, doc_id: str) -> DocumentView | None:
        """A whole document with its sections in order (a hidden duplicate shows the document it repeats)."""
        if not storable(doc_id):
            return None
        with self.reader.snapshot(self.budget_seconds) as conn:
            found = conn.execute("SELECT doc, text_hash, visible FROM tz_documents WHERE doc_id = %s ORDER BY doc "
                                 "LIMIT 1", (doc_id,)).fetchone()
            if found is None:
                return None
            same = conn.execute("SELECT doc, doc_id, visible, meta FROM tz_documents WHERE text_hash = %s "
                                "ORDER BY added, doc", (found[1],)).fetchall()
            canonical = next((r for r in same if r[2]), None) or next(r for r in same if r[0] == found[0])
            sections = conn.execute("SELECT section_id, heading, body FROM tz_section_texts WHERE doc = %s "
                                    "ORDER BY ordinal", (canonical[0],)).fetchall()
            children = conn.execute("SELECT DISTINCT ON (doc_id) doc_id, meta FROM tz_documents "
                                    "WHERE meta ->> 'parent' = %s ORDER BY doc_id, doc", (doc_id,)).fetchall()
            doc, shown_id, _, meta = canonical
            others = [r[1] for r in same if r[0] != doc] if canonical[2] else []
            attachments = [attachment(cid, cmeta, self.base_url)
                           for cid, cmeta in sorted(children, key=lambda r: r[1].get("added") or 0)]
            view = document_view(shown_id, meta, [SectionView(sid, heading, body) for sid, heading, body in sections],
                                 others, attachments, self.base_url)
            view.relations = relations_view.document_relations(conn, doc, shown_id, meta,
                                                               "\n".join(s[2] or "" for s in sections), self.base_url)
        return view

    def references(self, docno: str | None = None, title: str | None = None) -> ExternalReferences:
        """Every reference to a 发文字号 (any brackets) or exact title, indexed or not."""
        with self.reader.snapshot(self.budget_seconds) as conn:
            return relations_view.external_references(conn, docno, title, self.base_url)

    def graph(self, doc_id: str, hops: int = 2) -> Graph | None:
        """The citation graph around a document (None: no such document)."""
        with self.reader.snapshot(self.budget_seconds) as conn:
            found = conn.execute("SELECT doc, text_hash FROM tz_documents WHERE doc_id = %s ORDER BY doc LIMIT 1",
                                 (doc_id,)).fetchone()
            if found is None:
                return None
            shown = conn.execute("SELECT doc, doc_id FROM tz_documents WHERE text_hash = %s ORDER BY NOT visible, "
                                 "added, doc LIMIT 1", (found[1],)).fetchone()
            assert shown is not None  # the row just found is one of them
            return relations_view.document_graph(conn, shown[0], shown[1], hops, self.base_url)

    def stats(self) -> Stats:
        """Documents, sections, size on disk (tables and indexes) and per-facet counts."""
        with self.reader.snapshot() as conn:
            documents, sections = one(conn, "SELECT coalesce(sum(documents), 0), coalesce(sum(sections), 0) "
                                      "FROM tz_stats")
            size = one(conn, "SELECT " + " + ".join(f"pg_total_relation_size('{t}')" for t in _TABLES))[0]
            rows = conn.execute(facets.grouping_sql(
                "(SELECT v.*, coalesce(x.status, 0)::smallint AS status, "
                f"{facets.INFERRED.format('v')} AS inf FROM tz_sections v "
                "LEFT JOIN tz_doc_status x USING (doc) WHERE v.visible) v")).fetchall()
        return Stats(documents=int(documents), sections=int(sections), index_bytes=int(size),
                     facets=facets.facet_lists(rows))


def _head_order(head: list[tuple[HeadRow, float]], grouped: bool) -> list[tuple[int, int, float]]:
    """(sec, doc, score) of the head in final order; grouped, each document's first section only."""
    out: list[tuple[int, int, float]] = []
    seen: set[int] = set()
    for row, score in head:
        if grouped and row.doc in seen:
            continue
        seen.add(row.doc)
        out.append((row.sec, row.doc, score))
    return out


def _merge_head(page_rows: list[Any], head: list[tuple[HeadRow, float]], start: int, per_page: int, grouped: bool,
                total: int) -> list[Any]:
    """The page in final order: positions the head covers come from the re-ranked head, the others from the
    first-stage page (which the head does not change beyond its end: see :mod:`indexer.pg.ranking`)."""
    if not head:
        return page_rows
    first = _head_order(head, grouped)
    out = []
    for pos in range(start, min(start + per_page, total)):
        if pos < len(first):
            out.append(first[pos])
        elif pos - start < len(page_rows):
            out.append(page_rows[pos - start])
    return out
