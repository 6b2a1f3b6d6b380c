"""A wording's sections as the search service takes them (indexer/search/exact.py ``Found``, through
``Matcher.sections``): kept as arrays while few, as a mask once many, the answer is the same — sections where
jieba emitted the wording as a word and sections where it lies inside a longer word, live sections only."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.document import Document, Extraction, Section
from indexer.search import exact
from indexer.search.backends import open_store
from indexer.search.evaluate import Matcher
from indexer.search.exact import Budget, exact_mask
from indexer.search.query import Phrase
from indexer.search.service import SearchParams, SearchService


def _doc(doc_id: str, *texts: str) -> Extraction:
    sections = [Section(f"{doc_id}#{i + 1}", None, t) for i, t in enumerate(texts)]
    return Extraction(documents=[Document(doc_id=doc_id, title=f"{doc_id}的说明", sections=sections)])


@pytest.fixture
def index(tmp_path):
    """统一战线 as a jieba word (统一战线工作), inside a longer word (爱国统一战线), in a document replaced since
    (its sections deleted), and twenty documents without it."""
    store = open_store(tmp_path / "index", create=True, reuse=False)
    try:
        with store.transaction() as tx:
            tx.write(_doc("known", "统一战线工作要加强。", "其他内容。"), "known", "k1", "t")
            tx.write(_doc("inside", "其他内容。", "巩固和发展最广泛的爱国统一战线。"), "inside", "i1", "t")
            tx.write(_doc("old", "统一战线工作的旧版本。"), "old", "o1", "t")
            for k in range(20):
                tx.write(_doc(f"noise{k}", f"第{k}号文件的内容。", "经济发展和社会建设。"), f"noise{k}", f"n{k}", "t")
        with store.transaction() as tx:
            tx.write(_doc("old", "新版本不再提及。"), "old", "o2", "t")  # the old version's sections deleted
    finally:
        store.close()
    svc = SearchService(tmp_path / "index")
    yield svc
    svc.close()


@pytest.mark.parametrize("dense", [1, 1 << 40], ids=["kept-as-sections", "kept-as-a-mask"])
def test_the_sections_are_the_same_however_they_are_kept(index, dense, monkeypatch) -> None:
    monkeypatch.setattr(exact, "DENSE", dense)
    gen, _ = index.live.current()
    got = Matcher(gen, Budget(60.0)).sections(Phrase("统一战线"), gen.live)
    ids = sorted(str(gen.stored(int(n))["section_id"]) for n in got)
    assert ids == ["inside#2", "known#1"]
    assert np.array_equal(got, np.flatnonzero(exact_mask(gen, "统一战线", Budget(60.0)) & gen.live))
    result = index.search(SearchParams(q='"统一战线"', mode="exact", group="section", per_page=10))
    assert sorted(h.section_id for h in result.hits) == ["inside#2", "known#1"]


def test_the_deleted_sections_are_there_until_restricted_to_the_live(index, monkeypatch) -> None:
    monkeypatch.setattr(exact, "DENSE", 1)
    gen, _ = index.live.current()
    found = exact.exact_found(gen, "统一战线", Budget(60.0))
    assert found.dense is None
    everything = np.ones(gen.n, dtype=bool)
    assert len(found.sections(everything)) == len(found.sections()) == 3  # the old version's section too
    assert len(found.sections(gen.live)) == 2
