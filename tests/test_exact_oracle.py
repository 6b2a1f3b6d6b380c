"""Exact wording never misses: recall and precision 1.0 against a brute-force scan of every document's
continuous text (title, then every section's text, headings once — as :mod:`indexer.index.doctext` defines
it), a hit being the section where an occurrence starts."""

from __future__ import annotations

import bisect
import random

import pytest
from conftest import BACKENDS

from indexer.extract.pipeline import extract_file
from indexer.index.doctext import document_pieces
from indexer.search.backends import open_backend
from indexer.search.query import _wrapped
from indexer.search.results import to_json
from indexer.search.service import SearchParams
from indexer.text.normalize import normalize, to_traditional


@pytest.fixture(scope="module", params=[(c, b) for c in ("corpus", "reports") for b in BACKENDS],
                ids=lambda p: "-".join(p))
def indexed(request):
    """(service, folder): the shipped corpus everywhere; the 367 real reports too where ../shared is present;
    each behind every search backend."""
    corpus, backend = request.param
    folder = request.getfixturevalue(f"{corpus}_index")
    svc = open_backend(request.getfixturevalue(f"{corpus}_db") if backend == "postgresql" else folder[0])
    yield svc, folder[1]
    svc.close()


@pytest.fixture(scope="module")
def service_under_test(indexed):
    return indexed[0]


@pytest.fixture(scope="module")
def documents(indexed):
    """Every document of the indexed files, extracted independently of the index: (continuous text, the
    section ids with the offset where each one's text starts)."""
    _, folder = indexed
    out = []
    for f in sorted(folder.glob("*.txt")):
        for doc in extract_file(f, f"{folder.name}/{f.name}").documents:
            pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections])
            starts = [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))]
            out.append(("".join(pieces), [s.section_id for s in doc.sections], starts))
    return dedupe(out)


def dedupe(docs: list) -> list:
    """Documents with identical text are one document: the first imported stays."""
    seen, out = set(), []
    for d in docs:
        if d[0] not in seen:
            seen.add(d[0])
            out.append(d)
    return out


@pytest.fixture(scope="module")
def sections(documents):
    """Each section's own normalised text (for drawing queries)."""
    return {sid: text[start:(starts + [len(text)])[i + 1]] for text, ids, starts in documents
            for i, (sid, start) in enumerate(zip(ids, starts, strict=True))}


def oracle(documents, query: str) -> set[str]:
    """Brute force: every occurrence in every document's continuous text, credited where it starts."""
    needle = normalize(query)
    found = set()
    for text, ids, starts in documents:
        pos = text.find(needle) if needle else -1
        while pos != -1:
            found.add(ids[bisect.bisect_right(starts, pos) - 1])
            pos = text.find(needle, pos + 1)
    return found


def found(service, query: str) -> tuple[int, set[str]]:
    first = to_json(service.search(SearchParams(q=f'"{query}"', per_page=100)))
    ids = {h["section_id"] for h in first["hits"]}
    page = 2
    while len(ids) < min(first["total"], 600):
        more = to_json(service.search(SearchParams(q=f'"{query}"', per_page=100, page=page)))["hits"]
        if not more:
            break
        ids |= {h["section_id"] for h in more}
        page += 1
    return first["total"], ids


def random_queries(sections, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [t for t in sections.values() if len(t) > 25]
    out = []
    while len(out) < count:
        text = rng.choice(texts)
        size = rng.randint(1, 20)
        start = rng.randrange(0, len(text) - size)
        q = text[start:start + size]
        if '"' not in q:
            out.append(q)
    return out


def test_index_covers_every_section(service_under_test, sections) -> None:
    assert service_under_test.stats().sections == len(sections)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_substrings_recall_and_precision(service_under_test, documents, sections, seed) -> None:
    for q in random_queries(sections, 60, seed):
        want = oracle(documents, q)
        total, got = found(service_under_test, q)
        assert total == len(want), q
        if total <= 600:
            assert got == want, q


def test_exact_mode_takes_quotation_marks_as_wording(service_under_test, documents, sections) -> None:
    """Exact mode as the search page's switch sends it (the wording unquoted): spans holding a Chinese quotation
    mark — 坚持“四个注, 统战“两个健康”, 订“ — are that wording, marks and all; only a pair around the whole span
    delimits it."""
    rng = random.Random(5)
    marked = [(t, i) for t in sections.values() for i, ch in enumerate(t) if ch in "“”「」『』"]
    if not marked:
        pytest.skip("no quotation marks in this corpus")
    for _ in range(60):
        text, i = rng.choice(marked)
        q = text[max(0, i - rng.randint(0, 6)):i + 1 + rng.randint(0, 6)]
        if '"' in q:  # ASCII quotes are the syntax
            continue
        inner = _wrapped(q)  # a pair of marks around the whole span delimits it
        want = oracle(documents, q if inner is None else inner)
        first = to_json(service_under_test.search(SearchParams(q=q, mode="exact", per_page=100)))
        assert first["total"] == len(want), q
        if len(want) <= 100:
            assert {h["section_id"] for h in first["hits"]} == want, q
        # as traditional text writes its marks (「」 for “”): the same wording
        trad = q.translate(str.maketrans("“”‘’", "「」『』"))
        if inner is None and _wrapped(trad) is None:
            assert to_json(service_under_test.search(SearchParams(q=trad, mode="exact")))["total"] == len(want), trad


def test_traditional_forms_of_random_substrings(service_under_test, documents, sections) -> None:
    for q in random_queries(sections, 60, 7):
        trad = to_traditional(q)
        want = oracle(documents, trad)
        total, got = found(service_under_test, trad)
        assert total == len(want), (q, trad)
        if total <= 600:
            assert got == want


def test_spans_across_every_section_break_find_their_document(service_under_test, documents) -> None:
    """Wording copied across a break — a heading, a numbered item, a passage cut — is found, credited to the
    section where it starts, and nothing else is."""
    rng = random.Random(11)
    checked = 0
    for text, ids, starts in documents:
        for b in starts[1:]:
            if checked >= 150:
                return
            left, right = rng.randint(1, 12), rng.randint(1, 12)
            q = text[max(0, b - left):b + right]
            if len(q) < 2 or '"' in q or "\u0001" in q:
                continue
            want = oracle(documents, q)
            total, got = found(service_under_test, q)
            assert ids[bisect.bisect_right(starts, max(0, b - left)) - 1] in want
            assert total == len(want) and (total > 600 or got == want), q
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("query", ["两个健康", "一线两面三结合", "统一战线", "兩個健康", "統一戰線", "统",
                                   "ＸＸ市", "中华民族共同体意识"])
def test_named_phrases(service, corpus_index, query) -> None:
    folder = corpus_index[1]
    docs = []
    for f in sorted(folder.glob("*.txt")):
        for doc in extract_file(f, f"{folder.name}/{f.name}").documents:
            pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections])
            docs.append(("".join(pieces), [s.section_id for s in doc.sections],
                         [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))]))
    total, got = found(service, query)
    want = oracle(docs, query)
    assert total == len(want) and got == want
    assert total > 0


@pytest.mark.parametrize(("fanout", "tg_min"), [(8, None), (2, None), (2, 2)])
def test_oracle_holds_on_an_index_written_in_several_commits_with_deletions(tmp_path, monkeypatch, fanout,
                                                                           tg_min) -> None:
    """Several segments, a replaced file, a deleted document: exact wording still matches the brute-force scan
    of what is live, and every facet adds up to the total — also when every second commit merges segments
    (fanout 2: parts compacted and combined without re-tokenising), and with most trigrams in the trigram
    layer or not (tg_min 2: a combined part builds its layer again)."""
    import shutil

    from indexer.index import transaction, trigrams

    monkeypatch.setattr(transaction, "FANOUT", fanout)
    if tg_min is not None:
        monkeypatch.setattr(trigrams, "TG_MIN", tg_min)
    from conftest import CORPUS

    from indexer.index.importer import import_paths
    from indexer.index.transaction import delete_document
    from indexer.search.service import SearchService

    folder = tmp_path / "docs"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    index = tmp_path / "index"
    for f in files:  # one commit per file: one segment each
        shutil.copy(f, folder / f.name)
        import_paths([folder], index)
    changed = folder / files[0].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("统一战线", "统一战线新版措辞"), encoding="utf-8")
    import_paths([folder], index)
    assert delete_document(index, f"docs/{files[1].name}") > 0
    live = [f for f in sorted(folder.glob("*.txt")) if f.name != files[1].name]
    docs = []
    for f in live:
        for doc in extract_file(f, f"docs/{f.name}").documents:
            pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections])
            docs.append(("".join(pieces), [s.section_id for s in doc.sections],
                         [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))]))
    docs = dedupe(docs)
    svc = SearchService(index)
    try:
        sections = {sid: text[start:(starts + [len(text)])[i + 1]] for text, ids, starts in docs
                    for i, (sid, start) in enumerate(zip(ids, starts, strict=True))}
        assert svc.stats().sections == len(sections)
        threes = [q[:3] for q in random_queries(sections, 80, 6) if len(q) >= 3]
        for q in random_queries(sections, 80, 5) + threes + ["统一战线新版措辞", "统一战线"]:
            want = oracle(docs, q)
            total, got = found(svc, q)
            assert total == len(want) and (total > 600 or got == want), q
            result = to_json(svc.search(SearchParams(q=f'"{q}"')))
            for facet, buckets in result["facets"].items():
                assert sum(b["count"] for b in buckets) == result["total"], (q, facet)
    finally:
        svc.close()


def test_every_character_beyond_the_bmp_is_normalised_like_the_ones_inside() -> None:
    """NFKC and case folding apply beyond the BMP too, not only to a list of ranges: 🯱 (segmented digit one)
    is 1, 𐐀 (Deseret capital) is 𐐨, 𞤀 (Adlam capital) is 𞤢, an Arabic mathematical letter is the letter."""
    import unicodedata

    from indexer.text.normalize import _IGNORABLE, translation_table

    table = translation_table()
    wrong = []
    for cp in range(0x10000, 0x110000):
        ch = chr(cp)
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc") or cp in _IGNORABLE:
            want = ""
        else:
            want = unicodedata.normalize("NFKC", ch).casefold().translate(table)
        if ch.translate(table) != want:
            wrong.append(f"U+{cp:05X}")
    assert not wrong, f"{len(wrong)} characters, e.g. {wrong[:8]}"


def test_wordings_written_with_characters_beyond_the_bmp_are_found(target, tmp_path) -> None:
    from indexer.index.importer import import_paths

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("分段数字的通知\n\n显示屏写着🯲🯰🯲🯳年，字母𐐀与𞤀。\n", encoding="utf-8")
    import_paths([folder], target)
    svc = open_backend(target)
    try:
        for query in ("2023年", "２０２３年", "🯲🯰🯲🯳年", "𐐨与𞤢", "𐐀与𞤀"):
            result = to_json(svc.search(SearchParams(q=f'"{query}"')))
            assert [h["section_id"] for h in result["hits"]] == ["docs/a.txt#1"], query
    finally:
        svc.close()


@pytest.mark.parametrize(("written", "typed"), [("cafe\u0301", "café"), ("Zho\u0304ngguo\u0301", "Zhōngguó"),
                                                ("ｶﾞｲﾄﾞ", "ガイド"), ("ガイド", "ｶﾞｲﾄﾞ"), ("résumé", "RE\u0301SUME\u0301")])
def test_a_letter_with_marks_composed_or_not_is_one_wording(target, tmp_path, written, typed) -> None:
    """NFKC composes a letter and its combining marks; one character at a time the normaliser decomposes instead,
    so é and e + U+0301 (pinyin as PDFs write it), ガ and half-width ｶﾞ are the same wording."""
    from indexer.index.importer import import_paths

    assert normalize(written) == normalize(typed)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(f"组合字符的通知\n\n文中写作{written}一词。\n", encoding="utf-8")
    import_paths([folder], target)
    svc = open_backend(target)
    try:
        for query in (f'"{typed}"', f'"作{typed}一"'):
            result = to_json(svc.search(SearchParams(q=query)))
            assert [h["section_id"] for h in result["hits"]] == ["docs/a.txt#1"], query
            hit = result["hits"][0]
            marked = [normalize(hit["snippet"][s:e]) for s, e in hit["highlights"]]
            assert marked == [normalize(query.strip('"'))], (query, hit["snippet"], hit["highlights"])
    finally:
        svc.close()
