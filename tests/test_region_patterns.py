"""Patterns rewritten so that ``re`` scans only where they can match find exactly what their plain
formulations find: each plain one (as first written) is kept here as the reference, and both are run on
random texts dense with the characters the patterns turn on — at the start of the text, after punctuation
and white space, inside words — and on the real documents shipped in corpus/."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from indexer.extract import regions, rules

_BODY = r"(?:委|政府|人民政府|[\u4e00-\u9fff]{1,10}?(?:局|厅))"
PLAIN = {
    "LOCAL_VIEW": re.compile(r"我省|全省(?!份)|本省|我市|全市(?!场)|本市(?!场)|我区(?!域)|全区(?!域)|我县|全县|本县|我州|"
                             r"全州|我盟|我旗|全旗|全镇|我镇|(?:^|(?<=[，。、；：“（\s]))(?:省|市(?!场)|县)" + _BODY),
    "CITY_VIEW": re.compile(r"我市|全市(?!场)|本市(?!场)|我区(?!域)|全区(?!域)|我县|全县|本县|我州|全州|我盟|我旗|全旗|全镇|"
                            r"我镇|(?:^|(?<=[，。、；：“（\s]))(?:市(?!场)|县)" + _BODY),
    "INTERPRETED_BY": re.compile(r"(?:本(?:办法|规定|规范|细则|实施细则|意见|通知|指南|方案|标准|要点|计划|规划|条例|规则|政策|"
                                 r"措施|要求|指引|目录|清单|倡议)(?:[^，。由]{0,10})?由|(?:最终)?解释权(?:归|属于?))"
                                 r"(?P<who>[^，。；]{2,40}?)(?:负责|解释|所有|[。；]|$)"),
    "PINYIN_GLOSS": re.compile(r"(?<=[\u4e00-\u9fff])[(（]\s*([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*|[a-zü]{1,6}[1-5])"
                               r"\s*[)）]"),
}
PIECES = ["省", "市", "县", "区", "委", "政府", "人民政府", "工业和信息化局", "厅", "场", "份", "域", "我", "全", "本", "州", "盟",
          "旗", "镇", "，", "。", "、", "；", "：", "“", "（", " ", "\n", "本办法由", "最终", "解释权归", "解释权属于", "负责",
          "解释", "所有", "由", "中共", "上海", "常州", "统战部", "统一战线工作部", "书记", "常委", "(", "（", ")", "）",
          "zhōng", "guo2", "a", "的", "和", "工作"]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def _corpus_texts() -> list[str]:
    root = Path(__file__).resolve().parent.parent / "corpus"
    return [p.read_text("utf-8", "replace") for p in sorted(root.rglob("*.txt"))]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_rewritten_pattern_finds_what_the_plain_one_finds(name: str) -> None:
    plain, rewritten = PLAIN[name], getattr(rules, name)
    texts = _texts(1, 4000) + _corpus_texts()
    for text in texts:
        assert [(m.span(), m.groups()) for m in rewritten.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], text[:80]
        assert rewritten.sub("", text) == plain.sub("", text)


def test_self_references_looked_for_near_each_committee_are_all_of_them() -> None:
    texts = _texts(2, 4000) + _corpus_texts()
    rng = random.Random(3)
    texts += ["委" * rng.randint(0, 30) for _ in range(50)] + ["中共上海市委统战部", "委委中共常州市委书记", "x委"]
    # a match whose 委 is not the first one after its start, with the longest suffix, near the edge of a window
    near = ["委", "统一战线工作部", "统战部", "常委", "中共", "省", "甲", "乙", "丙", "，"]
    texts += ["".join(rng.choice(near) for _ in range(rng.randint(1, 30))) for _ in range(6000)]
    for text in texts:
        assert [(m.span(), m.group(1)) for m in regions.self_reference_matches(text)] == \
            [(m.span(), m.group(1)) for m in regions._SELF_REFERENCE.finditer(text)], text[:80]


def test_central_bodies_named_after_a_local_prefix_are_not_mentions() -> None:
    plain = re.compile(r"(?<![省市县区州])" + regions._central_names())
    rng = random.Random(4)
    names = regions._central_body_names()
    pieces = names[:200] + ["省", "市", "县", "区", "州", "门", "的", "，"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 20))) for _ in range(2000)] + _corpus_texts()
    for text in texts:
        assert [m.span() for m in regions._central_mention().finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text[:80]


def test_a_body_presenting_its_report_is_found_where_the_plain_lead_finds_it() -> None:
    from indexer.extract import issuers

    plain = re.compile(issuers._SELF[1].pattern.replace("(?:我现在根据|我根据|现在根据|根据)", "我?(?:现在)?根据"))
    assert plain.pattern != issuers._SELF[1].pattern
    rng = random.Random(6)
    pieces = ["我", "现在", "根据", "国务院", "中共中央", "和", "的", "提出", "报告", "，", "。", "委托", "谨"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(4000)] + _corpus_texts()
    found = 0
    for text in texts:
        got = [(m.span(), m.group("org")) for m in issuers._SELF[1].finditer(text)]
        assert got == [(m.span(), m.group("org")) for m in plain.finditer(text)], text[:80]
        found += len(got)
    assert found > 100


def test_placeholders_found_where_the_plain_pattern_finds_them() -> None:
    from indexer.extract import templates

    plain = re.compile(r"(?<![0-9A-Za-z第])[XxＸｘ×]{2,}(?![0-9A-Za-z号])")
    rng = random.Random(8)
    pieces = ["X", "x", "Ｘ", "ｘ", "×", "第", "号", "1", "a", "年", "，", " ", "XX", "××"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)] + _corpus_texts()
    found = 0
    for text in texts:
        got = [m.span() for m in templates._PLACEHOLDER.finditer(text)]
        assert got == [m.span() for m in plain.finditer(text)], text
        assert templates.is_template(text) == (len(got) >= templates.MIN_PLACEHOLDERS)
        found += len(got)
    assert found > 1000
