"""The 4-gram layer (indexer/index/quadgrams.py) against a brute-force reading of the same text: every 4-gram
whose two trigrams are in the trigram layer with at least ``qg_min`` sections, credited to the section where
it starts, never across a document's end or holding the title separator — built from records, and built
again for a combined part. (The oracle tests search with every 4-gram layered:
``tests/test_many_parts.py[layer-everything]``.)"""

from __future__ import annotations

import numpy as np
import pytest
from test_trigram_layer import _docs, _layer, combined_of_three, layer_inputs

from indexer.index import quadgrams, trigrams
from indexer.index.doctext import SEP


def _expected(docs: list[list[str]], tg_min: int, qg_min: int) -> set[tuple[int, int]]:
    """(4-gram key, section) pairs read off each document's continuous text by hand."""
    bigram_secs: dict[str, set[int]] = {}
    positions: list[tuple[str, int]] = []  # (document text from a position, section)
    sec = 0
    for sections in docs:
        text = "".join(sections)
        owner = [s for s, piece in enumerate(sections, start=sec) for _ in piece]
        for i, ch in enumerate(text):
            if ch != SEP:
                bigram_secs.setdefault(text[i:i + 2].ljust(2, "\0"), set()).add(owner[i])
            positions.append((text[i:i + 4], owner[i]))
        sec += len(sections)
    frequent_bigrams = {b for b, secs in bigram_secs.items() if len(secs) >= tg_min and b[1] != "\0"}
    trigram_secs: dict[str, set[int]] = {}
    for t, s in positions:
        t = t[:3]
        if len(t) == 3 and SEP not in t and t[:2] in frequent_bigrams and t[1:] in frequent_bigrams:
            trigram_secs.setdefault(t, set()).add(s)
    place = {t: i for i, t in enumerate(sorted(trigram_secs, key=lambda t: trigrams.trigram_key(*t)))}
    frequent = {t for t, secs in trigram_secs.items() if len(secs) >= qg_min}
    return {(quadgrams.quadgram_key(place[q[:3]], q[3]), s) for q, s in positions
            if len(q) == 4 and q[:3] in frequent and q[1:] in frequent}


def _built(docs: list[list[str]], tg_min: int, qg_min: int) -> tuple[set[tuple[int, int]], int]:
    chars, char_starts, doc_ends, keys, offs = layer_inputs(docs)
    tk, to, _, _ = trigrams.build(chars, char_starts, doc_ends, keys, offs, np.uint16, tg_min)
    qk, qo, qs, used = quadgrams.build(chars, char_starts, doc_ends, tk, to, np.uint16, qg_min)
    assert (np.diff(qk.astype(np.uint64)) > 0).all() and len(qo) == len(qk) + 1 and qo[-1] == len(qs)
    return _layer(qk, qo, qs), used


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize(("tg_min", "qg_min"), [(1, 1), (2, 1), (1, 3), (2, 2)])
def test_the_layer_holds_exactly_the_4_grams_of_frequent_trigrams(seed, tg_min, qg_min) -> None:
    docs = _docs(seed)
    got, used = _built(docs, tg_min, qg_min)
    assert used == qg_min
    assert got == _expected(docs, tg_min, qg_min)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("bits", [1, 3, 6])
@pytest.mark.parametrize("qg_min", [1, 3])
def test_trigrams_that_share_a_slot_of_the_place_table_are_all_found(seed, bits, qg_min, monkeypatch) -> None:
    """With a table of a few slots frequent trigrams share their slot with others (searched for instead),
    and trigrams that are not frequent land on a frequent one's slot (told apart by its key)."""
    monkeypatch.setattr(quadgrams, "_HASH_BITS", bits)
    docs = _docs(seed)
    got, _ = _built(docs, 1, qg_min)
    assert got == _expected(docs, 1, qg_min)


def test_a_4_gram_across_a_section_break_belongs_where_it_starts_and_none_crosses_a_document() -> None:
    docs = [["统一战", "线工作"], ["的发展"], ["统一战线", "工作"]]
    got, _ = _built(docs, 1, 1)
    sections = {s for _, s in got}
    # 统一战线, 一战线工 and 战线工作 start in section 0 (running into section 1) and in section 3; 线工作的 and
    # 工作的发 would run across a document's end, 的发展 is too short
    assert sections == {0, 3}
    assert len({k for k, _ in got}) == 3 and got == _expected(docs, 1, 1)


def test_a_combined_part_has_the_layer_of_its_text(tmp_path) -> None:
    """Parts of one document each have no frequent trigram at a threshold of 2; combined, they do."""
    parts, merged = combined_of_three(tmp_path)
    assert all(not len(p.qg_keys) for p in parts)
    assert merged.qg_min == 2
    got = _layer(merged.qg_keys, merged.qg_offs, merged.qg_secs)
    assert {s for _, s in got} == {0, 1, 2} and len({k for k, _ in got}) == 3  # 统一战线, 一战线工, 战线工作
