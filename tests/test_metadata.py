"""Dates, years, regions and titles, table-driven with sentences taken from real documents (no network)."""

from __future__ import annotations

import pytest

from indexer.extract.dates import parse_date, parse_month, parse_value, session_year
from indexer.extract.dating import date_document
from indexer.extract.documents import assemble
from indexer.extract.pipeline import extract_bytes
from indexer.extract.regions import infer_region, normalize_region

BODY = "今年以来，全市统一战线认真学习贯彻全国统战部长会议精神，扎实推动各项重点任务落实，取得新成效。"


@pytest.mark.parametrize(("text", "want"), [
    ("发布时间：2019年1月22日 10:00", "2019-01-22"),
    ("2020-12-03 发布", "2020-12-03"),
    ("二〇二〇年十二月三日", "2020-12-03"),
    ("济南市人民政府办公厅 2019年１月３日印发", "2019-01-03"),  # fullwidth digits
    ("（2022年10月16日）", "2022-10-16"),
    ("2020年2月30日", None),  # no such day: never produced
    ("2020年2月30日通知，2020年3月1日起施行", "2020-03-01"),
    ("到2025年", None),
])
def test_parse_date(text: str, want: str | None) -> None:
    assert parse_date(text) == want


def test_parse_month() -> None:
    assert parse_month("2021 年 11 月") == "2021-11"
    assert parse_month("二〇二一年十一月") == "2021-11"
    assert parse_month("2021年13月") is None


@pytest.mark.parametrize(("value", "want"), [
    ("2024", ("2024", "year")), ("2024-03", ("2024-03", "month")), ("2024-09-02 00:00:00", ("2024-09-02", "day")),
    ("2020年3月5日", ("2020-03-05", "day")), ("2021 (from text)", ("2021", "year")), ("2019/7/26", ("2019-07-26", "day")),
])
def test_parse_value(value: str, want: tuple[str, str]) -> None:
    assert parse_value(value) == want


@pytest.mark.parametrize("value", ["2020-02-30", "2020-13", "soon", "20201"])
def test_parse_value_refuses(value: str) -> None:
    with pytest.raises(ValueError):
        parse_value(value)


@pytest.mark.parametrize(("text", "year"), [
    ("第十三届全国人民代表大会第四次会议关于政府工作报告的决议", 2021),
    ("第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告", 2025),
    ("十三届全国人大四次会议", 2021),
    ("中国人民政治协商会议第十四届全国委员会第二次会议", 2024),
    ("第二届全国人民代表大会第三次会议", 1962),
    ("在中国共产党第二十次全国代表大会上的报告", 2022),
    ("第十三届全国人民代表大会常务委员会第三十七次会议", None),  # standing committee: many a year
])
def test_session_year(text: str, year: int | None) -> None:
    assert session_year(text) == year


def _dated(lines: list[str], title: str | None = None, meta: dict[str, str] | None = None) -> tuple:
    d = date_document(lines, title, title is not None, meta or {})
    return d.date, d.precision, d.year


@pytest.mark.parametrize(("lines", "want"), [
    # a newspaper's print line ends the text
    (["……让我们携手努力，共创美好未来！谢谢大家。（新华社北京2月23日电）《 人民日报 》（ 2020年02月24日 02 版）"],
     ("2020-02-24", "day", 2020)),
    # a dateline under the title
    (["——2024年3月5日在第十四届全国人民代表大会第二次会议上", "国务院总理 李强", "各位代表：", BODY], ("2024-03-05", "day", 2024)),
    (["（2021年3月11日第十三届全国人民代表大会第四次会议通过）", "第十三届全国人民代表大会第四次会议听取和审议了政府工作报告。"],
     ("2021-03-11", "day", 2021)),
    (["（2021 版）", "2021 年 11 月", "目 录", BODY], ("2021-11", "month", 2021)),
    # the 落款, and the 版记's printing date
    (["各相关单位:", BODY, "工业和信息化部", "2013年4月11日"], ("2013-04-11", "day", 2013)),
    ([BODY, "抄送：省委各部门，省人大常委会办公厅。", "山东省人民政府办公厅2019年3月15日印发"], ("2019-03-15", "day", 2019)),
    # an opening that dates its event
    (["2019年5月26日，由中国国际大数据产业博览会组委会主办的论坛在贵阳举行。", BODY], ("2019-05-26", "day", 2019)),
    # only a year: the latest event dated to the month, or the year's work plan
    (["一是加强组织领导。2020年12月重新调整了市委统一战线工作领导小组。", BODY], ("2020", "year", 2020)),
    (["将学习贯彻好《条例》，写入全市2021年全市统战工作要点。", "2020年12月召开了全市统战工作会议。"], ("2021", "year", 2021)),
    (["同志们：", "现在，我代表中国共产党第十一届中央委员会，向党的第十二次全国代表大会作报告。"], ("1982", "year", 1982)),
    # the day a text says it takes effect, when it states no other date of its own; never an abolished
    # document's date, never one older than a congress the text names (a garbled year)
    (["本办法自2024年1月1日起施行，有效期至2026年12月31日。"], ("2024-01-01", "day", 2024)),
    ([BODY, "第十二条 本规定自2010年3月1日起施行。2002年5月24日发布的《检疫办法》同时废止。"],
     ("2010-03-01", "day", 2010)),
    (["各相关单位:", "本通知自2014年1月1日起施行。", "工业和信息化部", "2013年4月11日"], ("2013-04-11", "day", 2013)),
    (["为贯彻党的十九大精神，制定本规范。", "本规范自1913年4月3日起施行。"], (None, None, None)),
    # never a plan target, a period or a year inside a cited title
    (["到2025年，数字经济核心产业增加值占地区生产总值比重达到10%。"], (None, None, None)),
    (["力争2025年6月底前完成改造。"], (None, None, None)),
    (["申报书中研究期限应填写“2025年1月1日－2027年12月31日”。"], (None, None, None)),
    (["为贯彻落实《数字山东发展规划（2018-2022年）》，加快推进数字山东建设，制定本行动方案。"], (None, None, None)),
])
def test_a_documents_own_date(lines: list[str], want: tuple) -> None:
    assert _dated(lines) == want


def test_a_stated_title_gives_a_year_a_derived_one_does_not() -> None:
    assert _dated([BODY], "市委统战部2020年工作总结") == ("2020", "year", 2020)
    assert _dated([BODY], "第十三届全国人民代表大会第四次会议关于政府工作报告的决议") == ("2021", "year", 2021)
    assert _dated([BODY], "到2025年基本建成数字政府的实施方案") == (None, None, None)
    assert date_document([BODY], "2020年工作回顾", False, {}).date is None


def test_labelled_date_wins_and_the_signature_is_kept_as_written() -> None:
    d = date_document([BODY, "国务院办公厅", "2019年1月22日"], None, False, {"date": "2019-02-14"})
    assert (d.date, d.precision, d.written) == ("2019-02-14", "day", "2019-01-22")


def test_an_endnote_dates_the_speech() -> None:
    d = date_document([BODY + "※这是习近平总书记2015年11月23日在十八届中央政治局第二十八次集体学习时的讲话。"], None, False, {})
    assert (d.written, d.date, d.precision) == ("2015-11-23", "2015", "year")


def test_a_licence_footer_never_gives_the_year() -> None:
    text = "\n".join(["同志们：", "现在，我代表中央委员会向大会作报告。", BODY, "", "本作品来自1949年10月1日之后的中国共产党文件，"
                     "属于公有领域。", "↑", "据", "2024年社群共识", "，国务院等中央国家机关党组制定的公文，视同直属机构制定。",
                     "Public domain", "false"])
    doc = extract_bytes(text.encode(), "r/report.txt", kind="text").documents[0]
    assert doc.year is None and "2024" not in doc.text


# ----------------------------------------------------------------------------------------- regions
@pytest.mark.parametrize(("title", "source", "issuer", "body", "want"), [
    # who issued it
    ("教育部关于同意北京科技大学设立人工智能专业的函", None, None, BODY, ("全国", None)),
    ("山东省人民政府办公厅关于印发数字山东2019行动方案的通知", None, None, BODY, ("山东", None)),
    ("青岛市支持省级数字经济园区建设等奖补政策实施细则", None, None, BODY, ("山东", "青岛")),
    ("关于加快“科创济南”建设全面提升科技创新能力的若干政策措施", None, None, "为深入实施创新驱动发展战略，我市制定以下措施。",
     ("山东", "济南")),
    (None, "新华社", None, "（新华社北京2月23日电）" + BODY, ("全国", None)),
    (None, "人民日报", None, BODY, ("全国", None)),
    (None, "常州日报", None, BODY, ("江苏", "常州")),
    (None, None, "工业和信息化部办公厅", BODY, ("全国", None)),
    (None, None, "国家税务总局山东省税务局", BODY, ("山东", None)),
    # the text says a central body wrote it
    (None, None, None, "各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化主管部门：\n为维护用户个人信息安全。",
     ("全国", None)),
    (None, None, None, "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。", ("全国", None)),
    (None, None, None, "第二十五条 本规范由教育部网络安全和信息化领导小组办公室负责解释。", ("全国", None)),
    # its own voice points at a locality
    (None, None, None, "今年以来，全市统一战线在常州市委统战部的组织下，扎实推进各项工作。常州市委统战部召开会议。",
     ("江苏", "常州")),
    (None, None, None, "为积极顺应新一轮科技革命，全面推进我省传统产业智能化技术改造，按照《山东省智能制造发展规划》要求。",
     ("山东", None)),
    # a provincial text names its capital and other cities; it is the province's, not the capital's
    (None, None, None, "全省各级各部门要加快推进数字山东建设。支持济南、青岛建设人工智能创新应用先导区，济南市要发挥省会作用。",
     ("山东", None)),
])
def test_region_is_where_a_document_is_from(title, source, issuer, body, want) -> None:
    place = infer_region(title, source, issuer, body)
    got = (place.province, place.city) if place else (None, None)
    assert got == want


@pytest.mark.parametrize(("title", "body", "not_from"), [
    # a letter to students of a Beijing university who go to Xinjiang is from neither
    (None, "回信中国石油大学（北京）克拉玛依校区的毕业生们：你们好！来信收到了，得知你们118名同学毕业后将奔赴新疆基层工作，"
     "立志同各族群众一起奋斗。希望你们到新疆基层后坚定理想信念。", {"北京", "新疆"}),
    ("告台湾同胞书", "亲爱的台湾同胞：今天是一九七九年元旦。台湾同胞和祖国大陆同胞期望早日实现统一。", {"台湾"}),
    # what a title is about, when it names no issuer, is not where it is from
    ("关于同意北京科技大学设立人工智能专业的批复", "经研究，同意你校设立人工智能本科专业。请按照有关规定做好招生和培养工作。",
     {"北京"}),
    # a ministry's reply to a city government is not that city's
    (None, "上海市人民政府：\n《关于申请建设上海国家新一代人工智能创新发展试验区的函》收悉。经研究，现函复如下。"
     "一、支持上海市建设国家新一代人工智能创新发展试验区。上海市要加强组织领导。", {"上海"}),
    # a wire dateline's city is where the reporter filed, not where the text is from
    (None, "新华社北京11月10日电 国家主席习近平10日晚以视频方式出席上海合作组织成员国元首理事会第二十次会议。", {"北京", "上海"}),
])
def test_places_a_document_mentions_do_not_make_its_region(title, body, not_from) -> None:
    place = infer_region(title, None, None, body)
    assert place is None or place.province not in not_from


@pytest.mark.parametrize(("value", "want"), [
    ("全国 (national)", ("全国", None)), ("全国 (central government ministries)", ("全国", None)),
    ("上海市", ("上海", "上海")), ("山东省 (Shandong)", ("山东", None)), ("广西壮族自治区", ("广西", None)),
    ("山东省青岛市", ("山东", "青岛")), ("青岛", ("山东", "青岛")), ("内蒙古自治区", ("内蒙古", None)),
])
def test_normalize_region(value: str, want: tuple) -> None:
    place = normalize_region(value)
    assert place is not None and (place.province, place.city) == want


def test_normalize_region_unknown() -> None:
    assert normalize_region("火星") is None and normalize_region("") is None


# ----------------------------------------------------------------------------------------- titles
def _first(lines: list[str]):
    return assemble(lines, [], "reports/some_file.txt")[0]


@pytest.mark.parametrize(("lines", "title"), [
    (["政府工作报告", "——2024年3月5日在第十四届全国人民代表大会第二次会议上", "国务院总理 李强", "各位代表：", BODY], "政府工作报告"),
    (["智能网联汽车生产企业及产品准入", "管理指南（试行）", "(征求意见稿)", "第一条 为加强道路机动车辆生产企业及产品准入管理，制定本指南。"],
     "智能网联汽车生产企业及产品准入管理指南（试行）(征求意见稿)"),
    (["高举中国特色社会主义伟大旗帜", "为全面建设社会主义现代化国家而团结奋斗", "——在中国共产党第二十次全国代表大会上的报告",
      "（2022年10月16日）", "同志们：", BODY], "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗"
                                          "——在中国共产党第二十次全国代表大会上的报告"),
    (["教育部关于实施第二批人工智能助推教师队伍建设行动试点工作的通知", "（教师函〔2021〕13号）", "各省、自治区、直辖市教育厅：", BODY],
     "教育部关于实施第二批人工智能助推教师队伍建设行动试点工作的通知"),
])
def test_stated_titles(lines: list[str], title: str) -> None:
    doc = _first(lines)
    assert (doc.title, doc.title_derived) == (title, False)


@pytest.mark.parametrize(("lines", "title"), [
    (["同志们：", "今天，我们召开统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议，主要是分析新冠肺炎疫情防控形势。"],
     "我们召开统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议"),
    (["在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）习近平党的十八大以后，我们把脱贫攻坚摆到治国理政突出位置。"],
     "在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）"),
    # never a remark in brackets, never an office's name alone
    (["（征求意见稿）", "第一条 为加强煤矿智能化专家库的规范管理，制定本办法。"],
     "为加强煤矿智能化专家库的规范管理，制定本办法"),
    (["各省、自治区、直辖市教育厅（教委）：", "现将《国家智慧教育公共服务平台接入管理规范（试行）》印发给你们，请遵照执行。",
      "教育部办公厅", "2022年7月25日"], "现将《国家智慧教育公共服务平台接入管理规范（试行）》印发给你们"),
    # a numbered part heading is not the document's title when there is a sentence
    (["一、总体要求", "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，加快推进新型工业化。"],
     "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神"),
    (["12345", "67890"], "some_file"),  # no words at all: the file name
])
def test_derived_titles(lines: list[str], title: str) -> None:
    doc = _first(lines)
    assert (doc.title, doc.title_derived) == (title, True)


def test_a_cited_title_broken_onto_its_own_line_is_no_second_document() -> None:
    lines = ["各位代表：", BODY * 3, "制定并颁布了《", "重大动物疫情应急条例", "》，做好新形势下的宗教工作。", BODY,
             "制定", "“十三五”规划", "，全面深化改革。"]
    docs = extract_bytes("\n".join(lines).encode(), "r.txt", kind="text").documents
    assert len(docs) == 1 and "制定并颁布了《重大动物疫情应急条例》" in docs[0].text


def test_a_page_with_two_documents_still_splits() -> None:
    lines = ["市委统战部简介", BODY * 5, "（十二）完成市委交办的其他任务。", "市委统战部2020年工作总结", "一、切实加强党的领导", BODY]
    docs = assemble(lines, [], "page.txt")
    assert [d.title for d in docs] == ["市委统战部简介", "市委统战部2020年工作总结"]


@pytest.mark.parametrize("line", ["附件：1. 智能制造标准应用试点实施方案", "3.2.1 平台简介", "专栏一 建材重点细分行业系统解决方案",
                                  "(j)研发者应生成详细的测试报告，分析安全问题并提出改进方案"])
def test_numbered_items_and_attachment_labels_start_no_document(line: str) -> None:
    docs = assemble(["关于开展试点工作的通知", BODY * 5, "请各单位认真组织实施。", line, BODY], [], "n.txt")
    assert len(docs) == 1
