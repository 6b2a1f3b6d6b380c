"""Exports: every hit of a search as flat rows, written as CSV, JSON lines or XLSX while they are read.

Rows come from :meth:`~indexer.search.backend.SearchBackend.iter_hits` one at a time, so memory does not
grow with the number of rows (``make bench`` measures it). A row is the hit's fields flattened
(``region.province`` → ``province``) plus what a spreadsheet needs to stand alone: the section's whole text,
the first match as plain text with its ``[match_start, match_end)`` offsets in that text (every match in
``match_spans``, ``start-end;…``), the permalink of the section, and its GB/T 7714 citation.

CSV is UTF-8 with a byte-order mark, which Excel needs to read Chinese text; a text cell that starts with
``= + - @`` is prefixed with ``'`` so that a spreadsheet never runs it as a formula. XLSX is written by
XlsxWriter in constant-memory mode into a temporary file, then sent.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from indexer.cite import DEFAULT_STYLE, citation, citation_fields, citation_short
from indexer.search.results import ExportHit, doc_path
from indexer.search.snippets import match_spans

FORMATS = ("csv", "jsonl", "xlsx")
#: The most rows one export returns (XLSX holds at most 1,048,576 rows a sheet).
MAX_ROWS = 1_000_000
COLUMNS = ("doc_id", "section_id", "title", "title_derived", "heading", "date", "date_precision", "date_inferred",
           "written", "year",
           "province", "city", "issuer", "source", "doc_number", "doctype", "collection", "template", "source_url",
           "fetched", "score", "matches", "match", "match_start", "match_end", "match_spans", "snippet", "text",
           "url", "permalink", "citation", "citation_short")
#: Chinese column headers (``headers=zh``), in COLUMNS order.
COLUMNS_ZH = ("文档编号", "段落编号", "标题", "标题为拟", "小标题", "日期", "日期精度", "日期为推断",
              "成文日期", "年份",
              "省份", "城市", "发文机关", "来源", "文号", "文种", "文献集", "模板", "原文网址", "抓取时间",
              "相关度", "匹配段落数", "匹配", "匹配起点", "匹配终点", "全部匹配位置", "摘要", "段落全文", "本站链接",
              "永久链接", "引文", "文中引注")
assert len(COLUMNS_ZH) == len(COLUMNS)
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def row(item: ExportHit, needles: list[str], base_url: str = "", style: str = DEFAULT_STYLE) -> dict[str, Any]:
    """One flat export row (keys in COLUMNS order)."""
    hit = item.hit
    spans = match_spans(item.text, needles) if needles else []
    first = spans[0] if spans else None
    if first is None and hit.highlights:  # the match runs on into the next section: as the snippet shows it
        s, e = hit.highlights[0]
        match = hit.snippet[s:e]
    else:
        match = item.text[first[0]:first[1]] if first else ""
    permalink = doc_path(hit.doc_id, hit.section_id, base_url)
    cited = citation_fields(title=hit.title, title_derived=hit.title_derived, issuer=hit.issuer, source=hit.source,
                            doc_number=item.doc_number, doctype=hit.doctype, date=hit.date, url=item.source_url,
                            permalink=doc_path(hit.doc_id, base_url=base_url), date_inferred=hit.date_inferred)
    values: dict[str, Any] = {
        "doc_id": hit.doc_id, "section_id": hit.section_id, "title": hit.title, "title_derived": hit.title_derived,
        "heading": hit.heading, "date": hit.date, "date_precision": hit.date_precision,
        "date_inferred": hit.date_inferred, "written": item.written,
        "year": hit.year, "province": hit.region.province, "city": hit.region.city, "issuer": hit.issuer,
        "source": hit.source, "doc_number": item.doc_number, "doctype": hit.doctype, "collection": hit.collection,
        "template": hit.template, "source_url": item.source_url, "fetched": hit.fetched, "score": hit.score,
        "matches": hit.matches, "match": match, "match_start": first[0] if first else None,
        "match_end": first[1] if first else None, "match_spans": ";".join(f"{s}-{e}" for s, e in spans),
        "snippet": hit.snippet, "text": item.text, "url": hit.url, "permalink": permalink,
        "citation": citation(cited, style), "citation_short": citation_short(cited, style),
    }
    return {k: values[k] for k in COLUMNS}


def rows(items: Iterable[ExportHit], needles: list[str], base_url: str = "", style: str = DEFAULT_STYLE
         ) -> Iterator[dict[str, Any]]:
    for item in items:
        yield row(item, needles, base_url, style)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell, the same in every CSV the project writes (exports here, the site's downloads in
    webui/downloads.py): nothing for None, ``true``/``false`` as JSON writes them (Python's ``True`` would
    make one download differ from another), text a spreadsheet would run as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def header(lang: str = "en") -> tuple[str, ...]:
    """The header row: the field names (``en``) or Chinese labels (``zh``)."""
    return COLUMNS_ZH if lang == "zh" else COLUMNS


def csv_chunks(records: Iterable[dict[str, Any]], flush_rows: int = 200, lang: str = "en") -> Iterator[str]:
    """CSV text in chunks: a byte-order mark and the header first, then rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(header(lang))
    for n, rec in enumerate(records, 1):
        writer.writerow([csv_cell(rec[k]) for k in COLUMNS])
        if n % flush_rows == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line."""
    for rec in records:
        yield json.dumps(rec, ensure_ascii=False) + "\n"


def write_xlsx(records: Iterable[dict[str, Any]], path: Path, abandoned: Callable[[], bool] | None = None,
               lang: str = "en") -> int | None:
    """Write an .xlsx file (one sheet, a header row in ``lang``, text cells stored as text); returns the rows
    written. When ``abandoned()`` is true once the records end (the client left), the workbook is not
    assembled: its row data is dropped and None returned."""
    with tempfile.TemporaryDirectory(prefix="tzsearch-xlsx-") as tmp:
        return _write_xlsx(records, path, tmp, abandoned or (lambda: False), lang)


def _write_xlsx(records: Iterable[dict[str, Any]], path: Path, tmp: str, abandoned: Callable[[], bool],
                lang: str) -> int | None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False, "tmpdir": tmp})
    sheet = book.add_worksheet("hits")
    bold = book.add_format({"bold": True})
    for c, name in enumerate(header(lang)):
        sheet.write_string(0, c, name, bold)
    count = 0
    for r, rec in enumerate(records, 1):
        for c, name in enumerate(COLUMNS):
            value = rec[name]
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value)[:32767])
        count = r
    if abandoned():
        book.fileclosed = True  # never assembled; XlsxWriter (pinned) keeps each sheet's rows in an open file
        for ws in book.worksheets():
            ws.row_data_fh.close()  # in tmp, removed with it
        return None
    book.close()
    return count
