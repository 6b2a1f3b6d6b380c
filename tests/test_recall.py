"""Recall: a document's own words reach the index. Each test is a class of text that a cleaning rule or a reader
lost (found by comparing every file of the development material with an independent reading of it: pdftotext,
antiword, the XML of a .docx): the rule guessed and dropped the document's words; now where it must guess it
keeps them."""

from __future__ import annotations

from pathlib import Path

from indexer.extract.pipeline import extract_file

BODY = "为深入贯彻中央统战工作会议精神，推动统一战线工作高质量发展，现就有关事项通知如下，请认真贯彻执行。"


def _extract(tmp_path: Path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


def _text(ex) -> str:
    return "\n".join(d.text for d in ex.documents)


def test_a_sentence_ending_in_a_source_note_is_no_metadata_line(tmp_path: Path) -> None:
    # a statistics report's definitions end in the note naming the body that gave the figure: among the last
    # lines they went whole as "metadata lines" (来源：), the definitions with them
    definitions = ["7.儿童福利机构集中供养的儿童性别比：指报告期末，辖区内的福利中心等福利机构供养的儿童中，供养的男性儿童数与"
                   "供养的女性儿童数之比。（数据来源：市民政局）",
                   "8.残疾人康复机构服务户籍持证残疾人数：指报告期末，辖区内所有残疾人康复机构服务户籍持证残疾人数。（数据来源：市残联）",
                   "（数据来源：市人力资源保障局）",
                   "9.住院分娩率：指报告期末，辖区内常住人口住院分娩活产数与活产数之比，来源：市卫健委"]
    ex = _extract(tmp_path, "示例市2021年社会性别统计报告\n" + BODY + "\n" + "\n".join(definitions) + "\n")
    text = _text(ex)
    for line in definitions:
        assert line in text
    assert not ex.removed


def test_a_pages_labels_are_still_metadata(tmp_path: Path) -> None:
    ex = _extract(tmp_path, "关于做好示例工作的通知\n发布时间：2021-05-19 来源：示例市人民政府\n" + BODY + "\n")
    assert "发布时间" not in _text(ex) and ex.documents[0].source == "示例市人民政府"


def test_a_notices_thanks_for_support_is_its_text(tmp_path: Path) -> None:
    # the weak document-sharing phrase 感谢…支持 took a notice's closing line for a sharing site's thanks
    closing = "衷心感谢您的支持和配合！"
    text = _text(_extract(tmp_path, "致全市居民的一封信\n" + BODY + "\n" + closing + "\n示例市疫情防控指挥部\n2022年6月1日\n"))
    assert closing in text
    assert "感谢阅读" not in _text(_extract(tmp_path, "示例工作总结\n" + BODY + "\n感谢阅读，欢迎下载\n"))


def test_a_unit_in_brackets_is_no_pinyin_gloss(tmp_path: Path) -> None:
    # 场地需求（m2） lost its unit as a "pinyin gloss" with a tone number; a gloss has a vowel (zhan4, tong3)
    line = "序号 项目名称 负责人 场地需求（m2） 仓储容积（m3） 用地（km2）"
    ex = _extract(tmp_path, "示例创业项目汇总表\n" + BODY + "\n" + line + "\n统(tong3)一战(zhan4)线\n")
    text = _text(ex)
    assert line in text and "统一战线" in text


def test_a_body_named_over_its_title_is_the_documents_text(tmp_path: Path) -> None:
    # a notice set as the body's name over 关于…的通知 (a .doc's first line) lost that line as "a site or column
    # name above the title"; a site's name and a page number there still go
    banner = "中共示例省示例县委组织部"
    ex = _extract(tmp_path, f"示例网\n— 2 —\n{banner}\n\n关于开展专业岗位领导干部遴选工作的通知\n"
                            f"各乡镇党委，县属各单位党组织：\n{BODY}\n中共示例县委组织部\n2019年7月8日\n")
    doc = ex.documents[0]
    assert doc.title == "关于开展专业岗位领导干部遴选工作的通知"
    assert banner in doc.text
    assert {r.text for r in ex.removed} == {"示例网", "— 2 —"}


def _table_pdf() -> bytes:
    """A list of exemptions: each row's last cell wrapped at its column's width, the same wording in every row."""
    from tools.pdfgen import cjk_pdf

    y = 762.0
    placed = [("示例危险废物豁免管理清单", 150, y, 18), (BODY, 72, y - 40, 10.5)]
    y -= 70
    for k, name in enumerate(["废活性炭", "废矿物油", "含油抹布", "农药包装"], 1):
        placed += [(f"{k} 生产过程中产生的{name}，按规定收集后进入资源化利用单位。", 72, y, 10.5),
                   ("利用过程不按危", 420, y - 14, 10.5), ("险废物管理。", 420, y - 28, 10.5)]
        y -= 50
    return cjk_pdf([placed])


def test_a_tables_repeated_cells_in_a_pdf_are_no_watermark() -> None:
    # a cell wrapped at its column's width (利用过程不按危 / 险废物管理。) in every row was taken for a watermark
    # repeated between paragraphs, and the rows between its copies for an advertisement block
    from indexer.extract.filetypes import PDF
    from indexer.extract.pipeline import extract_bytes

    ex = extract_bytes(_table_pdf(), "list/exempt.pdf", kind=PDF)
    text = ex.documents[0].text
    assert text.count("利用过程不按危") == 4 and text.count("险废物管理。") == 4 and "农药包装" in text
    assert not ex.removed


def test_a_guessed_watermark_marks_no_advertisement_block() -> None:
    # in a text file a short line repeated between sentences is still taken for a watermark, but the lines
    # between its copies are not an advertisement block for it
    from indexer.extract.cleaning import clean_lines

    rows = [f"{k} 生产过程中产生的{name}，按规定收集后进入资源化利用单位。" for k, name in enumerate(["废活性炭", "废矿物油",
                                                                                     "含油抹布", "农药包装"], 1)]
    lines = ["示例危险废物豁免管理清单", BODY]
    for row in rows:
        lines += [row, "利用过程不按危", "险废物管理。"]
    removed: list = []
    kept = clean_lines(lines, removed)
    assert all(row in kept for row in rows)


def test_an_articles_original_title_is_its_text() -> None:
    # 原标题：… (the title a republished article had where it first appeared) was parsed for its date and removed:
    # a search for the words of that title found nothing
    from indexer.extract.filetypes import HTML
    from indexer.extract.pipeline import extract_bytes

    original = "原标题：8月17日示例区举行解读《关于进一步深化税收征管改革的实施意见》新闻发布会"
    page = (f"<html><head><title>示例区举行深化税收征管改革发布会</title></head><body><div id='zoom'><p>{original}</p>"
            f"<p>{BODY}</p><p>{BODY}</p></div></body></html>")
    ex = extract_bytes(page.encode(), "page.html", kind=HTML)
    assert original in ex.documents[0].text


def test_fighting_ticket_touts_is_prose() -> None:
    # 打击倒卖 alone was a membership advertisement, so a State Council opinion's clause went with it
    from indexer.extract.cleaning import clean_lines

    line = "完善赛事票务管理，健全赛事门票市场化供应机制，打击倒卖赛事门票等违法行为。"
    removed: list = []
    assert clean_lines([BODY, line], removed) == [BODY, line] and not removed
    spam = "举报倒卖会员资料的人，举报成功免费赠送一年会员材料"
    assert clean_lines([BODY, spam], removed) == [BODY]


def test_a_warning_of_prosecution_is_prose() -> None:
    # 违者必究 alone was a strong anti-resale phrase: a fire ban's warning and a standard's cover line went
    from indexer.extract.cleaning import clean_lines

    real = ["严禁在林区野外用火，违者必究。", "版权所有 违者必究", BODY + "严禁在林区野外用火，违者必究。"]
    removed: list = []
    assert clean_lines([BODY, *real], removed) == [BODY, *real] and not removed
    for spam in ["本资料未经许可不得转载，违者必究", "【会员资料仅供内部交流使用，严禁外传，违者后果自负】"]:
        assert clean_lines([BODY, spam], removed) == [BODY], spam


def test_a_chambers_members_are_prose() -> None:
    # 成为会员, 会员资料, 会员群, 开通会员, 所有权益 alone were strong membership-advertisement phrases: a 工商联's or
    # 商会's report lost every sentence about its members
    from indexer.extract.cleaning import clean_lines

    real = ["积极吸纳优秀非公有制企业成为会员，全年新发展会员企业120家。", "建立健全会员资料档案，做好会员服务工作。",
            "依法保障外来务工人员的所有权益。", "商会建立会员群，及时推送政策信息。", "开通会员服务热线。",
            BODY + "积极吸纳优秀非公有制企业成为会员，全年新发展会员企业120家。"]
    removed: list = []
    assert clean_lines([BODY, *real], removed) == [BODY, *real] and not removed
    for spam in ["开通会员即可免费下载全部范文", "会员群：123456", "现在订阅立享前3年的所有权益和资料", "举报倒卖会员资料的人",
                 "成为VIP会员，尊享全站资料"]:
        assert clean_lines([BODY, spam], removed) == [BODY], spam


def test_a_reports_headings_are_no_promotion() -> None:
    # a weak promotion phrase (免费送, 免费获取, 关注我们) took any short line: a work report's headings and items went
    from indexer.extract.cleaning import clean_lines

    real = ["（三）开展免费送医送药活动", "免费获取政策咨询服务", "一、关注我们身边的统战故事", "关注我们的青年人才",
            "一是关注公众号建设", "（二）免费赠送法律书籍"]
    removed: list = []
    assert clean_lines([BODY, *real, BODY + "一"], removed) == [BODY, *real, BODY + "一"] and not removed
    for spam in ["关注我们", "扫码关注我们", "免费领取全套资料", "示例公众号", "感谢阅读，欢迎下载"]:
        assert clean_lines([BODY, spam, BODY + "一"], removed) == [BODY, BODY + "一"], spam


def test_an_address_the_text_announces_is_its_own(tmp_path: Path) -> None:
    # a notice's application address alone on its line went as "site address"
    address = "http://rsj.example.gov.cn/bm/2024"
    ex = _extract(tmp_path, "关于公开招聘工作人员的通知\n" + BODY + "\n请登录以下网址报名：\n" + address + "\n" + BODY + "一\n"
                            "示例市人力资源和社会保障局\n2024年3月1日\n")
    assert address in _text(ex)
    ex = _extract(tmp_path, "https://flk.npc.gov.cn/\n示例法\n" + BODY + "\n")
    assert "flk.npc" not in _text(ex)


def test_a_projects_source_of_funds_is_its_text(tmp_path: Path) -> None:
    # 资金来源：… among the first lines went as a page's metadata line (and became the document's source)
    ex = _extract(tmp_path, "示例市2024年科技项目申报指南\n项目名称：示例关键技术研究\n资金来源：市级财政科技专项资金\n" + BODY + "\n")
    assert "资金来源：市级财政科技专项资金" in _text(ex) and ex.documents[0].source is None
    ex = _extract(tmp_path, "关于做好示例工作的通知\n本文来源：示例日报\n" + BODY + "\n")
    assert "示例日报" not in _text(ex)


def test_a_notices_copyright_clause_is_no_licence_footer(tmp_path: Path) -> None:
    # 本作品… 著作权 among the last lines was taken for a wiki's licence footer: the clause, the contacts after it
    # and the 落款 went
    tail = ["本作品一经投稿，著作权归主办方所有，主办方有权在相关媒体刊发。", "六、联系方式", "联系人：张三，电话：0531-12345678。",
            "中共示例市委统战部", "2024年3月1日"]
    ex = _extract(tmp_path, "关于举办示例征文活动的通知\n" + BODY + "\n五、版权说明\n" + "\n".join(tail) + "\n")
    text = _text(ex)
    assert all(line in text for line in tail) and not ex.removed
    ex = _extract(tmp_path, "示例工作报告\n" + BODY + "\n本作品是中华人民共和国的法律、法规、决议、命令和裁决，依据《中华人民共和国著作权法》"
                            "第五条，不适用于该法，属于公有领域。\n")
    assert "公有领域" not in _text(ex)


def test_an_articles_own_header_and_footer_are_its_text() -> None:
    # <header> and <footer> were dropped wherever they stood: inside an <article> they hold its 发文字号 and 落款
    from indexer.extract.filetypes import HTML
    from indexer.extract.pipeline import extract_bytes

    page = (f"<html><body><nav>首页 新闻</nav><article><header><h1>关于做好示例工作的通知</h1><p>示统发〔2024〕3号</p>"
            f"</header><p>{BODY}</p><p>{BODY}一</p><footer><p>中共示例市委统战部</p><p>2024年3月1日</p></footer></article>"
            f"<footer>版权所有 示例网 京ICP备12345678号</footer></body></html>")
    doc = extract_bytes(page.encode(), "page.html", kind=HTML).documents[0]
    assert "示统发〔2024〕3号" in doc.text and "中共示例市委统战部" in doc.text and "2024年3月1日" in doc.text
    assert "ICP" not in doc.text and "首页" not in doc.text
