"""One index generation as search sees it: an immutable snapshot, built off the request path.

A generation is what one published manifest names (:mod:`indexer.index.manifest`). Holds the Whoosh searcher
of that generation (stored fields, for displaying hits and documents), the memory-mapped derived parts of its
segments (:mod:`indexer.index.derived`, verified when first mapped) with their global offsets, and a
few small columns concatenated across parts (a handful of bytes per section): which sections are live,
their document, year, date bounds, facet codes and lengths. A global section number is the Whoosh document
number, so stored fields are one lookup away.

Duplicates: documents whose normalised text is identical are one document. The earliest imported (then the
lowest number) stays live and lists the others as further sources; the others' sections are not live.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index import derived
from indexer.index.manifest import Manifest
from indexer.index.segments import DamagedFiles, forget_parts, load_parts
from indexer.index.storage import open_pinned, toc_name
from indexer.index.store import REIMPORT, IndexDamaged, published, read_record

FACETS = ("province", "city", "doctype", "source", "collection", "issuer")


@dataclass(frozen=True)
class PartView:
    """A part placed in the generation: its first global section and first global document."""

    part: derived.Part
    base: int
    doc_base: int

    @property
    def n(self) -> int:
        return self.part.sections


def _date_bounds(date: np.ndarray, precision: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest day (YYYYMMDD) each section's document can be from; 0 where undated."""
    d = date.astype(np.int64)
    y = year.astype(np.int64) * 10000
    lo = np.where(precision == 3, d, np.where(precision == 2, d + 1, np.where(d > 0, d + 101, 0)))
    hi = np.where(precision == 3, d, np.where(precision == 2, d + 31, np.where(d > 0, d + 1231, 0)))
    undated = (lo == 0) & (y > 0)
    lo = np.where(undated, y + 101, lo)
    hi = np.where(undated, y + 1231, hi)
    return lo, hi


#: Documents whose metadata a generation keeps for hits in their other sections (see Generation.stored).
METAS_KEPT = 4096

class Generation:
    """An immutable snapshot of one generation (see the module docstring)."""

    def __init__(self, index_dir: Path, manifest: Manifest | None = None) -> None:
        self.index_dir = index_dir
        self.manifest = manifest if manifest is not None else published(index_dir)
        self.generation = self.manifest.generation
        self._stored_lock = threading.Lock()
        self._metas: dict[int, dict[str, Any]] = {}  # document → its metadata (see stored())
        self.pins = 0  # users that keep this generation open (see LiveIndex.pinned)
        try:
            self.searcher = open_pinned(index_dir, self.manifest.toc).searcher()
        except Exception as exc:  # Whoosh raises many kinds on a damaged table of contents
            raise IndexDamaged(f"the index's table of contents cannot be read ({type(exc).__name__}); run: "
                               f"python -m indexer check --index {index_dir}") from None
        try:
            self._load()
        except DamagedFiles as exc:
            self.searcher.close()
            if exc.in_store:  # repair rebuilds derived data from the store: it cannot mend the store itself
                raise IndexDamaged(f"the index in {index_dir.name}/ is damaged: {exc}; its store of record cannot "
                                   f"be repaired: {REIMPORT}") from None
            raise IndexDamaged(f"the index in {index_dir.name}/ is damaged: {exc}; run: python -m indexer repair "
                               f"--index {index_dir}") from None
        except BaseException:
            self.searcher.close()
            raise

    # ------------------------------------------------------------------------------------------ loading
    def _load(self) -> None:
        reader = self.searcher.reader()
        loaded = load_parts(self.index_dir, self.manifest)
        refs = {s.id: s for s in self.manifest.segments}
        parts: list[PartView] = []
        deleted: list[np.ndarray] = []
        doc_base = 0
        for sub, offset in reader.leaf_readers():
            seg = sub.segment()
            if seg is None:  # an empty index
                continue
            ref = refs.get(seg.segment_id())
            if ref is None or ref.docs != seg.doc_count_all():
                raise DamagedFiles(f"segment {seg.segment_id()} does not match the manifest",
                                   [toc_name(self.manifest.toc)])
            if seg.doc_count_all():
                sub.stored_fields(0)  # opens the stored-fields file now, while the manifest's files are all there
            for p in ref.parts:
                part = loaded[p.folder]
                parts.append(PartView(part, offset + p.lo, doc_base))
                doc_base += part.documents
            dead = np.fromiter(seg.deleted_docs(), dtype=np.int64) if seg.has_deletions() else np.zeros(0, np.int64)
            deleted.append(dead + offset)
        self.parts = parts
        forget_parts({p.part.folder for p in parts})
        self.n = reader.doc_count_all()
        self.documents_all = doc_base
        self._columns(parts, np.concatenate(deleted) if deleted else np.zeros(0, np.int64))

    def _columns(self, parts: list[PartView], dead: np.ndarray) -> None:
        def cat(name: str, dtype: Any) -> np.ndarray:
            return np.concatenate([np.asarray(p.part.arrays[name], dtype=dtype) for p in parts]) if parts \
                else np.zeros(0, dtype)

        self.doc_of = np.concatenate([np.repeat(np.arange(p.part.documents, dtype=np.int32) + p.doc_base,
                                                np.diff(p.part.doc_start)) for p in parts]) if parts \
            else np.zeros(0, np.int32)
        self.doc_first = np.concatenate([np.asarray(p.part.doc_start[:-1], np.int64) + p.base for p in parts]
                                        + [np.array([self.n], np.int64)])
        self.lengths = np.concatenate([np.diff(p.part.starts).astype(np.int32) for p in parts]) if parts \
            else np.zeros(0, np.int32)
        # where each section's text starts in its part's text.bin, its first and last character, and where
        # each part starts: what exact wording needs to work over all parts at once (indexer.search.exact)
        self.byte_start = np.concatenate([np.asarray(p.part.starts[:-1], np.int64) for p in parts]) if parts \
            else np.zeros(0, np.int64)
        bounds = [derived.boundary_chars(p.part) for p in parts]
        self.first_char = np.concatenate([b[0] for b in bounds]) if parts else np.zeros(0, np.uint32)
        self.last_char = np.concatenate([b[1] for b in bounds]) if parts else np.zeros(0, np.uint32)
        self.part_bases = np.array([p.base for p in parts], dtype=np.int64)
        self.year = cat("year", np.int16)
        self.precision = cat("precision", np.int8)
        self.inferred = cat("inferred", np.bool_)  # the date is implied by the text, not stated
        self.date_lo, self.date_hi = _date_bounds(cat("date", np.int32), self.precision, self.year)
        self.vocab: dict[str, list[Any]] = {}
        self.codes: dict[str, np.ndarray] = {}
        for f in FACETS:
            self.vocab[f], self.codes[f] = self._facet(f, parts)
        alive = np.ones(self.n, dtype=bool)
        alive[dead] = False
        self.doc_hash = cat("doc_hash", np.uint64)
        self.added = cat("added", np.float64)
        self.live, self.duplicates = self._dedupe(alive)
        self.canonical_of = {d: c for c, others in self.duplicates.items() for d in others}
        self.live_count = int(self.live.sum())
        self.avgdl = float(self.lengths[self.live].mean()) if self.live_count else 1.0

    @staticmethod
    def _facet(name: str, parts: list[PartView]) -> tuple[list[Any], np.ndarray]:
        vocab = derived.Vocabulary()  # the generation's codes: each part's own codes mapped onto them
        pieces = [vocab.codes(p.part.vocab[name])[np.asarray(p.part.arrays[f"f_{name}"])] for p in parts]
        return vocab.values, (np.concatenate(pieces) if pieces else np.zeros(0, np.int32))

    def _dedupe(self, alive: np.ndarray) -> tuple[np.ndarray, dict[int, list[int]]]:
        """Hide all but one of each set of live documents with identical text."""
        ndocs = self.documents_all
        doc_alive = np.zeros(ndocs, dtype=bool)
        doc_alive[self.doc_of[alive]] = True
        docs = np.flatnonzero(doc_alive)
        if not len(docs):
            return alive, {}
        order = np.lexsort((docs, self.added[docs], self.doc_hash[docs]))
        docs = docs[order]
        hashes = self.doc_hash[docs]
        repeat = np.zeros(len(docs), dtype=bool)
        repeat[1:] = hashes[1:] == hashes[:-1]
        duplicates: dict[int, list[int]] = {}
        canonical = -1
        for i in np.flatnonzero(repeat | np.append(repeat[1:], False)):
            if not repeat[i]:
                canonical = int(docs[i])
            else:
                duplicates.setdefault(canonical, []).append(int(docs[i]))
        if not duplicates:
            return alive, {}
        hidden = np.zeros(ndocs, dtype=bool)
        hidden[[d for others in duplicates.values() for d in others]] = True
        return alive & ~hidden[self.doc_of], duplicates

    # ------------------------------------------------------------------------------------------ access
    def locate(self, section: int) -> tuple[PartView, int]:
        """The part holding a global section, and the section's number within it."""
        lo, hi = 0, len(self.parts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.parts[mid].base <= section:
                lo = mid
            else:
                hi = mid - 1
        p = self.parts[lo]
        return p, section - p.base

    def stored(self, section: int) -> dict[str, Any]:
        """The stored record of a global section with its document's ``meta`` (Whoosh readers are not
        thread-safe: one at a time)."""
        doc = int(self.doc_of[section])
        with self._stored_lock:
            stored = self.searcher.stored_fields(section)
            if "meta" in stored:
                self._remember_meta(doc, dict(stored["meta"] or {}))
            else:
                meta = self._metas.get(doc)
                if meta is None:
                    meta = self._remember_meta(doc, self.searcher.stored_fields(int(self.doc_first[doc])).get("meta")
                                               or {})
                stored = {**stored, "meta": dict(meta)}
        return read_record(stored)

    def _remember_meta(self, doc: int, meta: dict[str, Any]) -> dict[str, Any]:
        """Keep a document's metadata (read from its first record) for the next hit in the document's other
        sections: a generation's records never change. At most :data:`METAS_KEPT`; then they are forgotten."""
        if len(self._metas) >= METAS_KEPT:
            self._metas.clear()
        self._metas[doc] = meta
        return meta

    def section_ids(self, sections: list[int], doc_id: str) -> list[str]:
        """The ids of global sections of the document ``doc_id`` — ``doc_id#n`` (n: the section's place in its
        document), or the id the part records as different — without reading a stored record, except in a
        part written before parts recorded their custom ids."""
        if not sections:
            return []
        p, _ = self.locate(sections[0])  # a document's sections are all in one part
        custom = p.part.custom_ids
        if custom is None:
            return [str(self.stored(num)["section_id"]) for num in sections]
        first = int(self.doc_first[self.doc_of[sections[0]]])
        if not custom:
            return [f"{doc_id}#{num - first + 1}" for num in sections]
        return [custom.get(num - p.base) or f"{doc_id}#{num - first + 1}" for num in sections]

    def doc_sections(self, doc_id: str, include_hidden: bool = False) -> list[int]:
        """Global section numbers of a document, in order (hidden duplicates only when asked)."""
        with self._stored_lock:
            nums = list(self.searcher.document_numbers(doc_id=doc_id))
        return sorted(n for n in nums if include_hidden or self.live[n])

    def children(self, doc_id: str) -> list[int]:
        """Global document numbers of the documents whose ``parent`` is ``doc_id`` (an article's attachments),
        hidden duplicates included, in import order."""
        with self._stored_lock:
            nums = list(self.searcher.document_numbers(parent=doc_id))
        return sorted({int(self.doc_of[n]) for n in nums})

    def canonical(self, doc: int) -> int:
        """The document a hidden duplicate repeats (the document itself otherwise)."""
        return self.canonical_of.get(doc, doc)

    def doc_number_ids(self, docs: Iterator[int] | list[int]) -> list[str]:
        """doc_ids of global document numbers."""
        return [self.stored(int(self.doc_first[d]))["doc_id"] for d in docs]

    def close(self) -> None:
        self.searcher.close()
