"""Real pages: titles, dates, site chrome and body text against reference answers."""

from __future__ import annotations

from conftest import DATA

from indexer.extract.pipeline import extract_file
from tools.quality import CHROME_MARKERS, score_pages


def test_12371_page_without_shared() -> None:
    ex = extract_file(DATA / "pages" / "12371_ARTI1508921834409967.shtml")
    doc = ex.documents[0]
    assert doc.title.startswith("习近平在十九届中共中央政治局常委同中外记者见面时强调")
    assert doc.date == "2017-10-25" and doc.source == "新华社"
    text = doc.text
    assert "人民大会堂东大厅华灯璀璨、气氛热烈" in text
    assert "12时17分，见面活动结束" in text
    assert not CHROME_MARKERS.search(text)
    for chrome in ("京ICP备", "共产党员网 版权所有", "延伸阅读", "侧记", "微信扫一扫", "网站地图"):
        assert chrome not in text
    assert any(r.reason == "related links" for r in ex.removed)


def test_reference_pages_meet_the_floors(shared) -> None:
    result = score_pages(shared / "corpus" / "html")
    assert result["pages"] >= 80
    assert result["title_accuracy"] >= 0.95, result["failures"]
    assert result["date_accuracy"] >= 0.95, result["failures"]
    assert result["chrome_rate"] <= 0.02, result["failures"]
    assert result["body_f1"] >= 0.97


def test_govcn_metadata_table(shared) -> None:
    ex = extract_file(shared / "corpus" / "html" / "govcn" / "content_5365711.fragment.html")
    doc = ex.documents[0]
    assert doc.issuer == "国务院办公厅"
    assert doc.doc_number == "国办发〔2019〕6号"
    assert doc.date == "2019-02-14" and doc.date_precision == "day"  # 发布日期 …
    assert doc.written == "2019-01-22"  # … and 成文日期 kept apart
    assert doc.doctype == "意见"
    assert (doc.province, doc.city) == ("全国", None)  # a central body, whatever places the text names
    assert "扫一扫在手机打开当前页" not in doc.text
