"""The Whoosh schema: one Whoosh document per section, carrying its document's metadata.

Fields:
  ids        section_id (unique), doc_id, source_key (the file path or URL a document came from; all
             sections of one source are replaced together), ordinal (section order in its document),
             parent (an attachment's article doc_id; absent for other documents)
  search     words (jieba words of heading + text), exact (character unigrams and bigrams of the
             normalised heading ␁ text, for exact wording); both record postings only
  display    heading, text (the original section text), title_text, issuer, doc_number, url, fetched
  facets     province, city, doctype, source, year, date (stored and sortable: column-backed)
  bookkeeping content_hash (of the source's bytes: an unchanged file is not re-indexed)
"""

from __future__ import annotations

from whoosh import fields, formats

from indexer.analysis import NgramAnalyzer, WordAnalyzer

#: Bump when the schema or the analyzers change in a way that needs a rebuild.
SCHEMA_VERSION = 2


class PostingsOnlyField(fields.FieldType):
    """A text field that records only which sections hold each term: no frequencies or positions.

    Search verifies exact wording against the text and computes term frequencies from it, so presence is
    all the index needs. Indexing asks the analyzer for its distinct terms directly (``terms``) instead
    of building a Token per occurrence, which is most of the cost of adding a section. Pickled into the
    schema: keep this class at this import path."""

    def __init__(self, analyzer: object) -> None:
        super().__init__(formats.Existence(), analyzer, scorable=True, stored=False)

    def index(self, value: str, **kwargs: object):
        terms = getattr(self.analyzer, "terms", None)
        if terms is None:
            yield from super().index(value, **kwargs)
            return
        for term in terms(value):
            yield term.encode("utf-8"), 1, 1.0, b""


def build_schema() -> fields.Schema:
    """A fresh schema object (Whoosh pickles it into the index)."""
    return fields.Schema(
        section_id=fields.ID(stored=True, unique=True),
        doc_id=fields.ID(stored=True),
        source_key=fields.ID(stored=True),
        ordinal=fields.NUMERIC(int, stored=True),
        parent=fields.ID(stored=True),
        words=PostingsOnlyField(WordAnalyzer()),
        exact=PostingsOnlyField(NgramAnalyzer()),
        heading=fields.STORED(),
        text=fields.STORED(),
        title_text=fields.STORED(),
        issuer=fields.STORED(),
        doc_number=fields.STORED(),
        url=fields.STORED(),
        fetched=fields.STORED(),
        province=fields.ID(stored=True, sortable=True),
        city=fields.ID(stored=True, sortable=True),
        doctype=fields.ID(stored=True, sortable=True),
        source=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, stored=True, sortable=True),
        date=fields.ID(stored=True, sortable=True),
        content_hash=fields.ID(stored=True),
    )
