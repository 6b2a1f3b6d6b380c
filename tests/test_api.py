"""The JSON API contract, validated against its own OpenAPI description, and every error path."""

from __future__ import annotations

import jsonschema
import pytest
from conftest import BACKENDS
from web_fixtures import corpus_app

from webui import create_app
from webui.openapi import spec

SPEC = spec(100)
SEARCH_RESULT, DOCUMENT, ERROR = "SearchResult", "DocumentView", "ErrorBody"


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, corpus_index):
    """The API over the shipped corpus, on each backend (the database one through the app's pool)."""
    with corpus_app(request, request.param, corpus_index) as app:
        yield app.test_client()


def check(name: str, body) -> None:
    """Validate a response body against the component ``name`` of the served OpenAPI description."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
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
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["一线两面三结合"] * len(hit["highlights"])
    doc = client.get("/api/doc/" + hit["doc_id"]).json
    check(DOCUMENT, doc)
    assert hit["section_id"] in {s["section_id"] for s in doc["sections"]}


def test_per_page_is_capped(client) -> None:
    r = client.get("/api/search?q=统一战线&per_page=5000").json
    assert r["per_page"] == 100 and len(r["hits"]) <= 100


@pytest.mark.parametrize("query,fragment", [
    ("page=abc", "page"), ("page=0", "page"), ("per_page=-1", "per_page"), ("mode=fuzzy", "mode"),
    ("sort=random", "sort"), ("year=20x0", "year"), ("from=yesterday", "from"), ("from=2022&to=2020", "from"),
    ("q=" + "统" * 600, "too long"), ("from=2020-02-30", "real date"), ("page=", "page"), ("year=0", "year"),
    ("status=废止", "status"), ("status=现行有效", "已废止"),
    ("group=passage", "group"), ("q=" + "(" * 250 + "统战", "deep"), ("q=" + " OR ".join("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"[:100]), "terms"),
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


def test_method_not_allowed_is_json_and_says_what_is_allowed(client) -> None:
    r = client.post("/api/search")
    assert r.status_code == 405
    check(ERROR, r.json)
    assert "GET" in r.headers["Allow"]


def test_openapi_describes_the_endpoints(client) -> None:
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/api/search", "/api/doc/{doc_id}", "/api/openapi.json"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "mode", "province", "city", "year", "from", "to", "doctype", "source", "collection", "issuer",
            "docno", "status", "sort", "group", "page", "per_page", "synonyms"} == names
    # the description is generated from the result model: every field of each result class is described
    import dataclasses

    from webui.openapi import COMPONENTS

    for cls in COMPONENTS:
        described = spec["components"]["schemas"][cls.__name__]["properties"]
        assert set(described) == {f.name for f in dataclasses.fields(cls)}, cls.__name__


@pytest.mark.parametrize("where", ["folder", "unreachable database", "empty database"])
def test_no_index_is_503_not_500(tmp_path, request, where) -> None:
    config = {"folder": {"INDEX_DIR": str(tmp_path / "missing")},
              "unreachable database": {"DATABASE_URL": "postgresql://tz:secret@127.0.0.1:1/tz"}}.get(where)
    if config is None:
        config = {"DATABASE_URL": request.getfixturevalue("pg_url")}
    app = create_app({**config, "TESTING": True})
    r = app.test_client().get("/api/search?q=x")
    assert r.status_code == 503 and "secret" not in r.json["error"] and "127.0.0.1" not in r.json["error"]
    check(ERROR, r.json)
    assert app.test_client().get("/").status_code == 503


def test_bad_settings_stop_start_up_with_a_message(monkeypatch) -> None:
    from webui.settings import SettingsError

    monkeypatch.setenv("TZSEARCH_DEFAULT_PER_PAGE", "twenty")
    with pytest.raises(SettingsError, match="DEFAULT_PER_PAGE"):
        create_app()
    monkeypatch.setenv("TZSEARCH_DEFAULT_PER_PAGE", "20")
    app = create_app({"INDEX_DIR": "x"})
    assert app.config["DEFAULT_PER_PAGE"] == 20


def test_config_layers(tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "site.json"
    cfg.write_text('{"INDEX_DIR": "from-file", "SITE_NAME": "文件"}', encoding="utf-8")
    monkeypatch.setenv("TZSEARCH_CONFIG", str(cfg))
    monkeypatch.setenv("TZSEARCH_SITE_NAME", "环境")
    app = create_app({"MAX_PER_PAGE": 50})
    assert app.config["INDEX_DIR"] == "from-file" and app.config["SITE_NAME"] == "环境"
    assert app.config["MAX_PER_PAGE"] == 50
