"""Metadata from labelled lines and from the text: dates, source, issuer, document number, type.

Nothing is invented: a field nobody states stays None. Labelled lines (发布时间：… 来源：… 成文日期：…) give
fields directly; which of a document's dates is its own is :mod:`indexer.extract.dating`'s job.
"""

from __future__ import annotations

import re

from indexer.extract import rules
from indexer.extract.dates import parse_date
from indexer.text.normalize import simplify_phrases

__all__ = ["find_doc_number", "infer_doctype", "is_meta_line", "parse_date", "parse_meta_line"]


#: A database export's labelled header lines (北大法宝 and the like): 【发布部门】 国务院办公厅, 【发文字号】 …,
#: 【发布日期】 2019.02.14, 【法宝引证码】 CLI.2.…; the label says which field the value is.
BRACKET_LABEL = re.compile(r"^【\s*(?P<label>[^【】]{2,10}?)\s*】\s*(?P<value>.*)$")
_BRACKET_FIELDS = {"发布部门": "issuer", "制定机关": "issuer", "发文机关": "issuer", "颁布部门": "issuer",
                   "发文字号": "doc_number", "文号": "doc_number", "发布日期": "date", "公布日期": "date",
                   "颁布日期": "date", "成文日期": "written"}
_BRACKET_KNOWN = set(_BRACKET_FIELDS) | {"实施日期", "施行日期", "时效性", "效力级别", "法规类别", "法宝引证码", "标题",
                                         "失效日期", "批准日期", "引证码", "类别", "效力等级", "时效"}


#: One line of a database or crawler export's header: ``title: …``, ``url: …``, ``- publish_date: …`` (Latin keys).
_EXPORT_KEY = re.compile(r"^(?:[-*+]\s+)?(?P<key>[A-Za-z][A-Za-z0-9_]{0,30}(?: [A-Za-z0-9_]{1,20}){0,2})\s*:\s*"
                         r"(?P<value>.*)$")
#: The same header written with Chinese labels by a crawler (标题：… 来源：… URL：… 抓取时间：… 文种：…), each label
#: mapped to the Latin key it stands for. Such a block is an export's only when it also has a label no document
#: prints about itself (a URL or when it was fetched), so a page's own 来源/发布时间 lines stay the page's.
_EXPORT_CN_KEY = re.compile(r"^(?P<key>标题|题目|URL|网址|链接|来源|抓取时间|采集时间|爬取时间|文种|栏目)\s*[:：]\s*"
                            r"(?P<value>.*)$", re.IGNORECASE)
_EXPORT_CN_FIELDS = {"标题": "title", "题目": "title", "url": "url", "网址": "url", "链接": "url", "来源": "site",
                     "抓取时间": "fetched", "采集时间": "fetched", "爬取时间": "fetched", "文种": "kind",
                     "栏目": "column"}
_EXPORTER_ONLY = {"url", "fetched"}
_EXPORT_RULE = re.compile(r"^(?:-{3,}|\*{3,}|={3,}|_{3,})$")
#: A link to where an exported or republished text came from (原文链接：https://…).
SOURCE_LINK = re.compile(r"^(?:原文链接|原文地址|原文网址|原文出处|网址|链接地址)\s*[:：]\s*(?P<url>https?://\S+)\s*$")
#: The label of the title a republished text had where it first appeared (原标题：…).
ORIGINAL_TITLE = re.compile(r"^原标题\s*[:：]\s*(?P<title>\S.{3,100})$")


#: A table's note naming who produced its figures (数据来源：国家统计局): the table's, kept in its text.
DATA_SOURCE = re.compile(r"^(?:数据|资料)来源\s*[:：]\s*(?P<org>[\u4e00-\u9fff（）()、]{2,40})\s*$")
#: The labels of a metadata line (来源:… 发布时间:… 浏览:, 本稿完成日期：…). A bare 来源 (or a page's 信息来源,
#: 文章来源, 稿件来源) is where a page's text came from; 资金来源, 经费来源 are the document's own fields (a
#: project's 资金来源：市级财政专项资金 is no source of the page).
_META_LABEL = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|(?:完成|印发|签发|公布)日期|更新时间|"
                         r"(?:信息|文章|新闻|稿件|本文|转载|消息)来源|(?<![\u4e00-\u9fff])来源|作者|责任编辑|浏览次数|浏览|点击数|阅读次数)"
                         r"\s*[:：]")
_CLAUSE_MARK = re.compile(r"[。，；！？!?;]")
#: A table export's label naming what the table shows (指标：供水总量(亿立方米)): its title.
TABLE_SUBJECT = re.compile(r"^(?:指标|表名|报表名称|统计指标)\s*[:：]\s*(?P<title>\S.{1,60})$")


def table_subject(lines: list[str]) -> str | None:
    """The subject a table export names among its opening lines (指标：…), as its title."""
    for line in lines[:6]:
        m = TABLE_SUBJECT.match(line.strip())
        if m:
            return m.group("title").strip()
    return None


def data_source(lines: list[str]) -> str | None:
    """The body a table's note names as the source of its figures (数据来源：国家统计局), near its start or end."""
    for line in [*lines[:6], *lines[-6:]]:
        m = DATA_SOURCE.match(line.strip())
        if m and rules.OFFICE_NAME.match(m.group("org")):
            return m.group("org")
    return None


def export_header(lines: list[str]) -> tuple[int, dict[str, str]]:
    """(lines it takes, its fields) of an export's header at the top: at least two ``key: value`` lines with
    Latin keys, maybe under a short heading of the export's own (# 原件固化) and closed by a rule (---) or an
    empty ``content:``; (0, {}) when the text has none. The fields are the exporter's, not the document's."""
    start = 1 if len(lines) > 2 and len(lines[0].strip()) <= 20 and not _EXPORT_KEY.match(lines[0].strip()) \
        and _EXPORT_KEY.match(lines[1].strip()) else 0
    fields: dict[str, str] = {}
    end = start
    while end < min(len(lines), start + 40) and (m := _EXPORT_KEY.match(lines[end].strip())):
        key, value = m.group("key").lower(), m.group("value").strip()
        fields.setdefault(key, value)
        end += 1
        if key == "content" and not value:
            break
    if end - start < 2:
        return _chinese_export_header(lines)
    if end < len(lines) and _EXPORT_RULE.match(lines[end].strip()):
        end += 1
    return end, fields


def _chinese_export_header(lines: list[str]) -> tuple[int, dict[str, str]]:
    """:func:`export_header` for a crawler's header written with Chinese labels (标题：… URL：… 抓取时间：…) at the
    very top: two or more such lines, one of them a label only an exporter writes (URL, fetch time)."""
    fields: dict[str, str] = {}
    end = 0
    while end < min(len(lines), 20) and (m := _EXPORT_CN_KEY.match(lines[end].strip())):
        fields.setdefault(_EXPORT_CN_FIELDS[m.group("key").lower()], m.group("value").strip())
        end += 1
    if end < 2 or not _EXPORTER_ONLY & set(fields):
        return 0, {}
    if end < len(lines) and _EXPORT_RULE.match(lines[end].strip()):
        end += 1
    return end, fields


def is_meta_line(line: str) -> bool:
    """A short line made of metadata labels (来源:… 发布时间:… 浏览:, 本稿完成日期：…), or a database export's
    【label】 line."""
    s = line.strip()
    m = BRACKET_LABEL.match(s)
    if (m and m.group("label") in _BRACKET_KNOWN) or ORIGINAL_TITLE.match(s) or SOURCE_LINK.match(s):
        return True
    if len(s) > 120 or DATA_SOURCE.match(s):
        return False
    m = _META_LABEL.search(s)
    # labels open the line (a date, a site's name or a bracket may stand before them): a label after a clause
    # ends a sentence of the text (…供养的男性儿童数与供养的女性儿童数之比。（数据来源：市民政局）), and a table's
    # note naming where its figures come from, bracketed or not, is the table's
    return m is not None and not _CLAUSE_MARK.search(s[:m.start()]) and s[max(0, m.start() - 2):m.start()] not in (
        "数据", "资料")


def parse_meta_line(line: str) -> dict[str, str]:
    """Fields stated by one labelled line: date, written (成文日期), source, issuer, doc_number."""
    out: dict[str, str] = {}
    m = ORIGINAL_TITLE.match(line.strip())
    if m:
        return {"original_title": m.group("title").strip()}
    m = SOURCE_LINK.match(line.strip())
    if m:
        return {"source_url": m.group("url")}
    m = BRACKET_LABEL.match(line.strip())
    if m and m.group("label") in _BRACKET_KNOWN:
        key, value = _BRACKET_FIELDS.get(m.group("label")), m.group("value").strip()
        if key in ("date", "written"):
            value = parse_date(value) or ""
        return {key: value} if key and value else {}
    m = rules.DATE_LABEL.search(line)
    if m:
        date = parse_date(line[m.end():m.end() + 40])
        if date:
            out["date"] = date
    m = rules.WRITTEN_LABEL.search(line)
    if m:
        written = parse_date(line[m.end():m.end() + 40])
        if written:
            out["written"] = written
    m = rules.SOURCE_LABEL.search(line + " ")
    if m:
        out["source"] = m.group(1).strip("　 ,，;；")
    m = rules.ISSUER_LABEL.search(line)
    if m:
        out["issuer"] = m.group(1)
    m = rules.DOCNUM_LABEL.search(line)
    if m:
        out["doc_number"] = m.group(1)
    return out


#: An opening that says what the text is: a report presented (我代表国务院，向大会作政府工作报告), or a session's
#: resolution (第十四届全国人民代表大会第三次会议听取和审议了…决定批准…).
_SAYS_REPORT = re.compile(r"(?:作|提出)[^。！？；]{0,60}?报告|向[^。！？；]{0,30}?报告[^。！？；]{0,10}工作")
_SAYS_RESOLUTION = re.compile(r"^第[^。，！\n]{1,4}届[^。，！\n]{2,16}第[^。，！\n]{1,3}次(?:全体)?会议(?:听取|审议)")


def infer_doctype(title: str | None, lines: list[str]) -> str | None:
    """Document type from the title (the type word nearest its end), else from what the opening says the text
    is (a report presented to a congress, a session's resolution), else a speech's salutation: so a series
    (the yearly work reports, with or without their title line) gets one type."""
    if title:
        best: tuple[int, str] | None = None
        for pattern, doctype in rules.DOCTYPES:
            for m in re.finditer(pattern, title):
                if best is None or m.end() > best[0]:
                    best = (m.end(), doctype)
        if best:
            return best[1]
    opening = simplify_phrases("\n".join(lines[:4])[:600])
    if _SAYS_RESOLUTION.match(opening):
        return "决议"
    if _SAYS_REPORT.search(opening):
        return "报告"
    if lines and rules.SALUTATION.match(lines[0]):
        return "讲话"
    return None


def find_doc_number(lines: list[str]) -> str | None:
    """A document number (国发〔2019〕5号) standing on its own line near the top."""
    for line in lines[:8]:
        m = rules.doc_number_in(line)
        if m and len(line.strip()) <= len(m.group(0)) + 4:
            return m.group(0).replace(" ", "")
    return None
