"""The relation views of the embedded index: a document's relations, the references to a number or title, and
the graph around a document — read from one generation's resolved relations (:mod:`.generation`) and built by
:mod:`.view` like the database backend's."""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer.relations.docno import docno_key, hash_key
from indexer.relations.generation import GenerationRelations, relations_of
from indexer.relations.graph import build_graph
from indexer.relations.resolve import NONE, versions
from indexer.relations.results import DocRef, DocRelations, ExternalReferences, Graph, Mention
from indexer.relations.titles import title_key
from indexer.relations.view import InRow, OutRow, StatusRow, doc_ref, doc_relations, sentence
from indexer.search.generation import Generation
from indexer.search.results import doc_path

MAX_MENTIONS = 500


class GenerationSource:
    """A generation's documents as :class:`indexer.relations.view.Source` (global document numbers)."""

    def __init__(self, gen: Generation, base_url: str) -> None:
        self.gen = gen
        self.base_url = base_url
        self._refs: dict[int, DocRef] = {}
        self._texts: dict[int, str] = {}

    def doc_ref(self, doc: Any) -> DocRef:
        doc = int(doc)
        if doc not in self._refs:
            first = self.gen.stored(int(self.gen.doc_first[doc]))
            self._refs[doc] = doc_ref(first["doc_id"], first.get("meta") or {},
                                      doc_path(first["doc_id"], base_url=self.base_url))
        return self._refs[doc]

    def text(self, doc: Any) -> str:
        doc = int(doc)
        if doc not in self._texts:
            lo, hi = int(self.gen.doc_first[doc]), int(self.gen.doc_first[doc + 1])
            self._texts[doc] = "\n".join(self.gen.stored(n).get("text") or "" for n in range(lo, hi))
        return self._texts[doc]


def _out_rows(rel: GenerationRelations, doc: int) -> list[OutRow]:
    out = []
    for i in rel.refs_of(doc).tolist():
        s = rel.spans[i]
        target = int(rel.resolution.target[i])
        out.append(OutRow(int(rel.refs.kind[i]), int(s[0]), int(s[1]), int(s[2]), int(s[3]),
                          None if target < 0 else target))
    return out


def _in_rows(rel: GenerationRelations, doc: int) -> list[InRow]:
    return [InRow(int(rel.refs.src[i]), int(rel.refs.kind[i]), int(rel.spans[i][2]), int(rel.spans[i][3]))
            for i in rel.citing(doc).tolist()]


def _status_row(rel: GenerationRelations, doc: int) -> StatusRow | None:
    code, i = int(rel.resolution.status[doc]), int(rel.resolution.status_ref[doc])
    if code == NONE or i < 0:
        return None
    return StatusRow(code, int(rel.refs.kind[i]), int(rel.refs.src[i]), int(rel.refs.date[i]), int(rel.spans[i][2]),
                     int(rel.spans[i][3]))


def document_relations(gen: Generation, doc: int, doc_id: str, meta: dict[str, Any], text: str,
                       base_url: str) -> DocRelations:
    """The relations of global document ``doc`` (a live one: a hidden duplicate's are its canonical's)."""
    rel = relations_of(gen)
    src = GenerationSource(gen, base_url)
    return doc_relations(doc_id, meta.get("issuer"), text, _out_rows(rel, doc), _in_rows(rel, doc),
                         _status_row(rel, doc), versions(rel.docs, doc), src, base_url)


def external_references(gen: Generation, docno: str | None, title: str | None, base_url: str) -> ExternalReferences:
    """Every reference from a live document naming the number (any brackets) or the exact title."""
    rel = relations_of(gen)
    src = GenerationSource(gen, base_url)
    dkey, tkey = hash_key(docno_key(docno)) if docno else 0, title_key(title) if title else 0
    want = np.zeros(len(rel.refs), dtype=bool)
    indexed = np.zeros(len(rel.docs), dtype=bool)
    if dkey:
        want |= rel.refs.docno == np.uint64(dkey)
        indexed |= rel.docs.docno == np.uint64(dkey)
    if tkey:
        want |= rel.refs.title == np.uint64(tkey)
        indexed |= rel.docs.title == np.uint64(tkey)
    hits = np.flatnonzero(want & rel.docs.live[rel.refs.src])
    mentions = []
    for i in hits[:MAX_MENTIONS].tolist():
        doc, s = int(rel.refs.src[i]), rel.spans[i]
        text = src.text(doc)
        mentions.append(Mention(document=src.doc_ref(doc), text=text[int(s[0]):int(s[1])],
                                kind=("cite", "abolish", "replace", "amend")[int(rel.refs.kind[i])],
                                start=int(s[0]), end=int(s[1]), sentence=sentence(text, int(s[2]), int(s[3]))))
    return ExternalReferences(docno=docno, title=title,
                              indexed=[src.doc_ref(d) for d in np.flatnonzero(indexed & rel.docs.live).tolist()],
                              documents=len(np.unique(rel.refs.src[hits])), total=len(hits), mentions=mentions)


def document_graph(gen: Generation, doc: int, doc_id: str, hops: int, base_url: str) -> Graph:
    """The citation graph around global document ``doc``."""
    rel = relations_of(gen)
    src = GenerationSource(gen, base_url)

    def neighbours(d: Any) -> list[tuple[Any, Any, int]]:
        out = [(int(d), int(t), int(rel.refs.kind[i])) for i in rel.refs_of(int(d)).tolist()
               if (t := int(rel.resolution.target[i])) >= 0]
        out += [(int(rel.refs.src[i]), int(d), int(rel.refs.kind[i])) for i in rel.citing(int(d)).tolist()]
        return out

    return build_graph(doc, doc_id, hops, neighbours, src)
