"""The search and document pages: state in the URL, facets with toggles, chips, escaping everywhere."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from indexer.index.importer import import_paths
from webui import create_app

HOSTILE = """<html><head><title>恶意<script>alert('t')</script>标题</title></head><body>
<div id="zoom"><p>统一战线工作会议召开<script>alert('x')</script>，会议强调做好新时代统战工作，促进“两个健康”。</p>
<p><img src=x onerror=alert(1)>民营经济 &lt;b onmouseover=alert(2)&gt;加粗&lt;/b&gt; 继续发展，javascript:alert(3) 不应执行。</p>
<p><a href="javascript:alert(4)">链接文字</a>在统一战线领域开展工作，进一步凝聚共识，形成合力。</p></div></body></html>"""


@pytest.fixture(scope="module")
def client(corpus_index):
    app = create_app({"INDEX_DIR": str(corpus_index[0]), "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    (base / "docs").mkdir()
    (base / "docs" / "evil.html").write_text(HOSTILE, encoding="utf-8")
    import_paths([base / "docs"], base / "index")
    return create_app({"INDEX_DIR": str(base / "index"), "TESTING": True}).test_client()


def text_of(r) -> str:
    return r.get_data(as_text=True)


def test_search_page_keeps_query_and_state(client) -> None:
    html = text_of(client.get("/?q=统一战线&province=上海&sort=date"))
    assert 'value="统一战线"' in html
    assert "省份：上海 ×" in html  # a removable chip
    assert re.search(r'<li class="selected">\s*<a href="[^"]*"[^>]*>上海</a>', html)
    assert "<svg" in html and "每年匹配文档数" in html  # the page lists documents unless asked for passages


def test_facet_toggle_urls_narrow_and_widen(client) -> None:
    html = text_of(client.get("/?q=统一战线"))
    m = re.search(r'data-facet="province">.*?<a href="([^"]+)" data-value="上海"', html, re.S)
    assert m
    narrowed = text_of(client.get(unescape(m.group(1))))
    assert "省份：上海 ×" in narrowed
    back = re.search(r'<a class="chip" href="([^"]+)"', narrowed).group(1)
    assert "省份：上海" not in text_of(client.get(unescape(back)))


def test_empty_result_suggests_what_to_try(client) -> None:
    html = text_of(client.get('/?q=%22不存在的措辞组合乙丙丁%22&province=上海'))
    assert "没有找到" in html and "去掉所有筛选条件" in html and "改用关键词检索" in html and "繁体与简体" in html


def test_document_page_toc_cite_and_highlight(client) -> None:
    hit = client.get("/api/search?q=%22一线两面三结合%22").get_json()["hits"][0]
    html = text_of(client.get(hit["url"]))
    assert "<mark>一线两面三结合</mark>" in html
    assert 'class="toc"' in html and 'href="#s2"' in html
    today = dt.date.today().isoformat()  # the 引用日期: the day the citation is made
    assert f"市委统战部. 市委统战部2020年工作总结[EB/OL]. （2020-12-03）[{today}]. /doc/" in html  # GB/T 7714-2025


def test_unknown_document_is_404(client) -> None:
    assert client.get("/doc/no/such/doc").status_code == 404
    assert client.get("/doc/../../../etc/passwd").status_code == 404


def test_bad_parameters_on_the_page_are_400_not_500(client) -> None:
    assert client.get("/?page=abc").status_code == 400


def test_hostile_markup_is_shown_as_text_everywhere(hostile_client) -> None:
    c = hostile_client
    results = c.get("/?q=统一战线")
    html = text_of(results)
    assert results.status_code == 200
    assert "<script>alert" not in html and "onerror=alert" not in html and "<b onmouseover" not in html
    assert 'href="javascript:' not in html
    api = c.get("/api/search?q=统一战线").get_json()
    doc_html = text_of(c.get(api["hits"][0]["url"]))
    for bad in ("<script>alert", "<img", "<b onmouseover", 'href="javascript:'):
        assert bad not in doc_html
    assert "民营经济 加粗 继续发展" in doc_html  # the text survives, the tag debris does not
    assert "恶意&lt;script&gt;" in doc_html  # a title holding markup is shown as text
    hostile_q = text_of(c.get('/?q=<script>alert(9)</script>'))
    assert "<script>alert(9)" not in hostile_q and "&lt;script&gt;alert(9)" in hostile_q
