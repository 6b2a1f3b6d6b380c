"""Combine derived parts into one, dropping deleted documents — without reading a record or tokenising again.

When segments of the store of record are merged, the merged segment holds the live documents of the old ones
in order. Its derived data is the old parts' data with the deleted documents taken out and the rest
renumbered: text bytes are sliced, postings are filtered and shifted, per-section and per-document columns
are filtered, and facet vocabularies are mapped onto one. Everything is array work (the way tantivy's merger
remaps postings instead of re-indexing), so a merge costs about as much as copying the parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.index import derived, quadgrams, trigrams
from indexer.relations import columns as relation_columns


def _kept_bytes(raw: np.ndarray, starts: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The bytes of the kept sections, in order (``starts``: each section's byte range)."""
    lengths = np.diff(starts)
    mask = np.repeat(keep, lengths)
    return raw[: int(starts[-1])][mask] if len(mask) else raw[:0]


def _postings(parts: Sequence[derived.Part], keeps: Sequence[np.ndarray], renumber: Sequence[np.ndarray],
              bases: Sequence[int], kind: str, total: int) -> dict[str, np.ndarray]:
    """The ``kind`` ("bg" or "w") postings of the combined part."""
    keys_all, secs_all, tf_all = [], [], []
    for part, keep, ren, base in zip(parts, keeps, renumber, bases):
        keys = np.asarray(part.arrays[f"{kind}_keys"])
        offs = np.asarray(part.arrays[f"{kind}_offs"], dtype=np.int64)
        secs = np.asarray(part.arrays[f"{kind}_secs"], dtype=np.int64)
        live = keep[secs]
        keys_all.append(np.repeat(keys, np.diff(offs))[live])
        secs_all.append(ren[secs[live]] + base)
        if kind == "w":
            tf_all.append(np.asarray(part.arrays["w_tf"])[live])
    keys = np.concatenate(keys_all) if keys_all else np.zeros(0, np.uint64)
    secs = np.concatenate(secs_all) if secs_all else np.zeros(0, np.int64)
    order = np.argsort(keys, kind="stable")  # parts come in order, so equal keys keep their sections sorted
    keys, secs = keys[order], secs[order]
    uniq, offs = derived._runs(keys)
    out: dict[str, np.ndarray] = {f"{kind}_keys": uniq.astype(np.uint64), f"{kind}_offs": offs.astype(np.uint32),
           f"{kind}_secs": secs.astype(derived.section_dtype(total))}
    if kind == "w":
        out["w_tf"] = (np.concatenate(tf_all) if tf_all else np.zeros(0, np.uint8))[order].astype(np.uint8)
    return out


def combine(parts: Sequence[derived.Part], keeps: Sequence[np.ndarray], folder: Path) -> tuple[int, int]:
    """Write into ``folder`` one part holding the sections of ``parts`` where ``keeps`` (one boolean per
    section; whole documents) is true, in order. Returns (sections, documents) of the new part."""
    if len(parts) != len(keeps):
        raise ValueError("one keep mask per part")
    keeps = [np.asarray(k, dtype=bool) for k in keeps]
    renumber = [np.cumsum(k) - 1 for k in keeps]
    counts = [int(k.sum()) for k in keeps]
    bases = list(np.cumsum([0] + counts[:-1]))
    total = sum(counts)
    arrays: dict[str, np.ndarray] = {}
    texts, titles, starts, doc_starts, title_starts = [], [], [np.zeros(1, np.int64)], [np.zeros(1, np.int64)], \
        [np.zeros(1, np.int64)]
    per_section: dict[str, list[np.ndarray]] = {n: [] for n in ("year", "date", "precision", "inferred")}
    per_doc: dict[str, list[np.ndarray]] = {"doc_hash": [], "added": []}
    vocab: dict[str, derived.Vocabulary] = {f: derived.Vocabulary() for f in derived.FACETS}
    facet_codes: dict[str, list[np.ndarray]] = {f: [] for f in derived.FACETS}
    text_at = title_at = sec_at = 0
    doc_keeps: list[np.ndarray] = []
    for part, keep in zip(parts, keeps):
        a = part.arrays
        sec_starts = np.asarray(a["starts"], dtype=np.int64)
        doc_start = np.asarray(a["doc_start"], dtype=np.int64)
        doc_keep = keep[doc_start[:-1]] if part.documents else np.zeros(0, bool)
        if (np.repeat(doc_keep, np.diff(doc_start)) != keep).any():
            raise ValueError(f"part {part.folder.name}: a document is only partly deleted")
        doc_keeps.append(doc_keep)
        raw = np.frombuffer(part.text.map, dtype=np.uint8)
        texts.append(_kept_bytes(raw, sec_starts, keep))
        starts.append(np.cumsum(np.diff(sec_starts)[keep]) + text_at)
        text_at += int(np.diff(sec_starts)[keep].sum())
        t_starts = np.asarray(a["title_starts"], dtype=np.int64)
        titles.append(_kept_bytes(np.frombuffer(part.titles, dtype=np.uint8), t_starts, doc_keep))
        title_starts.append(np.cumsum(np.diff(t_starts)[doc_keep]) + title_at)
        title_at += int(np.diff(t_starts)[doc_keep].sum())
        doc_sizes = np.diff(doc_start)[doc_keep]
        doc_starts.append(np.cumsum(doc_sizes) + sec_at)
        sec_at += int(doc_sizes.sum())
        for name in per_section:
            per_section[name].append(np.asarray(a[name])[keep])
        for name in per_doc:
            per_doc[name].append(np.asarray(a[name])[doc_keep])
        for f in derived.FACETS:
            mapping = vocab[f].codes(part.vocab[f])
            facet_codes[f].append(mapping[np.asarray(a[f"f_{f}"])[keep]] if len(mapping) else np.zeros(0, np.int32))
    documents = len(np.concatenate(per_doc["added"])) if per_doc["added"] else 0
    custom: dict[str, str] | None = {}
    for part, keep, ren, base in zip(parts, keeps, renumber, bases):
        if part.custom_ids is None or custom is None:  # a part of before custom ids were recorded: unknown
            custom = None
            continue
        custom.update({str(int(ren[i]) + int(base)): sid for i, sid in part.custom_ids.items() if keep[i]})
    arrays["starts"] = np.concatenate(starts).astype(np.int64)
    arrays["doc_start"] = np.concatenate(doc_starts).astype(np.int64)
    for kind in ("bg", "w"):
        arrays.update(_postings(parts, keeps, renumber, bases, kind, total))
    text = np.concatenate(texts).tobytes()
    # more bigrams may be frequent in the combined part: its trigram and 4-gram layers are built again from
    # its text
    chars, char_starts, doc_ends = trigrams.characters(text, arrays["starts"], arrays["doc_start"])
    sec_dtype, threshold = derived.section_dtype(total), trigrams.threshold(total)
    arrays["tg_keys"], arrays["tg_offs"], arrays["tg_secs"], tg_min = trigrams.build(
        chars, char_starts, doc_ends, arrays["bg_keys"], arrays["bg_offs"], sec_dtype, threshold)
    arrays["qg_keys"], arrays["qg_offs"], arrays["qg_secs"], qg_min = quadgrams.build(
        chars, char_starts, doc_ends, arrays["tg_keys"], arrays["tg_offs"], sec_dtype, threshold)
    del chars
    arrays["title_starts"] = np.concatenate(title_starts).astype(np.int64)
    arrays["year"] = np.concatenate(per_section["year"]).astype(np.int16)
    arrays["date"] = np.concatenate(per_section["date"]).astype(np.int32)
    arrays["precision"] = np.concatenate(per_section["precision"]).astype(np.int8)
    arrays["inferred"] = np.concatenate(per_section["inferred"]).astype(np.bool_)
    for f in derived.FACETS:
        arrays[f"f_{f}"] = np.concatenate(facet_codes[f]).astype(np.int32)
    arrays["doc_hash"] = np.concatenate(per_doc["doc_hash"]).astype(np.uint64)
    arrays["added"] = np.concatenate(per_doc["added"]).astype(np.float64)
    arrays.update(relation_columns.combine([p.arrays for p in parts], doc_keeps))
    derived._write(folder, text, np.concatenate(titles).tobytes(), arrays,
                   {"format": derived.FORMAT, "sections": total, "documents": documents, "tg_min": tg_min,
                    "qg_min": qg_min,
                    "vocab": {f: vocab[f].values for f in derived.FACETS},
                    **({} if custom is None else {"custom_ids": custom})})
    return total, documents
