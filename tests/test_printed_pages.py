"""A web page printed to PDF by a browser (Ctrl-P on a gov.cn or ministry notice): every page carries the
browser's header and footer (print date and time, the page's <title>, its URL, the page number), and the
site's banner, navigation and breadcrumbs stand before the article. Citation fields come from the article:
its title (the page title's part before the site's name where the body repeats it; never the banner), its
发文字号, its 落款 (joint issuers too) and date — never the print stamp — and the browser's lines are not
text. Chromium/Edge and Firefox layouts, Chinese and English locales, with and without seconds, 12-hour
上午/下午."""

from __future__ import annotations

import pytest

from indexer.document import Removal
from indexer.extract.filetypes import PDF
from indexer.extract.formats.printed import is_site_name, strip_print_chrome, title_from_page_title
from indexer.extract.pipeline import extract_bytes
from indexer.extract.structure import Line
from tools.pdfgen import PlacedLine, cjk_pdf

TITLE = "教育部 国家发展改革委关于加强中小学示例工作的通知"
NUMBER = "教基〔2023〕3号"
URL = "https://www.moe.gov.cn/srcsite/A06/s3321/202303/t20230301_1048291.html"
PARAGRAPH = ("为深入贯彻党的二十大精神，进一步加强中小学示例工作，推动示例工作高质量发展，现就有关事项通知如下，请各地"
             "结合实际认真贯彻执行。各地要建立健全工作机制，明确责任分工，加强督促检查，确保各项措施落到实处。")
W, H = 595, 842


def _wrap(text: str, per_line: int = 38) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


def _article(site: str, joint: bool = True, banner: bool = True) -> list[tuple[str, float, str]]:
    """The printed page's own lines: (text, type size, align) — banner, navigation, breadcrumbs (unless a print
    view without them), title, 发文字号, addressees, body, 落款 and date."""
    lines: list[tuple[str, float, str]] = [
        (site, 20, "left"), ("首页 | 机构 | 新闻 | 公开 | 服务 | 互动 | 专题", 9, "left"),
        (f"当前位置：首页 > 公开 > 政策法规 > {site[:3]}文件", 9, "left"),
    ] if banner else []
    lines += [
        (TITLE, 16, "center"), (NUMBER, 11, "center"),
        ("各省、自治区、直辖市教育厅（教委）、发展改革委：", 11, "left"),
    ]
    for k in range(12):
        lines += [(ln, 11, "left") for ln in _wrap(f"{'一二三四五六七八九十'[k % 10]}、" + PARAGRAPH)]
    lines += [("教育部 国家发展改革委" if joint else "教育部", 11, "right"), ("2023年2月20日", 11, "right"),
              ("（此件主动公开）", 11, "left"), ("【我要纠错】 责任编辑：示例", 9, "left"), ("扫一扫在手机打开当前页", 9, "left")]
    return lines


def _x(text: str, size: float, align: str) -> float:
    width = sum(size if ord(c) > 0x2E80 else size / 2 for c in text)
    return {"center": (W - width) / 2, "right": W - 72 - width}.get(align, 72)


def _chrome(browser: str, page: int, pages: int, page_title: str) -> list[PlacedLine]:
    """The browser's header and footer lines of one page (type size 8, at the page's edges)."""
    def at(text: str, align: str, y: float) -> PlacedLine:
        x = {"left": 20.0, "right": W - 20 - sum(8 if ord(c) > 0x2E80 else 4 for c in text),
             "center": _x(text, 8, "center")}[align]
        return (text, x, y, 8)
    stamps = {"chrome": "2024/5/8 14:05", "chrome-en": "5/8/24, 2:05 PM", "chrome-12h": "2024/5/8 下午2:05",
              "edge": "2024/5/8 14:05:33", "firefox": "2024/5/8 14:05:33", "firefox-en": "5/8/2024, 2:05:33 PM"}
    stamp = stamps[browser]
    if browser.startswith("firefox"):
        counter = f"第 {page} 页，共 {pages} 页" if browser == "firefox" else f"{page} of {pages}"
        return [at(page_title, "left", H - 20), at(URL, "right", H - 20),
                at(counter, "left", 14), at(stamp, "right", 14)]
    return [at(stamp, "left", H - 20), at(page_title, "center", H - 20),
            at(URL, "left", 14), at(f"{page}/{pages}", "right", 14)]


def printed_pdf(browser: str = "chrome", site: str = "中华人民共和国教育部",
                page_title: str = TITLE + "_政策法规_中华人民共和国教育部", joint: bool = True,
                per_page: int = 34, banner: bool = True) -> bytes:
    lines = _article(site, joint, banner)
    chunks = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        placed = []
        y = H - 60.0
        for text, size, align in chunk:
            placed.append((text, _x(text, size, align), y, size))
            y -= size * 1.9
        pages.append(placed + _chrome(browser, number, len(chunks), page_title))
    return cjk_pdf(pages)


def _extract(data: bytes):
    return extract_bytes(data, "print/notice.pdf", kind=PDF).documents[0]


BROWSERS = ["chrome", "chrome-en", "chrome-12h", "edge", "firefox", "firefox-en"]


@pytest.mark.parametrize("browser", BROWSERS)
def test_a_printed_notice_is_cited_by_its_article_not_the_browser(browser: str) -> None:
    doc = _extract(printed_pdf(browser))
    assert (doc.title, doc.doc_number, doc.date) == (TITLE, NUMBER, "2023-02-20")
    assert doc.issuer in ("教育部、国家发展改革委", "教育部、国家发展和改革委员会")


@pytest.mark.parametrize("browser", BROWSERS)
def test_the_browsers_header_and_footer_are_not_text(browser: str) -> None:
    doc = _extract(printed_pdf(browser))
    text = "\n".join(s.text for s in doc.sections)
    assert "moe.gov.cn" not in text and "2024/5/8" not in text and "5/8/2" not in text
    assert "_政策法规_" not in text and "第 1 页" not in text and " of 2" not in text
    assert PARAGRAPH[:30] in text.replace("\n", "")


@pytest.mark.parametrize(("site", "page_title"), [
    ("中国政府网", TITLE + "_国务院部门文件_中国政府网"),
    ("中华人民共和国教育部", TITLE + " - 中华人民共和国教育部政府门户网站"),
    ("示例省人民政府", "示例省人民政府-" + TITLE),  # the site's name first
    ("中华人民共和国教育部", TITLE[:20] + "…"),  # a long title cut by the browser
], ids=["gov.cn", "portal", "site-first", "cut"])
def test_the_title_is_the_page_titles_part_the_article_shows_never_the_banner(site: str, page_title: str) -> None:
    doc = _extract(printed_pdf("chrome", site=site, page_title=page_title))
    assert doc.title == TITLE


def test_a_one_page_print_drops_its_header_and_footer_too() -> None:
    doc = _extract(printed_pdf("chrome", per_page=200))
    text = "\n".join(s.text for s in doc.sections)
    assert (doc.title, doc.issuer, doc.date) == (TITLE, "教育部、国家发展改革委", "2023-02-20")
    assert "moe.gov.cn" not in text and "1/1" not in text


def test_a_documents_own_url_and_date_lines_are_kept() -> None:
    """Not a print: a URL and a date-and-time in the body of an ordinary PDF stay where they are."""
    body = [("关于开通示例服务平台的通知", 16, "center"), ("各单位：", 11, "left"),
            ("平台网址：https://www.example.gov.cn/service 1/2", 11, "left"),
            ("开通时间：2023/3/1 14:05 起", 11, "left")]
    body += [(ln, 11, "left") for ln in _wrap(PARAGRAPH * 2)]
    body += [("示例市政务服务中心", 11, "right"), ("2023年2月20日", 11, "right")]
    placed = [(t, _x(t, s, a), H - 60 - 22 * k, s) for k, (t, s, a) in enumerate(body)]
    doc = _extract(cjk_pdf([placed]))
    text = "\n".join(s.text for s in doc.sections)
    assert "https://www.example.gov.cn/service" in text and "2023/3/1 14:05" in text
    assert (doc.title, doc.date) == ("关于开通示例服务平台的通知", "2023-02-20")


def test_a_scanned_prints_ocr_lines_are_recognised_too() -> None:
    """A printed page scanned and read by OCR (what :mod:`.ocr` hands on: spaces lost, the title on a row of
    its own): the same lines go, and the page title is still read; the engine itself is not needed here."""
    def page(n: int) -> list[Line]:
        article = ([Line("中华人民共和国教育部"), Line(TITLE), Line(PARAGRAPH)] if n == 1 else
                   [Line(PARAGRAPH), Line("教育部 国家发展改革委"), Line("2023年2月20日")])
        return [Line("2024/5/814:05"), Line(TITLE + "_政策法规_中华人民共和国教育部"), *article,
                Line(f"{URL[:40]}… {n}/2")]
    pages = [page(1), page(2)]
    removed: list[Removal] = []
    assert strip_print_chrome(pages, removed) == TITLE + "_政策法规_中华人民共和国教育部"
    assert [ln.text for ln in pages[0]] == ["中华人民共和国教育部", TITLE, PARAGRAPH]
    assert [ln.text for ln in pages[1]] == [PARAGRAPH, "教育部 国家发展改革委", "2023年2月20日"]
    assert len(removed) == 6
    assert title_from_page_title(TITLE + "_政策法规_中华人民共和国教育部", [ln.text for ln in pages[0]]) == TITLE
    assert is_site_name("中华人民共和国教育部", TITLE + "_政策法规_中华人民共和国教育部")


@pytest.mark.parametrize("lines", [
    ["关于开通示例服务平台的通知", "平台网址：https://www.example.gov.cn/service 1/1", PARAGRAPH],
    ["示例工作情况汇报", PARAGRAPH, "附件1/2 说明", "2023/3/1 14:05"],  # one page: a stamp alone proves nothing
    ["示例工作情况汇报", PARAGRAPH, "第 1 页 共 1 页"],  # a Word file's page numbers: no browser's print
])
def test_a_documents_own_edge_lines_are_no_print_frame(lines: list[str]) -> None:
    pages = [[Line(t) for t in lines]]
    assert strip_print_chrome(pages, []) is None and len(pages[0]) == len(lines)


@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_a_print_view_titled_by_its_title_alone_keeps_its_title(browser: str) -> None:
    """A site's print view (no banner: the article's title is the page's first line) under a <title> that is
    the article's title alone: the browser's header repeats it, but the article's own title line is no header
    (it was dropped as one, and a body line became the title)."""
    doc = _extract(printed_pdf(browser, page_title=TITLE, banner=False))
    assert (doc.title, doc.doc_number, doc.date) == (TITLE, NUMBER, "2023-02-20")
    text = "\n".join(s.text for s in doc.sections)
    assert "2024/5/8" not in text and "moe.gov.cn" not in text

