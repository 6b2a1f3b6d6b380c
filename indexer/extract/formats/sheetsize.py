"""How large each sheet of a workbook will be in memory, found from the file before the library reads it.

python-calamine lays a sheet out as a dense grid of its used range — every row and column from the first cell
that holds a value to the last — before the first row can be read, at about 40 bytes a cell. Two cells, A1
and XFD1048576, make 17 billion: a 1.6 KB .xlsx asks for 512 GiB and the process aborts (no exception, no
reason). So :func:`check_sheet_sizes` measures the used range of every sheet as the library will lay it out,
from the file's own structure, and refuses a workbook with a sheet over :data:`.limits.MAX_CELLS` cells with a
reason that names the sheet and its range:

* **.xlsx/.xlsm**: the cells of each worksheet part that hold something (``<c r="…">…</c>``; an empty,
  self-closing cell only carries formatting) of every part that holds sheet data. The ``<dimension ref>`` a
  sheet states is not trusted — a file can state anything there, and the library only uses it as a hint —
  the cells themselves are counted (cells without an ``r`` take the place after the previous one, as the
  library places them);
* **.ods**: rows and cells with their ``number-rows-repeated`` / ``number-columns-repeated``, expanded as the
  library expands them (empty cells count only before a filled one in their row, empty rows only between
  filled ones); the whole ``content.xml`` is read when the workbook is opened, so every table is measured;
* **.xls**: the BIFF records of each sheet — the DIMENSIONS record (the library reserves room for the range it
  states) and the row and column of every cell record — through :mod:`olefile` (BSD) for the compound file.

The grid is the whole cost: a sheet within the limit reads in bounded memory (rows beyond
:data:`.limits.MAX_ROWS` are then left out by the reader). What slips past this check all the same ends in
the reader's worker process (:mod:`indexer.index.workers`), not in the import.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from posixpath import dirname, join, normpath

from indexer.extract.errors import ExtractError
from indexer.extract.formats.limits import MAX_CELLS, parse_xml, read_member

_C_TAG = rb"<(?:[A-Za-z_][\w.-]*:)?"
#: The column and the row of each cell whose reference comes first, as every common writer puts it, and of
#: each such cell that holds something (not self-closing). Two scans with a literal start are faster than one
#: with two groups. A reference of any length counts: the spreadsheet library reads B99999999999, XFD01048576 or
#: AAAAAA1 as written (beyond Excel's last row and column) and lays out billions of cells for it.
_PLAIN_ANY = (re.compile(rb'<c r="([A-Z]+)[0-9]'), re.compile(rb'<c r="[A-Z]+([0-9]+)"'))
_PLAIN_FILLED = (re.compile(rb'<c r="([A-Z]+)[0-9]+"(?:[^>]*[^/>])?>'),
                 re.compile(rb'<c r="[A-Z]+([0-9]+)"(?:[^>]*[^/>])?>'))
#: A cell tag that is not of that plain shape (no reference, another attribute first, a namespace prefix).
#: (The library also reads a reference in lower case, with white space around ``=`` or other than one space
#: before it: such cells are walked one by one too.)
_OTHER_CELLS = (re.compile(rb'<c(?:>|/>|[\t\r\n]| (?!r="[A-Z]+[0-9]))'), re.compile(rb':c[\s>/]'))
_ROW_OR_CELL = re.compile(_C_TAG + rb"(row|c)\b([^>]*?)(/?)>")
_R_ATTR = re.compile(rb'\br\s*=\s*["\']\$?([A-Za-z]*)\$?([0-9]+)["\']')
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class _Extent:
    """The used range of one sheet: rows and columns from the first to the last cell that holds something."""

    def __init__(self) -> None:
        self.rows: tuple[int, int] | None = None
        self.cols: tuple[int, int] | None = None
        self.reserved = 0  # cells the library makes room for up front (an .xls DIMENSIONS record)

    def add(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        """A block of ``rows`` × ``cols`` filled cells whose first is at (row, col), counted from 0."""
        r0, r1, c0, c1 = row, row + rows - 1, col, col + cols - 1
        self.rows = (r0, r1) if self.rows is None else (min(self.rows[0], r0), max(self.rows[1], r1))
        self.cols = (c0, c1) if self.cols is None else (min(self.cols[0], c0), max(self.cols[1], c1))

    @property
    def grid(self) -> int:
        if self.rows is None or self.cols is None:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.cols[1] - self.cols[0] + 1)

    def refusal(self, name: str) -> str | None:
        """Why this sheet is not read, or None when it fits."""
        if self.reserved > MAX_CELLS and self.reserved > self.grid:
            return (f"sheet {name!r} asks for room for {self.reserved:,} cells (limit {MAX_CELLS:,}): "
                    f"too large to lay out in memory, not read")
        if self.grid > MAX_CELLS and self.rows and self.cols:
            span = f"{_ref(self.rows[0], self.cols[0])}:{_ref(self.rows[1], self.cols[1])}"
            return (f"sheet {name!r} spans {span}, {self.grid:,} cells (limit {MAX_CELLS:,}): "
                    f"too large to lay out in memory, not read")
        return None


def _ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def check_sheet_sizes(data: bytes, zipped: bool) -> None:
    """Refuse (ExtractError) a workbook with a sheet whose used range is over :data:`MAX_CELLS` cells."""
    for name, extent in _sheets(data, zipped):
        reason = extent.refusal(name)
        if reason:
            raise ExtractError(reason)


def _sheets(data: bytes, zipped: bool, exact: bool = False) -> Iterator[tuple[str, _Extent]]:
    """(name, used range) of every sheet; an .xlsx sheet's range is a bound around it within the limit unless
    ``exact`` (a refusal names the exact range)."""
    if not zipped:
        yield from _xls_sheets(data)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        return  # the reader says what is wrong with it
    if "content.xml" in names and "xl/workbook.xml" not in names:  # the whole of it is read at once
        yield from _ods_sheets(read_member(archive, "content.xml", "spreadsheet"))
        return
    titles = _xlsx_titles(archive, names)
    for name in names:  # every part that holds sheet data, whatever the workbook says its sheets are
        if name.lower().endswith(".xml"):
            part = read_member(archive, name, "spreadsheet")
            if b"sheetData" in part:
                yield titles.get(name, name), _xlsx_extent(part, exact)


# ---------------------------------------------------------------------------------------------- xlsx
def _plain_extent(xml: bytes, scans: tuple[re.Pattern[bytes], re.Pattern[bytes]]) -> _Extent:
    extent = _Extent()
    letters, numbers = set(scans[0].findall(xml)), set(scans[1].findall(xml))
    if letters and numbers:
        cols = sorted(_column(c) for c in letters)
        rows = [int(r) for r in numbers]
        extent.add(min(rows) - 1, cols[0])
        extent.add(max(rows) - 1, cols[-1])
    return extent


def _xlsx_extent(xml: bytes, exact: bool = False) -> _Extent:
    """The used range of a worksheet part; unless ``exact``, a range around it when that is within the limit."""
    if not any(p.search(xml) for p in _OTHER_CELLS):  # every cell says where it is, first (the usual case)
        extent = _plain_extent(xml, _PLAIN_ANY) if not exact else _Extent()  # all cells: a bound, a cheaper scan
        return extent if extent.rows is not None and extent.grid <= MAX_CELLS else _plain_extent(xml, _PLAIN_FILLED)
    extent = _Extent()
    row, col = -1, -1  # cells without a reference, or with other attributes first: walked one by one
    for m in _ROW_OR_CELL.finditer(xml):
        tag, attrs, empty = m.groups()
        ref = _R_ATTR.search(attrs)
        if tag == b"row":
            row, col = (int(ref.group(2)) - 1 if ref else row + 1), -1
            continue
        if ref and ref.group(1):
            row, col = int(ref.group(2)) - 1, _column(ref.group(1))
        else:
            col += 1
        if not empty:
            extent.add(max(row, 0), col)
    return extent


def _xlsx_titles(archive: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    """Worksheet part → the sheet's name (from the workbook and its relationships), where they say."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    try:
        book = parse_xml(read_member(archive, "xl/workbook.xml", "spreadsheet"), "workbook")
        rels = parse_xml(read_member(archive, "xl/_rels/workbook.xml.rels", "spreadsheet"), "workbook relationships")
    except ExtractError:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    out = {}
    for sheet in book.iter("{*}sheet"):
        target = targets.get(sheet.get(_REL_ID))
        if target:
            part = target.lstrip("/") if target.startswith("/") else normpath(join(dirname("xl/workbook.xml"), target))
            out[part] = sheet.get("name") or part
    return out


# ----------------------------------------------------------------------------------------------- ods
# The library matches the prefixes ``table:`` and ``office:`` literally (a file with other prefixes shows it no
# table at all), so content.xml is scanned for them as bytes: per row, C-speed searches, no per-cell work.
_ODS_TABLE_START = re.compile(rb"<table:table(?=[\s>])([^>]*)>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_ROW = re.compile(rb"<table:table-row(?=[\s/>])([^>]*?)(/?)>")
_ODS_ROW_REPEAT = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_ODS_COL_REPEAT = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_ODS_CELLS = (b"<table:table-cell", b"<table:covered-table-cell")
#: What makes the library keep a cell: a value (office:value, office:string-value, office:date-value…: they all
#: end so), a formula, or being a string cell. Found a little more often than they mean it: never less.
_ODS_FILLED = (b'value="', b'value-type="string"', b"table:formula=")


def _ods_sheets(xml: bytes) -> Iterator[tuple[str, _Extent]]:
    for table in _ODS_TABLE_START.finditer(xml):
        end = xml.find(b"</table:table>", table.end())
        name = _ODS_NAME.search(table.group(1))
        title = name.group(1).decode("utf-8", "replace") if name else "?"
        yield title, _ods_extent(xml, table.end(), end if end >= 0 else len(xml))


def _ods_extent(xml: bytes, start: int, end: int) -> _Extent:
    """The used range of the table between ``start`` and ``end``, expanded as the library expands it: a row's
    cells up to its last filled one (a repeated cell counts its repeats), rows from the first filled one to
    the last (a repeated row counts its repeats; a self-closing row, which the library skips, counts none)."""
    extent, row, pos = _Extent(), 0, start
    while (m := _ODS_ROW.search(xml, pos, end)) is not None:
        if m.group(2):  # <table:table-row …/>
            pos = m.end()
            continue
        close = xml.find(b"</table:table-row>", m.end(), end)
        close = end if close < 0 else close
        repeat = _ODS_ROW_REPEAT.search(m.group(1))
        rows = max(1, int(repeat.group(1))) if repeat else 1
        first = min((i for i in (xml.find(f, m.end(), close) for f in _ODS_FILLED) if i >= 0), default=-1)
        if first >= 0:
            last = max(xml.rfind(f, m.end(), close) for f in _ODS_FILLED)
            tag = max(xml.rfind(c, m.end(), first) for c in _ODS_CELLS)
            after = xml.find(b">", last, close)
            col0 = _ods_columns(xml, m.end(), max(tag, m.end()))
            col1 = _ods_columns(xml, m.end(), close if after < 0 else after) - 1
            extent.add(row, col0, rows, max(1, col1 - col0 + 1))
        row += rows
        pos = close
    return extent


def _ods_columns(xml: bytes, start: int, end: int) -> int:
    """Columns the cells that start between ``start`` and ``end`` take (each cell one, or its repeats)."""
    cells = sum(xml.count(c, start, end) for c in _ODS_CELLS)
    return cells + sum(max(1, int(n)) - 1 for n in _ODS_COL_REPEAT.findall(xml, start, end))


# ----------------------------------------------------------------------------------------------- xls
#: BIFF cell records (each starts with its row and column as two u16).
_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}
_MULRK, _DIMENSIONS, _BOF, _EOF, _BOUNDSHEET = 0x00BD, 0x0200, 0x0809, 0x000A, 0x0085


def _xls_sheets(data: bytes) -> Iterator[tuple[str, _Extent]]:
    """Each sheet where the workbook's BOUNDSHEET records say it starts (where the library reads it)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                return  # the reader says what is wrong with it
            book = ole.openstream(stream).read()
    except Exception:  # olefile raises many types for a broken file: the reader will say what is wrong
        return
    for kind, body in _records(book, 0):
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and len(body) >= 8:
            yield _xls_name(body), _xls_extent(book, struct.unpack_from("<I", body)[0])


def _xls_extent(book: bytes, start: int) -> _Extent:
    """The cells of the sheet substream at ``start`` (nested chart substreams included: more, never less)."""
    extent, depth = _Extent(), 0
    for kind, body in _records(book, start):
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind == _DIMENSIONS:
            extent.reserved = max(extent.reserved, _reserved(body))
        elif kind in _CELLS and len(body) >= 4:
            extent.add(*struct.unpack_from("<HH", body))
        elif kind == _MULRK and len(body) >= 6:
            row, col = struct.unpack_from("<HH", body)
            extent.add(row, col, 1, max(1, (len(body) - 6) // 6))
    return extent


def _reserved(body: bytes) -> int:
    """The cells the library reserves for a DIMENSIONS record (its arithmetic wraps like the library's u32)."""
    if len(body) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    elif len(body) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    else:
        return 0
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return 1
    return ((last_row - first_row) % 2**32) * ((last_col - first_col) % 2**32)


def _records(book: bytes, pos: int) -> Iterator[tuple[int, bytes]]:
    while 0 <= pos and pos + 4 <= len(book):
        kind, size = struct.unpack_from("<HH", book, pos)
        yield kind, book[pos + 4:pos + 4 + size]
        pos += 4 + size


def _xls_name(body: bytes) -> str:
    """A BOUNDSHEET record's sheet name (BIFF8: a short string, 8- or 16-bit)."""
    count, flags = body[6], body[7]
    raw = body[8:8 + count * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
