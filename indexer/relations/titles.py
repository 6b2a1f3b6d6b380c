"""Document titles as keys: what "the same title" means when a reference names a document, when a draft meets its
final text, and when documents form a series.

* :func:`title_key` — the normalised title (:func:`indexer.text.normalize.normalize`: NFKC, simplified, no
  white space) without book-title marks and quotes (《…》, 〈…〉, “…”), so 《关于印发〈办法〉的通知》 cited in a text
  is the document titled 关于印发《办法》的通知;
* :func:`version_key` — the title without a draft's marker (（征求意见稿）, （送审稿）, （草案）…): a draft and its
  final text share it (:func:`is_draft` says which is the draft);
* :func:`series_key` — the title without years, sessions and serial numbers (2023年政府工作报告 and
  2024年政府工作报告 share it): documents of one issuer with the same key form a series (a yearly report
  titled the same every year too).
* :func:`is_document_title` — whether a 《…》 names a document (ends with a genre word: 通知, 办法, 条例, 法…),
  not a newspaper, book or journal.
"""

from __future__ import annotations

import re

from indexer.relations.docno import hash_key
from indexer.text.normalize import normalize

_MARKS = str.maketrans("", "", "《》〈〉<>“”\"'‘’「」『』")
_EDGE = re.compile(r"^[\s,，.。:：;；、!！?？]+|[\s,，.。:：;；、!！?？]+$")
_DRAFT = re.compile(r"[(（\[［]?(?:征求意见稿|送审稿|讨论稿|草案稿|草案|征求意见)[)）\]］]?")
_NUMBERS = re.compile(r"(?:19|20)\d{2}(?:\s*[-—–~～至到]\s*(?:19|20)?\d{2,4})?\s*年?度?"
                      r"|[〇零○Ｏ一二三四五六七八九]{4}年度?"
                      r"|第[一二三四五六七八九十百零〇\d]+(?:届|次|期|批|号|轮|个)|[一二三四五六七八九十百]+五|\d+")
#: Words a document's title ends with (before any parenthesised 试行, 修订, 2021年版…).
GENRES = ("通知", "通报", "意见", "决定", "决议", "规定", "办法", "条例", "细则", "规则", "规程", "规范",
          "规划", "纲要",
          "方案", "计划", "要点", "报告", "指南", "指引", "标准", "目录", "清单", "公告", "通告", "批复", "复函", "函",
          "章程", "准则", "制度", "措施", "守则", "协定", "公约", "宣言", "白皮书", "建议", "纪要", "法", "命令", "令",
          "意见稿", "草案", "议程", "答复", "说明", "讲话", "批示", "指示", "体系", "名单")
_GENRE = re.compile(r"(?:{})(?:\s*[(（][^()（）]{{1,24}}[)）])*$".format(
    "|".join(sorted(GENRES, key=len, reverse=True))))


def clean_title(title: str | None) -> str:
    """The normalised title without marks or surrounding punctuation."""
    return _EDGE.sub("", normalize(title or "").translate(_MARKS))


def title_key(title: str | None) -> int:
    """The hashed title key (0: no title)."""
    return hash_key(clean_title(title))


def is_draft(title: str | None) -> bool:
    return bool(_DRAFT.search(title or ""))


def version_key(title: str | None) -> int:
    """The hashed title without a draft marker (0: no title)."""
    return hash_key(clean_title(_DRAFT.sub("", title or "")))


def series_key(title: str | None, issuer: str | None) -> int:
    """The hashed title without years and serial numbers, with the issuer likewise (第十四届…第三次会议 and
    第十四届…第二次会议 are one body); 0 when too little is left to tell a series from a genre word."""
    stripped = _NUMBERS.sub("", clean_title(_DRAFT.sub("", title or "")))
    if len(stripped) < 4:
        return 0
    return hash_key(f"{stripped}\t{_NUMBERS.sub('', issuer or '')}")


def is_document_title(title: str) -> bool:
    """Whether a 《…》 names a document (see the module docstring)."""
    text = title.strip()
    return 4 <= len(text) <= 120 and bool(_GENRE.search(text))
