"""The real reports (../shared) as a reader dates and cites them: undated work reports get the year their text
implies, marked inferred and shown in square brackets; `/first` finds 统一战线 in the 1954 report; the 1954
report's table of contents is its own headings (the document names it cites in its sentences are not)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.pipeline import extract_file

L = "aldohemsn__government_work_reports__L{}.txt"


@pytest.mark.parametrize(("number", "year", "source"), [
    ("047", "1997", "一、１９９６年国内工作的回顾"),  # the year the report reviews, plus one
    ("038", "2006", "一、去年工作回顾 / 2005年，我国社会主义现代化事业取得显著成就。——经济平稳较快发展。全年国内生"),
    ("041", "2003", None),  # the session it is given to: 第十届全国人民代表大会第一次会议
    ("072", "1954", None),  # 我們第一届全國人民代表大會第一次會議 (traditional script)
])
def test_undated_work_reports_get_the_year_they_imply(shared: Path, number: str, year: str, source: str | None) -> None:
    doc = extract_file(shared / "corpus" / "reports" / L.format(number)).documents[0]
    assert (doc.date, doc.date_precision, doc.date_inferred, doc.issuer) == (
        year, "year", True, "中央人民政府" if number == "072" else "国务院")
    assert doc.date_source and (source is None or doc.date_source == source)
    assert doc.doctype == "报告"


def test_the_1954_reports_contents_are_its_own(shared: Path) -> None:
    doc = extract_file(shared / "corpus" / "reports" / L.format("072")).documents[0]
    headings = {s.heading for s in doc.sections if s.heading}
    assert not headings & {"中國人民政治協商會議共同綱領", "聯合國憲章", "中華人民共和國憲法", "關於憲法草案的報告"}
    assert "中央人民政府按照中國人民政治協商會議共同綱領的規定，先後完成了全國大陸的統一" in doc.text


def test_first_use_of_united_front_is_the_1954_report(reports_index) -> None:
    from webui import create_app

    client = create_app({"INDEX_DIR": str(reports_index[0]), "TESTING": True}).test_client()
    first = client.get("/api/first?q=统一战线&mode=exact&n=3").get_json()
    top = first["hits"][0]
    assert top["doc_id"] == f"reports/{L.format('072')}"
    assert (top["date"], top["date_precision"], top["date_inferred"]) == ("1954", "year", True)
    page = client.get("/?q=统一战线&mode=exact&sort=oldest").get_data(as_text=True)
    panel = page[page.index('class="firstuse"'):page.index("</aside>", page.index('class="firstuse"'))]
    assert "[1954]" in panel and "（推定）" in panel
    doc = client.get(f"/api/doc/reports/{L.format('047')}").get_json()
    assert doc["citation_short"] == "（国务院，[1997]）" and "（[1997]）" in doc["citation"]
