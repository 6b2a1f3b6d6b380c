"""The line-role classifier every format shares: banner, head, number, standard cover, 落款 — and the title,
issuer, date and 发文字号 they give, from plain text and from layout hints alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.pipeline import extract_file
from indexer.extract.signatures import bodies
from indexer.extract.structure import Line, read_structure


def _doc(tmp_path: Path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path).documents[0]


BODY = "为深入贯彻中央统战工作会议精神，推动统一战线工作高质量发展，现就有关事项通知如下，请认真贯彻执行。"


def test_a_red_header_gives_issuer_and_number_and_the_title_below_it(tmp_path: Path) -> None:
    doc = _doc(tmp_path, f"统一战线工作资料汇编\n中共示例市委统战部文件\n示统发〔2024〕7号\n关于做好统战工作的通知\n"
                         f"各区县委统战部：\n{BODY}\n一、检查范围\n{BODY}\n中共示例市委统战部\n二○二四年三月十八日\n")
    assert (doc.title, doc.issuer, doc.doc_number, doc.date) == (
        "关于做好统战工作的通知", "中共示例市委统战部", "示统发〔2024〕7号", "2024-03-18")
    assert "统一战线工作资料汇编" in doc.text  # a running header above the banner is kept, not the title


def test_a_standards_cover_and_its_explanatory_note(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "ICS 27.010\n中华人民共和国能源行业标准\nNB/T 10001—2023\n能源管理体系 评价规范\n"
                         "编制说明\n（征求意见稿）\n本稿完成日期：2023年3月9日\n" + BODY + "\n")
    assert doc.title == "能源管理体系 评价规范编制说明（征求意见稿）"
    assert (doc.doc_number, doc.date, doc.doctype) == ("NB/T 10001—2023", "2023-03-09", "标准")


def test_a_database_exports_header_is_metadata_not_the_title(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "【法宝引证码】 CLI.4.53432\n证券发行上市保荐制度暂行办法\n【发布部门】 中国证券监督管理委员会\n"
                         "【发文字号】 中国证券监督管理委员会令第18号\n【发布日期】 2004.01.19\n【实施日期】 2004.02.01\n"
                         "【时效性】 已被修改\n第一章 总则\n第一条 " + BODY + "\n")
    assert (doc.title, doc.issuer, doc.doc_number, doc.date) == (
        "证券发行上市保荐制度暂行办法", "中国证券监督管理委员会", "中国证券监督管理委员会令第18号", "2004-01-19")
    assert "CLI.4.53432" not in (doc.title or "")


def test_an_announcement_with_its_number_and_a_date_in_the_text(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "中国证券监督管理委员会公告\n〔2013〕26号\n现公布《关于做好统战工作的规定》，自公布之日起施行。\n"
                         "中国证券监督管理委员会\n2013年6月7日\n关于做好统战工作的规定\n第一条 " + BODY + "\n")
    assert (doc.issuer, doc.doc_number, doc.date) == ("中国证券监督管理委员会", "中国证券监督管理委员会公告〔2013〕26号",
                                                      "2013-06-07")
    assert doc.title == "关于做好统战工作的规定"


@pytest.mark.parametrize(("signature", "issuer"), [
    ("科 技 部", "科技部"),  # letter-spaced
    ("工业和信息化部  国家标准化管理委员会", "工业和信息化部、国家标准化管理委员会"),
    ("工业和信息化部办公厅国家标准化管理委员会办公室", "工业和信息化部办公厅、国家标准化管理委员会办公室"),
    ("（国家粮食局办公室代章）", "国家粮食局办公室"),
])
def test_the_closing_signature_names_the_issuer(tmp_path: Path, signature: str, issuer: str) -> None:
    doc = _doc(tmp_path, f"各有关单位：\n{BODY}\n{signature}\n2019年5月22日\n（此件主动公开）\n")
    assert (doc.issuer, doc.date) == (issuer, "2019-05-22")


def test_the_issuer_a_title_names(tmp_path: Path) -> None:
    doc = _doc(tmp_path, f"济南市人民政府关于加快推进统一战线工作的通知\n各区县人民政府：\n{BODY}\n")
    assert doc.issuer == "济南市人民政府"


@pytest.mark.parametrize("date", ["二○○四年六月八日", "二〇〇四年六月八日", "二零零四年六月八日"])
def test_chinese_numeral_dates_to_the_day(tmp_path: Path, date: str) -> None:
    doc = _doc(tmp_path, f"中华人民共和国商务部令\n二〇〇四年第1号\n《关于统战工作的办法》已经审议通过，现予公布。\n部长 薄熙来\n"
                         f"{date}\n关于统战工作的办法\n第一条 {BODY}\n")
    assert (doc.date, doc.date_precision, doc.issuer) == ("2004-06-08", "day", "中华人民共和国商务部")


def test_layout_hints_choose_the_title_by_type_size() -> None:
    lines = [Line("中共示例市委统战部文件", 26), Line("示统发〔2023〕5号", 16), Line("关于做好2023年", 22),
             Line("民族宗教工作的通知", 22), Line(BODY, 16), Line(BODY, 16), Line("中共示例市委统战部", 16),
             Line("2023年3月15日", 16, "right")]
    found = read_structure(lines)
    assert (found.title, found.issuer, found.doc_number, found.written) == (
        "关于做好2023年民族宗教工作的通知", "中共示例市委统战部", "示统发〔2023〕5号", "2023-03-15")
    assert found.roles[0] == "banner" and found.roles[7] == "date"


def test_bodies() -> None:
    assert bodies("国 家 能 源 局") == "国家能源局"
    assert bodies("国家数据局 财政部 自然资源部") == "国家数据局、财政部、自然资源部"
