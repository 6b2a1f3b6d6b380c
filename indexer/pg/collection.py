"""The collection-wide reads of :mod:`indexer.search.collection` on PostgreSQL: documents' normalised text,
jieba word counts and occurrence positions, for the documents one or more searches match.

A document's continuous text is its sections' pieces joined in order (what the embedded index maps). Word
counts are the embedded index's: each section's piece segmented (``Counter(cut(piece))``, punctuation left
out, at most 255 per section) — computed here from the pieces, because the stored ``tf`` keeps only words
counted twice or more; that is the slow part of these reads, bounded by the request's time. Positions come
from the concordance's occurrences (:func:`indexer.pg.occurrences._positions`), whose offsets are already
characters into the document's text.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import numpy as np

from indexer.pg.matching import Compiler
from indexer.pg.occurrences import _positions
from indexer.search.collection import DocPositions, Positions, Texts, WordCounts, remember_words, sample
from indexer.search.results import Region
from indexer.text.segment import cut
from indexer.text.terms import is_word, term_key

_CHUNK = 400  # documents read per statement


def _docs(conn: Any, c: Compiler, cond: str) -> set[int]:
    return {r[0] for r in conn.execute(f"SELECT DISTINCT s.doc FROM tz_sections s WHERE {cond}", c.params)}


def membership(conn: Any, groups: list[tuple[Compiler, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(documents in index order, documents × groups membership) of the groups' matching documents."""
    sets = [_docs(conn, c, cond) for c, cond in groups]
    union = np.array(sorted(set().union(*sets)), dtype=np.int64)
    member = np.zeros((len(union), len(groups)), dtype=bool)
    for g, found in enumerate(sets):
        member[:, g] = np.isin(union, np.fromiter(found, dtype=np.int64, count=len(found)))
    return union, member


def texts(conn: Any, groups: list[tuple[Compiler, str]], max_bytes: int, deadline: float) -> Texts:
    """:class:`Texts` of the documents each group matches (``deadline``: time.monotonic() to stop at)."""
    union, member = membership(conn, groups)
    sizes = dict(conn.execute("SELECT doc, sum(bytes) FROM tz_sections WHERE doc = ANY(%s) GROUP BY doc",
                              (union.tolist(),)).fetchall())
    size = np.array([int(sizes.get(d, 0)) for d in union.tolist()], dtype=np.int64)
    keep = sample(size, member, max_bytes)
    chosen = union[keep].tolist()
    found: dict[int, tuple[int, str]] = {}
    for i in range(0, len(chosen), _CHUNK):
        if time.monotonic() > deadline:
            break
        for doc, year, text in conn.execute(
                "SELECT doc, max(year), string_agg(piece, '' ORDER BY ordinal) FROM tz_sections "
                "WHERE doc = ANY(%s) GROUP BY doc", (chosen[i:i + _CHUNK],)):
            found[doc] = (int(year or 0), text or "")
    rows = [k for k, d in enumerate(union.tolist()) if keep[k] and d in found]
    docs = union[rows].tolist()
    return Texts([found[d][1] for d in docs], [found[d][0] or None for d in docs], member[rows],
                 member.sum(axis=0).tolist(), member[rows].sum(axis=0).tolist(), partial=len(rows) < len(union),
                 bytes_matched=int(size.sum()), bytes_analysed=int(size[rows].sum()))


def word_counts(conn: Any, groups: list[tuple[Compiler, str]], deadline: float) -> list[WordCounts]:
    """:class:`WordCounts` per group, segmenting the pieces of the groups' documents (module docstring)."""
    union, member = membership(conn, groups)
    counters = [Counter[str]() for _ in groups]
    names: dict[int, str] = {}
    partial = False
    index = {d: k for k, d in enumerate(union.tolist())}
    with conn.cursor(name="tz_words") as cursor:
        cursor.execute("SELECT doc, piece FROM tz_sections WHERE visible AND doc = ANY(%s)", (union.tolist(),))
        while batch := cursor.fetchmany(500):
            if time.monotonic() > deadline:
                partial = True
                break
            for doc, piece in batch:
                tf = {w: min(n, 255) for w, n in Counter(cut(piece)).items() if is_word(w)}
                for g in np.flatnonzero(member[index[doc]]).tolist():
                    counters[g].update(tf)
    for counter in counters:
        for w in counter:
            names.setdefault(term_key(w), w)
    remember_words(set(names.values()))
    out = []
    for g, counter in enumerate(counters):
        pairs = sorted((term_key(w), n) for w, n in counter.items())
        out.append(WordCounts(np.array([k for k, _ in pairs], dtype=np.uint64),
                              np.array([n for _, n in pairs], dtype=np.int64), int(member[:, g].sum()),
                              partial=partial, names=names))
    return out


def positions(conn: Any, c: Compiler, cond: str, filters: tuple[Compiler, str], wordings: list[str]) -> Positions:
    """Occurrences of the normalised ``wordings`` in the sections of ``cond``, by document, with character
    offsets; documents and characters per year of the documents under ``filters``."""
    metas: dict[int, Any] = {}
    offsets: dict[int, list[int]] = {}
    total = 0
    for w, wording in enumerate(dict.fromkeys(x for x in wordings if x)):
        for _sec, doc, at, *_ in _positions(conn, c, cond, wording, w, 1, metas):
            offsets.setdefault(doc, []).append(at)
            total += 1
    docs = sorted(offsets)
    out: list[DocPositions] = []
    for doc, doc_id, meta, chars in conn.execute(
            "SELECT d.doc, d.doc_id, d.meta, (SELECT sum(piece_len) FROM tz_sections x WHERE x.doc = d.doc) "
            "FROM tz_documents d WHERE d.doc = ANY(%s) ORDER BY d.doc", (docs,)):
        out.append(DocPositions(doc_id, meta.get("title"), bool(meta.get("title_derived")), meta.get("date"),
                                meta.get("date_precision"), meta.get("year"),
                                Region(meta.get("province"), meta.get("city")), int(chars or 0),
                                sorted(offsets[doc])))
    fc, fcond = filters
    years = {(int(y) or None): (int(n), int(chars or 0)) for y, n, chars in conn.execute(
        f"SELECT s.year, count(DISTINCT s.doc), sum(s.piece_len) FROM tz_sections s WHERE s.doc IN "
        f"(SELECT DISTINCT s.doc FROM tz_sections s WHERE {fcond}) GROUP BY s.year", fc.params)}
    return Positions(out, total, years)
