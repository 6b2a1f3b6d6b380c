"""Line cleaning: spam families go (with a reason), real sentences stay, damage is repaired or reported."""

from __future__ import annotations

import pytest

from indexer.document import Removal
from indexer.extract.cleaning import clean_lines

PARA = "今年以来，全市统一战线认真学习贯彻全国统战部长会议精神，扎实推动各项重点任务落实，取得新成效。"


def clean(lines: list[str]) -> tuple[list[str], list[Removal]]:
    removed: list[Removal] = []
    return clean_lines(lines, removed), removed


@pytest.mark.parametrize("spam", [
    "文心整理，咨询QQ123456789",                     # brand + QQ contact
    "更多资料请加微信：abc_12345",                    # WeChat id
    "加VX 13812345678 领取全套资料",
    "仅供学习交流 禁止外传 用后删除",                   # anti-resale
    "【会员资料仅供内部交流使用，严禁外传，违者后果自负】",
    "开通会员即可免费下载全部范文",                     # membership
    "会员群：123456  免费QQ群：654321",
    "本文档来自网络，如有侵权请联系删除",                # doc-sharing disclaimer
    "文档贡献者：张三",
    "下载后可编辑，word版下载",
    "原创力文档 知识共享平台",
    "第 3 页 共 12 页",                               # page footer
    "感谢阅读，欢迎下载",
])
def test_spam_lines_are_removed_with_a_reason(spam: str) -> None:
    kept, removed = clean([PARA, spam, PARA])
    assert kept == [PARA, PARA]
    assert [r.text for r in removed] == [spam.strip()]
    assert removed[0].reason


@pytest.mark.parametrize("real", [
    "我们开通了“同心”微信公众号，建立统战成员QQ群，及时发布政策信息，服务党外人士。",
    "群众可以在政府网站下载申请表格，也可以到窗口领取纸质表格。",
    "市工商联建立会员企业联系制度，全年走访会员企业200余家。",
    "加强网络人士统战工作，引导网络“大V”把握正确舆论导向。",
])
def test_real_sentences_that_mention_channels_survive(real: str) -> None:
    kept, removed = clean([PARA, real])
    assert kept == [PARA, real] and removed == []


def test_spam_clause_glued_to_a_paragraph_is_cut() -> None:
    kept, removed = clean([PARA + "更多精品资料请咨询QQ987654321"])
    assert kept == [PARA]
    assert removed[0].text == "更多精品资料请咨询QQ987654321"
    assert "glued" in removed[0].reason


def test_watermark_repeated_between_paragraphs() -> None:
    mark = "某某范文网整理发布"
    kept, removed = clean([PARA, mark, PARA + "一", mark, PARA + "二", mark])
    assert mark not in kept and len(kept) == 3
    assert sum(r.text == mark for r in removed) == 3


def test_brand_announced_once_marks_its_other_lines() -> None:
    kept, removed = clean(["酷文网", PARA, "酷文网整理，咨询QQ206157060", PARA])
    assert kept == [PARA, PARA]
    assert {r.text for r in removed} == {"酷文网", "酷文网整理，咨询QQ206157060"}


def test_pinyin_glosses_and_tag_fragments() -> None:
    kept, removed = clean(["推動上海統(tǒng)一戰(zhàn)線事業(yè)，召開會議</span>"])
    assert kept == ["推動上海統一戰線事業，召開會議"]
    assert [r.reason for r in removed].count("pinyin gloss") == 3
    assert any(r.text == "</span>" for r in removed)


def test_real_parentheses_are_not_glosses() -> None:
    line = "制定《特约人员考核实施方案(试行)》，国内生产总值(GDP)增长6%(预计)。"
    assert clean([line])[0] == [line]


def test_misaligned_gbk_run_is_repaired() -> None:
    context = "上海的“家在上海”品牌。" * 3
    kept, removed = clean([context, "深化“家在上?!逼放平ㄔO(shè)工作。"])
    assert kept[1] == "深化“家在上海”品牌建設工作。"
    assert any("one byte off" in r.reason for r in removed)


def test_lost_characters_are_dropped_and_reported() -> None:
    kept, removed = clean(["统一战线\ufffd工作会议召开。" + PARA])
    assert "\ufffd" not in kept[0]
    assert any("U+FFFD" in r.reason for r in removed)


@pytest.mark.parametrize("chrome", ["您当前的位置：首页 > 新闻", "【打印本页】", "【关闭窗口】", "字号：大 中 小",
                                    "京ICP备12024993号-1", "分享到：", "浏览次数：1234", "上一篇：关于…的通知"])
def test_site_chrome_lines(chrome: str) -> None:
    kept, removed = clean([PARA, chrome])
    assert kept == [PARA] and removed[0].text == chrome
