"""``python -m indexer search QUERY --all --format csv|jsonl``: every hit of a search, written as it is read.

The rows are those of ``/api/export`` (:mod:`indexer.search.export`): the hit's fields flattened, the
section's text, the first match and its offsets, the permalink and the GB/T 7714 citation. CSV starts
with a byte-order mark so that Excel reads the Chinese text; ``--max-rows`` caps the rows (default
:data:`indexer.search.export.MAX_ROWS`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from indexer.search import export
from indexer.search.backend import SearchBackend
from indexer.search.service import SearchParams, highlight_terms


def write_all(service: SearchBackend, params: SearchParams, fmt: str, out: BinaryIO, style: str = "2025",
              max_rows: int = export.MAX_ROWS) -> int:
    """Write every hit of ``params`` to ``out``; returns the number of rows."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        needles = highlight_terms(params.q, params.mode, params.synonyms)
        for rec in export.rows(service.iter_hits(params, max_rows), needles, service.base_url, style):
            count += 1
            yield rec

    chunks = export.csv_chunks(counted()) if fmt == "csv" else export.jsonl_chunks(counted())
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    out.flush()
    return count


def stdout() -> BinaryIO:
    """Where ``--all`` writes: standard output, as bytes."""
    return sys.stdout.buffer
