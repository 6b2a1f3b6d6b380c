"""Which province and city a document is *from*, using the real list of administrative divisions.

Data: ``data/adcodes.csv`` — 3,511 divisions with their 12-digit administrative codes (province, prefecture
and county level), taken from the MIT-licensed ``cpca`` 0.5.5 package (itself compiled from the Ministry of
Civil Affairs' 行政区划代码); licence in ``data/adcodes.LICENSE``. The code gives the hierarchy: the first two
digits name the province, the first four the prefecture-level city.

Judgement, not counting: places named by the title, the source or the issuer decide. The body only decides
when one place dominates it, counted with extra weight for the issuing body's self-references (中共上海市委,
常州市委统战部). Places a text merely mentions — neighbours, visits, 港澳台 work — do not make its region.
National bodies (国务院, 中共中央, 新华社) have no region unless their title names one.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from indexer.extract.rules import NATIONAL_BODIES
from indexer.text.normalize import normalize

_MUNICIPALITIES = {"11", "12", "31", "50"}
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|自治州|林区)$")
#: Short city names that are also common words (长治久安, 安康, 孙中山, 世界大同).
_AMBIGUOUS_SHORT = {"长治", "安康", "中山", "大同", "吉安", "永安", "太平", "和平", "新城", "城区", "郊区", "矿区"}
#: How much of a body is read for its places: the opening says who is writing; the rest adds only cost.
BODY_CHARS = 6000
_COMPOUNDS = re.compile(r"港澳台侨|港澳台|港澳|台港澳|海峡两岸|两岸")


@dataclass(frozen=True)
class Place:
    """A division: its short province and city names (city None for a province)."""

    province: str
    city: str | None


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
def _pattern() -> re.Pattern[str]:
    names = sorted(gazetteer(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def places_in(text: str) -> list[Place]:
    """Every division named in ``text`` (normalised first, so traditional characters match)."""
    text = _COMPOUNDS.sub("", normalize(text or ""))
    gaz = gazetteer()
    return [gaz[m.group(0)] for m in _pattern().finditer(text)]


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
    out = []
    gaz = gazetteer()
    for m in re.finditer(r"(?:中共)?([\u4e00-\u9fff]{2,8}?)(?:省|市|区|县)?委(?:统战部|统一战线工作部|书记|常委)?",
                         normalize(text)):
        name = m.group(1)
        if name in gaz:
            out.append(gaz[name])
    return out


def infer_region(title: str | None, source: str | None, issuer: str | None, body: str) -> Place | None:
    """The region a document is from, or None when it cannot be told (see the module docstring)."""
    for label in (title, issuer, source):
        found = _most_specific(places_in(label or ""))
        if found:
            return found
    if any(NATIONAL_BODIES.match(x or "") for x in (issuer, source)):
        return None
    body = body[:BODY_CHARS]
    weights: Counter[Place] = Counter()
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
    if score < 4 or score < 0.6 * sum(by_province.values()):
        return None
    return _most_specific([p for p, w in weights.items() for _ in range(w) if p.province == prov])
