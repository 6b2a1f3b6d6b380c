"""The analyses' API and pages on the planted corpus (tests/analytics_corpus.py): responses validated against
the served OpenAPI description, bad parameters refused with a message, charts readable without JavaScript
(server-side SVG with each figure in a <title>, the numbers in a table), CSV downloads (English or Chinese
headers, named after the query), and answers cut short said to be partial with what they covered."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import quote, unquote

import jsonschema
import pytest
from analytics_corpus import NEW, NODE, OLD, SHANGHAI_ONLY

from indexer.research.wordings import wordings
from indexer.search.backends import open_backend
from indexer.search.service import SearchParams
from webui import create_app


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    import analytics_corpus

    return analytics_corpus.build(tmp_path_factory.mktemp("analytics_web"))


@pytest.fixture(scope="module")
def client(index):
    return create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/api/openapi.json").json


def html(r) -> str:
    assert r.status_code == 200, r.get_data(as_text=True)[:400]
    return r.get_data(as_text=True)


def rows(r) -> list[list[str]]:
    assert r.status_code == 200 and r.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("path,name", [
    ("/api/wordings", "Wordings"), ("/api/wordings?province=上海&min_documents=2&n=5", "Wordings"),
    ("/api/wordings?view=new&from=2018&to=2022", "Wordings"), ("/api/wordings?view=new&year=2020", "Wordings"),
    (f"/api/wordings?q={NODE}&min_length=5&max_length=8", "Wordings"),
    (f"/api/collocates?q={NODE}", "Collocates"), (f"/api/collocates?q={NODE}&unit=char&span=2&sort=mi", "Collocates"),
    ("/api/collocates?q=不存在的措辞", "Collocates"),
    ("/api/keyness?province=上海", "Keyness"), ("/api/keyness?from=2018&ref_to=2017&unit=word", "Keyness"),
    ("/api/keyness?province=上海&ref_province=全国&min_frequency=2&n=3", "Keyness"),
    (f"/api/dispersion?q={NODE}", "Dispersion"), (f"/api/dispersion?q={NODE}&sort=occurrences&per_page=2&page=2",
                                                  "Dispersion"),
    ("/api/dispersion?q=不存在的措辞", "Dispersion"), ("/api/wordings?province=不存在", "Wordings"),
    ("/api/wordings?view=new&from=2030&province=不存在", "Wordings"), ("/api/keyness?province=不存在", "Keyness"),
    ("/api/keyness?province=不存在&unit=word", "Keyness"), (f"/api/collocates?q={NODE}&province=不存在", "Collocates"),
    (f"/api/concordance?q={NODE}&near=凝聚&span=3", "Concordance"),
])
def test_responses_match_the_served_spec(client, spec, path, name) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.json["ok"] is True, r.json
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(r.json)
    assert path.split("?")[0] in spec["paths"]


@pytest.mark.parametrize("path,fragment", [
    ("/api/wordings?view=new", "needs the period"), ("/api/wordings?view=latest", "view"),
    ("/api/wordings?min_length=9&max_length=5", "min_length"), ("/api/wordings?min_length=3", "min_length"),
    ("/api/wordings?min_documents=0", "min_documents"), ("/api/collocates", "q is required"),
    (f"/api/collocates?q={NODE}&unit=phrase", "unit"), (f"/api/collocates?q={NODE}&span=0", "span"),
    (f"/api/collocates?q={NODE}&sort=best", "sort"), ("/api/keyness?unit=sentence", "unit"),
    ("/api/keyness?ref_from=2020-02-30", "not a real date"), ("/api/keyness?year=2020&ref_year=", "empty value"),
    ("/api/dispersion", "q is required"),
    (f"/api/dispersion?q={NODE}&page=0", "page"), (f"/api/concordance?q={NODE}&near=x&unit=phrase", "unit"),
])
def test_bad_parameters_are_refused_with_a_message(client, path, fragment) -> None:
    r = client.get(path)
    assert r.status_code == 400 and r.json["ok"] is False and fragment in r.json["error"], r.json


def test_wordings_page_chart_table_links_and_csv(client) -> None:
    page = html(client.get("/wordings?view=new&from=2018&to=2022"))
    assert "<svg" in page and "<script" not in page and "style=" not in page
    table = page[page.index('<table class="numbers wordings-table">'):]
    assert NEW in table and OLD not in table
    assert f"<title>{NEW}：" in page  # every bar says its figure
    trend = unescape(re.search(r'href="(/trend\?[^"]*)">趋势', table).group(1))
    assert "from=" not in trend and "to=" not in trend  # the trend shows the years before the period too
    concordance = unescape(re.search(r'href="(/concordance\?[^"]*)">语境', table).group(1))
    assert "from=2018" in concordance
    csv_url = unescape(re.search(r'<a href="([^"]+)" download>下载 CSV</a>', page).group(1))
    body = rows(client.get(csv_url))
    assert body[0][:3] == ["text", "length", "documents"] and NEW in [r[0] for r in body]
    zh = client.get(csv_url + "&headers=zh")
    assert rows(zh)[0][:3] == ["提法", "字数", "文档数"]
    assert "提法" in unquote(zh.headers["Content-Disposition"]) and "2018" in unquote(zh.headers["Content-Disposition"])


def test_collocates_page_links_each_collocate_to_its_lines(client) -> None:
    page = html(client.get(f"/collocates?q={NODE}&span=4"))
    first = unescape(re.search(r'<td class="text"><a href="([^"]+)">([^<]+)</a>', page).group(1))
    assert "near=" in first and "span=4" in first
    lines = html(client.get(first))
    assert 'class="nearfilter"' in lines
    total = int(re.search(r'<strong class="total">(\d+)</strong>', lines).group(1))
    assert 0 < total == lines.count('<td class="match">')
    assert "<svg" in page and "互信息" in page
    assert rows(client.get(f"/collocates.csv?q={NODE}&headers=zh"))[0][0] == "搭配词"


def test_keyness_page_two_sides(client) -> None:
    page = html(client.get("/keyness?province=上海"))
    assert "其余全部文档" in page and "<svg" in page and SHANGHAI_ONLY in page
    over = page[page.index('keyness-table over'):page.index('keyness-table under')] if "keyness-table under" in page \
        else page[page.index('keyness-table over'):]
    assert SHANGHAI_ONLY in over
    body = rows(client.get("/keyness.csv?province=上海"))
    assert body[0][0] == "direction" and any(r[1] == SHANGHAI_ONLY and r[0] == "over" for r in body[1:])


def test_dispersion_page_strips_years_and_csv(client) -> None:
    page = html(client.get(f"/dispersion?q={NODE}"))
    api = client.get(f"/api/dispersion?q={NODE}&per_page=500").json
    assert page.count('<g class="strip">') == min(50, api["documents"])
    assert page.count('class="tickmark"') == sum(i["occurrences"] for i in api["items"][:50])
    assert "DP" in page and "每万字" in page
    body = rows(client.get(f"/dispersion.csv?q={NODE}"))
    assert len(body) == api["total"] + 1 and body[0][-2:] == ["offset", "position"]
    capped = client.get(f"/api/dispersion?q={NODE}&per_page=9999").json
    assert capped["per_page"] == 500 and "capped at 500" in capped["notice"]


def test_pages_escape_what_users_type(client) -> None:
    for path in ("/collocates?q=<b>x</b>", "/dispersion?q=<b>x</b>", "/wordings?q=<b>x</b>",
                 "/keyness?province=<b>x</b>"):
        page = html(client.get(path))
        assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_sample_or_a_time_limit_is_said_to_be_partial(index) -> None:
    backend = open_backend(index)
    try:
        whole = wordings(backend, SearchParams(mode="exact"), min_documents=3)
        sampled = wordings(backend, SearchParams(mode="exact"), min_documents=3, max_bytes=2000)
        assert not whole.partial and whole.analysed == whole.documents == 40
        assert sampled.partial and 0 < sampled.analysed < sampled.documents == 40
        assert f"{sampled.analysed} of 40 documents" in sampled.notice
        hurried = wordings(backend, SearchParams(mode="exact"), min_documents=3, seconds=1e-9)
        assert hurried.partial and "time ran out" in hurried.notice
        assert {w.length for w in hurried.wordings} == {4}
    finally:
        backend.close()


def test_navigation_links_every_analysis(client) -> None:
    page = html(client.get("/"))
    for path in ("/wordings", "/collocates", "/keyness", "/dispersion"):
        assert f'href="{path}"' in page
    for path in ("/wordings", "/collocates", "/keyness", "/dispersion"):
        assert "<form" in html(client.get(path))  # an empty form, no analysis run
    concordance = html(client.get("/concordance?q=" + quote(NODE)))
    assert "/collocates?" in concordance and "/dispersion?" in concordance



ISSUED = {"guowuyuan.txt": "国务院关于加强统一战线工作的通知\n国发〔2020〕5号\n各省、自治区、直辖市人民政府：\n为深入贯彻中央统战"
                           "工作会议精神，现就加强统一战线工作通知如下。\n国务院\n2020年3月5日\n",
          "jiaoyubu.txt": "教育部关于做好统一战线宣传工作的通知\n教发〔2021〕3号\n各省、自治区、直辖市教育厅：\n要把统一战线"
                          "工作摆上重要位置。\n教育部\n2021年4月1日\n",
          "jianbao.txt": "统一战线工作简报\n今年以来，全市统一战线工作取得新进展，凝聚共识。\n"}


def _issued_client(tmp_path):
    """A test client of the site over an index of the :data:`ISSUED` documents."""
    from indexer.index.importer import import_paths

    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in ISSUED.items():
        (folder / name).write_text(text, encoding="utf-8")
    import_paths([folder], tmp_path / "index")
    return create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()


def test_research_views_keep_the_searchs_issuer_and_status_filters(tmp_path) -> None:
    """The search page links "这些文档的提法" (and the research views) with its filters: an issuer or status filter
    narrows what they analyse to the documents the search found, never silently all of them."""
    client = _issued_client(tmp_path)
    for extra, found in (("issuer=国务院", 1), ("status=已废止", 0), ("status=未见废止或修订", 3)):
        assert client.get(f"/api/search?q=统一战线&mode=exact&group=document&{extra}").json["total"] == found
        assert client.get(f"/api/wordings?q=统一战线&min_documents=1&{extra}").json["documents"] == found, extra
        assert client.get(f"/api/first?q=统一战线&{extra}").json["total_documents"] == found, extra
        assert client.get(f"/api/concordance?q=统一战线&{extra}").json["documents"] == found, extra
    page = html(client.get("/?q=统一战线&issuer=国务院"))
    link = unescape(re.search(r'href="(/wordings\?[^"]+)"', page).group(1))
    assert "issuer=" in link and "1 篇文档" in re.sub(r"<[^>]+>", "", html(client.get(link + "&min_documents=1")))


def test_the_wordings_link_of_a_keyword_search_analyses_the_documents_it_found(tmp_path) -> None:
    """A keyword search (the page's default mode) links "这些文档的提法" to the same documents: not to the exact
    wording of what was typed (统一战线 宣传 as one phrase is in no document), and with its synonyms (统战 finds
    统一战线) on or off as the search had them."""
    client = _issued_client(tmp_path)
    for query in ("q=统一战线 宣传", "q=统战", "q=统战&synonyms=0", "q=统一战线 宣传&mode=exact"):
        found = client.get(f"/api/search?{query}&group=document").json["total"]
        page = html(client.get(f"/?{query}"))
        link = unescape(re.search(r'href="/wordings\?([^"]+)"', page).group(1))
        assert client.get(f"/api/wordings?{link}&min_documents=1").json["documents"] == found, query


def test_research_pages_keep_synonyms_off_in_their_links(client) -> None:
    """A keyword view without equivalents links its other views (search, trend, spread, concordance,
    collocates, dispersion) without them too; exact views carry no synonyms setting at all."""
    page = html(client.get("/trend?q=统战&mode=keyword&synonyms=0"))
    links = [unescape(h) for h in re.findall(r'href="(/(?:concordance|spread|collocates|dispersion)\?[^"]+)"', page)]
    assert links and all("synonyms=0" in h and "mode=keyword" in h for h in links)
    exact = html(client.get("/trend?q=统战&synonyms=0"))
    assert "synonyms=" not in " ".join(re.findall(r'href="(/(?:concordance|spread)\?[^"]+)"', exact))
