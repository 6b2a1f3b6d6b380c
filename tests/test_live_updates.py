"""The running site is always current (issue 10): the real server on 127.0.0.1 while the index changes.

A copy of the shipped corpus is imported and served by ``python -m webui`` (two workers). Then, as an
operator would: a changed file is re-imported, a document is deleted (``python -m indexer delete``) and a
no-op import runs. After each command returns, the very next requests show exactly the current state — the
live sections are those an independent extraction of the current files gives, with the same text; no
replaced or deleted section is returned; the changed wording is found once. Meanwhile a client hammers
``/api/search`` and no request (its or the checks') takes longer than 0.5 s.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from index_fixtures import build_index, copy_folder
from live_server import ROOT, LiveServer, clean_env

from indexer.extract.pipeline import extract_file
from indexer.index.doctext import document_pieces

CHANGED = "changzhou_2020_tz_work_review.txt"
OLD, NEW = "特约人员工作制度化规范化建设全国领先", "特约人员工作考评机制焕然一新"
DELETED = "anonymised_county_grassroots_tz_report_speech.txt"
SLOW = 0.5  # seconds: no request may take longer
HAMMER = ["统一战线", '"两个健康"', f'"{NEW}"', f'"{OLD}"', "民营经济", "", "同心 统战", '"统战"']


def indexer(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "indexer", *args], cwd=ROOT, env=clean_env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def expected_sections(folder: Path) -> dict[str, tuple[str | None, str]]:
    """section_id → (heading, text) of every live section, from extracting the files on disk (documents
    with identical text are one: the first one stays)."""
    out: dict[str, tuple[str | None, str]] = {}
    seen: set[str] = set()
    for f in sorted(folder.glob("*.txt")):
        for doc in extract_file(f, f"{folder.name}/{f.name}").documents:
            text = "".join(document_pieces(doc.title, doc.title_derived, [(s.heading, s.text) for s in doc.sections]))
            if text not in seen:
                seen.add(text)
                out.update({s.section_id: (s.heading, s.text) for s in doc.sections})
    return out


class Client:
    """Requests to the live server; every one is timed and must answer within SLOW."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.slowest = 0.0
        self.count = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def get(self, path: str) -> dict:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", quote(path, safe="/?&=%"))
            r = conn.getresponse()
            body = r.read()
        finally:
            conn.close()
        took = time.perf_counter() - started
        with self.lock:
            self.count += 1
            self.slowest = max(self.slowest, took)
            if took > SLOW or r.status not in (200, 404):
                self.failures.append(f"{path}: {r.status} in {took:.3f} s")
        return {"status": r.status, **json.loads(body)}

    def search(self, q: str, **params: str) -> dict:
        query = "&".join(f"{k}={quote(v)}" for k, v in {"q": q, "per_page": "100", **params}.items())
        return self.get("/api/search?" + query)

    def live_sections(self) -> dict[str, tuple[str | None, str]]:
        """Every section the site serves: all hits of the empty query, read on their document pages."""
        ids: set[str] = set()
        page = 1
        while page <= 20:
            hits = self.search("", page=str(page))["hits"]
            if not hits:
                break
            ids |= {h["section_id"] for h in hits}
            page += 1
        out = {}
        for doc_id in sorted({sid.rsplit("#", 1)[0] for sid in ids}):
            doc = self.get("/api/doc/" + doc_id)
            out.update({s["section_id"]: (s["heading"], s["text"]) for s in doc["sections"]})
        assert set(out) == ids
        return out


def hammer(client: Client, stop: threading.Event, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    i = 0
    while not stop.is_set() and time.monotonic() < deadline:
        client.search(HAMMER[i % len(HAMMER)], per_page="10")
        i += 1


@pytest.fixture()
def site(tmp_path):
    folder = copy_folder(ROOT / "corpus", tmp_path / "corpus", "*.txt")
    index = build_index(folder, tmp_path / "index")
    with LiveServer(index, workers=2) as srv:
        yield srv, folder, index


def test_the_site_shows_every_change_at_once_and_never_stalls(site) -> None:
    srv, folder, index = site
    checks, background = Client(srv.port), Client(srv.port)
    assert checks.search(f'"{OLD}"')["total"] == 1 and checks.search(f'"{NEW}"')["total"] == 0
    assert checks.live_sections() == expected_sections(folder)
    stop = threading.Event()
    thread = threading.Thread(target=hammer, args=(background, stop))
    thread.start()
    try:
        # 1. a changed file, re-imported
        changed = folder / CHANGED
        changed.write_text(changed.read_text("utf-8").replace(OLD, NEW), encoding="utf-8")
        assert "1 replaced" in indexer("import", str(folder), "--index", str(index))
        assert checks.live_sections() == expected_sections(folder)
        assert checks.search(f'"{OLD}"')["total"] == 0
        new = checks.search(f'"{NEW}"')
        assert new["total"] == 1 and new["hits"][0]["doc_id"] == f"corpus/{CHANGED}" and not new.get("notice")

        # 2. a document deleted
        doc_id = f"corpus/{DELETED}"
        before = checks.get("/api/stats")["documents"]
        indexer("delete", doc_id, "--index", str(index))
        (folder / DELETED).unlink()
        assert checks.get("/api/doc/" + doc_id)["status"] == 404
        assert checks.get("/api/stats")["documents"] == before - 1
        assert checks.live_sections() == expected_sections(folder)
        assert all(h["doc_id"] != doc_id for h in checks.search("统战")["hits"])

        # 3. an import that changes nothing
        assert "0 replaced" in indexer("import", str(folder), "--index", str(index))
        assert checks.live_sections() == expected_sections(folder)
        assert checks.search(f'"{NEW}"')["total"] == 1 and checks.search(f'"{OLD}"')["total"] == 0
        assert background.count > 20  # the hammer really ran through the commits
    finally:
        stop.set()
        thread.join(30)
    print(f"{background.count} background requests, slowest {background.slowest * 1000:.0f} ms; "
          f"{checks.count} checks, slowest {checks.slowest * 1000:.0f} ms")
    assert not background.failures and not checks.failures, background.failures[:5] + checks.failures[:5]
