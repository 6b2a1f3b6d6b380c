"""Citation fields by document structure, one class per test, each with variants the rules were not tuned on
(issue 21, third round): an announcement whose title is itself 关于…的公告/通告 (no order's head); a title
set as the issuing bodies over 关于…的通知; …

Every document is synthetic and imported through the normal path (:func:`extract_file`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.pipeline import extract_file

BODY = "为深入贯彻中央统战工作会议精神，推动统一战线工作高质量发展，现就有关事项通知如下，请认真贯彻执行。"


def _doc(tmp_path: Path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path).documents[0]


@pytest.mark.parametrize(("text", "title", "issuer", "date"), [
    ("关于公布第一批示范基地名单的公告\n根据《示范基地管理办法》，经评审，现将第一批示范基地名单予以公布。\n特此公告。\n"
     "附件：第一批示范基地名单\n示例省商务厅\n二〇一八年十二月二十日\n附件\n第一批示范基地名单\n1．示例基地\n",
     "关于公布第一批示范基地名单的公告", "示例省商务厅", "2018-12-20"),
    ("关于禁止在城区燃放烟花爆竹的通告\n为保障公共安全，根据《示例市烟花爆竹安全管理条例》，现就有关事项通告如下：\n"
     "一、城区范围内全年禁止燃放烟花爆竹。\n示例市公安局\n2022年12月1日\n",
     "关于禁止在城区燃放烟花爆竹的通告", "示例市公安局", "2022-12-01"),
    ("示例市人民政府关于实施临时交通管制的通告\n为保障马拉松比赛顺利进行，决定对部分道路实施临时交通管制。现通告如下：\n"
     "一、管制时间为2023年4月9日6时至14时。\n特此通告。\n示例市人民政府\n2023年4月2日\n",
     "示例市人民政府关于实施临时交通管制的通告", "示例市人民政府", "2023-04-02"),
])
def test_an_announcements_own_title_is_no_head(tmp_path: Path, text: str, title: str, issuer: str,
                                               date: str) -> None:
    doc = _doc(tmp_path, text)
    assert (doc.title, doc.issuer, doc.date) == (title, issuer, date)
    assert not doc.title_derived


def test_an_order_or_announcement_head_still_heads(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "示例市人民政府通告\n第3号\n" + BODY + "\n示例市人民政府\n2023年4月2日\n")
    assert (doc.issuer, doc.doc_number, doc.date) == ("示例市人民政府", "示例市人民政府通告第3号", "2023-04-02")


@pytest.mark.parametrize(("text", "title", "issuer"), [
    ("示例县人民政府\n关于进一步加强农村\n饮水安全工作的通知\n示政发〔2019〕3号\n各乡镇人民政府，县直各部门：\n" + BODY
     + "\n示例县人民政府\n2019年2月18日\n", "示例县人民政府关于进一步加强农村饮水安全工作的通知", "示例县人民政府"),
    ("示例省财政厅 示例省教育厅\n关于下达2020年学生资助资金的通知\n各市财政局、教育局：\n" + BODY
     + "\n示例省财政厅    示例省教育厅\n2020年1月6日\n", "示例省财政厅 示例省教育厅关于下达2020年学生资助资金的通知",
     "示例省财政厅、示例省教育厅"),
    ("示例省财政厅\n示例省教育厅\n关于做好2021年高校毕业生就业工作的通知\n各高等学校：\n" + BODY
     + "\n示例省财政厅\n示例省教育厅\n2021年5月8日\n", "示例省财政厅 示例省教育厅关于做好2021年高校毕业生就业工作的通知",
     "示例省财政厅、示例省教育厅"),
])
def test_issuing_bodies_set_over_the_rest_of_the_title(tmp_path: Path, text: str, title: str, issuer: str) -> None:
    doc = _doc(tmp_path, text)
    assert (doc.title, doc.issuer) == (title, issuer)


def test_a_sites_name_over_a_document_signed_by_another_body_stays_off_the_title(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "示例市人民政府\n关于做好冬季安全生产工作的通知\n各省、自治区、直辖市人民政府：\n" + BODY
               + "\n国务院办公厅\n2020年11月3日\n")
    assert (doc.title, doc.issuer, doc.date) == ("关于做好冬季安全生产工作的通知", "国务院办公厅", "2020-11-03")
