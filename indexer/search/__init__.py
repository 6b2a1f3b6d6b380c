"""Search: one interface (:mod:`.backend`), and the embedded index's implementation of it.

* :mod:`.backends` — the one place that picks the engine (an index folder, or a PostgreSQL URL:
  :mod:`indexer.pg`);
* :mod:`.query` — the query language and its limits; :mod:`.evaluate` and :mod:`.exact` — matching over an
  index generation (exact wording verified against each document's continuous text); :mod:`.ranking` — BM25
  over all matches; :mod:`.facets`; :mod:`.snippets`; :mod:`.occurrences` — concordance lines;
  :mod:`.export` — rows for downloads;
* :mod:`.generation` — one index generation as arrays; :mod:`.live` — swapping generations off the request
  path;
* :mod:`.results` — the one result model; :mod:`.docview` — a document's page model, built alike by every
  engine;
* :mod:`.service` — :class:`~indexer.search.service.SearchService`, the embedded engine's entry point that
  the CLI, the pages and the JSON API call.
"""
