"""Keyword ranking and synonyms, on a small corpus built for the purpose, on both backends: a paragraph on the
topic outranks a paragraph full of the common term and a one-line mention in a list; a long chapter where the
terms meet in one passage outranks the same chapter with them far apart; synonyms widen keyword search and
never exact wording; pages follow one order across the re-ranked head."""

from __future__ import annotations

import re

import pytest
from conftest import BACKENDS

from indexer.index.importer import import_paths
from indexer.search.backends import open_backend
from indexer.search.passages import _windows, best_passages
from indexer.search.rankquery import RankQuery, rank_query
from indexer.search.results import to_json
from indexer.search.service import SearchParams, highlight_terms
from indexer.search.synonyms import dictionary, expand, version

FILLER = ["坚持以人民为中心的发展思想，推动经济社会高质量发展。", "加强基层组织建设，提高服务群众能力。",
          "统筹推进城乡建设，改善人居环境。", "深化改革开放，优化营商环境，激发市场活力。",
          "加强生态环境保护，推进绿色低碳发展。", "做好教育、医疗、养老等民生工作。"]


def _doc(title: str, date: str, sections: list[tuple[str, str]]) -> str:
    body = "\n\n".join(f"{head}\n\n{text}" for head, text in sections)
    return f"{title}\n\n发布时间：{date}\n\n{body}\n"


def _chapter(first: str, last: str, middle: list[str]) -> str:
    """A long chapter: filler sentences with ``first`` at the start, ``last`` at the end, ``middle`` inside."""
    lines = [FILLER[i % len(FILLER)] for i in range(60)]
    return "".join([first] + lines[:30] + middle + lines[30:] + [last])


CORPUS = {
    # the common term only, in a document whose title has it too
    "telecom.txt": _doc("关于维护电信用户合法权益的通知", "2023-05-01", [
        ("一、切实维护用户合法权益", "各电信企业要切实维护用户合法权益。侵害用户合法权益的行为要及时纠正。"
         "建立用户合法权益保护机制，畅通投诉渠道，保障用户合法权益不受侵害。")]),
    # a one-line mention in an enumeration of tasks
    "tasks.txt": _doc("2023年统战工作要点", "2023-03-01", [
        ("一、主要任务", "加强党外代表人士队伍建设；做好民族宗教工作；依法维护归侨侨眷合法权益；加强网络统战工作；"
         "推动新阶层人士建言献策；支持民主党派加强自身建设；做好港澳台统战工作；加强统战理论研究。")]),
    # the paragraph about the topic
    "qiaowu.txt": _doc("关于做好新时代侨务工作的意见", "2022-01-10", [
        ("三、依法维护归侨侨眷合法权益", "归侨侨眷是党和政府联系海外侨胞的重要纽带。要认真贯彻归侨侨眷权益保护法，"
         "健全涉侨维权机制，依法保护归侨侨眷在就业、教育、住房、社会保障等方面的合法权益，及时协调解决归侨侨眷"
         "反映的困难和问题，把维护合法权益落到实处。")]),
    # the same long chapter twice: the two terms together in one passage, or at its two ends (and newer)
    "near.txt": _doc("年度工作报告（一）", "2021-06-01", [
        ("一、过去一年的工作", _chapter("", "", ["加强网络统战工作，推动新阶层人士参与社会治理。"]))]),
    "far.txt": _doc("年度工作报告（二）", "2021-07-01", [
        ("一、过去一年的工作", _chapter("加强网络统战工作，", "推动新阶层人士参与社会治理。", []))]),
    # abbreviation and full form, one each, otherwise alike (as long)
    "short_form.txt": _doc("甲市工作简报", "2020-01-01", [("一、概况", "全市统战全体成员积极参与社区服务活动。")]),
    "full_form.txt": _doc("乙市工作简报", "2020-01-01", [("一、概况", "全市统一战线成员积极参与社区服务活动。")]),
    # both forms in one section
    "both_forms.txt": _doc("丙市工作简报", "2020-02-01", [("一、概况", "各级统战部门要巩固和发展最广泛的爱国统一战线。")]),
}
FILLER_DOCS = {f"filler{i}.txt": _doc(f"{city}工作动态", f"2019-0{i + 1}-01",
                                      [(f"一、{FILLER[i]}", "".join(FILLER[i:] + FILLER[:i]))])
               for i, city in enumerate(["丙市", "丁市", "戊市", "己市", "庚市"])}


@pytest.fixture(scope="module", params=BACKENDS)
def ranked(request, tmp_path_factory):
    """The corpus above in each backend."""
    base = tmp_path_factory.mktemp("ranking")
    folder = base / "docs"
    folder.mkdir()
    for name, text in {**CORPUS, **FILLER_DOCS}.items():
        (folder / name).write_text(text, encoding="utf-8")
    target = request.getfixturevalue("pg_server").database() if request.param == "postgresql" else base / "index"
    import_paths([folder], target, procs=1)
    service = open_backend(target)
    yield service
    service.close()


def _files(result) -> list[str]:
    return [h.doc_id.rsplit("/", 1)[-1] for h in result.hits]


def test_topic_paragraph_outranks_common_term_and_list_mention(ranked) -> None:
    result = ranked.search(SearchParams(q="归侨侨眷 合法权益"))
    files = _files(result)
    assert files[0] == "qiaowu.txt", files
    assert files.index("tasks.txt") < files.index("telecom.txt"), files  # a mention of both beats one term


def test_long_chapter_is_scored_by_its_best_passage(ranked) -> None:
    """The two chapters hold the same words, as often, in as many bytes: only where the terms meet differs
    (the far one is newer, so a tie would put it first)."""
    files = _files(ranked.search(SearchParams(q="网络统战 新阶层人士")))
    assert files.index("near.txt") < files.index("far.txt"), files


def test_scores_fall_and_pages_follow_one_order(ranked) -> None:
    whole = ranked.search(SearchParams(q="工作 建设 发展", per_page=100))
    scores = [h.score for h in whole.hits]
    assert scores == sorted(scores, reverse=True)
    paged = [h.section_id for page in (1, 2, 3) for h in
             ranked.search(SearchParams(q="工作 建设 发展", per_page=4, page=page)).hits]
    assert paged == [h.section_id for h in whole.hits][:len(paged)]


def test_synonyms_widen_keyword_search_only(ranked) -> None:
    both = ranked.search(SearchParams(q="统战 活动"))
    assert both.also_searched == ["统一战线"]
    assert {"short_form.txt", "full_form.txt"} <= set(_files(both))
    hits = {h.doc_id.rsplit("/", 1)[-1]: h for h in both.hits}
    assert hits["short_form.txt"].score == hits["full_form.txt"].score  # one term, however it is written
    full = hits["full_form.txt"]
    assert [full.snippet[s:e] for s, e in full.highlights] == ["统一战线", "活动"]
    for params in (SearchParams(q="统战", synonyms=False), SearchParams(q="统战", mode="exact"),
                   SearchParams(q='"统战"')):
        result = ranked.search(params)
        assert result.also_searched == [] and "full_form.txt" not in _files(result), params
    assert "统一战线" in highlight_terms("统战", "keyword") and "统一战线" not in highlight_terms("统战", "exact")


def test_dispersion_counts_what_was_searched(ranked) -> None:
    """The research views count the wordings the search matched: the equivalents with synonyms, not without."""
    from indexer.research.dispersion import dispersion

    on, off = (dispersion(ranked, SearchParams(q="统战", synonyms=s), per_page=100) for s in (True, False))
    counts = [{d.doc_id.rsplit("/", 1)[-1]: d.occurrences for d in found.items} for found in (on, off)]
    assert counts[0]["both_forms.txt"] == 2 and counts[0]["full_form.txt"] == 1
    assert counts[1]["both_forms.txt"] == 1 and "full_form.txt" not in counts[1]


def test_the_result_says_what_was_also_searched(ranked) -> None:
    body = to_json(ranked.search(SearchParams(q="统一战线 -民企")))
    assert body["also_searched"] == ["统战", "民营企业"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_pages_and_api_offer_synonyms_off(backend, corpus_index, request) -> None:
    from web_fixtures import corpus_app

    with corpus_app(request, backend, corpus_index) as app:
        client = app.test_client()
        on = client.get("/api/search?q=非公经济").json
        off = client.get("/api/search?q=非公经济&synonyms=0").json
        assert on["also_searched"] == ["非公有制经济"] and off["also_searched"] == []
        assert on["total"] > off["total"]
        assert client.get("/api/search?q=非公经济&synonyms=2").status_code == 400
        page = client.get("/?q=非公经济").get_data(as_text=True)
        assert "也搜索了：非公有制经济" in page and "synonyms=0" in page
        assert "也搜索了" not in client.get("/?q=非公经济&synonyms=0").get_data(as_text=True)
        # a hit's link opens its document highlighted as it was searched
        assert all("synonyms=0" in h["url"] for h in off["hits"]) and not any("synonyms" in h["url"] for h in on["hits"])
        wide = next(h for h in on["hits"] if "非公经济" not in h["snippet"] and "非公有制经济" in h["snippet"])
        marked = client.get(wide["url"].split("#")[0]).get_data(as_text=True)
        assert re.search(r"<mark[^>]*>非公有制经济</mark>", marked)
        plain = client.get(wide["url"].split("#")[0] + "&synonyms=0").get_data(as_text=True)
        assert not re.search(r"<mark[^>]*>非公有制经济</mark>", plain)
    with corpus_app(request, backend, corpus_index, SYNONYMS=False) as quiet:
        assert quiet.test_client().get("/api/search?q=非公经济").json["also_searched"] == []


def test_synonym_dictionary_is_well_formed() -> None:
    from importlib import resources

    lines = resources.files("indexer").joinpath("data/synonyms.txt").read_text(encoding="utf-8").splitlines()
    assert version() >= 1
    seen: set[str] = set()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        wordings, _, source = line.partition("\t")
        group = wordings.split("|")
        assert len(group) >= 2 and all(w.strip() == w and w for w in group), line
        assert len(source.strip()) >= 10, f"no source for {wordings}"
        assert not seen & set(group), f"{wordings}: a wording in two groups"
        seen |= set(group)
    assert dictionary()["统战"] == ("统一战线",) and dictionary()["统一战线"] == ("统战",)


def test_expand_leaves_phrases_and_titles_alone() -> None:
    from indexer.search.query import parse

    tree, added = expand(parse('统战 "民企" title:统战 NOT 侨联')[0])
    assert added == ["统一战线", "归国华侨联合会"]
    rq = rank_query(tree)
    assert rq.groups[0] == (("统战",), ("统一战线",)) and rq.groups[1] == (("民企",),)


def test_passages_of_a_long_text() -> None:
    text = "甲乙丙。丁戊己庚辛。壬癸。子丑寅卯辰巳午未申酉。".encode()
    joined, lo, hi, which = _windows([text, text], 20)
    assert lo.tolist() == [0, 12, 30, 39, 73, 85, 103, 112]  # from each sentence, whole sentences, at least one
    assert hi.tolist() == [12, 30, 39, 72, 85, 103, 112, 145] and which.tolist() == [0] * 4 + [1] * 4
    assert joined == text + b"\0" + text
    assert _windows([text], 100)[2].tolist() == [72]
    rq = RankQuery(((("甲",),), (("酉",),)), "")
    filler = ("乙" * 30 + "。") * 10
    texts = [f"甲酉。{filler}".encode(), f"甲。{filler}酉。".encode(), f"甲。{filler}酉。".encode()]
    near, far, titled = best_passages(texts, [[False] * 3, [False, False, True]], rq, [1.0, 1.0], 100.0)
    assert near > far and titled > far  # the terms together; or the second term in the title


def _many_docs() -> dict[str, str]:
    """80 documents of 3 sections, every section matching 侨务 工作 as words, as often in as many bytes as a
    rule of the document's and section's number says: some with 侨务 in the title, with the phrase 侨务工作,
    long (scored by their best passage), several sharing a date, some with three sections alike (ties broken by
    date, then section order)."""
    docs = {}
    for n in range(80):
        sections = []
        for i in range(3):
            words = ["侨务"] * (1 + (n * 7 + i) % 4) + ["工作"] * (1 + (n * 3 + i) % 3)
            filler = FILLER * (8 if (n + i) % 7 == 0 else 0) + FILLER[:(n + i) % 5]
            body = "，".join(words) + "。" + "".join(filler) + ("做好侨务工作。" if (n + i) % 4 == 0 else "")
            if i and n % 4 == 1:  # as the first section: tied, the earliest one stands for its document
                body = sections[0][1]
            sections.append((f"{'一二三'[i]}、第{i + 1}部分", body))
        title = f"{'侨务' if n % 6 == 0 else '年度'}通报第{n}号"
        docs[f"many{n:02d}.txt"] = _doc(title, f"2020-0{1 + n % 9}-01", sections)
    return docs


@pytest.fixture(scope="module")
def many_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many") / "docs"
    folder.mkdir()
    for name, text in _many_docs().items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=BACKENDS)
def many(request, many_folder):
    """The 80 documents in each backend."""
    target = request.getfixturevalue("pg_server").database() if request.param == "postgresql" else \
        many_folder.parent / "index"
    import_paths([many_folder], target, procs=1)
    service = open_backend(target)
    yield request.param, service
    service.close()


def _grouped_pages(service, q: str) -> list[tuple[str, str, float | None]]:
    """(document, section, score) of the grouped pages 1 and 2 of 10, and of page 6: documents 51 to 60, past
    the head of 50 sections."""
    return [(h.doc_id, h.section_id, h.score) for page in (1, 2, 6) for h in
            service.search(SearchParams(q=q, group="document", per_page=10, page=page)).hits]


@pytest.mark.parametrize("q", ["侨务 工作 通报", "做好 侨务工作"])
def test_documents_follow_the_section_order(many, q) -> None:
    """Grouped, each document is shown once, at its first section in the order of the section results, with
    that section's score — brute force over every section result, page by page of 100."""
    _, service = many
    total = service.search(SearchParams(q=q)).total
    sections = []
    for page in range(1, 4):
        sections += service.search(SearchParams(q=q, per_page=100, page=page)).hits
    assert len(sections) == total and len({h.section_id for h in sections}) == total
    first: dict[str, tuple[str, str, float | None]] = {}
    for h in sections:
        first.setdefault(h.doc_id, (h.doc_id, h.section_id, h.score))
    want = list(first.values())
    assert len(want) >= 60 and service.search(SearchParams(q=q, group="document")).total == len(want)
    assert _grouped_pages(service, q) == want[:20] + want[50:60]
    whole = service.search(SearchParams(q=q, group="document", per_page=100)).hits
    assert [(h.doc_id, h.section_id, h.score) for h in whole] == want


def test_documents_in_the_same_order_on_both_backends(many_folder, pg_server) -> None:
    index, url = many_folder.parent / "index_pair", pg_server.database()
    for target in (index, url):
        import_paths([many_folder], target, procs=1)
    services = [open_backend(index), open_backend(url)]
    try:
        for q in ("侨务 工作 通报", "做好 侨务工作"):
            embedded, database = (_grouped_pages(s, q) for s in services)
            assert embedded == database and len(embedded) == 30, q
    finally:
        for s in services:
            s.close()


def test_the_kth_best_score_is_found_exactly_however_the_scores_lie() -> None:
    """The k-th best score bounds the head of every ranking; above a size it is looked for among the scores over
    a bound guessed from a sample, which must never change the answer: random scores, many ties, scores in
    ascending order (a strided sample of them is the worst guess), a few non-zero among zeros."""
    import numpy as np

    from indexer.search.ranking import _SAMPLED_ABOVE, kth_largest

    rng = np.random.default_rng(5)
    for trial in range(400):
        n = int(rng.choice([1, 7, 300, _SAMPLED_ABOVE, _SAMPLED_ABOVE + 1, 50_000]))
        shape = trial % 4
        if shape == 0:
            values = rng.random(n).astype(np.float32)
        elif shape == 1:
            values = np.round(rng.random(n) * 3, 1).astype(np.float32)
        elif shape == 2:
            values = np.sort(rng.random(n)).astype(np.float32)
        else:
            values = np.zeros(n, np.float32)
            values[rng.integers(0, n, 3)] = 1.0
        k = int(rng.integers(1, min(n, 700) + 1))
        assert kth_largest(values, k) == np.sort(values)[n - k], (n, k, shape)
