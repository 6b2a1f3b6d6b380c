"""How large each sheet of a workbook will be in memory, found from the file before the library reads it.

python-calamine lays a sheet out as a dense grid of its used range — every row and column from the first cell
that holds a value to the last — before the first row can be read, at about 40 bytes a cell. Two cells, A1
and XFD1048576, make 17 billion: a 1.6 KB .xlsx asks for 512 GiB and the process aborts (no exception, no
reason). So :func:`check_sheet_sizes` measures the used range of every sheet as the library will lay it out,
from the file's own structure, and refuses a workbook with a sheet over :data:`.limits.MAX_CELLS` cells with a
reason that names the sheet and its range:

* **.xlsx/.xlsm**: the cells of each worksheet part that hold something (``<c r="…">…</c>``; an empty,
  self-closing cell only carries formatting). The ``<dimension ref>`` a sheet states is not trusted — a
  file can state anything there, and the library only uses it as a hint — the cells themselves are counted
  (cells without an ``r`` take the place after the previous one, as the library places them);
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

from lxml import etree

from indexer.extract.errors import ExtractError
from indexer.extract.formats.limits import MAX_CELLS, parse_xml, read_member

_C_TAG = rb"<(?:[A-Za-z_][\w.-]*:)?"
#: A cell with a reference: (column letters, row number, "/" when it is empty).
_REF_CELL = re.compile(_C_TAG + rb'c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
#: A cell without a reference, or a row (its place then comes from the one before).
_UNREF_CELL = re.compile(_C_TAG + rb"c(?:>|/>|\s(?![^>]*\br=)[^>]*>)")
_ROW_OR_CELL = re.compile(_C_TAG + rb"(row|c)\b([^>]*?)(/?)>")
_R_ATTR = re.compile(rb'\br="([A-Z]{0,3})([0-9]{1,7})"')
_SHEET_DATA = re.compile(_C_TAG + rb"sheetData\b")
_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_VALUES = tuple(f"{{{_ODS_OFFICE}}}{a}" for a in ("value", "string-value", "date-value", "time-value",
                                                      "boolean-value"))
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
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def check_sheet_sizes(data: bytes, zipped: bool) -> None:
    """Refuse (ExtractError) a workbook with a sheet whose used range is over :data:`MAX_CELLS` cells."""
    for name, extent in _sheets(data, zipped):
        reason = extent.refusal(name)
        if reason:
            raise ExtractError(reason)


def _sheets(data: bytes, zipped: bool) -> Iterator[tuple[str, _Extent]]:
    if not zipped:
        yield from _xls_sheets(data)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        return  # the reader says what is wrong with it
    if "content.xml" in names and "xl/workbook.xml" not in names:
        yield from _ods_sheets(read_member(archive, "content.xml", "spreadsheet"))
        return
    titles = _xlsx_titles(archive, names)
    for name in names:
        if name.lower().endswith(".xml") and not name.startswith(("[", "_rels/", "docProps/")):
            part = read_member(archive, name, "spreadsheet")
            if _SHEET_DATA.search(part):
                yield titles.get(name, name), _xlsx_extent(part)


# ---------------------------------------------------------------------------------------------- xlsx
def _xlsx_extent(xml: bytes) -> _Extent:
    extent = _Extent()
    if not _UNREF_CELL.search(xml):  # every cell says where it is (the usual case): counted at C speed
        filled = [(col, row) for col, row, empty in _REF_CELL.findall(xml) if not empty]
        if filled:
            cols = sorted({_column(c) for c, _ in filled})
            rows = [int(r) - 1 for _, r in filled]
            extent.add(min(rows), cols[0])
            extent.add(max(rows), cols[-1])
        return extent
    row, col = -1, -1
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
def _ods_sheets(xml: bytes) -> Iterator[tuple[str, _Extent]]:
    if b"<!ENTITY" in xml[:65536] or b"<!DOCTYPE" in xml[:4096]:
        raise ExtractError("spreadsheet: XML with a DTD or entity declarations is refused")
    table_tag = f"{{{_ODS_TABLE}}}table"
    events = etree.iterparse(io.BytesIO(xml), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        for event, element in events:
            if event == "start" and element.tag == table_tag:
                name = element.get(f"{{{_ODS_TABLE}}}name") or "?"
                yield name, _ods_table(events)
    except etree.XMLSyntaxError as exc:
        raise ExtractError(f"spreadsheet: invalid XML ({exc})") from exc


def _repeat(element: etree._Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{{{_ODS_TABLE}}}{attribute}", "1")))
    except ValueError:
        return 1


def _filled(cell: etree._Element) -> bool:
    """Whether the library keeps this cell: it has a value, a formula or is a string cell."""
    return (any(a in cell.attrib for a in _ODS_VALUES) or f"{{{_ODS_TABLE}}}formula" in cell.attrib
            or cell.get(f"{{{_ODS_OFFICE}}}value-type") == "string")


def _ods_table(events: etree.iterparse) -> _Extent:
    """The used range of the table whose start was just read (reads up to its end)."""
    row_tag, table_tag = f"{{{_ODS_TABLE}}}table-row", f"{{{_ODS_TABLE}}}table"
    cell_tags = (f"{{{_ODS_TABLE}}}table-cell", f"{{{_ODS_TABLE}}}covered-table-cell")
    extent = _Extent()
    row = 0
    for event, element in events:
        if event != "end":
            continue
        if element.tag == row_tag:
            repeats, col = _repeat(element, "number-rows-repeated"), 0
            for cell in element:
                if cell.tag not in cell_tags:
                    continue
                width = _repeat(cell, "number-columns-repeated")
                if _filled(cell):
                    extent.add(row, col, repeats, width)
                col += width
            row += repeats
            element.clear()
        elif element.tag == table_tag:
            element.clear()
            break
    return extent


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
