"""Every response carries the security headers — pages, the API, downloads, feeds, static files and every kind
of error — and the pages need no inline script or style, so the Content-Security-Policy can forbid them.
(The browser tests fail on any violation Chromium reports: tests/browser_fixtures.py.) A lone surrogate in
stored text is sent as U+FFFD instead of making the page a 500."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from web_fixtures import Wrapped, wrapped_app

from webui import create_app
from webui.research_charts import SERIES
from webui.research_pages import HEAT_LEVELS
from webui.responses import HEADERS

PATHS = [
    "/", "/?q=统战", "/?q=统战&group=section", "/?page=abc", "/trend?q=统战&q=同心", "/spread?q=统战",
    "/concordance?q=统战", "/trend.csv?q=统战", "/concordance.csv?q=统战", "/reuse", "/feed.atom?q=统战",
    "/api/search?q=统战", "/api/search?page=abc", "/api/stats", "/api/openapi.json", "/api/reuse",
    "/api/first?q=统战", "/api/trend?q=统战", "/api/spread?q=统战", "/api/concordance?q=统战",
    "/api/export?q=统战&format=csv", "/api/export?q=统战&format=xlsx", "/api/export?q=统战&format=jsonl",
    "/api/export?format=pdf", "/api/doc/no/such", "/doc/no/such", "/no/such/page", "/api/no/such",
    "/static/style.css", "/static/copy.js", "/static/research.css",
]


@pytest.fixture(scope="module")
def client(corpus_index):
    return create_app({"INDEX_DIR": str(corpus_index[0]), "TESTING": True}).test_client()


def _doc_url(client) -> str:
    return client.get("/api/search?q=统战").get_json()["hits"][0]["url"]


def test_every_response_has_the_security_headers(client) -> None:
    doc = _doc_url(client)
    statuses = set()
    for path in [*PATHS, doc, doc + "?q=统战", "/api" + doc, "/api" + doc + "/reuse"]:
        with client.get(path) as r:
            statuses.add(r.status_code)
            for name, value in HEADERS.items():
                assert r.headers.get(name) == value, (path, name)
    with client.post("/api/search") as r:
        assert r.status_code == 405 and r.headers["X-Content-Type-Options"] == "nosniff"
    assert {200, 400, 404} <= statuses
    assert "frame-ancestors 'none'" in HEADERS["Content-Security-Policy"]
    assert "unsafe-inline" not in HEADERS["Content-Security-Policy"]


def test_an_internal_error_has_them_too_and_says_nothing_of_the_server(corpus_index) -> None:
    app = create_app({"INDEX_DIR": str(corpus_index[0]), "TESTING": False})

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError(f"/srv/secret/{name} is broken")

    app.extensions["tzsearch"] = Broken()
    client = app.test_client()
    for path in ("/api/search?q=统战", "/?q=统战"):
        r = client.get(path)
        assert r.status_code == 500 and r.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]
        assert "/srv/secret" not in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)


class _Inline(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, style elements and attributes, event handlers,
    javascript: addresses."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def test_the_pages_have_no_inline_script_or_style(client, research_index) -> None:
    research = create_app({"INDEX_DIR": str(research_index), "TESTING": True}).test_client()
    doc = _doc_url(client)
    pages = [(client, p) for p in PATHS if not p.startswith(("/api", "/static", "/feed")) and ".csv" not in p]
    pages += [(client, doc + "?q=统战"), (research, "/"), (research, "/trend?q=两个健康&q=同心圆&q=统战"),
              (research, "/spread?q=两个健康")]
    for c, path in pages:
        r = c.get(path)
        if not r.mimetype == "text/html":
            continue
        parser = _Inline()
        parser.feed(r.get_data(as_text=True))
        assert parser.found == [], path


def test_the_stylesheet_has_a_class_for_every_series_colour_and_shade() -> None:
    from conftest import ROOT

    css = (ROOT / "webui" / "static" / "research.css").read_text("utf-8")
    for i, (colour, _) in enumerate(SERIES):
        assert re.search(rf"\.swatch\.s{i} {{ background:{colour}; }}", css), colour
    for level in range(1, HEAT_LEVELS + 1):
        assert f"table.heat td.h{level} " in css


class _Surrogates(Wrapped):
    def search(self, params):
        result = self.real.search(params)
        for hit in result.hits:
            hit.title = "统战\ud800标题"
        return result


def test_a_lone_surrogate_in_stored_text_is_shown_as_a_replacement_character(corpus_index) -> None:
    client = wrapped_app(corpus_index[0], _Surrogates).test_client()
    api = client.get("/api/search?q=统战")
    assert api.status_code == 200 and api.get_json()["hits"][0]["title"] == "统战\ufffd标题"
    page = client.get("/?q=统战")
    assert page.status_code == 200 and "统战\ufffd标题" in page.get_data(as_text=True)


def test_no_error_names_a_path_of_the_server(tmp_path, corpus_index) -> None:
    """An index the site cannot use (another format) or cannot find: the pages and the API say why, without
    saying where the server keeps its files."""
    import shutil

    unusable = tmp_path / "srv-private-place" / "index"
    shutil.copytree(corpus_index[0], unusable)
    manifest = json.loads((unusable / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = -1
    (unusable / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for folder in (unusable, tmp_path / "srv-private-place" / "missing"):
        client = create_app({"INDEX_DIR": str(folder), "TESTING": True}).test_client()
        for path in ("/", "/?q=统战", "/api/search?q=统战", "/doc/a/b", "/trend?q=统战", "/feed.atom",
                     "/api/export?q=统战", "/reuse"):
            r = client.get(path)
            body = r.get_data(as_text=True)
            assert r.status_code == 503, (folder.name, path, r.status_code)
            assert str(tmp_path) not in body and "srv-private-place" not in body, (path, body)
