"""The main flow in a real headless browser (Debian's Chromium driven by Playwright).

Skipped with a clear message where Chromium or Playwright is missing; `make test` tries to install Chromium
first (tests/install_system.sh). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest
from browser_fixtures import ARTIFACTS, browser_page, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(corpus_index):
    with served(corpus_index[0]) as url:
        yield url


@pytest.fixture(scope="module")
def page(site):
    with browser_page() as p:
        yield p


def test_search_facet_chip_and_document(site, page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/")
    page.fill("input[name=q]", "统一战线")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.hits li.hit")
    total = int(page.inner_text(".summary .total"))
    assert total > 0
    facet = page.locator('[data-facet="province"] a[data-value="上海"]')
    expected = int(facet.locator("xpath=following-sibling::span[@class='count']").inner_text())
    facet.click()
    page.wait_for_selector(".chip")
    assert "省份：上海" in page.inner_text(".chips")
    assert int(page.inner_text(".summary .total")) == expected
    assert "province=" in page.url
    page.screenshot(path=str(ARTIFACTS / "search-facet.png"), full_page=True)
    first = page.locator("ol.hits li.hit h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("article.doc h1")
    assert page.inner_text("article.doc h1") == title
    assert page.locator("mark").count() > 0
    assert "引用" in page.inner_text(".cite")
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)


def test_phone_width_and_no_javascript_needed(site, page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site + '/?q="两个健康"&mode=exact')
    page.wait_for_selector("ol.hits li.hit")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "the page scrolls sideways on a phone"
    page.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})
