"""Exact wording at its edges, on both backends, against a brute-force scan: LIKE's own characters (% _ \\) in
the wording, characters outside the Basic Multilingual Plane, wordings longer than a section's stored tail,
wordings running across several short sections, and overlapping occurrences across a break."""

from __future__ import annotations

import bisect

import pytest

from indexer.extract.pipeline import extract_file
from indexer.index.doctext import document_pieces
from indexer.index.importer import import_paths
from indexer.search.backends import open_backend
from indexer.search.service import SearchParams
from indexer.text.normalize import normalize

LONG = "坚持和完善中国共产党领导的多党合作和政治协商制度，巩固和发展最广泛的爱国统一战线，团结一切可以团结的力量，调动一切可以调动的积极因素"
DOC = f"""关于边界情况的说明

一、百分比

任务完成率达到100%_以上，路径为c:\\tz\\files，另记a_b与a%b两种写法。

二、生僻字

𠮷野家与𡈽地两处用字，𠮷字单独出现。

三、长句

{LONG[:30]}

四、续一

{LONG[30:45]}

五、续二

{LONG[45:]}。哈哈

六、重复

哈哈哈哈。
"""
QUERIES = ["100%_以上", "%_", "a_b", "a%b", "c:\\tz", "\\", "%", "_", "𠮷", "𠮷野家", "𡈽地两处", "两处用字，𠮷",
           LONG[:20], "哈哈", "哈哈哈", "。哈哈六、", "积极因素。哈"]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, pg_server):
    folder = tmp_path_factory.mktemp("edges") / "docs"
    folder.mkdir()
    (folder / "edges.txt").write_text(DOC, encoding="utf-8")
    index, url = folder.parent / "index", pg_server.database()
    for target in (index, url):
        import_paths([folder], target)
    docs = []
    for doc in extract_file(folder / "edges.txt", "docs/edges.txt").documents:
        pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections])
        docs.append(("".join(pieces), [s.section_id for s in doc.sections],
                     [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))]))
    return index, url, docs


def oracle(docs, query: str) -> set[str]:
    needle, found = normalize(query), set()
    for text, ids, starts in docs:
        pos = text.find(needle)
        while pos != -1:
            found.add(ids[bisect.bisect_right(starts, pos) - 1])
            pos = text.find(needle, pos + 1)
    return found


@pytest.mark.parametrize("backend", ["whoosh", "postgresql"])
def test_edge_wordings_match_the_oracle(indexed, backend) -> None:
    index, url, docs = indexed
    service = open_backend(url if backend == "postgresql" else index)
    try:
        assert len(docs[0][1]) >= 6, "the document should be cut into several sections"
        text, _, starts = docs[0]
        spans = [text[b - 5:b + 70] for b in starts[1:]] + [text[b - 60:b + 6] for b in starts[2:]]
        for q in QUERIES + spans:
            want = oracle(docs, q)
            r = service.search(SearchParams(q=q, mode="exact", per_page=100))
            assert {h.section_id for h in r.hits} == want and r.total == len(want), q
        assert all(oracle(docs, q) for q in spans) and oracle(docs, "%_") and oracle(docs, "𠮷")
    finally:
        service.close()
