"""Classes of 落款 found by the second probe of real files (none of them copied here): a body signed with its
other name in brackets (bodies that share an office: 县委统战部（县民族宗教事务局）), and a short word closing the
text just above the 落款 (待定, 暂无) that is not the first half of a wrapped name."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.pipeline import extract_file
from indexer.extract.signatures import names_above

TITLE = "关于做好示例县民族团结进步创建工作的通知"
BODY = ["各乡镇党委，县直各单位：",
        "为深入贯彻中央民族工作会议精神，推动民族团结进步创建工作走深走实，现就有关事项通知如下。",
        "一、提高思想认识",
        "各单位要把创建工作摆在重要位置，认真抓好落实。"]


def _doc(tmp_path: Path, lines: list[str]):
    path = tmp_path / "notice.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extract_file(path).documents[0]


@pytest.mark.parametrize("signer", [
    "中共示例县委统战部（示例县民族宗教事务局）",
    "示例大学计算机学院（软件学院）",
    "示例市人民政府办公室(示例市外事办公室)",
])
def test_body_signed_with_its_other_name_in_brackets(tmp_path: Path, signer: str) -> None:
    doc = _doc(tmp_path, [TITLE, *BODY, "", signer, "2023年5月8日"])
    assert doc.issuer == signer
    assert doc.date == "2023-05-08"


@pytest.mark.parametrize("closing", ["待定", "暂无", "无"])
def test_short_word_over_the_signature_is_not_part_of_the_name(tmp_path: Path, closing: str) -> None:
    doc = _doc(tmp_path, [TITLE, *BODY, "八、培训经费", closing, "示例区教育发展研究中心培训部", "2017.4.17"])
    assert doc.issuer == "示例区教育发展研究中心培训部"
    assert doc.date == "2017-04-17"


def test_a_wrapped_name_is_still_joined() -> None:
    texts = ["正文。", "国务院应对新型冠状病毒肺炎", "疫情联防联控机制综合组", "2020年3月1日"]
    assert names_above(texts, 3) == (0, ["国务院应对新型冠状病毒肺炎疫情联防联控机制综合组"])


@pytest.mark.parametrize("heading", ["一、举办时间", "（一）报名时间", "1.活动时间"])
def test_date_under_a_numbered_heading_is_the_events(tmp_path: Path, heading: str) -> None:
    # no 落款: the date alone under the heading is when the event is held, not when the notice was written
    rest = ["二、参加对象", "各单位干部职工。", "三、有关要求", "（一）请各单位高度重视，认真组织。",
            "（二）请按时报送参加人员名单。", "（三）请遵守会场纪律。", "（四）请提前十分钟入场。",
            "（五）联系人：示例科。"]
    doc = _doc(tmp_path, [TITLE, BODY[0], heading, "2017年10月13日", *rest])
    assert doc.date is None or doc.date_inferred


def test_date_under_the_title_still_dates_the_document(tmp_path: Path) -> None:
    doc = _doc(tmp_path, ["在示例县统一战线工作会议上的讲话", "（2023年5月8日）", "同志们：", "今天我们召开会议。"])
    assert doc.date == "2023-05-08"
