"""Normalisation and the analyzers: one mapping everywhere, real positions, Whoosh's tokenizer contract."""

from __future__ import annotations

import random

from whoosh import fields, query
from whoosh.filedb.filestore import RamStorage

from indexer.analysis import CharNgramTokenizer, JiebaWordTokenizer, NgramAnalyzer, WordAnalyzer, exact_text
from indexer.text.normalize import FIELD_SEP, normalize, normalize_with_offsets, to_traditional

TEXT = "推動上海統一戰線事業邁上更高水平，促進民營經濟“兩個健康”　ＡＢＣ 2024年"


def test_normalisation_folds_width_script_case_and_space() -> None:
    assert normalize("統一戰線 ＡＢＣ　ｘ\u200b") == "统一战线abcx"
    assert normalize(to_traditional("两个健康统一战线")) == "两个健康统一战线"


def test_normalisation_is_idempotent_and_per_character() -> None:
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


def test_ngram_tokens_have_real_positions() -> None:
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in NgramAnalyzer()(exact_text("标题", "爱国统一"), positions=True, chars=True)]
    assert tokens == [("标题", 0, 0, 2), ("爱国", 3, 3, 5), ("国统", 4, 4, 6), ("统一", 5, 5, 7)]
    assert not any(FIELD_SEP in t[0] for t in tokens)


def test_word_tokens_follow_the_contract() -> None:
    tokens = [(t.text, t.pos) for t in WordAnalyzer()("促进民营经济“两个健康”", positions=True, start_pos=10)]
    assert tokens == [("促进", 10), ("民营经济", 11), ("两个健康", 12)]
    assert JiebaWordTokenizer() == JiebaWordTokenizer() and CharNgramTokenizer() != JiebaWordTokenizer()


def test_whoosh_phrase_query_works_with_these_positions() -> None:
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(analyzer=NgramAnalyzer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        w.add_document(id="a", body="巩固和发展最广泛的爱国统一战线")
        w.add_document(id="b", body="统一思想，战线拉长")
    grams = [t.text for t in NgramAnalyzer()("统一战线")]
    with ix.searcher() as s:
        ids = [hit["id"] for hit in s.search(query.Phrase("body", grams))]
    assert ids == ["a"]
