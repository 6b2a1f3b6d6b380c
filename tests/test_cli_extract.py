"""The `extract` command contract: JSON shape, readable output, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import CORPUS, ROOT, SEED_FILES


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_json_contract() -> None:
    path = CORPUS / SEED_FILES["002"]
    proc = run("extract", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"documents", "removed"}
    doc = out["documents"][0]
    assert set(doc) == {"doc_id", "title", "title_derived", "title_alt", "date", "date_precision", "date_inferred",
                        "date_source", "written", "year", "region", "source", "issuer", "doc_number", "doctype", "url",
                        "template", "sections"}
    assert doc["doc_id"] == f"corpus/{path.name}", "the id import gives it, never a server path"
    assert doc["region"] == {"province": "江苏", "city": "常州"}
    assert doc["date"] == "2021-03-04" and doc["year"] == 2021
    assert all(set(s) == {"section_id", "heading", "text"} for s in doc["sections"])
    assert [s["section_id"] for s in doc["sections"]][:2] == [f"corpus/{path.name}#1", f"corpus/{path.name}#2"]
    assert all(set(r) == {"text", "reason"} for r in out["removed"])


def test_readable_output() -> None:
    proc = run("extract", str(CORPUS / SEED_FILES["001"]))
    assert proc.returncode == 0
    assert "推動上海統一戰線事業邁上更高水平" in proc.stdout and "2024-02-26" in proc.stdout


def test_unreadable_files_exit_nonzero_with_one_line(tmp_path) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 10)
    for path in (binary, tmp_path / "missing.txt", tmp_path):
        proc = run("extract", str(path), "--json")
        assert proc.returncode != 0
        assert proc.stdout == ""
        assert len(proc.stderr.strip().splitlines()) == 1


def test_hostile_html_is_text(tmp_path) -> None:
    page = tmp_path / "x.html"
    page.write_text("<html><body><div id='zoom'><p>统一战线工作会议<script>alert(1)</script>召开，"
                    "会议强调要做好新时代统战工作。</p><img src=x onerror=alert(2)>"
                    "<p><a href='javascript:alert(3)'>点击</a>促进民营经济“两个健康”。</p></div></body></html>",
                    encoding="utf-8")
    proc = run("extract", str(page), "--json")
    assert proc.returncode == 0, proc.stderr
    text = json.dumps(json.loads(proc.stdout)["documents"], ensure_ascii=False)
    assert "alert(1)" not in text and "统一战线工作会议" in text


def test_huge_and_deeply_nested_input(tmp_path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(31 * 1024 * 1024)
        fh.seek(0)
        fh.write("统一战线".encode() * 10)
    proc = run("extract", str(huge))
    assert proc.returncode != 0 and "too large" in proc.stderr
    nested = tmp_path / "nested.html"
    nested.write_text("<div>" * 5000 + "<p>统一战线工作会议在京召开，会议强调要做好新时代统战工作。</p>" + "</div>" * 5000,
                      encoding="utf-8")
    proc = run("extract", str(nested), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "统一战线工作会议在京召开" in proc.stdout


def test_nested_markup_is_read_in_linear_time() -> None:
    """10k and 100k nested divs: ten times the markup costs about ten times the time, not a hundred (a
    ratio measured in one run, in CPU time so that other work on the machine does not skew it; the absolute
    figures are for make bench)."""
    import time

    from indexer.extract.html import extract_html

    def timed(depth: int) -> float:
        markup = "<div>" * depth + "<p>统一战线工作会议在京召开。</p>" + "</div>" * depth
        started = time.process_time()
        page = extract_html(markup)
        assert page.lines == ["统一战线工作会议在京召开。"]
        return time.process_time() - started

    timed(1000)  # warm up
    small, large = timed(10_000), timed(100_000)
    assert large / small < 25, f"10k: {small:.2f}s, 100k: {large:.2f}s"


def test_file_without_extension_is_sniffed(tmp_path) -> None:
    page = tmp_path / "article"
    page.write_text("<html><head><title>关于统战工作的通知</title></head><body><div class='TRS_Editor'>"
                    "<p>各单位：为做好新时代统战工作，现将有关事项通知如下。</p></div></body></html>", encoding="utf-8")
    proc = run("extract", str(page), "--json")
    doc = __import__("json").loads(proc.stdout)["documents"][0]
    assert doc["title"] == "关于统战工作的通知" and doc["doctype"] == "通知"


def test_a_50_mb_file_is_refused_without_being_read(tmp_path, monkeypatch) -> None:
    """The size is checked before the file is opened (a large file is never read into memory)."""
    from pathlib import Path

    import pytest

    from indexer.extract.pipeline import ExtractError, read_source

    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)

    def no_reading(self, *args, **kwargs):  # any open() of the file would be a read
        raise AssertionError(f"{self.name} was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(ExtractError, match="too large"):
        read_source(big)
