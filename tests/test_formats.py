"""Office formats: each shipped sample and each generated file gives back every paragraph of its known text
once, with the title, 发文字号, 落款 date and issuer where the layout gives them (tools/samples.py is the
source of the texts; corpus/ holds the shipped samples made from them)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
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
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed (tests/install_tools.sh installs it as root)")
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
