"""The trigram layer (indexer/index/trigrams.py) against a brute-force reading of the same text: every trigram
of two frequent bigrams, credited to the section where it starts, never across a document's end or holding
the title separator — built from records and built again for a combined part."""

from __future__ import annotations

import random

import numpy as np
import pytest

from indexer.index import derived, trigrams
from indexer.index.doctext import SEP


def _docs(seed: int) -> list[list[str]]:
    """Random documents of random sections over a small alphabet (so bigrams repeat), some holding SEP."""
    rng = random.Random(seed)
    alphabet = "统一战线工作的发展。建设社会主义"
    docs = []
    for _ in range(rng.randint(1, 12)):
        sections = []
        for _ in range(rng.randint(1, 6)):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            if text and rng.random() < 0.2:
                at = rng.randrange(len(text))
                text = text[:at] + SEP + text[at:]
            sections.append(text)
        docs.append(sections)
    return docs


def _expected(docs: list[list[str]], tg_min: int) -> set[tuple[int, int]]:
    """(trigram key, section) pairs read off each document's continuous text by hand."""
    bigram_secs: dict[tuple[str, str], set[int]] = {}
    occurrences: list[tuple[str, int]] = []  # (document text from a position, section) per position
    sec = 0
    for sections in docs:
        text = "".join(sections)
        owner = [s for s, piece in enumerate(sections, start=sec) for _ in piece]
        for i, ch in enumerate(text):
            nxt = text[i + 1] if i + 1 < len(text) else "\0"
            if ch != SEP:
                bigram_secs.setdefault((ch, nxt), set()).add(owner[i])
            occurrences.append((text[i:i + 3], owner[i]))
        sec += len(sections)
    frequent = {b for b, secs in bigram_secs.items() if len(secs) >= tg_min and b[1] != "\0"}
    return {(trigrams.trigram_key(*t), s) for t, s in occurrences
            if len(t) == 3 and SEP not in t and (t[0], t[1]) in frequent and (t[1], t[2]) in frequent}


def _layer(keys: np.ndarray, offs: np.ndarray, secs: np.ndarray) -> set[tuple[int, int]]:
    return {(int(k), int(s)) for k, lo, hi in zip(keys, offs[:-1], offs[1:], strict=True) for s in secs[lo:hi]}


def layer_inputs(docs: list[list[str]]) -> tuple[np.ndarray, ...]:
    """What a part's layers are built from, for documents given as their sections' texts: the characters, where
    each section and each document ends, and the bigram postings' keys and offsets."""
    pieces = [p for sections in docs for p in sections]
    doc_start = np.cumsum([0] + [len(s) for s in docs])
    keys, offs, _ = derived._bigrams(*derived._characters(pieces), doc_start)
    starts = np.cumsum([0] + [len(p.encode("utf-8")) for p in pieces])
    chars, char_starts, doc_ends = trigrams.characters("".join(pieces).encode("utf-8"), starts, doc_start)
    return chars, char_starts, doc_ends, keys, offs


def _built(docs: list[list[str]], tg_min: int) -> tuple[set[tuple[int, int]], int]:
    chars, char_starts, doc_ends, keys, offs = layer_inputs(docs)
    tk, to, ts, used = trigrams.build(chars, char_starts, doc_ends, keys, offs, np.uint16, tg_min)
    assert (np.diff(tk.astype(np.uint64)) > 0).all() and len(to) == len(tk) + 1
    return _layer(tk, to, ts), used


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("tg_min", [1, 2, 4])
def test_the_layer_holds_exactly_the_trigrams_of_frequent_bigrams(seed, tg_min) -> None:
    docs = _docs(seed)
    got, used = _built(docs, tg_min)
    assert used == tg_min
    assert got == _expected(docs, tg_min)


def test_a_trigram_across_a_section_break_belongs_where_it_starts_and_none_crosses_a_document() -> None:
    docs = [["统一战", "线工作"], ["的发展"]]
    got, _ = _built(docs, 1)
    key = trigrams.trigram_key
    assert (key("一", "战", "线"), 0) in got and (key("战", "线", "工"), 0) in got and (key("线", "工", "作"), 1) in got
    assert not any(k in (key("工", "作", "的"), key("作", "的", "发")) for k, _ in got)


def combined_of_three(tmp_path) -> tuple[list[derived.Part], derived.Part]:
    """Three parts of one document each (统一战线工作), and the part combining them, at a threshold of 2."""
    from indexer.index import combine

    folders = []
    for i in range(3):
        folder = tmp_path / f"p{i}"
        derived.build_part([derived.SectionInput(f"d{i}", None, "统一战线工作", {"title": f"第{i}号"})], folder)
        folders.append(folder)
    parts = [derived.load_part(f) for f in folders]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(trigrams, "TG_MIN", 2)
        combine.combine(parts, [np.ones(1, bool)] * 3, tmp_path / "c")
    return parts, derived.load_part(tmp_path / "c")


def test_a_combined_part_has_the_layer_of_its_text(tmp_path) -> None:
    """Parts of one document each have no frequent bigram at a threshold of 2; combined, they do."""
    parts, merged = combined_of_three(tmp_path)
    assert all(not len(p.tg_keys) for p in parts)  # built at the shipped threshold: no layer
    assert merged.tg_min == 2
    got = _layer(merged.tg_keys, merged.tg_offs, merged.tg_secs)
    assert (trigrams.trigram_key("统", "一", "战"), 0) in got and {s for _, s in got} == {0, 1, 2}
