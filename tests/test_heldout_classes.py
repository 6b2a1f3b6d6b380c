"""Classes of structure found on the held-out set (tests/data/devset/heldout.jsonl), each with synthetic
variants: a crawler's header written with Chinese labels (标题：… 来源：… URL：… 抓取时间：… 文种：…) above the
document is the exporter's, not the document's title or issuer; a page's own labelled lines are not such a header."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.metadata import export_header
from indexer.extract.pipeline import extract_file

TITLE = "示例省人民政府办公厅关于开展示例专项行动的通知"
BODY = ["各市、县人民政府，省政府各部门：",
        "为深入贯彻中央统战工作会议精神，推动统一战线工作高质量发展，现就有关事项通知如下，请认真贯彻执行。"]


def _doc(tmp_path: Path, text: str):
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path).documents[0]


@pytest.mark.parametrize("header", [
    # the full block, full-width colons, the title repeated as the document's first line below
    ["标题：" + TITLE, "来源：中国政府网", "URL：https://www.gov.cn/zhengce/content_1.htm", "抓取时间：2026-04-03",
     "文种：通知", ""],
    # half-width colons, lower-case url, no 文种, no blank line
    ["标题:" + TITLE, "url: https://example.gov.cn/a.html", "采集时间: 2025-01-02"],
    # 题目 and 网址 only
    ["题目：" + TITLE, "网址：http://www.example.gov.cn/art/1.html", ""],
])
@pytest.mark.parametrize("repeated", [True, False])
def test_chinese_labelled_export_header_is_not_the_title(tmp_path: Path, header: list[str], repeated: bool) -> None:
    lines = [*header, *([TITLE, "示办发〔2024〕11号"] if repeated else []), *BODY]
    doc = _doc(tmp_path, "\n".join(lines) + "\n")
    assert doc.title == TITLE
    assert doc.issuer == "示例省人民政府办公厅"
    assert "中国政府网" not in (doc.issuer or "")
    # the fetch date is the exporter's, not the document's (a year implied by the 发文字号 is marked inferred)
    assert doc.date is None or (doc.date_inferred and not doc.date.startswith(("2025", "2026")))
    if repeated:
        assert doc.doc_number == "示办发〔2024〕11号"


@pytest.mark.parametrize("lines", [
    # a government page's own labelled lines: no exporter's label (URL, fetch time), so not an export header
    ["标题：" + TITLE, "来源：示例省人民政府办公厅"],
    ["来源：示例省人民政府", "文种：通知"],
    # one labelled line is not a block
    ["URL：https://www.gov.cn/a.htm", TITLE],
])
def test_page_labelled_lines_are_not_an_export_header(lines: list[str]) -> None:
    assert export_header([*lines, *BODY]) == (0, {})


def test_export_header_fields_are_mapped() -> None:
    taken, fields = export_header(["标题：" + TITLE, "URL：https://a.gov.cn/1", "抓取时间：2026-04-03", "", *BODY])
    assert taken == 3
    assert fields == {"title": TITLE, "url": "https://a.gov.cn/1", "fetched": "2026-04-03"}


@pytest.mark.parametrize(("written", "want"), [
    ("二０００年六月二十一日", "2000-06-21"),  # fullwidth digit zero for 〇
    ("二000年六月二十一日", "2000-06-21"),  # ASCII zero
    ("二OO四年六月八日", "2004-06-08"),  # letter O
    ("二〇一〇年十二月一日", "2010-12-01"),
])
def test_order_signed_with_zero_written_as_a_digit(tmp_path: Path, written: str, want: str) -> None:
    """An order (令) dated under the premier's name, its year's zero typed as a digit or letter: the order's date,
    not the date the text takes effect."""
    text = "\n".join(["中华人民共和国国务院令", "第287号", "现公布《示例条例》，自2001年1月1日起施行。", "总理　某某",
                      written, "示例条例", "第一条 为了规范示例工作，制定本条例。", "第二条 本条例自2001年1月1日起施行。"])
    doc = _doc(tmp_path, text + "\n")
    assert doc.date == want


def test_plain_years_are_not_chinese_numeral_years() -> None:
    from indexer.extract.dates import parse_date
    assert parse_date("0000年六月二十一日") is None
    assert parse_date("2000年6月21日") == "2000-06-21"


NOTICE = ["财政部关于印发《示例规定》的通知"]
ADDRESSED = ["财会〔2020〕10号", "各省、自治区、直辖市财政厅（局）：",
             "为规范示例工作，我部制定了《示例规定》，现予印发，请认真贯彻执行。", "财  政  部", "2020年6月19日"]


@pytest.mark.parametrize("page_lines", [
    [],
    ["2020-06-24来源: 会计司"],  # the page's dateline and source run together
    ["来源：会计司"],
    ["来源：会计司", "责任编辑：某某"],  # two labelled lines
])
@pytest.mark.parametrize("site_heading", ["# 示例规定\n==========\n", "# 示例规定\n"])
def test_site_heading_yields_to_the_notice_title_over_labelled_lines(tmp_path: Path, page_lines: list[str],
                                                                     site_heading: str) -> None:
    """A Markdown page names the attachment in its heading; the notice's own title line stands over its
    发文字号, with the page's labelled lines (来源/发布时间) between them: the notice's title is the title."""
    path = tmp_path / "page.md"
    path.write_text(site_heading + "\n" + "\n\n".join([*NOTICE, *page_lines, *ADDRESSED]) + "\n", encoding="utf-8")
    doc = extract_file(path).documents[0]
    assert (doc.title, doc.issuer, doc.date, doc.doc_number) == (NOTICE[0], "财政部", "2020-06-19", "财会〔2020〕10号")


def test_site_heading_kept_when_a_body_line_stands_before_the_number(tmp_path: Path) -> None:
    """Only a title block stands between: a body sentence there means the heading is the title."""
    path = tmp_path / "page.md"
    body = "为规范示例工作，我部制定了本规定，现予印发，请认真贯彻执行，执行中有何问题请及时反馈我部。"
    path.write_text("# 示例规定\n\n" + "\n\n".join([body, "来源：会计司", *ADDRESSED]) + "\n", encoding="utf-8")
    assert extract_file(path).documents[0].title == "示例规定"


ANNOUNCED = ["为推动示例行业持续健康发展，现将有关增值税政策公告如下：", "一、示例政策自2022年3月1日起执行。", "特此公告。"]


@pytest.mark.parametrize(("number_line", "signed", "want"), [
    ("财政部 税务总局公告2021年第40号", "财政部税务总局", "财政部、税务总局"),
    ("财政部　税务总局公告2021年第40号", "财政部税务总局", "财政部、税务总局"),  # ideographic space
    ("财政部 税务总局 海关总署公告2020年第1号", "财政部税务总局海关总署", "财政部、税务总局、海关总署"),
    # the number runs the names together too: nothing says where one ends, so the 落款 stands as written
    ("财政部税务总局公告2021年第40号", "财政部税务总局", "财政部税务总局"),
])
@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_joint_signature_split_as_the_number_line_writes_it(tmp_path: Path, number_line: str, signed: str,
                                                            want: str, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n\n".join(["关于完善示例增值税政策的公告", number_line, *ANNOUNCED, signed, "2021年12月30日"]) + "\n",
                    encoding="utf-8")
    doc = extract_file(path).documents[0]
    assert doc.issuer == want
    assert doc.date == "2021-12-30"


def test_one_body_named_with_its_parent_is_not_split(tmp_path: Path) -> None:
    """公安部交通管理局 is one body; its number (公交管〔2020〕1号) writes no names apart, so it stays whole."""
    path = tmp_path / "a.txt"
    path.write_text("\n".join(["关于做好示例工作的通知", "公交管〔2020〕1号", "各省、自治区、直辖市公安厅（局）交通管理局：",
                               "为做好示例工作，现就有关事项通知如下，请认真贯彻执行。", "公安部交通管理局",
                               "2020年1月2日"]) + "\n", encoding="utf-8")
    assert extract_file(path).documents[0].issuer == "公安部交通管理局"
