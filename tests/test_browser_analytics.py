"""The analyses in a real headless browser (Debian's Chromium driven by Playwright), as a researcher walks them:
a search narrowed to 2018–2022 → the wordings of those documents → the new wordings of the period → one new
wording's collocates → the concordance of the lines with one collocate. Screenshots go to test-artifacts/.
Skipped with a clear message where Chromium or Playwright is missing."""

from __future__ import annotations

import pytest
from analytics_corpus import NEW, OLD
from browser_fixtures import ARTIFACTS, browser_page, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import analytics_corpus

    with served(analytics_corpus.build(tmp_path_factory.mktemp("browser_analytics"))) as url:
        yield url


@pytest.fixture(scope="module")
def page(site):
    with browser_page() as p:
        yield p


def test_search_then_new_wordings_then_collocates_then_concordance(site, page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/?q=材料")
    everything = int(page.inner_text(".summary .total"))
    page.fill("form.daterange input[name=from]", "2018-01-01")
    page.fill("form.daterange input[name=to]", "2022-12-31")
    page.click("form.daterange button[type=submit]")
    page.wait_for_selector(".chips .chip")
    period = int(page.inner_text(".summary .total"))
    assert 0 < period < everything
    page.screenshot(path=str(ARTIFACTS / "analytics-1-search.png"), full_page=True)

    page.click("a.wordings-link")
    page.wait_for_selector("table.wordings-table")
    assert int(page.inner_text(".summary .total")) == period  # the same documents
    assert page.locator("svg.rchart rect.bar").count() > 0
    page.click(".summary >> text=新提法")
    page.wait_for_selector(".summary b:has-text('新提法')")
    table = page.inner_text("table.wordings-table")
    assert NEW in table and OLD not in table
    page.screenshot(path=str(ARTIFACTS / "analytics-2-new-wordings.png"), full_page=True)

    row = page.locator("table.wordings-table tbody tr", has_text=NEW).first
    row.locator("text=搭配").click()
    page.wait_for_selector("table.collocates-table")
    assert NEW in page.inner_text("h1")
    assert page.locator("table.collocates-table tbody tr").count() > 0
    assert page.locator("svg.rchart rect.bar").count() > 0
    page.screenshot(path=str(ARTIFACTS / "analytics-3-collocates.png"), full_page=True)

    collocate = page.locator("table.collocates-table tbody tr td.text a").first
    word, frequency = collocate.inner_text(), int(page.locator("table.collocates-table tbody tr td").nth(2).inner_text())
    collocate.click()
    page.wait_for_selector("table.kwic td.match")
    assert word in page.inner_text(".nearfilter")
    lines = page.locator("table.kwic tbody tr")
    assert 0 < lines.count() <= frequency
    for i in range(lines.count()):
        text = lines.nth(i).inner_text()
        assert NEW in text and word in text
    page.screenshot(path=str(ARTIFACTS / "analytics-4-concordance.png"), full_page=True)


def test_keyness_and_dispersion_pages(site, page) -> None:
    page.goto(site + "/keyness")
    page.fill("input[name=province]", "上海")
    page.click("form.rform button[type=submit]")
    page.wait_for_selector("table.keyness-table")
    assert page.locator("svg.rchart rect.bar.over").count() > 0
    page.screenshot(path=str(ARTIFACTS / "analytics-keyness.png"), full_page=True)
    page.goto(site + f"/dispersion?q={NEW}")
    page.wait_for_selector("svg.rchart g.strip")
    assert page.locator("svg.rchart line.tickmark").count() == int(page.inner_text(".summary .total"))
    page.screenshot(path=str(ARTIFACTS / "analytics-dispersion.png"), full_page=True)


def test_analysis_pages_fit_a_phone(site, page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/wordings?view=new&from=2018&to=2022", f"/collocates?q={NEW}", "/keyness?province=上海",
                 f"/dispersion?q={NEW}"):
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} scrolls sideways on a phone"
    page.set_viewport_size({"width": 1200, "height": 900})
