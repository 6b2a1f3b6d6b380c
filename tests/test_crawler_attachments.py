"""Issue 13, crawler attachments: a local site on 127.0.0.1 whose article links attachments.

The article links a ``.txt`` attachment (no date, issuer or region of its own: it inherits the article's), an
``.html`` attachment labelled 附件 (it states its own date: kept), a ``.pdf`` (until a reader exists:
recorded as skipped "unsupported type", never requested), a ``.ceb`` (no reader planned: the same) and an
attachment on another site (not fetched). A re-crawl
asks conditionally and an unchanged attachment answers 304; a changed one is re-indexed. When a reader for
a type is in the file-type table, its attachments are fetched without any change to the crawler.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_site import HTML, Site, list_page, make_crawler, seed_page
from test_crawler_faults import hits, stored_docs

from indexer.extract import filetypes
from indexer.search.results import doc_path
from webui import create_app

ARTICLE = """<html><head><title>关于印发《常州市2021年统一战线工作要点》的通知</title></head><body>
<div class='nav'>首页 | 通知公告</div><div id='zoom'><h1>关于印发《常州市2021年统一战线工作要点》的通知</h1>
<p>发布时间：2021-03-04 来源：常州市委统战部</p>
<p>各区委统战部，市各有关单位：现将《常州市2021年统一战线工作要点》印发给你们，请结合实际认真贯彻落实。</p>
<p>要坚持以习近平新时代中国特色社会主义思想为指导，巩固和发展最广泛的爱国统一战线，为常州高质量发展凝心聚力。</p>
<p>附件：<a href="files/plan.txt">1.常州市2021年统一战线工作要点.txt</a></p>
<p>附件：<a href="files/list.html">2.名单</a></p>
<p><a href="files/notice.pdf">附件3：通知.pdf</a></p>
<p><a href="http://other.invalid/files/x.txt">附件4：外站文件.txt</a></p>
<p><a href="files/book.ceb">附件5：电子书.ceb</a></p>
<p>中共常州市委统战部</p><p>2021年3月3日</p>
</div><div class='footer'>版权所有 京ICP备000号</div></body></html>"""

PLAN = """常州市2021年统一战线工作要点

一、加强思想政治引领
深入学习贯彻习近平总书记关于加强和改进统一战线工作的重要思想，推动统一战线成员增进政治共识，{marker}。
二、做好民主党派工作
支持民主党派加强自身建设，提升参政议政水平，发挥好参谋助手作用，形成工作合力。
"""

NAMES = """<html><head><title>参加培训人员名单</title></head><body><div id='zoom'>
<p>发布时间：2020-12-01</p><p>参加2021年度党外代表人士培训班人员名单如下，请各单位通知本人按时参加培训学习。</p>
<p>张某某、李某某、王某某等同志，请于报到当日携带本人身份证件到指定地点报到并参加全部课程。</p></div></body></html>"""


@pytest.fixture
def site():
    s = Site()
    s.pages = {
        "/news/index.html": (list_page([("art1.html", "关于印发工作要点的通知"), ("art2.html", "常州统战")]), HTML),
        "/news/art1.html": (ARTICLE.encode(), HTML),
        "/news/art2.html": (seed_page("没有附件的文章"), HTML),
        "/news/files/plan.txt": (PLAN.format(marker="附件第一版措辞").encode(), "text/plain; charset=utf-8"),
        "/news/files/list.html": (NAMES.encode(), HTML),
        "/news/files/notice.pdf": (("关于统战工作的通知正文，假装这是一份PDF文件的文字。" * 5).encode(), "application/pdf"),
    }
    yield s
    s.close()


def crawl(site: Site, tmp_path: Path):
    return make_crawler(tmp_path, delay=0.02).run([site.url + "/news/index.html"])


def test_attachments_are_indexed_with_their_article_as_parent(site, tmp_path) -> None:
    summary = crawl(site, tmp_path)
    article, plan, names = (site.url + p for p in ("/news/art1.html", "/news/files/plan.txt", "/news/files/list.html"))
    assert summary.attachments == 2 and summary.new == 4, summary.lines()
    docs = stored_docs(tmp_path / "index")
    assert docs[plan]["parent"] == article and docs[names]["parent"] == article
    assert docs[article]["parent"] is None
    assert docs[plan]["date"] == docs[article]["date"] == "2021-03-04", "a file without a date takes the article's"
    assert (docs[plan]["province"], docs[plan]["city"]) == ("江苏", "常州")
    assert docs[plan]["issuer"] == docs[article]["issuer"] == "中共常州市委统战部"
    assert docs[plan]["title"] == "常州市2021年统一战线工作要点", "the link text gives the title"
    assert docs[names]["date"] == "2020-12-01", "a file that states its date keeps it"
    assert docs[plan]["fetched"] and docs[plan]["url"] == plan
    reasons = dict(summary.skipped)
    assert reasons[site.url + "/news/files/book.ceb"].startswith("unsupported type .ceb")
    assert not site.requests("/news/files/book.ceb"), "a type without a reader is not downloaded"
    if ".pdf" not in filetypes.SUFFIXES:  # until the PDF reader lands
        assert reasons[site.url + "/news/files/notice.pdf"].startswith("unsupported type .pdf")
        assert not site.requests("/news/files/notice.pdf")
    else:  # then it is fetched (and this fake PDF is refused by the reader, with its reason)
        assert site.requests("/news/files/notice.pdf")
    assert summary.limited["attachments on another site"] == 1
    assert [h["doc_id"] for h in hits(tmp_path / "index", '"附件第一版措辞"')] == [plan]
    robots = [r for r in site.log if r[1] == "/robots.txt"]
    assert len(robots) == 1, "one robots.txt for the host, attachments included"


def test_recrawl_asks_conditionally_and_reindexes_only_changed_attachments(site, tmp_path) -> None:
    crawl(site, tmp_path)
    site.log.clear()
    summary = crawl(site, tmp_path)
    plan = site.requests("/news/files/plan.txt")
    assert len(plan) == 1 and plan[0][2] and plan[0][3] == 304, "the unchanged attachment answered 304"
    assert site.requests("/news/files/list.html")[0][3] == 304
    assert summary.new == summary.updated == summary.attachments == 0
    site.log.clear()
    site.pages["/news/files/plan.txt"] = (PLAN.format(marker="附件第二版措辞").encode(), "text/plain; charset=utf-8")
    summary = crawl(site, tmp_path)
    assert summary.updated == 1 and summary.attachments == 1 and summary.new == 0
    assert site.requests("/news/files/plan.txt")[0][3] == 200
    assert hits(tmp_path / "index", '"附件第一版措辞"') == []
    found = hits(tmp_path / "index", '"附件第二版措辞"')
    assert len(found) == 1
    assert stored_docs(tmp_path / "index")[found[0]["doc_id"]]["parent"] == site.url + "/news/art1.html"


def test_a_type_gets_crawled_as_soon_as_the_file_type_table_reads_it(site, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(filetypes.SUFFIXES, ".pdf", filetypes.TEXT)  # stands in for the PDF reader
    summary = crawl(site, tmp_path)
    assert summary.attachments == 3
    assert stored_docs(tmp_path / "index")[site.url + "/news/files/notice.pdf"]["parent"] == site.url + "/news/art1.html"


def test_an_article_and_its_attachments_link_both_ways(site, tmp_path, target) -> None:
    """The article's page and ``/api/doc`` list its attachments (link order, titles from the link text); each
    attachment's page links back to the article — on both backends."""
    make_crawler(tmp_path, delay=0.02, target=target).run([site.url + "/news/index.html"])
    article, plan, names = (site.url + p for p in ("/news/art1.html", "/news/files/plan.txt", "/news/files/list.html"))
    where = {"DATABASE_URL": target} if isinstance(target, str) else {"INDEX_DIR": str(target)}
    app = create_app({**where, "TESTING": True})
    try:
        client = app.test_client()
        body = client.get("/api/doc/" + article).get_json()
        assert [a["doc_id"] for a in body["attachments"]] == [plan, names]
        assert body["attachments"][0]["title"] == "常州市2021年统一战线工作要点"
        assert body["attachments"][0]["url"] == doc_path(plan)
        page = client.get("/doc/" + article).get_data(as_text=True)
        assert page.index("常州市2021年统一战线工作要点</a>") < page.index("参加培训人员名单</a>")
        assert f'href="{doc_path(plan)}"' in page
        child = client.get("/api/doc/" + plan).get_json()
        assert child["parent"] == article and child["attachments"] == []
        back = client.get("/doc/" + plan).get_data(as_text=True)
        assert f'href="{doc_path(article)}">关于印发《常州市2021年统一战线工作要点》的通知</a>' in back
        other = client.get("/api/doc/" + site.url + "/news/art2.html").get_json()
        assert other["attachments"] == [], "an article without attachments lists none"
    finally:
        service = app.extensions.get("tzsearch")
        if service is not None:
            service.close()
