"""The read side of the reuse data: a document's shared passages, and the corpus's pairs, for search.

:class:`ReuseReader` follows ``<index>/reuse/`` (a new version is picked up on the next call) and maps its
documents, identified by text hash, onto the generation being served. Offsets are converted from reuse-text
offsets (normalised characters) to the *displayed* text — a document's sections' text joined by newlines —
one section at a time with :func:`indexer.text.normalize.normalize_with_offsets`.

Which document is earlier comes from the dates: one is earlier when its latest possible day is before the
other's earliest; the same day, overlapping year-only dates or a missing date give ``unknown``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from indexer.arrays import distinct
from indexer.reuse import store
from indexer.reuse.fingerprints import section_texts
from indexer.search.generation import Generation
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
from indexer.text.normalize import normalize_with_offsets

MAX_SHARED = 200


class Display:
    """Reuse-text offsets of one document → offsets in its displayed text, from its sections' original
    ``texts`` and the ``lengths`` of their normalised text (reuse text)."""

    def __init__(self, texts: list[str], lengths: list[int]) -> None:
        self.texts = texts
        self.norm_starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        self.disp_starts = np.concatenate(([0], np.cumsum([len(t) + 1 for t in self.texts]))).astype(np.int64)
        self.displayed = "\n".join(self.texts)
        self._origins: dict[int, list[int]] = {}

    def _origin(self, i: int) -> list[int]:
        if i not in self._origins:
            self._origins[i] = normalize_with_offsets(self.texts[i])[1]
        return self._origins[i]

    def at(self, x: int, end: bool = False) -> int:
        """Displayed offset of reuse-text offset ``x`` (``end``: of the character before ``x``, plus one)."""
        y = x - 1 if end else x
        i = int(np.searchsorted(self.norm_starts, y, side="right")) - 1
        i = max(0, min(i, len(self.texts) - 1))
        origin = self._origin(i)
        local = max(0, min(y - int(self.norm_starts[i]), len(origin) - 1))
        return int(self.disp_starts[i]) + origin[local] + (1 if end else 0)


def _display(gen: Generation, doc: int) -> Display:
    lo, hi = int(gen.doc_first[doc]), int(gen.doc_first[doc + 1])
    return Display([gen.stored(n).get("text") or "" for n in range(lo, hi)], [len(t) for t in section_texts(gen, doc)])


def earlier(gen: Generation, a: int, b: int) -> str:
    """"a", "b" or "unknown": which of two global documents is dated earlier."""
    fa, fb = int(gen.doc_first[a]), int(gen.doc_first[b])
    return earlier_of(int(gen.date_lo[fa]), int(gen.date_hi[fa]), int(gen.date_lo[fb]), int(gen.date_hi[fb]))


def earlier_of(lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> str:
    """"a", "b" or "unknown", from the two documents' date bounds (YYYYMMDD, 0 when undated)."""
    if not lo_a or not lo_b:
        return "unknown"
    if hi_a < lo_b:
        return "a"
    if hi_b < lo_a:
        return "b"
    return "unknown"


def union(spans: np.ndarray) -> int:
    """Characters covered by the spans (rows of [start, end))."""
    total, end = 0, -1
    for s, e in sorted(spans.tolist()):
        if e > end:
            total += e - max(s, end)
            end = e
    return total


class ReuseReader:
    """The reuse data of one index, as the search backend serves it."""

    def __init__(self, index_dir: Path, base_url: str = "") -> None:
        self.index_dir = Path(index_dir)
        self.base_url = base_url
        self._lock = threading.Lock()
        self._name: str | None = None
        self._data: store.ReuseData | None = None
        self._by_doc: tuple[np.ndarray, np.ndarray] = (np.zeros(1, np.int64), np.zeros(0, np.int64))
        self._order = np.zeros(0, np.int64)
        self._map_key: tuple[int, int] | None = None
        self._map = np.zeros(0, np.int64)

    # ------------------------------------------------------------------------------------------ loading
    def data(self) -> store.ReuseData | None:
        name = store.current_version(self.index_dir)
        with self._lock:
            if name != self._name:
                self._data = store.load(self.index_dir)
                self._name = name
                if self._data is not None:
                    d = self._data
                    ends = np.concatenate([np.asarray(d.pair_a), np.asarray(d.pair_b)]).astype(np.int64)
                    pair_ids = np.tile(np.arange(len(d.pair_a)), 2)
                    order = np.argsort(ends, kind="stable")
                    offs = np.searchsorted(ends[order], np.arange(d.documents + 1))
                    self._by_doc = (offs.astype(np.int64), pair_ids[order])
                    self._order = np.argsort(np.asarray(d.keys))
            return self._data

    def _store_to_gen(self, gen: Generation, data: store.ReuseData) -> np.ndarray:
        """Global document number of each stored document (-1: not in this generation)."""
        with self._lock:
            if self._map_key != (gen.generation, data.version):
                docs = distinct(gen.doc_of[gen.live], already_sorted=True).astype(np.int64)
                hashes = gen.doc_hash[docs]
                order = np.argsort(hashes)
                keys = np.asarray(data.keys)
                at = np.minimum(np.searchsorted(hashes[order], keys), max(len(docs) - 1, 0))
                found = (hashes[order][at] == keys) if len(docs) else np.zeros(len(keys), bool)
                self._map = np.where(found, docs[order][at] if len(docs) else -1, -1)
                self._map_key = (gen.generation, data.version)
            return self._map

    def _index_of(self, data: store.ReuseData, key: int) -> int | None:
        keys = np.asarray(data.keys)
        i = int(np.searchsorted(keys[self._order], np.uint64(key)))
        if i < len(keys) and int(keys[self._order[i]]) == key:
            return int(self._order[i])
        return None

    # ------------------------------------------------------------------------------------------ views
    def document(self, gen: Generation, doc: int, doc_id: str) -> ReuseView:
        """The wording global document ``doc`` shares with every other document."""
        data = self.data()
        idx = None if data is None else self._index_of(data, int(gen.doc_hash[doc]))
        if data is None or idx is None:
            return ReuseView(doc_id=doc_id, analysed=False, shared_total=0, shared=[])
        to_gen = self._store_to_gen(gen, data)
        offs, pair_ids = self._by_doc
        entries = []
        for p in pair_ids[offs[idx]:offs[idx + 1]].tolist():
            a, b = int(data.pair_a[p]), int(data.pair_b[p])
            other = b if a == idx else a
            if to_gen[other] < 0:
                continue
            spans = data.pair_spans(p)
            if a != idx:
                spans = spans[:, [2, 3, 0, 1]]
            entries.append((union(spans[:, :2]), int(to_gen[other]), other, spans))
        entries.sort(key=lambda e: (-e[0], e[1]))
        this = _display(gen, doc)
        shared = [self._shared(gen, data, doc, idx, e, this) for e in entries[:MAX_SHARED]]
        return ReuseView(doc_id=doc_id, analysed=True, shared_total=len(entries), shared=shared)

    def _shared(self, gen: Generation, data: store.ReuseData, doc: int, idx: int, entry: tuple[Any, ...],
                this: Display) -> SharedDocument:
        chars, other_doc, other, spans = entry
        meta = _meta(gen, other_doc)
        that = _display(gen, other_doc)
        out = []
        for a0, a1, b0, b1 in spans.tolist():
            s, e, os_, oe = this.at(a0), this.at(a1, end=True), that.at(b0), that.at(b1, end=True)
            out.append(SharedSpan(s, e, os_, oe, this.displayed[s:e], that.displayed[os_:oe]))
        side = {"a": "this", "b": "other"}.get(earlier(gen, doc, other_doc), "unknown")
        return SharedDocument(
            doc_id=meta["doc_id"], title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
            date=meta.get("date"), chars=chars, coverage=round(chars / max(int(data.lengths[idx]), 1), 4),
            other_coverage=round(union(spans[:, 2:]) / max(int(data.lengths[other]), 1), 4), earlier=side,
            template=bool(meta.get("template")), url=doc_path(meta["doc_id"], base_url=self.base_url), spans=out)

    def pairs(self, gen: Generation, province: str | None = None, year: int | None = None,
              doctype: str | None = None, page: int = 1, per_page: int = 20) -> ReusePairs:
        """Pairs by shared length, longest first; a pair is listed when one of its documents matches every
        filter given (``year`` 0: undated)."""
        data = self.data()
        if data is None or not len(data.pair_a):
            return ReusePairs(total=0, page=page, per_page=per_page, pairs=[])
        to_gen = self._store_to_gen(gen, data)
        ga, gb = to_gen[np.asarray(data.pair_a)], to_gen[np.asarray(data.pair_b)]
        ok = (ga >= 0) & (gb >= 0)
        if province or year is not None or doctype:
            ok &= self._matches(gen, ga, province, year, doctype) | self._matches(gen, gb, province, year, doctype)
        rows = np.flatnonzero(ok)
        spans = np.asarray(data.spans)
        shortest = np.minimum(spans[:, 1] - spans[:, 0], spans[:, 3] - spans[:, 2]).astype(np.int64)
        csum = np.concatenate(([0], np.cumsum(shortest)))
        chars = csum[np.asarray(data.span_offs)[rows + 1]] - csum[np.asarray(data.span_offs)[rows]]
        order = rows[np.lexsort((rows, -chars))]
        chars_of = dict(zip(rows.tolist(), chars.tolist(), strict=True))
        start = (page - 1) * per_page
        out = [self._pair(gen, data, int(p), int(ga[p]), int(gb[p]), chars_of[int(p)])
               for p in order[start:start + per_page]]
        return ReusePairs(total=len(rows), page=page, per_page=per_page, pairs=out)

    @staticmethod
    def _matches(gen: Generation, docs: np.ndarray, province: str | None, year: int | None,
                 doctype: str | None) -> np.ndarray:
        first = gen.doc_first[np.maximum(docs, 0)]
        ok = docs >= 0
        for name, value in (("province", province), ("doctype", doctype)):
            if value:
                vocab = gen.vocab[name]
                code = 0 if value == UNKNOWN_VALUE else vocab.index(value) if value in vocab else -1
                ok &= gen.codes[name][first] == code
        if year is not None:
            ok &= gen.year[first] == year
        return ok

    def _pair(self, gen: Generation, data: store.ReuseData, p: int, a: int, b: int, chars: int) -> ReusePair:
        spans = data.pair_spans(p)
        side = earlier(gen, a, b)
        docs = [self._side(gen, a, union(spans[:, :2]), int(data.lengths[int(data.pair_a[p])])),
                self._side(gen, b, union(spans[:, 2:]), int(data.lengths[int(data.pair_b[p])]))]
        if side == "b":
            docs.reverse()
        return ReusePair(a=docs[0], b=docs[1], chars=chars, spans=len(spans), earlier="a" if side != "unknown"
                         else "unknown")

    def _side(self, gen: Generation, doc: int, chars: int, length: int) -> PairDocument:
        meta = _meta(gen, doc)
        return PairDocument(
            doc_id=meta["doc_id"], title=meta.get("title"), title_derived=bool(meta.get("title_derived")),
            date=meta.get("date"), region=Region(meta.get("province"), meta.get("city")), doctype=meta.get("doctype"),
            template=bool(meta.get("template")), url=doc_path(meta["doc_id"], base_url=self.base_url), chars=chars,
            coverage=round(chars / max(length, 1), 4))


def _meta(gen: Generation, doc: int) -> dict[str, Any]:
    st = gen.stored(int(gen.doc_first[doc]))
    return {**(st.get("meta") or {}), "doc_id": st["doc_id"]}
