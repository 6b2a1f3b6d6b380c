"""A metadata file a user supplies with an import: its fields win over what extraction infers.

Researchers keep a spreadsheet of what they know about their documents. ``load_metadata`` reads one — CSV,
TSV (by suffix, or by sniffing) or JSON Lines — with a ``file`` column holding each file's path relative to the
imported folder, and any of ``title, date, issuer, source, doc_number, region`` (or ``province``), ``city``,
``doctype, url``. The column names of ``../shared/corpus/reports/MANIFEST.tsv`` are understood too
(``title_if_known``, ``year_if_known``, ``region_if_known``, ``source_url_if_known``,
``publish_date_if_known``). Values are checked while loading, so a bad date is reported with its line
before anything is imported. ``apply_metadata`` writes one row's fields onto a document: a given title is
a stated title (``title_derived`` False), a year alone is a year-precision date, a region such as
``全国 (national)`` or ``上海市`` becomes the short province name the index uses. Empty cells change nothing.
Every value is cleaned as extracted text is (:func:`indexer.extract.sanitize.clean_field`: a lone surrogate
such as JSON's ``"\\ud800"`` becomes U+FFFD, NUL and control characters go) before it is checked.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path, PurePosixPath

from indexer.document import Document
from indexer.extract.dates import parse_value
from indexer.extract.regions import Place, gazetteer, normalize_region
from indexer.extract.sanitize import clean_field

#: Column names understood, and the field each one fills (first listed wins when both are given).
COLUMNS = {
    "title": "title", "title_if_known": "title",
    "date": "date", "publish_date_if_known": "date", "year": "year", "year_if_known": "year",
    "issuer": "issuer", "source": "source", "doc_number": "doc_number", "doctype": "doctype",
    "region": "region", "province": "region", "region_if_known": "region", "city": "city",
    "url": "url", "source_url_if_known": "url",
}


class MetadataError(ValueError):
    """A metadata file that cannot be used; the message says which file, line and value."""


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, raw row) for every record of a CSV, TSV or JSON Lines file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(f"cannot read metadata file {path.name}: {exc}") from exc
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return _json_rows(path, text)
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if reader.fieldnames is None or "file" not in [f.strip() for f in reader.fieldnames]:
        raise MetadataError(f"metadata file {path.name} has no 'file' column (found: {reader.fieldnames})")
    return [(reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items()}) for row in reader]


def _json_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MetadataError(f"{path.name} line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "file" not in row:
            raise MetadataError(f"{path.name} line {number}: a record needs a 'file' field")
        out.append((number, {str(k): "" if v is None else str(v) for k, v in row.items()}))
    return out


def _fields(raw: dict[str, str], where: str) -> dict[str, str]:
    """The understood, non-empty fields of one row, checked."""
    out: dict[str, str] = {}
    for column, value in raw.items():
        field, value = COLUMNS.get(column.strip().lower()), clean_field(value).strip()
        if field and value and field not in out:
            out[field] = value
    for key in ("date", "year"):
        if key in out:
            try:
                parse_value(out[key])
            except ValueError as exc:
                raise MetadataError(f"{where}: bad {key}: {exc}") from exc
    if "region" in out and normalize_region(out["region"]) is None:
        raise MetadataError(f"{where}: unknown region {out['region']!r}")
    if "city" in out and _city(out["city"]) is None:
        raise MetadataError(f"{where}: unknown city {out['city']!r}")
    return out


def load_metadata(path: Path) -> dict[str, dict[str, str]]:
    """``file`` (a POSIX path relative to the imported folder) → its fields (see the module docstring)."""
    out: dict[str, dict[str, str]] = {}
    for number, raw in _rows(path):
        name = clean_field(raw.get("file", "")).strip().replace("\\", "/")
        if not name:
            raise MetadataError(f"{path.name} line {number}: empty 'file'")
        out[str(PurePosixPath(name))] = _fields(raw, f"{path.name} line {number}")
    return out


def _date(fields: dict[str, str]) -> tuple[str, str] | None:
    """The date the fields give: a full date wins over a year."""
    for key in ("date", "year"):
        if key in fields:
            return parse_value(fields[key])
    return None


def apply_metadata(doc: Document, fields: dict[str, str]) -> None:
    """Write supplied ``fields`` (as :func:`load_metadata` returns them) onto ``doc``; they win."""
    fields = {COLUMNS.get(k, k): v.strip() for k, v in fields.items() if v and v.strip()}
    if "title" in fields:
        doc.title, doc.title_derived = fields["title"], False
    date = _date(fields)
    if date:
        doc.date, doc.date_precision = date
        doc.year = int(date[0][:4])
    for key in ("issuer", "source", "doc_number", "doctype", "url"):
        if key in fields:
            setattr(doc, key, fields[key])
    if "region" in fields:
        place = normalize_region(fields["region"])
        if place is None:
            raise MetadataError(f"unknown region {fields['region']!r}")
        doc.province, doc.city = place.province, place.city
    if "city" in fields:
        _apply_city(doc, fields["city"])


def _city(name: str) -> Place | None:
    place = gazetteer().get(name) or normalize_region(name)
    return place if place is not None and place.city is not None else None


def _apply_city(doc: Document, name: str) -> None:
    place = _city(name)
    if place is None:
        raise MetadataError(f"unknown city {name!r}")
    doc.province, doc.city = place.province, place.city
