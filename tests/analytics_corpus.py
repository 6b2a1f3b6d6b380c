"""A small corpus with planted wordings, written by the tests, for the analyses (wordings, collocates, keyness,
dispersion); :func:`texts` gives each document's normalised continuous text as the index holds it, which the
brute-force oracles of tests/test_analytics.py count from.

Filler is seeded random text over a pool of common characters broken by punctuation every few characters (so
that few wordings of 4+ characters repeat by chance) and real sentences of such reports; into it go

* ``OLD`` — used in the documents of 2013–2017 only (not new in 2018–2022);
* ``NEW`` — used in most documents of 2018–2022 and once before (rare before: new in 2018–2022);
* ``LONG`` — always whole, so its parts (e.g. ``LONG[:5]``) are never shown: it covers all their uses;
* ``PART`` — a prefix of ``LONG`` that is also used alone in other places (shown beside ``LONG``);
* ``NODE`` with ``LEFT`` just before it and ``RIGHT`` just after in most uses (collocates);
* ``SHANGHAI_ONLY`` — in 上海's documents only (keyness against the rest);
* ``TWELVE`` — a passage of 16 characters, longer than the longest wording (shown once, truncated).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from indexer.index.doctext import document_pieces
from indexer.index.importer import import_paths

OLD, NEW, LONG, PART = "旧有工作格局", "全新统战品牌", "共同富裕示范区建设方案", "共同富裕"
NODE, LEFT, RIGHT = "同心工程", "深入实施", "凝聚共识"
SHANGHAI_ONLY = "海派统战特色"
TWELVE = "坚持一张蓝图绘到底一任接着一任干"
COLLECTION = "analytics"
_POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
_SEP = "，。；、"


@dataclass(frozen=True)
class Doc:
    name: str
    title: str
    date: str
    region: str
    sections: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return f"{COLLECTION}/{self.name}"

    def text(self) -> str:
        return f"{self.title}\n\n" + "\n\n".join(self.sections)


#: Real sentences of such reports, so that a page of frequent wordings reads like one (they repeat by chance).
_SENTENCES = ("坚持大团结大联合，广泛凝聚人心。", "加强思想政治引领，筑牢共同思想政治基础。", "健全工作机制，完善协商平台。",
              "深化理论学习，提高履职能力。", "强化责任担当，推动各项任务落到实处。", "发挥统一战线法宝作用。",
              "做好新时代民族宗教工作。", "促进非公有制经济健康发展。", "加强党外代表人士队伍建设。",
              "团结引领新的社会阶层人士。", "深入开展调查研究。", "推进基层统战工作规范化建设。")


def _filler(rng: random.Random, chars: int) -> str:
    out = [rng.choice(_SENTENCES)] if rng.random() < 0.7 else []
    while sum(map(len, out)) < chars:
        out.append("".join(rng.choice(_POOL) for _ in range(rng.randint(2, 6))) + rng.choice(_SEP))
    return "".join(out)


def _doc(rng: random.Random, i: int, year: int, region: str, planted: list[str]) -> Doc:
    pieces = [_filler(rng, 30) for _ in range(len(planted) + 3)]
    for k, p in enumerate(planted):
        pieces[k + 1] = pieces[k + 1] + p + "。"
    rng.shuffle(pieces)
    half = len(pieces) // 2
    return Doc(f"d{i:03d}.txt", f"第{i + 1}号材料", f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}", region,
               ("".join(pieces[:half]), "".join(pieces[half:])))


def build_docs(seed: int = 25) -> tuple[Doc, ...]:
    rng = random.Random(seed)
    docs = []
    for i in range(40):
        year = 2013 + i % 10
        region = "上海" if i % 5 == 0 else ("全国" if i % 5 == 1 else "江苏")
        planted: list[str] = []
        if year <= 2017:
            planted += [OLD] * (1 + i % 2)
        if year >= 2018 and i % 4 != 3:
            planted.append(NEW)
        if i == 2:
            planted.append(NEW)  # once before the period: rare, not absent
        if i % 3 == 0:
            planted += [LONG] * (1 + i % 2)
        if i % 4 == 1:
            planted.append(PART + "道路")
        if i % 2 == 0:
            planted.append(LEFT + NODE + RIGHT)
        if i % 6 == 1:
            planted.append(NODE + "，" + rng.choice(_POOL) + RIGHT)
        if region == "上海":
            planted.append(SHANGHAI_ONLY)
        if i % 7 == 0:
            planted.append(TWELVE)
        docs.append(_doc(rng, i, year, region, planted))
    return tuple(docs)


DOCS = build_docs()


def build(base: Path, target: Path | str | None = None) -> Path | str:
    """Write the corpus under ``base`` and import it with its metadata into ``target`` (default ``base/index``)."""
    folder = base / COLLECTION
    folder.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, dict[str, str]] = {}
    for d in DOCS:
        (folder / d.name).write_text(d.text(), encoding="utf-8")
        overrides[d.name] = {"title": d.title, "date": d.date, "region": d.region}
    target = base / "index" if target is None else target
    import_paths([folder], target, procs=1, overrides=overrides, reuse=False)
    return target


def texts(service) -> dict[str, tuple[Doc, list[str]]]:
    """doc_id → (the document, its normalised pieces as the index holds them: joined, the continuous text)."""
    out = {}
    for d in DOCS:
        view = service.document(d.doc_id)
        assert view is not None, d.doc_id
        out[d.doc_id] = (d, document_pieces(view.title, view.title_derived,
                                            [(s.heading, s.text) for s in view.sections]))
    return out
