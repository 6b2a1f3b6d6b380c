"""A document's reuse text and its fingerprints (winnowed character n-grams).

The reuse text of a document is the concatenation of its sections' normalised text — exactly what the
derived ``text.bin`` holds per section, minus the title and heading that search prefixes with
:data:`indexer.index.doctext.SEP` — so offsets map back to the displayed text section by section
(:func:`indexer.text.normalize.normalize_with_offsets`).

Fingerprints: every character ``ngram``-gram is hashed (a 64-bit polynomial hash, mixed, of which 32 bits
are kept), and winnowing keeps the smallest hash of every ``window`` consecutive n-grams (Schleimer et al.).
Two texts that share a run of at least ``ngram + window - 1`` characters therefore share at least one
fingerprint at the same place in the run, whatever surrounds it; unspaced Chinese needs no word boundaries
for this. About one n-gram in ``(window + 1) / 2`` is kept: 4 bytes per 3.5 characters. A 32-bit hash can
collide; a collision only makes a candidate that alignment, comparing the characters, then rejects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from indexer.index.doctext import SEP
from indexer.search.generation import Generation

_MUL = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Params:
    """Detection parameters (stored with the data; a change rebuilds it)."""

    ngram: int = 6  # characters per n-gram
    window: int = 6  # winnowing window (n-grams): runs of 11+ characters always share a fingerprint
    max_df: int = 100  # an n-gram is rare in 2..max_df documents
    min_chars: int = 30  # shortest shared span kept (normalised characters, this document's side)
    max_gap: int = 8  # edits bridged: mismatched characters between two exact runs, on either side
    min_run: int = 3  # exact runs shorter than this do not count as matching
    version: int = 2

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def section_texts(gen: Generation, doc: int) -> list[str]:
    """The normalised text of each section of global document ``doc`` (title and headings left out)."""
    lo, hi = int(gen.doc_first[doc]), int(gen.doc_first[doc + 1])
    part, local = gen.locate(lo)
    starts = part.part.starts
    out = []
    for i in range(local, local + hi - lo):
        piece = bytes(part.part.text[int(starts[i]):int(starts[i + 1])]).decode("utf-8")
        out.append(piece.rsplit(SEP, 1)[-1])
    return out


def reuse_text(gen: Generation, doc: int) -> str:
    """A document's reuse text: its sections' normalised text joined."""
    return "".join(section_texts(gen, doc))


def codepoints(text: str) -> np.ndarray:
    """The text as an array of code points."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def fingerprints(text: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, positions) of the winnowed n-grams of ``text`` (code points), sorted by hash (uint32); each
    hash once (its first position), so a phrase repeated inside a document counts once."""
    n, w = params.ngram, params.window
    chars = text.astype(np.uint64)
    if len(chars) < n:
        return np.zeros(0, np.uint32), np.zeros(0, np.int32)
    count = len(chars) - n + 1
    h = np.zeros(count, np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _MUL + chars[k:k + count]
        h ^= h >> np.uint64(31)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(29)
    h = (h >> np.uint64(32)).astype(np.uint32)
    if count <= w:
        picked = np.array([int(np.argmin(h))], dtype=np.int64)
    else:
        windows = np.lib.stride_tricks.sliding_window_view(h, w)
        at = np.argmin(windows, axis=1) + np.arange(len(windows))  # non-decreasing: each window's leftmost minimum
        picked = at[np.concatenate(([True], at[1:] != at[:-1]))]
    hashes = h[picked]
    order = np.lexsort((picked, hashes))
    hashes, picked = hashes[order], picked[order]
    first = np.ones(len(hashes), dtype=bool)
    first[1:] = hashes[1:] != hashes[:-1]
    return hashes[first], picked[first].astype(np.int32)
