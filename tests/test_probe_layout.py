"""PDF layout classes found on files nobody had seen: how visual lines join into paragraphs (a cover's English
title and its 发布 dates, a title over a table's header row, a sentence with numbers set apart by spaces) and
which large-type run is a title (not an attachment's label over it, nor the 目 录 under it)."""

from __future__ import annotations

from indexer.extract.structure import Line, hinted_title, read_structure


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
