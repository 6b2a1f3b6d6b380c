"""The pieces of indexer.relations that work on one text: 发文字号 keys, issuers, title keys, the references and
validity statements of a text with their spans, and the comparison of two texts."""

from __future__ import annotations

import pytest

from indexer.relations import issuers
from indexer.relations.compare import compare_texts, units
from indexer.relations.docno import docno_key, find_docnos, is_docno, spellings
from indexer.relations.extract import ABOLISH, AMEND, CITE, REPLACE, find_references
from indexer.relations.titles import is_document_title, series_key, title_key, version_key


@pytest.mark.parametrize("written", ["国发〔2014〕45号", "国发[2014]45号", "国发［2014］45号", "国发(2014)45号",
                                     "国发（2014）45号", "国发【2014】45号", "国发 〔2014〕 45 号", "国发〔2014〕045号",
                                     "国发〔２０１４〕４５号", " 国发[2014] 第45号 "])
def test_a_number_has_one_key_whatever_its_brackets(written) -> None:
    assert docno_key(written) == "国发[2014]45号" and is_docno(written)


def test_what_is_not_a_number() -> None:
    assert [docno_key(t) for t in ("国发2014年45号", "2014〕45号", "国发〔14〕45号", "", None)] == [None] * 5
    assert not is_docno("统一战线 国发〔2014〕45号")
    assert docno_key("国令第 708 号") == "国令第708号"
    assert spellings("国发(2014)45号") == ["国发〔2014〕45号", "国发[2014]45号", "国发(2014)45号", "国发【2014】45号",
                                         "国发〔2014〕第45号", "国发[2014]第45号", "国发(2014)第45号", "国发【2014】第45号"]


def test_numbers_in_running_text_lose_the_words_before_them() -> None:
    text = "建设任务参见鲁教高函〔2023〕36 号，按照国办发[2019]5号文件要求，做好统办发(2019)12号规定的工作。"
    found = [(text[s:e], key) for s, e, key in find_docnos(text)]
    assert found == [("鲁教高函〔2023〕36 号", "鲁教高函[2023]36号"), ("国办发[2019]5号", "国办发[2019]5号"),
                     ("统办发(2019)12号", "统办发[2019]12号")]


def test_a_number_written_in_full_width_digits_is_found_in_running_text() -> None:
    """Texts copied from PDFs and web pages write 国发〔２０１７〕３５号: the same number, found with its key."""
    text = "深入落实«国务院关于印发新一代人工智能发展规划的通知»(国发〔２０１７〕３５号)精神，依据国办发〔２０１９〕５号文件。"
    found = [(text[s:e], key) for s, e, key in find_docnos(text)]
    assert found == [("国发〔２０１７〕３５号", "国发[2017]35号"), ("国办发〔２０１９〕５号", "国办发[2019]5号")]


def test_a_number_inside_the_title_marks_is_the_titles_number() -> None:
    """《新一代人工智能发展规划（国发〔2017〕35 号）》 names the plan and its number, as the usual form does."""
    text = "依据《新一代人工智能发展规划（国发〔2017〕35 号）》和《关于推进统战工作的意见》，制定本方案。"
    assert _refs(text)[0][1:] == ("新一代人工智能发展规划", "国发[2017]35号", CITE)


def test_issuers_each_of_a_joint_one() -> None:
    assert issuers.names("科 技 部、教育部，财政部") == ["科技部", "教育部", "财政部"]
    assert issuers.issuer_value(" 国务院、国务院 ") == "国务院" and issuers.issuer_value(None) == ""
    assert issuers.expand([("科技部、教育部", 2), ("科技部", 1), (None, 4)]) == [("科技部", 3), ("教育部", 2), (None, 4)]
    assert issuers.holds("科技部、教育部", "科 技 部") and not issuers.holds("科技部", "教育部")


def test_title_keys() -> None:
    assert title_key("《关于印发〈办法〉的通知》") == title_key("关于印发《办法》的通知") != 0
    assert version_key("关于…的意见（征求意见稿）") == version_key("关于…的意见")
    assert series_key("2023年江苏统战工作要点", "统战部") == series_key("2024年江苏统战工作要点", "统战部") != 0
    assert series_key("2023年江苏统战工作要点", "统战部") != series_key("2024年江苏统战工作要点", "宣传部")
    assert series_key("第十四届全国人民代表大会第三次会议关于政府工作报告的决议", "第十四届全国人民代表大会第三次会议") == \
        series_key("第十三届全国人民代表大会第一次会议关于政府工作报告的决议", "第十三届全国人民代表大会第一次会议")
    assert series_key("2023年要点", "统战部") == 0  # too little left to tell a series from a genre word
    assert is_document_title("中华人民共和国宪法") and is_document_title("智能制造发展规划（2016-2020年）")
    assert not any(is_document_title(t) for t in ("人民日报", "列宁全集", "刑事审判参考", "法"))


def _refs(text: str, **own):
    return [(text[r.start:r.end], r.title, r.docno, r.kind) for r in find_references(text, **own)]


def test_reference_forms_with_their_spans() -> None:
    text = ("根据《国务院关于加强统战工作的意见》（国发〔2014〕45号，以下简称《意见》）和省委办公厅关于加强新时代统战工作"
            "的通知精神，按照国办发[2019] 5号文件要求，落实《意见》。《人民日报》报道了此事。")
    assert _refs(text) == [
        ("《国务院关于加强统战工作的意见》（国发〔2014〕45号，以下简称《意见》）", "国务院关于加强统战工作的意见",
         "国发[2014]45号", CITE),
        ("省委办公厅关于加强新时代统战工作的通知", "省委办公厅关于加强新时代统战工作的通知", None, CITE),
        ("国办发[2019] 5号", None, "国办发[2019]5号", CITE),
        ("《意见》", "国务院关于加强统战工作的意见", "国发[2014]45号", CITE)]


def test_a_document_naming_itself_is_no_reference() -> None:
    text = "沪统发〔2020〕1号\n《上海市统战工作办法》印发后，依据《上海市统战工作办法》执行。"
    assert _refs(text, own_title="上海市统战工作办法", own_docno="沪统发[2020]1号") == []
    text = "本办法自2020年1月1日起施行，原《上海市统战工作办法》同时废止。"  # the version before it
    assert _refs(text, own_title="上海市统战工作办法") == [("《上海市统战工作办法》", "上海市统战工作办法", None, ABOLISH)]


@pytest.mark.parametrize("sentence,kind", [
    ("本办法自2020年1月1日起施行，《暂行办法》（沪统发〔2015〕3号）同时废止。", ABOLISH),
    ("原《关于做好统战工作的通知》不再执行。", ABOLISH),
    ("《关于做好统战工作的通知》自2021年3月1日起停止执行。", ABOLISH),
    ("经研究，决定废止《统战工作规定》（苏统发〔2022〕5号）。", ABOLISH),
    ("本标准代替《统战工作规范》（统发〔2010〕2号）。", REPLACE),
    ("对《统战工作规定》（苏统发〔2022〕5号）进行了修订。", AMEND),
    ("《统战工作规定》（苏统发〔2022〕5号）与本通知不一致的，以本通知为准。", AMEND),
    ("将抓紧修订《统战工作规定》。", CITE),
    ("根据《统战工作规定》，废止部分文件。", CITE),
    ("清理和废止有悖于高质量发展的政策规定。", None),
])
def test_validity_statements(sentence, kind) -> None:
    refs = find_references(sentence)
    assert [r.kind for r in refs] == ([] if kind is None else [kind])


@pytest.mark.parametrize("text,year", [
    ("围绕2018年《政府工作报告》工作部署。", 2018),  # the year alone qualifies the title: that year's report
    ("2022年《政府工作报告》起草收到网民建言近百万条。", 2022),
    ("落实２０１９年度的《统战工作要点》。", 2019),
    ("2015年印发的《统战工作办法》", 2015),
    ("《统战工作办法》（2015年修订）", 2015),
    ("2018年，《政府工作报告》提出", 0),  # a year of the sentence, not of the title
    ("12018年《政府工作报告》", 0),
])
def test_a_year_written_before_a_title_is_the_year_it_states(text, year) -> None:
    (ref,) = find_references(text)
    assert ref.year == year


def test_a_statement_takes_effect_on_its_stated_date() -> None:
    text = "本办法自2020年1月1日起施行。《暂行办法》（沪统发〔2015〕3号）同时废止。"
    (ref,) = find_references(text)
    assert ref.kind == ABOLISH and ref.date == 20200101 and text[ref.sentence[0]:ref.sentence[1]].startswith("《暂行")
    (ref,) = find_references(text.replace("2020年1月1日", "２０２０年１月１日"))  # full-width digits alike
    assert ref.kind == ABOLISH and ref.date == 20200101


def test_compare_units_and_marks() -> None:
    long = "第一句。" * 150
    assert all(len(u) <= 400 for u in units(long)) and "".join(units(long)) == long
    rows, summary = compare_texts("甲。\n乙改了一个字。\n丙。", "甲。\n乙改了两个字。\n丁是新的。\n丙。")
    assert [r.op for r in rows] == ["equal", "changed", "inserted", "equal"]
    assert (summary.removed, summary.added, summary.kept) == (1, 6, summary.a_chars - 1)
    rows, summary = compare_texts("", "新文本")
    assert [r.op for r in rows] == ["inserted"] and summary.kept_share == 1.0


def test_a_very_long_text_is_compared_up_to_a_bound() -> None:
    from indexer.relations.compare import MAX_CHARS, compare
    from indexer.relations.results import DocRef

    ref = DocRef("a", "甲", False, None, False, None, None, "/doc/a")
    long = "统一战线工作。\n" * (MAX_CHARS // 8 + 10)
    result = compare(ref, long, ref, long + "新增一段。")
    assert result.truncated and result.summary.a_chars <= MAX_CHARS and result.changes == []
    assert not compare(ref, "短文。", ref, "短文。").truncated


def test_a_number_typed_alone_finds_the_texts_that_write_it_any_way(tmp_path) -> None:
    from indexer.index.importer import import_paths
    from indexer.search.service import SearchParams, SearchService

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, written in (("a", "国发〔2014〕第45号"), ("b", "国发（2014）45号"), ("c", "国发[2014]46号")):
        (docs / f"{name}.txt").write_text(f"关于示例工作的通知\n\n根据《示例意见》（{written}）精神，做好示例工作。\n",
                                          encoding="utf-8")
    import_paths([docs], tmp_path / "index", reuse=False)
    svc = SearchService(tmp_path / "index")
    try:
        found = {h.doc_id.rsplit("/", 1)[-1] for h in svc.search(SearchParams(q="国发〔2014〕45号")).hits}
    finally:
        svc.close()
    assert found == {"a.txt", "b.txt"}
