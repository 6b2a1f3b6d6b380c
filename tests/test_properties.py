"""Property-based tests (hypothesis) of the two promises exact-wording search rests on.

* The normaliser is idempotent, and apart from its one phrase-level step it works character by character:
  on text that OpenCC's phrase conversion leaves alone (simplified text, with anything else mixed in), the
  normal form of a concatenation is the concatenation of the normal forms, so the normal form of a
  substring is a substring of the normal form of the whole; on traditional text the same holds for
  substrings of the phrase-converted text (復甦 is converted as a phrase, 复苏; 甦 alone stays 甦). Every
  output character maps back to the input character that produced it.
* Any span of an indexed document's continuous text (:func:`indexer.index.doctext.document_pieces`) finds
  that document, and every document found holds the span. Documents are generated Chinese-ish text —
  headings of several kinds, traditional forms, full-width characters, paragraphs long enough to be cut
  into passages — imported into a fresh index through the real import path.

Examples are bounded (and derandomised, so every run checks the same cases).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer.extract.pipeline import extract_file
from indexer.index.doctext import SEP, document_pieces
from indexer.index.importer import import_paths
from indexer.search.service import SearchParams, SearchService
from indexer.text.normalize import normalize, normalize_with_offsets, simplify_phrases, translation_table

TRADITIONAL = ("統戰經濟復甦兩個發展黨會議國臺灣僑胞與爲說為們這裡麼後還於產業",  # single characters
               "經濟復甦", "復甦", "頭髮", "理髮", "乾燥", "後面", "瞭解", "皇后", "著作", "鬆弛", "台灣")  # phrases
#: characters the normaliser treats specially
SPECIAL = ("ＡＢＣｘｙｚ０１２３（）：，。、；！？　"  # full width, ideographic space
           "①②㈱ﬁ™Ⅻ㎏ｶﾞ\u00bd"  # compatibility forms that expand
           " \t\n\r\x0b\x0c\x00\x01\x1f\x7f\u00ad\u200b\u200c\u200d\u2060\ufeff\u00a0\u2028\udc80"  # space, invisible
           "ẞßİıΣσςǅﬀ\u0301e\u0301Å统一战线两个健康经济复苏")  # case folding, combining marks, simplified
PIECE = st.one_of(st.sampled_from(SPECIAL), st.characters())
TEXT = st.lists(st.one_of(PIECE, st.sampled_from(TRADITIONAL)), max_size=40).map("".join)
SIMPLIFIED = st.lists(PIECE, max_size=40).map("".join)
PROPERTY = settings(max_examples=400, derandomize=True, database=None, deadline=None)


@PROPERTY
@given(TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@PROPERTY
@given(SIMPLIFIED, SIMPLIFIED)
def test_normalize_works_character_by_character(a: str, b: str) -> None:
    assume(simplify_phrases(a + b) == a + b)  # OpenCC's phrase step has nothing to do
    assert normalize(a + b) == normalize(a) + normalize(b)


@PROPERTY
@given(SIMPLIFIED, st.data())
def test_the_normal_form_of_a_substring_is_a_substring(text: str, data: st.DataObject) -> None:
    assume(simplify_phrases(text) == text)
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    assert normalize(text[i:j]) in normalize(text)


@PROPERTY
@given(TEXT, st.data())
def test_substrings_of_converted_traditional_text_stay_substrings(text: str, data: st.DataObject) -> None:
    converted = simplify_phrases(text)
    i = data.draw(st.integers(0, len(converted)))
    j = data.draw(st.integers(i, len(converted)))
    assert normalize(converted[i:j]) in normalize(text)


@PROPERTY
@given(TEXT)
def test_offsets_map_every_output_character_back(text: str) -> None:
    norm, origin = normalize_with_offsets(text)
    assert norm == normalize(text)
    assert len(origin) == len(norm) + 1 and origin[-1] == len(text)
    assert origin == sorted(origin)
    produced: dict[int, str] = {}
    for k, ch in enumerate(norm):
        produced[origin[k]] = produced.get(origin[k], "") + ch
    converted, table = simplify_phrases(text), translation_table()
    assert len(converted) == len(text)  # the phrase step keeps every character in its place
    assert all(produced.get(p, "") == converted[p].translate(table) for p in range(len(text)))


# ------------------------------------------------------------------------------------------ exact wording
WORDS = ("统一战线", "两个健康", "民营经济", "新的社会阶层", "少数民族", "宗教工作", "港澳台", "海外侨胞", "同心",
         "經濟復甦", "兩個健康", "統一戰線", "统战部", "工作", "会议", "要求", "推动", "加强", "全面", "发展", "人士",
         "ＸＸ市", "２０２４年", "（试行）", "一线两面三结合", "的", "和", "是", "在")
PUNCT = ("，", "。", "、", "；", "：", "！", "")
NUMERALS = "一二三四五六七八九十"
HEADING = st.one_of(
    st.tuples(st.sampled_from(NUMERALS), st.just("、")).map("".join),
    st.tuples(st.just("（"), st.sampled_from(NUMERALS), st.just("）")).map("".join),
    st.tuples(st.just("第"), st.sampled_from(NUMERALS), st.sampled_from("章节")).map("".join),
    st.integers(1, 12).map(lambda n: f"{n}."),
)
SENTENCE = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCT)).map("".join), min_size=1,
                    max_size=25).map(lambda parts: "".join(parts) + "。")
PARAGRAPH = st.one_of(
    st.lists(SENTENCE, min_size=1, max_size=6).map("".join),
    st.tuples(HEADING, st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("".join)).map("".join),
    SENTENCE.map(lambda s: (s * (1 + 1700 // len(s)))[:1700] + "。"),  # cut into passages
)
DOCUMENT = st.lists(PARAGRAPH, min_size=1, max_size=8).map("\n\n".join)


def continuous_texts(folder: Path) -> dict[str, str]:
    """doc_id → continuous normalised text, extracted independently of the index."""
    out = {}
    for f in sorted(folder.glob("*.txt")):
        for doc in extract_file(f, f"{folder.name}/{f.name}").documents:
            out[doc.doc_id] = "".join(document_pieces(doc.title, doc.title_derived,
                                                      [(s.heading, s.text) for s in doc.sections]))
    return out


def documents_found(service: SearchService, span: str) -> set[str]:
    result = service.search(SearchParams(q=f'"{span}"', group="document", per_page=100))
    assert not result.partial and result.total_documents <= 100
    return {hit.doc_id for hit in result.hits}


@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(DOCUMENT, min_size=1, max_size=3), st.data())
def test_any_span_of_a_document_finds_it(texts: list[str], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "gen"
        folder.mkdir()
        for n, text in enumerate(texts):
            (folder / f"doc{n}.txt").write_text(f"第{n}号\n\n{text}\n", encoding="utf-8")
        import_paths([folder], Path(tmp) / "index")
        docs = continuous_texts(folder)
        service = SearchService(Path(tmp) / "index")
        try:
            for _ in range(20):
                doc_id = data.draw(st.sampled_from(sorted(docs)), label="document")
                parts = [p for p in docs[doc_id].split(SEP) if p]  # no wording runs across a separator
                text = data.draw(st.sampled_from(parts), label="part")
                start = data.draw(st.integers(0, len(text) - 1), label="start")
                span = text[start:start + data.draw(st.integers(1, 40), label="length")]
                found = documents_found(service, span)
                same_text = {d for d, t in docs.items() if t == docs[doc_id]}  # identical documents are one
                assert found & same_text, (span, doc_id)
                assert all(span in docs[d] for d in found), span
        finally:
            service.close()
