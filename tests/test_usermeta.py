"""A metadata file supplied with an import: loading CSV/TSV/JSONL, its errors, and fields winning over inference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.document import Document
from indexer.extract.pipeline import extract_file
from indexer.extract.usermeta import MetadataError, apply_metadata, load_metadata


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_our_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "meta.csv", "file,title,date,region,city,issuer,doc_number,doctype,url,notes\n"
                 "sub/a.txt,市委统战部2020年工作总结,2020-12-03,上海市,,中共上海市委统战部,沪委统〔2020〕1号,工作总结,"
                 "https://example.org/a,ignored\n"
                 "b.txt,,2021,,青岛市,,,,,\n")
    meta = load_metadata(path)
    assert meta["sub/a.txt"] == {"title": "市委统战部2020年工作总结", "date": "2020-12-03", "region": "上海市",
                                 "issuer": "中共上海市委统战部", "doc_number": "沪委统〔2020〕1号", "doctype": "工作总结",
                                 "url": "https://example.org/a"}
    assert meta["b.txt"] == {"date": "2021", "city": "青岛市"}


def test_manifest_column_names_and_remarks(tmp_path: Path) -> None:
    path = write(tmp_path, "MANIFEST.tsv",
                 "file\tsource_repo\tregion_if_known\tyear_if_known\ttitle_if_known\tsource_url_if_known\t"
                 "publish_date_if_known\n"
                 "r1.txt\tx/y\t全国 (national)\t2021 (from text)\t第十三届全国人民代表大会第四次会议关于政府工作报告的决议\t"
                 "https://zh.wikisource.org/wiki/x\t\n"
                 "r2.txt\tx/y\t山东省 (Shandong)\t2024\t\t\t2024-09-02 00:00:00\n")
    meta = load_metadata(path)
    doc = Document("r1.txt", title="政府工作报告", title_derived=True, province="北京", city="北京")
    apply_metadata(doc, meta["r1.txt"])
    assert (doc.title, doc.title_derived) == ("第十三届全国人民代表大会第四次会议关于政府工作报告的决议", False)
    assert (doc.date, doc.date_precision, doc.year) == ("2021", "year", 2021)
    assert (doc.province, doc.city, doc.url) == ("全国", None, "https://zh.wikisource.org/wiki/x")
    doc = Document("r2.txt", date="2013-04-11", date_precision="day", year=2013)
    notes = apply_metadata(doc, meta["r2.txt"])  # the document's own date (its 落款) wins over a repost date
    assert (doc.date, doc.date_precision, doc.year, doc.province) == ("2013-04-11", "day", 2013, "山东")
    assert "date: kept '2013-04-11', not '2024-09-02' (the document states it)" in notes


def test_jsonl(tmp_path: Path) -> None:
    rows = [{"file": "a.txt", "title": "关于加强统战工作的意见", "date": "2022-03", "province": "广西壮族自治区"},
            {"file": "b.txt", "source": "人民日报", "year": 2020}]
    path = write(tmp_path, "meta.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    meta = load_metadata(path)
    doc = Document("a.txt")
    apply_metadata(doc, meta["a.txt"])
    assert (doc.date, doc.date_precision, doc.province, doc.city) == ("2022-03", "month", "广西", None)
    assert meta["b.txt"] == {"source": "人民日报", "year": "2020"}


def test_supplied_fields_fill_what_the_text_lacks(tmp_path: Path) -> None:
    src = write(tmp_path, "speech.txt", "同志们：\n今天，我们召开全市统一战线工作会议，总结2020年工作，部署今年任务。\n"
                "一、过去一年的工作\n全市统一战线认真学习贯彻中央统战工作会议精神。\n")
    doc = extract_file(src).documents[0]
    assert doc.title_derived
    apply_metadata(doc, {"title": "在全市统一战线工作会议上的讲话", "date": "2021-02-05", "region": "江苏省常州市"})
    assert (doc.title, doc.title_derived, doc.date, doc.year) == ("在全市统一战线工作会议上的讲话", False, "2021-02-05", 2021)
    assert (doc.province, doc.city) == ("江苏", "常州")


def test_empty_cells_change_nothing() -> None:
    doc = Document("a.txt", title="原标题", date="2020-01-02", date_precision="day", year=2020, province="上海")
    apply_metadata(doc, {"title": "", "date": " ", "region": ""})
    assert (doc.title, doc.date, doc.province) == ("原标题", "2020-01-02", "上海")


@pytest.mark.parametrize(("name", "text", "message"), [
    ("meta.csv", "path,title\na.txt,标题\n", "no 'file' column"),
    ("meta.csv", "file,date\na.txt,2020-02-30\n", "line 2: bad date: no such day"),
    ("meta.tsv", "file\tyear_if_known\na.txt\tsoon\n", "bad year: not a date"),
    ("meta.csv", "file,region\na.txt,火星\n", "unknown region"),
    ("meta.csv", "file,city\na.txt,山东省\n", "unknown city"),
    ("meta.csv", "file,title\n,标题\n", "empty 'file'"),
    ("meta.jsonl", '{"file": "a.txt"}\nnot json\n', "line 2: not JSON"),
    ("meta.jsonl", '{"title": "x"}\n', "needs a 'file' field"),
])
def test_clear_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(MetadataError, match=message):
        load_metadata(write(tmp_path, name, text))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(MetadataError, match="cannot read"):
        load_metadata(tmp_path / "missing.csv")
    bad = tmp_path / "gbk.csv"
    bad.write_bytes(b"file,title\na.txt,\xcd\xb3\xd2\xbb\xd5\xbd\xcf\xdf\n")  # GBK, not UTF-8
    with pytest.raises(MetadataError, match="cannot read"):
        load_metadata(bad)


def test_metadata_error_is_a_value_error() -> None:
    assert issubclass(MetadataError, ValueError)


def test_the_shared_manifest_never_makes_a_document_worse(shared: Path) -> None:
    reports = shared / "corpus" / "reports"
    meta = load_metadata(reports / "MANIFEST.tsv")
    assert len(meta) == 367
    worse = []
    for name, fields in meta.items():
        doc = extract_file(reports / name).documents[0]
        before = (doc.title, doc.title_derived, doc.date, doc.date_precision, doc.date_inferred, doc.province,
                  doc.city, doc.issuer)
        apply_metadata(doc, fields)
        if before[0] and not before[1] and doc.title != before[0]:
            worse.append(f"{name}: stated title replaced")
        if any("\u4e00" <= c <= "\u9fff" for c in doc.title or "") is False:
            worse.append(f"{name}: title without Chinese: {doc.title!r}")
        if before[3] == "day" and not before[4] and doc.date != before[2]:
            worse.append(f"{name}: stated day {before[2]} replaced by {doc.date}")
        if before[6] and doc.province == before[5] and doc.city is None:
            worse.append(f"{name}: city {before[6]} lost")
        if doc.url and not doc.url.startswith(("http://", "https://")) or " " in (doc.url or ""):
            worse.append(f"{name}: url {doc.url!r}")
    assert worse == []
    doc = extract_file(reports / "xvshiting__central__No3.txt").documents[0]  # an English title, a repost date
    apply_metadata(doc, meta["xvshiting__central__No3.txt"])
    assert doc.title_alt and doc.title_alt.startswith("(EN") and doc.date == "2013-04-11"


def test_a_manifest_of_worse_values_changes_nothing_and_says_so(tmp_path: Path) -> None:
    """English titles, year-only dates, a URL cell that is not a URL and a region without the city: every
    better value the document has stays, every refusal and change is reported."""
    src = write(tmp_path, "notice.txt", "济南市人民政府关于加快推进统一战线工作高质量发展的通知\n"
                "（2022年10月16日）\n各区县人民政府，市政府各部门：\n为深入贯彻中央统战工作会议精神，推动全市统一战线工作"
                "高质量发展，现就有关事项通知如下。\n")
    doc = extract_file(src).documents[0]
    assert (doc.date, doc.province, doc.city) == ("2022-10-16", "山东", "济南")
    notes = apply_metadata(doc, {"title": "(EN, translated) Notice on United Front Work", "year": "2022",
                                 "url": "http://jhsjk.people.cn/ (per README)", "region": "山东省 (Shandong)"})
    assert (doc.title, doc.title_alt) == ("济南市人民政府关于加快推进统一战线工作高质量发展的通知",
                                          "(EN, translated) Notice on United Front Work")
    assert (doc.date, doc.date_precision, doc.url, doc.province, doc.city) == ("2022-10-16", "day", None, "山东", "济南")
    assert notes == ["title_alt: set to '(EN, translated) Notice on United Front Work'",
                     "date: kept '2022-10-16', not '2022' (more precise)",
                     "url: refused 'http://jhsjk.people.cn/ (per README)' (not one http(s) URL)",
                     "region: kept '山东/济南', not '山东' (more precise)"]
    notes = apply_metadata(doc, {"title": "关于统战工作的通知", "year": "2021", "override": "yes"})
    assert (doc.title, doc.date, doc.year) == ("关于统战工作的通知", "2021", 2021)
    assert notes[0].startswith("title: '济南市人民政府关于") and notes[1] == "date: '2022-10-16' → '2021'"


def test_an_implied_year_yields_to_the_files_date(tmp_path: Path) -> None:
    doc = Document("a.txt", date="2020", date_precision="year", year=2020, date_inferred=True, date_source="x")
    assert apply_metadata(doc, {"date": "2021-03-05"}) == ["date: '2020' → '2021-03-05'"]
    assert (doc.date, doc.date_inferred, doc.date_source) == ("2021-03-05", False, None)


def test_import_prints_what_the_metadata_changed_and_refused(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder, "a.txt", "关于加强统一战线工作的通知\n（2022年10月16日）\n为深入贯彻中央统战工作会议精神，推动统一战线工作"
          "高质量发展，现就有关事项通知如下。\n")
    meta = write(tmp_path, "meta.csv", "file,title,url,issuer\na.txt,Notice,not a url,中共示例市委统战部\n")
    out = subprocess.run([sys.executable, "-m", "indexer", "import", str(folder), "--index", str(tmp_path / "ix"),
                          "--metadata", str(meta), "--procs", "1", "--no-reuse"], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "a.txt: title_alt: set to 'Notice'" in out.stderr
    assert "a.txt: url: refused 'not a url' (not one http(s) URL)" in out.stderr
    assert "a.txt: issuer: set to '中共示例市委统战部'" in out.stderr


def test_a_title_in_another_language_is_searchable_on_every_backend(tmp_path: Path, target) -> None:
    from indexer.index.importer import import_paths
    from indexer.search.backends import open_backend
    from indexer.search.service import SearchParams

    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder, "a.txt", "关于加强统一战线工作的通知\n（2022年10月16日）\n为深入贯彻中央统战工作会议精神，推动统一战线工作"
          "高质量发展，现就有关事项通知如下。\n")
    meta = write(tmp_path, "meta.csv", "file,title\na.txt,Notice on United Front Work\n")
    import_paths([folder], target, overrides=load_metadata(meta))
    backend = open_backend(target)
    try:
        found = backend.search(SearchParams(q="United Front Work"))
        assert [h.title for h in found.hits] == ["关于加强统一战线工作的通知"], "the translated title is searched"
        assert backend.search(SearchParams(q="Work关于", mode="exact")).total == 0, "no wording runs across the titles"
    finally:
        backend.close()
