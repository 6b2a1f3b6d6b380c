"""Research views over an index: where a wording was first used, how its use grew (trend) and spread across
provinces, and every occurrence in context (concordance).

Each view is one module with one function taking a :class:`~indexer.search.backend.SearchBackend` and
:class:`~indexer.search.service.SearchParams` (the query and its filters) and returning a result dataclass of
:mod:`.results` — the object the JSON API serialises and the pages render. Views ask the backend only
(``search``, ``count_by``, ``occurrences``), so they work on every backend:

  :mod:`.first`        earliest documents using a wording, oldest first, with each date's precision
  :mod:`.trend`        documents per year, and their share of all documents of that year, per wording
  :mod:`.spread`       per province: first year of use and documents per year
  :mod:`.concordance`  every occurrence with context, sortable by date, region or left/right context
"""
