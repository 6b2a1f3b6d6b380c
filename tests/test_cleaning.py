"""Line cleaning: spam families go (with a reason), real sentences stay, damage is repaired or reported."""

from __future__ import annotations

import pytest

from indexer.document import Removal
from indexer.extract.cleaning import clean_lines, spam_reason

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


@pytest.mark.parametrize("lines", [
    # a diagram's labels and a table's cells repeated in several figures and tables
    ["CA生产管控与优化", "CAE质量管理", "CAF生产优化", "图12 生产管控与优化标准子体系", PARA,
     "CFD节能服务", "CAF生产优化", "CEC销售管理", PARA, "CAD工艺管理", "CAF生产优化", "图13 框架"],
    # a form's fields, a code's repeated heading, a plan's repeated prescription line
    [PARA, "牵头单位名称", "示例科技有限公司", "统一社会信用代码", "91110000MA00000000", "牵头单位名称", "示例集团",
     "统一社会信用代码", "91110000MA00000001", "牵头单位名称", "示例研究院", "统一社会信用代码", "12100000400000000X"],
    [PARA, "第一分编 通则", PARA, "第一分编 通则", PARA, "第一分编 通则", PARA],
    [PARA, "服法：每日1剂，水煎400ml，分2次服用", PARA, "服法：每日1剂，水煎400ml，分2次服用", PARA,
     "服法：每日1剂，水煎400ml，分2次服用", PARA],
])
def test_lines_repeated_among_a_document_s_own_text_stay(lines: list[str]) -> None:
    kept, removed = clean(lines)
    assert kept == lines and not removed


@pytest.mark.parametrize("real", [
    "施工开始后，设计又经常发生重大的修改，有的图纸注明“仅供参考”，都不能作为施工的依据。",
    "以下申报书样式仅供参考。",
])
def test_reference_only_in_prose_stays(real: str) -> None:
    kept, removed = clean([PARA, real, PARA])
    assert kept == [PARA, real, PARA] and not removed


def test_a_paragraph_opening_with_a_word_and_zhengli_announces_no_brand() -> None:
    lines = ["2.4.4.3 数据整理",
             "数据整理基于原始数据库考虑数据清洗、数据预处理的质控要求，数据整理所用软件工具均需明确名称。", PARA,
             "明确数据采集设备和数据采集过程相关要求。"]
    kept, removed = clean(lines)
    assert kept == lines and not removed


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


@pytest.mark.parametrize("lines", [
    # a meeting notice's own labelled lines: in its body, or closing it with no chrome after them
    [PARA, "主办单位：河南省教育厅", "承办单位：郑州大学", PARA],
    [PARA, "主办单位：河南省教育厅 承办单位：郑州大学 技术支持：郑州大学信息中心", PARA],
    [PARA, "主办单位：中共上海市委统战部", "承办单位：上海市社会主义学院"],
    [PARA, "本报告版权所有，引用请注明出处。", PARA],
])
def test_footer_labels_in_a_document_s_own_text_stay(lines: list[str]) -> None:
    kept, removed = clean(lines)
    assert kept == lines and not removed


@pytest.mark.parametrize("footer", [
    ["主办单位：中共某某市委统战部", "京ICP备12024993号-1"],  # next to a footer line
    ["版权所有：中共某某市委统战部", "", "技术支持：某某网络公司", "", "网站标识码：1100000088"],
    ["京公网安备11010502030143号", "Copyright © 2020 某某网 All Rights Reserved"],
    ["网站地图 | 联系我们", "主办单位：某某市人民政府办公室"],  # among the last lines, after chrome
    ["主办单位：某某市人民政府办公室", "【关闭窗口】"],
])
def test_footer_labels_among_a_footer_s_lines_go(footer: list[str]) -> None:
    kept, removed = clean([PARA, *footer])
    assert kept == [PARA] and sorted(r.text for r in removed) == sorted(f for f in footer if f)


@pytest.mark.parametrize("promo", [
    "关注公众号查看全文",
    "关注“统战资料库”公众号，回复“总结”免费领取全套范文",
    "后台回复关键词“讲话稿”即可获取",
    "1、回复【公租房】查看最新消息",
    "长按识别二维码，关注我们",
    "更多粉丝福利扫描二维码关注（sinafinance）",
    "点击上方蓝字关注我们",
    "扫一扫 关注我",
    "新浪财经公众号",
    "觉得有用就点个在看吧",
])
def test_wechat_promotions_are_removed_with_a_reason(promo: str) -> None:
    kept, removed = clean([PARA, promo, PARA])
    assert kept == [PARA, PARA]
    assert [r.reason for r in removed] == ["WeChat official-account promotion"]


@pytest.mark.parametrize("real", [
    "在官方网站、微信公众号、短视频网络平台等开辟展播专区，对符合要求的作品进行展播。",
    "店铺设置信用二维码，消费者可通过二维码查询商户信用信息。",
    "群众可关注“平安山东”政务公众号，及时获取政策解读和办事指南。",
    "应运用小程序、APP、公众号、服务号、直播平台等多种渠道开展宣传。",
    "（三）用好政务公众号",
    "中方提出建立基于核酸检测结果、以国际通行二维码为形式的健康码国际互认机制。",
    "市工业和信息化局大数据产业处，联系电话：85916712。",
])
def test_real_mentions_of_wechat_qr_codes_and_phones_stay(real: str) -> None:
    kept, removed = clean([PARA, real])
    assert kept == [PARA, real] and removed == []


def test_promotion_clause_glued_to_a_paragraph_is_cut() -> None:
    kept, removed = clean([PARA + "关注本公众号，回复“资料”免费领取。"])
    assert kept == [PARA]
    assert removed[0].reason.startswith("WeChat official-account promotion")


WIKISOURCE_TAIL = [  # the end of a zh.wikisource page exported to text, byte for byte as in the reports
    "", "", "本作品是中华人民共和国的", "法律", "、", "法规",
    "，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，及其官方正式译文。根据《",
    "中华人民共和国著作权法", "》第五条第一项，本作品不适用于该法，在", "中国大陆",
    "，也可能在其他管辖区，属于", "公有领域", "。", "", "", "↑", " ", "据", "2024年社群共识",
    "，国务院（及其组成部门）等", "中央国家机关党组", "制定的公文，视同“直属机构”制定。", "", "Public domain",
    "Public domain", "false", "false",
]


def test_wiki_licence_footer_is_removed_whole() -> None:
    body = [PARA, "", "依照《中华人民共和国著作权法》保护作者的合法权益，是一项法定义务。"]
    kept, removed = clean(body + WIKISOURCE_TAIL)
    assert kept == [PARA, body[2]]  # a real mention of 著作权法 in the text stays
    text = "".join(r.text for r in removed)
    assert "社群共识" in text and "公有领域" in text and "Public domain" in text
    assert {r.reason for r in removed} == {"licence/copyright footer of a wiki or archive site"}


def test_licence_words_inside_a_document_are_not_a_footer() -> None:
    lines = [PARA, "（三）依照《中华人民共和国著作权法》第五条，法律、法规和国家机关的决议不适用该法保护，属于公有领域。",
             "各单位在公开政府信息时，应当注明来源，Public domain 的说法不能代替著作权审查。"]
    assert clean(lines)[0] == lines


def test_lines_broken_at_wiki_links_are_joined() -> None:
    kept, _ = clean(["会议听取和审议了国务院总理所作的", "政府工作报告", "。会议充分肯定国务院过去一年的工作。",
                     "制定并颁布了《", "重大动物疫情应急条例", "》。"])
    assert kept == ["会议听取和审议了国务院总理所作的政府工作报告。会议充分肯定国务院过去一年的工作。",
                    "制定并颁布了《重大动物疫情应急条例》。"]


def test_paragraph_breaks_and_headings_are_not_joined() -> None:
    lines = ["一、总体要求", PARA, "", "（二）基本原则", PARA]
    assert clean(lines)[0] == [ln for ln in lines if ln]


def test_hard_wrapped_text_becomes_paragraphs() -> None:
    """Text copied out of a PDF: every line 20 characters, a paragraph's first line indented by two."""
    paragraph = ("持续推进数字技术适老化是践行积极应对人口老龄化战略的重要举措，也是实施《无障碍环境建设法》的内在要求。"
                 "为深入贯彻落实习近平总书记关于解决老年人运用智能技术困难的重要指示精神，制定本方案。")
    lines, want = [], []
    for k in range(4):
        text = f"第{k + 1}次" + paragraph
        lines += ["  " + text[:18]] + [text[i:i + 20] for i in range(18, len(text), 20)] + [f"{'一二三四'[k]}、重点任务"]
        want += [text, f"{'一二三四'[k]}、重点任务"]
    assert clean(lines)[0] == want


@pytest.mark.parametrize("promo", [
    "本文来自第一范文网，更多范文请访问www.diyifanwen.com",
    "专业公文写作平台，海量范文免费下载",
    "范文大全 www.fanwenku.cn",
    "更多精彩文章请关注公文素材库",
    "本文由文秘帮整理提供",
])
def test_writing_site_promotions_go_like_qq_spam(promo: str) -> None:
    kept, removed = clean([PARA, promo, PARA])
    assert kept == [PARA, PARA] and removed and removed[0].text == promo


def test_a_writing_site_promotion_glued_to_a_paragraph_is_cut() -> None:
    kept, removed = clean([PARA + "本文来源于文秘帮，更多范文请访问wenmi.com"])
    assert kept == [PARA] and removed


@pytest.mark.parametrize("real", [
    "各级各部门要加强公文写作培训，提高公文质量。",
    "市委办公室印发了《关于进一步规范公文写作的通知》，要求各单位认真执行。",
    "登录中国政府网www.gov.cn可以查阅全文。",
    "要充分发挥统战部门网站的作用，建设好网上统战平台。",
])
def test_prose_about_writing_and_sites_stays(real: str) -> None:
    assert clean([real])[0] == [real]


@pytest.mark.parametrize("link", ["【我要纠错】 责任编辑：王某", "纠错邮箱：jiucuo@12371.cn", "[纠错]", "我要纠错"])
def test_report_an_error_links_go(link: str) -> None:
    kept, removed = clean([PARA, link])
    assert kept == [PARA] and removed


def test_writing_site_promotions_are_spam() -> None:
    """(That every match of a gated phrase holds one of its literals is tests/test_spam_literals.py: matches
    generated from each pattern itself.)"""
    assert spam_reason("欢迎访问第一范文网，更多资料", set())
    assert spam_reason("xx范文网 www.xxfanwen.com", set())
