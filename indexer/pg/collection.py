"""The collection-wide reads of :mod:`indexer.search.collection` on PostgreSQL: documents' normalised text,
jieba word counts and occurrence positions, for the documents one or more searches match.

A document's continuous text is its sections' pieces joined in order (what the embedded index maps). Word
counts are the embedded index's: each section's piece segmented (``Counter(cut(piece))``, punctuation left
out, at most 255 per section) — computed here from the pieces, because the stored ``tf`` keeps only words
counted twice or more; that is the slow part of these reads, bounded by the request's time, and done once per
document and process (a cache of term-key arrays). Positions are found in each matching section's piece and
the start of its tail, as the matching verifies them (a wording longer than the tail goes through the
concordance's occurrences, :func:`indexer.pg.occurrences._positions`); offsets are characters into the
document's continuous text.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from typing import Any

import numpy as np

from indexer.index.doctext import SEP
from indexer.pg.matching import Compiler
from indexer.pg.occurrences import _positions
from indexer.pg.tokens import EXT
from indexer.search.collection import (
    DocPositions,
    Positions,
    Texts,
    WordCounts,
    names_from_texts,
    remember_words,
    sample,
)
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


#: Word counts of documents already segmented, per database and document (a document row never changes: a
#: re-imported file is a new row), least recently used dropped past _WORDS_MAX keys in all.
_WORDS: OrderedDict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_WORDS_SIZE = [0]
_WORDS_MAX = 4_000_000
_WORDS_LOCK = threading.Lock()


def _cached(where: str, docs: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    with _WORDS_LOCK:
        found = {d: _WORDS[(where, d)] for d in docs if (where, d) in _WORDS}
        for d in found:
            _WORDS.move_to_end((where, d))
    return found


def _keep(where: str, doc: int, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
    pairs = sorted((term_key(w), n) for w, n in counts.items())
    arrays = (np.array([k for k, _ in pairs], dtype=np.uint64), np.array([n for _, n in pairs], dtype=np.int64))
    with _WORDS_LOCK:
        _WORDS[(where, doc)] = arrays
        _WORDS_SIZE[0] += len(pairs)
        while _WORDS_SIZE[0] > _WORDS_MAX and len(_WORDS) > 1:
            _, (keys, _) = _WORDS.popitem(last=False)
            _WORDS_SIZE[0] -= len(keys)
    return arrays


def _doc_words(conn: Any, where: str, docs: list[int], deadline: float
               ) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], bool]:
    """Each document's word counts (term keys sorted, counts): cached ones, the others segmented now."""
    found = _cached(where, docs)
    missing = [d for d in docs if d not in found]
    if not missing:
        return found, False
    seen: set[str] = set()
    current, counts = None, Counter[str]()
    partial = False
    with conn.cursor(name="tz_words") as cursor:
        cursor.execute("SELECT doc, piece FROM tz_sections WHERE doc = ANY(%s) ORDER BY doc, ordinal", (missing,))
        while batch := cursor.fetchmany(500):
            if time.monotonic() > deadline:
                partial = True
                break
            for doc, piece in batch:
                if doc != current:
                    if current is not None:
                        found[current] = _keep(where, current, counts)
                    current, counts = doc, Counter()
                for w, n in Counter(cut(piece)).items():
                    if is_word(w):
                        counts[w] += min(n, 255)
                        seen.add(w)
    if current is not None and not partial:
        found[current] = _keep(where, current, counts)
    remember_words(seen)
    return found, partial


def word_names(conn: Any, where: str, keys: list[int]) -> dict[int, str]:
    """Words of term keys: remembered ones, the others found in a document whose counts hold the key."""
    def text_of(key: int) -> str | None:
        with _WORDS_LOCK:
            holder = next((doc for (w, doc), (ks, _) in _WORDS.items() if w == where and len(ks)
                           and ks[min(int(np.searchsorted(ks, np.uint64(key))), len(ks) - 1)] == key), None)
        if holder is None:
            return None
        return "\n".join(r[0] for r in conn.execute(
            "SELECT piece FROM tz_sections WHERE doc = %s ORDER BY ordinal", (holder,)))

    return names_from_texts(keys, text_of)


def word_counts(conn: Any, where: str, groups: list[tuple[Compiler, str]], deadline: float) -> list[WordCounts]:
    """:class:`WordCounts` per group: each document's pieces segmented (module docstring), once per document and
    process (``where`` names the database)."""
    union, member = membership(conn, groups)
    per_doc, partial = _doc_words(conn, where, union.tolist(), deadline)
    out = []
    for g in range(len(groups)):
        docs = [d for d, inside in zip(union.tolist(), member[:, g].tolist(), strict=True) if inside and d in per_doc]
        keys = np.concatenate([per_doc[d][0] for d in docs]) if docs else np.zeros(0, np.uint64)
        counts = np.concatenate([per_doc[d][1] for d in docs]) if docs else np.zeros(0, np.int64)
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
        new = np.concatenate(([True], keys[1:] != keys[:-1])) if len(keys) else np.zeros(0, bool)
        out.append(WordCounts(keys[new], np.add.reduceat(counts, np.flatnonzero(new)) if len(keys) else counts,
                              int(member[:, g].sum()), partial=partial))
    return out


def _starts(conn: Any, c: Compiler, cond: str, wording: str) -> list[tuple[int, int]]:
    """(document, character offset) of every occurrence of ``wording`` starting in a section of ``cond``: found in
    the section's piece and the start of its tail (the text after it), as :mod:`.matching` verifies them."""
    out = []
    n = len(wording)
    for doc, start_char, piece, tail in conn.execute(
            f"SELECT s.doc, s.start_char, s.piece, s.tail FROM tz_sections s WHERE {cond} AND "
            f"{c.exact(wording).sql()}", c.params):
        text = piece + tail[:n - 1]
        at = text.find(wording)
        while at != -1 and at < len(piece):
            out.append((doc, start_char + at))
            at = text.find(wording, at + 1)
    return out


def positions(conn: Any, c: Compiler, cond: str, filters: tuple[Compiler, str], wordings: list[str]) -> Positions:
    """Occurrences of the normalised ``wordings`` in the sections of ``cond``, by document, with character
    offsets; documents and characters per year of the documents under ``filters``."""
    metas: dict[int, Any] = {}
    offsets: dict[int, list[int]] = {}
    total = 0
    for w, wording in enumerate(dict.fromkeys(x for x in wordings if x and SEP not in x)):
        if len(wording) > EXT + 1:  # longer than a piece's tail: the concordance's reading of the neighbours
            found = [(doc, at) for _sec, doc, at, *_ in _positions(conn, c, cond, wording, w, 1, metas)]
        else:
            found = _starts(conn, c, cond, wording)
        for doc, at in found:
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
                                sorted(offsets[doc]), bool(meta.get("date_inferred"))))
    fc, fcond = filters
    years = {(int(y) or None): (int(n), int(chars or 0)) for y, n, chars in conn.execute(
        f"SELECT s.year, count(DISTINCT s.doc), sum(s.piece_len) FROM tz_sections s WHERE s.doc IN "
        f"(SELECT DISTINCT s.doc FROM tz_sections s WHERE {fcond}) GROUP BY s.year", fc.params)}
    return Positions(out, total, years)
