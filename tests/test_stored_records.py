"""A section's stored record carries its document's metadata, read from the document's first record and kept
for its other sections: every section of a document shows the same metadata, and a caller changing what it
was given changes nothing for the next."""

from __future__ import annotations

from pathlib import Path

from indexer.search.service import SearchService


def test_every_section_carries_its_documents_metadata_unchanged_by_callers(corpus_index) -> None:
    service = SearchService(Path(corpus_index[0]))
    try:
        gen, _ = service.live.current()
        checked = 0
        for doc in range(min(gen.documents_all, 15)):
            first, end = int(gen.doc_first[doc]), int(gen.doc_first[doc + 1])
            expected = gen.stored(first)["meta"]
            assert expected.get("title") is not None or expected
            for section in list(range(first + 1, end)) * 2 + [first]:  # the second time from what was kept
                record = gen.stored(section)
                assert record["meta"] == expected, (doc, section)
                record["meta"]["title"] = "changed by a caller"
                checked += 1
            assert gen.stored(first)["meta"] == expected
        assert checked > 30, "the corpus has documents of several sections"
    finally:
        service.close()
