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
    apply_metadata(doc, meta["r2.txt"])
    assert (doc.date, doc.date_precision, doc.year, doc.province) == ("2024-09-02", "day", 2024, "山东")


def test_jsonl(tmp_path: Path) -> None:
    rows = [{"file": "a.txt", "title": "关于加强统战工作的意见", "date": "2022-03", "province": "广西壮族自治区"},
            {"file": "b.txt", "source": "人民日报", "year": 2020}]
    path = write(tmp_path, "meta.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    meta = load_metadata(path)
    doc = Document("a.txt")
    apply_metadata(doc, meta["a.txt"])
    assert (doc.date, doc.date_precision, doc.province, doc.city) == ("2022-03", "month", "广西", None)
    assert meta["b.txt"] == {"source": "人民日报", "year": "2020"}


def test_supplied_fields_win_over_inference(tmp_path: Path) -> None:
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


def test_the_shared_manifest_loads_and_every_field_it_gives_is_shown(shared: Path) -> None:
    reports = shared / "corpus" / "reports"
    meta = load_metadata(reports / "MANIFEST.tsv")
    assert len(meta) == 367
    for name in ("aldohemsn__government_work_reports__L010.txt", "xvshiting__shandong__No26.txt",
                 "vanillabeans98__all_data__row008.txt"):
        doc = extract_file(reports / name).documents[0]
        apply_metadata(doc, meta[name])
        fields = meta[name]
        assert doc.url == fields["url"]
        assert doc.year == int(fields["year"][:4])
        if "date" in fields:
            assert doc.date == fields["date"][:10]
        if "title" in fields:
            assert doc.title == fields["title"] and not doc.title_derived
        assert doc.province == ("全国" if fields["region"].startswith("全国") else "山东")
