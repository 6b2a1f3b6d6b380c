"""The document page of a long document: highlighting in time linear in its length, within a time budget, and
the same marks as the whole-text matching it replaces (a match may cross a section break)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from indexer.index.importer import import_paths
from indexer.search.results import DocumentView, Region, SectionView
from indexer.search.service import highlight_terms
from indexer.search.snippets import match_spans
from webui import create_app, docpage
from webui.presenters import mark

QUERY = "统 战 工 作"  # four one-character words: a match every few characters, the page's worst case
PARAGRAPH = "各级党委统战部要把统战工作作为重要任务，推进新时代统一战线工作高质量发展，工作中坚持大团结大联合。"


def long_text(chars: int) -> str:
    lines, size = ["关于统战工作的报告"], 0
    while size < chars:
        line = f"{len(lines)}. " + PARAGRAPH * 3
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def long_docs(tmp_path_factory):
    """An index of two generated documents, one four times the other (0.9 MB and 3.6 MB of UTF-8)."""
    base = tmp_path_factory.mktemp("long")
    (base / "docs").mkdir()
    for name, chars in (("short.txt", 300_000), ("long.txt", 1_200_000)):
        (base / "docs" / name).write_text(long_text(chars), encoding="utf-8")
    import_paths([base / "docs"], base / "index")
    return base / "index"


def _page(client, name: str) -> tuple[float, str]:
    start = time.perf_counter()
    r = client.get(f"/doc/docs/{name}?q={QUERY}")
    elapsed = time.perf_counter() - start
    assert r.status_code == 200
    return elapsed, r.get_data(as_text=True)


def test_the_page_of_a_long_document_takes_time_linear_in_its_length(long_docs) -> None:
    client = create_app({"INDEX_DIR": str(long_docs), "TESTING": True, "DOC_SECONDS": 1000}).test_client()
    _page(client, "short.txt")  # warm up (the segmenter, the templates)
    short, long = [], []
    for _ in range(3):  # interleaved, the best of three: a busy machine slows both alike
        t, html_short = _page(client, "short.txt")
        short.append(t)
        t, html_long = _page(client, "long.txt")
        long.append(t)
    assert "文档较长" not in html_long, "the budget is large: every match is marked"
    assert html_long.count("<mark>") > 3.9 * html_short.count("<mark>") > 100_000
    # sections × matches (the quadratic page this replaces) measured 10× here; linear is 4×
    assert min(long) <= 6 * min(short), (short, long)


def test_a_page_over_its_budget_shows_the_whole_text_and_says_how_far_it_marked(long_docs) -> None:
    client = create_app({"INDEX_DIR": str(long_docs), "TESTING": True, "DOC_SECONDS": 0.05}).test_client()
    _, full = _page(create_app({"INDEX_DIR": str(long_docs), "TESTING": True, "DOC_SECONDS": 1000}).test_client(),
                    "long.txt")
    _, html = _page(client, "long.txt")
    assert "文档较长，其余段落未标出匹配" in html
    assert html.count("<mark>") < full.count("<mark>")
    last = long_text(1_200_000).strip().rsplit("\n", 1)[1]
    assert last.split(". ")[0] + ". " in html and html.count("<p>") == full.count("<p>"), "every paragraph is shown"


# ------------------------------------------------------------------------------------------ same marks
def _reference(texts: list[str], needles: list[str], marks: list[tuple[int, int]]) -> list[list[str]]:
    """What the page showed before: matches over the joined text, every section tested against every span."""
    joined = "\n".join(texts)
    spans = sorted(match_spans(joined, needles) + marks)
    out, start = [], 0
    for text in texts:
        end = start + len(text)
        sp = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
        paragraphs, offset = [], 0
        for line in text.split("\n"):
            if line.strip():
                paragraphs.append(str(mark(line, [(a, b) for a, b in sp if a < offset + len(line) and b > offset],
                                           offset)))
            offset += len(line) + 1
        out.append(paragraphs)
        start = end + 1
    return out


def _doc(texts: list[str]) -> DocumentView:
    sections = [SectionView(section_id=f"d#{i}", heading=None, text=t) for i, t in enumerate(texts)]
    return DocumentView(doc_id="d", title="t", title_derived=False, date=None, date_precision=None, written=None,
                        year=None, region=Region(None, None), source=None, issuer=None, doc_number=None, doctype=None,
                        url=None, collection=None, parent=None, fetched=None, sources=["d"], url_page="/doc/d",
                        sections=sections)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.text(alphabet="统战工作 \n　臺灣", max_size=12), min_size=1, max_size=12),
       q=st.sampled_from(["统战", "战工", "统 战 工 作", "统战工作统战", '"统战 工作"', "台湾", "工"]),
       mode=st.sampled_from(["keyword", "exact"]), chunk=st.integers(1, 20),
       marks=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 30)), max_size=3))
def test_chunked_marks_equal_whole_text_marks(texts, q, mode, chunk, marks) -> None:
    spans = [(a, a + n) for a, n in marks]
    needles = highlight_terms(q, mode)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(docpage, "CHUNK_CHARS", chunk)  # chunks of a few characters: matches cross them
        page = docpage.document_page(_doc(texts), q, mode, marks=spans, budget_seconds=1000)
    def marked(paragraphs: list[str]) -> list[str]:  # which characters are marked (not where one mark ends,
        # nor the links to the previous and next match that follow each mark)
        nav = re.compile(r'<span class="matchanchor" id="m\d+"></span>|<a class="nextmatch"[^>]*>.</a>')
        return [nav.sub("", str(p)).replace("</mark><mark>", "") for p in paragraphs]

    assert [marked(s["paragraphs"]) for s in page["sections"]] == [marked(p) for p in _reference(texts, needles, spans)]
    assert page["matches"] == len(match_spans("\n".join(texts), needles))
    assert all(isinstance(p, Markup) for s in page["sections"] for p in s["paragraphs"])
