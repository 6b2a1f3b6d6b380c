"""PostgreSQL backend: the same import, search and API as the embedded Whoosh index, in a database that people
already operate, back up and replicate.

How the parts fit:

* :mod:`.cluster` — a throwaway local server (``make pg-up``, the tests, the bench): initdb, start, stop, and a
  streaming replica made with ``pg_basebackup``;
* :mod:`.schema` — versioned migrations (``migrations/NNNN_*.sql``) applied by ``python -m indexer db upgrade``;
* :mod:`.tokens` — what is stored per section, computed in Python by the same code as the Whoosh side
  (normalised continuous text, character grams, jieba word frequencies, date bounds);
* :mod:`.writer` — the write side (:class:`~indexer.pg.writer.PgStore`): one transaction per import or crawl
  batch, row-level locks, duplicates and corpus statistics kept exact under concurrent writers;
* :mod:`.matching` — a query tree as SQL: what the gram index answers and what each row is tested for (exact
  wording by gram candidates verified on the piece and across the break); :mod:`.ranking` — BM25 in SQL
  from stored statistics; :mod:`.facets`; :mod:`.search` — the read side
  (:class:`~indexer.pg.search.PgBackend`: search, count_by, document, stats, exports);
  :mod:`.occurrences` — concordance lines; :mod:`.reuse` and :mod:`.reuse_view` — shared passages;
* :mod:`.connect` — connections and the pool, reads from a replica when one is configured.

Nothing here changes what a search means: the semantics are those of :mod:`indexer.search` (see
``tests/test_backends.py``, which compares both backends' JSON on one corpus).
"""
