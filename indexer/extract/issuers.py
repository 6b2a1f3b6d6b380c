"""Who issued a document (its 责任者), from what the document itself says — never invented.

In order of trust, the first that speaks decides:
  1. a labelled field or the header (发文机关：…, 【发布部门】, the 红头 banner, an order's or announcement's
     head, a standard's ``…发布`` line: :mod:`indexer.extract.structure`, passed in ``stated``);
  2. the title's issuing part: ``教育部关于…的通知`` → 教育部, ``民政部对…的答复`` → 民政部; joint issuers
     (工业和信息化部 国家标准化管理委员会关于…) are joined with 、; the body a spokesperson speaks for, or that
     answers questions (外交部发言人秦刚就…答问, 外交部就…答问 → 外交部);
  3. the body a law's or regulation's 题注 names as adopting (or issuing) the text (``noted``, from
     :mod:`indexer.extract.notes`: 第七届全国人民代表大会常务委员会第十四次会议通过 → 全国人民代表大会常务委员会);
     a title that names its body (a session's 决议) speaks first;
  4. the 落款: the bodies standing above the closing date (``signers``), or a body's name alone ending a
     reply or letter;
  5. the body the text says it presents the report for: 我代表国务院，向大会作… → 国务院, 我受国务院的委托，…
     报告 → 国务院, 我代表第十四届中央委员会向大会作报告 → 中国共产党第十四届中央委员会 (so a series of work
     reports has one 责任者 whether or not a year's copy prints the premier's name under the title); not a
     greeting conveyed for a body (我代表党中央，向…表示祝贺);
  6. the author line under the title (习近平; 国家发展和改革委员会主任 何立峰 → 何立峰) or a speech's
     byline after its dated title (…的讲话（2018年2月12日）习近平);
  7. an opening whose subject is the issuing body: 第十四届全国人民代表大会第三次会议听取和审议了… →
     第十四届全国人民代表大会第三次会议; 中华人民共和国国务院向…会议提出… → 中华人民共和国国务院;
  8. a table's note naming the body that produced its figures (数据来源：国家统计局), when nothing else speaks.
Inner spaces of a letter-spaced name go (科 技 部 → 科技部). Traditional script is read as simplified.
"""

from __future__ import annotations

import re

from indexer.extract import rules
from indexer.extract.metadata import data_source
from indexer.extract.signatures import bodies
from indexer.text.normalize import simplify_phrases

_NAME = r"[\u4e00-\u9fff]{2,4}"
_SPACES = re.compile(r"\s+")
#: 教育部关于…, 民政部对…的答复, 国务院办公厅转发…
_TITLE_ISSUER = re.compile(r"^(?P<org>[\u4e00-\u9fff（）()、“”\s]{2,60}?)"
                           r"(?:关于|对(?=.{2,80}的(?:答复|复函|批复|意见))|转发|印发)")
#: A body speaking through its spokesperson or answering questions: 外交部发言人秦刚就…答问, 外交部就…答问,
#: 2005年7月12日外交部发言人刘建超在例行记者会上答记者问 (a leading date is the occasion's).
_SPOKEN_TITLE = re.compile(r"^(?:(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日)?(?P<org>[\u4e00-\u9fff、]{2,40}?)"
                           r"(?:新闻)?发言人|^(?P<org2>[\u4e00-\u9fff、]{2,40}?)就[^，。]{2,80}(?:答记者问|答问|问答|发表谈话)$")
_AUTHOR = re.compile(r"^(?:[\u4e00-\u9fff]{0,24}(?:总理|主任|部长|书记|主席|委员长|院长|局长|市长|省长|秘书长|"
                     r"总书记|理事长|会长)\s*)?(?P<name>[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3})$")
#: A speech's byline right after its dated title, or after the ※ of an excerpt: …（2018年2月12日）习近平党的十八大…
_BYLINE = re.compile(rf"^[^。！？]{{4,80}}?(?:[)）]|※)\s*(?P<name>{_NAME}?)(?=[\s　]|[^\u4e00-\u9fff]|党|同志|各位|一|"
                     rf"今天|当前|这次|在|我|今年|新年|值此|尊敬|女士|先生)")
_BODY = (r"(?:中华人民共和国国务院|国务院|中央人民政府|党中央|中共中央|中央政治局"
         r"|(?:中国共产党)?第?[一二三四五六七八九十]{0,3}届?中央委员会)")
#: The body a report is presented for, in one sentence: 我代表国务院，向大会作…报告; 我受中共中央和国务院的委托，
#: …报告 (not a greeting conveyed for a body: 我代表党中央，向…表示祝贺).
_SELF = [re.compile(rf"{lead}(?P<org>{_BODY}(?:和{_BODY})?)[^。！？；]{{0,100}}?(?:报告|提出)")
         # 我?(?:现在)?根据 spelled out, so that every branch begins with its character (re then tries the
         # pattern only where one stands, not at every position)
         for lead in (r"我(?:现在)?(?:谨)?(?:代表|受)", r"(?:我现在根据|我根据|现在根据|根据)")]
_CN = "[一二三四五六七八九十]{1,3}"
#: An opening whose subject is the issuing body: a session's resolution (第十四届全国人民代表大会第三次会议听取
#: 和审议了…) or a body presenting a report (中华人民共和国国务院向第一届全国人民代表大会第二次会议提出…).
_RESOLUTION = re.compile(rf"^(?P<org>第{_CN}届全国人民代表大会(?:常务委员会)?第{_CN}次(?:全体)?会议"
                         r"|(?:中华人民共和国)?国务院|[\u4e00-\u9fff]{2,20}(?:人民政府|委员会))(?:听取|审议|决定|通过|批准|向[^，。！]{2,40}?(?:提出|作))")
_SELF_NAMES = {"党中央": "中共中央", "中央政治局": "中共中央政治局"}
#: Common surnames: a byline is a person's name only when it starts with one.
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
                "习温朱江胡毛邓华乔")


def title_issuer(title: str | None) -> str | None:
    """The issuing part of a title (教育部关于…的通知 → 教育部), when it is a body's name."""
    m = _TITLE_ISSUER.match(title or "")
    spoken = _SPOKEN_TITLE.match(title or "")
    if not m and not spoken:
        return None
    org = bodies(m.group("org") if m else spoken.group("org") or spoken.group("org2") if spoken else "")
    names = org.split("、")
    return org if names and all(rules.OFFICE_NAME.match(n) or n.endswith("会议") for n in names) else None


def _closing_name(lines: list[str]) -> str | None:
    """A body's name alone ending a reply or letter (民政部), or in brackets ending a bulletin (（万载县统计局）),
    after a finished sentence."""
    tail = [ln.strip() for ln in lines[-3:] if ln.strip()]
    if len(tail) < 2:
        return None
    last, before = re.sub(r"^[（(](.+)[)）]$", r"\1", tail[-1]), tail[-2]  # （万载县统计局） ends a 公报
    if len(last) <= 30 and rules.OFFICE_LINE.match(last) and before[-1:] in rules.DOCUMENT_END + "！":
        return bodies(last)
    return None


def _author(lines: list[str]) -> str | None:
    """An author line among the first lines, or a byline after a dated title."""
    for line in lines[:4]:
        s = line.strip()
        m = _AUTHOR.match(s)
        if m and rules.AUTHOR_LINE.match(s) and re.sub(r"\s+", "", m.group("name"))[0] in _SURNAMES:
            return re.sub(r"\s+", "", m.group("name"))
    if lines:
        m = _BYLINE.match(rules.LEAD_ADDRESS.sub("", lines[0].strip()) if "电" in lines[0][:20] else lines[0].strip())
        if m and m.group("name")[:1] in _SURNAMES and len(m.group("name")) in (2, 3):
            return m.group("name")
    return None


def _spoken_for(text: str) -> str | None:
    """The body the text says it presents the report for (point 5 of the module docstring)."""
    m = next((m for pattern in _SELF if (m := pattern.search(text))), None)
    if not m:
        return None
    names = []
    for org in re.split(r"和(?=中共|党中央|国务院|中央)", m.group("org")):
        if org.endswith("中央委员会") and not org.startswith("中国共产党"):
            term = org.removesuffix("中央委员会").lstrip("第")
            org = f"中国共产党第{term}中央委员会" if term else "中国共产党中央委员会"
        names.append(_SELF_NAMES.get(org, org))
    return "、".join(names)


def find_issuer(title: str | None, lines: list[str], stated: str | None, signers: str | None,
                noted: str | None = None) -> str | None:
    """The issuer of a document (see the module docstring); ``stated``: from a label or the header,
    ``signers``: the bodies of the closing 落款, ``noted``: the body its 题注 names."""
    if stated:
        return bodies(stated)
    found = title_issuer(title) or noted or signers or _closing_name(lines)
    if found:
        return found
    opening = simplify_phrases("\n".join(lines[:12])[:3000])
    found = _spoken_for(opening) or _author(lines)
    if found:
        return found
    for line in opening.splitlines()[:3]:
        m = _RESOLUTION.match(line.strip())
        if m:
            return m.group("org")
    return data_source(lines)


def split_as_written(issuer: str | None, number: str | None, lines: list[str]) -> str | None:
    """Joint bodies a 落款 runs together (财政部税务总局) split where the document's own number line writes them
    apart (财政部 税务总局公告2021年第40号 → 财政部、税务总局); any other issuer as it is. Only the document's own
    spacing splits: a run of names (公安部交通管理局) may be one body."""
    if not issuer or not number or "、" in issuer:
        return issuer
    written = next((ln for ln in lines[:40] if number in _SPACES.sub("", ln)), number)
    words = written.split()
    parts: list[str] = []
    rest = issuer
    for word in words:
        if rest.startswith(word):
            parts.append(word)
            rest = rest[len(word):]
            continue
        if rest and word.startswith(rest):
            parts.append(rest)
            rest = ""
        break
    if rest or len(parts) < 2 or not all(rules.OFFICE_NAME.match(p) for p in parts):
        return issuer
    return "、".join(parts)
