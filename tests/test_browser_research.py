"""The research views in a real headless browser (Debian's Chromium driven by Playwright): the landing page,
a trend comparison of two wordings (counts, then shares), the spread view and the concordance; screenshots go
to test-artifacts/. Skipped with a clear message where Chromium or Playwright is missing."""

from __future__ import annotations

import pytest
from browser_fixtures import ARTIFACTS, browser_page, served
from research_corpus import DOCS, A, B

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(research_index):
    with served(research_index) as url:
        yield url


@pytest.fixture(scope="module")
def page(site):
    with browser_page() as p:
        yield p


def test_landing_then_trend_of_two_wordings_then_spread(site, page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/")
    assert page.inner_text(".about .total") == str(len(DOCS))
    assert page.locator("svg.rchart").count() == 3
    page.screenshot(path=str(ARTIFACTS / "landing.png"), full_page=True)

    page.click("nav.views >> text=趋势")
    page.locator("input[name=q]").nth(0).fill(A)
    page.locator("input[name=q]").nth(1).fill(B)
    page.click("form.rform button[type=submit]")
    page.wait_for_selector("svg.rchart polyline")
    assert page.locator("svg.rchart polyline").count() == 2
    legend = page.inner_text(".serieslinks")
    assert A in legend and B in legend
    assert page.locator("table.trend-table tbody tr").count() == len({d.date[:4] for d in DOCS if d.date})
    page.screenshot(path=str(ARTIFACTS / "trend.png"), full_page=True)
    page.click("text=占当年文档比例")
    page.wait_for_selector(".scale b:has-text('占当年文档比例')")
    assert "%" in (page.text_content("svg.rchart") or "")
    page.screenshot(path=str(ARTIFACTS / "trend-share.png"), full_page=True)

    page.locator(".serieslinks li").first.locator("text=传播").click()
    page.wait_for_selector("svg.rchart g.tile")
    assert page.locator("svg.rchart g.tile").count() == 35
    assert page.inner_text("table.firsts tbody tr:first-child th") == "全国"
    assert page.locator("table.heat td.first").count() > 0
    page.screenshot(path=str(ARTIFACTS / "spread.png"), full_page=True)


def test_concordance_and_first_use(site, page) -> None:
    page.goto(site + f"/concordance?q={A}")
    page.wait_for_selector("table.kwic td.match")
    total = int(page.inner_text(".summary .total"))
    assert total == page.locator("table.kwic td.match").count()  # one page holds them all
    page.click("text=左侧语境")
    page.wait_for_selector(".summary b:has-text('左侧语境')")
    page.screenshot(path=str(ARTIFACTS / "concordance.png"), full_page=True)
    page.goto(site + f'/?q="{A}"')
    page.wait_for_selector(".firstuse li")
    assert "最早使用" in page.inner_text(".firstuse h2")
    page.screenshot(path=str(ARTIFACTS / "first-use.png"), full_page=True)


def test_research_pages_fit_a_phone(site, page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    for path in (f"/trend?q={A}&q={B}", f"/spread?q={B}", f"/concordance?q={A}", "/"):
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} scrolls sideways on a phone"
    page.screenshot(path=str(ARTIFACTS / "landing-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})
