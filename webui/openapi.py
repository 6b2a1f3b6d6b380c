"""The OpenAPI 3.1 description of the JSON API, generated from the result model's type hints.

Response schemas come from :mod:`indexer.search.results` (the dataclasses the API serialises), so the
description cannot drift from what is sent; tests validate real responses against it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from indexer.research.analysis_results import COMPONENTS as ANALYSIS_COMPONENTS
from indexer.research.results import COMPONENTS as RESEARCH_COMPONENTS
from indexer.search import results
from indexer.search.service import GROUPS, SORTS
from webui.analytics_openapi import NOTES as ANALYTICS_NOTES
from webui.analytics_openapi import analytics_paths
from webui.relations_openapi import COMPONENTS as RELATION_COMPONENTS
from webui.relations_openapi import NOTES as RELATION_NOTES
from webui.relations_openapi import relation_paths
from webui.relations_openapi import search_parameters as relation_filters
from webui.research_openapi import NOTES as RESEARCH_NOTES
from webui.research_openapi import research_paths

_PRIMITIVES = {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"},
               bool: {"type": "boolean"}}
_NOTES = {
    ("Hit", "snippet"): "plain text around the first match; marks are given by highlights",
    ("Hit", "highlights"): "[start, end) character offsets of the matches inside snippet",
    ("Hit", "url"): "the document page, anchored at the section",
    ("Hit", "matches"): "grouped by document: how many sections of the document match",
    ("Hit", "sections"): "grouped by document: the matching sections' ids",
    ("Hit", "score"): "relevance (null when sorted by date)",
    ("SearchResult", "total"): "matching sections (documents when grouped)",
    ("SearchResult", "partial"): "true when the time budget ran out: totals and facets are incomplete",
    ("SearchResult", "also_searched"): "equivalent wordings of keyword terms (synonyms, abbreviations) that were "
                                       "searched too; synonyms=0 turns this off",
    ("DocumentView", "sources"): "this document's id and those of documents with identical text",
    ("FacetValue", "value"): "null: the value is unknown",
    ("FacetValue", "inferred"): "years: how many of the count have the year by inference (the text implies it and "
                                "states no date; shown in square brackets); 0 for other facets",
    ("Hit", "template"): "the document leaves names, places or numbers as placeholders (XX市, xx个)",
    ("Hit", "added"): "when the document entered the index (ISO 8601, UTC)",
    ("DocumentView", "citation"): "GB/T 7714-2025 reference entry (style=2015: the 2015 edition's)",
    ("DocumentView", "citation_short"): "in-text citation, author-year",
    ("SharedDocument", "chars"): "normalised characters of this document inside the shared spans",
    ("SharedDocument", "coverage"): "share of this document's normalised text inside the shared spans",
    ("SharedDocument", "other_coverage"): "the same share of the other document",
    ("SharedDocument", "earlier"): "this | other | unknown (same date, overlapping or missing dates)",
    ("SharedSpan", "start"): "offset in this document's displayed text: its sections' text joined by newlines",
    ("SharedSpan", "other_start"): "offset in the other document's displayed text",
    ("ReuseView", "analysed"): "false: the document has not been compared with the others yet",
    ("ReusePair", "chars"): "shared length: for each span the shorter side, summed",
    ("ReusePair", "earlier"): "a when a is dated earlier than b, else unknown",
    **RESEARCH_NOTES,
    **ANALYTICS_NOTES,
    **RELATION_NOTES,
}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    t = schema.get("type")
    return {**schema, "type": [t, "null"]} if isinstance(t, str) else {"anyOf": [schema, {"type": "null"}]}


def schema_of(tp: Any) -> dict[str, Any]:
    """JSON schema of a type hint."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        base = schema_of(inner[0]) if len(inner) == 1 else {"anyOf": [schema_of(a) for a in inner]}
        return _nullable(base) if type(None) in args else base
    if origin is list:
        return {"type": "array", "items": schema_of(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": schema_of(args[1])}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return {"$ref": f"#/components/schemas/{tp.__name__}"}
    return dict(_PRIMITIVES[tp])


def component(cls: type) -> dict[str, Any]:
    """The schema of a result dataclass: every field required (optional ones may be null)."""
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required = []
    for f in dataclasses.fields(cls):
        props[f.name] = schema_of(hints[f.name])
        note = _NOTES.get((cls.__name__, f.name))
        if note:
            props[f.name]["description"] = note
        if f.name != "notice":
            required.append(f.name)
    if "ok" in props:
        props["ok"] = {"const": cls is not results.ErrorBody}
    return {"type": "object", "required": required, "properties": props, "additionalProperties": False}


COMPONENTS = (results.Region, results.Hit, results.FacetValue, results.SearchResult, results.SectionView,
              results.DocumentView, results.ErrorBody, results.Stats, results.Occurrence, *RESEARCH_COMPONENTS,
              *ANALYSIS_COMPONENTS,
              results.SharedSpan, results.SharedDocument, results.ReuseView, results.PairDocument, results.ReusePair,
              results.ReusePairs, *RELATION_COMPONENTS)


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _responses(ok: str, errors: tuple[int, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": "OK", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{ok}"}}}}}
    for code in errors:
        out[str(code)] = {"description": "error", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    return out


#: a year 0001–9999 (there is no year 0), then a month 01–12: what ``webui.params`` accepts as a date
_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
DATE = {"anyOf": [{"type": "string", "maxLength": 0}, {"type": "string", "pattern": f"^{_YEAR}$"},
                  {"type": "string", "pattern": f"^{_YEAR}-(0[1-9]|1[0-2])$"}, {"type": "string", "format": "date"}]}


def search_parameters(max_per_page: int) -> list[dict[str, Any]]:
    text = {"type": "string", "maxLength": 500}
    return [
        _param("q", text, 'words (all required), "exact wording", OR, NOT/-, ( ), title:, province:, year:2020..2022'),
        _param("mode", {"enum": ["keyword", "exact"], "default": "keyword"}, "exact: unquoted text is one phrase"),
        _param("synonyms", {"enum": ["1", "0"], "default": "1"},
               "1: keyword terms also find their equivalents (统战 ↔ 统一战线; listed in also_searched); 0: off. "
               "The default is the site's SYNONYMS setting"),
        _param("province", text, "short name, e.g. 上海; 全国 for central bodies; unknown: not stated"),
        _param("city", text, "short name, e.g. 常州"),
        _param("year", {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 9999}, {"const": "unknown"}]},
               "publication year (unknown: documents without one)"),
        _param("from", DATE,
               "first date, YYYY-MM-DD (or YYYY, YYYY-MM), inclusive; a document dated only by year or month "
               "counts when that year or month overlaps the range"),
        _param("to", DATE, "last date, inclusive (empty: not set)"),
        _param("doctype", text, "document type, e.g. 工作总结, 通知"),
        _param("source", text, "issuing body or outlet (来源)"),
        _param("collection", text, "the imported folder (or --collection name) documents came from"),
        *relation_filters(),
        _param("sort", {"enum": [*SORTS, "date"], "default": "relevance"},
               "order of hits; date = newest; undated documents come last in both date orders; added = newest in "
               "the index first"),
        _param("group", {"enum": list(GROUPS), "default": "section"}, "document: one hit per document"),
        _param("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}, "page number"),
        _param("per_page", {"type": "integer", "minimum": 1, "default": 10},
               f"hits per page; values above {max_per_page} are capped at {max_per_page}"),
    ]


def spec(max_per_page: int) -> dict[str, Any]:
    """The whole description."""
    doc_id = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"},
              "description": "the doc_id of a hit (collection/path or a URL; slashes allowed)"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "tzsearch API", "version": "2",
                 "description": "Search Chinese united-front (统战) documents. Every error has the shape "
                                '{"ok": false, "error": str, "status": int}.'},
        "paths": {
            "/api/search": {"get": {"summary": "Search sections", "parameters": search_parameters(max_per_page),
                                    "responses": _responses("SearchResult", (400, 503))}},
            "/api/doc/{doc_id}": {"get": {"summary": "A document with its sections and its citation",
                                          "parameters": [doc_id, _param("style", {"enum": ["2025", "2015"],
                                                                                  "default": "2025"},
                                                                        "GB/T 7714 edition of the citation")],
                                          "responses": _responses("DocumentView", (400, 404, 503))}},
            "/api/doc/{doc_id}/reuse": {"get": {
                "summary": "Wording this document shares with other documents (aligned passages of at least 30 "
                           "normalised characters, small edits allowed)",
                "parameters": [doc_id], "responses": _responses("ReuseView", (404, 503))}},
            "/api/reuse": {"get": {
                "summary": "Pairs of documents sharing wording, longest shared length first; a pair is listed when "
                           "one of its documents matches every filter",
                "parameters": [p for p in search_parameters(max_per_page)
                               if p["name"] in ("province", "year", "doctype", "page", "per_page")],
                "responses": _responses("ReusePairs", (400, 503))}},
            "/api/export": {"get": {
                "summary": "Every hit of a search as a file (streamed), at most EXPORT_MAX_ROWS rows (default "
                           "1,000,000); headers X-Total-Count, X-Export-Rows, X-Export-Truncated",
                "parameters": [p for p in search_parameters(max_per_page) if p["name"] not in ("page", "per_page")]
                + [_param("format", {"enum": ["csv", "xlsx", "jsonl"], "default": "csv"},
                          "csv: UTF-8 with a byte-order mark (Excel); xlsx; jsonl: one JSON object per line"),
                   _param("style", {"enum": ["2025", "2015"], "default": "2025"}, "GB/T 7714 edition of citations"),
                   _param("headers", {"enum": ["en", "zh"], "default": "en"},
                          "column headers: field names (en) or Chinese labels (zh); CSV and XLSX")],
                "responses": {"200": {"description": "the rows: the hit's fields flattened (region.province → "
                                                     "province), the section's text, the first match and its "
                                                     "offsets, the permalink and the citation"},
                              **{k: v for k, v in _responses("ErrorBody", (400, 503)).items() if k != "200"}}}},
            "/api/stats": {"get": {"summary": "Size of the index and counts per facet",
                                   "responses": _responses("Stats", (503,))}},
            **research_paths(search_parameters(max_per_page)),
            **analytics_paths(search_parameters(max_per_page)),
            **relation_paths(doc_id),
            "/api/openapi.json": {"get": {"summary": "This description",
                                          "responses": {"200": {"description": "OK"}}}},
        },
        "components": {"schemas": {c.__name__: component(c) for c in COMPONENTS}},
    }
