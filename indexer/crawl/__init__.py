"""Crawling: a polite, resumable crawler that feeds fetched pages and their attachments through the same
extraction and index store as file imports.

How the parts fit, from the command line down:

* :mod:`.cli` — ``python -m indexer crawl``: options, SIGTERM/Ctrl-C handling, the printed summary;
* :mod:`.crawler` — the loop: queue, checks before each request, redirects hop by hop, batches, resume;
* :mod:`.fetch` — one HTTP request: spacing per host, address policy, time and size limits, retries;
* :mod:`.robots` — robots.txt per host; :mod:`.scope` — which URLs a start URL allows;
* :mod:`.links` — a page's links, attachments and pagination; :mod:`.content` — what a body is, its state
  record, what an attachment inherits from its article;
* :mod:`.state` — the saved per-URL records and unfinished run; :mod:`.summary` — what a run did;
* :mod:`.sink` — the only module that talks to :mod:`indexer.index.store`.
"""
