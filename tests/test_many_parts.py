"""Exact wording worked over all parts at once (indexer/search/exact.py), and grouped hits that name their
sections from the parts (no stored record read per section): on indexes cut into many small parts — what a
large index looks like — against the brute-force oracle, and through merges."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS
from test_exact_oracle import dedupe, oracle, random_queries

from indexer.document import Document, Extraction, Section
from indexer.extract.pipeline import extract_file
from indexer.index import derived, transaction, trigrams
from indexer.index.doctext import document_pieces
from indexer.index.importer import import_paths
from indexer.search import exact
from indexer.search.backends import open_store
from indexer.search.evaluate import Matcher
from indexer.search.exact import Budget, exact_mask
from indexer.search.query import Phrase
from indexer.search.results import to_json
from indexer.search.service import SearchParams, SearchService
from indexer.text.normalize import normalize

TEXTS = sorted(CORPUS.glob("*.txt"))


def _documents(folder: Path) -> list:
    out = []
    for f in sorted(folder.glob("*.txt")):
        for doc in extract_file(f, f"{folder.name}/{f.name}").documents:
            pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections])
            out.append(("".join(pieces), [s.section_id for s in doc.sections],
                        [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))]))
    return dedupe(out)


def _pieces_of_the_corpus(folder: Path, files: int = 36) -> list[Path]:
    """The shipped texts' lines cut into ``files`` documents of their own (titled, a dozen lines each)."""
    lines = [ln for f in TEXTS for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    size = max(3, len(lines) // files)
    out = []
    for i in range(files):
        chunk = lines[i * size:(i + 1) * size]
        if chunk:
            path = folder / f"d{i:02}.txt"
            path.write_text(f"关于第{i}项工作的通知\n\n" + "\n".join(chunk) + "\n", encoding="utf-8")
            out.append(path)
    return out


@pytest.fixture(scope="module", params=[trigrams.TG_MIN, 1], ids=["layer-default", "layer-everything"])
def small_parts(tmp_path_factory, request):
    """Three dozen documents, every one a part of its own, imported in three commits; with the trigram
    layer's threshold as shipped (these small parts then have none) and at 1 section: every trigram and
    every 4-gram of every part in its layer (:mod:`indexer.index.trigrams`, :mod:`indexer.index.quadgrams`)."""
    base = tmp_path_factory.mktemp("small_parts")
    source, folder = base / "source", base / "docs"
    source.mkdir()
    folder.mkdir()
    files = _pieces_of_the_corpus(source)
    index = base / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(derived, "PART_SECTIONS", 1)
        mp.setattr(trigrams, "TG_MIN", request.param)
        for k in range(3):
            for f in files[k::3]:
                shutil.copy(f, folder / f.name)
            import_paths([folder], index, reuse=False)
        store = open_store(index)
        try:
            with store.transaction() as tx:
                tx.write(_straddling_doc(), "straddle/doc", "s1", "straddle")
        finally:
            store.close()
    svc = SearchService(index)
    doc = _straddling_doc().documents[0]
    pieces = document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections])
    docs = _documents(folder) + [("".join(pieces), [s.section_id for s in doc.sections],
                                  [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))])]
    yield svc, docs
    svc.close()


def _straddling_doc() -> Extraction:
    """A wording that starts in one section and ends in the next, whose rarest bigram lies in the next one —
    which also holds it as a jieba word (so that section is "known" and the occurrence before it must still
    be found)."""
    sections = [Section("straddle/doc#1", None, "要巩固和发展最广泛的爱国统"),
                Section("straddle/doc#2", None, "一战线，统一战线是重要法宝。")]
    return Extraction(documents=[Document(doc_id="straddle/doc", title="关于爱国统一战线的说明",
                                          title_derived=True, sections=sections)])


def test_the_index_really_has_many_parts(small_parts) -> None:
    svc, _ = small_parts
    gen, _ = svc.live.current()
    assert len(gen.parts) >= 30
    layered = sum(len(p.part.tg_keys) for p in gen.parts)
    assert (layered > 1000) == (gen.parts[0].part.tg_min == 1)
    quads = sum(len(p.part.qg_keys) for p in gen.parts)  # the 4-gram layer likewise (qg_min 1: everything)
    assert (quads > 1000) == (gen.parts[0].part.qg_min == 1)


def _oracle_queries(docs) -> list[str]:
    sections = {sid: text[start:(starts + [len(text)])[i + 1]] for text, ids, starts in docs
                for i, (sid, start) in enumerate(zip(ids, starts, strict=True))}
    # random spans, words jieba emits (known sections), and spans across every kind of section break
    queries = random_queries(sections, 150, 21) + ["统一战线", "民营企业家", "两个健康", "工作", "的", "发展。"]
    queries += [q[:3] for q in random_queries(sections, 200, 22) if len(q) >= 3]  # the layer answers these
    for text, _ids, starts in docs:
        for at in starts[1:4]:
            if 3 <= at <= len(text) - 3:
                queries.append(text[at - 2:at + 3])
    return queries


def test_exact_over_many_parts_equals_the_oracle(small_parts) -> None:
    svc, docs = small_parts
    gen, _ = svc.live.current()
    ids = [str(gen.stored(n)["section_id"]) for n in range(gen.n)]
    for q in _oracle_queries(docs):
        mask = exact_mask(gen, normalize(q), Budget(60.0)) & gen.live
        got = {ids[n] for n in mask.nonzero()[0]}
        assert got == oracle(docs, q), q


@pytest.mark.parametrize("dense", [1, 1 << 40], ids=["kept-as-sections", "kept-as-a-mask"])
def test_the_sections_a_search_takes_are_the_oracle_s_however_they_are_kept(small_parts, dense, monkeypatch) -> None:
    """What the search service takes (:meth:`Matcher.sections`, ascending, live only), with a wording's
    sections kept as arrays however many they are, and as a mask however few."""
    monkeypatch.setattr(exact, "DENSE", dense)
    svc, docs = small_parts
    gen, _ = svc.live.current()
    ids = [str(gen.stored(n)["section_id"]) for n in range(gen.n)]
    for q in _oracle_queries(docs):
        got = Matcher(gen, Budget(60.0)).sections(Phrase(normalize(q)), gen.live)
        assert (np.diff(got) > 0).all(), q
        assert {ids[n] for n in got} == oracle(docs, q), q


def _custom_doc(doc_id: str) -> Extraction:
    sections = [Section(f"{doc_id}#导言", None, "导言：统一战线是重要法宝，统一战线工作要加强。"),
                Section(f"{doc_id}#2", "一、总体要求", "做好新时代统一战线工作。"),
                Section(f"{doc_id}#附件", "附件", "统一战线工作任务分解表。")]
    return Extraction(documents=[Document(doc_id=doc_id, title="关于统一战线的说明", sections=sections)])


def test_grouped_hits_name_their_sections_as_stored_custom_ids_too(tmp_path, monkeypatch) -> None:
    """group=document lists each hit's matching sections; ids are made from the parts (``doc_id#n``, and the
    few stored differently recorded in the part) — the same as the stored records, also after merges."""
    monkeypatch.setattr(transaction, "FANOUT", 2)
    index = tmp_path / "index"
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, f in enumerate(TEXTS[:4]):
        shutil.copy(f, folder / f.name)
        import_paths([folder], index, reuse=False)
        store = open_store(index)
        try:
            with store.transaction() as tx:
                tx.write(_custom_doc(f"custom/d{i}"), f"custom/d{i}", f"h{i}", "custom")
        finally:
            store.close()
    svc = SearchService(index)
    try:
        gen, _ = svc.live.current()
        assert any(p.part.custom_ids for p in gen.parts), "custom ids are recorded in the parts"
        result = svc.search(SearchParams(q='"统一战线"', mode="exact", group="document", per_page=100))
        assert result.total_documents > 4
        stored = {}
        for n in range(gen.n):
            st = gen.stored(n)
            stored.setdefault(st["doc_id"], []).append(str(st["section_id"]))
        for hit in result.hits:
            assert hit.sections and set(hit.sections) <= set(stored[hit.doc_id]), hit.doc_id
            assert hit.section_id in hit.sections
        custom = [h for h in result.hits if h.doc_id.startswith("custom/")]
        assert custom and all(h.sections == [f"{h.doc_id}#导言", f"{h.doc_id}#2", f"{h.doc_id}#附件"] for h in custom)
    finally:
        svc.close()


@pytest.mark.parametrize("tg_min", [trigrams.TG_MIN, 1])
def test_a_section_holding_a_wording_after_one_that_runs_into_it_is_found(tmp_path, monkeypatch, tg_min) -> None:
    """"桌云跑绿" (no word: no section is known to hold it) starts at the end of the first section and again
    inside the second; only the second holds the wording's rarest gram (跑绿), so the search around it meets
    the first occurrence before its own — both sections are found."""
    monkeypatch.setattr(trigrams, "TG_MIN", tg_min)
    sections = [Section("runs/doc#1", None, "说明桌云"), Section("runs/doc#2", None, "跑绿戊己说明桌云跑绿")]
    assert _sections_holding(tmp_path, "runs/doc", sections, "桌云跑绿") == ["runs/doc#1", "runs/doc#2"]


def _sections_holding(tmp_path: Path, doc_id: str, sections: list[Section], wording: str) -> list[str]:
    """The ids of the sections where ``wording`` starts, in an index of one document of ``sections``."""
    extraction = Extraction(documents=[Document(doc_id=doc_id, title="关于说明的通知", title_derived=True,
                                                sections=sections)])
    store = open_store(tmp_path / "index", create=True, reuse=False)
    try:
        with store.transaction() as tx:
            tx.write(extraction, doc_id, "v1", "tests")
    finally:
        store.close()
    svc = SearchService(tmp_path / "index")
    try:
        gen, _ = svc.live.current()
        mask = exact_mask(gen, wording, Budget(60.0)) & gen.live
        return sorted(str(gen.stored(int(n))["section_id"]) for n in mask.nonzero()[0])
    finally:
        svc.close()


def test_a_wording_running_through_an_empty_section_into_a_known_one_is_found(tmp_path) -> None:
    """统一战线 starts at the end of the first section and runs through an empty one into the third, which
    also holds it as a jieba word (known to hold it: not verified unless an occurrence may run into it). The
    pair of characters across the empty section's break is not one of the wording's bigrams, yet the
    occurrence crosses it: the third section is verified, and the first is found."""
    sections = [Section("empty/doc#1", None, "我们要发展统一"), Section("empty/doc#2", None, ""),
                Section("empty/doc#3", None, "战线工作。统一战线是法宝。")]
    assert _sections_holding(tmp_path, "empty/doc", sections, "统一战线") == ["empty/doc#1", "empty/doc#3"]
    text = "".join(document_pieces(None, True, [(s.heading, s.text) for s in sections]))
    assert text.count("统一战线") == 2  # what the oracle sees: one occurrence starting in each


def test_titles_read_one_by_one_equal_the_scan_of_all_titles(tmp_path) -> None:
    """Ranking asks whether each candidate's title holds a term; for few candidates their titles are read one
    by one, else each part's title postings are looked up: both give what reading every title gives (one
    character, two, longer ones, whole titles, a title's last character), and neither finds a wording that
    only runs from one stored title into the next (关于第1项工作的通知 | 关于第2项…: 通知关于)."""
    from indexer.search.evaluate import Matcher

    source = tmp_path / "docs"
    source.mkdir()
    _pieces_of_the_corpus(source)
    import_paths([source], tmp_path / "index", reuse=False)
    svc = SearchService(tmp_path / "index")
    try:
        gen, _ = svc.live.current()
        titles = [normalize(str(gen.stored(int(gen.doc_first[d]))["meta"]["title"])) for d in range(gen.documents_all)]
        assert len(gen.parts) < len(titles)
        wordings = [t[i:i + k] for t in titles for i in (0, 2, len(t) - 1) for k in (1, 2, 3, 4)]
        wordings += titles[:5] + ["通知关于", "的通知关于第", "\u0001"]
        wordings += [a[-2:] + b[:2] for a, b in zip(titles, titles[1:], strict=False)]
        docs = np.arange(gen.documents_all)
        for w in dict.fromkeys(wordings):
            truth = np.array([w in t for t in titles])
            assert (Matcher(gen, Budget(60.0)).titles_hold(w, docs[::3]) == truth[::3]).all(), w
            assert (Matcher(gen, Budget(60.0)).title_docs(w) == truth).all(), w
    finally:
        svc.close()


def test_documents_found_by_title_follow_a_commit(tmp_path) -> None:
    """Documents by title are kept per generation: after a commit the new document's title is found."""
    source = tmp_path / "docs"
    source.mkdir()
    (source / "a.txt").write_text("关于统一战线工作的通知\n\n做好统一战线工作。\n", encoding="utf-8")
    import_paths([source], tmp_path / "index", reuse=False)
    svc = SearchService(tmp_path / "index")
    try:
        def titled() -> int:
            return to_json(svc.search(SearchParams(q="title:统一战线")))["total"]

        assert titled() == 1
        (source / "b.txt").write_text("关于加强统一战线宣传的意见\n\n宣传统一战线理论。\n", encoding="utf-8")
        import_paths([source], tmp_path / "index", reuse=False)
        for _ in range(100):  # the server picks the new generation up off the request path
            if titled() == 2:
                break
            time.sleep(0.05)
        assert titled() == 2
    finally:
        svc.close()


@pytest.mark.parametrize("gain", [1, 16, 1 << 40], ids=["stop-at-once", "as-shipped", "every-list"])
def test_filtering_every_candidate_by_the_other_lists_keeps_the_oracle_s_answer(small_parts, gain,
                                                                                 monkeypatch) -> None:
    """The candidates filtered however few they are (the parts here are small: as shipped, a part's few
    candidates are verified directly), by every list or stopping early: the answer is the oracle's."""
    monkeypatch.setattr(exact, "VERIFY_DIRECT", 0)
    monkeypatch.setattr(exact, "FILTER_GAIN", gain)
    svc, docs = small_parts
    gen, _ = svc.live.current()
    ids = [str(gen.stored(n)["section_id"]) for n in range(gen.n)]
    for q in _oracle_queries(docs):
        mask = exact_mask(gen, normalize(q), Budget(60.0)) & gen.live
        assert {ids[n] for n in mask.nonzero()[0]} == oracle(docs, q), q


def test_each_postings_list_is_the_one_of_the_gram_it_names(small_parts) -> None:
    """Filtering skips a list whose gram lies inside one already used: so each list must name its own gram."""
    svc, docs = small_parts
    gen, _ = svc.live.current()
    checked = 0
    for q in _oracle_queries(docs):
        wording = normalize(q)
        if len(wording) < 5:
            continue
        w = exact._Wording.of(wording)
        held = [(p, r) for p in gen.parts if (r := exact._lookup(p, "bg", w.grams)) is not None]
        for pl in exact._parts_lists(held, w):
            if pl is None:
                continue
            for _size, kind, lo, hi, gram in pl.lists:
                assert gram in wording and len(gram) == {"bg": 2, "tg": 3, "qg": 4}[kind]
                arrays = pl.p.part.arrays
                if kind == "bg":
                    key = exact.bigram_key(*gram)
                elif kind == "tg":
                    key = trigrams.trigram_key(*gram)
                else:
                    place = int(np.searchsorted(arrays["tg_keys"], np.uint64(trigrams.trigram_key(*gram[:3]))))
                    key = place << 21 | ord(gram[3])
                at = int(np.searchsorted(arrays[kind + "_keys"], np.uint64(key)))
                assert int(arrays[kind + "_keys"][at]) == key, (q, gram)
                assert (int(arrays[kind + "_offs"][at]), int(arrays[kind + "_offs"][at + 1])) == (lo, hi), (q, gram)
                checked += 1
    assert checked > 100
