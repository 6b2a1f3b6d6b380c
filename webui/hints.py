"""Hints for a search that finds nothing because of how it was written, with the search that would work:

* a field the query language does not know (``发文机关:国务院``, ``publisher:…``, ``省份:上海``) — the field it
  probably means (``issuer:``, ``province:``), or the list of fields;
* a status the index does not use (``status:废止``, ``status:现行有效``) — the one it means (``status:已废止``,
  ``status:未见废止或修订``);
* a province or region written in pinyin or English (``Shandong``, ``province:Shandong``, ``province=Guangdong``)
  — its Chinese short name, which is what the index holds.

The search page lists them under "no results"; the API adds them to ``notice``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.relations.resolve import STATUS_LABELS
from indexer.search.query import FILTER_FIELDS, TEXT_FIELDS
from indexer.search.service import SearchParams

FIELDS = FILTER_FIELDS + TEXT_FIELDS
#: Field names people try → the field that holds it.
ALIASES = {
    "publisher": "issuer", "author": "issuer", "agency": "issuer", "organ": "issuer", "发文机关": "issuer",
    "机关": "issuer", "责任者": "issuer", "来源": "source", "发布": "source", "单位": "issuer", "site": "source",
    "文号": "docno", "发文字号": "docno", "number": "docno", "时效": "status", "效力": "status",
    "region": "province", "prov": "province", "省": "province", "省份": "province", "地区": "province",
    "市": "city", "城市": "city", "type": "doctype", "doc_type": "doctype", "文种": "doctype", "类型": "doctype",
    "标题": "title", "题目": "title", "headline": "title", "年": "year", "年份": "year", "date": "year",
    "dated": "year", "文献集": "collection", "集合": "collection",
}
#: Province-level units in pinyin (and a few English names) → the short Chinese name the index uses.
PLACES = {
    "beijing": "北京", "peking": "北京", "tianjin": "天津", "hebei": "河北", "shanxi": "山西", "neimenggu": "内蒙古",
    "innermongolia": "内蒙古", "liaoning": "辽宁", "jilin": "吉林", "heilongjiang": "黑龙江", "shanghai": "上海",
    "jiangsu": "江苏", "zhejiang": "浙江", "anhui": "安徽", "fujian": "福建", "jiangxi": "江西", "shandong": "山东",
    "henan": "河南", "hubei": "湖北", "hunan": "湖南", "guangdong": "广东", "guangxi": "广西", "hainan": "海南",
    "chongqing": "重庆", "sichuan": "四川", "guizhou": "贵州", "yunnan": "云南", "xizang": "西藏", "tibet": "西藏",
    "shaanxi": "陕西", "gansu": "甘肃", "qinghai": "青海", "ningxia": "宁夏", "xinjiang": "新疆", "taiwan": "台湾",
    "xianggang": "香港", "hongkong": "香港", "aomen": "澳门", "macau": "澳门", "macao": "澳门", "quanguo": "全国",
    "national": "全国", "central": "全国", "zhongyang": "全国",
}
_FIELD = re.compile(r"(?<![\w\"“])([A-Za-z_]+|[\u4e00-\u9fff]{1,4})[:：](?!//)(\S+)")
_WORD = re.compile(r"[A-Za-z][A-Za-z ]*[A-Za-z]|[A-Za-z]+")


@dataclass
class Hint:
    """What was probably meant, and the query (and filters) that say it."""

    text: str
    q: str
    province: str | None = None


#: The statuses in the order a reader looks for them, and what other words for them mean.
_STATUSES = ("已废止", "已修订", "未见废止或修订")


def _status(word: str) -> str:
    """The status a word for one means: 废止, 失效 → 已废止; 修订, 修改 → 已修订; anything else (现行有效 too) →
    未见废止或修订, since the index never says a document is in force."""
    if re.search("废|失效|停止", word):
        return "已废止"
    return "已修订" if re.search("修", word) else "未见废止或修订"


def _place(word: str) -> str | None:
    return PLACES.get(re.sub(r"[\s_-]|sheng$|shi$|province$", "", word.lower()))


def query_hints(p: SearchParams) -> list[Hint]:
    """Hints for ``p`` (its query and province filter); empty when nothing looks mistyped."""
    hints: list[Hint] = []
    q = p.q
    for m in _FIELD.finditer(q):
        name, value = m.group(1), m.group(2)
        if name in FIELDS:
            place = _place(value) if name == "province" else None
            if place:
                hints.append(Hint(f"“{value}”应写作中文简称：province:{place}",
                                  q.replace(m.group(0), f"province:{place}")))
            elif name == "status" and value not in STATUS_LABELS:
                status = _status(value)
                hints.append(Hint(f"时效只有 {'、'.join(_STATUSES)}，改用 status:{status}",
                                  q.replace(m.group(0), f"status:{status}")))
            continue
        meant = ALIASES.get(name.lower()) or ALIASES.get(name)
        if meant:
            hints.append(Hint(f"没有 {name}: 这个字段，改用 {meant}:{value}",
                              q.replace(m.group(0), f"{meant}:{value}")))
        elif name.isascii():
            hints.append(Hint(f"没有 {name}: 这个字段；可用字段：{'、'.join(f + ':' for f in FIELDS)}",
                              q.replace(m.group(0), value)))
    for m in _WORD.finditer(_FIELD.sub(" ", q)):
        place = _place(m.group(0))
        if place:
            hints.append(Hint(f"“{m.group(0)}”在文献中写作“{place}”", q.replace(m.group(0), place)))
    if p.province and _place(p.province):
        place = _place(p.province)
        hints.append(Hint(f"省份“{p.province}”应写作中文简称“{place}”", q, province=place))
    return hints
