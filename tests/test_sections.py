"""Sections and passages: a long section is cut into passages under one heading, and nothing of the
heading is copied into a passage's text."""

from __future__ import annotations

from indexer.document import Document
from indexer.extract.documents import assemble
from indexer.extract.rules import MAX_SECTION_CHARS
from indexer.extract.sections import split_sections

SENTENCE = "过去五年，我们坚持稳中求进工作总基调，统筹推进经济社会发展各项工作，取得了新的重大成就。"


def _long_section() -> list[str]:
    return ["一、过去五年的工作和十年的基本总结"] + [SENTENCE * 8] * 12


def test_later_passages_carry_the_heading_but_not_its_text() -> None:
    sections = split_sections(_long_section(), "d")
    assert len(sections) > 2 and all(len(s.text) <= MAX_SECTION_CHARS for s in sections)
    assert {s.heading for s in sections} == {"过去五年的工作和十年的基本总结"}
    assert sections[0].text.startswith("一、过去五年的工作和十年的基本总结\n")
    assert all(not s.text.startswith("一、") and "基本总结" not in s.text for s in sections[1:])


def test_document_text_holds_each_heading_once() -> None:
    lines = _long_section() + ["二、今年工作的总体要求", SENTENCE]
    doc = Document("d", title="政府工作报告", sections=split_sections(lines, "d", "政府工作报告"))
    assert doc.text.count("过去五年的工作和十年的基本总结") == 1
    assert doc.text.count("今年工作的总体要求") == 1
    assert doc.text == "\n".join(lines)  # no opening text under the title: the sections are the text


def test_opening_text_under_a_long_title_section_once() -> None:
    lines = [SENTENCE * 8] * 12
    doc = Document("d", title="政府工作报告", sections=split_sections(lines, "d", "政府工作报告"))
    assert len(doc.sections) > 1
    assert doc.text.count("政府工作报告") == 1 and doc.text == "\n".join(["政府工作报告"] + lines)


def test_a_derived_title_is_not_made_a_heading() -> None:
    docs = assemble(["各位代表：", SENTENCE, "一、今年工作的总体要求", "今年发展主要预期目标是：国内生产总值增长5%左右。"],
                    [], "folder/report.txt")
    doc = docs[0]
    assert doc.title_derived and doc.title == "过去五年，我们坚持稳中求进工作总基调，统筹推进经济社会发展各项工作"
    assert doc.sections[0].heading is None
    assert doc.text.count(doc.title) == 1
