"""Derived data beside each Whoosh segment: what search reads, as memory-mapped arrays.

Whoosh is the index of record (sections and their stored fields, ids, deletions, atomic commits). Search
reads this derived data instead, built once per segment from the segment's stored fields, written to files
under ``<index>/derived/`` and memory-mapped by every serving process (the pages are shared, not copied):

  text.bin            the normalised continuous text of every document (see :mod:`.doctext`), UTF-8,
                      sections in document order; ``starts`` gives each section's byte range
  doc_start           first section of each document (sections of a document are contiguous)
  bg_keys/offs/secs   character-bigram postings: for each bigram (two code points packed in 42 bits) the
                      sorted sections whose text holds it; a bigram that straddles two sections of one
                      document belongs to the first; the last character of a document pairs with 0
  tg_keys/offs/secs   trigram postings of the trigrams made of two frequent bigrams (:mod:`.trigrams`;
                      ``tg_min`` in meta.json says which bigrams are frequent)
  qg_keys/offs/secs   4-gram postings of the 4-grams made of two frequent trigrams (:mod:`.quadgrams`;
                      ``qg_min`` in meta.json says which trigrams are frequent)
  w_keys/offs/secs/tf jieba-word postings with term frequencies (keys from :func:`term_key`)
  titles.bin          every document's normalised title, ``title_starts`` its byte range (title search
                      and the title boost are substring searches over this small blob)
  columns             year, date (YYYYMMDD, zeros where unstated), date precision, whether the date is
                      inferred (implied by the text, not stated), facet codes (vocab in meta.json), section
                      lengths; per document: text hash (duplicates), time added
  meta.json           counts, facet vocabularies, and the ids of the sections whose id is not ``doc_id#n``
                      (``custom_ids``; usually none), so a page of grouped hits names its sections without
                      reading a stored record each

A segment's sections are split into *parts* (whole documents, about :data:`PART_SECTIONS` sections each), so
building one never needs more than a part's text in memory. A part knows nothing of where it lies: the
generation's manifest (:mod:`indexer.index.manifest`) places it at a docnum range of a segment, so a part is
reused as it is when its segment is merged into a larger one, and compacted or combined with others by
:mod:`indexer.index.combine` without tokenising again. Section numbers within a part are ``uint16`` where
the part has fewer than 65,536 sections and ``uint32`` otherwise. Nothing here is a source of truth:
``python -m indexer repair`` builds it again from the store of record.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from indexer.index import quadgrams, trigrams
from indexer.index.doctext import SEP, document_pieces
from indexer.index.mappedfiles import save_array, write_bytes
from indexer.index.parttext import PartText, map_file
from indexer.relations import columns as relation_columns
from indexer.relations.issuers import issuer_value
from indexer.text.normalize import normalize
from indexer.text.segment import cut
from indexer.text.terms import is_word, term_key

#: 4: issuer facet and relation columns (indexer.relations.columns); 5: inferred dates; 6: the trigram layer
#: (:mod:`indexer.index.trigrams`); 7: the 4-gram layer (:mod:`indexer.index.quadgrams`)
FORMAT = 7
#: Sections per part built from records or combined (whole documents, so a part of one very long document
#: can hold more). Every query does a few postings lookups in each part, so fewer parts cost less per query:
#: this is as large as 16-bit section numbers allow (1M sections: 16 parts instead of 41 at 25,000, which
#: took 2.1 ms of fixed work per exact query; building a part of this size peaks ~0.4 GB above its input).
PART_SECTIONS = 65_000
#: Text bytes per part built from records.
PART_BYTES = 96 << 20
_T = TypeVar("_T")
FACETS = ("province", "city", "doctype", "source", "collection", "issuer")
PRECISION = {None: 0, "year": 1, "month": 2, "day": 3}
_SEC_BITS = 22  # sections per part < 2**22
_MASK = np.uint64((1 << _SEC_BITS) - 1)
_ARRAYS = ("starts", "doc_start", "bg_keys", "bg_offs", "bg_secs", "tg_keys", "tg_offs", "tg_secs",
           "qg_keys", "qg_offs", "qg_secs",
           "w_keys", "w_offs", "w_secs", "w_tf",
           "title_starts", "year", "date", "precision", "inferred", "doc_hash", "added") + tuple(
    f"f_{f}" for f in FACETS) + relation_columns.NAMES


@dataclass(frozen=True)
class SectionInput:
    """What the builder needs of one stored section."""

    doc_id: str
    heading: str | None
    text: str
    meta: dict[str, Any]
    section_id: str | None = None  # stored only where it is not ``doc_id#n`` (see indexer.index.store)


def date_key(date: str | None) -> int:
    """YYYY-MM-DD / YYYY-MM / YYYY → YYYYMMDD with zeros for what is not stated (0 when undated)."""
    if not date:
        return 0
    parts = date.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 0
        d = int(parts[2]) if len(parts) > 2 else 0
    except ValueError:
        return 0
    return y * 10000 + m * 100 + d


def date_precision(date: str | None, stated: str | None) -> int:
    """0 undated, 1 year, 2 month, 3 day: as stated, else as the date's own form tells."""
    if stated in PRECISION:
        return PRECISION[stated]
    return {4: 1, 7: 2, 10: 3}.get(len(date or ""), 0)


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and the offsets where each run starts (plus the end)."""
    if not len(sorted_keys):
        return sorted_keys[:0], np.zeros(1, np.int64)
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    return sorted_keys[starts], np.append(starts, len(sorted_keys)).astype(np.int64)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def _postings(keys: np.ndarray, members: np.ndarray, values: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Sort (key, member[, value]) triples into CSR postings: unique keys, offsets, members, values."""
    order = np.lexsort((members, keys))
    keys, members = keys[order], members[order]
    uniq, offs = _runs(keys)
    return uniq, offs.astype(np.uint32), members, (values[order] if values is not None else None)


def _characters(pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of a part's continuous text, and each section's length in characters."""
    lens = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    return np.frombuffer("".join(pieces).encode("utf-32-le"), dtype=np.uint32), lens


def _bigrams(chars: np.ndarray, lens: np.ndarray, doc_start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bigram postings of a part (``chars``, ``lens``: :func:`_characters`), built with a few arrays of one
    element per character (in place where it can: a part's build must stay small in memory)."""
    if not len(chars):
        return np.zeros(0, np.uint64), np.zeros(1, np.uint32), np.zeros(0, section_dtype(len(lens)))
    ends = np.cumsum(lens)
    doc_ends = ends[doc_start[1:] - 1]  # one past each document's last character
    packed = chars.astype(np.uint64)
    packed <<= np.uint64(21)
    packed[:-1] |= chars[1:]
    packed[doc_ends - 1] &= ~np.uint64((1 << 21) - 1)  # a document's last character pairs with 0
    packed <<= np.uint64(_SEC_BITS)
    packed |= np.repeat(np.arange(len(lens), dtype=np.uint64), lens)
    packed = _sorted_unique(packed[chars != ord(SEP)])
    keys, offs = _runs(packed >> np.uint64(_SEC_BITS))
    return keys, offs.astype(np.uint32), (packed & _MASK).astype(section_dtype(len(lens)))


def section_dtype(sections: int) -> type[np.unsignedinteger[Any]]:
    """The type of section numbers in a part of ``sections`` sections."""
    if sections >= 1 << _SEC_BITS:
        raise ValueError(f"a part of {sections} sections is more than a part can number")
    return np.uint16 if sections < 1 << 16 else np.uint32


Words = tuple[np.ndarray, np.ndarray, np.ndarray]


def _section_words(texts: Sequence[str]) -> Words:
    """Each section's distinct words (punctuation dropped) as ``(word key, section, count)`` arrays, counts at
    most 255. Tokens are numbered by a dictionary lookup and counted as (token, section) pairs in arrays: a
    Python step per distinct word of every section was half of building a part."""
    ids: dict[str, int] = {}  # token → its number, in order of first sight
    numbered: list[np.ndarray] = []
    for text in texts:
        numbered.append(np.array([ids.setdefault(w, len(ids)) for w in cut(text)], dtype=np.int64))
    word_key = np.array([term_key(w) if is_word(w) else 0 for w in ids], dtype=np.uint64)  # 0: punctuation
    n = max(len(texts), 1)
    pairs = np.concatenate(numbered) * n if numbered else np.zeros(0, np.int64)
    pairs += np.repeat(np.arange(len(texts), dtype=np.int64), [len(a) for a in numbered])
    del numbered
    pairs, counts = np.unique(pairs, return_counts=True)
    keys = word_key[pairs // n]
    keep = keys != 0
    sections = (pairs[keep] % n).astype(section_dtype(len(texts)))
    return keys[keep], sections, np.minimum(counts[keep], 255).astype(np.uint8)


def _word_postings(words: Sequence[Words], bases: Sequence[int], sections: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A part's word postings from its runs' words (:func:`_section_words`; ``bases``: each run's first
    section in the part)."""
    keys = np.concatenate([w[0] for w in words])
    members = np.concatenate([w[1].astype(np.int64) + base for w, base in zip(words, bases, strict=True)])
    uk, offs, mem, vals = _postings(keys, members.astype(section_dtype(sections)),
                                    np.concatenate([w[2] for w in words]))
    assert vals is not None
    return uk, offs, mem, vals


class Vocabulary:
    """Facet values numbered in order of first sight; code 0 is None (unknown)."""

    def __init__(self) -> None:
        self.values: list[Any] = [None]
        self._codes: dict[Any, int] = {None: 0}

    def code(self, value: Any) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found

    def codes(self, values: Iterable[Any]) -> np.ndarray:
        return np.fromiter((self.code(v) for v in values), dtype=np.int32)


def _facet_codes(values: Sequence[str | None]) -> tuple[np.ndarray, list[str | None]]:
    vocab = Vocabulary()
    return vocab.codes(values), vocab.values


def _character_layers(chars: np.ndarray, lens: np.ndarray, doc_start: np.ndarray
                      ) -> tuple[dict[str, np.ndarray], int, int]:
    """The bigram postings and the trigram and 4-gram layers of a part's characters (:func:`_characters`),
    with the layers' thresholds."""
    n = len(lens)
    arrays: dict[str, np.ndarray] = {}
    arrays["bg_keys"], arrays["bg_offs"], arrays["bg_secs"] = _bigrams(chars, lens, doc_start)
    char_starts = np.concatenate(([0], np.cumsum(lens)))
    doc_ends, threshold = char_starts[doc_start[1:]], trigrams.threshold(n)
    arrays["tg_keys"], arrays["tg_offs"], arrays["tg_secs"], tg_min = trigrams.build(
        chars, char_starts, doc_ends, arrays["bg_keys"], arrays["bg_offs"], section_dtype(n), threshold)
    arrays["qg_keys"], arrays["qg_offs"], arrays["qg_secs"], qg_min = quadgrams.build(
        chars, char_starts, doc_ends, arrays["tg_keys"], arrays["tg_offs"], section_dtype(n), threshold)
    return arrays, tg_min, qg_min


@dataclass
class RunText:
    """The continuous text of a run of sections: UTF-8 and each section's length in bytes, the code points
    and each section's length in characters (what the part's text and its character layers are made of)."""

    utf8: bytes
    lengths: np.ndarray
    chars: np.ndarray
    char_lengths: np.ndarray

    @classmethod
    def of(cls, pieces: list[str]) -> RunText:
        encoded = [p.encode("utf-8") for p in pieces]
        chars, char_lengths = _characters(pieces)
        return cls(b"".join(encoded), np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), chars,
                   char_lengths)


@dataclass
class Prepared:
    """What a run of whole documents contributes to a part: the work of :func:`build_part` that is done one
    document at a time (its continuous text, words, relations, titles, columns), done by :func:`prepare`. A
    builder prepares a part's documents in runs as they arrive (:mod:`indexer.index.builder`), so that only
    :func:`assemble` is left when the last is written. Section and document numbers count from the run's
    first."""

    doc_first: list[int]
    text: RunText
    words: Words
    relations: dict[str, np.ndarray]
    titles: list[bytes]
    doc_hash: np.ndarray
    added: np.ndarray
    columns: dict[str, np.ndarray]
    facets: dict[str, list[str | None]]
    custom: dict[int, str]

    @property
    def sections(self) -> int:
        return len(self.text.lengths)


def _doc_first(sections: Sequence[SectionInput]) -> list[int]:
    return [i for i, s in enumerate(sections) if i == 0 or s.doc_id != sections[i - 1].doc_id]


def _bounds(doc_first: list[int], sections: int) -> list[tuple[int, int]]:
    """Each document's first section and one past its last."""
    return list(zip(doc_first, doc_first[1:] + [sections], strict=False))


def _pieces(sections: Sequence[SectionInput], doc_first: list[int]) -> list[str]:
    """The sections' pieces of their documents' continuous text (:func:`indexer.index.doctext.document_pieces`)."""
    pieces: list[str] = []
    for lo, hi in _bounds(doc_first, len(sections)):
        m = sections[lo].meta
        pieces.extend(document_pieces(m.get("title"), bool(m.get("title_derived")),
                                      [(s.heading, s.text) for s in sections[lo:hi]], m.get("title_alt")))
    return pieces


def prepare(sections: Sequence[SectionInput], pieces: list[str] | None = None, text: RunText | None = None
            ) -> Prepared:
    """The per-document work of a part's build for ``sections`` (whole documents, in docnum order;
    ``pieces``, ``text``: their :func:`_pieces` and its :class:`RunText`, when already made)."""
    n = len(sections)
    doc_first = _doc_first(sections)
    bounds = _bounds(doc_first, n)
    pieces = _pieces(sections, doc_first) if pieces is None else pieces
    text = RunText.of(pieces) if text is None else text
    relations = relation_columns.build([(sections[lo].doc_id, sections[lo].meta,
                                         "\n".join(s.text for s in sections[lo:hi])) for lo, hi in bounds])
    doc_metas = [sections[i].meta for i in doc_first]
    metas = [s.meta for s in sections]
    columns: dict[str, np.ndarray] = {
        "year": np.array([m.get("year") or 0 for m in metas], dtype=np.int16),
        "date": np.array([date_key(m.get("date")) for m in metas], dtype=np.int32),
        "precision": np.array([date_precision(m.get("date"), m.get("date_precision")) for m in metas],
                              dtype=np.int8),
        "inferred": np.array([bool(m.get("date_inferred")) for m in metas], dtype=np.bool_)}
    at = np.concatenate(([0], np.cumsum(text.lengths))).tolist()
    doc_hash = np.array([int.from_bytes(hashlib.blake2b(text.utf8[at[lo]:at[hi]], digest_size=8).digest(),
                                        "little") for lo, hi in bounds], dtype=np.uint64)
    return Prepared(doc_first, text, _section_words(pieces), relations,
                    [normalize(m.get("title") or "").encode("utf-8") for m in doc_metas], doc_hash,
                    np.array([m.get("added") or 0.0 for m in doc_metas], dtype=np.float64), columns,
                    {f: [_facet_value(f, m) for m in metas] for f in FACETS},
                    {i: s.section_id for i, s in enumerate(sections) if s.section_id})


def build_part(sections: Sequence[SectionInput], folder: Path) -> None:
    """Write the derived data of ``sections`` (whole documents, in docnum order) into ``folder``."""
    assemble([], folder, sections)


def assemble(runs: Sequence[Prepared], folder: Path, rest: Sequence[SectionInput] = ()) -> None:
    """Write a part made of prepared runs of documents (:func:`prepare`) followed by the sections ``rest``
    (whole documents, all in docnum order) into ``folder``: the same files, byte for byte, as
    :func:`build_part` of all their sections at once."""
    rest_first = _doc_first(rest)
    rest_pieces = _pieces(rest, rest_first)
    sizes = [r.sections for r in runs] + [len(rest)]
    bases = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    n = int(bases[-1])
    doc_first = [first + int(base) for r, base in zip(runs, bases, strict=False) for first in r.doc_first]
    doc_first += [first + int(bases[-2]) for first in rest_first]
    doc_start = np.array(doc_first + [n], dtype=np.int64)
    rest_text = RunText.of(rest_pieces)
    texts = [r.text for r in runs] + [rest_text]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.concatenate([t.lengths for t in texts]), out=starts[1:])
    arrays: dict[str, np.ndarray] = {"starts": starts, "doc_start": doc_start}
    # the character layers are array operations that let go of the interpreter lock, the rest's words and
    # relations mostly Python: the layers are built in a thread meanwhile (a part's build is the import's tail)
    with ThreadPoolExecutor(1) as pool:
        layers = pool.submit(_character_layers, np.concatenate([t.chars for t in texts]),
                             np.concatenate([t.char_lengths for t in texts]), doc_start)
        runs = [*runs, prepare(rest, rest_pieces, rest_text)] if rest or not runs else list(runs)
        arrays["w_keys"], arrays["w_offs"], arrays["w_secs"], arrays["w_tf"] = _word_postings(
            [r.words for r in runs], bases[:len(runs)].tolist(), n)
        relations = runs[0].relations if len(runs) == 1 else relation_columns.combine(
            [r.relations for r in runs], [np.ones(len(r.doc_first), dtype=bool) for r in runs])
        layer_arrays, tg_min, qg_min = layers.result()
    arrays.update(layer_arrays)
    titles = [t for r in runs for t in r.titles]
    arrays["title_starts"] = np.zeros(len(titles) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in titles], out=arrays["title_starts"][1:])
    for name in runs[0].columns:
        arrays[name] = np.concatenate([r.columns[name] for r in runs])
    vocab: dict[str, list[str | None]] = {}
    for f in FACETS:
        arrays[f"f_{f}"], vocab[f] = _facet_codes([v for r in runs for v in r.facets[f]])
    arrays["doc_hash"] = np.concatenate([r.doc_hash for r in runs])
    arrays["added"] = np.concatenate([r.added for r in runs])
    custom = {str(i + int(base)): sid for r, base in zip(runs, bases, strict=False) for i, sid in r.custom.items()}
    arrays.update(relations)
    _write(folder, b"".join(t.utf8 for t in texts), b"".join(titles), arrays,
           {"format": FORMAT, "sections": n, "documents": len(doc_first), "vocab": vocab, "custom_ids": custom,
            "tg_min": tg_min, "qg_min": qg_min})


def _facet_value(name: str, meta: dict[str, Any]) -> str | None:
    """A document's value of a facet as its code stands for it (issuers normalised:
    :mod:`indexer.relations.issuers`)."""
    if name == "issuer":
        return issuer_value(meta.get("issuer")) or None
    return meta.get(name) or None


def _write(folder: Path, text: bytes, titles: bytes, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write a part's files into ``folder`` (new; nothing names it until a manifest does). On failure the
    folder is removed."""
    folder.mkdir(parents=True)
    try:
        # in pieces: a reader's random reads then map little of them (indexer/index/mappedfiles.py)
        write_bytes(folder / "text.bin", text or b"\0")  # mmap needs a non-empty file
        write_bytes(folder / "titles.bin", titles or b"\0")
        for name, arr in arrays.items():
            save_array(folder / f"{name}.npy", arr)
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def part_files(folder: Path) -> list[str]:
    """The names of a part's files (what a manifest lists for it)."""
    return ["text.bin", "titles.bin", "meta.json"] + [f"{name}.npy" for name in _ARRAYS]


@dataclass
class Part:
    """One part's derived data, memory-mapped (read-only)."""

    folder: Path
    sections: int
    documents: int
    text: PartText
    titles: mmap.mmap
    arrays: dict[str, np.ndarray]
    vocab: dict[str, list[str | None]]
    #: section (local number) → its id, for the few whose id is not ``doc_id#n``; None for a part written
    #: before parts recorded them (then ids are read from the stored records)
    custom_ids: dict[int, str] | None = None
    #: a bigram with postings of at least this many sections is frequent: the trigram layer holds every
    #: trigram of two frequent bigrams (:mod:`indexer.index.trigrams`)
    tg_min: int = trigrams.TG_MIN
    #: a trigram of the layer with postings of at least this many sections is frequent: the 4-gram layer
    #: holds every 4-gram of two frequent trigrams (:mod:`indexer.index.quadgrams`)
    qg_min: int = trigrams.TG_MIN

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    def postings(self, kind: str, key: int) -> slice:
        """The slice of ``{kind}_secs`` holding ``key`` (kind "bg", "tg" or "w"); empty if absent."""
        keys = self.arrays[f"{kind}_keys"]
        i = int(np.searchsorted(keys, np.uint64(key)))
        if i < len(keys) and int(keys[i]) == key:
            offs = self.arrays[f"{kind}_offs"]
            return slice(int(offs[i]), int(offs[i + 1]))
        return slice(0, 0)

    def range_postings(self, kind: str, lo: int, hi: int) -> slice:
        """The slice of postings of every key in ``[lo, hi)`` (all bigrams that start with one character)."""
        keys = self.arrays[f"{kind}_keys"]
        a = int(np.searchsorted(keys, np.uint64(lo)))
        b = int(np.searchsorted(keys, np.uint64(hi)))
        offs = self.arrays[f"{kind}_offs"]
        return slice(int(offs[a]), int(offs[b]))


def _decode_at(raw: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Code points of the UTF-8 characters whose first byte is at ``pos`` (vectorised)."""
    top = len(raw) - 1  # bytes past the end are never part of a valid character: clip, do not copy
    b = [raw[np.minimum(pos + k, top)].astype(np.uint32) for k in range(4)]
    cont = [x & 0x3F for x in b]
    return np.where(b[0] < 0x80, b[0],
                    np.where(b[0] < 0xE0, ((b[0] & 0x1F) << 6) | cont[1],
                             np.where(b[0] < 0xF0, ((b[0] & 0x0F) << 12) | (cont[1] << 6) | cont[2],
                                      ((b[0] & 0x07) << 18) | (cont[1] << 12) | (cont[2] << 6) | cont[3])))


def boundary_chars(part: Part) -> tuple[np.ndarray, np.ndarray]:
    """Each section's first and last character (code points; 0 for an empty section), cached per part."""
    return _kept(part, "_boundary", lambda: _boundary_chars(part))


def _kept(part: Part, name: str, compute: Callable[[], _T]) -> _T:
    """``compute()``, kept on the part under ``name`` (parts are immutable and shared by generations)."""
    cached: _T | None = part.__dict__.get(name)
    if cached is None:
        cached = part.__dict__[name] = compute()
    return cached


def _boundary_chars(part: Part) -> tuple[np.ndarray, np.ndarray]:
    raw = np.frombuffer(part.text.map, dtype=np.uint8)
    starts = np.asarray(part.starts, dtype=np.int64)
    lo, hi = starts[:-1], starts[1:]
    empty = hi <= lo
    first = _decode_at(raw, np.where(empty, 0, lo))
    last_pos = np.maximum(hi - 1, 0)
    for _ in range(3):  # step back over continuation bytes to the character's first byte
        back = ((raw[last_pos] & 0xC0) == 0x80) & (last_pos > lo)
        last_pos = last_pos - back
    last = _decode_at(raw, last_pos)
    return np.where(empty, 0, first).astype(np.uint32), np.where(empty, 0, last).astype(np.uint32)


def title_bigrams(part: Part) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bigram postings of a part's titles — ``(keys, offs, docs)``, ``docs`` the part's document numbers —
    made like the text's (:func:`_bigrams`, each title on its own: a title's last character pairs with 0),
    computed from ``titles.bin`` once per part and process (a few milliseconds; parts are reused by every
    generation that names them). Which titles hold a wording then costs postings lookups, not a scan of
    every title (:mod:`indexer.search.evaluate`)."""
    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        starts = np.asarray(part.title_starts, dtype=np.int64).tolist()
        raw = part.titles
        pieces = [raw[a:b].decode("utf-8", "replace") for a, b in zip(starts[:-1], starts[1:], strict=True)]
        chars, lens = _characters(pieces)
        return _bigrams(chars, lens, np.arange(len(pieces) + 1, dtype=np.int64))

    return _kept(part, "_title_bigrams", compute)


def load_part(folder: Path) -> Part:
    """Memory-map a part written by :func:`build_part`."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"derived data format {meta.get('format')} (expected {FORMAT})")
    # plain arrays over the memory map (np.memmap's own slicing runs Python code on every slice)
    arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}
    custom = meta.get("custom_ids")
    return Part(folder, meta["sections"], meta["documents"], PartText(folder / "text.bin"),
                map_file(folder / "titles.bin"), arrays, meta["vocab"],
                None if custom is None else {int(k): str(v) for k, v in custom.items()},
                int(meta["tg_min"]), int(meta["qg_min"]))


def release_pages(part: Part) -> None:
    """Unmap from this process the pages of ``part`` read so far (they stay in the page cache; the next read
    maps them again). Opening a part reads all of its arrays and a character at each end of every section
    (:func:`structure_problems`, :func:`boundary_chars`); without this, every worker would keep the whole
    index mapped — counted in its resident memory — when queries touch a small share of it."""
    maps = [part.text.map, part.titles]
    for arr in part.arrays.values():
        base = arr.base
        while base is not None and not isinstance(base, mmap.mmap):
            base = getattr(base, "_mmap", None) or getattr(base, "base", None)
        if isinstance(base, mmap.mmap):
            maps.append(base)
    if hasattr(mmap, "MADV_DONTNEED"):  # not on every platform
        for m in maps:
            if len(m):
                m.madvise(mmap.MADV_DONTNEED)


def structure_problems(part: Part) -> list[str]:
    """Invariants of a part's arrays that any damage to them is likely to break (cheap: a few passes over
    the small arrays, none over the text). Empty when the part is sound."""
    out: list[str] = []
    n, docs = part.sections, part.documents
    a = part.arrays
    text_len, titles_len = len(part.text), len(part.titles)

    def monotonic(name: str, length: int, last: int | None) -> None:
        arr = np.asarray(a[name])
        if len(arr) != length:
            out.append(f"{name}: {len(arr)} entries, expected {length}")
        elif len(arr) and (arr[0] != 0 or (np.diff(arr.astype(np.int64)) < 0).any()):
            out.append(f"{name}: not increasing from 0")
        elif last is not None and len(arr) and int(arr[-1]) != last:
            out.append(f"{name}: ends at {int(arr[-1])}, expected {last}")

    monotonic("starts", n + 1, text_len if int(np.asarray(a["starts"])[-1:].sum()) else None)
    if len(a["starts"]) == n + 1 and int(a["starts"][-1]) > text_len:
        out.append("starts: beyond the end of text.bin")
    monotonic("doc_start", docs + 1, n)
    monotonic("title_starts", docs + 1, None)
    if len(a["title_starts"]) == docs + 1 and int(a["title_starts"][-1]) > titles_len:
        out.append("title_starts: beyond the end of titles.bin")
    for kind in ("bg", "tg", "qg", "w"):
        keys, secs = a[f"{kind}_keys"], a[f"{kind}_secs"]
        if len(keys) > 1 and (np.diff(keys.astype(np.uint64)) <= 0).any():
            out.append(f"{kind}_keys: not strictly increasing")
        monotonic(f"{kind}_offs", len(keys) + 1, len(secs))
        if len(secs) and int(np.max(secs)) >= max(n, 1):
            out.append(f"{kind}_secs: a section number beyond {n}")
    if len(a["w_tf"]) != len(a["w_secs"]):
        out.append("w_tf: not one per word posting")
    for name in ("year", "date", "precision", "inferred") + tuple(f"f_{f}" for f in FACETS):
        if len(a[name]) != n:
            out.append(f"{name}: {len(a[name])} entries, expected {n}")
    for f in FACETS:
        codes = np.asarray(a[f"f_{f}"])
        if len(codes) and (int(codes.min()) < 0 or int(codes.max()) >= len(part.vocab.get(f, [None]))):
            out.append(f"f_{f}: a code outside its vocabulary")
    for name in ("doc_hash", "added"):
        if len(a[name]) != docs:
            out.append(f"{name}: {len(a[name])} entries, expected {docs}")
    if part.custom_ids and not all(0 <= i < n for i in part.custom_ids):
        out.append("meta.json: a custom section id beyond the part's sections")
    return out + relation_columns.problems(a, docs)
