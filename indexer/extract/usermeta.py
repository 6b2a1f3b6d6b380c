"""A metadata file a user supplies with an import: its fields fill what the text lacks, and never make it worse.

Researchers keep a spreadsheet of what they know about their documents. ``load_metadata`` reads one — CSV,
TSV (by suffix, or by sniffing) or JSON Lines — with a ``file`` column holding each file's path relative to the
imported folder, and any of ``title, date, issuer, source, doc_number, region`` (or ``province``), ``city``,
``doctype, url``. The column names of ``../shared/corpus/reports/MANIFEST.tsv`` are understood too
(``title_if_known``, ``year_if_known``, ``region_if_known``, ``source_url_if_known``,
``publish_date_if_known``). Values are checked while loading, so a bad date is reported with its line
before anything is imported.

``apply_metadata`` merges one row's fields into a document and returns (and logs) one line per change and per
refusal, which ``import --metadata`` prints:
  * a field the document lacks is filled; a given Chinese title replaces a derived one and is stated;
  * where both have a value, the document's own wins — a title it states, a date it states, its issuer,
    number and type — and so does the more precise value: a date to the day over the file's year, a region
    with its city over the file's province alone. A date the document only implies (``date_inferred``) yields
    to the file's unless that is vaguer. The ``override`` column (yes/1/true) or ``import --metadata-override``
    makes the file win everywhere;
  * a title without Chinese characters (a translation) goes to ``title_alt``, shown and searchable beside the
    document's own, never replacing it;
  * a URL cell must be one http(s) URL (``http://site/ (per README)`` is refused);
  * a region such as ``全国 (national)`` or ``上海市`` becomes the short province name the index uses.
Empty cells change nothing.
Every value is cleaned as extracted text is (:func:`indexer.extract.sanitize.clean_field`: a lone surrogate
such as JSON's ``"\\ud800"`` becomes U+FFFD, NUL and control characters go) before it is checked.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
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
    "url": "url", "source_url_if_known": "url", "override": "override",
}
_YES = {"1", "yes", "y", "true", "是", "override"}
_URL = re.compile(r"^https?://[^\s/]+\S*$")
_RANK = {"year": 1, "month": 2, "day": 3}
log = logging.getLogger(__name__)


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


def load_metadata(path: Path, override: bool = False) -> dict[str, dict[str, str]]:
    """``file`` (a POSIX path relative to the imported folder) → its fields (see the module docstring);
    ``override``: the file's values win everywhere (as an ``override`` column saying yes on every row)."""
    out: dict[str, dict[str, str]] = {}
    for number, raw in _rows(path):
        name = clean_field(raw.get("file", "")).strip().replace("\\", "/")
        if not name:
            raise MetadataError(f"{path.name} line {number}: empty 'file'")
        fields = _fields(raw, f"{path.name} line {number}")
        if override:
            fields["override"] = "yes"
        out[str(PurePosixPath(name))] = fields
    return out


def _date(fields: dict[str, str]) -> tuple[str, str] | None:
    """The date the fields give: a full date wins over a year."""
    for key in ("date", "year"):
        if key in fields:
            return parse_value(fields[key])
    return None


def apply_metadata(doc: Document, fields: dict[str, str]) -> list[str]:
    """Merge supplied ``fields`` (as :func:`load_metadata` returns them) into ``doc`` (see the module docstring);
    returns what was changed and what was refused, one line each (also logged for ``import`` to print)."""
    fields = {COLUMNS.get(k, k): v.strip() for k, v in fields.items() if v and v.strip()}
    merge = _Merge(doc, fields.pop("override", "").lower() in _YES)
    if "title" in fields:
        merge.title(fields["title"])
    date = _date(fields)
    if date:
        merge.date(*date)
    for key in ("issuer", "source", "doc_number", "doctype"):
        if key in fields:
            merge.plain(key, fields[key])
    if "url" in fields:
        merge.url(fields["url"])
    if "region" in fields or "city" in fields:
        merge.region(fields.get("region"), fields.get("city"))
    for line in merge.notes:
        log.info("%s: %s", doc.doc_id, line)
    return merge.notes


class _Merge:
    """One document's merge, with its notes."""

    def __init__(self, doc: Document, override: bool) -> None:
        self.doc, self.override = doc, override
        self.notes: list[str] = []

    def changed(self, key: str, old: object, new: object) -> None:
        self.notes.append(f"{key}: {old!r} → {new!r}" if old not in (None, "") else f"{key}: set to {new!r}")

    def kept(self, key: str, old: object, new: object, why: str) -> None:
        self.notes.append(f"{key}: kept {old!r}, not {new!r} ({why})")

    def title(self, value: str) -> None:
        doc = self.doc
        if not any("\u4e00" <= c <= "\u9fff" for c in value):
            if doc.title_alt != value:
                self.changed("title_alt", doc.title_alt, value)
                doc.title_alt = value
            return
        if doc.title == value:
            doc.title_derived = False
            return
        if doc.title and not doc.title_derived and not self.override:
            self.kept("title", doc.title, value, "the document states its own")
            return
        self.changed("title", doc.title, value)
        doc.title, doc.title_derived = value, False

    def date(self, value: str, precision: str) -> None:
        doc = self.doc
        if doc.date == value and doc.date_precision == precision:
            return
        if doc.date and not self.override:
            ours, theirs = _RANK.get(doc.date_precision or "", 0), _RANK[precision]
            if ours > theirs or (ours == theirs and not doc.date_inferred):
                why = "more precise" if ours > theirs else "the document states it"
                self.kept("date", doc.date, value, why)
                return
        self.changed("date", doc.date, value)
        doc.date, doc.date_precision, doc.year = value, precision, int(value[:4])
        doc.date_inferred, doc.date_source = False, None

    def plain(self, key: str, value: str) -> None:
        old = getattr(self.doc, key)
        if old == value:
            return
        if old and not self.override:
            self.kept(key, old, value, "the document states it")
            return
        self.changed(key, old, value)
        setattr(self.doc, key, value)

    def url(self, value: str) -> None:
        if not _URL.match(value):
            self.notes.append(f"url: refused {value!r} (not one http(s) URL)")
            return
        self.plain("url", value)

    def region(self, region: str | None, city: str | None) -> None:
        doc = self.doc
        place = _city(city) if city else None
        if city and place is None:
            raise MetadataError(f"unknown city {city!r}")
        if place is None and region:
            place = normalize_region(region)
            if place is None:
                raise MetadataError(f"unknown region {region!r}")
        if place is None or (doc.province, doc.city) == (place.province, place.city):
            return
        if (not self.override and doc.province == place.province and place.city is None and doc.city):
            self.kept("region", f"{doc.province}/{doc.city}", place.province, "more precise")
            return
        self.changed("region", f"{doc.province}/{doc.city}" if doc.province else None,
                     f"{place.province}/{place.city}" if place.city else place.province)
        doc.province, doc.city = place.province, place.city


def _city(name: str) -> Place | None:
    place = gazetteer().get(name) or normalize_region(name)
    return place if place is not None and place.city is not None else None
