"""Exports: every hit of a search, parsed back from each format — exactly ``total`` rows (more than 1,000)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape

import pytest
from conftest import BACKENDS, ROOT
from web_fixtures import corpus_app

from indexer.index.importer import import_paths
from indexer.search.export import COLUMNS, csv_chunks
from webui import create_app
from webui.downloads import csv_text

SECTIONS = 1300


@pytest.fixture(scope="module")
def big_index(tmp_path_factory):
    """An index with more than 1,000 sections matching 统一战线 (a long compilation of numbered articles)."""
    base = tmp_path_factory.mktemp("export")
    folder = base / "compilation"
    folder.mkdir()
    lines = ["关于统一战线工作的长篇汇编"]
    for i in range(1, SECTIONS + 1):
        lines.append(f"第{i}条 统一战线工作要点")
        lines.append(f"各地要坚持大统战工作格局，把统一战线工作摆上重要位置，第{i}项任务按期完成，凝聚共识{i * 7}次。")
    (folder / "compilation.txt").write_text("\n".join(lines), encoding="utf-8")
    import_paths([folder], base / "index", procs=1)
    return base / "index"


@pytest.fixture(scope="module")
def client(big_index):
    return create_app({"INDEX_DIR": str(big_index), "TESTING": True}).test_client()


def _total(client, query: str) -> int:
    return client.get("/api/search?" + query).get_json()["total"]


def _check_rows(rows: list[dict], total: int) -> None:
    assert len(rows) == total > 1000
    assert len({r["section_id"] for r in rows}) == total, "every hit once"
    for r in rows[:50] + rows[-50:]:
        assert r["match"] == "统一战线"
        assert r["text"][int(r["match_start"]):int(r["match_end"])] == "统一战线"
        assert r["permalink"].startswith("/doc/compilation/") and "#s" in r["permalink"]
        assert r["citation"].endswith(".") and "[EB/OL]" in r["citation"]
        assert "province" in r and "region" not in r


def test_csv_opens_in_excel_and_has_every_hit(client) -> None:
    total = _total(client, "q=统一战线&synonyms=0")  # (with synonyms, 统战 is found and exported too)
    r = client.get("/api/export?q=统一战线&synonyms=0&format=csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["X-Total-Count"] == str(total) and r.headers["X-Export-Truncated"] == "false"
    assert "attachment" in r.headers["Content-Disposition"]
    data = r.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, or Excel garbles the Chinese"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMNS)
    _check_rows(rows, total)


def test_jsonl_has_every_hit(client) -> None:
    total = _total(client, "q=统一战线&sort=oldest&synonyms=0")
    body = client.get("/api/export?q=统一战线&sort=oldest&synonyms=0&format=jsonl").get_data(as_text=True)
    rows = [json.loads(line) for line in body.splitlines()]
    _check_rows(rows, total)


def test_xlsx_has_every_hit(client, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    total = _total(client, "q=%22统一战线%22")
    r = client.get("/api/export?q=%22统一战线%22&format=xlsx")
    assert r.status_code == 200 and "spreadsheetml" in r.headers["Content-Type"]
    path = tmp_path / "hits.xlsx"
    path.write_bytes(r.get_data())
    table = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("hits").to_python()
    header, body = table[0], table[1:]
    assert header == list(COLUMNS)
    _check_rows([dict(zip(header, (str(v) if isinstance(v, str) else v for v in row), strict=True))
                 for row in body], total)


def test_documents_grouped_and_errors(client) -> None:
    total = _total(client, "q=统一战线&group=document")
    body = client.get("/api/export?q=统一战线&group=document&format=jsonl").get_data(as_text=True)
    rows = [json.loads(line) for line in body.splitlines()]
    assert len(rows) == total and all(r["matches"] >= 1 for r in rows)
    bad = client.get("/api/export?q=统一战线&format=pdf")
    assert bad.status_code == 400 and "format" in bad.get_json()["error"]
    assert client.get("/api/export?q=统一战线&style=1987").status_code == 400


def test_download_menu_and_feed_link_on_the_search_page(client) -> None:
    """The menu exports what the page lists (documents by default, passages with group=section)."""
    html = client.get("/?q=统一战线&year=unknown").get_data(as_text=True)
    links = re.findall(r'href="(/api/export\?[^"]+)"', html)
    assert len(links) == 3
    for link, fmt in zip(links, ("csv", "xlsx", "jsonl"), strict=True):
        with client.get(unescape(link)) as r:  # closed unread, as a server closes it: the export slot is freed
            expected = _total(client, "q=统一战线&group=document&year=unknown")
            assert r.status_code == 200 and r.headers["X-Total-Count"] == str(expected) and expected > 300
        assert f"format={fmt}" in link and "year=unknown" in link
    sections = client.get("/?q=统一战线&group=section").get_data(as_text=True)
    link = unescape(re.findall(r'href="(/api/export\?[^"]+format=csv)"', sections)[0])
    with client.get(link) as r:
        assert r.headers["X-Total-Count"] == str(_total(client, "q=统一战线"))
    assert 'type="application/atom+xml"' in html and "/feed.atom?q=" in html


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_cli_writes_every_hit(big_index, client, fmt) -> None:
    proc = subprocess.run([sys.executable, "-m", "indexer", "search", "统一战线", "--index", str(big_index), "--all",
                           "--format", fmt, "--no-synonyms"], capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text))) if fmt == "csv" else [json.loads(x) for x in text.splitlines()]
    _check_rows(rows, _total(client, "q=统一战线&synonyms=0"))


def test_cells_are_never_run_as_formulas() -> None:
    record = {k: "" for k in COLUMNS} | {"title": "=HYPERLINK(\"http://x\")", "heading": "-1+1", "year": 2020}
    rows = list(csv.reader(io.StringIO("".join(csv_chunks([record])).lstrip("\ufeff"))))
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["title"].startswith("'=") and values["heading"] == "'-1+1" and values["year"] == "2020"


def test_every_csv_writes_booleans_as_the_export_does(corpus_index) -> None:
    """true/false in /api/export and in the research and analysis downloads alike (not Python's True/False)."""
    client = create_app({"INDEX_DIR": str(corpus_index[0]), "TESTING": True}).test_client()

    def column(path: str, name: str) -> set[str]:
        r = client.get(path)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
        return {row[name] for row in csv.DictReader(io.StringIO(r.get_data().decode("utf-8-sig")))}

    exported = column("/api/export?q=统战&format=csv", "title_derived")
    assert exported and exported <= {"true", "false"}
    wordings = column("/wordings.csv?q=统战", "truncated")
    assert wordings and wordings <= {"true", "false"}
    assert csv_text([("a", "甲"), ("b", "乙"), ("c", "丙"), ("d", "丁")], [[True, False, None, "=1"]]) \
        == "a,b,c,d\r\ntrue,false,,'=1\r\n"


@pytest.fixture(params=BACKENDS)
def corpus_client(request, corpus_index):
    """The site over the shipped corpus, on each backend."""
    with corpus_app(request, request.param, corpus_index) as app:
        yield app.test_client()


@pytest.mark.parametrize("group", ["section", "document"])
def test_a_ranked_export_has_every_hit_in_the_search_order(corpus_client, group) -> None:
    """Best first (keyword search, sorted by relevance): the export is the search's hits, in its order."""
    query = f"q=统一战线 民营经济&group={group}"
    r = corpus_client.get(f"/api/export?{query}&format=jsonl")
    assert r.status_code == 200, r.get_data(as_text=True)
    rows = [json.loads(line) for line in r.get_data(as_text=True).splitlines()]
    search = corpus_client.get(f"/api/search?{query}&per_page=100").get_json()
    assert len(rows) == search["total"] > 5
    assert [row["section_id"] for row in rows[:len(search["hits"])]] == [h["section_id"] for h in search["hits"]]


def test_a_hit_matched_in_a_title_shows_that_title(tmp_path, target) -> None:
    """A wording found only in a document's stated title, or in its title in another language (a metadata file's
    title_alt), is part of the first section's text: the hit's snippet is that title with the match marked, and
    the export row's match is the wording — not a passage without it and an empty match."""
    folder = tmp_path / "titled"
    folder.mkdir()
    (folder / "alt.txt").write_text("青岛市人工智能产业园专项资金管理实施细则\n第一条 为加快产业园建设，制定本细则。\n",
                                    encoding="utf-8")
    (folder / "stated.txt").write_text("第一条 为加快产业园建设，提高专项资金使用效益，制定本细则。\n", encoding="utf-8")
    overrides = {"alt.txt": {"title": "Implementation Rules of the Qingdao AI Industrial Park"},  # → title_alt
                 "stated.txt": {"title": "同心圆产业园专项资金管理办法", "override": "yes"}}
    import_paths([folder], target, procs=1, overrides=overrides)
    client = create_app({"DATABASE_URL": target, "TESTING": True} if isinstance(target, str)
                        else {"INDEX_DIR": str(target), "TESTING": True}).test_client()
    for q, doc, marked in (("ai", "titled/alt.txt", "AI"), ("同心圆", "titled/stated.txt", "同心圆")):
        (hit,) = client.get(f"/api/search?q={q}&mode=exact").json["hits"]
        assert hit["doc_id"] == doc and [hit["snippet"][s:e] for s, e in hit["highlights"]] == [marked], q
        (row,) = [json.loads(line) for line in client.get(f"/api/export?q={q}&mode=exact&format=jsonl").data.splitlines()]
        assert row["match"] == marked, q
