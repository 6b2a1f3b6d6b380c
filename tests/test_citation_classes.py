"""Title, issuer, date and 发文字号 by the rules a clerk reads a document with, one synthetic document per class
of structure (the development set's misses, named): a law's 题注, an export's header, a spokesperson's title,
a 施行-only regulation, a notice signing before its attachment, a table export, a byline, a joint 红头, titles
over attachment labels, forms and tables, and the site chrome exports carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.notes import read_notes
from indexer.extract.pipeline import extract_bytes, extract_file

BODY = "为深入贯彻中央统战工作会议精神，推动统一战线工作高质量发展，现就有关事项通知如下，请认真贯彻执行。"
ARTICLE = "第一条 为了保护示例资源，促进示例事业的发展，制定本法。"


def _doc(tmp_path: Path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path).documents[0]


def _fields(doc) -> tuple:
    return doc.title, doc.issuer, doc.date, doc.doc_number


@pytest.mark.parametrize(("note", "date", "issuer", "number"), [
    # a law revised by the NPC Standing Committee: the last act's date, the adopting body
    ("（1984年3月12日第六届全国人民代表大会常务委员会第四次会议通过 根据1992年9月4日第七届全国人民代表大会常务委员会第二"
     "十七次会议《关于修改〈中华人民共和国示例法〉的决定》第一次修正 2008年12月27日第十一届全国人民代表大会常务委员会第六次"
     "会议修订）", "2008-12-27", "全国人民代表大会常务委员会", None),
    # fullwidth digits, the President's order promulgating what the Standing Committee adopted
    ("１９９４年７月５日第八届全国人民代表大会常务委员会第八次会议通过\n１９９４年７月５日中华人民共和国主席令第二十八号公布",
     "1994-07-05", "全国人民代表大会常务委员会", "中华人民共和国主席令第二十八号"),
    # a local regulation approved by the province: the approval, the city's congress
    ("2018年10月26日 示例市第八届人民代表大会常务委员会第十四次会议通过\n2018年11月30日 示例省第十三届人民代表大会常务委"
     "员会第七次会议批准\n2020年9月3日 示例市第八届人民代表大会常务委员会第28次会议通过并经2020年9月25日示例省第十三届人民"
     "代表大会常务委员会第二十三次会议批准的《关于修改<示例条例>的决定》修正", "2020-09-25", "示例市人民代表大会常务委员会", None),
    # approved in a meeting, issued by other bodies; the effective date makes no version
    ("2022年1月24日 中共中央政治局会议审议批准\n2022年2月25日 中共中央、国务院发布\n2022年5月1日 施行",
     "2022-02-25", "中共中央、国务院", None),
    # a court's judicial committee is the court; the last 令 number of joint orders
    ("2024年1月3日 最高人民法院审判委员会第1910次会议通过\n2024年5月1日 施行", "2024-01-03", "最高人民法院", None),
    ("2004年12月9日 中华人民共和国国务院、中华人民共和国中央军事委员会令第425号公布\n2025年4月5日 中华人民共和国国务院、"
     "中华人民共和国中央军事委员会令第805号修订）", "2025-04-05", "中华人民共和国国务院、中华人民共和国中央军事委员会",
     "中华人民共和国国务院、中华人民共和国中央军事委员会令第805号"),
    ("2008年7月17日 经人力资源和社会保障部第6次部务会议通过", "2008-07-17", "人力资源和社会保障部", None),
])
def test_a_notes_acts_give_version_body_and_order(note: str, date: str, issuer: str, number: str | None) -> None:
    found = read_notes(note)
    assert found is not None and (found.date, found.issuer, found.doc_number) == (date, issuer, number)


def test_a_law_is_cited_by_its_notes_last_act(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "中华人民共和国示例法\n（中华人民共和国主席令第 31 号）\n(1994 年 8 月 31 日第八届全国人民代表大会\n"
                         "常务委员会第九次会议通过 根据 2017 年 9 月 1 日第十二届全国人民代表大会常务委员会第二十九次会议\n"
                         "《关于修改〈中华人民共和国示例法〉等八部法律的决定》第二次修正)\n目 录\n第一章 总 则\n"
                         f"{ARTICLE}\n第二条 本法自1995年9月1日起施行。\n")
    assert _fields(doc) == ("中华人民共和国示例法", "全国人民代表大会常务委员会", "2017-09-01", "中华人民共和国主席令第 31 号")


def test_a_note_is_never_a_title(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "（1997年7月3日第八届全国人民代表大会常务委员会第二十六次会议通过 2007年8月30日第十届全国人民代表大会"
                         f"常务委员会第二十九次会议修订）\n目录\n第一章 总则\n{ARTICLE}\n")
    assert doc.title_derived and "会议" not in doc.title
    assert (doc.issuer, doc.date) == ("全国人民代表大会常务委员会", "2007-08-30")


def test_a_sessions_resolution_is_issued_by_the_session_its_title_names(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "第十四届全国人民代表大会第一次会议关于政府工作报告的决议\n（2023年3月13日第十四届全国人民代表大会第一次会议"
                         "通过）\n第十四届全国人民代表大会第一次会议听取和审议了国务院总理所作的政府工作报告。会议充分肯定国务院过去五年的工作。\n")
    assert (doc.issuer, doc.date) == ("第十四届全国人民代表大会第一次会议", "2023-03-13")


def test_an_exports_title_names_a_transcript(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "title: 示例部就示例对话等答问\nurl: http://www.example.org/1.htm\nauthor: 示例网站\ncontent: \n"
                         "2015年11月26日示例部发言人某某主持例行记者会\n问：请介绍对话情况。\n答：对话取得积极成果，双方同意继续合作。\n")
    assert _fields(doc) == ("示例部就示例对话等答问", "示例部", "2015-11-26", None)
    assert "url:" not in doc.text


@pytest.mark.parametrize(("lines", "want"), [
    ("title: 2005年7月12日外交部发言人某某在例行记者会上答记者问\nurl: http://example.org\ncontent: \n7月12日下午，例行记者会举行。\n",
     ("外交部", "2005-07-12")),
    ("title: 5月13日外交部发言人某某主持例行记者会\nurl: http://example.org\ncontent: \n原标题：2020年5月13日外交部发言人某某主持"
     "例行记者会\n记者：请问有何评论？\n", ("外交部", "2020-05-13")),
])
def test_a_spokespersons_title_names_the_body_and_the_day(tmp_path: Path, lines: str, want: tuple) -> None:
    doc = _doc(tmp_path, lines)
    assert (doc.issuer, doc.date) == want


def test_a_regulation_with_no_other_date_is_dated_when_it_takes_effect(tmp_path: Path) -> None:
    doc = _doc(tmp_path, f"示例生猪屠宰管理条例\n第一章 总则\n{ARTICLE}\n第二条 本条例自2008年8月1日起施行。2002年5月24日发布的《旧办法》"
                         "同时废止。\n")
    assert (doc.date, doc.date_precision) == ("2008-08-01", "day")


def test_a_notice_signs_before_the_attachment_it_issues(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "示例办公厅关于印发示例办法的通知\n示办发〔2020〕50号\n各有关单位：\n《示例办法》已经同意，现印发给你们，请认真执行。\n"
                         "附件：示例办法\n示 例 办 公 厅\n2020年12月7日\n（此件公开发布）\n示例办法\n第一条 为了规范示例工作，制定本办法。\n"
                         "第二条 本办法自2021年1月1日起施行。\n示例局\n2021年1月5日\n")
    assert (doc.issuer, doc.date) == ("示例办公厅", "2020-12-07")


def test_a_wrapped_name_over_a_stamp_signs(tmp_path: Path) -> None:
    doc = _doc(tmp_path, f"关于印发示例防控方案的通知\n各有关单位：\n{BODY}\n示例省应对新型冠状病毒肺炎\n疫情联防联控机制综合组\n"
                         "（示例省卫生健康委代章）\n2022年6月27日\n")
    assert doc.issuer == "示例省应对新型冠状病毒肺炎疫情联防联控机制综合组"


def test_a_table_export_is_titled_by_its_subject_and_issued_by_its_source(tmp_path: Path) -> None:
    rows = "\n".join(f"{p}省 {i}.5 {i}.2 {i}.1" for i, p in enumerate("河北山西辽宁吉林江苏浙江安徽福建江西山东河南湖北"))
    doc = _doc(tmp_path, f"数据库：分省年度数据\n指标：供水总量(亿立方米)\n时间：最近3年\n地区 2014年 2013年 2012年\n{rows}\n"
                         "数据来源：国家统计局\n")
    assert (doc.title, doc.issuer) == ("供水总量(亿立方米)", "国家统计局")
    assert "数据来源：国家统计局" in doc.text and "时间：最近3年" in doc.text


def test_a_signature_on_one_line_names_its_body(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "示例县主要农副产品价格行情\n类别 品种 价格（元）\n粮食类 晚籼米 2.68\n油料类 调和油 79.9\n示例县发改委 2023.10.6\n")
    assert (doc.issuer, doc.date) == ("示例县发改委", "2023-10-06")


def test_a_bulletins_byline_signs_it_at_its_head() -> None:
    page = ("<html><head><meta name='pubdate' content='2023-08-16 10:33:59'></head><body><div>生成日期：</div>"
            "<div>2023-05-11</div><h1>示例县2022年国民经济和社会发展统计公报</h1><div id='zoom'><p>示例县统计局 国家统计局示例调查队</p>"
            f"<p>（2023年5月）</p><p>{BODY * 3}</p><p>{BODY}</p></div></body></html>")
    doc = extract_bytes(page.encode(), "b.html", kind="html").documents[0]
    assert (doc.issuer, doc.date, doc.date_precision) == ("示例县统计局、国家统计局示例调查队", "2023-05", "month")


def test_a_pages_labelled_date_stands_in_the_element_after_its_label() -> None:
    page = ("<html><body><div>发布日期：</div><div>2017-05-15 10:49:00</div><h1>示例县统计公报</h1><div id='zoom'>"
            f"<p>{BODY * 3}</p><p>（示例县统计局）</p></div></body></html>")
    doc = extract_bytes(page.encode(), "b.html", kind="html").documents[0]
    assert (doc.date, doc.issuer) == ("2017-05-15", "示例县统计局")


def test_a_joint_red_header_over_two_lines(tmp_path: Path) -> None:
    doc = _doc(tmp_path, f"示例发展改革委办公厅\n示例税务局办公厅文件\n示发改办〔2019〕860号\n关于加强示例信用建设的通知\n各有关单位：\n{BODY}\n")
    assert (doc.title, doc.issuer, doc.doc_number) == (
        "关于加强示例信用建设的通知", "示例发展改革委办公厅、示例税务局办公厅", "示发改办〔2019〕860号")


@pytest.mark.parametrize(("text", "title"), [
    ("附件3:\n公安机关录用人民警察体能测评标准\n及实施规范\n体能测评按照有关规定组织实施，三项达标者视为合格，不合格者可以重测一次。\n",
     "公安机关录用人民警察体能测评标准及实施规范"),
    ("新型冠状病毒肺炎防控方案\n（第八版）\n为指导各地做好疫情的常态化防控工作，制定本方案，请各地认真执行。\n", "新型冠状病毒肺炎防控方案（第八版）"),
    ("附件1\n示例住房公积金转移接续申请表\n申请职工姓名\n证件号码\n", "示例住房公积金转移接续申请表"),
    ("附件1\n新冠病毒感染者居家治疗常用药参考表\n症状 常用药物\n发热 对乙酰氨基酚\n", "新冠病毒感染者居家治疗常用药参考表"),
    ("原文链接：https://www.example.com/lar/1.html\n示例省推进“三地一区”建设领导小组办公室关于印发示例省关于加快对接区域全面经济伙伴关系"
     "协定(RCEP)经贸新规则实施意见的通知\n示例省推进“三地一区”建设领导小组办公室关于印发示例省关于加快对接区域全面经济伙伴关系协定（RCEP）"
     "经贸新规则实施意见的通知\n（示开放办〔2022〕6号）\n省有关单位：\n" + BODY + "\n",
     "示例省推进“三地一区”建设领导小组办公室关于印发示例省关于加快对接区域全面经济伙伴关系协定（RCEP）经贸新规则实施意见的通知"),
])
def test_titles_by_what_stands_around_them(tmp_path: Path, text: str, title: str) -> None:
    assert _doc(tmp_path, text).title == title


def test_a_section_heading_ending_in_wenjian_is_no_red_header(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "人体损伤程度鉴定标准\n范围\n本标准规定了人体损伤程度鉴定的原则、方法、内容和等级划分。\n规范性引用文件\n"
                         "下列文件对于本文件的应用是必不可少的。\n")
    assert doc.issuer is None


def test_a_regulations_repeated_items_are_no_watermark(tmp_path: Path) -> None:
    item = "（三）农业部规定需要进行实验室疫病检测的，检测结果符合要求。"
    doc = _doc(tmp_path, "\n".join(f"第{n}条 出售动物的，应当符合下列条件：\n（一）来自非封锁区；\n{item}"
                                   for n in "一二三四"))
    assert doc.text.count(item) == 4


def test_the_chrome_an_exported_file_carries(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "Laosheng.top\n大萌法律读本 » 2020-刑法\n中华人民共和国示例法\nhttps://flk.npc.gov.cn/\n"
                         "目录\nLaosheng.top..........1中华人民共和国示例法..........2\n"
                         f"{ARTICLE}\n第二条 本法自2021年1月1日起施行。\n更多内容请关注： 示例论坛. 微信公众号:示例号.\n")
    assert "Laosheng" not in doc.text and "flk.npc" not in doc.text and "公众号" not in doc.text
    assert "»" not in doc.text and "中华人民共和国示例法..........2" in doc.text


# a notice signed only by its body over the date (a 公示公告 of a customs office, seen on real files): bodies whose
# names end in 海关, 所, 站, 队, 校 or 馆 are issuing bodies as much as a 局 or a 厅
@pytest.mark.parametrize("body", ["南昌海关", "示例市档案馆", "示例县水文站", "示例市公安局交通警察支队",
                                  "中共示例县委党校", "示例市环境监测站", "示例省地质调查研究所",
                                  "国家统计局示例调查总队"])
def test_a_notice_signed_by_a_body_of_any_kind(tmp_path: Path, body: str) -> None:
    text = "\n".join([f"{body}2023年度拟录用工作人员公示公告", "现将拟录用人员名单予以公示。", "公示时间：2023年5月22日至5月26日",
                      "监督电话：0791-12345678", "特此公告。", body, "2023年5月19日", ""])
    doc = _doc(tmp_path, text)
    assert (doc.issuer, doc.date) == (body, "2023-05-19")


@pytest.mark.parametrize("line", ["请各单位认真组织实施", "请于5月30日前报送", "做好群众工作"])
def test_a_closing_line_that_is_no_body_is_no_issuer(tmp_path: Path, line: str) -> None:
    # the last line of the text, not a name: the line above it does not end a sentence
    text = "\n".join(["关于做好示例工作的说明", "各单位要高度重视，加强组织领导", line, "2023年5月19日", ""])
    assert _doc(tmp_path, text).issuer is None


# a 公示/公告 ends its text with labelled contact lines, then signs, then has its name list attached (the customs
# office's notice as read from its .doc): the body over the date is its 落款 all the same, and the 公示 period it
# states is no date of its own
@pytest.mark.parametrize("contact", [
    ["监督电话：0791-86307196、0791-86307074", "联系地址：江西省南昌市西湖区沿江中大道100号", "邮政编码：330009"],
    ["联系人：张三", "联系电话：0791-12345678"],
    ["举报邮箱：jubao@example.gov.cn"],
])
@pytest.mark.parametrize("period", ["公示时间：2023年5月22日至5月26日（5个工作日）", "公示期为5月22日至5月26日。",
                                    "报名时间：2023年5月22日—5月26日"])
def test_a_notice_signing_after_its_contact_lines(tmp_path: Path, contact: list[str], period: str) -> None:
    text = "\n".join(["南昌海关2023年度拟录用公务员公示公告",
                      "经过笔试、面试、体检和考察等程序，确定袁敏等15人为南昌海关拟录用公务员，现予以公示。公示期间如有问题，请向南昌海关反映。",
                      period, *contact, "南昌海关", "2023年5月19日", "附件", "南昌海关2023年度拟录用公务员名单",
                      "序号 拟录用职位 姓名 性别 学历 毕业院校",
                      *(f"{i} 隶属海关海关业务二级主办及以下职位 考生{i} 女 大学本科 上海海关学院" for i in range(1, 16)),
                      "注：同一职位考生按准考证号排列", ""])
    doc = _doc(tmp_path, text)
    assert (doc.issuer, doc.date) == ("南昌海关", "2023-05-19")


@pytest.mark.parametrize(("opening", "date"), [
    ("5月26日，示例市召开全市统战部长会议。2023年是全面贯彻党的二十大精神的开局之年。", "2023-05-26"),  # the event's day
    ("2023年5月22日至5月26日，示例市举办统战干部培训班，学员来自各区统战部。", None),  # a period, not a day
])
def test_an_opening_dates_its_event_not_a_period(tmp_path: Path, opening: str, date: str | None) -> None:
    doc = _doc(tmp_path, "\n".join(["示例市举办统战干部培训班", opening, "培训班围绕新时代统战工作进行了专题辅导。", ""]))
    assert (doc.date if not doc.date_inferred else None) == date


# a 公示公告's title wrapped onto a second line that ends in 公告 (seen on a real .doc): the two lines are its
# title, not a body's 公告 banner — the words before 公告 end in 公示, a kind of document, not a body's name
@pytest.mark.parametrize(("lines", "body"), [
    (["国家统计局江西调查总队2023年度拟录用", "参公单位工作人员公示公告"], "国家统计局江西调查总队"),
    (["示例县自然资源局关于示例项目的", "批前公示公告"], "示例县自然资源局"),
])
def test_a_title_wrapped_before_its_kind_is_no_banner(tmp_path: Path, lines: list[str], body: str) -> None:
    text = "\n".join([*lines, "根据有关规定，现将拟录用人员予以公示。公示期间如有问题，请向我单位反映。",
                      body, "2023年5月23日", "附件：", f"{body}2023年拟录用人员名单",
                      *(f"{i} 一级科员 考生{i} 女 大学本科" for i in range(1, 16)), ""])
    doc = _doc(tmp_path, text)
    assert (doc.title, doc.issuer, doc.date) == ("".join(lines), body, "2023-05-23")


def test_an_announcement_head_still_names_its_body(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "\n".join(["国家能源局公告", "2023年第3号", "根据有关规定，现将有关事项公告如下。", BODY, "国家能源局",
                                    "2023年3月1日", ""]))
    assert (doc.issuer, doc.doc_number) == ("国家能源局", "国家能源局公告2023年第3号")


def test_a_title_wrapped_after_its_kind_goes_on(tmp_path: Path) -> None:
    # 公示 ends many titles, but not one that goes on with 的 (…批前公示 / 的公告)
    doc = _doc(tmp_path, "\n".join(["关于示例市中心城区控制性详细规划批前公示", "的公告", "各有关单位：",
                                    "现将有关事项公告如下，请认真贯彻执行。", ""]))
    assert doc.title == "关于示例市中心城区控制性详细规划批前公示的公告"


@pytest.mark.parametrize("line", ["图为示例县新时代文明实践站", "示例市图书馆"])
def test_a_caption_or_a_place_under_the_text_is_no_issuer(tmp_path: Path, line: str) -> None:
    doc = _doc(tmp_path, "\n".join(["示例县开展志愿服务活动", "5月5日，示例县开展新时代文明实践志愿服务活动，群众广泛参与。",
                                    line, "2023年5月6日", ""]))
    assert doc.issuer is None


@pytest.mark.parametrize("opening", ["公示时间：2023年5月22日至5月26日。有异议者请于6月30日前书面反映。",
                                     "2023年5月22日 至 5月26日，示例市举办统战干部培训班。",
                                     "2023年5月22日－5月26日，示例市举办统战干部培训班。"])
def test_a_deadline_or_a_spaced_period_is_no_event_day(tmp_path: Path, opening: str) -> None:
    doc = _doc(tmp_path, "\n".join(["示例市举办统战干部培训班", opening, "培训班围绕新时代统战工作进行了专题辅导。", ""]))
    assert doc.date is None or doc.date_inferred


def test_a_title_set_under_its_body_s_name_keeps_the_name(tmp_path: Path) -> None:
    # the real .doc sets 南昌海关 on a line of its own over the rest of its title: the name is part of the title
    doc = _doc(tmp_path, "\n".join(["南昌海关", "2023年度拟录用公务员公示公告",
                                    "经过笔试、面试、体检和考察等程序，确定袁敏等15人为南昌海关拟录用公务员，现予以公示。", "特此公告。",
                                    "南昌海关", "2023年5月19日", ""]))
    assert (doc.title, doc.issuer, doc.date) == ("南昌海关2023年度拟录用公务员公示公告", "南昌海关", "2023-05-19")


# ------------------------------------------------------------------ classes found on files nobody had seen (probe)
#: A standard's cover as a PDF gives it: the bodies and their 发布 on lines of their own, in any order.
_COVER_BODIES_ABOVE = ("中华人民共和国国家标准\nICS 13.040.40\nZ 60\nGB 99999—2021\n示例工业大气污染物排放标准\n"
                       "Emission standard of air pollutants for example industry\n2021-03-01 发布 2021-07-01 实施\n"
                       "示 例 环 境 部\n国 家 示 例 监 督 管 理 总 局\n发 布\n")
_COVER_RELEASE_ABOVE = ("中华人民共和国国家标准\nGB 99999—2021\n代替 GB 99999—2001\n示例工业大气污染物排放标准\n"
                        "Emission standard of air pollutants for example industry\n（发布稿）\n"
                        "2021-03-01 发布 2021-07-01 实施\n发 布\n示 例 环 境 部\n国家示例监督管理总局\nICS\n")
_COVER_DATES_BETWEEN = ("ICS 13.040.40\nCCS Z 60\n示 例 省 地 方 标 准\nDB44/ 9999—2021\n示例挥发性有机物综合排放标准\n"
                        "Integrated emission standard of volatile organic compounds\n示例省生态环境厅\n示例省市场监督管理局\n"
                        "2021 - 03 - 01 发布 2021 - 07 - 01 实施\n发 布\n")
_COVER_EN_DASH = ("示 例 省 地 方 标 准\nDB44\nDB44/ 99—2001\n示例水污染物排放限值\nDischarge limits of water pollutants\n"
                  "2002 – 01 – 01 实施\n示 例 省 环 境 保 护 局\n示例省质量技术监督局\n发布\nICS 13. 040. 30\n"
                  "2001 – 03 – 01 发布\n")


@pytest.mark.parametrize(("cover", "issuer", "date", "number"), [
    (_COVER_BODIES_ABOVE, "示例环境部、国家示例监督管理总局", "2021-03-01", "GB 99999—2021"),
    (_COVER_RELEASE_ABOVE, "示例环境部、国家示例监督管理总局", "2021-03-01", "GB 99999—2021"),
    (_COVER_DATES_BETWEEN, "示例省生态环境厅、示例省市场监督管理局", "2021-03-01", "DB44/ 9999—2021"),
    (_COVER_EN_DASH, "示例省环境保护局、示例省质量技术监督局", "2001-03-01", "DB44/ 99—2001"),
])
def test_a_standards_cover_with_its_release_line_alone(tmp_path: Path, cover: str, issuer: str, date: str,
                                                      number: str) -> None:
    doc = _doc(tmp_path, cover + "前  言\n" + BODY + "\n1 适用范围\n" + BODY + "\n")
    assert doc.title.startswith("示例") and doc.title.endswith(("标准", "限值"))
    assert (doc.issuer, doc.date, doc.doc_number) == (issuer, date, number)


def test_a_sector_standards_cover_as_plain_text(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "HJ\n中华人民共和国国家环境保护标准\nHJ 999—2010\n示例业环境保护技术规范\n"
                         "Specification for environmental protection of example trade\n2010-01-13 发布 2010-04-01 实施\n"
                         "示 例 保 护 部 发 布\n" + BODY + "\n本标准自2010年4月1日起实施。\n")
    assert _fields(doc) == ("示例业环境保护技术规范", "示例保护部", "2010-01-13", "HJ 999—2010")


def test_a_title_printed_on_the_cover_and_over_the_text_is_no_watermark(tmp_path: Path) -> None:
    title = "示例业环境保护技术规范"
    doc = _doc(tmp_path, f"中华人民共和国国家示例标准\nHJ 999—2010\n{title}\n{BODY}\n{title}\n{BODY}\n{title}\n"
                         f"1 适用范围\n{BODY}\n")
    assert doc.title == title


def test_a_line_on_every_page_is_still_a_watermark(tmp_path: Path) -> None:
    mark = "示例单位内部资料注意保存"
    doc = _doc(tmp_path, "关于做好示例工作的通知\n" + "".join(f"{mark}\n{BODY}\n" for _ in range(6)))
    assert mark not in doc.text and doc.title == "关于做好示例工作的通知"


def test_a_notice_signs_under_its_list_of_attachments(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "示学字〔2018〕14号\n关于申报示例访学项目的通知\n各学院：\n" + BODY + "\n"
                         "附件：1.项目课程内容\n2.项目日程\n3.示例访学项目申请表\n"
                         "示例大学学生工作处 示例大学国际合作与交流处\n2018年4月9日\n"
                         "附件1\n项目课程内容\n" + "".join(f"第{k}天 学员将全方位体验示例大学的学术氛围\n" for k in range(1, 31)))
    assert _fields(doc) == ("关于申报示例访学项目的通知", "示例大学学生工作处、示例大学国际合作与交流处", "2018-04-09",
                            "示学字〔2018〕14号")


def test_a_day_a_pdf_sets_apart_by_spaces_dates_the_opening(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "2026 年示例一号文件\n"
                         "示例以来第 14 个指导示例工作的一号文件 2 月 3 日由示例社受权发布，对示例工作进行了部署。\n"
                         + BODY + "\n")
    assert doc.date == "2026-02-03"


@pytest.mark.parametrize(("text", "title", "doctype"), [
    ("示例市公安局关于春节期间\n烟花爆竹燃放管理的通告\n\n为保障公共安全，现就有关事项通告如下：\n一、全市禁止燃放烟花爆竹。\n"
     "二、本通告自发布之日起施行。\n\n示例市公安局\n2024年1月20日\n", "示例市公安局关于春节期间烟花爆竹燃放管理的通告", "公告"),
    ("示例县教育局关于申请\n改造农村学校校舍资金的请示\n\n县人民政府：\n我县部分农村学校校舍老化，急需改造。\n妥否，请批示。\n\n"
     "示例县教育局\n2024年3月5日\n", "示例县教育局关于申请改造农村学校校舍资金的请示", "请示"),
    ("示例市委组织部2023年度\n拟提拔任用干部任前公示\n\n根据干部选拔任用工作有关规定，现将拟提拔任用干部情况予以公示。\n"
     "公示时间：2023年5月22日至5月26日。\n\n示例市委组织部\n2023年5月22日\n", "示例市委组织部2023年度拟提拔任用干部任前公示", "公告"),
])
def test_a_title_wrapped_before_its_type_word_is_joined_without_a_space(tmp_path, text, title, doctype) -> None:
    """Every 公文 type ends a title (通告, 请示 and 议案 were missing), and a 公示 ends one where its lines are
    joined: the title wrapped over two lines reads as one, not with a space where the line broke; its type is
    the one it names (a 通告 is announced like a 公告)."""
    doc = _doc(tmp_path, text)
    assert (doc.title, doc.doctype) == (title, doctype)


def test_a_hard_wrapped_notice_signs_under_a_labelled_line_that_fills_the_width(tmp_path) -> None:
    """Text copied out of a PDF, hard-wrapped at one width: a labelled line (监督电话：…) that happens to fill the
    width does not run on into the body's name under it, so the 落款 names the issuer."""
    body = "根据有关规定，现将示例海关二〇二三年度拟录用公务员名单予以公示，公示期间如有异议请向监督电话反映情况。" * 12
    lines = ["示例海关2023年度拟录用公务员名单公示", ""] + [body[i:i + 24] for i in range(0, len(body), 24)]
    lines += ["", "监督电话：0791-86283371，0791-8628", "示例海关", "2023年5月22日"]
    doc = _doc(tmp_path, "\n".join(lines) + "\n")
    assert (doc.issuer, doc.date) == ("示例海关", "2023-05-22")
    assert "0791-8628示例海关" not in "".join(s.text for s in doc.sections)


def test_the_text_above_a_title_found_late_is_the_document_s_own(tmp_path: Path) -> None:
    """A title found under text that has begun (an annex's title under the measures it belongs to): the chapter
    headings, articles and items above it are the document's — they were dropped as a site's or column's
    name over the title wherever they were short, lost to search."""
    lines = ["第一章 总则", ARTICLE, "第二章 基本原则", "第二条 加强政策引领，坚持示例。", "第三章 申报材料",
             "第三条 申报提供以下材料：", "（一）《示例园区自评报告》；", "（二）其他需提交的证明材料。",
             "示例省数字经济园区建设指标（试行）", "来源：示例省大数据局", BODY]
    doc = _doc(tmp_path, "\n".join(lines) + "\n")
    assert doc.title == "示例省数字经济园区建设指标（试行）"
    for line in lines[:8]:
        assert line in doc.text, line


def test_a_forwarding_line_over_a_title_is_part_of_it(tmp_path: Path) -> None:
    """国务院办公厅转发国家地震局 / 关于…的通知: one title, whether the 落款 is the forwarding body's or the
    forwarded report's."""
    for signer in ("示例省人民政府办公厅", "示例省地震局"):
        doc = _doc(tmp_path, "示例省人民政府办公厅转发示例省地震局\n关于加强防震减灾工作意见的通知\n示政办发〔1996〕2号\n"
                             f"各市人民政府：\n{BODY}\n{signer}\n1996年2月5日\n")
        assert doc.title == "示例省人民政府办公厅转发示例省地震局关于加强防震减灾工作意见的通知", signer
