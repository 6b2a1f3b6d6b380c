"""PDF layout classes found on files nobody had seen: how visual lines join into paragraphs (a cover's English
title and its 发布 dates, a title over a table's header row, a sentence with numbers set apart by spaces) and
which large-type run is a title (not an attachment's label over it, nor the 目 录 under it)."""

from __future__ import annotations

from indexer.extract.formats.layout import join_wrapped
from indexer.extract.structure import Line, hinted_title, read_structure


def _joined(texts: list[str]) -> list[str]:
    return [ln.text for ln in join_wrapped([[Line(t) for t in texts]])]


def test_an_english_title_does_not_run_on_into_the_cover_dates() -> None:
    got = _joined(["Specification for environmental protection of example trade", "2010-01-13 发布 2010-04-01 实施",
                   "示 例 保 护 部 发 布", "短行"])
    assert got[:2] == ["Specification for environmental protection of example trade", "2010-01-13 发布 2010-04-01 实施"]


def test_an_english_title_wrapped_over_two_lines_is_one_line() -> None:
    got = _joined(["Integrated emission standard of volatile organic compounds for stationary pollution", "source",
                   "示例省生态环境厅", "短"])
    assert got[0].endswith("source") and got[1] == "示例省生态环境厅"  # (Latin lines are joined without a space)


def test_a_title_over_a_tables_header_row_stands_alone() -> None:
    got = _joined(["示例省生态环境不予行政处罚的轻微违法行为目录", "序号 类别 违法行为 违反条款 不予处罚的情节", "1", "短"])
    assert got[:2] == ["示例省生态环境不予行政处罚的轻微违法行为目录", "序号 类别 违法行为 违反条款 不予处罚的情节"]


def test_a_sentence_with_numbers_set_apart_by_spaces_runs_on() -> None:
    got = _joined(["2026 年示例一号文件", "示例以来第 14 个指导示例工作的一号文件 2 月 3 日由",
                   "示例社受权发布，对锚定示例现代化、扎实推进示例全面振兴", "进行了部署。"])
    assert got[1] == "示例以来第 14 个指导示例工作的一号文件 2 月 3 日由示例社受权发布，对锚定示例现代化、扎实推进示例全面振兴进行了部署。"


def test_a_table_row_still_stands_alone() -> None:
    got = _joined(["大气污染物 每污染当量 1.2元至12元 示例备注说明文字", "水污染物 每污染当量 1.4元至14元", "短"])
    assert got[0] == "大气污染物 每污染当量 1.2元至12元 示例备注说明文字"


def test_an_attachments_label_and_the_contents_heading_are_not_the_title() -> None:
    body = [Line("第一章 示例类" + "。" * 40, 10.5)] * 8
    assert hinted_title([Line("附件 1", 16), Line("示例省违法行为行政处罚罚款金额裁量表", 22), Line("目 录", 22), *body]) \
        == "示例省违法行为行政处罚罚款金额裁量表"
    assert hinted_title([Line("附表一", 16), Line("示例税税目税额表", 18), Line("税目 计税单位 税额 备注", 10.5), *body]) \
        == "示例税税目税额表"


def test_a_sector_standards_code_and_kind_are_not_the_title() -> None:
    body = [Line("1 适用范围 本标准规定了示例业的环境保护技术要求，适用于示例业的环境管理。", 10.5)] * 8
    cover = [Line("HJ", 26), Line("中华人民共和国国家环境保护标准", 22), Line("HJ 999—2010", 14),
             Line("示例业环境保护技术规范", 26), Line("Specification for environmental protection of example trade", 14)]
    assert read_structure([*cover, *body]).title == "示例业环境保护技术规范"


def test_a_title_ending_in_a_standard_is_no_cover_line(tmp_path) -> None:
    """A sector's standard kind is a cover line where the cover prints it (中华人民共和国国家环境保护标准); a
    document titled …国家助学金资助标准 keeps its title."""
    from indexer.extract.structure import STANDARD_KIND

    assert STANDARD_KIND.match("中华人民共和国国家环境保护标准") and STANDARD_KIND.match("广东省地方标准")
    assert not STANDARD_KIND.match("高校国家助学金资助标准")
    from indexer.extract.pipeline import extract_file

    path = tmp_path / "doc.txt"
    path.write_text("高校国家助学金资助标准\n\n一、本专科生国家助学金平均资助标准为每生每年3300元。\n"
                    "二、各高校可根据情况分档。\n\n某省教育厅\n2023年9月1日\n", encoding="utf-8")
    assert extract_file(path, "doc.txt").documents[0].title == "高校国家助学金资助标准"


def test_capitals_alone_under_an_ordinary_title_are_text_not_a_standard_cover(tmp_path) -> None:
    """A line of capitals alone (PPP, WTO, a page's Roman numeral) is a standard's code only on a standard's
    cover: under an ordinary title it is text, and the title and its type stay the document's."""
    from indexer.extract.pipeline import extract_file

    path = tmp_path / "doc.txt"
    path.write_text("关于推进政府和社会资本合作的实施意见\n\nPPP\n\n各区人民政府，市政府各部门：为推进政府和社会资本合作，"
                    "提出如下意见。\n一、总体要求。\n\n示例市人民政府\n2023年3月1日\n", encoding="utf-8")
    doc = extract_file(path, "doc.txt").documents[0]
    assert (doc.title, doc.doctype) == ("关于推进政府和社会资本合作的实施意见", "意见")


def test_a_standards_title_printed_three_times_keeps_every_copy_and_the_lines_between() -> None:
    """A title on the cover, the title page and over the first clause (a blank line before the first copy) is
    the document's own, not a watermark: every copy stays, and so do the short lines between them (前言 and its
    sentences were taken for an advertisement block between watermarks and lost to search)."""
    from indexer.extract.cleaning import remove_spam

    title = "示例市生活垃圾分类管理规范"
    lines = ["", title, "示例市城市管理局 发布", "", title, "前言", "本标准由示例市城管局提出。", "本标准由示例市城管局归口。",
             title, "1 范围", "本标准规定了生活垃圾分类的要求。"]
    assert remove_spam(lines, []) == lines
