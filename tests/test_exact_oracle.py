"""Exact wording never misses: recall and precision 1.0 against a brute-force scan of every section."""

from __future__ import annotations

import random

import pytest

from indexer.extract.pipeline import extract_file
from indexer.search.service import SearchParams
from indexer.text.normalize import normalize, to_traditional


@pytest.fixture(scope="module")
def sections(corpus_index):
    """Every section of the indexed files, extracted independently of the index."""
    _, folder = corpus_index
    out = {}
    for f in sorted(folder.glob("*.txt")):
        for doc in extract_file(f, f"{folder.name}/{f.name}").documents:
            for s in doc.sections:
                out[s.section_id] = (normalize(s.heading or ""), normalize(s.text))
    return out


def oracle(sections, query: str) -> set[str]:
    needle = normalize(query)
    return {sid for sid, (heading, text) in sections.items() if needle in heading or needle in text}


def found(service, query: str) -> tuple[int, set[str]]:
    first = service.search(SearchParams(q=f'"{query}"', per_page=100))
    ids = {h["section_id"] for h in first["hits"]}
    page = 2
    while len(ids) < min(first["total"], 600):
        more = service.search(SearchParams(q=f'"{query}"', per_page=100, page=page))["hits"]
        if not more:
            break
        ids |= {h["section_id"] for h in more}
        page += 1
    return first["total"], ids


def random_queries(sections, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [t for _, t in sections.values() if len(t) > 25]
    out = []
    while len(out) < count:
        text = rng.choice(texts)
        size = rng.randint(1, 20)
        start = rng.randrange(0, len(text) - size)
        q = text[start:start + size]
        if '"' not in q:
            out.append(q)
    return out


def test_index_covers_every_section(service, sections) -> None:
    assert service.stats()["sections"] == len(sections)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_substrings_recall_and_precision(service, sections, seed) -> None:
    for q in random_queries(sections, 60, seed):
        want = oracle(sections, q)
        total, got = found(service, q)
        assert total == len(want), q
        if total <= 600:
            assert got == want, q


def test_traditional_forms_of_random_substrings(service, sections) -> None:
    for q in random_queries(sections, 60, 7):
        trad = to_traditional(q)
        want = oracle(sections, trad)
        total, got = found(service, trad)
        assert total == len(want), (q, trad)
        if total <= 600:
            assert got == want


@pytest.mark.parametrize("query", ["两个健康", "一线两面三结合", "统一战线", "兩個健康", "統一戰線", "统",
                                   "ＸＸ市", "中华民族共同体意识"])
def test_named_phrases(service, sections, query) -> None:
    total, got = found(service, query)
    want = oracle(sections, query)
    assert total == len(want) and got == want
    assert total > 0
