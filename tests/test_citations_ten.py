"""Citations of ten documents of different kinds, exactly as a user pastes them: issuer (责任者) from the
document's own header, title, 落款 or byline; the stated date, or an implied year in square brackets; the type
code ([A/OL] official documents, [S/OL] standards, [EB/OL] the rest); the 引用日期 of the day the citation is
made; the in-text form. Seven are short texts in ``tests/data/structure`` (one per structure), three are the
shipped office samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from indexer.cite import citation, citation_fields, citation_short
from indexer.extract.pipeline import extract_file

DATA = ROOT / "tests" / "data" / "structure"
CITED = "2026-01-15"
EXPECTED = {  # file → (GB/T 7714-2025 entry, in-text form)
    DATA / "order.txt": (
        "中国证券监督管理委员会. 证券发行上市保荐制度暂行办法：中国证券监督管理委员会令第19号[A/OL]. （2004-01-19）"
        "[2026-01-15]. /doc/order.txt.", "（中国证券监督管理委员会，2004）"),
    DATA / "standard.txt": (
        "国家能源局. 能源管理体系 评价规范：NB/T 10001—2023[S/OL]. （2023-03-09）[2026-01-15]. /doc/standard.txt.",
        "（国家能源局，2023）"),
    DATA / "export.txt": (
        "国务院办公厅. 国务院办公厅关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见：国办发〔2019〕6号"
        "[A/OL]. （2019-02-14）[2026-01-15]. /doc/export.txt.", "（国务院办公厅，2019）"),
    DATA / "report1997.txt": (
        "国务院. [我代表国务院向大会作政府工作报告，请予审议][A/OL]. （[1997]）[2026-01-15]. /doc/report1997.txt.",
        "（国务院，[1997]）"),
    DATA / "citynotice.txt": (
        "济南市人民政府. 济南市人民政府关于加快推进统一战线工作高质量发展的通知：济政发〔2022〕9号[A/OL]. （[2022]）"
        "[2026-01-15]. /doc/citynotice.txt.", "（济南市人民政府，[2022]）"),
    DATA / "speech.txt": (
        "王明华. 在全市统一战线工作会议上的讲话[EB/OL]. （2022-07-29）[2026-01-15]. /doc/speech.txt.",
        "（王明华，2022）"),
    DATA / "reply.txt": (
        "民政部. 民政部对“关于加强基层统一战线工作的建议”的答复：民函〔2021〕742号[A/OL]. （[2021]）[2026-01-15]. "
        "/doc/reply.txt.", "（民政部，[2021]）"),
    ROOT / "corpus" / "sample_2023_ethnic_religious_notice.docx": (
        "中共示例市委统战部. 关于做好2023年民族宗教工作的通知：示统发〔2023〕5号[A/OL]. （2023-03-15）[2026-01-15]. "
        "/doc/sample_2023_ethnic_religious_notice.docx.", "（中共示例市委统战部，2023）"),
    ROOT / "corpus" / "sample_2024_new_social_strata_notice.ofd": (
        "中共示例市委统战部. 关于做好2024年新的社会阶层人士统战工作的通知：示统发〔2024〕3号[A/OL]. （2024-02-26）"
        "[2026-01-15]. /doc/sample_2024_new_social_strata_notice.ofd.", "（中共示例市委统战部，2024）"),
    ROOT / "corpus" / "sample_2023_private_economy_notice.pdf": (
        "中共示例市委统战部. 关于做好2023年非公有制经济人士统战工作的通知：示统发〔2023〕21号[A/OL]. （2023-09-12）"
        "[2026-01-15]. /doc/sample_2023_private_economy_notice.pdf.", "（中共示例市委统战部，2023）"),
}


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: Path(p).name)
def test_citation(path: Path) -> None:
    doc = extract_file(path).documents[0]
    f = citation_fields(title=doc.title, title_derived=doc.title_derived, issuer=doc.issuer, source=doc.source,
                        doc_number=doc.doc_number, doctype=doc.doctype, date=doc.date, url=doc.url,
                        permalink=f"/doc/{path.name}", date_inferred=doc.date_inferred, cited=CITED)
    assert (citation(f), citation_short(f)) == EXPECTED[path]
    assert "佚名" not in citation_short(f)


def test_an_inferred_date_says_where_it_comes_from() -> None:
    doc = extract_file(DATA / "report1997.txt").documents[0]
    assert (doc.date, doc.date_precision, doc.date_inferred) == ("1997", "year", True)
    assert doc.date_source == "一、１９９６年国内工作的回顾"
    stated = extract_file(DATA / "order.txt").documents[0]
    assert (stated.date, stated.date_precision, stated.date_inferred, stated.date_source) == (
        "2004-01-19", "day", False, None)
