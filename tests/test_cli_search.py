"""`search`, `--batch` and `stats` from the command line print the API's JSON objects."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import BACKENDS, ROOT


@pytest.fixture(params=BACKENDS)
def where(request, corpus_index) -> list[str]:
    """The command-line option naming the shipped corpus's index on each backend."""
    if request.param == "postgresql":
        return ["--database", request.getfixturevalue("corpus_db")]
    return ["--index", str(corpus_index[0])]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_search_json_contract(where) -> None:
    proc = run("search", '"两个健康"', *where, "--json", "--limit", "3")
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    assert {"ok", "query", "total", "page", "per_page", "hits", "facets"} <= set(r)
    assert r["ok"] is True and r["per_page"] == 3 and len(r["hits"]) <= 3
    assert set(r["facets"]) == {"province", "city", "year", "doctype", "source", "collection", "issuer", "status"}
    for hit in r["hits"]:
        assert {"doc_id", "section_id", "title", "heading", "date", "year", "region", "source", "doctype",
                "snippet", "score"} <= set(hit)
        assert hit["highlights"] and hit["url"].startswith("/doc/")


def test_batch_keeps_order(where, tmp_path) -> None:
    queries = ['"两个健康"', "统一战线 province:上海", '"一线两面三结合"']
    batch = tmp_path / "q.txt"
    batch.write_text("\n".join(queries), encoding="utf-8")
    proc = run("search", "--batch", str(batch), *where, "--json")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["query"] for r in lines] == queries


def r_all(where) -> int:
    return json.loads(run("search", "统一战线", *where, "--json", "--group", "document").stdout)["total"]


def test_filters_from_the_command_line(where) -> None:
    proc = run("search", "统一战线", *where, "--json", "--province", "江苏", "--sort", "date")
    r = json.loads(proc.stdout)
    assert r["total"] > 0 and all(h["region"]["province"] == "江苏" for h in r["hits"])
    proc = run("search", "统一战线", *where, "--json", "--status", "未见废止或修订", "--group", "document")
    assert json.loads(proc.stdout)["total"] == r_all(where)  # the shipped corpus: nothing abolished or amended
    facet = json.loads(run("search", "", *where, "--json", "--group", "document").stdout)["facets"]["issuer"][0]
    proc = run("search", "", *where, "--json", "--issuer", facet["value"] or "unknown", "--group", "document")
    assert json.loads(proc.stdout)["total"] == facet["count"] > 0


def test_stats(where) -> None:
    r = json.loads(run("stats", *where, "--json").stdout)
    assert r["documents"] >= 6 and r["sections"] > r["documents"] and r["index_bytes"] > 0
    assert sum(b["count"] for b in r["facets"]["year"]) == r["sections"]


def test_batch_reads_one_query_per_line_whatever_characters_a_line_holds(where, tmp_path) -> None:
    """A line separator (U+2028), a next-line character or a form feed inside a query is part of it: one query
    per line of the file, one JSON object per line of the output (those characters escaped in it)."""
    queries = ['"两个健康"\u2028统一', "统一战线\x85工作", "统一\x0c战线", '"一线两面三结合"']
    batch = tmp_path / "q.txt"
    batch.write_text("\r\n".join(queries) + "\r\n", encoding="utf-8")
    proc = run("search", "--batch", str(batch), *where, "--json")
    lines = proc.stdout.splitlines()
    assert [json.loads(line)["query"] for line in lines] == queries


def test_a_batch_file_that_is_not_utf8_is_refused_with_a_reason(where, tmp_path) -> None:
    batch = tmp_path / "q.txt"
    batch.write_bytes("统一战线\n".encode("gbk"))
    proc = run("search", "--batch", str(batch), *where, "--json")
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr and "Traceback" not in proc.stderr
