"""Search: the query language (:mod:`.query`), evaluation over an index generation (:mod:`.view`),
ranking, facets and snippets, behind :class:`indexer.search.service.SearchService`, the one entry point the
CLI, the pages and the JSON API call.
"""
