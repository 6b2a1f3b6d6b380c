"""Implied years are counted, and labelled, wherever years are counted: the year facet of a search says how many
of a year's documents have it by inference, on both backends, and the first-use answer says how many of its
documents do."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.index.importer import import_paths
from indexer.research.dispersion import dispersion
from indexer.research.first import first_use
from indexer.research.spread import spread as where
from indexer.search.backends import open_backend
from indexer.search.results import to_json
from indexer.search.service import SearchParams

STATED = ("关于加强统一战线工作的通知\n（2020年3月5日）\n为深入贯彻中央统战工作会议精神，推动统一战线工作高质量发展，现就有关"
          "事项通知如下，请认真贯彻执行。\n")
IMPLIED = ("政府工作报告\n各位代表：\n一、2019年工作回顾\n过去一年，我们坚持稳中求进，推动统一战线工作取得新进展，各项事业"
           "全面发展。\n二、2020年工作总体要求\n今年要继续做好统一战线工作，巩固发展最广泛的爱国统一战线。\n")


def test_the_year_facet_counts_implied_years_labelled(tmp_path: Path, target) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "stated.txt").write_text(STATED, encoding="utf-8")
    (folder / "implied.txt").write_text(IMPLIED, encoding="utf-8")
    import_paths([folder], target)
    backend = open_backend(target)
    try:
        result = backend.search(SearchParams(q="统一战线", group="document"))
        assert [(f.value, f.count, f.inferred) for f in result.facets["year"]] == [(2020, 2, 1)]
        assert all(f.inferred == 0 for f in result.facets["province"])
        sections = backend.search(SearchParams(q="统一战线"))  # counted in sections: the implied report's two
        assert [(f.value, f.count, f.inferred) for f in sections.facets["year"]] == [(2020, 3, 2)]
        stats = to_json(backend.stats())["facets"]["year"]
        assert [y for y in stats if y["value"] == 2020][0]["inferred"] >= 1
        first = first_use(backend, SearchParams(q="统一战线", mode="exact"))
        assert (first.total_documents, first.inferred) == (2, 1)
        assert [h.date_inferred for h in first.hits] == [False, True], "a stated 2020 date comes first"
        spread = dispersion(backend, SearchParams(q="统一战线", mode="exact"))  # where it stands in each document
        assert sorted((d.date, d.date_inferred) for d in spread.items) == [("2020", True), ("2020-03-05", False)]
        table = backend.count_by(SearchParams(q="统一战线", mode="exact", group="document"), ("year", "inferred"))
        assert table.counts == {(2020, False): 1, (2020, True): 1}
        # where a wording first appeared: a first year only implied documents give is labelled so
        both, implied = (where(backend, SearchParams(q=q, mode="exact")) for q in ("统一战线", "巩固发展"))
        assert (both.first_year, both.first_year_inferred) == (2020, False), "a stated 2020 date is there too"
        assert (implied.first_year, implied.first_year_inferred) == (2020, True)
        assert [(r.first_year, r.first_year_inferred) for r in implied.provinces] == [(2020, True)]
    finally:
        backend.close()


NUMBERED = ("国务院关于加强统一战线工作的通知\n国发〔2020〕5号\n各省、自治区、直辖市人民政府：\n为深入贯彻中央统战工作会议精神，"
            "现就加强统一战线工作通知如下，请认真贯彻执行。\n国务院\n2020年3月5日\n")
CITING = ("政府工作报告\n各位代表：\n一、2019年工作回顾\n过去一年，我们根据《国务院关于加强统一战线工作的通知》（国发〔2020〕5号）"
          "推动统一战线工作取得新进展。\n二、2020年工作总体要求\n今年要继续做好统一战线工作，巩固发展最广泛的爱国统一战线。\n")


def test_pages_show_an_implied_year_in_brackets(tmp_path: Path) -> None:
    """Wherever a page lists a document with its date — the newest documents, who cites a document, the
    references to a number, a comparison, concordance lines, dispersion strips, the first year of a spread — an
    implied year is shown as [2020],
    never as if stated; the concordance and dispersion downloads say it is implied (date_inferred)."""
    from webui import create_app

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "numbered.txt").write_text(NUMBERED, encoding="utf-8")
    (folder / "citing.txt").write_text(CITING, encoding="utf-8")
    import_paths([folder], tmp_path / "index")
    client = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    doc = client.get("/api/doc/docs/citing.txt").get_json()
    assert (doc["date"], doc["date_inferred"]) == ("2020", True)
    pages = {"landing": "/", "cited by": "/doc/docs/numbered.txt", "references": "/references?docno=国发[2020]5号",
             "compare": "/compare?a=docs/numbered.txt&b=docs/citing.txt", "concordance": "/concordance?q=巩固发展",
             "dispersion": "/dispersion?q=巩固发展", "spread": "/spread?q=巩固发展"}
    line = client.get("/api/concordance?q=巩固发展").get_json()["lines"][0]
    assert (line["date"], line["date_inferred"]) == ("2020", True)
    item = client.get("/api/dispersion?q=巩固发展").get_json()["items"][0]
    assert (item["date"], item["date_inferred"]) == ("2020", True)
    for url in ("/concordance.csv?q=巩固发展", "/dispersion.csv?q=巩固发展"):
        header, row = client.get(url).get_data(as_text=True).lstrip("\ufeff").splitlines()[:2]
        cells = dict(zip(header.split(","), row.split(",")))
        assert (cells["date"], cells["date_precision"], cells["date_inferred"]) == ("2020", "year", "true"), url
    for name, url in pages.items():
        page = client.get(url).get_data(as_text=True)
        assert "[2020]" in page, name
        assert not re.search(r"[>\s]2020</small>|>2020 ·", page), name
