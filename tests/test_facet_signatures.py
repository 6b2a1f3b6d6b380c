"""Facet counts made from the generation's signatures (distinct combinations of facet values) are the counts
of each value over the matches: the same as counting every facet over every match, and as reading the
matching documents' own records, for few and for many matches, sections and documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from indexer.search import facets
from indexer.search.evaluate import Budget
from indexer.search.service import SearchParams, SearchService

QUERIES = ["的", "统一战线", "发展", "工作", "民族", "两个健康", "宗教", "人士", "。"]


@pytest.fixture(scope="module")
def served(corpus_index):
    service = SearchService(Path(corpus_index[0]))
    yield service
    service.close()


def _rows(service: SearchService, q: str) -> list[np.ndarray]:
    gen, _ = service.live.current()
    _, cand, _, _, _ = service._matches(gen, SearchParams(q=q, mode="exact"), Budget(30))
    return [cand, facets.representatives(gen, cand), cand[:1], cand[:0]]


def test_signatures_are_fewer_than_sections_and_number_every_section(served) -> None:
    gen, _ = served.live.current()
    table = facets.facet_table(gen)
    assert table is not None
    assert 0 < table.size < gen.n
    assert len(table.sig) == gen.n and int(table.sig.max()) == table.size - 1


def test_counts_from_signatures_equal_counts_over_every_match(served, monkeypatch) -> None:
    gen, _ = served.live.current()
    table = facets.facet_table(gen)
    assert table is not None
    seen_many = 0
    for q in QUERIES:
        for rows in _rows(served, q):
            seen_many += len(rows) >= table.size  # the signature path is taken for these
            with_table = facets.facet_counts(gen, rows)
            monkeypatch.setitem(facets._tables, gen, None)  # as for a generation whose combinations do not fit
            assert facets.facet_counts(gen, rows) == with_table, q
            monkeypatch.setitem(facets._tables, gen, table)
    assert seen_many >= 3, "the corpus has queries with more matches than signatures"


def test_counts_are_the_documents_own_values(served) -> None:
    gen, _ = served.live.current()
    rows = _rows(served, "统一战线")[1]  # one section per matching document
    assert len(rows) >= facets.facet_table(gen).size
    counted = facets.facet_counts(gen, rows)
    metas = [gen.stored(int(r))["meta"] for r in rows]
    for name in ("province", "doctype", "collection"):
        expected = Counter(m.get(name) or None for m in metas)
        assert {f.value: f.count for f in counted[name]} == dict(expected), name
    years = Counter(m.get("year") or None for m in metas)
    inferred = Counter(m.get("year") for m in metas if m.get("date_inferred"))
    assert {f.value: (f.count, f.inferred) for f in counted["year"]} == \
        {y: (c, inferred.get(y, 0)) for y, c in years.items()}
    assert [f.value for f in counted["year"]] == sorted(years, key=lambda y: (y is None, -(y or 0)))


def test_a_generation_whose_combinations_do_not_fit_counts_every_facet(served, monkeypatch) -> None:
    gen, _ = served.live.current()
    rows = _rows(served, "统一战线")[0]
    expected = facets.facet_counts(gen, rows)
    monkeypatch.setattr(facets, "_KEY_BITS", 1)
    monkeypatch.delitem(facets._tables, gen)
    assert facets.facet_table(gen) is None
    assert facets.facet_counts(gen, rows) == expected
    monkeypatch.delitem(facets._tables, gen)  # built again, with the real limit, after the test
