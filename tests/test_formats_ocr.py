"""Scanned pages and PDFs whose fonts lack a ToUnicode map: OCR'd with the ``ocr`` extra, refused without it
(with the command that enables it) — never indexed as garbage."""

from __future__ import annotations

import difflib
import re

import pytest
import system
from conftest import CORPUS

from indexer.extract.errors import ExtractError
from indexer.extract.filetypes import PDF
from indexer.extract.formats import ocr
from indexer.extract.formats.layout import garbled
from indexer.extract.pipeline import extract_bytes
from tools.make_samples import NOTICES
from tools.pdfgen import image_pdf, jpeg, scan_image, strip_tounicode, text_pdf
from tools.samples import Notice, notice, scan_lines


@pytest.fixture
def ocr_extra() -> None:
    """The OCR extra (a skip where it is missing; under CI, a failure: tests/system.py)."""
    system.ocr()


needs_ocr = pytest.mark.usefixtures("ocr_extra")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_pdf_sample() -> tuple[bytes, Notice]:
    stem, topic, number, date = NOTICES["pdf"]
    return (CORPUS / f"{stem}.pdf").read_bytes(), notice(topic, number, date)


@pytest.fixture(scope="module")
def scanned() -> tuple[bytes, Notice]:
    """A stamped-looking scanned 红头文件 page, drawn with Pillow and a CJK font, as a one-image PDF."""
    font = system.cjk_font()
    n = notice("党外知识分子工作", "示统发〔2024〕12号", "2024-05-20")
    return image_pdf([jpeg(scan_image(scan_lines(n), font, seed=3))]), n


def check_ocr_text(text: str, n: Notice, leave_out: tuple[str, ...]) -> None:
    """Each expected line is found (OCR may misread a character here and there, and order lines its own way)."""
    found = norm(text)
    recalls = []
    for line in (norm(ln) for ln in n.expected_lines() if ln not in leave_out):
        blocks = difflib.SequenceMatcher(None, line, found, autojunk=False).get_matching_blocks()
        recalls.append(sum(b.size for b in blocks) / len(line))
    assert min(recalls) >= 0.9, recalls
    assert sum(recalls) / len(recalls) >= 0.98, recalls
    assert n.number in text  # 〔〕 survive: 发文字号 search depends on them


@needs_ocr
def test_scanned_stamped_page_is_read_by_ocr(scanned: tuple[bytes, Notice]) -> None:
    data, n = scanned
    ex = extract_bytes(data, "scan.pdf", kind=PDF)
    doc = ex.documents[0]
    check_ocr_text(doc.text, n, leave_out=(n.header, n.textbox))  # the scan draws neither
    assert (doc.title, doc.doc_number, doc.date, doc.issuer) == (n.title, n.number, n.iso_date, n.issuer)
    assert "示例市委统中共" not in norm(doc.text)  # the seal's own text is not read into the 落款


def test_pdf_without_tounicode_is_garbage_to_the_text_layer() -> None:
    import pypdfium2 as pdfium

    data, _ = text_pdf_sample()
    pdf = pdfium.PdfDocument(strip_tounicode(data))
    try:
        layer = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert garbled(layer)
    assert not garbled("关于做好2023年非公有制经济人士统战工作的通知，各区县委统战部要认真贯彻落实。")
    assert not garbled("Page 1 of the annual report on the work of the united front")


@needs_ocr
def test_pdf_without_tounicode_is_ocrd() -> None:
    data, n = text_pdf_sample()
    ex = extract_bytes(strip_tounicode(data), "nouni.pdf", kind=PDF)
    doc = ex.documents[0]
    check_ocr_text(doc.text, n, leave_out=())
    assert (doc.title, doc.doc_number, doc.date) == (n.title, n.number, n.iso_date)


def test_without_ocr_garbled_and_scanned_pdfs_are_refused_with_the_command(monkeypatch, scanned) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    data, _ = text_pdf_sample()
    with pytest.raises(ExtractError, match=r"ToUnicode.*pip install 'tzsearch\[ocr\]'"):
        extract_bytes(strip_tounicode(data), "nouni.pdf", kind=PDF)
    with pytest.raises(ExtractError, match=r"scanned PDF.*pip install 'tzsearch\[ocr\]'"):
        extract_bytes(scanned[0], "scan.pdf", kind=PDF)


def test_without_ocr_a_scanned_page_inside_a_text_pdf_is_left_out_with_a_reason(monkeypatch, scanned) -> None:
    import pypdfium2 as pdfium

    monkeypatch.setattr(ocr, "available", lambda: False)
    merged = pdfium.PdfDocument.new()
    text = pdfium.PdfDocument(text_pdf(["Annual report of the united front work department, page one."]))
    scan = pdfium.PdfDocument(scanned[0])
    merged.import_pages(text)
    merged.import_pages(scan)
    import io

    buf = io.BytesIO()
    merged.save(buf)
    for doc in (merged, text, scan):
        doc.close()
    ex = extract_bytes(buf.getvalue(), "mixed.pdf", kind=PDF)
    assert "Annual report" in ex.documents[0].text
    assert any("scanned pages" in r.reason and r.text == "pages 2" for r in ex.removed)


@needs_ocr
def test_scanned_ofd_page_is_read_by_ocr(scanned: tuple[bytes, Notice]) -> None:
    from PIL import Image

    from indexer.extract.filetypes import OFD
    from tools.samples import ofd_scan_bytes

    font = system.cjk_font()
    n = scanned[1]
    image: Image.Image = scan_image(scan_lines(n), font, seed=5)
    ex = extract_bytes(ofd_scan_bytes(jpeg(image)[0]), "scan.ofd", kind=OFD)
    doc = ex.documents[0]
    check_ocr_text(doc.text, n, leave_out=(n.header, n.textbox))
    assert (doc.title, doc.doc_number, doc.date) == (n.title, n.number, n.iso_date)


def test_ofd_without_text_or_ocr_is_refused_with_the_reason(monkeypatch) -> None:
    from indexer.extract.filetypes import OFD
    from tools.samples import ofd_scan_bytes

    with pytest.raises(ExtractError, match="text drawn as paths"):
        extract_bytes(ofd_scan_bytes(None), "paths.ofd", kind=OFD)
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ExtractError, match=r"scanned page.*tzsearch\[ocr\]"):
        extract_bytes(ofd_scan_bytes(b"\xff\xd8 not decoded"), "scan.ofd", kind=OFD)
