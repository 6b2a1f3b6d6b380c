"""The OpenAPI 3.1 description of the JSON API (kept true by tests/test_api.py, which validates real
responses against these schemas)."""

from __future__ import annotations

from typing import Any

NULLABLE_STR = {"type": ["string", "null"]}
REGION = {"type": "object", "required": ["province", "city"],
          "properties": {"province": NULLABLE_STR, "city": NULLABLE_STR}}
BUCKETS = {"type": "array", "items": {"type": "object", "required": ["value", "count"],
                                      "properties": {"value": {"type": ["string", "integer", "null"]},
                                                     "count": {"type": "integer", "minimum": 0}}}}
HIT = {
    "type": "object",
    "required": ["doc_id", "section_id", "title", "heading", "date", "year", "region", "source", "doctype",
                 "snippet", "score", "url"],
    "properties": {
        "doc_id": {"type": "string"}, "section_id": {"type": "string"}, "title": NULLABLE_STR,
        "heading": NULLABLE_STR, "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "year": {"type": ["integer", "null"]}, "region": REGION, "source": NULLABLE_STR, "doctype": NULLABLE_STR,
        "fetched": NULLABLE_STR,
        "snippet": {"type": "string", "description": "HTML: the section text escaped, matched wording in <mark>"},
        "score": {"type": ["number", "null"], "description": "relevance (null when sorted by date)"},
        "url": {"type": "string", "description": "the document page, with an anchor to the section"},
    },
}
SEARCH_RESULT = {
    "type": "object",
    "required": ["ok", "query", "total", "page", "per_page", "hits", "facets"],
    "properties": {
        "ok": {"const": True}, "query": {"type": "string"}, "mode": {"enum": ["keyword", "exact"]},
        "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1}, "hits": {"type": "array", "items": HIT},
        "facets": {"type": "object", "required": ["province", "city", "year", "doctype", "source"],
                   "properties": {k: BUCKETS for k in ("province", "city", "year", "doctype", "source")}},
        "notice": {"type": "string"},
    },
}
DOCUMENT = {
    "type": "object",
    "required": ["ok", "doc_id", "title", "date", "year", "region", "source", "issuer", "doc_number", "doctype",
                 "url", "sections"],
    "properties": {
        "ok": {"const": True}, "doc_id": {"type": "string"}, "title": NULLABLE_STR, "date": NULLABLE_STR,
        "year": {"type": ["integer", "null"]}, "region": REGION, "source": NULLABLE_STR, "issuer": NULLABLE_STR,
        "doc_number": NULLABLE_STR, "doctype": NULLABLE_STR, "url": NULLABLE_STR, "fetched": NULLABLE_STR,
        "url_page": {"type": "string"},
        "sections": {"type": "array", "items": {"type": "object", "required": ["section_id", "heading", "text"],
                                                "properties": {"section_id": {"type": "string"},
                                                               "heading": NULLABLE_STR, "text": {"type": "string"}}}},
    },
}
ERROR = {"type": "object", "required": ["ok", "error", "status"],
         "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}}}


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _responses(ok: dict[str, Any], codes: tuple[int, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": "OK", "content": {"application/json": {"schema": ok}}}}
    for code in codes:
        out[str(code)] = {"description": "error", "content": {"application/json": {"schema": ERROR}}}
    return out


def spec(max_per_page: int = 100) -> dict[str, Any]:
    """The OpenAPI document."""
    params = [
        _param("q", {"type": "string", "maxLength": 500},
               'query: words (all required), "exact wording", OR, NOT/-, ( ), title:, province:, year:2020..2022'),
        _param("mode", {"enum": ["keyword", "exact"], "default": "keyword"}, "exact: unquoted text is one phrase"),
        _param("province", {"type": "string"}, "short name, e.g. 上海"),
        _param("city", {"type": "string"}, "short name, e.g. 常州"),
        _param("year", {"type": "integer"}, "publication year"),
        _param("from", {"type": "string"}, "first date, YYYY-MM-DD (or YYYY, YYYY-MM), inclusive"),
        _param("to", {"type": "string"}, "last date, inclusive"),
        _param("doctype", {"type": "string"}, "document type, e.g. 工作总结, 通知"),
        _param("source", {"type": "string"}, "issuing body or outlet (来源)"),
        _param("sort", {"enum": ["relevance", "date"], "default": "relevance"}, "order of hits"),
        _param("page", {"type": "integer", "minimum": 1, "default": 1}, "page number"),
        _param("per_page", {"type": "integer", "minimum": 1, "default": 10},
               f"hits per page; values above {max_per_page} are capped at {max_per_page}"),
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "tzsearch API", "version": "1",
                 "description": "Search Chinese united-front (统战) documents. Every error has the shape "
                                '{"ok": false, "error": str, "status": int}.'},
        "paths": {
            "/api/search": {"get": {"summary": "Search sections", "parameters": params,
                                    "responses": _responses(SEARCH_RESULT, (400, 503))}},
            "/api/doc/{doc_id}": {"get": {
                "summary": "A document with its sections",
                "parameters": [{"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "the doc_id of a hit (a file path or URL; slashes allowed)"}],
                "responses": _responses(DOCUMENT, (404, 503))}},
            "/api/openapi.json": {"get": {"summary": "This description",
                                          "responses": {"200": {"description": "OK"}}}},
        },
        "components": {"schemas": {"SearchResult": SEARCH_RESULT, "Document": DOCUMENT, "Error": ERROR}},
    }
