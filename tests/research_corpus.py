"""A small corpus with known dates and regions, written by the tests, for the research views (first use,
trend, spread, concordance) and their pages.

Hand-written documents cover the edge cases (a year-only date in the same year as fully dated ones, a
month-only date, undated documents, a document of unknown region, two uses in one section, traditional
script); generated ones spread two wordings over provinces and years so that the charts have something to
show. Dates, regions and titles are given as supplied metadata (with ``override``: they win over inference), so every expected
figure is known; :func:`oracle` recomputes them by brute force from the documents as the index stores them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from indexer.index.doctext import document_pieces
from indexer.index.importer import import_paths
from indexer.text.normalize import normalize

A, B = "两个健康", "同心圆"
COLLECTION = "research"
_FILLER = ("坚持大团结大联合，广泛凝聚人心。", "加强思想政治引领，筑牢共同思想政治基础。", "健全工作机制，完善协商平台。",
           "深化理论学习，提高履职能力。", "强化责任担当，推动各项任务落到实处。")
_USE = {A: "促进非公有制经济“两个健康”。", B: "画出最大同心圆。"}
_HEADINGS = ("一、工作回顾", "二、主要做法", "三、下一步打算")
_PROVINCES = ("北京", "上海", "江苏", "浙江", "广东", "山东", "四川", "湖北", "福建", "河南", "云南", "新疆")


@dataclass(frozen=True)
class Doc:
    """A document of the corpus: file name, supplied metadata and its sections (heading, body)."""

    name: str
    title: str
    date: str | None
    region: str | None
    sections: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return f"{COLLECTION}/{self.name}"

    def text(self) -> str:
        return f"{self.title}\n\n" + "\n\n".join(f"{h}\n{body}" for h, body in zip(_HEADINGS, self.sections))


def _body(rng: random.Random, uses: list[str]) -> str:
    sentences = [rng.choice(_FILLER) for _ in range(3)] + [_USE[w] for w in uses]
    rng.shuffle(sentences)
    return "".join(sentences)


HAND = (
    Doc("h01.txt", "全国统战工作会议精神传达", "2018-03-05", "全国", (_USE[A] + _FILLER[0], _FILLER[1])),
    Doc("h02.txt", "民营经济工作汇报", "2018", "上海", (f"围绕{A}开展工作，推动“{A}”落到实处。", _FILLER[2] + _USE[A])),
    Doc("h03.txt", "统战部年度工作总结", "2018-11-20", "上海", (_FILLER[3] + _USE[A], _USE[B])),
    Doc("h04.txt", "凝心聚力工作简报", "2019-06", "江苏", (_USE[A], f"{_USE[B]}始终{_USE[B]}")),
    Doc("h05.txt", "政治引领工作要点", "2019-01-10", "山东", (_FILLER[4], _USE[B])),
    Doc("h06.txt", "基层统战工作情况", None, "山东", (_FILLER[0], _USE[A])),
    Doc("h07.txt", "关于加强新时代统战工作的意见", "2020-05-01", "全国", (_USE[A] + _USE[B], _FILLER[1])),
    Doc("h08.txt", "机关党建工作总结", "2020", "广东", (_FILLER[2], _FILLER[3])),
    Doc("h09.txt", "理论学习心得", "2017-12-31", None, (_FILLER[4], _FILLER[0])),
    Doc("h10.txt", "港澳工作座談會紀要", "2021-02-02", "北京", ("促進非公有制經濟“兩個健康”。", _FILLER[1])),
    Doc("h11.txt", "学习体会", None, None, (_FILLER[2], _USE[B])),
)


def generated(n: int = 48, seed: int = 14) -> tuple[Doc, ...]:
    """Documents over provinces and the years 2012–2023: A grows more common over the years, B less."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        year = 2012 + rng.randrange(12)
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 6 else str(year)
        t = (year - 2012) / 11
        uses = [A] * (rng.random() < 0.15 + 0.75 * t) * rng.choice((1, 1, 2))
        uses += [B] * (rng.random() < 0.9 - 0.6 * t) * rng.choice((1, 1, 3))
        halves = (uses[: len(uses) // 2], uses[len(uses) // 2:])
        docs.append(Doc(f"g{i:02d}.txt", f"第{i + 1}号工作简报", date, rng.choice(_PROVINCES),
                        tuple(_body(rng, h) for h in halves)))
    return tuple(docs)


DOCS = HAND + generated()


def build(base: Path, target: Path | str | None = None) -> Path | str:
    """Write the corpus under ``base`` and import it with its metadata into ``target`` (an index folder or a
    database; default ``base/index``); returns the target."""
    folder = base / COLLECTION
    folder.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, dict[str, str]] = {}
    for d in DOCS:
        (folder / d.name).write_text(d.text(), encoding="utf-8")
        overrides[d.name] = {k: v for k, v in (("title", d.title), ("date", d.date), ("region", d.region)) if v}
        overrides[d.name]["override"] = "yes"  # the corpus's truth: the supplied values win everywhere
    target = base / "index" if target is None else target
    import_paths([folder], target, procs=1, overrides=overrides)
    return target


def count(text: str, wording: str) -> int:
    """Occurrences of ``wording`` in ``text``, overlapping ones included (after normalisation)."""
    norm, needle = normalize(text), normalize(wording)
    return sum(1 for i in range(len(norm)) if norm.startswith(needle, i))


@dataclass
class Truth:
    """What the index should say about one document and one wording, counted by brute force."""

    doc_id: str
    date: str | None
    year: int | None
    province: str | None
    occurrences: int
    sections: int


def oracle(service, wording: str) -> list[Truth]:
    """Per document: occurrences of ``wording`` in its continuous text (the stated title, then the sections'
    text, headings once: :func:`~indexer.index.doctext.document_pieces`) and the sections where one starts,
    scanned from the stored document (``service.document``), with the metadata the corpus supplied."""
    out = []
    for d in DOCS:
        view = service.document(d.doc_id)
        assert view is not None and view.doc_id == d.doc_id, d.doc_id
        pieces = document_pieces(view.title, view.title_derived, [(s.heading, s.text) for s in view.sections])
        joined = "".join(pieces)
        needle = normalize(wording)
        ends = [sum(len(p) for p in pieces[:k + 1]) for k in range(len(pieces))]
        starts = [i for i in range(len(joined)) if joined.startswith(needle, i)]
        sections = {next(k for k, e in enumerate(ends) if i < e) for i in starts}
        out.append(Truth(d.doc_id, d.date, int(d.date[:4]) if d.date else None, d.region, len(starts),
                         len(sections)))
    return out
