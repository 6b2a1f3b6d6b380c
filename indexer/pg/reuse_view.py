"""The read side of shared passages on PostgreSQL (what :mod:`indexer.reuse.view` is for the embedded index):
a document's shared passages in displayed-text offsets, and the corpus's pairs by shared length — from the
tables :mod:`.reuse` keeps, mapped onto the visible documents by text hash."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from indexer.index.doctext import SEP
from indexer.pg.tokens import date_bounds
from indexer.reuse.view import MAX_SHARED, Display, earlier_of, union
from indexer.search.results import (
    UNKNOWN_VALUE,
    PairDocument,
    Region,
    ReusePair,
    ReusePairs,
    ReuseView,
    SharedDocument,
    SharedSpan,
    doc_path,
)

#: A visible document: its number, doc_id, metadata and date bounds.
Doc = tuple[int, str, dict[str, Any], tuple[int, int]]


def _spans(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.int32).reshape(-1, 4)


def _docs(conn: Any, keys: list[int]) -> dict[int, Doc]:
    """text hash → the visible document holding that text."""
    out = {}
    for doc, key, doc_id, meta in conn.execute(
            "SELECT doc, text_hash, doc_id, meta FROM tz_documents WHERE visible AND text_hash = ANY(%s)", (keys,)):
        out[int(key)] = (doc, doc_id, meta, date_bounds(meta.get("date"), meta.get("date_precision"), meta.get("year")))
    return out


def _lengths(conn: Any, keys: list[int]) -> dict[int, int]:
    return {int(k): int(n) for k, n in conn.execute(
        "SELECT text_hash, length FROM tz_reuse_docs WHERE text_hash = ANY(%s)", (keys,))}


def _display(conn: Any, doc: int) -> Display:
    rows = conn.execute("SELECT t.body, s.piece FROM tz_section_texts t JOIN tz_sections s ON s.doc = t.doc "
                        "AND s.ordinal = t.ordinal WHERE t.doc = %s ORDER BY t.ordinal", (doc,)).fetchall()
    return Display([body or "" for body, _ in rows], [len(piece.rsplit(SEP, 1)[-1]) for _, piece in rows])


def document(conn: Any, doc_id: str, base_url: str) -> ReuseView | None:
    """The wording a document shares with every other document (None: no such document)."""
    found = conn.execute("SELECT text_hash FROM tz_documents WHERE doc_id = %s ORDER BY doc LIMIT 1",
                         (doc_id,)).fetchone()
    if found is None:
        return None
    key = int(found[0])
    this_doc = _docs(conn, [key]).get(key)
    if this_doc is None:
        return None
    length = _lengths(conn, [key]).get(key)
    if length is None:
        return ReuseView(doc_id=this_doc[1], analysed=False, shared_total=0, shared=[])
    pairs = conn.execute("SELECT a, b, spans FROM tz_reuse_pairs WHERE a = %s OR b = %s", (key, key)).fetchall()
    others = [int(b) if int(a) == key else int(a) for a, b, _ in pairs]
    docs, lengths = _docs(conn, others), _lengths(conn, others)
    entries = []
    for (a, _b, data), other in zip(pairs, others, strict=True):
        if other not in docs:
            continue
        spans = _spans(data) if int(a) == key else _spans(data)[:, [2, 3, 0, 1]]
        entries.append((union(spans[:, :2]), docs[other][0], other, spans))
    entries.sort(key=lambda e: (-e[0], e[1]))
    this = _display(conn, this_doc[0])
    shared = [_shared(conn, this_doc, this, length, docs[e[2]], lengths[e[2]], e[0], e[3], base_url)
              for e in entries[:MAX_SHARED]]
    return ReuseView(doc_id=this_doc[1], analysed=True, shared_total=len(entries), shared=shared)


def _shared(conn: Any, this_doc: Doc, this: Display, length: int, other: Doc, other_length: int, chars: int,
            spans: np.ndarray, base_url: str) -> SharedDocument:
    that = _display(conn, other[0])
    out = []
    for a0, a1, b0, b1 in spans.tolist():
        s, e, os_, oe = this.at(a0), this.at(a1, end=True), that.at(b0), that.at(b1, end=True)
        out.append(SharedSpan(s, e, os_, oe, this.displayed[s:e], that.displayed[os_:oe]))
    side = {"a": "this", "b": "other"}.get(earlier_of(*this_doc[3], *other[3]), "unknown")
    meta = other[2]
    return SharedDocument(
        doc_id=other[1], title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
        date=meta.get("date"), chars=chars, coverage=round(chars / max(length, 1), 4),
        other_coverage=round(union(spans[:, 2:]) / max(other_length, 1), 4), earlier=side,
        template=bool(meta.get("template")), url=doc_path(other[1], base_url=base_url), spans=out)


def _matches(meta: dict[str, Any], province: str | None, year: int | None, doctype: str | None) -> bool:
    for name, value in (("province", province), ("doctype", doctype)):
        if value and (meta.get(name) or None) != (None if value == UNKNOWN_VALUE else value):
            return False
    return year is None or int(meta.get("year") or 0) == year


def pairs(conn: Any, base_url: str, province: str | None = None, year: int | None = None,
          doctype: str | None = None, page: int = 1, per_page: int = 20) -> ReusePairs:
    """Pairs by shared length, longest first (ties in the order the texts were numbered); a pair is listed
    when one of its documents matches every filter given (``year`` 0: undated)."""
    row = conn.execute("SELECT value FROM tz_meta WHERE key = 'reuse_order'").fetchone()
    position = {k - (1 << 64) if k >= 1 << 63 else k: i for i, k in enumerate(json.loads(row[0]) if row else [])}
    rows = conn.execute("SELECT a, b, spans FROM tz_reuse_pairs").fetchall()
    keys = sorted({int(k) for a, b, _ in rows for k in (a, b)})
    docs, lengths = _docs(conn, keys), _lengths(conn, keys)
    listed = []
    for a, b, data in rows:
        a, b = int(a), int(b)
        if a not in docs or b not in docs:
            continue
        if (province or year is not None or doctype) and not (
                _matches(docs[a][2], province, year, doctype) or _matches(docs[b][2], province, year, doctype)):
            continue
        spans = _spans(data)
        chars = int(np.minimum(spans[:, 1] - spans[:, 0], spans[:, 3] - spans[:, 2]).sum())
        listed.append((-chars, position.get(a, 0), position.get(b, 0), a, b, spans, chars))
    listed.sort(key=lambda x: x[:3])
    start = (page - 1) * per_page
    out = [_pair(docs[a], docs[b], spans, chars, lengths[a], lengths[b], base_url)
           for _, _, _, a, b, spans, chars in listed[start:start + per_page]]
    return ReusePairs(total=len(listed), page=page, per_page=per_page, pairs=out)


def _pair(a: Doc, b: Doc, spans: np.ndarray, chars: int, length_a: int, length_b: int, base_url: str) -> ReusePair:
    side = earlier_of(*a[3], *b[3])
    sides = [_side(a, union(spans[:, :2]), length_a, base_url), _side(b, union(spans[:, 2:]), length_b, base_url)]
    if side == "b":
        sides.reverse()
    return ReusePair(a=sides[0], b=sides[1], chars=chars, spans=len(spans),
                     earlier="a" if side != "unknown" else "unknown")


def _side(d: Doc, chars: int, length: int, base_url: str) -> PairDocument:
    meta = d[2]
    return PairDocument(
        doc_id=d[1], title=meta.get("title"), title_derived=bool(meta.get("title_derived")), date=meta.get("date"),
        region=Region(meta.get("province"), meta.get("city")), doctype=meta.get("doctype"),
        template=bool(meta.get("template")), url=doc_path(d[1], base_url=base_url), chars=chars,
        coverage=round(chars / max(length, 1), 4))
