"""One dict per page, built from the result model (``indexer.search.results``) for the HTML templates.

Facet values come with ``count``, ``selected`` and a ``toggle_url`` computed here, so templates only loop;
selected filters become removable chips; every URL carries the whole search state. HTML is made here and
in the templates only: matches are marked with ``<mark>`` around escaped text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup, escape

from indexer.cite import citation, citation_short, fields_of
from indexer.search.backend import SearchBackend
from indexer.search.results import UNKNOWN_VALUE, DocumentView, Hit, SearchResult, region_label
from indexer.search.service import SearchParams, highlight_terms
from indexer.search.snippets import match_spans
from webui.chart import year_chart
from webui.hints import query_hints
from webui.params import FILTERS

STATE_KEYS = ("q", "mode", "province", "city", "year", "doctype", "source", "collection", "issuer", "docno", "status",
              "from", "to", "sort", "group", "per_page", "synonyms")
FACET_LABELS = {"province": "省份", "city": "城市", "year": "年份", "doctype": "文种", "source": "来源",
                "collection": "文献集", "issuer": "发文机关", "docno": "发文字号", "status": "时效"}
SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
UNKNOWN = "未注明"


def mark(text: str, spans: list[tuple[int, int]] | list[list[int]], offset: int = 0) -> Markup:
    """``text`` escaped, with ``<mark>`` around the spans (given in coordinates shifted by ``offset``)."""
    out: list[str] = []
    pos, size = 0, len(text)
    for s, e in spans:
        s, e = s - offset, e - offset
        s, e = (s if s > pos else pos), (e if e < size else size)
        if e <= s:
            continue
        out += (escape(text[pos:s]), "<mark>", escape(text[s:e]), "</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def state(args: Mapping[str, str]) -> dict[str, str]:
    """The search state carried in URLs (empty values dropped)."""
    return {k: args[k].strip() for k in STATE_KEYS if args.get(k) and args[k].strip()}


def search_url(current: dict[str, str], **changes: str | None) -> str:
    """The search page URL for ``current`` with ``changes`` (None removes a key); resets the page."""
    new = {k: v for k, v in current.items() if k != "page"}
    for k, v in changes.items():
        if v is None:
            new.pop(k, None)
        else:
            new[k] = str(v)
    return url_for("views.search") + ("?" + urlencode(new) if new else "")


def _hit(hit: Hit, needles: list[str]) -> dict[str, Any]:
    return {"hit": hit, "url": hit.url, "title": hit.title, "title_derived": hit.title_derived,
            "snippet_html": mark(hit.snippet, hit.highlights),
            "heading_html": mark(hit.heading or "", match_spans(hit.heading or "", needles)),
            "region_label": region_label(hit.region)}


def _facets(result: SearchResult, current: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for name, buckets in result.facets.items():
        values = []
        for b in buckets:
            key = UNKNOWN_VALUE if b.value is None else str(b.value)
            selected = current.get(name) == key
            toggle = search_url(current, **{name: None if selected else key})
            label = UNKNOWN if b.value is None else str(b.value)
            values.append({"value": b.value, "label": label, "count": b.count, "selected": selected,
                           "toggle_url": toggle, "inferred": b.inferred})
        out.append({"name": name, "label": FACET_LABELS[name], "values": values})
    return out


def _chips(current: dict[str, str]) -> list[dict[str, str]]:
    chips = []
    for name in (*FILTERS, "year"):
        if current.get(name):
            value = UNKNOWN if current[name] == UNKNOWN_VALUE else current[name]
            chips.append({"label": f"{FACET_LABELS[name]}：{value}", "remove_url": search_url(current, **{name: None})})
    if current.get("from") or current.get("to"):
        chips.append({"label": f"日期：{current.get('from', '…')} 至 {current.get('to', '…')}",
                      "remove_url": search_url(current, **{"from": None, "to": None})})
    return chips


def _pages(result: SearchResult, current: dict[str, str]) -> dict[str, Any]:
    last = max(1, -(-result.total // result.per_page))
    page = result.page
    base = search_url(current)
    joiner = "&" if "?" in base else "?"

    def url(n: int) -> str:
        return f"{base}{joiner}page={n}"

    window = range(max(1, page - 3), min(last, page + 3) + 1)
    return {"page": page, "last": last, "prev_url": url(page - 1) if page > 1 else None,
            "next_url": url(page + 1) if page < last else None,
            "numbers": [{"n": n, "url": url(n), "current": n == page} for n in window]}


def hint_links(params: SearchParams, current: dict[str, str]) -> list[dict[str, str]]:
    """A field or a province name the index does not know (:mod:`webui.hints`), with the search that works."""
    return [{"text": h.text, "url": search_url(current, q=h.q or None, province=h.province or current.get("province"))}
            for h in query_hints(params)]


def _suggestions(params: SearchParams, current: dict[str, str]) -> list[dict[str, str]]:
    tips = []
    if any(current.get(k) for k in (*FILTERS, "year", "from", "to")):
        bare = {k: v for k, v in current.items() if k in ("q", "mode", "sort", "group")}
        tips.append({"text": "去掉所有筛选条件再搜", "url": search_url(bare)})
    tips += hint_links(params, current)
    if params.mode == "exact" or '"' in params.q or "“" in params.q:
        plain = params.q.replace('"', " ").replace("“", " ").replace("”", " ")
        tips.append({"text": "改用关键词检索（不要求字面完全一致）",
                     "url": search_url(current, q=plain.strip(), mode=None)})
    return tips


def search_page(service: SearchBackend, params: SearchParams, args: Mapping[str, str]) -> dict[str, Any]:
    """Everything the search page shows."""
    current = state(args)
    result = service.search(params)
    needles = highlight_terms(params.q, params.mode, params.synonyms)
    year_links = {b.value: search_url(current, year=str(b.value)) for b in result.facets["year"]
                  if isinstance(b.value, int)}
    return {
        "result": result, "params": params, "state": current, "facets": _facets(result, current),
        "hits": [_hit(h, needles) for h in result.hits],
        "chips": _chips(current), "pages": _pages(result, current),
        "chart": year_chart([{"value": b.value, "count": b.count} for b in result.facets["year"]], year_links,
                            "每年匹配文档数" if params.group == "document" else "每年匹配段落数"),
        "unit": "篇文档" if params.group == "document" else "个段落",
        "suggestions": _suggestions(params, current) if result.total == 0 else [],
        "hints": hint_links(params, current) if result.total else [],
        "wordings_url": url_for("analytics.wordings_page") + "?" + urlencode(  # the documents found: same mode
            {**{k: v for k, v in current.items() if k not in ("sort", "group", "per_page")}, "mode": params.mode,
             **({"synonyms": "1" if params.synonyms else "0"} if params.q and params.mode == "keyword" else {})}),
        "mode_urls": {m: search_url(current, mode=None if m == "keyword" else m) for m in ("keyword", "exact")},
        "sort_urls": {s: (label, search_url(current, sort=None if s == "relevance" else s))
                      for s, label in SORT_LABELS.items()},
        "group_urls": {g: search_url(current, group=g) for g in ("section", "document")},
        "undated": next((b.count for b in result.facets["year"] if b.value is None), 0),
        "exact_terms_url": search_url(current, synonyms="0"),
    }


def citations(doc: DocumentView) -> dict[str, str]:
    """The cite block: GB/T 7714-2025 (the default) and -2015 entries and the in-text forms
    (:mod:`indexer.cite`; the original address, else this site's page)."""
    f = fields_of(doc, doc.url_page)
    return {"gbt2025": citation(f, "2025"), "gbt2015": citation(f, "2015"), "short": citation_short(f, "2025"),
            "short2015": citation_short(f, "2015")}
