"""CSV downloads of the research and analysis pages: one writer, headers in English (the API's field names,
the default) or Chinese (``headers=zh``), UTF-8 with a byte-order mark (Excel reads the Chinese), cells
written as ``/api/export`` writes them (:func:`indexer.search.export.csv_cell`: ``true``/``false``, cells a
spreadsheet would run as a formula defused), and a file name that carries the query (``趋势_两个健康.csv``,
with an ASCII fallback for old clients, RFC 6266 / 5987).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from flask import Response

from indexer.search.export import csv_cell
from webui.errors import ApiError

#: Characters a file name may not hold on common systems (and quotes, which would end the header value).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f;,%\s]+')
LANGS = ("en", "zh")


def header_lang(args: Mapping[str, str]) -> str:
    """``headers=zh`` for Chinese column headers, ``en`` (default) for the API's field names."""
    value = args.get("headers", "en").strip()  # absent: the default; given (even empty): one of the choices
    if value not in LANGS:
        raise ApiError(f"headers must be one of {', '.join(LANGS)}, got {value[:40]!r}")
    return value


def csv_text(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]], lang: str = "en") -> str:
    """CSV of ``rows`` under ``columns`` ((English, Chinese) header pairs)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([zh if lang == "zh" else en for en, zh in columns])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def file_name(kind: str, *parts: str | None, ext: str = "csv") -> str:
    """``kind_part_part.ext``: the parts (the query, a filter) with characters unsafe in a file name replaced."""
    pieces = [kind] + [_UNSAFE.sub("_", p).strip("_.")[:40] for p in parts if p and p.strip()]
    return "_".join(x for x in pieces if x)[:120] + "." + ext


def attachment(name: str, fallback: str) -> str:
    """A Content-Disposition value: ``name`` (UTF-8) for clients that read ``filename*``, else ``fallback``."""
    ascii_name = fallback if name.isascii() is False else name
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def csv_response(body: str, name: str, fallback: str) -> Response:
    """A CSV download (byte-order mark first, so that spreadsheets read UTF-8)."""
    return Response("\ufeff" + body, mimetype="text/csv", headers={"Content-Disposition": attachment(name, fallback)})
