"""Research views on a corpus with known dates and regions, every count checked by brute force: documents
vs passages, first use (a year-only date, an undated document), trend counts and shares, spread first years,
concordance occurrences (two in one section count twice)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from research_corpus import DOCS, A, B, oracle

from indexer.research.concordance import SORTS, concordance, date_bounds
from indexer.research.first import first_use
from indexer.research.spread import spread
from indexer.research.trend import trend
from indexer.search.service import SearchParams
from indexer.text.normalize import normalize


def exact(q: str, **filters) -> SearchParams:
    return SearchParams(q=q, mode="exact", **filters)


@pytest.mark.parametrize("wording", [A, B])
def test_documents_and_passages_are_counted_apart(research_service, wording) -> None:
    truth = oracle(research_service, wording)
    passages = research_service.search(exact(wording))
    documents = research_service.search(SearchParams(q=wording, mode="exact", group="document", per_page=100))
    assert passages.total == sum(t.sections for t in truth)
    assert documents.total == documents.total_documents == passages.total_documents == sum(
        1 for t in truth if t.occurrences)
    assert passages.total > documents.total  # some documents use it in several passages
    by_doc = {h.doc_id: h.matches for h in documents.hits}
    assert by_doc == {t.doc_id: t.sections for t in truth if t.occurrences}
    provinces = Counter(t.province for t in truth if t.occurrences)
    assert {f.value: f.count for f in documents.facets["province"]} == dict(provinces)


def _oldest_key(t) -> tuple:
    return (t.date is None, date_bounds(t.date)[1], t.doc_id)


def test_first_use_is_oldest_first_with_precision(research_service) -> None:
    truth = [t for t in oracle(research_service, A) if t.occurrences]
    found = first_use(research_service, exact(A), n=100)
    assert [h.doc_id for h in found.hits] == [t.doc_id for t in sorted(truth, key=_oldest_key)]
    assert found.total_documents == len(truth)
    assert found.undated == sum(1 for t in truth if t.date is None) == 1
    order = [h.doc_id.rsplit("/", 1)[1] for h in found.hits]
    # 2018 (year only) is not claimed earlier than 2018-03-05 and 2018-11-20; the undated document is last
    assert order.index("h01.txt") < order.index("h03.txt") < order.index("h02.txt")
    assert order[-1] == "h06.txt" and found.hits[-1].date is None
    h02 = found.hits[order.index("h02.txt")]
    assert (h02.date, h02.date_precision) == ("2018", "year")
    h04 = found.hits[order.index("h04.txt")]
    assert (h04.date, h04.date_precision, h04.region.province) == ("2019-06", "month", "江苏")
    assert all(A in normalize(h.snippet) or "两个健康" in normalize(h.snippet) for h in found.hits)


def test_first_use_applies_filters_and_n(research_service) -> None:
    found = first_use(research_service, exact(A, province="上海"), n=1)
    assert [h.doc_id for h in found.hits] == [min(
        (t for t in oracle(research_service, A) if t.occurrences and t.province == "上海"), key=_oldest_key).doc_id]


def test_trend_counts_and_shares(research_service) -> None:
    result = trend(research_service, [A, B], SearchParams(mode="exact"))
    per_year = Counter(int(d.date[:4]) for d in DOCS if d.date)
    assert [(y.year, y.documents) for y in result.totals] == sorted(per_year.items())
    assert result.undated == sum(1 for d in DOCS if not d.date)
    for series, wording in zip(result.series, [A, B], strict=True):
        truth = [t for t in oracle(research_service, wording) if t.occurrences]
        used = Counter(t.year for t in truth if t.year)
        assert series.query == wording and series.documents == len(truth)
        assert series.undated == sum(1 for t in truth if t.year is None)
        assert [y.year for y in series.years] == sorted(per_year)
        for y in series.years:
            assert y.documents == used.get(y.year, 0)
            assert y.share == pytest.approx(used.get(y.year, 0) / per_year[y.year], abs=1e-6)


def test_trend_filters_change_the_denominators(research_service) -> None:
    result = trend(research_service, [A], SearchParams(mode="exact", province="上海"))
    assert [(y.year, y.documents) for y in result.totals] == sorted(
        Counter(int(d.date[:4]) for d in DOCS if d.date and d.region == "上海").items())
    truth = [t for t in oracle(research_service, A) if t.occurrences and t.province == "上海"]
    assert result.series[0].documents == len(truth)


@pytest.mark.parametrize("wording", [A, B])
def test_spread_first_years_and_counts(research_service, wording) -> None:
    truth = [t for t in oracle(research_service, wording) if t.occurrences]
    result = spread(research_service, exact(wording))
    expected: dict[str | None, Counter] = defaultdict(Counter)
    for t in truth:
        expected[t.province][t.year] += 1
    rows = {r.province: r for r in result.provinces}
    assert set(rows) == set(expected)
    for province, years in expected.items():
        row = rows[province]
        dated = [y for y in years if y is not None]
        assert row.first_year == (min(dated) if dated else None), province
        assert row.documents == sum(years.values()) and row.undated == years.get(None, 0)
        assert [(y.year, y.documents) for y in row.years] == sorted((y, n) for y, n in years.items() if y)
    assert result.provinces[0].province == "全国"
    if None in rows:
        assert result.provinces[-1].province is None
    firsts = [r.first_year for r in result.provinces[1:] if r.province and r.first_year]
    assert firsts == sorted(firsts)
    assert result.first_year == min(t.year for t in truth if t.year)
    assert result.total_documents == len(truth)


@pytest.mark.parametrize("wording", [A, B, "健", "统战工作"])
def test_concordance_lists_every_occurrence(research_service, wording) -> None:
    truth = oracle(research_service, wording)
    first = concordance(research_service, exact(wording), width=10, sort="document", per_page=7)
    assert first.total == sum(t.occurrences for t in truth)
    assert first.documents == sum(1 for t in truth if t.occurrences)
    lines = []
    for page in range(1, first.total // 7 + 2):
        lines += concordance(research_service, exact(wording), width=10, sort="document", page=page,
                             per_page=7).lines
    assert len(lines) == first.total
    assert Counter(line.doc_id for line in lines) == {t.doc_id: t.occurrences for t in truth if t.occurrences}
    for line in lines:
        assert normalize(line.match) == normalize(wording)
        assert len(line.left) <= 10 and len(line.right) <= 10
        assert line.section_id.startswith(line.doc_id + "#") and line.url.startswith("/doc/")


def test_two_uses_in_one_section_are_two_lines_in_original_script(research_service) -> None:
    lines = concordance(research_service, exact(A), width=8, sort="document", per_page=200).lines
    h02 = [line for line in lines if line.doc_id.endswith("h02.txt")]
    assert len(h02) == 3 and h02[0].section_id == h02[1].section_id != h02[2].section_id
    assert (h02[0].left, h02[0].match, h02[0].right) == ("、工作回顾 围绕", "两个健康", "开展工作，推动“")
    assert h02[1].left.endswith("推动“") and h02[1].right.startswith("”落到实处")
    h10 = [line for line in lines if line.doc_id.endswith("h10.txt")]
    assert [line.match for line in h10] == ["兩個健康"] and h10[0].left.endswith("非公有制經濟“")
    for line in lines:  # the line is the document's text, as its page shows it
        doc = research_service.document(line.doc_id)
        flat = " ".join(" ".join(s.text.split()) for s in doc.sections)
        assert line.left + line.match + line.right in flat


@pytest.mark.parametrize("sort", SORTS)
def test_concordance_orders(research_service, sort) -> None:
    lines = concordance(research_service, exact(B), width=6, sort=sort, per_page=200).lines
    dates = [date_bounds(line.date) for line in lines]
    if sort == "date":
        keys = [hi or 10**9 for _, hi in dates]
        assert keys == sorted(keys) and lines[-1].date is None
    elif sort == "newest":
        keys = [-lo if lo else 10**9 for lo, _ in dates]
        assert keys == sorted(keys)
    elif sort == "left":
        keys = [normalize(line.left)[::-1][:3] for line in lines]
        assert keys == sorted(keys)
    elif sort == "right":
        keys = [normalize(line.right)[:3] for line in lines]
        assert keys == sorted(keys)
    elif sort == "region":
        assert lines[0].region.province == "全国" and lines[-1].region.province is None
    assert len(lines) == sum(t.occurrences for t in oracle(research_service, B))


def test_more_occurrences_than_one_request_sorts_are_counted_and_marked(research_service, monkeypatch) -> None:
    import indexer.search.occurrences as occ

    monkeypatch.setattr(occ, "MAX_LISTED", 5)
    found = research_service.occurrences(exact(B), width=5, window=(0, 100))
    assert found.total == sum(t.occurrences for t in oracle(research_service, B)) > 5
    assert len(found.items) == 5 and found.partial


def test_a_wording_restricted_by_its_own_fields_is_a_share_of_those_documents(research_service) -> None:
    """A wording written with field conditions (两个健康 province:上海) counts the documents under them, and its
    share of a year is of the documents under them too — what the province filter gives — not of every
    document of the year. A wording without conditions is still a share of all documents."""
    restricted, plain = trend(research_service, [f"{A} province:上海", A], SearchParams(mode="exact")).series
    filtered = trend(research_service, [A], SearchParams(mode="exact", province="上海")).series[0]
    assert restricted.documents == filtered.documents > 0
    shares = {y.year: (y.documents, y.share) for y in restricted.years if y.documents}
    assert shares == {y.year: (y.documents, y.share) for y in filtered.years if y.documents}
    assert plain.totals is None and restricted.totals is not None
    shanghai = Counter(int(d.date[:4]) for d in DOCS if d.region == "上海" and d.date)
    assert {y.year: y.documents for y in restricted.totals if y.documents} == dict(shanghai)
