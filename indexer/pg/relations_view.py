"""The read side of relations on PostgreSQL (what :mod:`indexer.relations.embedded` is for the embedded index):
filters as SQL conditions, a document's relations, references to a number or title, the citation graph — read
from the tables :mod:`.relations` keeps and built by :mod:`indexer.relations.view` like the embedded index's."""

from __future__ import annotations

from typing import Any

from indexer.pg.relations import signed
from indexer.relations import issuers
from indexer.relations.docno import docno_key, hash_key
from indexer.relations.extract import KINDS
from indexer.relations.graph import build_graph
from indexer.relations.resolve import STATUS_LABELS
from indexer.relations.results import DocRef, DocRelations, ExternalReferences, Graph, Mention
from indexer.relations.titles import title_key
from indexer.relations.view import InRow, OutRow, StatusRow, doc_ref, doc_relations, sentence
from indexer.search.results import doc_path

RELATION_FIELDS = ("issuer", "docno", "status")
MAX_MENTIONS = 500


def relation_condition(c: Any, name: str, value: str) -> str:
    """The condition on ``tz_sections s`` of an issuer, 发文字号 or status filter (``c``: the Compiler)."""
    if name == "issuer":
        if value == "unknown":
            return "s.issuer = ''"
        names = issuers.names(value)
        return f"string_to_array(s.issuer, '、') @> {c.param(names)}::text[]" if names else "FALSE"
    if name == "docno":
        key = hash_key(docno_key(value))
        return f"s.doc IN (SELECT k.doc FROM tz_doc_keys k WHERE k.docno_key = {c.param(signed(key))})" if key \
            else "FALSE"
    assert name == "status"
    if value not in STATUS_LABELS:
        return "FALSE"
    code = STATUS_LABELS.index(value)
    if code == 0:
        return "NOT EXISTS (SELECT 1 FROM tz_doc_status x WHERE x.doc = s.doc)"
    return f"s.doc IN (SELECT x.doc FROM tz_doc_status x WHERE x.status = {code})"


class PgSource:
    """The database's documents as :class:`indexer.relations.view.Source` (``doc`` numbers), read in one snapshot."""

    def __init__(self, conn: Any, base_url: str) -> None:
        self.conn = conn
        self.base_url = base_url
        self._refs: dict[int, DocRef] = {}
        self._texts: dict[int, str] = {}

    def prefetch(self, docs: list[int]) -> None:
        wanted = [d for d in set(docs) if d not in self._refs]
        for doc, doc_id, meta in self.conn.execute("SELECT doc, doc_id, meta FROM tz_documents WHERE doc = ANY(%s)",
                                                   (wanted,)):
            self._refs[doc] = doc_ref(doc_id, meta, doc_path(doc_id, base_url=self.base_url))

    def doc_ref(self, doc: Any) -> DocRef:
        if int(doc) not in self._refs:
            self.prefetch([int(doc)])
        return self._refs[int(doc)]

    def text(self, doc: Any) -> str:
        doc = int(doc)
        if doc not in self._texts:
            row = self.conn.execute("SELECT string_agg(body, E'\\n' ORDER BY ordinal) FROM tz_section_texts "
                                    "WHERE doc = %s", (doc,)).fetchone()
            self._texts[doc] = (row[0] if row else None) or ""
        return self._texts[doc]


def _in_rows(conn: Any, doc: int) -> list[InRow]:
    """References to ``doc`` from visible documents, citing documents oldest first (undated last), then by
    ident, each one's in text order (as the embedded index lists them)."""
    return [InRow(*r) for r in conn.execute(
        "SELECT r.doc, r.kind, r.sent_start, r.sent_end FROM tz_references r JOIN tz_documents d ON d.doc = r.doc "
        "JOIN tz_doc_keys k ON k.doc = r.doc WHERE r.target = %s AND d.visible "
        "ORDER BY CASE WHEN k.date_lo > 0 THEN k.date_lo ELSE 99999999 END, k.ident, r.ordinal", (doc,))]


def _versions(conn: Any, doc: int) -> list[tuple[str, Any]]:
    """Drafts/final and series neighbours of ``doc``, as :func:`indexer.relations.resolve.versions` gives them."""
    me = conn.execute("SELECT version_key, series_key, flags, ident, date_lo FROM tz_doc_keys WHERE doc = %s",
                      (doc,)).fetchone()
    if me is None:
        return []
    version, series, flags, ident, lo = me
    draft = bool(flags & 1)
    out: list[tuple[str, Any]] = []
    if version:
        for other, other_flags in conn.execute(
                "SELECT k.doc, k.flags FROM tz_doc_keys k JOIN tz_documents d USING (doc) WHERE d.visible AND "
                "k.version_key = %s AND k.doc <> %s ORDER BY k.date_lo, k.ident", (version, doc)):
            if bool(other_flags & 1) != draft:
                out.append(("final" if draft else "draft", other))
    if series and lo > 0 and not draft:
        near = ("SELECT k.doc FROM tz_doc_keys k JOIN tz_documents d USING (doc) WHERE d.visible AND "
                "k.series_key = %(s)s AND k.date_lo > 0 AND k.flags & 1 = 0 AND (k.date_lo, k.ident) {} "
                "(%(lo)s, %(ident)s) ORDER BY k.date_lo {}, k.ident {} LIMIT 1")
        for relation, sql in (("previous", near.format("<", "DESC", "DESC")), ("next", near.format(">", "", ""))):
            found = conn.execute(sql, {"s": series, "lo": lo, "ident": ident}).fetchone()
            if found:
                out.append((relation, found[0]))
    return out


def document_relations(conn: Any, doc: int, doc_id: str, meta: dict[str, Any], text: str,
                       base_url: str) -> DocRelations:
    """The relations of document ``doc`` (a visible one)."""
    src = PgSource(conn, base_url)
    out = [OutRow(*r) for r in conn.execute(
        "SELECT kind, span_start, span_end, sent_start, sent_end, target FROM tz_references WHERE doc = %s "
        "ORDER BY ordinal", (doc,)).fetchall()]
    src.prefetch([r.target for r in out if r.target is not None])
    incoming = _in_rows(conn, doc)
    found = conn.execute("SELECT x.status, r.kind, x.ref_doc, r.eff_date, r.sent_start, r.sent_end "
                         "FROM tz_doc_status x "
                         "JOIN tz_references r ON r.doc = x.ref_doc AND r.ordinal = x.ref_ordinal WHERE x.doc = %s",
                         (doc,)).fetchone()
    return doc_relations(doc_id, meta.get("issuer"), text, out, incoming, StatusRow(*found) if found else None,
                         _versions(conn, doc), src, base_url)


def external_references(conn: Any, docno: str | None, title: str | None, base_url: str) -> ExternalReferences:
    """Every reference from a visible document naming the number (any brackets) or the exact title."""
    src = PgSource(conn, base_url)
    dkey, tkey = hash_key(docno_key(docno)) if docno else 0, title_key(title) if title else 0
    keys = {"d": signed(dkey) if dkey else None, "t": signed(tkey) if tkey else None}
    rows = conn.execute(
        "SELECT r.doc, r.kind, r.span_start, r.span_end, r.sent_start, r.sent_end FROM tz_references r "
        "JOIN tz_documents d ON d.doc = r.doc WHERE d.visible AND (r.docno_key = %(d)s OR r.title_key = %(t)s) "
        "ORDER BY r.doc, r.ordinal", keys).fetchall()
    indexed = [r[0] for r in conn.execute(
        "SELECT k.doc FROM tz_doc_keys k JOIN tz_documents d USING (doc) WHERE d.visible AND "
        "(k.docno_key = %(d)s OR k.title_key = %(t)s) ORDER BY k.doc", keys)]
    src.prefetch([r[0] for r in rows[:MAX_MENTIONS]] + indexed)
    mentions = []
    for doc, kind, a, b, s, e in rows[:MAX_MENTIONS]:
        text = src.text(doc)
        mentions.append(Mention(document=src.doc_ref(doc), text=text[a:b], kind=KINDS[kind], start=a, end=b,
                                sentence=sentence(text, s, e)))
    return ExternalReferences(docno=docno, title=title, indexed=[src.doc_ref(d) for d in indexed],
                              documents=len({r[0] for r in rows}), total=len(rows), mentions=mentions)


def document_graph(conn: Any, doc: int, doc_id: str, hops: int, base_url: str) -> Graph:
    src = PgSource(conn, base_url)

    def neighbours(d: Any) -> list[tuple[Any, Any, int]]:
        rows = conn.execute(
            "SELECT r.doc, r.target, r.kind FROM tz_references r WHERE r.doc = %(d)s AND r.target IS NOT NULL "
            "UNION ALL SELECT r.doc, r.target, r.kind FROM tz_references r JOIN tz_documents x ON x.doc = r.doc "
            "WHERE r.target = %(d)s AND x.visible", {"d": int(d)}).fetchall()
        src.prefetch([x for r in rows for x in r[:2]])
        return [(int(a), int(b), int(k)) for a, b, k in rows]

    return build_graph(doc, doc_id, hops, neighbours, src)
