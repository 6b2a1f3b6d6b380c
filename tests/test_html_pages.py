"""Web pages of template families met on party and government sites, as minimal synthetic markup: each test
holds the one trait of its family that extraction once got wrong (the article's own title, date and source,
and its text without the site around it)."""

from __future__ import annotations

from indexer.document import Document
from indexer.extract.pipeline import extract_bytes

_PARAS = ("会议指出，自治区党委和政府高度重视防灾减灾和水库安全工作，先后召开多次视频调度会议进行重点部署。",
          "会议强调，水库安全事关人民生命财产安全、社会安全、国家安全，各地要切实抓好重点区域水库安全管理。",
          "会议要求，各地各部门要强化措施落实，全力以赴抓好水库防震减灾各项工作，完善应急预案并强化演练。")


def _page(body: str, head: str = "<title>水库安全管理视频调度会召开-某某自治区政务网</title>") -> Document:
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return extract_bytes(html.encode(), "p.html", kind="html").documents[0]


def _text(doc: Document) -> str:
    return "\n".join(s.text for s in doc.sections)


def test_an_article_inside_a_form_is_kept() -> None:
    # CMSs such as VSB (博达) and ASP.NET WebForms wrap the article, or the whole page, in a <form>
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    doc = _page("<div class='nav'><a href='/'>本站首页</a> <a href='/a'>时政要闻</a></div>"
                "<form name='_newscontent_fromname'><h1>水库安全管理视频调度会召开</h1>"
                f"<div>2021/07/26 18:13:09</div><div id='vsb_content_2'>{paras}</div></form>"
                "<form action='/search'><input name='q'>站内搜索</form>")
    text = _text(doc)
    assert all(p[:20] in text for p in _PARAS)
    assert "站内搜索" not in text


def test_a_bylines_unlabelled_stamp_dates_the_page() -> None:
    # the date stands unlabelled before the 来源 label, on its line or on the line above it; Xinhua's template
    # sets the year apart from the month and day (2021 09/ 07 10:54:21)
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    bylines = {
        "2021-07-06": "<div class='info'>2021年07月06日 08:37 &nbsp; 来源：天山网-新疆日报原创</div>",
        "2021-08-17": "<div class='info'>2021-08-17　|　来源： 新疆维吾尔自治区人民政府新闻办公室</div>",
        "2021-09-07": "<div class='h-info'><span class='h-time'><span class='year'><em>2021</em></span>"
                      "<div class='day'><em> 09</em>/<em> 07</em></div> <span>10:54:21</span></span>"
                      "<div><span>来源：新华网</span></div></div>",
    }
    for date, byline in bylines.items():
        doc = _page(f"<h1>水库安全管理视频调度会召开</h1>{byline}<div class='con'>{paras}"
                    "<p>2014年7月从当地一家技术学院毕业后，通过朋友介绍应聘到该企业工作。</p></div>")
        assert (doc.date, doc.date_inferred) == (date, False), byline


def test_a_title_in_a_plain_element_and_after_the_site_name_in_title() -> None:
    # no <h1> and no title <meta>: the article's title stands in a <div>, and <title> puts the site's name first
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    title = "自治区人大常委会办公厅下发通知要求 持续开展主题实践活动"
    doc = _page(f"<div class='logo'>新疆维吾尔自治区人大常委会</div><div class='article_title'>{title}</div>"
                f"<div>信息来源：新疆维吾尔自治区人大常委会 更新时间：2021-10-28</div><div>{paras}</div>",
                head=f"<title>新疆维吾尔自治区人大常委会-{title}</title>")
    assert doc.title == title


def test_a_heading_matches_a_title_joined_by_no_break_spaces() -> None:
    # <title> and <h1> both hold a no-break space; the site's name is shown in a plain <div> of the header too
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    doc = _page(f"<div class='logo'>中国共产党新闻网</div><h1>赓续红色血脉&nbsp;牢记职责使命 在新征程中砥砺奋进</h1>"
                f"<div>{paras}</div>",
                head="<title>赓续红色血脉&nbsp;牢记职责使命在新征程中砥砺奋进--新闻报道-中国共产党新闻网</title>")
    assert doc.title == "赓续红色血脉 牢记职责使命 在新征程中砥砺奋进"


def test_a_notices_attachment_links_stay_in_its_text() -> None:
    # 附件：1.<a href=….docx>name</a>: links to the notice's own files, not a list of related articles
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    files = "".join(f"<p>{'附件：' if i == 1 else ''}{i}.<a href='/file/2021090{i}.docx'>2021年{kind}项目立项名单</a></p>"
                    for i, kind in enumerate(("发展示范", "承接社会服务试点", "社会工作服务示范"), 1))
    doc = _page(f"<h1>关于发布项目立项名单的通知</h1><div class='TRS_Editor'>{paras}{files}<p>民政部办公厅</p></div>"
                "<div><p><a href='/a/1.html'>民政部召开第三次全国民政系统对口支援新疆工作推进会议</a></p>"
                "<p><a href='/a/2.html'>发挥民政优势和作用铸牢中华民族共同体意识</a></p></div>",
                head="<title>关于发布项目立项名单的通知</title>")
    text = _text(doc)
    assert "2021年发展示范项目立项名单" in text and "2021年社会工作服务示范项目立项名单" in text
    assert "对口支援新疆工作推进会议" not in text


def test_a_site_name_in_a_plain_banner_element_is_never_the_title() -> None:
    # the site's name stands in a plain <div> of the banner (not a link) and <title> joins it to the article's
    # title, which the page does not show whole: the title is <title>'s article part, not the banner's name
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    doc = _page(f"<div class='logo'>某某省人民政府办公厅</div><div>{paras}</div>",
                head="<title>关于做好两个健康相关工作的通知 - 某某省人民政府办公厅</title>")
    assert doc.title == "关于做好两个健康相关工作的通知"
    doc = _page(f"<div class='logo'>新疆维吾尔自治区人大常委会</div><div class='article_title'>自治区人大常委会办公厅"
                f"<br>下发通知部署统战工作</div><div>{paras}</div>",
                head="<title>新疆维吾尔自治区人大常委会-自治区人大常委会办公厅下发通知部署统战工作</title>")
    assert doc.title != "新疆维吾尔自治区人大常委会"
