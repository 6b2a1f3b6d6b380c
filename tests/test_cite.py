"""Citations in GB/T 7714 (2025 by default, 2015 as an option): the five sample documents, a gov.cn policy
page and the standard's own example, exactly; missing fields leave no empty punctuation; the 引用日期 is the
day the citation is made; an inferred year stands in square brackets."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SEED_FILES

from indexer.cite import citation, citation_fields, citation_short
from indexer.extract.pipeline import extract_file
from webui import create_app

BASE = "https://tz.example.org"
TODAY = dt.date.today().isoformat()
SAMPLES = {  # doc_id → (2025, 2015, in-text 2025); the 引用日期 [TODAY] is the day the citation is made
    f"corpus/{SEED_FILES['000']}": (
        f"市委统战部. 市委统战部简介[EB/OL]. （2020-12-03）[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['000']}.",
        f"市委统战部. 市委统战部简介[EB/OL]. (2020-12-03)[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['000']}.",
        "（市委统战部，2020）"),
    f"corpus/{SEED_FILES['000']}::2": (
        f"市委统战部. 市委统战部2020年工作总结[EB/OL]. （2020-12-03）[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['000']}::2.",
        f"市委统战部. 市委统战部2020年工作总结[EB/OL]. (2020-12-03)[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['000']}::2.",
        "（市委统战部，2020）"),
    f"corpus/{SEED_FILES['001']}": (
        f"推動上海統一戰線事業邁上更高水平 全市統戰部長會議召開[EB/OL]. （2024-02-26）[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['001']}.",
        f"推動上海統一戰線事業邁上更高水平 全市統戰部長會議召開[EB/OL]. (2024-02-26)[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['001']}.",
        "（佚名，2024）"),
    f"corpus/{SEED_FILES['002']}": (
        f"常州日报. 创新举措凝心聚力 推进常州统战事业蓬勃发展[EB/OL]. （2021-03-04）[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['002']}.",
        f"常州日报. 创新举措凝心聚力 推进常州统战事业蓬勃发展[EB/OL]. (2021-03-04)[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['002']}.",
        "（常州日报，2021）"),
    f"corpus/{SEED_FILES['003']}": (
        f"市委统战部2020年工作总结[EB/OL]. （[2020]）[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['003']}.",
        f"市委统战部2020年工作总结[EB/OL]. ([2020])[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['003']}.",
        "（佚名，[2020]）"),  # the year its title names, not a stated date: supplied, in brackets
    f"corpus/{SEED_FILES['004']}": (  # its title is derived, so it stands in square brackets
        f"[欢迎各位领导莅临XX市开展基层统战工作调研][EB/OL]. （[2021]）[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['004']}.",
        f"[欢迎各位领导莅临XX市开展基层统战工作调研][EB/OL]. ([2021])[{TODAY}]. {BASE}/doc/corpus/{SEED_FILES['004']}.",
        "（佚名，[2021]）"),
}


@pytest.fixture(autouse=True)
def _one_day(monkeypatch) -> None:
    """Citations are made on the day the expected ones were written (a run may cross midnight)."""
    import indexer.cite

    monkeypatch.setattr(indexer.cite, "today", lambda: TODAY)


@pytest.fixture(scope="module")
def client(corpus_index):
    return create_app({"INDEX_DIR": str(corpus_index[0]), "BASE_URL": BASE, "TESTING": True}).test_client()


@pytest.mark.parametrize("doc_id", list(SAMPLES))
def test_sample_documents(client, doc_id) -> None:
    gbt2025, gbt2015, short = SAMPLES[doc_id]
    body = client.get(f"/api/doc/{doc_id}").get_json()
    assert (body["citation"], body["citation_short"]) == (gbt2025, short)
    old = client.get(f"/api/doc/{doc_id}?style=2015").get_json()
    assert old["citation"] == gbt2015 and old["citation_short"] == short.replace("（", "(").replace("，", ", ").replace(
        "）", ")")
    html = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert f'id="cite-2025">{gbt2025}</textarea>' in html and "复制" in html


def test_the_standards_own_2015_example() -> None:
    f = citation_fields(title="关于转发北京市企业投资项目核准暂行实施办法的通知", issuer="北京市人民政府办公厅",
                        doc_number="京政办发〔2005〕37号", date="2005-07-12", cited="2011-07-12",
                        url="http://china.findlaw.cn/fagui/p_1/39934.html")
    assert citation(f, "2015") == ("北京市人民政府办公厅. 关于转发北京市企业投资项目核准暂行实施办法的通知：京政办发〔2005〕37号"
                                   "[A/OL]. (2005-07-12)[2011-07-12]. http://china.findlaw.cn/fagui/p_1/39934.html.")
    assert citation(f) == ("北京市人民政府办公厅. 关于转发北京市企业投资项目核准暂行实施办法的通知：京政办发〔2005〕37号"
                           "[A/OL]. （2005-07-12）[2011-07-12]. http://china.findlaw.cn/fagui/p_1/39934.html.")


def test_missing_fields_leave_no_empty_marks() -> None:
    bare = citation_fields(title="某文件", permalink="/doc/c/a.txt")
    assert citation(bare) == f"某文件[EB/OL]. [{TODAY}]. /doc/c/a.txt."
    assert citation_short(bare) == "（佚名）" and citation_short(bare, "2015") == "(佚名)"
    undated = citation_fields(title="关于做好统战工作的通知", issuer="示例市委统战部", doctype="通知", permalink="/doc/c/b.txt",
                              cited="2026-07-02")
    assert citation(undated) == "示例市委统战部. 关于做好统战工作的通知[A/OL]. [2026-07-02]. /doc/c/b.txt."
    for text in (citation(bare), citation(undated)):
        assert "()" not in text and "（）" not in text and ". ." not in text and "[]" not in text


def test_a_govcn_policy_page(shared) -> None:
    page = shared / "corpus" / "html" / "govcn" / "content_5365711.fragment.html"
    url = "http://www.gov.cn/zhengce/content/2019-02/14/content_5365711.htm"
    doc = extract_file(page, url=url).documents[0]
    f = citation_fields(title=doc.title, title_derived=doc.title_derived, issuer=doc.issuer, source=doc.source,
                        doc_number=doc.doc_number, doctype=doc.doctype, date=doc.date, url=doc.url,
                        cited="2019-02-17", permalink="/doc/govcn/content_5365711.fragment.html")
    title = "国务院办公厅关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见"
    assert citation(f) == f"国务院办公厅. {title}：国办发〔2019〕6号[A/OL]. （2019-02-14）[2019-02-17]. {url}."
    assert citation(f, "2015") == f"国务院办公厅. {title}：国办发〔2019〕6号[A/OL]. (2019-02-14)[2019-02-17]. {url}."
    assert citation_short(f) == "（国务院办公厅，2019）"
