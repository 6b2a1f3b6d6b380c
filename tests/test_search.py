"""Search semantics on a real index: keyword search, operators, filters, facets, snippets, bad syntax."""

from __future__ import annotations

import pytest

from indexer.search.results import to_json
from indexer.search.service import MAX_PER_PAGE, SearchParams
from indexer.text.normalize import normalize


def search(service, q: str, **kw) -> dict:
    """The search as the JSON API and ``search --json`` give it."""
    return to_json(service.search(SearchParams(q=q, **kw)))


def document(service, doc_id: str) -> dict | None:
    doc = service.document(doc_id)
    return None if doc is None else to_json(doc)


def marked(hit: dict) -> list[str]:
    return [hit["snippet"][s:e] for s, e in hit["highlights"]]


def all_hits(service, q: str, **kw) -> list[dict]:
    out, page = [], 1
    while True:
        r = search(service, q, per_page=100, page=page, **kw)
        out += r["hits"]
        if len(out) >= r["total"] or not r["hits"]:
            return out
        page += 1


def test_facet_counts_add_up_to_total(service) -> None:
    for q in ["统一战线", '"两个健康"', "民营经济 OR 非公经济", ""]:
        r = search(service, q)
        for facet, buckets in r["facets"].items():
            assert sum(b["count"] for b in buckets) == r["total"], (q, facet)


def test_filters_narrow_results(service) -> None:
    base = search(service, "统一战线")
    shanghai = search(service, "统一战线", province="上海")
    assert 0 < shanghai["total"] < base["total"]
    assert all(h["region"]["province"] == "上海" for h in all_hits(service, "统一战线", province="上海"))
    in_query = search(service, "统一战线 province:上海")
    assert in_query["total"] == shanghai["total"]
    y2020 = search(service, "统一战线", year=2020)
    assert all(h["year"] == 2020 for h in all_hits(service, "统一战线", year=2020))
    assert search(service, "统一战线 year:2020..2021")["total"] >= y2020["total"]
    ranged = all_hits(service, "统一战线", date_from="2021-01-01", date_to="2024-12-31")
    assert ranged and all(2021 <= h["year"] <= 2024 for h in ranged)
    assert all("2021-01-01" <= h["date"] <= "2024-12-31" for h in ranged if h["date_precision"] == "day")


def test_keyword_finds_words_inside_longer_words(service) -> None:
    hits = all_hits(service, "统一战线")
    exact = search(service, '"统一战线"')
    assert len(hits) >= exact["total"] > 0


def _texts_of(service, hits: list[dict]) -> list[str]:
    out = []
    for h in hits:
        doc = document(service, h["doc_id"])
        sec = next(s for s in doc["sections"] if s["section_id"] == h["section_id"])
        out.append(normalize((sec["heading"] or "") + sec["text"]))
    return out


@pytest.mark.parametrize("query,words,need", [
    ("民营经济 疫情", ["民营经济", "疫情"], 1),            # two terms side by side: either
    ("民营经济 疫情 统战部", ["民营经济", "疫情", "统战部"], 2),  # three: any two
    ("民营经济 AND 疫情", ["民营经济", "疫情"], 2),        # AND: both
    ("民营经济疫情", ["民营", "经济", "疫情"], 3),          # one term: all its words
])
def test_keyword_terms_match_all_but_one_and_and_requires_all(service, query, words, need) -> None:
    hits = all_hits(service, query)
    assert hits
    for text in _texts_of(service, hits):
        assert sum(w in text for w in words) >= need, (query, text[:80])


def test_keyword_hits_come_best_first_full_and_partial_matches_alike(service) -> None:
    hits = all_hits(service, "民营经济 疫情")
    both = [("民营经济" in t and "疫情" in t) for t in _texts_of(service, hits)]
    assert any(both) and not all(both)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_or_not_minus_and_parentheses(service) -> None:
    a = search(service, '"两个健康"')["total"]
    b = search(service, '"一线两面三结合"')["total"]
    both = search(service, '"两个健康" "一线两面三结合"')["total"]
    either = search(service, '"两个健康" OR "一线两面三结合"')["total"]
    assert either == a + b - both
    without = search(service, '"两个健康" NOT 常商服务卡')["total"]
    minus = search(service, '"两个健康" -常商服务卡')["total"]
    assert without == minus < a
    grouped = search(service, '("两个健康" OR "一线两面三结合") province:上海')["total"]
    assert 0 < grouped <= either


def test_title_field(service) -> None:
    hits = all_hits(service, "title:工作总结")
    assert hits and all("工作总结" in h["title"] for h in hits)


@pytest.mark.parametrize("bad", ['"两个健康', "((统一战线", "统一战线 OR", "NOT", ")", "year:abc", '""', "-", "title:"])
def test_malformed_syntax_degrades_to_literal(service, bad) -> None:
    """Bad syntax is searched as the words it holds (syntax characters dropped), with a notice; nothing left
    means everything."""
    from indexer.search.query import literal

    r = search(service, bad)
    plain = literal(bad, exact=False)
    if plain is None:
        assert r["total"] == search(service, "")["total"]
    else:
        words = " ".join(getattr(i, "text", "") for i in getattr(plain, "items", (plain,)))
        assert r["total"] == search(service, words)["total"]
        assert "malformed" in r.get("notice", "")


def test_unclosed_quote_searches_the_words(service) -> None:
    r = search(service, '"两个健康')
    assert r["total"] > 0 and "notice" in r


def test_snippet_marks_the_right_characters_in_traditional_text(service) -> None:
    hits = all_hits(service, '"统一战线"')
    trad = [h for h in hits if "統一戰線" in marked(h)]
    assert trad, "the traditional-character seed should be found and marked in its own characters"
    for h in hits:
        assert marked(h) and all(normalize(m) == "统一战线" for m in marked(h))


def test_exact_mode_treats_text_as_one_phrase(service) -> None:
    assert search(service, "两个 健康", mode="exact")["total"] == search(service, '"两个健康"')["total"]
    assert search(service, "(试行)", mode="exact")["total"] == search(service, '"(试行)"')["total"]


def test_sort_by_date_and_paging(service) -> None:
    r = search(service, "统一战线", sort="newest", per_page=5)
    dates = [h["date"] or "" for h in r["hits"]]
    assert dates == sorted(dates, reverse=True)
    page2 = search(service, "统一战线", sort="newest", per_page=5, page=2)
    assert not {h["section_id"] for h in r["hits"]} & {h["section_id"] for h in page2["hits"]}
    assert search(service, "统一战线", per_page=10_000)["per_page"] == MAX_PER_PAGE
    oldest = search(service, "统一战线", sort="oldest", per_page=5)["hits"]
    def latest_day(h: dict) -> str:  # a year-only date is not claimed earlier than the dated ones of its year
        return h["date"] if h["date_precision"] == "day" else f"{h['year']}-12-31"

    assert oldest[0]["year"] and [latest_day(h) for h in oldest] == sorted(latest_day(h) for h in oldest)


def test_relevance_prefers_exact_wording(service) -> None:
    r = search(service, "两个健康")
    assert "两个健康" in normalize(r["hits"][0]["snippet"]) or "兩個健康" in r["hits"][0]["snippet"]


def test_document_has_sections_in_order(service) -> None:
    hit = search(service, '"一线两面三结合"')["hits"][0]
    doc = document(service, hit["doc_id"])
    assert doc["title"] == "市委统战部2020年工作总结"
    ids = [s["section_id"] for s in doc["sections"]]
    assert ids == sorted(ids, key=lambda i: int(i.rsplit("#", 1)[1]))
    assert service.document("no/such/doc") is None


def test_count_by_agrees_with_filtered_searches(service) -> None:
    """Counts per (province, year) of documents using a wording, against one filtered search per cell."""
    table = service.count_by(SearchParams(q="统一战线", group="document"), ("province", "year"))
    assert table.total == search(service, "统一战线", group="document")["total"] == sum(table.counts.values())
    for (province, year), count in table.counts.items():
        if province is None or year is None:
            continue
        got = search(service, "统一战线", group="document", province=province, year=year)["total"]
        assert got == count, (province, year)


@pytest.mark.parametrize("query", ["民营经济 发展", "统一战线 工作 部门", "两个健康 民营经济"])
def test_head_is_reranked_and_the_rest_keeps_first_stage_order(service, query, monkeypatch) -> None:
    """rank(): the first stage's best HEAD sections come first, in their final order, then every other match
    in first-stage order (what lets the database backend page through the same order); grouped, each document
    at its first section in that order. A head of 3 sections, so that the small corpus has matching sections
    and documents beyond it."""
    import numpy as np

    if not hasattr(service, "live"):
        pytest.skip("the embedded index's ranking arrays (tests/test_backends.py compares the two backends)")

    from indexer.search import passages, ranking
    from indexer.search.evaluate import Matcher
    from indexer.search.exact import Budget
    from indexer.search.query import parse
    from indexer.search.rankquery import rank_query

    monkeypatch.setattr(passages, "HEAD", 3)
    gen, _ = service.live.current()
    matcher = Matcher(gen, Budget())
    tree, _ = parse(query)
    cand = np.flatnonzero(matcher.evaluate(tree) & gen.live)
    assert len(cand) > 10
    rq = rank_query(tree)
    first = ranking.bm25f(gen, matcher, cand, rq).scores
    order, final = ranking.rank(gen, matcher, cand, rq, len(cand), by_document=False)
    head = min(passages.HEAD, len(cand))
    assert sorted(order.tolist()) == list(range(len(cand)))
    assert set(order[:head].tolist()) == set(ranking.top(cand, first, gen.date_lo[cand], head).tolist())
    assert np.all(np.diff(final[order[:head]]) <= 0)
    assert np.all(np.diff(first[order[head:]]) <= 0) and np.array_equal(final[order[head:]], first[order[head:]])
    # grouped: each document once, at its first section in that order, however many are asked for
    docs = gen.doc_of[cand[order]]
    _, at = np.unique(docs, return_index=True)
    want = order[np.sort(at)]
    assert len(want) > head  # documents beyond the head's
    for k in range(1, len(want) + 2):
        got, scores = ranking.rank(gen, matcher, cand, rq, k, by_document=True)
        assert got.tolist() == want[:k].tolist() and np.array_equal(scores, final), k
