"""What a derived part of the embedded index keeps of its documents' relations: small arrays, written with the
part (:func:`indexer.index.derived.build_part`), carried through merges (:func:`combine`, called by
:func:`indexer.index.combine.combine`) and checked with the part (:func:`problems`).

Per document (one entry each, in the part's document order):

  rel_docno, rel_title     its 发文字号 and title as hashed keys (:mod:`.docno`, :mod:`.titles`; 0: none)
  rel_version, rel_series  its title without a draft marker, and without years and numbers (with the issuer)
  rel_flags                bit 0: a draft (征求意见稿…), bit 1: the title is derived, not stated
  rel_ident                its doc_id hashed (63 bits): what breaks ties the same way on every backend
  ref_offs                 where its references start in the per-reference arrays (documents + 1 entries)

Per reference (:func:`indexer.relations.extract.find_references`): ``ref_kind`` (cite, abolish, replace,
amend), ``ref_span`` (start, end, sentence start, sentence end in the displayed text), ``ref_docno`` and
``ref_title`` (hashed keys), ``ref_year`` (a year it states) and ``ref_date`` (when a statement takes effect).

Nothing here depends on other documents: resolving references and statuses is done per generation
(:mod:`.generation`), since it changes when other documents arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from indexer.relations.docno import docno_key, hash_key
from indexer.relations.extract import find_references
from indexer.relations.titles import is_draft, series_key, title_key, version_key

DOC_ARRAYS = ("rel_docno", "rel_title", "rel_version", "rel_series", "rel_flags", "rel_ident")
REF_ARRAYS = ("ref_kind", "ref_span", "ref_docno", "ref_title", "ref_year", "ref_date")
NAMES = DOC_ARRAYS + ("ref_offs",) + REF_ARRAYS
DRAFT, DERIVED = 1, 2
_DTYPES: dict[str, Any] = {"rel_docno": np.uint64, "rel_title": np.uint64, "rel_version": np.uint64,
                           "rel_series": np.uint64, "rel_flags": np.uint8, "rel_ident": np.uint64, "ref_offs": np.int64,
                           "ref_kind": np.uint8,
                           "ref_span": np.int64, "ref_docno": np.uint64, "ref_title": np.uint64,
                           "ref_year": np.int16, "ref_date": np.int32}


def document_keys(doc_id: str, meta: dict[str, Any]) -> tuple[int, int, int, int, int, int]:
    """(docno, title, version, series, flags, ident) of a document."""
    title = meta.get("title")
    derived_title = bool(meta.get("title_derived"))
    flags = (DRAFT if is_draft(title) else 0) | (DERIVED if derived_title else 0)
    stated = None if derived_title else title
    return (hash_key(docno_key(meta.get("doc_number"))), title_key(stated), version_key(stated),
            series_key(stated, meta.get("issuer")), flags, hash_key(doc_id) >> 1)


def reference_rows(meta: dict[str, Any], text: str) -> list[tuple[int, int, int, int, int, int, int, int, int]]:
    """(kind, start, end, sentence start, sentence end, docno, title, year, date) of each reference."""
    refs = find_references(text, None if meta.get("title_derived") else meta.get("title"),
                           docno_key(meta.get("doc_number")))
    return [(r.kind, r.start, r.end, r.sentence[0], r.sentence[1], r.docno_key, r.title_key, r.year, r.date)
            for r in refs]


def build(documents: Sequence[tuple[str, dict[str, Any], str]]) -> dict[str, np.ndarray]:
    """The arrays of a part's documents, each given as (doc_id, meta, displayed text)."""
    keys = [document_keys(doc_id, meta) for doc_id, meta, _ in documents]
    rows = [reference_rows(meta, text) for _, meta, text in documents]
    out = {name: np.array([k[i] for k in keys], dtype=_DTYPES[name]) for i, name in enumerate(DOC_ARRAYS)}
    out["ref_offs"] = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
    flat = [row for doc in rows for row in doc]
    table = np.array(flat, dtype=object).reshape(len(flat), 9) if flat else np.zeros((0, 9), dtype=object)
    out["ref_kind"] = table[:, 0].astype(np.uint8)
    out["ref_span"] = table[:, 1:5].astype(np.int64).reshape(len(flat), 4)
    out["ref_docno"] = table[:, 5].astype(np.uint64)
    out["ref_title"] = table[:, 6].astype(np.uint64)
    out["ref_year"] = table[:, 7].astype(np.int16)
    out["ref_date"] = table[:, 8].astype(np.int32)
    return out


def combine(arrays: Sequence[dict[str, np.ndarray]], doc_keeps: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """The arrays of the documents kept (``doc_keeps``: one boolean per document of each part), in order."""
    out: dict[str, list[np.ndarray]] = {name: [] for name in NAMES if name != "ref_offs"}
    sizes: list[np.ndarray] = []
    for a, keep in zip(arrays, doc_keeps, strict=True):
        keep = np.asarray(keep, dtype=bool)
        for name in DOC_ARRAYS:
            out[name].append(np.asarray(a[name])[keep])
        offs = np.asarray(a["ref_offs"], dtype=np.int64)
        counts = np.diff(offs)
        ref_keep = np.repeat(keep, counts)
        sizes.append(counts[keep])
        for name in REF_ARRAYS:
            out[name].append(np.asarray(a[name])[ref_keep])
    result = {name: (np.concatenate(parts) if parts else np.zeros(0)).astype(_DTYPES[name])
              for name, parts in out.items()}
    result["ref_span"] = result["ref_span"].reshape(-1, 4)
    result["ref_offs"] = np.concatenate(([0], np.cumsum(np.concatenate(sizes) if sizes else []))).astype(np.int64)
    return result


def problems(arrays: dict[str, np.ndarray], documents: int) -> list[str]:
    """Invariants of a part's relation arrays (empty when sound)."""
    out = [f"{name}: {len(arrays[name])} entries, expected {documents}" for name in DOC_ARRAYS
           if len(arrays[name]) != documents]
    offs = np.asarray(arrays["ref_offs"], dtype=np.int64)
    refs = len(arrays["ref_kind"])
    if len(offs) != documents + 1 or (len(offs) and (offs[0] != 0 or offs[-1] != refs or (np.diff(offs) < 0).any())):
        out.append("ref_offs: not increasing from 0 to the number of references")
    out += [f"{name}: {len(arrays[name])} entries, expected {refs}" for name in REF_ARRAYS if len(arrays[name]) != refs]
    if refs and int(np.asarray(arrays["ref_kind"]).max()) > 3:
        out.append("ref_kind: an unknown kind")
    return out
