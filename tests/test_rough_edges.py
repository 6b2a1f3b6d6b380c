"""What a new user of the site ran into (issue 25's "rough edges"), each as the user would notice it: the
/first page, the year facet's earliest years and undated documents, trend lines across years without
documents, the concordance's page cap, hints for unknown fields and pinyin provinces, Chinese error pages,
export file names and Chinese CSV headers, a quoted query shown once quoted, next-match links on a document."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import unquote

import pytest
from research_corpus import DOCS, A

from indexer.index.importer import import_paths
from webui import create_app
from webui.research_charts import line_chart


@pytest.fixture(scope="module")
def client(research_index):
    return create_app({"INDEX_DIR": str(research_index), "TESTING": True}).test_client()


def html(r, status: int = 200) -> str:
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def test_first_is_a_page(client) -> None:
    page = html(client.get(f"/first?q={A}"))
    used = [d for d in DOCS if any(A in s for s in d.sections)]
    assert page.count('<span class="fdate">') == min(20, len(used) + 1)  # 兩個健康 (traditional) counts too
    dates = re.findall(r'<span class="fdate">([^<]+)</span>', page)
    assert dates[0] == "2012" or dates[0] <= "2018-03-05"
    assert html(client.get("/first")).count('<span class="fdate">') == 0  # the empty form


@pytest.fixture(scope="module")
def many_years(tmp_path_factory):
    base = tmp_path_factory.mktemp("years")
    folder = base / "years"
    folder.mkdir()
    overrides = {}
    for i, year in enumerate([1954, 1955] + list(range(2001, 2021)) + [None]):
        (folder / f"y{i:02d}.txt").write_text(f"第{i}号\n\n坚持统一战线这一法宝。第{i}段。", encoding="utf-8")
        overrides[f"y{i:02d}.txt"] = {"title": f"第{i}号", **({"date": f"{year}-05-01"} if year else {})}
    import_paths([folder], base / "index", overrides=overrides, reuse=False)
    return create_app({"INDEX_DIR": str(base / "index"), "TESTING": True}).test_client()


def test_the_year_facet_shows_every_year_and_the_undated(many_years) -> None:
    page = html(many_years.get('/?q="统一战线"'))
    facet = page[page.index('data-facet="year"'):]
    facet = facet[:facet.index("</section>")]
    values = re.findall(r'data-value="([^"]+)"', facet)
    assert {"1954", "1955", "未注明"} <= set(values) and len(values) == 23
    assert "<details" in facet and "更多" in facet


def test_trend_lines_break_at_years_without_documents() -> None:
    svg = str(line_chart([("a", [(2001, 1), (2002, 2), (2005, 1), (2006, 3), (2010, 1)])], False, "文档数"))
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 5  # 2001–02, 2005–06 joined; 2010 a dot
    assert "2002" not in re.findall(r'points="([^"]+)"', svg)[1]


def test_the_concordance_says_when_a_page_is_capped(client) -> None:
    r = client.get("/api/concordance?q=健&per_page=500").json
    assert r["per_page"] == 200 and len(r["lines"]) == min(200, r["total"])
    assert "capped at 200" in r["notice"]
    assert "notice" not in client.get(f"/api/concordance?q={A}&per_page=20").json


@pytest.mark.parametrize("q,hint,fixed", [
    ("publisher:国务院", "没有 publisher: 这个字段，改用 issuer:国务院", "issuer:国务院"),
    ("发文机关:统战部 乡村振兴", "改用 issuer:统战部", "issuer:统战部 乡村振兴"),  # 统一战线 would find 统战
    ("Shandong", "“Shandong”在文献中写作“山东”", "山东"),
    ("province:Shanghai 两个健康", "province:上海", "province:上海 两个健康"),
    ("nosuchfield:x", "可用字段：province:", "x"),
])
def test_a_search_with_an_unknown_field_or_a_pinyin_province_gets_a_hint(client, q, hint, fixed) -> None:
    page = html(client.get("/?q=" + q))
    assert "没有找到" in page and hint in page
    link = unescape(re.search(r'<li><a href="([^"]+)">[^<]*' + re.escape(hint[:6]), page).group(1))
    assert re.search(r"[?&]q=([^&]+)", link) and unquote(re.search(r"[?&]q=([^&]+)", link).group(1)).replace(
        "+", " ") == fixed
    api = client.get("/api/search?q=" + q).json
    assert api["total"] == 0 and hint in api["notice"]


def test_a_pinyin_province_filter_gets_a_hint(client) -> None:
    page = html(client.get(f"/?q={A}&province=Shanghai"))
    assert "省份“Shanghai”应写作中文简称“上海”" in page and "province=%E4%B8%8A%E6%B5%B7" in page
    mixed = html(client.get("/?q=Shanghai 统战"))  # other words find documents: the hint is still given
    assert "<strong class=\"total\">0</strong>" not in mixed and "“Shanghai”在文献中写作“上海”" in mixed


def test_error_pages_speak_chinese(client) -> None:
    assert "找不到这个页面" in html(client.get("/doc/no/such/document"), 404)
    page = html(client.get("/?q=x&page=abc"), 400)
    assert "请求有误" in page and "返回检索" in page
    assert "暂时无法检索" in html(create_app({"INDEX_DIR": "/nonexistent/index"}).test_client().get("/"), 503)
    assert client.get("/api/search?page=abc").json["ok"] is False  # the API keeps its JSON errors


def test_downloads_are_named_after_the_query_and_offer_chinese_headers(client) -> None:
    for path, word in ((f"/trend.csv?q={A}", "趋势"), (f"/concordance.csv?q={A}", "语境"),
                       (f"/api/export?q={A}&mode=exact", "检索"), (f"/api/export?q=%22{A}%22&format=xlsx", "检索")):
        r = client.get(path)
        r.close()  # an export holds its slot until its response is closed
        disposition = unquote(r.headers["Content-Disposition"])
        assert r.status_code == 200 and f"{word}_{A}" in disposition, disposition
        assert re.search(r'filename="[ -~]+"', r.headers["Content-Disposition"])  # an ASCII fallback too
    for path, first in ((f"/trend.csv?q={A}&headers=zh", "年份"), (f"/concordance.csv?q={A}&headers=zh", "文档编号"),
                        (f"/api/export?q={A}&mode=exact&headers=zh", "文档编号")):
        r = client.get(path)
        header = next(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
        r.close()
        assert header[0] == first, header
    assert client.get(f"/trend.csv?q={A}&headers=fr").status_code == 400


def test_a_quoted_query_is_shown_once_quoted(client) -> None:
    page = html(client.get(f'/?q="{A}"'))
    assert f"<q>{A}</q>" in page and "<q>&#34;" not in page
    doc = next(d for d in DOCS if A in d.sections[0])
    assert f"“{A}”在本文出现" in html(client.get(f'/doc/{doc.doc_id}?q="{A}"'))
    assert f"<q>{A}</q>" in html(client.get(f"/concordance?q=%22{A}%22"))


def test_a_long_document_links_each_match_to_the_next(client) -> None:
    doc = max(DOCS, key=lambda d: sum(s.count(A) for s in d.sections))
    page = html(client.get(f"/doc/{doc.doc_id}?q={A}&mode=exact"))
    ids = re.findall(r'<span class="matchanchor" id="m(\d+)"></span><mark>', page)
    assert len(ids) >= 2 and ids == [str(i) for i in range(1, len(ids) + 1)]
    links = re.findall(r'class="nextmatch" href="#m(\d+)" title="([^（]+)', page)
    n = len(ids)
    assert [to for to, label in links if label == "下一处"] == [str(i) for i in range(2, n + 1)] + ["1"]
    assert [to for to, label in links if label == "上一处"] == [str(n)] + [str(i) for i in range(1, n)]
    assert 'href="#m1">跳到第一处' in page
