"""A standard's cover issued by two bodies: the names stacked around one centred 发 布 (国家质量监督检验检疫总局 /
发 布 / 国家标准化管理委员会), 发 布 beside one of them, or both side by side on its line (国家市场监督管理总局
国家标准化管理委员会 发布). The issuer is both bodies, as a PDF's text layer and as plain text give the cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.filetypes import PDF
from indexer.extract.pipeline import extract_bytes, extract_file
from tools.pdfgen import cjk_pdf

FIRST, SECOND = "中华人民共和国国家质量监督检验检疫总局", "中国国家标准化管理委员会"
BOTH = f"{FIRST}、{SECOND}"
TITLE = "示例管理体系要求"
BODY = "本标准规定了示例管理体系的要求，适用于各类组织建立、实施、保持和持续改进示例管理体系，以增强顾客满意。"
W = 595


def _cover(closing: list[tuple[str, float, float, float]]) -> bytes:
    """A GB cover (page 1) with ``closing`` as its issuing lines, and a page of text."""
    def centred(text: str, y: float, size: float) -> tuple[str, float, float, float]:
        width = sum(size if ord(c) > 0x2E80 else size / 2 for c in text)
        return (text, (W - width) / 2, y, size)
    cover = [("ICS 03.120.10", 60, 790, 10), ("A 00", 60, 775, 10), ("GB", 460, 790, 28),
             centred("中华人民共和国国家标准", 720, 22), ("GB/T 99001—2016", 400, 680, 12),
             ("代替 GB/T 99001—2008", 400, 665, 10), centred(TITLE, 520, 24),
             centred("Example management systems—Requirements", 480, 12),
             ("2016-12-30 发布", 60, 200, 12), ("2017-07-01 实施", 420, 200, 12), *closing]
    text = [centred("前 言", 780, 16)] + [(BODY[i:i + 36], 60, 740 - 20 * k, 12)
                                          for k, i in enumerate(range(0, len(BODY) * 3, 36))
                                          if BODY[i % len(BODY):]]
    return cjk_pdf([cover, text])


def _spaced(text: str) -> str:
    return " ".join(text)


PDF_CLOSINGS = {
    # stacked names, 发 布 centred between them on the right
    "stacked": [(FIRST, 120, 140, 14), ("发 布", 440, 127, 14), (SECOND, 150, 114, 14)],
    # stacked names, 发 布 on the first name's line
    "beside-first": [(FIRST, 120, 140, 14), ("发 布", 440, 140, 14), (SECOND, 150, 120, 14)],
    # stacked names, 发 布 on the second name's line
    "beside-second": [(FIRST, 120, 140, 14), (SECOND, 150, 120, 14), ("发 布", 440, 120, 14)],
    # side by side on one line
    "one-line": [(FIRST, 40, 130, 12), (SECOND, 290, 130, 12), ("发布", 480, 130, 12)],
    # letter-spaced names, stacked
    "spaced": [(_spaced("国家质量监督检验检疫总局"), 100, 140, 14), ("发 布", 460, 127, 14),
               (_spaced("国家标准化管理委员会"), 100, 114, 14)],
}


@pytest.mark.parametrize("layout", list(PDF_CLOSINGS))
def test_a_standard_issued_by_two_bodies_names_both(layout: str) -> None:
    doc = extract_bytes(_cover(PDF_CLOSINGS[layout]), "std/gb.pdf", kind=PDF).documents[0]
    want = BOTH if layout != "spaced" else "国家质量监督检验检疫总局、国家标准化管理委员会"
    assert (doc.issuer, doc.doc_number, doc.date, doc.title) == (want, "GB/T 99001—2016", "2016-12-30", TITLE)


@pytest.mark.parametrize("closing", [
    f"{FIRST}\n发 布\n{SECOND}",
    f"{FIRST} 发 布\n{SECOND}",
    f"{FIRST}\n{SECOND} 发 布",
    f"{FIRST}  {SECOND}  发布",
], ids=["stacked", "beside-first", "beside-second", "one-line"])
def test_a_standards_two_bodies_as_plain_text(tmp_path: Path, closing: str) -> None:
    path = tmp_path / "gb.txt"
    path.write_text("中华人民共和国国家标准\nGB/T 99001—2016\n代替 GB/T 99001—2008\n" + TITLE + "\n"
                    "Example management systems—Requirements\n2016-12-30 发布 2017-07-01 实施\n" + closing + "\n"
                    "前 言\n" + BODY + "\n1 范围\n" + BODY + "\n", encoding="utf-8")
    doc = extract_file(path).documents[0]
    assert (doc.issuer, doc.doc_number, doc.date) == (BOTH, "GB/T 99001—2016", "2016-12-30")
