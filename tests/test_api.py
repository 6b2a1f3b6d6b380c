"""The JSON API contract, validated against its own OpenAPI description, and every error path."""

from __future__ import annotations

import jsonschema
import pytest

from webui import create_app
from webui.openapi import DOCUMENT, ERROR, SEARCH_RESULT


@pytest.fixture(scope="module")
def client(corpus_index):
    app = create_app({"INDEX_DIR": str(corpus_index[0]), "TESTING": True})
    return app.test_client()


def check(schema, body) -> None:
    jsonschema.Draft202012Validator(schema).validate(body)


@pytest.mark.parametrize("query", [
    "q=%22两个健康%22", "q=统一战线&province=上海&sort=date", "q=统一战线&mode=exact&per_page=3&page=2",
    "q=统一战线&from=2020&to=2021-06", "", "q=title:工作总结", "q=%22两个健康", "q=统一战线&year=2020",
])
def test_search_responses_match_the_spec(client, query) -> None:
    r = client.get("/api/search?" + query)
    assert r.status_code == 200
    check(SEARCH_RESULT, r.json)
    for hit in r.json["hits"]:
        assert hit["url"].startswith("/doc/") and "#s" in hit["url"]


def test_hit_url_and_doc_endpoint(client) -> None:
    hit = client.get("/api/search?q=%22一线两面三结合%22").json["hits"][0]
    page = client.get(hit["url"])
    assert page.status_code == 200 and "<mark>一线两面三结合</mark>" in page.get_data(as_text=True)
    doc = client.get("/api/doc/" + hit["doc_id"]).json
    check(DOCUMENT, doc)
    assert hit["section_id"] in {s["section_id"] for s in doc["sections"]}


def test_per_page_is_capped(client) -> None:
    r = client.get("/api/search?q=统一战线&per_page=5000").json
    assert r["per_page"] == 100 and len(r["hits"]) <= 100


@pytest.mark.parametrize("query,fragment", [
    ("page=abc", "page"), ("page=0", "page"), ("per_page=-1", "per_page"), ("mode=fuzzy", "mode"),
    ("sort=random", "sort"), ("year=20x0", "year"), ("from=yesterday", "from"), ("from=2022&to=2020", "from"),
    ("q=" + "统" * 600, "too long"),
])
def test_bad_parameters_are_400_with_one_shape(client, query, fragment) -> None:
    r = client.get("/api/search?" + query)
    assert r.status_code == 400
    check(ERROR, r.json)
    assert r.json["status"] == 400 and fragment in r.json["error"]


@pytest.mark.parametrize("path", ["/api/doc/nope", "/api/doc/../../etc/passwd", "/api/doc/%2Fetc%2Fpasswd",
                                  "/api/nothing-here", "/api/doc/" + "x" * 3000])
def test_unknown_documents_are_404(client, path) -> None:
    r = client.get(path)
    assert r.status_code == 404
    check(ERROR, r.json)


def test_method_not_allowed_is_json(client) -> None:
    r = client.post("/api/search")
    assert r.status_code == 405
    check(ERROR, r.json)


def test_openapi_describes_the_endpoints(client) -> None:
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/api/search", "/api/doc/{doc_id}", "/api/openapi.json"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "mode", "province", "city", "year", "from", "to", "doctype", "source", "sort", "page",
            "per_page"} == names
    assert spec["components"]["schemas"]["SearchResult"] == SEARCH_RESULT


def test_no_index_is_503_not_500(tmp_path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path / "missing"), "TESTING": True})
    r = app.test_client().get("/api/search?q=x")
    assert r.status_code == 503
    check(ERROR, r.json)
    assert app.test_client().get("/").status_code == 503


def test_config_layers(tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "site.json"
    cfg.write_text('{"INDEX_DIR": "from-file", "SITE_NAME": "文件"}', encoding="utf-8")
    monkeypatch.setenv("TZSEARCH_CONFIG", str(cfg))
    monkeypatch.setenv("TZSEARCH_SITE_NAME", "环境")
    app = create_app({"MAX_PER_PAGE": 50})
    assert app.config["INDEX_DIR"] == "from-file" and app.config["SITE_NAME"] == "环境"
    assert app.config["MAX_PER_PAGE"] == 50
