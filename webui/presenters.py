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
from webui.params import FILTERS

STATE_KEYS = ("q", "mode", "province", "city", "year", "doctype", "source", "collection", "from", "to", "sort",
              "group", "per_page", "synonyms")
FACET_LABELS = {"province": "省份", "city": "城市", "year": "年份", "doctype": "文种", "source": "来源",
                "collection": "文献集"}
SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
UNKNOWN = "未注明"


def mark(text: str, spans: list[tuple[int, int]] | list[list[int]], offset: int = 0) -> Markup:
    """``text`` escaped, with ``<mark>`` around the spans (given in coordinates shifted by ``offset``)."""
    out: list[str] = []
    pos = 0
    for s, e in spans:
        s, e = max(s - offset, pos), min(e - offset, len(text))
        if e <= s:
            continue
        out.append(str(escape(text[pos:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(str(escape(text[pos:])))
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
                           "toggle_url": toggle})
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


def _suggestions(params: SearchParams, current: dict[str, str]) -> list[dict[str, str]]:
    tips = []
    if any(current.get(k) for k in (*FILTERS, "year", "from", "to")):
        bare = {k: v for k, v in current.items() if k in ("q", "mode", "sort", "group")}
        tips.append({"text": "去掉所有筛选条件再搜", "url": search_url(bare)})
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
        "mode_urls": {m: search_url(current, mode=None if m == "keyword" else m) for m in ("keyword", "exact")},
        "sort_urls": {s: (label, search_url(current, sort=None if s == "relevance" else s))
                      for s, label in SORT_LABELS.items()},
        "group_urls": {g: search_url(current, group=g) for g in ("section", "document")},
        "undated": next((b.count for b in result.facets["year"] if b.value is None), 0),
        "exact_terms_url": search_url(current, synonyms="0"),
    }


def _doc_spans(doc: DocumentView, needles: list[str], marks: list[tuple[int, int]] | None = None
               ) -> tuple[list[list[tuple[int, int]]], int]:
    """Match spans per section, found in the document's text as a whole (a match may cross a break); ``marks``
    (offsets in that text, e.g. passages shared with another document) are marked too."""
    joined = "\n".join(s.text for s in doc.sections)
    spans = match_spans(joined, needles) if needles else []
    count = len(spans)
    spans = sorted(spans + list(marks or []))
    out: list[list[tuple[int, int]]] = []
    start = 0
    for s in doc.sections:
        end = start + len(s.text)
        out.append([(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start])
        start = end + 1
    return out, count


def citations(doc: DocumentView) -> dict[str, str]:
    """The cite block: GB/T 7714-2025 (the default) and -2015 entries and the in-text forms
    (:mod:`indexer.cite`; the original address, else this site's page)."""
    f = fields_of(doc, doc.url_page)
    return {"gbt2025": citation(f, "2025"), "gbt2015": citation(f, "2015"), "short": citation_short(f, "2025"),
            "short2015": citation_short(f, "2015")}


def document_page(doc: DocumentView, q: str, mode: str, base_url: str = "",
                  marks: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """Everything the document page shows: sections with highlights (the query's matches and ``marks``), a
    table of contents, citations."""
    needles = highlight_terms(q, mode) if q else []
    spans, count = _doc_spans(doc, needles, marks)
    sections = []
    toc: list[dict[str, Any]] = []
    for s, sp in zip(doc.sections, spans, strict=True):
        anchor = "s" + s.section_id.rsplit("#", 1)[-1]
        paragraphs = []
        offset = 0
        for line in s.text.split("\n"):
            if line.strip():
                paragraphs.append(mark(line, [(a, b) for a, b in sp if a < offset + len(line) and b > offset], offset))
            offset += len(line) + 1
        continued = bool(toc) and toc[-1]["heading"] == s.heading
        if s.heading and not continued:
            toc.append({"heading": s.heading, "anchor": anchor, "hit": bool(sp)})
        elif continued and sp:
            toc[-1]["hit"] = True
        sections.append({"anchor": anchor, "heading": None if continued else s.heading,
                         "heading_html": mark(s.heading or "", match_spans(s.heading or "", needles)),
                         "paragraphs": paragraphs, "hit": bool(sp)})
    safe_url = doc.url if (doc.url or "").startswith(("http://", "https://")) else None
    return {"doc": doc, "sections": sections, "toc": toc, "cite": citations(doc),
            "source_url": safe_url, "q": q, "mode": mode, "matches": count,
            "hits": sum(1 for s in sections if s["hit"]), "region_label": region_label(doc.region)}
