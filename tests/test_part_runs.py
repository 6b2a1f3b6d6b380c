"""A part prepared in runs of documents and then assembled (indexer/index/derived.py ``prepare``/``assemble``,
as the builder does while an import's documents arrive) is the part built at once, byte for byte; an import
whose builder prepares in runs of a few sections gives the same search data as one built part by part."""

from __future__ import annotations

import filecmp
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.index import builder, derived
from indexer.index.importer import import_paths
from indexer.search.generation import Generation

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _sections(seed: int) -> list[derived.SectionInput]:
    """Documents of one to five sections with what a part keeps of them: titles (stated or derived, with and
    without an alternative), headings, traditional characters, references to other documents (relations),
    facets, dates of each precision, and sections whose id is not ``doc_id#n``."""
    rng = random.Random(seed)
    words = ["统一战线", "工作", "發展", "的", "。", "根据《关于加强民族团结的通知》(国发〔2020〕3号)", "ABC",
             "废止《宗教事务条例》", "社会主义", " ", "二〇二三年", "新的社会阶层人士", "、", "1号"]
    out: list[derived.SectionInput] = []
    for d in range(rng.randint(1, 40)):
        date = rng.choice([None, "2021", "2022-05", "2023-06-01"])
        meta = {"title": rng.choice([None, f"关于第{d}号工作的通知", "統一戰線工作總結"]),
                "title_derived": rng.random() < 0.3, "title_alt": rng.choice([None, "别名"]),
                "year": int(date[:4]) if date else None, "date": date,
                "date_precision": rng.choice([None, "year"]), "date_inferred": rng.random() < 0.2,
                "province": rng.choice([None, "江苏", "广东"]), "city": rng.choice([None, "常州"]),
                "doctype": rng.choice(["notice", "report"]), "source": "s", "collection": rng.choice(["a", "b"]),
                "issuer": rng.choice([None, "中共常州市委统战部", "国务院"]), "added": float(d),
                "doc_number": rng.choice([None, "国发〔2020〕3号"])}
        for k in range(rng.randint(1, 5)):
            text = "".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
            out.append(derived.SectionInput(f"doc{d}", rng.choice([None, "一、总体要求"]), text, meta,
                                            f"custom-{d}-{k}" if rng.random() < 0.1 else None))
    return out


def _runs(sections: list[derived.SectionInput], cuts: list[int]) -> list[list[derived.SectionInput]]:
    """``sections`` cut before the documents that begin at the positions ``cuts`` (whole documents each)."""
    runs: list[list[derived.SectionInput]] = [[]]
    for i, s in enumerate(sections):
        if i in cuts and runs[-1] and s.doc_id != runs[-1][-1].doc_id:
            runs.append([])
        runs[-1].append(s)
    return runs


def _same_files(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


@pytest.mark.parametrize("seed", range(12))
def test_a_part_assembled_from_prepared_runs_is_the_part_built_at_once(tmp_path, seed) -> None:
    sections = _sections(seed)
    derived.build_part(sections, tmp_path / "whole")
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(len(sections)), min(len(sections), rng.randint(1, 6))))
    runs = _runs(sections, cuts)
    # every run prepared; and all but the last prepared, the last given as it is (the builder's tail)
    derived.assemble([derived.prepare(r) for r in runs], tmp_path / "runs")
    derived.assemble([derived.prepare(r) for r in runs[:-1]], tmp_path / "rest", runs[-1])
    assert _same_files(tmp_path / "whole", tmp_path / "runs") == []
    assert _same_files(tmp_path / "whole", tmp_path / "rest") == []
    meta = derived.load_part(tmp_path / "runs")
    assert meta.sections == len(sections)
    assert meta.documents == len({s.doc_id for s in sections})


def test_an_empty_part_is_the_same_either_way(tmp_path) -> None:
    derived.build_part([], tmp_path / "whole")
    derived.assemble([derived.prepare([])], tmp_path / "runs")
    assert _same_files(tmp_path / "whole", tmp_path / "runs") == []


def _parts(index: Path) -> list[tuple[bytes, dict[str, np.ndarray], dict, dict | None, int, int]]:
    gen = Generation(index)
    try:
        return [(bytes(p.part.text.map[:]), {k: np.array(v) for k, v in p.part.arrays.items()}, p.part.vocab,
                 p.part.custom_ids, p.part.tg_min, p.part.qg_min) for p in gen.parts]
    finally:
        gen.close()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shipped corpus/ is not there")
def test_an_import_prepared_in_runs_has_the_search_data_of_one_built_part_by_part(tmp_path, monkeypatch) -> None:
    """Parts of 40 sections, prepared three sections at a time by two workers, against the same import in one
    process (each part built at once): everything the same but the time each document was added."""
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs)
    monkeypatch.setattr(derived, "PART_SECTIONS", 40)
    monkeypatch.setattr(builder, "PREPARE_SECTIONS", 3)
    import_paths([docs], tmp_path / "one", procs=1, reuse=False)
    import_paths([docs], tmp_path / "runs", procs=2, reuse=False)
    one, runs = _parts(tmp_path / "one"), _parts(tmp_path / "runs")
    assert len(one) == len(runs) >= 3
    for a, b in zip(one, runs, strict=True):
        assert a[0] == b[0]
        assert a[1].keys() == b[1].keys()
        del a[1]["added"], b[1]["added"]
        assert all(np.array_equal(a[1][k], b[1][k]) and a[1][k].dtype == b[1][k].dtype for k in a[1])
        assert a[2:] == b[2:]


def _fail(runs: int, rest: list[derived.SectionInput], folder: str) -> None:
    prepared = sorted(p.name for p in Path(folder + ".runs").iterdir())
    raise RuntimeError(f"the assembly failed with {runs} runs prepared: {prepared}")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shipped corpus/ is not there")
def test_a_failed_assembly_publishes_nothing_and_leaves_no_prepared_runs(tmp_path, monkeypatch) -> None:
    """The runs are prepared and left beside the part; its assembly fails: the import fails, the generation
    before it stays, the runs are gone, and the next import publishes the documents."""
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs)
    index = tmp_path / "index"
    import_paths([docs], index, procs=2, reuse=False)
    manifest = (index / "manifest.json").read_bytes()
    for k in range(5):
        (docs / f"new{k}.txt").write_text(f"关于新文件的通知\n\n统一战线新说法{k}。", encoding="utf-8")
    monkeypatch.setattr(builder, "PREPARE_SECTIONS", 2)
    monkeypatch.setattr(builder, "_assemble", _fail)  # the pool's workers are forked after this
    with pytest.raises(RuntimeError, match=r"the assembly failed with 2 runs prepared: \['0.pickle', '1.pickle'\]"):
        import_paths([docs], index, procs=2, reuse=False)
    assert (index / "manifest.json").read_bytes() == manifest
    assert not [p for p in index.rglob("*.runs")]
    monkeypatch.undo()
    import_paths([docs], index, procs=2, reuse=False)
    gen = Generation(index)
    try:
        assert (index / "manifest.json").read_bytes() != manifest
        assert any(b"\xe6\x96\xb0\xe8\xaf\xb4\xe6\xb3\x95" in bytes(p.part.text.map[:]) for p in gen.parts)  # 新说法
    finally:
        gen.close()
