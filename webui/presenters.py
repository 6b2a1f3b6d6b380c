"""One dict per page, used by both the HTML templates and (for search) the JSON API.

Facet values come with ``count``, ``selected`` and a ``toggle_url`` computed here, so templates only loop;
selected filters become removable chips; every URL carries the whole search state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup

from indexer.search.query import parse
from indexer.search.service import SearchParams, SearchService, highlight_terms
from indexer.search.snippets import mark, match_spans
from webui.chart import year_chart
from webui.params import FILTERS

STATE_KEYS = ("q", "mode", "province", "city", "year", "doctype", "source", "from", "to", "sort", "per_page")
FACET_LABELS = {"province": "省份", "city": "城市", "year": "年份", "doctype": "文种", "source": "来源"}
UNKNOWN = "未注明"


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


def section_anchor(section_id: str) -> str:
    return "s" + section_id.rsplit("#", 1)[-1]


def doc_url(doc_id: str, section_id: str | None = None, q: str = "", mode: str = "", external: bool = False) -> str:
    """The document page, optionally highlighting a query and pointing at a section."""
    params = {k: v for k, v in (("q", q), ("mode", mode)) if v}
    url = url_for("views.document", doc_id=doc_id, _external=external, **params)
    return url + ("#" + section_anchor(section_id) if section_id else "")


def add_urls(result: dict[str, Any], params: SearchParams) -> dict[str, Any]:
    """Give every hit its document URL (the API's ``url`` field)."""
    for hit in result["hits"]:
        mode = params.mode if params.mode != "keyword" else ""
        hit["url"] = doc_url(hit["doc_id"], hit["section_id"], params.q, mode)
    return result


def _facets(result: dict[str, Any], current: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for name, buckets in result["facets"].items():
        values = []
        for b in buckets:
            value = b["value"]
            selected = value is not None and current.get(name) == str(value)
            toggle = None if value is None else search_url(current, **{name: None if selected else str(value)})
            values.append({"value": value, "label": UNKNOWN if value is None else str(value), "count": b["count"],
                           "selected": selected, "toggle_url": toggle})
        out.append({"name": name, "label": FACET_LABELS[name], "values": values})
    return out


def _chips(current: dict[str, str]) -> list[dict[str, str]]:
    chips = []
    for name in FILTERS + ("year",):
        if current.get(name):
            chips.append({"label": f"{FACET_LABELS[name]}：{current[name]}",
                          "remove_url": search_url(current, **{name: None})})
    if current.get("from") or current.get("to"):
        chips.append({"label": f"日期：{current.get('from', '…')} 至 {current.get('to', '…')}",
                      "remove_url": search_url(current, **{"from": None, "to": None})})
    return chips


def _pages(result: dict[str, Any], current: dict[str, str]) -> dict[str, Any]:
    last = max(1, -(-result["total"] // result["per_page"]))
    page = result["page"]

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
    if any(current.get(k) for k in FILTERS + ("year", "from", "to")):
        bare = {k: v for k, v in current.items() if k in ("q", "mode", "sort")}
        tips.append({"text": "去掉所有筛选条件再搜", "url": search_url(bare)})
    if params.mode == "exact" or '"' in params.q or "“" in params.q:
        plain = params.q.replace('"', " ").replace("“", " ").replace("”", " ")
        tips.append({"text": "改用关键词检索（不要求字面完全一致）",
                     "url": search_url(current, q=plain.strip(), mode=None)})
    return tips


def search_page(service: SearchService, params: SearchParams, args: Mapping[str, str]) -> dict[str, Any]:
    """Everything the search page shows."""
    current = state(args)
    result = add_urls(service.search(params), params)
    year_links = {b["value"]: search_url(current, year=str(b["value"])) for b in result["facets"]["year"]
                  if b["value"] is not None}
    needles = _needles(params)
    for hit in result["hits"]:
        hit["snippet_html"] = Markup(hit["snippet"])
        hit["region_label"] = "/".join(x for x in (hit["region"]["province"], hit["region"]["city"]) if x)
        hit["heading_html"] = mark(hit["heading"] or "", match_spans(hit["heading"] or "", needles))
    return {
        "result": result, "params": params, "state": current, "facets": _facets(result, current),
        "chips": _chips(current), "pages": _pages(result, current),
        "chart": year_chart(result["facets"]["year"], year_links),
        "suggestions": _suggestions(params, current) if result["total"] == 0 else [],
        "mode_urls": {m: search_url(current, mode=None if m == "keyword" else m) for m in ("keyword", "exact")},
        "sort_urls": {s: search_url(current, sort=None if s == "relevance" else s) for s in ("relevance", "date")},
    }


def _needles(params: SearchParams) -> list[str]:
    return highlight_terms(parse(params.q, exact=params.mode == "exact")[0])


def document_page(doc: dict[str, Any], q: str, mode: str) -> dict[str, Any]:
    """Everything the document page shows: sections with highlights, a table of contents, a citation."""
    needles = _needles(SearchParams(q=q, mode=mode)) if q else []
    sections = []
    for s in doc["sections"]:
        paragraphs = [mark(p, match_spans(p, needles)) for p in s["text"].split("\n") if p.strip()]
        sections.append({"anchor": section_anchor(s["section_id"]), "heading": s["heading"],
                         "heading_html": mark(s["heading"] or "", match_spans(s["heading"] or "", needles)),
                         "paragraphs": paragraphs, "hit": bool(needles and match_spans(s["text"], needles))})
    permalink = doc_url(doc["doc_id"], external=True)
    who = doc.get("issuer") or doc.get("source")
    cite = "，".join(x for x in (who, f"《{doc['title']}》" if doc.get("title") else None, doc.get("doc_number"),
                                doc.get("date")) if x) + f"。{permalink}"
    safe_url = doc["url"] if (doc.get("url") or "").startswith(("http://", "https://")) else None
    return {"doc": doc, "sections": sections, "cite": cite, "permalink": permalink, "source_url": safe_url,
            "q": q, "mode": mode, "hits": sum(1 for s in sections if s["hit"]),
            "region_label": "/".join(x for x in (doc["region"]["province"], doc["region"]["city"]) if x)}
