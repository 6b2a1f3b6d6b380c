"""Word 97–2003 binary files read from their own structures (the WordDocument piece table, olefile for the
compound file): the two kinds antiword refuses — a compact file as WPS Office writes it (small streams in the
mini stream) and a short Word 97 letter stored the same way — are read with their title and heading styles,
and on the shipped .doc/.wps samples this reader gives exactly antiword's lines."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from indexer.extract.errors import ExtractError
from indexer.extract.formats.legacy import read_doc
from indexer.extract.formats.worddoc import read_worddoc
from indexer.extract.pipeline import extract_file
from tools.docgen import cfb, doc_bytes

NOTICE = [("normal", "中共示例市委统战部文件"), ("normal", "示统发〔2023〕9号"),
          ("title", "关于做好2023年党外代表人士队伍建设工作的通知"), ("normal", "各区县委统战部，市委统战部各处室："),
          ("heading", "提高政治站位"), ("normal", "要深入学习贯彻中央统战工作会议精神，切实增强做好新时代统一战线工作的责任感。"),
          ("heading", "强化组织保障"), ("normal", "各级统战部门要加强统筹协调，确保各项工作取得实效。"),
          ("normal", "中共示例市委统战部"), ("normal", "2023年4月10日")]


def _antiword(path: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("antiword")
    if tool is None:
        pytest.skip("antiword is not installed")
    return subprocess.run([tool, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, text=True,
                          env={"LANG": "C.UTF-8", "HOME": str(path.parent)}, timeout=60)


@pytest.mark.parametrize("producer", ["wps", "word-compact"])
def test_files_antiword_refuses_are_read(tmp_path: Path, producer: str) -> None:
    if producer == "wps":
        data = doc_bytes(NOTICE, "wps")
    else:  # a short Word 97 letter: its WordDocument stream under 4096 bytes sits in the mini stream
        streams = _streams(doc_bytes(NOTICE, "word"))
        streams["WordDocument"] = streams["WordDocument"].rstrip(b"\0")
        data = cfb(list(streams.items()), compact=True)
    path = tmp_path / f"{producer}.doc"
    path.write_bytes(data)
    refused = _antiword(path)
    assert refused.returncode != 0 and "too small" in refused.stderr  # what antiword says of such files today
    doc = extract_file(path).documents[0]
    assert doc.title == "关于做好2023年党外代表人士队伍建设工作的通知" and not doc.title_derived
    assert (doc.issuer, doc.doc_number, doc.date) == ("中共示例市委统战部", "示统发〔2023〕9号", "2023-04-10")
    assert [s.heading for s in doc.sections if s.heading] [-2:] == ["提高政治站位", "强化组织保障"]
    assert "切实增强做好新时代统一战线工作的责任感" in doc.text


def _streams(data: bytes) -> dict[str, bytes]:
    import io

    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        return {name[0]: ole.openstream(name).read() for name in ole.listdir()}
    finally:
        ole.close()


def test_a_word_97_file_keeps_its_styles() -> None:
    layout = read_worddoc(doc_bytes(NOTICE, "word"))
    assert layout.title == "关于做好2023年党外代表人士队伍建设工作的通知"
    assert layout.headings == {"提高政治站位", "强化组织保障"}
    assert layout.lines == [t for _, t in NOTICE]


@pytest.mark.parametrize("name", ["sample_2023_nonparty_representatives_notice.doc",
                                  "sample_2023_hk_macao_taiwan_overseas_notice.wps"])
def test_same_lines_as_antiword_on_the_shipped_samples(name: str) -> None:
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed")
    data = (ROOT / "corpus" / name).read_bytes()
    assert read_worddoc(data).lines == read_doc(data).lines


@pytest.mark.parametrize(("data", "reason"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a readable Word"),
    (cfb([("WordDocument", b"\0" * 700), ("1Table", b"")]), "no FIB"),
    (cfb([("Book", b"x" * 700)]), "no WordDocument stream"),
])
def test_damaged_files_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractError, match=reason):
        read_worddoc(data)


def test_an_encrypted_file_is_refused() -> None:
    data = bytearray(_streams(doc_bytes(NOTICE, "word"))["WordDocument"])
    data[0x0B] |= 0x01  # fEncrypted: bit 8 of the FIB's flags word at 0x0A
    with pytest.raises(ExtractError, match="encrypted"):
        read_worddoc(cfb([("WordDocument", bytes(data)), ("1Table", b"\0" * 100)]))
