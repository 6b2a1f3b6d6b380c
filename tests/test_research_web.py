"""The research API and pages on the corpus with known dates and regions: responses validated against the
served OpenAPI description, figures against brute force, and what a reader of each page sees."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from urllib.parse import quote

import jsonschema
import pytest
from research_corpus import DOCS, A, B, oracle

from webui import create_app


@pytest.fixture(scope="module")
def client(research_index):
    app = create_app({"INDEX_DIR": str(research_index), "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/api/openapi.json").json


def check(spec, name: str, body) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def html(r) -> str:
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("path,name", [
    (f"/api/first?q={A}", "FirstUse"), (f"/api/first?q={A}&n=3&province=上海", "FirstUse"),
    ("/api/first?q=两个&mode=keyword&from=2019&to=2020-06", "FirstUse"),
    (f"/api/trend?q={A}&q={B}", "Trend"), (f"/api/trend?q={A}&doctype=unknown", "Trend"),
    (f"/api/spread?q={B}", "Spread"), ("/api/spread?q=不存在的措辞", "Spread"),
    (f"/api/concordance?q={A}", "Concordance"), (f"/api/concordance?q={A}&width=5&sort=left&page=2&per_page=4",
                                                 "Concordance"),
    ("/api/concordance?q=健&sort=region", "Concordance"), (f"/api/search?q={A}&mode=exact&group=document",
                                                           "SearchResult"),
])
def test_responses_match_the_served_spec(client, spec, path, name) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.json["ok"] is True
    check(spec, name, r.json)
    assert path.split("?")[0] in spec["paths"]


@pytest.mark.parametrize("path,fragment", [
    ("/api/first", "q is required"), ("/api/first?q=x&n=0", "n must be at least 1"), ("/api/first?q=x&n=abc", "n"),
    ("/api/trend?" + "&".join(f"q=w{i}" for i in range(6)), "at most 5"), ("/api/trend?q=", "q is required"),
    ("/api/spread?q=x&mode=fuzzy", "mode"), ("/api/concordance?q=x&sort=middle", "sort"),
    ("/api/concordance?q=x&width=-3", "width"), ("/api/concordance?q=x&from=2020-02-30", "real date"),
    ("/api/trend?q=" + "统" * 600, "too long"), ("/api/concordance?mode=keyword&q=" + "(" * 250 + "统战", "deep"),
])
def test_bad_parameters_are_400_in_the_one_shape(client, spec, path, fragment) -> None:
    r = client.get(path)
    assert r.status_code == 400
    check(spec, "ErrorBody", r.json)
    assert fragment in r.json["error"]


def test_api_figures_are_the_brute_force_ones(client, research_service) -> None:
    truth = [t for t in oracle(research_service, A) if t.occurrences]
    grouped = client.get(f"/api/search?q={A}&mode=exact&group=document&per_page=100").json
    passages = client.get(f"/api/search?q={A}&mode=exact").json
    assert grouped["total"] == grouped["total_documents"] == len(truth) == passages["total_documents"]
    assert passages["total"] == sum(t.sections for t in truth)
    assert {h["doc_id"]: (h["matches"], len(h["sections"])) for h in grouped["hits"]} == {
        t.doc_id: (t.sections, t.sections) for t in truth}
    first = client.get(f"/api/first?q={A}&n=100").json
    assert [h["doc_id"] for h in first["hits"]][-1] == "research/h06.txt"  # undated: last
    assert {"doc_id", "date", "date_precision", "title", "region"} <= set(first["hits"][0])
    concordance = client.get(f"/api/concordance?q={A}&per_page=200").json
    assert concordance["total"] == len(concordance["lines"]) == sum(t.occurrences for t in truth)
    spread = client.get(f"/api/spread?q={A}").json
    firsts = {p["province"]: p["first_year"] for p in spread["provinces"]}
    for province in {t.province for t in truth}:
        years = [t.year for t in truth if t.province == province and t.year]
        assert firsts[province] == (min(years) if years else None)
    trend = client.get(f"/api/trend?q={A}").json
    used = Counter(t.year for t in truth if t.year)
    assert {y["year"]: y["documents"] for y in trend["series"][0]["years"]} == {
        y["year"]: used.get(y["year"], 0) for y in trend["totals"]}


def test_trend_page_table_toggle_and_csv(client) -> None:
    page = html(client.get(f"/trend?q={A}&q={B}"))
    assert page.count("<polyline") == 2 and "年份" in page and "使用该措辞的文档数" in page
    per_year = Counter(int(d.date[:4]) for d in DOCS if d.date)
    for year, n in per_year.items():
        assert re.search(rf"<tr><th>{year}</th><td>{n}</td>", page)
    share_url = re.search(r'<a href="([^"]+scale=share[^"]*)">占当年文档比例</a>', page).group(1)
    shares = html(client.get(share_url.replace("&amp;", "&")))
    assert "<b>占当年文档比例</b>" in shares and "100%" in shares
    csv_url = re.search(r'<a href="([^"]+)" download>下载 CSV</a>', page).group(1).replace("&amp;", "&")
    r = client.get(csv_url)
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["year", "all_documents", f"{A} documents"]
    api = client.get(f"/api/trend?q={A}&q={B}").json
    assert [int(row[2]) for row in rows[1:-1]] == [y["documents"] for y in api["series"][0]["years"]]


def test_spread_page_map_and_heat_table(client) -> None:
    page = html(client.get(f"/spread?q={B}"))
    assert page.count('class="tile') == 35  # 34 province-level units and 全国
    api = client.get(f"/api/spread?q={B}").json
    for row in api["provinces"]:
        if row["province"]:
            assert f"<tr><th>{row['province']}</th><td>{row['first_year'] or '—'}</td><td>{row['documents']}</td>" in page
    assert page.count('class="first') == sum(1 for row in api["provinces"] if row["first_year"])
    assert "首次使用年份" in page and "全国" in page


def test_concordance_page_aligned_sorted_paged(client) -> None:
    page = html(client.get(f"/concordance?q={A}&per_page=5&sort=right"))
    assert page.count('<td class="match">') == 5
    total = client.get(f"/api/concordance?q={A}").json["total"]
    assert f'<strong class="total">{total}</strong> 处' in page and "<b>右侧语境</b>" in page
    assert 'rel="next"' in page and "两個健康" not in page
    traditional = html(client.get("/concordance?q=" + quote("兩個健康") + "&sort=newest&per_page=200"))
    assert "兩個健康" in traditional and "两个健康" in traditional  # as each document writes it
    csv_body = client.get(f"/concordance.csv?q={A}").get_data(as_text=True).lstrip("\ufeff")
    assert len(list(csv.reader(io.StringIO(csv_body)))) == total + 1


def test_search_page_documents_undated_and_first_use(client, research_service) -> None:
    truth = [t for t in oracle(research_service, A) if t.occurrences]
    page = html(client.get(f"/?q={A}&mode=exact&sort=oldest"))
    assert f'<strong class="total">{len(truth)}</strong> 篇文档' in page
    undated = sum(1 for t in truth if t.year is None)
    assert f"其中 {undated} 篇文档未注明日期，排在最后" in page
    panel = page[page.index('class="firstuse"'):page.index("</aside>", page.index('class="firstuse"'))]
    assert "最早使用" in panel and "仅知年份" in panel and f"共 {len(truth)} 篇文档使用" in panel
    passages = html(client.get(f"/?q={A}&mode=exact&group=section"))
    assert f'<strong class="total">{sum(t.sections for t in truth)}</strong> 个段落' in passages
    assert 'class="firstuse"' not in html(client.get("/?q=健康工作"))  # keyword words: no first-use panel


def test_landing_page_explains_the_corpus(client) -> None:
    page = html(client.get("/"))
    assert f'<strong class="total">{len(DOCS)}</strong> 篇' in page
    assert page.count('class="rchart"') == 3 and page.count("<table") == 3
    assert "最新文档" in page and "示例" in page and "/trend?q=" in page and "/spread?q=" in page
    assert "/concordance?q=" in page
    assert "ol class=\"hits\"" not in page  # not a listing of every passage


def test_pages_escape_and_never_show_server_paths(client, research_index) -> None:
    hostile = quote("<script>alert(1)</script>")
    for path in (f"/trend?q={hostile}", f"/spread?q={hostile}", f"/concordance?q={hostile}", f"/?q={hostile}"):
        body = html(client.get(path))
        assert "<script>alert" not in body and "&lt;script&gt;" in body
    for path in ("/", f"/trend?q={A}", f"/spread?q={A}", f"/concordance?q={A}", f"/api/concordance?q={A}",
                 f"/api/first?q={A}", f"/concordance.csv?q={A}"):
        assert str(research_index.parent) not in client.get(path).get_data(as_text=True)


def test_page_parameter_errors_are_400_pages(client) -> None:
    r = client.get("/concordance?q=x&width=abc")
    assert r.status_code == 400 and "width" in r.get_data(as_text=True)
    assert client.get("/trend?" + "&".join(f"q=w{i}" for i in range(6))).status_code == 400


def test_trend_csv_gives_the_denominator_of_a_wording_with_its_own_conditions(client) -> None:
    """A wording with field conditions of its own (A province:上海) is a share of the documents under them: the CSV
    says how many those are (it gave only all documents, which its share is not of)."""
    q = f"{A} province:上海"
    rows = list(csv.reader(io.StringIO(client.get(f"/trend.csv?q={quote(q)}&q={A}").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0] == ["year", "all_documents", f"{q} documents", f"{q} base_documents", f"{q} share",
                       f"{A} documents", f"{A} share"]
    shanghai = Counter(int(d.date[:4]) for d in DOCS if d.region == "上海" and d.date)
    assert {int(r[0]): int(r[3]) for r in rows[1:-1] if int(r[3])} == dict(shanghai)
    for r in rows[1:-1]:
        assert float(r[4]) == (round(int(r[2]) / int(r[3]), 6) if int(r[3]) else 0.0)
    assert len(rows[-1]) == len(rows[0])
