"""Relations through the API on both backends, on a corpus whose relations are known (tests/relations_corpus.py):
发文字号 in every bracket style, issuers (joint, letter-spaced), references resolved by number and by title or
kept as written, 废止/修订 statements and the statuses they give (a later document never marked by an earlier
statement), "cited by" equal to a brute-force count, references to a document that is not indexed, versions,
and the graph. Responses are validated against the served OpenAPI description."""

from __future__ import annotations

from urllib.parse import quote

import jsonschema
import pytest
from conftest import BACKENDS
from relations_corpus import BY_KEY, COPY, DOCS, brute_force, build

from webui import create_app


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("relations")
    if request.param == "postgresql":
        url = build(base, request.getfixturevalue("pg_server").database())
        app = create_app({"DATABASE_URL": url, "TESTING": True})
    else:
        app = create_app({"INDEX_DIR": str(build(base)), "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/api/openapi.json").json


def ok(client, spec, url: str, schema: str):
    r = client.get(url)
    assert r.status_code == 200, (url, r.get_data(as_text=True)[:300])
    jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{schema}",
                                     "components": spec["components"]}).validate(r.json)
    return r.json


def doc(client, spec, key: str):
    return ok(client, spec, f"/api/doc/{quote(BY_KEY[key].doc_id)}", "DocumentView")


def found(client, spec, **params) -> set[str]:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
    body = ok(client, spec, f"/api/search?group=document&per_page=100&{query}", "SearchResult")
    return {next(d.key for d in DOCS if d.doc_id == h["doc_id"]) for h in body["hits"]}


@pytest.mark.parametrize("written", ["国发〔2014〕45号", "国发[2014]45号", "国发(2014)45号", "国发（2014）45号",
                                     "国发［2014］45号", "国发 【2014】 45 号", "国发〔2014〕045号"])
def test_a_number_is_found_whatever_its_brackets(client, spec, written) -> None:
    assert found(client, spec, q=f"docno:{written}") == {"GWY"}
    assert found(client, spec, docno=written) == {"GWY"}
    # typed alone into the search box: the document itself, and those that write the number in any style
    assert found(client, spec, q=written) == {"GWY", "HU15", "SU22"}


def test_every_bracket_style_of_the_corpus_is_read(client, spec) -> None:
    for d in DOCS:
        if d.docno:
            assert found(client, spec, q=f"docno:{d.docno}") == {d.key}, d.docno


def test_issuers_are_a_facet_each_of_a_joint_one_listed(client, spec) -> None:
    body = ok(client, spec, "/api/search?group=document&per_page=1", "SearchResult")
    counts = {f["value"]: f["count"] for f in body["facets"]["issuer"]}
    assert counts["科技部"] == 2 and counts["教育部"] == 1 and "科 技 部" not in counts
    assert counts["上海市民族和宗教事务局"] == 1 and counts["中共上海市委统战部"] == 4
    assert found(client, spec, issuer="科 技 部") == {"KJ", "JK"} == found(client, spec, q="issuer:科技部")
    assert found(client, spec, q="issuer:教育部 统一战线") == {"JK"}
    assert doc(client, spec, "JK")["relations"]["issuers"] == ["科技部", "教育部"]


def test_references_resolved_by_number_and_by_title_and_kept_when_not_indexed(client, spec) -> None:
    cites = doc(client, spec, "HU20")["relations"]["cites"]
    by_text = {c["text"]: c for c in cites}
    by_title = by_text["《国务院关于加强统一战线工作的意见》"]
    assert by_title["resolved"]["doc_id"] == BY_KEY["GWY"].doc_id and by_title["doc_number"] is None
    by_number = by_text["《关于印发〈上海市统一战线工作暂行办法〉的通知》（沪统发〔2015〕3号）"]
    assert by_number["resolved"]["doc_id"] == BY_KEY["HU15"].doc_id and by_number["kind"] == "abolish"
    assert by_text["《中华人民共和国宪法》"]["resolved"] is None  # kept as written
    spaced = doc(client, spec, "SU22")["relations"]["cites"][0]
    assert spaced["doc_number"] == "国发 〔2014〕 45 号" and spaced["resolved"]["doc_id"] == BY_KEY["GWY"].doc_id
    bare = [c for c in doc(client, spec, "SU21")["relations"]["cites"] if c["text"] == "苏统发(2016)8号"]
    assert bare and bare[0]["resolved"]["doc_id"] == BY_KEY["SU16"].doc_id
    missing = doc(client, spec, "XINXI")["relations"]
    assert missing["cites_total"] == 1 and missing["cites_resolved"] == 0
    assert missing["cites"][0]["title"] == "关于做好2019年统战信息工作的通知"
    basis = doc(client, spec, "SU23")["relations"]["cites"]
    assert [c["text"] for c in basis] == ["中共江苏省委办公厅关于加强新时代统战工作的通知"]


def test_an_abolition_marks_its_target_and_the_page_says_so(client, spec) -> None:
    status = doc(client, spec, "HU15")["relations"]["status"]
    assert status["status"] == "已废止" and status["by"]["doc_id"] == BY_KEY["HU20"].doc_id
    assert status["label"] == "已被《关于印发〈上海市统一战线工作办法〉的通知》废止（2020-01-01）"
    assert "同时废止" in status["sentence"] and status["date"] == "2020-01-01"
    page = client.get(f"/doc/{quote(BY_KEY['HU15'].doc_id)}").get_data(as_text=True)
    assert "已被《关于印发〈上海市统一战线工作办法〉的通知》废止（2020-01-01）" in page
    assert "《关于印发〈上海市统一战线工作暂行办法〉的通知》（沪统发〔2015〕3号）同时废止" in page
    amended = doc(client, spec, "HU20")["relations"]["status"]
    assert amended["status"] == "已修订" and amended["label"] == "已修订，见《关于修订上海市统一战线工作办法的通知》"
    plain = doc(client, spec, "GWY")["relations"]["status"]
    assert plain["status"] == "未见废止或修订" and "现行有效" not in plain["label"] and plain["by"] is None


def test_a_later_version_is_not_marked_by_an_earlier_statement(client, spec) -> None:
    old = doc(client, spec, "SU16")["relations"]["status"]
    assert old["status"] == "已废止" and old["by"]["doc_id"] == BY_KEY["SU19"].doc_id  # 2019: 不再执行
    new = doc(client, spec, "SU22")["relations"]["status"]
    assert new["status"] == "已废止" and new["by"]["doc_id"] == BY_KEY["SU24"].doc_id  # not SU19, older than it
    assert "决定废止" in new["sentence"]
    plan = doc(client, spec, "SU21")["relations"]["cites"]
    assert all(c["kind"] == "cite" for c in plan)  # 将抓紧修订《…》 is a plan, not a statement
    assert [c["resolved"]["doc_id"] for c in plan if c["title"] == "江苏省统一战线工作实施办法"] == \
        [BY_KEY["SU16"].doc_id] * 2  # in 2021 the version in force was 2016's


def test_status_is_a_facet_and_a_filter(client, spec) -> None:
    body = ok(client, spec, "/api/search?group=document&per_page=1", "SearchResult")
    counts = {f["value"]: f["count"] for f in body["facets"]["status"]}
    assert counts == {"已废止": 3, "已修订": 1, "未见废止或修订": len(DOCS) - 4}
    assert found(client, spec, status="已废止") == {"HU15", "SU16", "SU22"} == found(client, spec, q="status:已废止")
    assert found(client, spec, status="已修订") == {"HU20"}
    assert "GWY" in found(client, spec, status="未见废止或修订")


def test_cited_by_equals_a_brute_force_count(client, spec) -> None:
    views = {d.key: doc(client, spec, d.key) for d in DOCS}
    texts = {k: "\n".join(s["text"] for s in v["sections"]) for k, v in views.items()}
    pairs = brute_force(texts)
    assert ("HU15", "GWY") in pairs and ("HU20", "GWY") in pairs and ("SU22", "GWY") in pairs
    for d in DOCS:
        rel = views[d.key]["relations"]
        expected = {y for y, x in pairs if x == d.key}
        got = {next(k for k in BY_KEY if BY_KEY[k].doc_id == c["document"]["doc_id"]) for c in rel["cited_by"]}
        assert got == expected and rel["cited_by_total"] == len(expected), d.key
    copy = ok(client, spec, f"/api/doc/{quote('rel/' + COPY)}", "DocumentView")
    assert copy["relations"]["cited_by_total"] == 3  # the copy is the same document


def test_references_to_a_document_not_indexed(client, spec) -> None:
    for written in ("统办发〔2019〕12号", "统办发(2019)12号", "统办发[2019] 12号"):
        body = ok(client, spec, f"/api/references?docno={quote(written)}", "ExternalReferences")
        assert body["indexed"] == [] and body["documents"] == 2 and body["total"] == 2
        assert {m["document"]["doc_id"] for m in body["mentions"]} == {BY_KEY["XINXI"].doc_id, BY_KEY["SU21"].doc_id}
    body = ok(client, spec, f"/api/references?title={quote('《中华人民共和国宪法》')}", "ExternalReferences")
    assert body["total"] == 1 and body["mentions"][0]["text"] == "《中华人民共和国宪法》"
    body = ok(client, spec, f"/api/references?docno={quote('国发〔2014〕45号')}", "ExternalReferences")
    assert [d["doc_id"] for d in body["indexed"]] == [BY_KEY["GWY"].doc_id] and body["documents"] == 2
    for bad in ("/api/references", "/api/references?docno=%20", f"/api/references?title={'长' * 501}"):
        r = client.get(bad)
        assert r.status_code == 400 and r.json["ok"] is False


def test_versions_drafts_and_series(client, spec) -> None:
    final = doc(client, spec, "FINAL")["relations"]["versions"]
    assert [(v["relation"], v["document"]["doc_id"]) for v in final] == [("draft", BY_KEY["DRAFT"].doc_id)]
    assert final[0]["compare_url"] == f"/compare?a={quote(BY_KEY['DRAFT'].doc_id, safe='')}&b=" \
        f"{quote(BY_KEY['FINAL'].doc_id, safe='')}"
    plan = doc(client, spec, "SU21")["relations"]["versions"]
    assert [(v["relation"], v["document"]["doc_id"]) for v in plan] == [("next", BY_KEY["SU23"].doc_id)]


def test_graph_around_a_document(client, spec) -> None:
    graph = ok(client, spec, f"/api/doc/{quote(BY_KEY['GWY'].doc_id)}/graph?hops=1", "Graph")
    ids = {n["doc_id"] for n in graph["nodes"]}
    assert ids == {BY_KEY[k].doc_id for k in ("GWY", "HU15", "HU20", "SU22")}
    two = ok(client, spec, f"/api/doc/{quote(BY_KEY['GWY'].doc_id)}/graph", "Graph")
    assert BY_KEY["HU21"].doc_id in {n["doc_id"] for n in two["nodes"]}  # amends HU20, two hops away
    assert {"source": BY_KEY["HU20"].doc_id, "target": BY_KEY["HU15"].doc_id, "kind": "abolish"} in two["edges"]
    assert client.get("/api/doc/rel/none.txt/graph").status_code == 404
    assert client.get(f"/api/doc/{quote(BY_KEY['GWY'].doc_id)}/graph?hops=3").status_code == 400
    page = client.get(f"/doc/{quote(BY_KEY['GWY'].doc_id)}").get_data(as_text=True)
    assert '<svg class="relgraph"' in page and "<script>" not in page


def test_compare_two_versions(client, spec) -> None:
    url = f"/api/compare?a={quote(BY_KEY['DRAFT'].doc_id)}&b={quote(BY_KEY['FINAL'].doc_id)}"
    body = ok(client, spec, url, "Comparison")
    ops = [r["op"] for r in body["rows"]]

    def marked(row, side):
        return [(row[side][m["start"]:m["end"]], m["kind"]) for m in row[f"{side}_marks"]]

    rows = {(r["left"] or r["right"])[:2]: r for r in body["rows"]}
    assert marked(rows["二、"], "left") == [("两", "chg")] and marked(rows["二、"], "right") == [("三", "chg")]
    assert marked(rows["三、"], "left") == [] and marked(rows["三、"], "right") == [("、财政", "ins")]
    assert {"op": "inserted", "left": None, "right": "四、经费保障。所需经费列入部门预算。", "left_marks": [],
            "right_marks": [{"start": 0, "end": 18, "kind": "ins"}]} in body["rows"]
    assert rows["一、"]["op"] == "equal" and marked(rows["四、"], "left") == [("四", "chg")]
    assert body["changes"] == [i for i, op in enumerate(ops) if op != "equal"]
    s = body["summary"]  # removed: 两, 四 (→五), a digit of the date; added: the number, 三, 、财政, a section, 五, 9
    assert (s["removed"], s["added"]) == (3, 11 + 1 + 3 + 18 + 1 + 1) and s["kept"] == s["a_chars"] - 3
    page = client.get(url.replace("/api/compare", "/compare")).get_data(as_text=True)
    assert '<mark class="chg">两</mark>' in page and '<mark class="chg">三</mark>' in page and 'href="#c2"' in page
    for bad, status in (("/api/compare?a=rel/x.txt&b=rel/y.txt", 404), ("/api/compare?a=rel/x.txt", 400)):
        assert client.get(bad).status_code == status



def test_relations_survive_merges_and_deletions(tmp_path, monkeypatch) -> None:
    """One commit per file with every second commit merging segments (their relation columns combined without
    reading the texts again), then a deletion: every document's relations equal those of one import of what
    is left — and what the deleted notice abolished is now marked by the next statement."""
    from indexer.index import transaction
    from indexer.index.importer import import_paths
    from indexer.index.transaction import delete_document
    from indexer.search.backends import open_backend
    from indexer.search.results import to_json

    monkeypatch.setattr(transaction, "FANOUT", 2)
    base = tmp_path / "full"
    build(base)  # writes the files and their metadata
    folder, overrides = base / "rel", {d.name: {"title": d.title, "date": d.date, "issuer": d.issuer, "region": "",
                                                 "doc_number": d.docno or "", "override": "yes"} for d in DOCS}
    steps = tmp_path / "steps" / "rel"
    steps.mkdir(parents=True)
    index = tmp_path / "steps" / "index"
    for f in sorted(folder.glob("*.txt")):
        (steps / f.name).write_bytes(f.read_bytes())
        import_paths([steps], index, overrides=overrides)
    assert delete_document(index, BY_KEY["SU19"].doc_id) > 0
    (steps / BY_KEY["SU19"].name).unlink()
    once = tmp_path / "once" / "index"
    import_paths([steps], once, overrides=overrides)
    stepwise, single = open_backend(index), open_backend(once)
    try:
        for d in DOCS:
            if d.key != "SU19":
                a, b = stepwise.document(d.doc_id), single.document(d.doc_id)
                assert to_json(a.relations) == to_json(b.relations), d.key
        status = stepwise.document(BY_KEY["SU16"].doc_id).relations.status  # SU19 gone: SU22's 原《…》同时废止 decides
        assert status.status == "已废止" and status.by.doc_id == BY_KEY["SU22"].doc_id
        commits = len(DOCS) + 1
        assert len(stepwise.live.current()[0].manifest.segments) < commits / 2  # segments were merged
    finally:
        stepwise.close()
        single.close()


def test_a_database_from_before_relations_gets_them_on_upgrade(tmp_path, pg_server) -> None:
    """A database written before migration 0003: ``db upgrade`` adds the issuer column, reads every document's
    references from its stored text and resolves them, so it answers as one imported afresh."""
    import psycopg

    from indexer.cli.main import main
    from indexer.search.backends import open_backend
    from indexer.search.service import SearchParams

    url = build(tmp_path, pg_server.database())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM tz_schema WHERE version = 3")
        conn.execute("DROP TABLE tz_doc_status, tz_references, tz_doc_keys")
        conn.execute("ALTER TABLE tz_sections DROP COLUMN issuer")
    assert main(["db", "upgrade", "--database", url]) == 0
    backend = open_backend(url)
    try:
        status = backend.document(BY_KEY["HU15"].doc_id).relations.status
        assert status.status == "已废止" and status.by.doc_id == BY_KEY["HU20"].doc_id
        result = backend.search(SearchParams(issuer="科技部", group="document"))
        assert {h.doc_id for h in result.hits} == {BY_KEY["KJ"].doc_id, BY_KEY["JK"].doc_id}
    finally:
        backend.close()


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_a_year_before_a_title_picks_that_years_document(tmp_path, request, backend_name) -> None:
    """2022年《政府工作报告》 cites the report of 2022, not the latest one before the citing text (2023's); a
    year the index holds no such document of (2018年《政府工作报告》) leaves the reference unresolved — shown as
    written, not linked to another year's report."""
    from indexer.index.importer import import_paths

    folder = tmp_path / "gwr"
    folder.mkdir()
    docs = {"r2017.txt": ("政府工作报告", "2017-03-05", "一、过去一年工作回顾。各项工作取得新进展。"),
            "r2022.txt": ("政府工作报告", "2022-03-05", "一、2021年工作回顾。经济保持恢复发展。"),
            "r2023.txt": ("政府工作报告", "2023-03-05", "一、过去五年工作回顾。经济实力明显提升。"),
            "cite.txt": ("关于网民建言吸收情况的说明", "2023-07-15",
                         "2022年《政府工作报告》起草收到网民建言近百万条。围绕2018年《政府工作报告》工作部署开展工作。"
                         "《政府工作报告》提出的任务已经落实。")}
    overrides = {}
    for name, (title, date, body) in docs.items():
        (folder / name).write_text(f"{title}\n{body}\n国务院\n{date}\n", encoding="utf-8")
        overrides[name] = {"title": title, "date": date, "issuer": "国务院", "override": "yes"}
    target = request.getfixturevalue("pg_server").database() if backend_name == "postgresql" else tmp_path / "index"
    import_paths([folder], target, procs=1, overrides=overrides)
    app = create_app({"DATABASE_URL": target, "TESTING": True} if backend_name == "postgresql"
                     else {"INDEX_DIR": str(target), "TESTING": True})
    cites = app.test_client().get("/api/doc/gwr/cite.txt").json["relations"]["cites"]
    resolved = [(c["text"], c["resolved"]["doc_id"] if c["resolved"] else None) for c in cites]
    assert resolved == [("《政府工作报告》", "gwr/r2022.txt"), ("《政府工作报告》", None),
                        ("《政府工作报告》", "gwr/r2023.txt")]
