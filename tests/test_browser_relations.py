"""Relations in a real headless browser, on both backends: a document's status with the stating sentence, its
references (an unresolved one leading to every document citing it), the citation graph (SVG links), the
issuer/status facets and a bare 发文字号 typed into the search box, and the compare view reached from a
document's other version, stepped through change by change with the keyboard and without it.

Skipped where Chromium or Playwright is missing (as tests/test_browser.py). Screenshots go to test-artifacts/."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_fixtures import ARTIFACTS, browser_page, served
from conftest import BACKENDS
from relations_corpus import BY_KEY, build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("browser_relations")
    target = build(base, request.getfixturevalue("pg_server").database()) if request.param == "postgresql" \
        else build(base)
    with served(target) as url:
        yield url, request.param


@pytest.fixture(scope="module")
def page(site):
    with browser_page(width=1200) as p:
        yield p


def _doc(key: str) -> str:
    return f"/doc/{quote(BY_KEY[key].doc_id)}"


def test_status_references_and_graph(site, page) -> None:
    url, backend = site
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(url + _doc("HU15"))
    status = page.locator("section#relations .status")
    assert "已被《关于印发〈上海市统一战线工作办法〉的通知》废止（2020-01-01）" in status.inner_text()
    assert "同时废止" in status.locator(".status-sentence").inner_text()
    assert "已被" in page.locator(".docmeta .status-dd").inner_text()
    page.locator("section#relations").screenshot(path=str(ARTIFACTS / f"relations-status-{backend}.png"))
    status.locator("a").click()
    page.wait_for_url(f"**{quote(BY_KEY['HU20'].doc_id)}")
    cites = page.locator("section#relations .cites li")
    assert cites.filter(has_text="沪统发〔2015〕3号").locator("a").first.get_attribute("href").endswith(
        quote(BY_KEY["HU15"].doc_id))
    page.goto(url + _doc("GWY"))
    graph = page.locator("svg.relgraph")
    assert graph.is_visible() and graph.locator("a.node").count() >= 5
    page.locator("section#relations").screenshot(path=str(ARTIFACTS / f"relations-graph-{backend}.png"))
    graph.locator("a.node.hop1").first.click()
    page.wait_for_selector("article.doc h1")
    assert "/doc/rel/" in page.url and page.url != url + _doc("GWY")


def test_an_unresolved_reference_leads_to_everyone_citing_it(site, page) -> None:
    url, backend = site
    page.goto(url + _doc("XINXI"))
    item = page.locator("section#relations .cites li").first
    assert "统办发〔2019〕12号" in item.locator(".unresolved").inner_text()
    item.locator("a.others").click()
    page.wait_for_selector("ol.mentions li")
    assert page.locator("ol.mentions li").count() == 2 and "本库未收此文件" in page.inner_text("article")
    page.screenshot(path=str(ARTIFACTS / f"references-{backend}.png"), full_page=True)


def test_facets_and_a_bare_number_in_the_search_box(site, page) -> None:
    url, backend = site
    page.goto(url + "/")
    page.fill("input[name=q]", "国发（2014）45号")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.hits li.hit")
    titles = page.locator("ol.hits li.hit h2 a").all_inner_texts()
    assert "国务院关于加强统一战线工作的意见" in titles and len(titles) == 3
    page.goto(url + "/?q=统一战线")
    page.locator('[data-facet="issuer"] a[data-value="科技部"]').click()
    page.wait_for_selector(".chip")
    assert "发文机关：科技部" in page.inner_text(".chips") and int(page.inner_text(".summary .total")) == 2
    page.goto(url + "/?q=统一战线")
    page.locator('[data-facet="status"] a[data-value="已废止"]').click()
    page.wait_for_selector(".chip")
    assert int(page.inner_text(".summary .total")) == 3
    page.screenshot(path=str(ARTIFACTS / f"search-status-facet-{backend}.png"), full_page=True)


def test_compare_a_draft_with_its_final_text(site, page) -> None:
    url, backend = site
    page.goto(url + _doc("FINAL"))
    page.locator("section#relations .versions a.compare").click()
    page.wait_for_selector("table.compare")
    summary = page.inner_text(".compare-summary")
    assert "保留" in summary and "处不同" in summary
    assert page.locator("table.compare mark.chg", has_text="两").count() == 1
    assert page.locator("table.compare ins", has_text="、财政").count() == 1
    page.keyboard.press("n")
    page.wait_for_function("location.hash === '#c1'")
    page.locator("#c1 a[rel=next]").click()
    page.wait_for_function("location.hash === '#c2'")
    page.set_viewport_size({"width": 1000, "height": 560})
    page.goto(page.url.split("#")[0])
    page.screenshot(path=str(ARTIFACTS / f"compare-{backend}.png"))
    page.set_viewport_size({"width": 1200, "height": 900})


def test_shared_passages_link_to_the_compare_view(site, page) -> None:
    url, _ = site
    page.goto(url + "/reuse")
    link = page.locator("table.pairs a.compare").first
    link.click()
    page.wait_for_selector("table.compare")
    assert page.locator(".compare-head a").count() == 2
