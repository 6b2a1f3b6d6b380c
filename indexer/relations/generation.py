"""Relations of one generation of the embedded index: its parts' relation columns (:mod:`.columns`) put
together and resolved (:mod:`.resolve`) once per generation, the first time they are asked for (the generation
watcher asks as soon as it loads one, off the request path). Nothing is stored beside the index: a reader
sees exactly the relations of the generation it searches, never another's.

Also what search asks of them: the ``issuer``, ``docno`` and ``status`` filters as masks over sections, and
the ``issuer`` (each of a joint value) and ``status`` facet counts.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from indexer.relations import issuers
from indexer.relations.docno import docno_key, hash_key
from indexer.relations.resolve import STATUS_LABELS, Documents, References, Resolution, cited_by, resolve
from indexer.search.generation import Generation

_cache: weakref.WeakKeyDictionary[Generation, GenerationRelations] = weakref.WeakKeyDictionary()
_issuer_cache: weakref.WeakKeyDictionary[Generation, IssuerMap] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _cat(gen: Generation, name: str, dtype: type) -> np.ndarray:
    arrays = [np.asarray(p.part.arrays[name]) for p in gen.parts]
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)


@dataclass
class GenerationRelations:
    """The resolved relations of a generation (document indices are its global document numbers)."""

    docs: Documents
    refs: References
    spans: np.ndarray
    resolution: Resolution
    cited_order: np.ndarray
    cited_offsets: np.ndarray
    section_status: np.ndarray

    @classmethod
    def build(cls, gen: Generation) -> GenerationRelations:
        ndocs = gen.documents_all
        live = np.zeros(ndocs, dtype=bool)
        live[gen.doc_of[gen.live]] = True
        firsts = gen.doc_first[:-1]
        docs = Documents(live=live, docno=_cat(gen, "rel_docno", np.uint64), title=_cat(gen, "rel_title", np.uint64),
                         date_lo=gen.date_lo[firsts].astype(np.int64), date_hi=gen.date_hi[firsts].astype(np.int64),
                         ident=_cat(gen, "rel_ident", np.uint64),
                         version=_cat(gen, "rel_version", np.uint64), series=_cat(gen, "rel_series", np.uint64),
                         flags=_cat(gen, "rel_flags", np.uint8))
        counts = np.concatenate([np.diff(np.asarray(p.part.arrays["ref_offs"], dtype=np.int64)) for p in gen.parts]) \
            if gen.parts else np.zeros(0, np.int64)
        src = np.repeat(np.arange(ndocs, dtype=np.int64), counts)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if len(counts) else np.zeros(0, np.int64)
        refs = References(src=src, ordinal=np.arange(len(src), dtype=np.int64) - np.repeat(starts, counts),
                          kind=_cat(gen, "ref_kind", np.uint8), docno=_cat(gen, "ref_docno", np.uint64),
                          title=_cat(gen, "ref_title", np.uint64), year=_cat(gen, "ref_year", np.int16),
                          date=_cat(gen, "ref_date", np.int32))
        spans = np.concatenate([np.asarray(p.part.arrays["ref_span"], dtype=np.int64).reshape(-1, 4)
                                for p in gen.parts]) if gen.parts else np.zeros((0, 4), np.int64)
        resolution = resolve(docs, refs)
        order, offsets = cited_by(docs, refs, resolution)
        return cls(docs, refs, spans, resolution, order, offsets, resolution.status[gen.doc_of])

    def refs_of(self, doc: int) -> np.ndarray:
        """Indices of a document's references, in text order."""
        lo = int(np.searchsorted(self.refs.src, doc, side="left"))
        hi = int(np.searchsorted(self.refs.src, doc, side="right"))
        return np.arange(lo, hi)

    def citing(self, doc: int) -> np.ndarray:
        """Indices of the references resolved to ``doc`` (from live documents), by citing document."""
        return self.cited_order[int(self.cited_offsets[doc]):int(self.cited_offsets[doc + 1])]


def relations_of(gen: Generation) -> GenerationRelations:
    """The relations of ``gen``, built on first use and kept as long as the generation is."""
    found = _cache.get(gen)
    if found is None:
        with _lock:
            found = _cache.get(gen)
            if found is None:
                found = _cache[gen] = GenerationRelations.build(gen)
    return found


# ---------------------------------------------------------------------------------------------- search
@dataclass
class IssuerMap:
    """The generation's issuer facet codes (joint values) mapped onto single issuers: ``names`` (sorted) and,
    per (code, name) membership, ``code``/``name`` indices — so counts and filters are array operations."""

    names: list[str]
    code: np.ndarray
    name: np.ndarray

    @classmethod
    def of(cls, gen: Generation) -> IssuerMap:
        found = _issuer_cache.get(gen)
        if found is None:
            members = [(c, n) for c, value in enumerate(gen.vocab["issuer"]) if value for n in issuers.names(value)]
            names = sorted({n for _, n in members})
            index = {n: i for i, n in enumerate(names)}
            found = cls(names, np.array([c for c, _ in members], dtype=np.int64),
                        np.array([index[n] for _, n in members], dtype=np.int64))
            with _lock:
                _issuer_cache[gen] = found
        return found


def _status_code(value: str) -> int | None:
    return STATUS_LABELS.index(value) if value in STATUS_LABELS else None


def filter_mask(gen: Generation, field: str, value: str) -> np.ndarray:
    """Sections matching an ``issuer``, ``docno`` or ``status`` condition (``unknown``: issuer not stated)."""
    if field == "status":
        code = _status_code(value)
        if code is None:
            return np.zeros(gen.n, dtype=bool)
        return relations_of(gen).section_status == code
    if field == "docno":
        key = hash_key(docno_key(value))
        if not key:
            return np.zeros(gen.n, dtype=bool)
        return (_cat(gen, "rel_docno", np.uint64) == np.uint64(key))[gen.doc_of]
    assert field == "issuer"
    if value == "unknown":
        return gen.codes["issuer"] == 0
    imap = IssuerMap.of(gen)
    wanted = np.ones(len(gen.vocab["issuer"]), dtype=bool)
    names = issuers.names(value)
    for name in names:  # a joint value asked for: documents of all its issuers together
        holds = np.zeros(len(wanted), dtype=bool)
        if name in imap.names:
            holds[imap.code[imap.name == imap.names.index(name)]] = True
        wanted &= holds
    return wanted[gen.codes["issuer"]] if names else np.zeros(gen.n, dtype=bool)


def facet_pairs(gen: Generation, name: str, counts: np.ndarray) -> list[tuple[str | None, int]]:
    """(value, count) of the ``issuer`` or ``status`` facet from the matches' counts per code (per status code,
    or per issuer facet code: a joint value counts for each of its issuers)."""
    pairs: list[tuple[str | None, int]]
    if name == "status":
        pairs = [(STATUS_LABELS[i], int(c)) for i, c in enumerate(counts.tolist()) if c]
        return sorted(pairs, key=lambda vc: (-vc[1], str(vc[0])))
    imap = IssuerMap.of(gen)
    per_name = np.bincount(imap.name, weights=counts[imap.code], minlength=len(imap.names)).astype(np.int64)
    pairs = [(imap.names[i], int(per_name[i])) for i in np.flatnonzero(per_name)]
    pairs.sort(key=lambda vc: (-vc[1], str(vc[0])))
    return pairs + ([(None, int(counts[0]))] if counts[0] else [])
