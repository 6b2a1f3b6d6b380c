"""Which province and city a document is *from*, using the real list of administrative divisions.

Data: ``data/adcodes.csv`` — 3,511 divisions with their 12-digit administrative codes (province, prefecture
and county level), taken from the MIT-licensed ``cpca`` 0.5.5 package (itself compiled from the Ministry of
Civil Affairs' 行政区划代码); licence in ``data/adcodes.LICENSE``. The code gives the hierarchy: the first two
digits name the province, the first four the prefecture-level city.

Judgement, not counting. In order:
  1. who issued it: the part of the title before 关于, the issuer, the source. A local body's name gives its
     place (山东省人民政府 → 山东); a central body (``data/central_bodies.txt``: 中共中央, 国务院, 全国人大,
     全国政协, 中央统战部, the ministries, national media such as 新华社 and 人民日报) gives province ``全国``;
  2. a place the title names as its own (山东省“十四五”科技创新规划) — not one it is addressed to or about
     (告台湾同胞书, 给北京科技大学…的回信);
  3. the text saying a central body wrote it: addressed to 各省、自治区、直辖市, 我代表国务院, 本办法由…部负责解释;
  4. the place the text's own voice points at: the issuing body's self-references (中共上海市委, 常州市委
     统战部) and, when the text speaks of 全市/我省, the places it names most;
  5. a text that speaks of 我国/全国 and of central bodies (工业和信息化部…出席, 自然科学基金委…拟资助) and not,
     or far less, of a locality of its own (全省, 我市, 市政府) is national.
Places a text merely mentions — neighbours, visits, 港澳台 work, the addressee of a letter, a wire dateline's
city (新华社北京2月23日电) — never make its region.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from indexer.extract import rules
from indexer.extract.rules import NATIONAL_BODIES
from indexer.text.namelist import NameScanner, names_regex
from indexer.text.normalize import normalize

_MUNICIPALITIES = {"11", "12", "31", "50"}
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|自治州|林区)$")
#: Short city names that are also common words or names (长治久安, 安康, 孙中山, 世界大同, 阿里巴巴).
_AMBIGUOUS_SHORT = {"长治", "安康", "中山", "大同", "吉安", "永安", "太平", "和平", "新城", "城区", "郊区", "矿区",
                    "阿里"}
#: How much of a body is read for its places: the opening says who is writing; the rest adds only cost.
BODY_CHARS = 6000
#: The issuing body's own name: 中共上海市委, 常州市委统战部 (group 1: the place).
_SELF_REFERENCE = re.compile(r"(?:中共)?([\u4e00-\u9fff]{2,8}?)(?:省|市|区|县)?委(?:统战部|统一战线工作部|书记|常委)?")
#: A self-reference's 委 stands 2 to 11 characters after its start (中共, a name of 2–8, 省/市/区/县) and its
#: suffix is at most 7 characters long (统一战线工作部).
_BEFORE_COMMITTEE, _SUFFIX = 11, 7
_COMPOUNDS = re.compile(r"港澳台侨|港澳台|港澳|台港澳|海峡两岸|两岸")


@dataclass(frozen=True)
class Place:
    """A division: its short province and city names (city None for a province; province 全国 for a
    document of a central body)."""

    province: str
    city: str | None


NATIONAL = Place("全国", None)
_NATIONAL_NAMES = {"全国", "中央", "国家", "national", "National", "全国性", "中华人民共和国", "中国"}


def _ethnic_names() -> list[str]:
    text = resources.files("indexer").joinpath("data/ethnic_groups.csv").read_text(encoding="utf-8")
    names = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return sorted({n for n in names} | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}, key=len,
                  reverse=True)


def _short_city(name: str, ethnic: list[str]) -> str:
    short = _CITY_SUFFIX.sub("", name)
    if name.endswith("自治州"):
        for e in ethnic:
            if e in short[2:]:
                short = short[:2 + short[2:].index(e)]
                break
    return short


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Name (full or short) → Place, for every unambiguous name."""
    rows = list(csv.DictReader(
        resources.files("indexer").joinpath("data/adcodes.csv").read_text(encoding="utf-8").splitlines()))
    ethnic = _ethnic_names()
    provinces = {r["adcode"][:2]: _PROVINCE_SUFFIX.sub("", r["name"]) for r in rows
                 if r["adcode"].endswith("0000000000")}
    provinces["15"] = "内蒙古"
    cities: dict[str, str] = {}
    names: dict[str, set[Place]] = {}

    def add(name: str, place: Place) -> None:
        if len(name) >= 2:
            names.setdefault(name, set()).add(place)

    for r in rows:
        code, name = r["adcode"], r["name"]
        prov = provinces.get(code[:2])
        if not prov or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        if code.endswith("0000000000"):
            city = prov if code[:2] in _MUNICIPALITIES else None
            add(name, Place(prov, city))
            add(prov, Place(prov, city))
        elif code.endswith("00000000"):
            short = _short_city(name, ethnic)
            cities[code[:4]] = short
            add(name, Place(prov, short))
            if short not in _AMBIGUOUS_SHORT:
                add(short, Place(prov, short))
    for r in rows:
        code, name = r["adcode"], r["name"]
        prov = provinces.get(code[:2])
        if not prov or code.endswith("00000000") or name in _AMBIGUOUS_SHORT or name == "市辖区":
            continue
        city = prov if code[:2] in _MUNICIPALITIES else cities.get(code[:4])
        add(name, Place(prov, city))
    return {n: next(iter(p)) for n, p in names.items() if len(p) == 1}


@functools.lru_cache(maxsize=1)
def _scanner() -> NameScanner:
    return NameScanner(gazetteer())


@functools.lru_cache(maxsize=8)
def _normalized(text: str) -> str:
    """``normalize(text)``, kept for the last few texts: a document's body is looked through for places and
    for its own committees, each normalising it (OpenCC over 6,000 characters)."""
    return normalize(text)


def places_in(text: str) -> list[Place]:
    """Every division named in ``text`` (normalised first, so traditional characters match)."""
    text = _COMPOUNDS.sub("", _normalized(text or ""))
    gaz = gazetteer()
    return [gaz[name] for _, name in _scanner().find(text)]


def _most_specific(places: list[Place]) -> Place | None:
    """The one place these mentions agree on (a city beats its own province), or None if they disagree."""
    if not places:
        return None
    provinces = Counter(p.province for p in places)
    prov, _ = provinces.most_common(1)[0]
    if len(provinces) > 1 and provinces.most_common(2)[1][1] == provinces[prov]:
        return None
    cities = Counter(p.city for p in places if p.province == prov and p.city)
    city = cities.most_common(1)[0][0] if cities else None
    return Place(prov, city)


def _self_references(text: str) -> list[Place]:
    """Places in the issuing body's own name inside the text (中共上海市委, 常州市委统战部)."""
    out: list[Place] = []
    text = _normalized(text)
    if "委" not in text:  # every self-reference ends in 委 (a committee): nothing to look for
        return out
    gaz = gazetteer()
    for m in self_reference_matches(text):
        name = m.group(1)
        if name in gaz:
            out.append(gaz[name])
    return out


def self_reference_matches(text: str) -> list[re.Match[str]]:
    """``list(_SELF_REFERENCE.finditer(text))``, the pattern tried only near each 委: its leading name makes
    ``re`` try it at every character of the text, and a text names few committees.

    ``lo`` is where the next match can start at the earliest (the end of the last one, or past a 委 that no
    match used); a match starting at ``lo`` or later uses a 委 at ``lo + 2`` or later, so with ``w`` the first
    such 委 it starts at ``w - 11`` or later. A search from there, ending past where a match starting up to
    ``w - 2`` can end (its 委 at ``w + 9`` at the latest, its suffix 7 more: ``w + 17``; the window reaches
    ``w + 18``), finds that match exactly as a search of the whole text would; a match it finds starting after
    ``w - 2`` is looked for again from the next 委 on (it may reach past the search's end)."""
    out: list[re.Match[str]] = []
    lo = 0
    while (w := text.find("委", lo + 2)) >= 0:
        m = _SELF_REFERENCE.search(text, max(lo, w - _BEFORE_COMMITTEE), w + _BEFORE_COMMITTEE + _SUFFIX)
        if m is not None and m.start() <= w - 2:
            out.append(m)
            lo = m.end()
        else:
            lo = max(lo, w - 1)
    return out


@functools.lru_cache(maxsize=1)
def _central_body_names() -> list[str]:
    text = resources.files("indexer").joinpath("data/central_bodies.txt").read_text(encoding="utf-8")
    return sorted({ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")},
                  key=len, reverse=True)


def _central_names(not_after: str = "") -> str:
    return names_regex(_central_body_names(), not_after) + r"(?!门)"


@functools.lru_cache(maxsize=1)
def _central_pattern() -> re.Pattern[str]:
    return re.compile(r"^(?:中华人民共和国)?" + _central_names())


@functools.lru_cache(maxsize=1)
def _central_mention() -> re.Pattern[str]:
    """A central body named anywhere, not as part of a local body's name (省科技厅 is not 科技部)."""
    return re.compile(_central_names(not_after="[省市县区州]"))


def is_central(label: str | None) -> bool:
    """Whether ``label`` (an issuer, source or title's issuing part) names a central body."""
    s = re.sub(r"\s+", "", normalize(label or ""))
    return bool(_central_pattern().match(s)) or bool(NATIONAL_BODIES.match(s))


def _from_label(label: str | None) -> Place | None:
    """The place a label names (a local body), or 全国 for a central body with no place in its name."""
    if not label:
        return None
    found = _most_specific(places_in(label))
    return found or (NATIONAL if is_central(label) else None)


def _title_issuer(title: str | None) -> str | None:
    """The issuing part of a title: what stands before 关于 (教育部关于…的通知 → 教育部)."""
    at = (title or "").find("关于")
    return title[:at] if title and 0 < at <= 40 else None


def _from_title(title: str | None) -> Place | None:
    """Places a title names as its own (山东省“十四五”科技创新规划), not those it addresses (告台湾同胞书) or
    is about (关于同意北京科技大学…: those count only as the text's mentions)."""
    if not title or _title_issuer(title) or title.startswith("关于"):
        return None
    mark = rules.TITLE_OBJECT_MARK.search(title)
    return _most_specific(places_in(title[:mark.start()] if mark else title))


def _not_origin(body: str) -> str:
    """``body`` without what names places that are not its origin: addressee lines, wire datelines."""
    lines = body.splitlines()
    head = [ln for ln in lines[:3] if not rules.ADDRESSEE.match(ln.strip())]
    text = "\n".join(head + lines[3:])
    return rules.WIRE_DATELINE.sub("", rules.LEAD_ADDRESS.sub("", text))


def _central_statement(body: str) -> bool:
    """The text says a central body wrote it: addressed to every province, 我代表国务院, 本办法由…部负责解释."""
    if any(rules.TO_ALL_PROVINCES.match(ln.strip()) for ln in body.splitlines()[:3]):
        return True
    if rules.CENTRAL_SELF.search(body[:2000]):
        return True
    return any(is_central(m.group("who")) and not places_in(m.group("who"))
               for m in rules.INTERPRETED_BY.finditer(body))


def _dominant_place(body: str, mentions: bool) -> Place | None:
    """The province the text's self-references (and, with ``mentions``, the places it names) point at.

    Without ``mentions`` (a text that does not speak of a locality of its own) only self-references count,
    and they must be several."""
    weights: Counter[Place] = Counter()
    if mentions:
        for p in places_in(body):
            weights[p] += 1
    for p in _self_references(body):
        weights[p] += 3
    by_province: Counter[str] = Counter()
    for p, w in weights.items():
        by_province[p.province] += w
    if not by_province:
        return None
    prov, score = by_province.most_common(1)[0]
    if score < (1 if mentions else 4) or score < 0.6 * sum(by_province.values()):
        return None
    return _most_specific([p for p, w in weights.items() for _ in range(w) if p.province == prov])


def infer_region(title: str | None, source: str | None, issuer: str | None, body: str) -> Place | None:
    """The region a document is from, or None when it cannot be told (see the module docstring)."""
    for label in (_title_issuer(title), issuer, source):
        found = _from_label(label)
        if found:
            return found
    found = _from_title(title)
    if found:
        return found
    if _central_statement(body[:BODY_CHARS]):
        return NATIONAL
    body = _not_origin(body[:BODY_CHARS])
    if title and title.startswith("关于"):
        body = title + "\n" + body
    for m in rules.INTERPRETED_BY.finditer(body):
        found = _most_specific(places_in(m.group("who")))
        if found:
            return found
    local = len(rules.LOCAL_VIEW.findall(body))
    found = _dominant_place(body, mentions=local > 0)
    if found and local and found.city != found.province and not rules.CITY_VIEW.search(body):
        return Place(found.province, None)  # a provincial text: the cities it names are not its own
    if found:
        return found
    national = len(rules.NATIONAL_VIEW.findall(body)) + len(_central_mention().findall(body))
    return NATIONAL if national >= max(2, rules.NATIONAL_OVER_LOCAL * local) else None


def normalize_region(value: str | None) -> Place | None:
    """A region as people write it (上海市, 山东省青岛市, 全国 (national), 广西壮族自治区) → Place, or None."""
    s = re.sub(r"\s*[(（][^()（）]*[)）]", "", value or "").strip()
    if not s:
        return None
    if s in _NATIONAL_NAMES:
        return NATIONAL
    gaz = gazetteer()
    if s in gaz:
        return gaz[s]
    return _most_specific(places_in(s))
