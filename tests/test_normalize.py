"""Normalisation: one mapping for index and query, per character, idempotent, with offsets back."""

from __future__ import annotations

import random

from indexer.text.normalize import normalize, normalize_with_offsets, simplify_lines, simplify_phrases, to_traditional

TEXT = "推動上海統一戰線事業邁上更高水平，促進民營經濟“兩個健康”　ＡＢＣ 2024年"


def test_normalisation_folds_width_script_case_and_space() -> None:
    assert normalize("統一戰線 ＡＢＣ　ｘ\u200b") == "统一战线abcx"
    assert normalize(to_traditional("两个健康统一战线")) == "两个健康统一战线"


def test_normalisation_is_idempotent_and_substrings_stay_substrings() -> None:
    rng = random.Random(3)
    assert normalize(normalize(TEXT)) == normalize(TEXT)
    whole = normalize(TEXT)
    for _ in range(200):
        i = rng.randrange(len(TEXT))
        j = rng.randrange(i, len(TEXT) + 1)
        assert normalize(TEXT[i:j]) in whole


def test_offsets_map_back_to_the_original() -> None:
    norm, origin = normalize_with_offsets(TEXT)
    k = norm.index("两个健康")
    assert TEXT[origin[k]:origin[k + 3] + 1] == "兩個健康"


def test_traditional_phrases_convert_as_phrases() -> None:
    assert normalize("經濟復甦") == normalize("经济复苏") == "经济复苏"
    assert normalize("甦醒") == "苏醒"
    norm, origin = normalize_with_offsets("我們看到經濟復甦 的跡象")
    k = norm.index("复苏")
    assert "我們看到經濟復甦 的跡象"[origin[k]:origin[k + 1] + 1] == "復甦"


def test_lone_surrogates_pass_through() -> None:
    """Undecodable bytes kept by surrogateescape (command-line arguments) must not crash the phrase step."""
    assert normalize("經濟\udc80復甦") == "经济\udc80复苏"
    assert normalize_with_offsets("\ud800統")[0] == "\ud800统"


def _by_translate(text: str) -> tuple[str, list[int]]:
    """The reference: the table applied character by character by ``str.translate``, offsets counted one by one."""
    from indexer.text.normalize import simplify_phrases, translation_table

    table = translation_table()
    text = simplify_phrases(text)
    origin = [i for i, ch in enumerate(text) for _ in range(len(table.get(ord(ch), ch)))] + [len(text)]
    return text.translate(table), origin


def test_long_texts_translated_by_arrays_equal_the_table_applied_by_translate() -> None:
    """Long texts go through array lookups: every character the table changes (removed, one character,
    expanded), lone surrogates and characters beyond the basic plane, in texts either side of ARRAY_MIN."""
    from indexer.text.normalize import ARRAY_MIN, translation_table

    rng = random.Random(11)
    changed = [chr(cp) for cp in translation_table()]
    plain = list("统一战线工作是党的重要法宝，坚持大团结大联合。")
    odd = ["\ud800", "\udcff", "😀", "\U0002f800", "\U00031350", "\U000e0100", " ", "\n", "⑴", "Ａ", "經", "濟", "復", "甦"]
    for _ in range(1500):
        size = rng.choice([ARRAY_MIN - 1, ARRAY_MIN, ARRAY_MIN + 1, 400, 3000])
        share = rng.random()
        pool = changed if rng.random() < 0.5 else odd
        text = "".join(rng.choice(pool) if rng.random() < share else rng.choice(plain) for _ in range(size))
        expected = _by_translate(text)
        assert normalize(text) == expected[0]
        assert normalize_with_offsets(text) == expected


def test_lines_converted_together_equal_each_line_converted_alone() -> None:
    """simplify_lines (one OpenCC call for many lines) = simplify_phrases of each line: phrases whose characters
    alone are not traditional (回覆 → 回复), traditional text, ASCII, empty lines, lone surrogates, and a line that
    holds a line break itself."""
    rng = random.Random(21)
    pieces = ["回覆", "批覆", "答覆", "深沈", "經濟復甦", "統一戰線", "乾隆", "乾燥", "两个健康", "abc", " ", "123", "\udc80",
              "覆盖", "藉口", "著作", "穿著", "", "，"]
    for _ in range(400):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 12))]
        assert simplify_lines(lines) == [simplify_phrases(line) for line in lines], lines
    assert simplify_lines(["回覆", "a\n經濟"]) == [simplify_phrases("回覆"), simplify_phrases("a\n經濟")]
    assert simplify_lines(["回覆", "批覆"]) == ["回复", "批复"]


#: Invisible characters a pasted wording or a document can carry: direction marks and embeddings (copied from
#: right-to-left or mixed text), isolates, the Arabic letter mark, joiners, a soft hyphen, word joiner, BOM,
#: variation selectors (an emoji's, a Mongolian one) and the combining grapheme joiner.
INVISIBLE = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
             "\u2069", "\u061c", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", "\ufe0f", "\ufe00", "\u180b",
             "\u034f", "\U000e0100", "\U000e01ef", "\U000e0001", "\U000e0041", "\U0001bca0", "\U0001d173"]


def test_invisible_characters_never_split_a_wording() -> None:
    for ch in INVISIBLE:
        assert normalize(f"统一{ch}战线") == "统一战线", repr(ch)
        text, offsets = normalize_with_offsets(f"统{ch}一战线")
        assert text == "统一战线" and offsets[1] == 2, repr(ch)
    long = ("坚持大团结大联合" * 40) + "统\u200e一战线"  # long enough for the array path
    assert normalize(long).endswith("统一战线")


def test_invisible_characters_in_a_document_or_a_query_are_found_as_plain_wording(tmp_path) -> None:
    from index_fixtures import build_index

    from indexer.search.service import SearchParams, SearchService

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("示例县统战工作总结\n为进一步加强统\u200e一战线工作，促进\u202b两个健康\u202c。\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("示例市工作要点\n巩固和发展最广泛的爱国统一战线。\n", encoding="utf-8")
    svc = SearchService(build_index(folder, tmp_path / "idx"))
    try:
        for q in ("统一战线", "统一\u200f战线", "进一步加强统一战线", "两个健康", "两\u2066个健康"):
            got = svc.search(SearchParams(q=q, mode="exact", group="section"))
            want = 1 if "健" in q or "进" in q else 2
            assert got.total == want, q
    finally:
        svc.close()


def test_traditional_quotation_marks_are_written_as_simplified_text_writes_them() -> None:
    assert normalize("堅持「四個注重」") == normalize("坚持“四个注重”") == "坚持“四个注重”"
    assert normalize("『兩個健康』") == "‘两个健康’"
    assert normalize("\ufe41统一战线\ufe42") == "“统一战线”"  # the vertical forms too


def test_a_letter_with_marks_is_its_letter_and_marks_so_a_bare_final_letter_finds_it() -> None:
    """The chosen behaviour (README): é is e + U+0301 whichever way it was written, so a wording ending in the bare
    letter is a prefix of the marked one (cafe finds café), while a marked query never finds the bare letter."""
    assert normalize("café") == normalize("cafe\u0301") == "cafe\u0301"
    assert normalize("café").startswith(normalize("cafe")) and "cafe\u0301" not in normalize("cafe au lait")
