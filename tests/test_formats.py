"""Office formats: each shipped sample and each generated file gives back every paragraph of its known text
once, with the title, 发文字号, 落款 date and issuer where the layout gives them (tools/samples.py is the
source of the texts; corpus/ holds the shipped samples made from them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import system
from conftest import CORPUS

from indexer.document import Extraction
from indexer.extract.filetypes import DOCX, OFD, PDF, kind_of, skip_reason
from indexer.extract.pipeline import extract_bytes, extract_file
from tools.make_samples import NOTICES, SHEETS
from tools.samples import Notice, docx_bytes, notice, ofd_bytes


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sample_notice(fmt: str) -> tuple[Path, Notice]:
    stem, topic, number, date = NOTICES[fmt]
    return CORPUS / f"{stem}.{fmt.split('.')[-1]}", notice(topic, number, date)


def only_document(ex: Extraction):
    assert len(ex.documents) == 1, [d.title for d in ex.documents]
    return ex.documents[0]


def check_notice(ex: Extraction, n: Notice, leave_out: tuple[str, ...] = ()) -> None:
    """Every line once (the text box exactly once), and the layout's title, number, date and issuer."""
    doc = only_document(ex)
    text = norm(doc.text)
    for line in n.expected_lines():
        if line not in leave_out:
            assert norm(line) in text, f"lost: {line}"
    assert text.count(norm(n.textbox)) <= 1, "text-box text duplicated"
    assert doc.title == n.title
    assert doc.doc_number == n.number
    assert doc.date == n.iso_date
    assert doc.issuer == n.issuer


def headings(ex: Extraction) -> list[str | None]:
    return [s.heading for s in ex.documents[0].sections]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "ofd", "rtf"])
def test_shipped_sample_keeps_every_line(fmt: str) -> None:
    path, n = sample_notice(fmt)
    ex = extract_file(path)
    check_notice(ex, n)
    assert ["提高政治站位", "突出工作重点", "强化组织保障"] == [h for h in headings(ex) if h != n.title]


@pytest.mark.parametrize("fmt", ["doc", "wps"])
def test_shipped_word97_and_wps_through_antiword(fmt: str) -> None:
    system.antiword()
    path, n = sample_notice(fmt)
    ex = extract_file(path)
    check_notice(ex, n, leave_out=(n.header,))  # antiword does not print page headers
    assert "提高政治站位" in headings(ex)


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_shipped_spreadsheets_rows_as_lines(fmt: str) -> None:
    stem, _, rows = SHEETS[fmt]
    doc = only_document(extract_file(CORPUS / f"{stem}.{fmt}"))
    assert doc.title == rows[0][0]
    lines = doc.text.splitlines()
    for row in rows[1:]:
        assert " ".join(row) in lines


def test_generated_docx_reads_header_table_and_text_box_once() -> None:
    n = notice("民族宗教工作", "示统发〔2023〕5号", "2023-03-15")
    ex = extract_bytes(docx_bytes(n), "t.docx", kind=DOCX)
    check_notice(ex, n)
    text = ex.documents[0].text
    assert text.count(n.textbox) == 1
    assert "工作任务 责任单位 完成时限" in text.splitlines()
    assert "- 1 -" not in text  # the footer's page number


def test_docx_title_style_and_heading_styles_without_numbering() -> None:
    n = notice("宗教工作", "示统发〔2023〕6号", "2023-03-20")
    n.sections.append(("工作要求", ["请遵照执行。"]))  # a Heading 1 paragraph no text pattern would take
    ex = extract_bytes(docx_bytes(n, title_style=True), "t.docx", kind=DOCX)
    assert ex.documents[0].title == n.title
    assert "工作要求" in headings(ex)


def test_docx_with_dtd_or_entities_is_refused() -> None:
    from indexer.extract.pipeline import ExtractError

    n = notice("宗教工作", "示统发〔2023〕6号", "2023-03-20")
    evil = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:p><w:r><w:t>&e;</w:t></w:r></w:p>'
    data = docx_bytes(n)
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"?>", b"?>" + evil.split("]>")[0].encode() + b"]>", 1)
            out.writestr(info, body)
    with pytest.raises(ExtractError, match="DTD or entity"):
        extract_bytes(buf.getvalue(), "evil.docx", kind=DOCX)


def test_generated_ofd_joins_wrapped_lines_and_reads_layout() -> None:
    n = notice("新的社会阶层人士统战工作", "示统发〔2024〕3号", "2024-02-26")
    ex = extract_bytes(ofd_bytes(n), "t.ofd", kind=OFD)
    check_notice(ex, n)
    lines = ex.documents[0].text.splitlines()
    for _, paras in n.sections:
        for para in paras:
            assert para in lines  # one line again, not the page's visual lines


def test_file_type_table_knows_the_office_suffixes() -> None:
    for suffix in (".docx", ".doc", ".wps", ".pdf", ".ofd", ".xlsx", ".xls", ".rtf"):
        assert skip_reason(Path("a" + suffix)) is None
    assert kind_of("", b"%PDF-1.7\n") == PDF
    assert skip_reason(Path("a.pptx")) == "unsupported file type .pptx"


@pytest.mark.parametrize(("tail", "date"), [
    (["中共示例市委统战部", "二〇二三年三月十五日"], "2023-03-15"),
    (["中共示例市委统战部", "2023年3月15日", "中共示例市委统战部办公室 2023年3月16日印发"], "2023-03-15"),
    (["第三期 新的社会阶层代表人士 50 2024年10月1日"], None),  # a table cell, not the 落款
    (["会议于2023年3月15日召开。"], None),
])
def test_signed_date_is_a_date_line_near_the_end(tail: list[str], date: str | None) -> None:
    from indexer.extract.formats.layout import Line, layout_of

    layout = layout_of([Line(t) for t in ["关于做好统战工作的通知", "各单位：", "请认真贯彻落实。", *tail]])
    assert layout.meta.get("date") == date


def test_wrapped_visual_lines_join_but_headings_and_type_sizes_do_not() -> None:
    from indexer.extract.formats.layout import Line, join_wrapped

    full = "要深入学习贯彻中央统战工作会议精神，把民族宗教工作放在全局"
    page = [Line("关于做好民族宗教工作的通知关于做好民族宗教工作", 22), Line("的通知", 22), Line("一、提高政治站位", 16),
            Line(full, 16), Line("工作中谋划推进。", 16), Line(full, 16), Line("二、突出工作重点", 16)]
    assert [ln.text for ln in join_wrapped([page])] == [
        "关于做好民族宗教工作的通知关于做好民族宗教工作的通知", "一、提高政治站位", full + "工作中谋划推进。", full,
        "二、突出工作重点"]
