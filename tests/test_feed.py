"""Alerts: /feed.atom is valid Atom (parsed as a feed reader does) and gains an entry after an import."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import feedparser
from conftest import CORPUS, SEED_FILES
from web_fixtures import Wrapped, wrapped_app

from indexer.index.importer import import_paths
from webui import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
NEW = "关于开展2026年统战理论研究工作的通知\n各区县委统战部：\n为深入开展统战理论研究，现将有关事项通知如下。新增措辞订阅测试。\n示例市委统战部\n2026年7月2日\n"


def _required(body: bytes) -> None:
    """RFC 4287: a feed has id, title, updated and an author; every entry id, title, updated and a link."""
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")


def test_feed_is_valid_atom_and_gains_an_entry_after_an_import(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for key in ("000", "002"):
        shutil.copy(CORPUS / SEED_FILES[key], folder / SEED_FILES[key])
    index = tmp_path / "index"
    import_paths([folder], index, procs=1)
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    r = client.get("/feed.atom?q=统战")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/atom+xml")
    _required(r.get_data())
    feed = feedparser.parse(r.get_data())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10" and "统战" in feed.feed.title
    before = [e.id for e in feed.entries]
    assert len(before) == 3 and all(e.link.startswith("/doc/") for e in feed.entries)

    (folder / "new_notice.txt").write_text(NEW, encoding="utf-8")
    import_paths([folder], index, procs=1)
    feed = feedparser.parse(client.get("/feed.atom?q=统战").get_data())
    assert feed.bozo == 0
    assert len(feed.entries) == 4 and feed.entries[0].id not in before
    assert feed.entries[0].title == "关于开展2026年统战理论研究工作的通知"
    assert feed.entries[0].link == "/doc/docs/new_notice.txt"
    assert feed.entries[0].updated_parsed >= feed.entries[1].updated_parsed
    narrowed = feedparser.parse(client.get("/feed.atom?q=%22新增措辞订阅测试%22").get_data())
    assert [e.title for e in narrowed.entries] == ["关于开展2026年统战理论研究工作的通知"]


def test_feed_links_use_the_public_address_and_escape_everything(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "x.txt").write_text("关于<script>alert(1)</script>统战工作的通知\n统战工作要点。\n", encoding="utf-8")
    import_paths([folder], tmp_path / "index", procs=1)
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "BASE_URL": "https://tz.example.org", "TESTING": True})
    body = app.test_client().get("/feed.atom?q=统战&province=unknown").get_data()
    _required(body)
    assert b"<script>" not in body
    feed = feedparser.parse(body)
    assert feed.bozo == 0 and feed.entries[0].link == "https://tz.example.org/doc/docs/x.txt"
    assert any(link.rel == "self" and link.href.startswith("https://tz.example.org/feed.atom?") for link in feed.feed.links)


#: Characters XML 1.0 cannot hold: C0 controls (not tab or line breaks), U+FFFE/U+FFFF, a lone surrogate.
NOT_XML = "\x01\x08\x0b\x0c\x1f\ufffe\uffff"


def _well_formed(body: bytes) -> feedparser.FeedParserDict:
    _required(body)  # ElementTree parses it
    feed = feedparser.parse(body)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def test_control_characters_in_a_document_or_the_query_never_break_the_feed(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "ctl.txt").write_text(f"关于统战\x01工作\ufffe的通知\x0b\n统战{NOT_XML}工作要点。\n", encoding="utf-8")
    import_paths([folder], tmp_path / "index", procs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    feed = _well_formed(client.get("/feed.atom?q=统战").get_data())
    assert feed.entries and "统战" in feed.entries[0].title and "\x01" not in feed.entries[0].title
    for query in ("q=%01", "q=%E7%BB%9F%E6%88%98%01%0B", "q=%EF%BF%BE", "province=%01", "q=%0C&doctype=%EF%BF%BF"):
        r = client.get("/feed.atom?" + query)
        assert r.status_code == 200, query
        _well_formed(r.get_data())


class _Dirty(Wrapped):
    """The real backend, but every hit's text fields hold characters XML cannot (an index older than the
    extraction that removes them, or a backend that keeps them)."""

    def search(self, params):
        result = self.real.search(params)
        for hit in result.hits:
            hit.title = f"统战{NOT_XML}\ud800标题"
            hit.snippet = f"摘要\x00{NOT_XML}\udfff"
            hit.issuer, hit.doctype = f"机关{NOT_XML}", f"通知{NOT_XML}"
            hit.region.province = f"上海{NOT_XML}"
        return result


def test_the_feed_strips_what_xml_cannot_hold_when_it_renders(corpus_index) -> None:
    r = wrapped_app(corpus_index[0], _Dirty).test_client().get("/feed.atom?q=统战")
    assert r.status_code == 200
    feed = _well_formed(r.get_data())
    assert feed.entries and all(e.title == "统战标题" for e in feed.entries)
    assert all(e.summary.endswith("摘要") and [t.term for t in e.tags] == ["上海", "通知"] for e in feed.entries)
