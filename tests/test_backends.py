"""Both backends give the same answers: one corpus imported into an index folder and into a database, the same
requests, the same JSON — hits in the same order with the same scores and snippets, the same totals and facet
counts, the same concordance lines, exports and shared passages — after every change (re-import of a changed
file, duplicates, a deletion)."""

from __future__ import annotations

import shutil

import pytest
from conftest import CORPUS
from reuse_fixtures import PLANTED, RECEIVER, TEMPLATE_REUSE

from indexer.index.importer import import_paths
from indexer.search.backends import open_backend
from indexer.search.results import to_json
from indexer.search.service import SearchParams

QUERIES = ["统一战线", '"两个健康"', "民营经济 OR 非公经济", "", "统", '"一线两面三结合"', "两个健康", "统一战线 province:上海",
           '"两个健康" -常商服务卡', "title:工作总结", "统一战线 year:2020..2021", "民营经济 疫情", '"兩個健康"', "((统一战线",
           '"统一战线" 民营 经济', "统战部 工作", "中华民族共同体意识", "province:unknown 工作", "发展 NOT 经济", "的",
           "统一战线 民营经济 疫情防控", "统战 两个健康 非公经济 乡村振兴 港澳台 侨务", "统一战线 AND 民营经济"]
VARIANTS = [{}, {"sort": "newest"}, {"sort": "oldest"}, {"group": "document"}, {"mode": "exact"},
            {"province": "上海"}, {"date_from": "2021-01-01", "date_to": "2024-12-31"}, {"year": 0},
            {"page": 2, "per_page": 5}, {"group": "document", "sort": "oldest", "per_page": 3, "page": 2},
            {"sort": "added"}, {"group": "document", "sort": "added"}, {"synonyms": False},
            {"group": "document", "per_page": 30, "page": 4}]
CHANGED = "关于加强统战工作的通知\n\n一、总体要求\n\n各地要坚持大统战工作格局。比对专用新版措辞。\n"


@pytest.fixture
def pair(tmp_path, pg_url, shared_or_none):
    """(folder, index, database URL): the shipped corpus (and ../shared's reports when present) in both, plus a
    copy of one file (a duplicate) and the planted shared passages of the reuse tests."""
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    shutil.copy(CORPUS / "changzhou_2020_tz_work_review.txt", folder / "changzhou_copy.txt")
    lines = (folder / RECEIVER).read_text(encoding="utf-8").split("\n")  # shared passages (tests/test_reuse.py)
    (folder / RECEIVER).write_text("\n".join(lines[:4] + [PLANTED] + lines[4:]), encoding="utf-8")
    (folder / "taizhou_2021_summary.txt").write_text(TEMPLATE_REUSE, encoding="utf-8")
    if shared_or_none is not None:
        for f in sorted((shared_or_none / "corpus" / "reports").glob("*.txt"))[:60]:
            shutil.copy(f, folder / f.name)
    index = tmp_path / "index"
    for target in (index, pg_url):
        import_paths([folder], target, procs=2)
    return folder, index, pg_url


@pytest.fixture
def shared_or_none():
    from conftest import SHARED

    return SHARED if (SHARED / "corpus" / "reports").is_dir() else None


def plain(obj):
    """A result as JSON, without the time each document was imported (the two imports ran at other times)."""
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "added"}
        return [strip(v) for v in x] if isinstance(x, list) else x

    return strip(to_json(obj))


def compare(index, url) -> int:
    """Compare every query × variant, the stats, count_by and the documents of the first hits; returns the
    number of searches compared."""
    whoosh, pg = open_backend(index), open_backend(url)
    try:
        n = 0
        doc_ids: set[str] = set()
        for q in QUERIES:
            for v in VARIANTS:
                a, b = plain(whoosh.search(SearchParams(q=q, **v))), plain(pg.search(SearchParams(q=q, **v)))
                assert a == b, (q, v, _first_difference(a, b))
                doc_ids.update(h["doc_id"] for h in a["hits"][:2])
                n += 1
        sa, sb = to_json(whoosh.stats()), to_json(pg.stats())
        assert {**sa, "index_bytes": 0} == {**sb, "index_bytes": 0}
        for fields in [("province", "year"), ("doctype",), ("year", "collection", "city")]:
            for group in ("section", "document"):
                p = SearchParams(q="统一战线", group=group)
                assert whoosh.count_by(p, fields) == pg.count_by(p, fields)
        for doc_id in sorted(doc_ids) + ["docs/changzhou_copy.txt", "no/such/doc"]:
            a_doc, b_doc = whoosh.document(doc_id), pg.document(doc_id)
            assert (a_doc is None) == (b_doc is None) and to_json(a_doc) == to_json(b_doc), doc_id
            assert to_json(whoosh.reuse(doc_id)) == to_json(pg.reuse(doc_id)), doc_id
        compare_research(whoosh, pg)
        return n
    finally:
        whoosh.close()
        pg.close()


def compare_research(whoosh, pg) -> None:
    """Concordance lines (every occurrence, ordered by a key), exports and the pairs of shared passages."""
    for q, mode in [("统一战线", "exact"), ("两个健康 民营经济", "keyword"), ("统", "exact"), ('"一线两面三结合"', "keyword")]:
        p = SearchParams(q=q, mode=mode)
        for order in (None, lambda o: (o.right, o.doc_id)):
            a = whoosh.occurrences(p, width=12, order=order, window=(0, 300))
            b = pg.occurrences(p, width=12, order=order, window=(0, 300))
            assert to_json(a) == to_json(b), q
        for group in ("section", "document"):
            params = SearchParams(q=q, mode=mode, group=group, sort="relevance")
            assert [plain(h) for h in whoosh.iter_hits(params, 300)] == \
                [plain(h) for h in pg.iter_hits(params, 300)], (q, group)
    assert whoosh.reuse_pairs(per_page=1).total >= 2, "the planted passages are shared"
    for filters in [{}, {"province": "上海"}, {"year": 0}]:
        assert to_json(whoosh.reuse_pairs(per_page=100, **filters)) == to_json(pg.reuse_pairs(per_page=100, **filters))


def _first_difference(a: dict, b: dict) -> str:
    for key in a:
        if a[key] != b.get(key):
            if key == "hits":
                for i, (x, y) in enumerate(zip(a[key], b[key], strict=False)):
                    if x != y:
                        return f"hit {i}: " + str({k: (x[k], y[k]) for k in x if x[k] != y.get(k)})
            return f"{key}: {str(a[key])[:300]} != {str(b.get(key))[:300]}"
    return ""


def test_same_json_from_both_backends_through_changes(pair) -> None:
    folder, index, url = pair
    assert compare(index, url) == len(QUERIES) * len(VARIANTS)
    doc = open_backend(url)
    try:
        copy = to_json(doc.document("docs/changzhou_copy.txt"))
    finally:
        doc.close()
    assert copy["doc_id"] == "docs/changzhou_2020_tz_work_review.txt"  # the duplicate shows the first one
    assert copy["sources"] == ["docs/changzhou_2020_tz_work_review.txt", "docs/changzhou_copy.txt"]

    (folder / "changzhou_2020_tz_work_review.txt").write_text(CHANGED, encoding="utf-8")  # the copy now stands alone
    (folder / "shanghai_tzb_intro_and_2020_summary.txt").unlink()
    for target in (index, url):
        summary = import_paths([folder], target, procs=2, prune=True)
        assert summary.replaced == 1 and summary.pruned == 1
    compare(index, url)
