"""Shared passages between documents: found at import, with the right spans and direction, incrementally.

The corpus is the shipped corpus/ with two plants: a paragraph of 常州's 2020 review copied into Shanghai's
2024 meeting news with the place name and two numbers changed, and a 泰州 summary written from the
anonymised template's wording. Nothing else in the five seeds shares a passage.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import numpy as np
import pytest
from conftest import CORPUS, ROOT, SEED_FILES
from reuse_fixtures import ORIGIN, PLANTED, RECEIVER, SOURCE, TEMPLATE, build_planted, doc_id

from indexer.index.importer import import_paths
from indexer.index.transaction import Transaction
from indexer.reuse import store
from indexer.reuse.fingerprints import Params
from indexer.reuse.update import update_reuse
from indexer.search.service import SearchService
from webui import create_app
from webui.openapi import spec


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """(index, folder): corpus/*.txt with the two plants, imported the way `import` does it."""
    return build_planted(tmp_path_factory.mktemp("reuse"))


@pytest.fixture(scope="module")
def svc(planted):
    service = SearchService(planted[0])
    yield service
    service.close()


def displayed(service: SearchService, name: str) -> str:
    doc = service.document(doc_id(name))
    assert doc is not None
    return "\n".join(s.text for s in doc.sections)


def test_planted_passage_is_linked_with_its_span_and_direction(svc) -> None:
    view = svc.reuse(doc_id(RECEIVER))
    assert view is not None and view.analysed
    assert [d.doc_id for d in view.shared] == [doc_id(ORIGIN)]
    other = view.shared[0]
    assert other.earlier == "other", "常州's review (2021-03-04) is older than the 2024 meeting news"
    assert len(other.spans) == 1, "a changed place name and changed numbers do not cut the passage in two"
    span = other.spans[0]
    text, origin = displayed(svc, RECEIVER), displayed(svc, ORIGIN)
    start, other_start = text.find(PLANTED), origin.find(SOURCE)
    assert start >= 0 and other_start >= 0
    assert abs(span.start - start) <= 2 and abs(span.end - (start + len(PLANTED))) <= 2
    assert abs(span.other_start - other_start) <= 2 and abs(span.other_end - (other_start + len(SOURCE))) <= 2
    assert span.text == text[span.start:span.end] and "乌鲁木齐旅港同乡社团" in span.text
    assert span.other_text == origin[span.other_start:span.other_end] and "常州旅港同乡社团" in span.other_text
    assert 0 < other.coverage < 0.2 and other.chars >= len(PLANTED) - 10
    back = svc.reuse(doc_id(ORIGIN))
    assert [d.doc_id for d in back.shared] == [doc_id(RECEIVER)] and back.shared[0].earlier == "this"


def test_unrelated_real_documents_are_not_linked(svc) -> None:
    for name in (SEED_FILES["000"], SEED_FILES["004"]):
        view = svc.reuse(doc_id(name))
        assert view is not None and view.analysed and view.shared == []
    pairs = {frozenset((p.a.doc_id, p.b.doc_id)) for p in svc.reuse_pairs(per_page=100).pairs}
    assert pairs == {frozenset((doc_id(RECEIVER), doc_id(ORIGIN))),
                     frozenset((doc_id("taizhou_2021_summary.txt"), doc_id(TEMPLATE)))}


def test_templates_are_marked_and_linked_from_what_reuses_them(svc, planted) -> None:
    for key, name in SEED_FILES.items():
        doc = svc.document(doc_id(name))
        assert doc is not None
        assert doc.template == (key in ("003", "004")), name
        assert (doc.doctype == "模板") == doc.template
    view = svc.reuse(doc_id("taizhou_2021_summary.txt"))
    assert [(d.doc_id, d.template) for d in view.shared] == [(doc_id(TEMPLATE), True)]
    client = create_app({"INDEX_DIR": str(planted[0]), "TESTING": True}).test_client()
    html = client.get("/doc/" + doc_id("taizhou_2021_summary.txt")).get_data(as_text=True)
    assert "本文使用了模板的措辞" in html and f'href="/doc/{doc_id(TEMPLATE)}"' in html
    facets = client.get("/api/search?q=统战&group=document").get_json()["facets"]["doctype"]
    assert ("模板", 2) in [(f["value"], f["count"]) for f in facets]
    page = client.get("/?q=统战&doctype=模板").get_data(as_text=True)
    assert page.count('class="badge template"') >= 2


def check(name: str, body) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec(100)["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_api_and_pages(planted) -> None:
    client = create_app({"INDEX_DIR": str(planted[0]), "TESTING": True}).test_client()
    body = client.get(f"/api/doc/{doc_id(RECEIVER)}/reuse").get_json()
    check("ReuseView", body)
    assert body["ok"] and body["doc_id"] == doc_id(RECEIVER)
    shared = body["shared"][0]
    assert {"doc_id", "title", "date", "chars", "coverage", "earlier", "spans"} <= set(shared)
    assert set(shared["spans"][0]) >= {"start", "end", "other_start", "other_end"}
    assert client.get("/api/doc/no/such/doc/reuse").status_code == 404
    pairs = client.get("/api/reuse?province=上海").get_json()
    check("ReusePairs", pairs)
    assert pairs["total"] == 1 and pairs["pairs"][0]["a"]["doc_id"] == doc_id(ORIGIN)
    assert pairs["pairs"][0]["earlier"] == "a"
    assert client.get("/api/reuse?year=1999").get_json()["total"] == 0
    assert client.get("/api/reuse?year=abc").status_code == 400
    page = client.get("/reuse").get_data(as_text=True)
    assert "措辞复用" in page and "创新举措凝心聚力" in page
    html = client.get(f"/doc/{doc_id(RECEIVER)}?reuse={doc_id(ORIGIN)}").get_data(as_text=True)
    assert "与其他文档相同的措辞" in html and "对方较早（可能的来源）" in html
    assert "<mark>乌鲁木齐</mark>" in html, "the changed place name is marked in the passage"
    assert "<mark>" + PLANTED[:20] in html.replace("</mark><mark>", ""), "the shared passage is marked in the text"


def test_cli_reuse_json(planted) -> None:
    proc = subprocess.run([sys.executable, "-m", "indexer", "reuse", "--index", str(planted[0]), "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["ok"] and out["total"] == 2
    proc = subprocess.run([sys.executable, "-m", "indexer", "reuse", doc_id(RECEIVER), "--index", str(planted[0]),
                           "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert json.loads(proc.stdout)["shared"][0]["doc_id"] == doc_id(ORIGIN)


def _pairs(index) -> dict:
    data = store.load(index)
    keys = np.asarray(data.keys)
    return {(int(keys[a]), int(keys[b])): data.pair_spans(i).tolist()
            for i, (a, b) in enumerate(zip(data.pair_a.tolist(), data.pair_b.tolist()))}


def test_incremental_equals_full_rebuild(tmp_path) -> None:
    """Documents arrive in three imports and one is deleted; after each step the reuse data equals a full
    rebuild. max_df = 3 makes fingerprints cross the rarity line both ways on this small corpus."""
    params = Params(max_df=3)
    base = (CORPUS / ORIGIN).read_text(encoding="utf-8")
    paragraphs = [p for p in base.split("\n") if len(p) > 80]
    folders = [tmp_path / f"batch{i}" for i in range(3)]
    for i, folder in enumerate(folders):
        folder.mkdir()
        for j in range(2):
            picked = paragraphs[(i + j) % len(paragraphs)], paragraphs[(i * 2 + j + 3) % len(paragraphs)]
            text = f"第{i}批第{j}号材料\n" + "\n".join(p.replace("常州", ["南通", "无锡", "苏州"][i]) for p in picked)
            (folder / f"d{j}.txt").write_text(text + f"\n本文编号{i}{j}。\n", encoding="utf-8")
    shutil.copy(CORPUS / ORIGIN, folders[0] / ORIGIN)
    index = tmp_path / "index"
    seen = []
    for step, folder in enumerate(folders):
        import_paths([folder], index, procs=1, reuse=False)
        update_reuse(index, params)
        incremental = _pairs(index)
        update_reuse(index, params, full=True)
        assert incremental == _pairs(index), f"after import {step}"
        seen.append(len(incremental))
    with Transaction(index, reuse=False) as tx:
        assert tx.delete("doc_id", f"batch0/{ORIGIN}") > 0
    update_reuse(index, params)
    incremental = _pairs(index)
    update_reuse(index, params, full=True)
    assert incremental == _pairs(index), "after a deletion"
    assert max(seen) > 0, "the batches do share passages"
