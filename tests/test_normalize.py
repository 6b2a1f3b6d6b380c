"""Normalisation: one mapping for index and query, per character, idempotent, with offsets back."""

from __future__ import annotations

import random

from indexer.text.normalize import normalize, normalize_with_offsets, to_traditional

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
