"""Bytes → text: every sample decodes to the right text; damaged text is refused, not shown."""

from __future__ import annotations

import codecs
import csv
import subprocess

import pytest
from conftest import DATA

from indexer.extract.decoding import DecodeError, decode_bytes
from indexer.extract.pipeline import ExtractError, extract_bytes

ENC = DATA / "encodings"


def _truth(data: bytes, label: str) -> str:
    if label.lower() == "euc-tw":
        return subprocess.run(["iconv", "-f", "EUC-TW", "-t", "UTF-8"], input=data, capture_output=True,
                              check=True).stdout.decode()
    codec = {"gb2312": "gb18030", "big5": "big5hkscs"}.get(label.lower(), label)
    return data.decode(codec, errors="replace")


@pytest.mark.parametrize("name,label", [
    ("big5_ude_1.txt", "big5"), ("euctw_ude_1.txt", "euc-tw"), ("gb2312_pda.blogsome.com.xml", "gb2312"),
    ("he_xinhuanet_gb2312.html", "gb2312"),
])
def test_local_samples_decode_right(name: str, label: str) -> None:
    data = (ENC / name).read_bytes()
    assert decode_bytes(data).text == _truth(data, label)


def test_euc_tw_text_reads_as_chinese() -> None:
    text = decode_bytes((ENC / "euctw_ude_1.txt").read_bytes()).text
    assert "維基大典" in text


def test_corrupted_copy_is_refused_with_a_reason() -> None:
    with pytest.raises(DecodeError, match="damaged"):
        decode_bytes((ENC / "corrupted_gbk.txt").read_bytes())
    with pytest.raises(ExtractError, match="damaged"):
        extract_bytes((ENC / "corrupted_gbk.txt").read_bytes(), "x", kind="text")


def test_declared_gb2312_but_utf8_bytes() -> None:
    page = '<html><head><meta charset="gb2312"><title>统一战线</title></head><body><p>两个健康</p></body></html>'
    assert decode_bytes(page.encode("utf-8")).encoding == "utf-8"


def test_gbk_label_decodes_as_gb18030() -> None:
    text = "统一战线𠀀工作" * 20  # 𠀀 exists only in GB18030, not in GBK
    data = f'<meta charset="gbk"><p>{text}</p>'.encode("gb18030")
    got = decode_bytes(data)
    assert got.encoding == "gb18030" and text in got.text


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                       (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_bom_decides(bom: bytes, codec: str) -> None:
    assert decode_bytes(bom + "统战工作会议".encode(codec)).text == "统战工作会议"


@pytest.mark.parametrize("data,reason", [
    (b"%PDF-1.7 binary", "PDF"), (b"\x89PNG\r\n\x1a\n....", "PNG"), (b"abc\x00\x00\x00def" * 50, "NUL"),
    (b"   \n  ", "empty"),
])
def test_binary_and_empty_input_refused(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


def test_every_shared_encoding_sample(shared) -> None:
    root = shared / "corpus" / "encodings"
    with (root / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        data = (root / r["file"]).read_bytes()
        if r["file"].startswith("corrupted/"):
            with pytest.raises(DecodeError):
                decode_bytes(data)
            continue
        assert decode_bytes(data).text == _truth(data, r["true_encoding_per_source"]), r["file"]


@pytest.mark.parametrize("codec", ["gbk", "big5"])
def test_a_utf8_mark_before_other_bytes_does_not_lose_the_file(codec: str) -> None:
    """An editor that puts a UTF-8 byte-order mark before GBK or Big5 bytes: the mark lies, the bytes after it
    decide (the file was refused as damaged text, lost); a true mark still means UTF-8."""
    text = "关于加强新时代统一战线工作的通知，各单位要深入贯彻落实中央统战工作会议精神。"
    if codec == "big5":
        text = "關於加強新時代統一戰線工作的通知，各單位要深入貫徹落實中央統戰工作會議精神。"
    decoded = decode_bytes(codecs.BOM_UTF8 + text.encode(codec))
    assert decoded.text == text and decoded.replaced == 0
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")).encoding == "utf-8"
