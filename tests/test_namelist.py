"""NameScanner finds what the plain alternation of names (longest first) finds, on texts dense with names,
prefixes of names and names inside names."""

from __future__ import annotations

import random
import re

from indexer.extract.regions import gazetteer, places_in
from indexer.text.namelist import ARRAY_MIN, NameScanner, names_regex


def _alternation(names: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))


def test_same_matches_as_the_alternation_on_random_texts() -> None:
    rng = random.Random(7)
    names = ["北京", "北京市", "北京市海淀区", "海淀", "淀区", "京市", "上海", "海", "市", "区县", "县"]
    scanner, rx = NameScanner(names + [""]), _alternation(names)
    alphabet = "".join(names) + "省的了"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert scanner.find(text) == [(m.start(), m.group()) for m in rx.finditer(text)], text


def test_same_matches_as_the_alternation_with_the_gazetteer() -> None:
    names = list(gazetteer())
    scanner, rx = NameScanner(names), _alternation(names)
    rng = random.Random(3)
    pieces = names + ["的", "省", "市委", "和", "县委书记"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        text = text[rng.randint(0, 2):]  # start inside a name too
        assert scanner.find(text) == [(m.start(), m.group()) for m in rx.finditer(text)]


def test_long_texts_looked_at_only_where_a_name_may_begin_find_the_same() -> None:
    """Texts long enough for the array prefilter (see NameScanner.find), with characters beyond every name's
    (an emoji, a lone surrogate, the last code point), a one-character name at the very end, and names that
    share a first or a second character with other names."""
    rng = random.Random(5)
    names = ["北京", "北京市", "北京市海淀区", "海淀", "淀区", "京市", "上海", "海", "市", "区县", "县", "江北", "北海"]
    scanner, rx = NameScanner(names), _alternation(names)
    alphabet = list("".join(names) + "省的了江") + ["😀", "\ud800", "\U0010ffff", "\u0000"]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(ARRAY_MIN, 300)))
        if rng.random() < 0.2:
            text += rng.choice(["县", "海", "北"])
        assert len(text) >= ARRAY_MIN
        assert scanner.find(text) == [(m.start(), m.group()) for m in rx.finditer(text)], text
    gazetteer_names = list(gazetteer())
    scanner, rx = NameScanner(gazetteer_names), _alternation(gazetteer_names)
    pieces = gazetteer_names + ["的", "省", "市委", "和", "县委书记", "😀"]
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(40, 200)))[rng.randint(0, 2):]
        assert scanner.find(text) == [(m.start(), m.group()) for m in rx.finditer(text)]


def test_names_regex_is_the_alternation_inside_lookarounds() -> None:
    """Embedded between a lookbehind and a lookahead (as regions' central bodies are), the trie backs off to
    a shorter name exactly where the alternation would."""
    rng = random.Random(11)
    names = ["教育部", "教育", "国务院", "国务院办公厅", "国务", "部门", "中央统战部", "中央"]
    old = re.compile(r"(?<![省市])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!门)")
    new = re.compile(r"(?<![省市])" + names_regex(names) + r"(?!门)")
    alphabet = "".join(names) + "门省市的"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [(m.start(), m.group()) for m in old.finditer(text)] == \
            [(m.start(), m.group()) for m in new.finditer(text)], text
    assert re.fullmatch(names_regex([]), "") is None and names_regex(["", "部"]) == "(?:部)"


def test_a_condition_on_the_character_before_holds_as_a_leading_lookbehind_would() -> None:
    """names_regex(names, not_after) puts the condition after each name's first character: the same matches as
    the lookbehind in front of the pattern, also at the text's start and for one-character names."""
    rng = random.Random(13)
    names = ["教育部", "教育", "国务院", "科技部", "部", "中央", "中央统战部", "省委"]
    plain = re.compile(r"(?<![省市])" + names_regex(names) + r"(?!门)")
    after = re.compile(names_regex(names, not_after="[省市]") + r"(?!门)")
    alphabet = "".join(names) + "门省市的\n"
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [(m.start(), m.group()) for m in after.finditer(text)] == \
            [(m.start(), m.group()) for m in plain.finditer(text)], text


def test_places_in_reads_the_longest_name() -> None:
    found = places_in("中共上海市委统战部和北京市海淀区")
    assert [(p.province, p.city) for p in found][:1] == [("上海", "上海")]
    assert found[-1].province == "北京"
    assert places_in("") == [] and NameScanner([]).find("北京") == []
