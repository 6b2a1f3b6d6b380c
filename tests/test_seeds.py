"""The five shipped seed documents import as ../shared/eval/seeds.json says (copy in tests/data)."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, DATA, SEED_FILES, SHARED

from indexer.extract.pipeline import extract_file
from tools.quality import check_seed

EXPECTED = json.loads((DATA / "seeds_eval.json").read_text(encoding="utf-8"))["documents"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_meets_reference(key: str) -> None:
    extraction = extract_file(CORPUS / SEED_FILES[key[:3]])
    assert check_seed(extraction, EXPECTED[key]) == []


def test_reference_copy_is_current() -> None:
    original = SHARED / "eval" / "seeds.json"
    if not original.exists():
        pytest.skip("../shared/eval/seeds.json absent")
    assert json.loads(original.read_text(encoding="utf-8"))["documents"] == EXPECTED


def test_two_documents_in_one_page_get_distinct_ids() -> None:
    ex = extract_file(CORPUS / SEED_FILES["000"])
    ids = [d.doc_id for d in ex.documents]
    assert [d.title for d in ex.documents] == ["市委统战部简介", "市委统战部2020年工作总结"]
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "::2"
    section_ids = [s.section_id for d in ex.documents for s in d.sections]
    assert len(section_ids) == len(set(section_ids))
    assert ex.documents[1].doctype == "工作总结" and ex.documents[1].date == "2020-12-03"


def test_every_removal_has_a_reason() -> None:
    ex = extract_file(CORPUS / SEED_FILES["003"])
    reasons = {r.reason for r in ex.removed}
    assert all(r.text and r.reason for r in ex.removed)
    assert "anti-resale notice" in reasons and "QQ/WeChat advertisement" in reasons
