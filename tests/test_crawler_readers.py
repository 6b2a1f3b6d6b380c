"""Issue 20, the crawler: an attachment whose reader crashes, or that would make the spreadsheet library ask for
gigabytes, is a skipped attachment with its reason and the crawl goes on and finishes; an attachment naming
people beyond U+FFFF is indexed and found; a batch the index cannot take ends the crawl with exit status 1 and
the reason (it used to say "last batch not written" and exit 0). All through a site on 127.0.0.1."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from crawl_site import HTML, Site, list_page, seed_page
from hostile_files import astral_rtf, notice_with_names, sparse_xlsx
from test_crawler_faults import hits
from test_readers_isolated import INJECT

from indexer.cli.main import main
from indexer.crawl.sink import IndexSink

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARTICLE = """<html><head><title>关于表彰2024年度统战工作先进个人的通知</title></head><body>
<div class='nav'>首页 | 通知公告</div><div id='zoom'><h1>关于表彰2024年度统战工作先进个人的通知</h1>
<p>发布时间：2024-05-06 来源：示例市委统战部</p>
<p>各区委统战部，市各有关单位：经研究决定，对在统战工作中表现突出的同志予以表彰，名单见附件。</p>
<p>希望受表彰的同志珍惜荣誉，再接再厉，为巩固和发展最广泛的爱国统一战线作出新的更大贡献。</p>
<p>附件：<a href="files/table.xlsx">1.先进个人统计表.xlsx</a></p>
<p>附件：<a href="files/sparse.xlsx">2.附表.xlsx</a></p>
<p>附件：<a href="files/names.rtf">3.表彰名单.rtf</a></p>
<p>中共示例市委统战部</p><p>2024年5月6日</p>
</div><div class='footer'>版权所有 京ICP备000号</div></body></html>"""


@pytest.fixture
def site():
    s = Site()
    s.pages = {
        "/news/index.html": (list_page([("art1.html", "关于表彰先进个人的通知"), ("art2.html", "常州统战")]), HTML),
        "/news/art1.html": (ARTICLE.encode(), HTML),
        "/news/art2.html": (seed_page("没有附件的文章措辞"), HTML),
        "/news/files/table.xlsx": (sparse_xlsx([("A1", "先进个人统计表"), ("A2", "张三 民主党派 35 岁")]), XLSX),
        "/news/files/sparse.xlsx": (sparse_xlsx([("A1", "附表"), ("XFD1048576", "x")]), XLSX),
        "/news/files/names.rtf": (astral_rtf(notice_with_names("𠀀和𪚥")), "application/rtf"),
    }
    yield s
    s.close()


def crawl(site: Site, tmp_path: Path, inject: str = "") -> tuple[int, dict, str]:
    args = ["crawl", site.url + "/news/index.html", "--index", str(tmp_path / "index"), "--state",
            str(tmp_path / "state.json"), "--delay", "0.01", "--timeout", "2", "--json"]
    proc = subprocess.run([sys.executable, "-c", INJECT, *args], cwd=ROOT, env={**os.environ, "INJECT": inject},
                          capture_output=True, text=True, timeout=180, check=False)
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.startswith("{") else {}, proc.stderr


def reasons(summary: dict) -> dict[str, str]:
    return {s["url"].rsplit("/", 1)[1]: s["reason"] for s in summary["skipped"]}


def test_an_attachment_that_crashes_its_reader_is_skipped_and_the_crawl_finishes(site, tmp_path: Path) -> None:
    code, summary, err = crawl(site, tmp_path, "abort")
    assert code == 0, err[-3000:]
    assert reasons(summary) == {"table.xlsx": "reader crashed (signal 6, SIGABRT)",
                                "sparse.xlsx": "reader crashed (signal 6, SIGABRT)"}
    assert summary["stopped"] == "done" and summary["write_error"] is None and summary["state_saved"]
    assert summary["new"] == 3 and summary["attachments"] == 1, "both articles and the RTF"
    found = hits(tmp_path / "index", '"对𠀀和𪚥"')
    assert [h["doc_id"] for h in found] == [site.url + "/news/files/names.rtf"]
    assert found[0]["title"] == "关于表彰𠀀和𪚥等同志的通知"


def test_a_workbook_asking_for_gigabytes_is_skipped_with_its_size(site, tmp_path: Path) -> None:
    code, summary, err = crawl(site, tmp_path)
    assert code == 0 and summary["attachments"] == 2, err[-3000:]
    assert list(reasons(summary)) == ["sparse.xlsx"]
    assert "spans A1:XFD1048576, 17,179,869,184 cells" in reasons(summary)["sparse.xlsx"]
    assert hits(tmp_path / "index", '"民主党派 35"')


@pytest.mark.parametrize("batch", ["1", "50"])
def test_a_batch_the_index_cannot_take_fails_the_crawl_with_the_reason(tmp_path: Path, monkeypatch, capsys,
                                                                       batch: str) -> None:
    def disk_full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(IndexSink, "_transaction", disk_full)
    site = Site()
    site.pages = {"/news/index.html": (list_page([(f"a{k}.html", f"文章{k}") for k in range(3)]), HTML)}
    site.pages.update({f"/news/a{k}.html": (seed_page(f"第{k}篇独有措辞"), HTML) for k in range(3)})
    try:
        code = crawl_in_process(site, tmp_path, batch)
    finally:
        site.close()
    out, err = capsys.readouterr()
    assert code == 1
    assert "crawl: the index did not take a batch: OSError: [Errno 28] No space left on device" in err
    summary = json.loads(out)
    assert summary["write_error"] == "OSError: [Errno 28] No space left on device" and not summary["state_saved"]


def crawl_in_process(site: Site, tmp_path: Path, batch: str) -> int:
    return main(["crawl", site.url + "/news/index.html", "--index", str(tmp_path / "index"), "--state",
                 str(tmp_path / "state.json"), "--delay", "0.01", "--timeout", "2", "--batch", batch, "--json"])
