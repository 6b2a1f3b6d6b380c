"""A peer in the bench: tantivy (PyPI ``tantivy``, MIT) indexing the same normalised text with character bigrams,
asked the same exact wordings, so that the project's matching step is read as a ratio measured in one run.

The peer indexes every document's continuous text exactly as the project matches it (the generation's
``text.bin``: normalised, sections run together, the title kept apart by :data:`indexer.index.doctext.SEP`).
Each piece between separators becomes its character bigrams, in order, followed by its last character paired
with an end mark (so a one-character piece is there too, and no phrase runs across a separator), as tokens of
tantivy's whitespace tokenizer with positions. A wording of two characters is a term query, a longer one the
phrase of its bigrams, one character a regular expression over the terms (the bigrams it starts).

Timed for each query, one after the other in the same process, each once: the project's matching and counting
(the server's :meth:`indexer.search.evaluate.Matcher.sections` of the normalised wording, restricted to the
live sections, then the documents counted)
and tantivy's (``searcher.search(query, 1, count=True)``). The documents found are checked equal — counts
always, the documents themselves where there are at most :data:`CHECK_SETS` — so that the ratio compares equal
work.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

END = "\u0002"
CHECK_SETS = 2000


def _tokens(text: str) -> str:
    """Whitespace-separated bigram tokens of a document's continuous text (see the module docstring)."""
    from indexer.index.doctext import SEP

    out: list[str] = []
    for piece in text.split(SEP):
        if piece:
            out.append(" ".join(map(str.__add__, piece, piece[1:])))
            out.append(piece[-1] + END)
    return " ".join(t for t in out if t)


def _escape(ch: str) -> str:
    return "\\" + ch if ch.isascii() and not ch.isalnum() else ch


def _query(tantivy: Any, schema: Any, wording: str) -> Any:
    if len(wording) == 1:
        return tantivy.Query.regex_query(schema, "t", _escape(wording) + ".")
    grams = [a + b for a, b in zip(wording, wording[1:], strict=False)]
    if len(grams) == 1:
        return tantivy.Query.term_query(schema, "t", grams[0])
    return tantivy.Query.phrase_query(schema, "t", grams)


def build(gen: Any, folder: Path) -> tuple[Any, Any, dict[str, Any]]:
    """A tantivy index of the generation's documents (those with a section not deleted); its build figures."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("t", stored=False, tokenizer_name="whitespace", index_option="position")
    builder.add_integer_field("d", stored=True, indexed=False, fast=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(1 << 30, 2)
    alive = _alive_docs(gen)
    started = time.monotonic()
    text_bytes = 0
    for p in gen.parts:
        part = p.part
        starts, doc_start = np.asarray(part.starts), np.asarray(part.doc_start)
        for d in range(part.documents):
            if not alive[p.doc_base + d]:
                continue
            raw = bytes(part.text[int(starts[doc_start[d]]):int(starts[doc_start[d + 1]])])
            text_bytes += len(raw)
            writer.add_document(tantivy.Document(t=_tokens(raw.decode("utf-8")), d=p.doc_base + d))
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.monotonic() - started
    index.reload()
    searcher = index.searcher()
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return schema, searcher, {"peer_build_s": round(seconds, 1), "peer_mb_per_s": round(text_bytes / 1e6 / seconds, 2),
                              "peer_index_mb": round(size / 1e6, 1), "peer_segments": searcher.num_segments,
                              "peer_documents": searcher.num_docs}


def _alive_docs(gen: Any) -> np.ndarray:
    """Documents not deleted (hidden duplicates included: the peer knows nothing of duplicates)."""
    docs = np.zeros(gen.documents_all, dtype=bool)
    docs[gen.doc_of[gen.live]] = True
    for others in gen.duplicates.values():
        docs[others] = True
    return docs


def _project(gen: Any, wording: str, alive_sections: np.ndarray) -> tuple[float, np.ndarray]:
    """The project's matching and counting as the server does them: the matching sections of the wording
    (:meth:`indexer.search.evaluate.Matcher.sections`, as ``SearchService`` takes them), then one document per run
    of them (:func:`indexer.search.facets.representatives`; np.unique would hash a million section numbers at
    1M and time numpy, not the project)."""
    from indexer.search.evaluate import Matcher
    from indexer.search.exact import Budget
    from indexer.search.facets import representatives
    from indexer.search.query import Phrase

    started = time.perf_counter()
    cand = Matcher(gen, Budget(600.0)).sections(Phrase(wording), alive_sections)
    docs = gen.doc_of[representatives(gen, cand)]
    return (time.perf_counter() - started) * 1000, docs


def _peer(searcher: Any, query: Any) -> tuple[float, int]:
    started = time.perf_counter()
    count = searcher.search(query, 1, count=True).count
    return (time.perf_counter() - started) * 1000, int(count)


def _peer_docs(searcher: Any, query: Any, count: int) -> set[int]:
    hits = searcher.search(query, max(count, 1), count=False).hits
    return {int(searcher.doc(addr)["d"][0]) for _, addr in hits}


def compare(gen: Any, schema: Any, searcher: Any, groups: dict[str, list[str]]) -> dict[str, Any]:
    """Per group of queries: p50/p95 of both systems' matching and counting, and project ÷ tantivy."""
    import tantivy

    from indexer.text.normalize import normalize
    from tools.bench_http import percentiles

    alive_sections = _alive_docs(gen)[gen.doc_of]
    out: dict[str, Any] = {}
    mismatches: list[str] = []
    for name, queries in groups.items():
        ours: list[float] = []
        theirs: list[float] = []
        for q in queries:
            wording = normalize(q)
            if not wording:
                continue
            query = _query(tantivy, schema, wording)
            ms, docs = _project(gen, wording, alive_sections)
            peer_ms, count = _peer(searcher, query)
            ours.append(ms)
            theirs.append(peer_ms)
            if count != len(docs) or (count <= CHECK_SETS and _peer_docs(searcher, query, count) != set(docs.tolist())):
                mismatches.append(f"{wording!r}: project {len(docs)} documents, tantivy {count}")
        a, b = percentiles(ours), percentiles(theirs)
        out[name] = {"project_p50_ms": a["p50_ms"], "project_p95_ms": a["p95_ms"], "tantivy_p50_ms": b["p50_ms"],
                     "tantivy_p95_ms": b["p95_ms"], "ratio_p50": round(a["p50_ms"] / max(b["p50_ms"], 1e-3), 2),
                     "ratio_p95": round(a["p95_ms"] / max(b["p95_ms"], 1e-3), 2), "queries": len(ours)}
    out["mismatches"] = mismatches
    return out


def peer_job(index: str, groups: dict[str, list[str]], queue: Any) -> None:
    """In a fresh process: build the peer over the index's published generation, then compare."""
    from indexer.search.generation import Generation

    gen = Generation(Path(index))
    folder = Path(tempfile.mkdtemp(prefix="tzpeer-"))
    try:
        schema, searcher, figures = build(gen, folder)
        figures["peer"] = compare(gen, schema, searcher, groups)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        gen.close()
    queue.put(figures)
