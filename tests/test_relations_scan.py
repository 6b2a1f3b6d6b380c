"""Scans that look only where a match can be give the matches a scan of the whole text gives: the 关于…精神
basis phrases (searched in the stretches between the characters they cannot hold) and document numbers (full-width
digits translated only where there are some)."""

from __future__ import annotations

import random

from indexer.relations import docno, extract

PIECES = ["贯彻落实", "党中央、国务院", "关于", "加强统一战线工作的", "意见", "通知", "决定", "的", "精神", "，", "。", "、",
          "“", "”", "《", "》", "（", "）", "\n", "中共中央", "新时代", "民营经济", "国发〔２０１４〕４５号", "国办发[2019]7号",
          "要求", "部署", "认真学习", "x" * 70, "根据", "工作", "国务院关于加强统一战线工作的意见精神",
          "中共中央关于加强新时代民营经济统战工作的意见的精神", "省委关于做好宗教工作的通知精神"]


def test_basis_phrases_are_the_matches_of_a_scan_of_the_whole_text() -> None:
    rng = random.Random(8)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        whole = [(m.span(), m.span("title")) for m in extract._SPIRIT.finditer(text)]
        assert [(m.span(), m.span("title")) for m in extract._spirit_mentions(text)] == whole, text
        found += len(whole)
    assert found > 100, "the texts hold many basis phrases"


def test_numbers_are_found_whatever_digits_they_are_written_in() -> None:
    text = "根据国发〔２０１４〕４５号和国办发[2019]7号，以及国令第７０８号"
    assert [key for _, _, key in docno.find_docnos(text)] == ["国发[2014]45号", "国办发[2019]7号", "国令第708号"]
    plain = "根据国发〔2014〕45号"
    assert list(docno.find_docnos(plain)) == [(2, len(plain), "国发[2014]45号")]
