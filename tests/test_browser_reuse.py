"""The shared-passage view, the cite block's copy button and the download menu in a real headless browser.

Skipped where Chromium or Playwright is missing (as tests/test_browser.py). Screenshots go to
test-artifacts/ (docs/reuse.png in the README is one of them).
"""

from __future__ import annotations

import pytest
from browser_fixtures import ARTIFACTS, browser_page, served
from reuse_fixtures import ORIGIN, RECEIVER, build_planted, doc_id

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    index, _ = build_planted(tmp_path_factory.mktemp("browser_reuse"))
    with served(index) as url:
        yield url


@pytest.fixture(scope="module")
def page(site):
    with browser_page(width=1100) as p:
        yield p


def test_shared_passages_on_the_document_page(site, page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{site}/doc/{doc_id(RECEIVER)}")
    page.click(".reuse-note a")
    section = page.locator("section#reuse")
    section.wait_for()
    text = section.inner_text()
    assert "与其他文档相同的措辞" in text and "对方较早（可能的来源）" in text and "创新举措凝心聚力" in text
    assert section.locator(".passage mark", has_text="乌鲁木齐").count() == 1
    section.screenshot(path=str(ARTIFACTS / "reuse.png"))
    section.get_by_text("在正文中标出").click()
    page.wait_for_url(f"**reuse={doc_id(ORIGIN)}*")
    marked = page.locator(".section mark").all_inner_texts()
    assert any("旅港同乡社团" in m for m in marked), "the shared passage is marked in the text"


def test_copy_button_and_download_menu(site, page) -> None:
    page.goto(f"{site}/doc/{doc_id(ORIGIN)}")
    button = page.locator(".cite button.copy").first
    button.click()
    page.wait_for_function("document.querySelector('.cite button.copy').textContent === '已复制'")
    page.goto(f"{site}/?q=统战")
    page.click(".takeaway summary")
    links = page.locator(".takeaway a")
    assert links.count() == 3 and "format=xlsx" in links.nth(1).get_attribute("href")
    with page.expect_download() as info:
        links.nth(0).click()
    assert info.value.suggested_filename.endswith(".csv")
    page.goto(f"{site}/reuse")
    assert page.locator("table.pairs tbody tr").count() == 2
    page.screenshot(path=str(ARTIFACTS / "reuse-pairs.png"), full_page=True)
