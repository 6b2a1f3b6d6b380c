"""Issue 20: the used range of a sheet, measured from the file before the spreadsheet library reads it, is the one
the library lays out — checked against python-calamine itself on random small workbooks (hypothesis): cells in
any order, empty formatted cells, references missing, rows and columns repeated, empty rows between filled ones.
A measure that came out smaller than the library's would let a hostile file through."""

from __future__ import annotations

import io
import re

import pytest
from hostile_files import ods, sparse_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from indexer.extract.errors import ExtractError
from indexer.extract.formats import sheetsize


def calamine_range(data: bytes) -> tuple[tuple[int, int], tuple[int, int]] | None:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    if not sheet.height:
        return None
    return (sheet.start[0], sheet.end[0]), (sheet.start[1], sheet.end[1])


def measured(data: bytes) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The range a refusal names (exact)."""
    [(_, extent)] = list(sheetsize._sheets(data, True, exact=True))
    return None if extent.rows is None or extent.cols is None else (extent.rows, extent.cols)


def bounded(data: bytes) -> bool:
    """Whether the range the check compares with the limit holds the library's."""
    [(_, extent)] = list(sheetsize._sheets(data, True))
    wanted = calamine_range(data)
    if wanted is None:
        return True
    assert extent.rows is not None and extent.cols is not None
    return (extent.rows[0] <= wanted[0][0] and extent.rows[1] >= wanted[0][1]
            and extent.cols[0] <= wanted[1][0] and extent.cols[1] >= wanted[1][1])


def column(n: int) -> str:
    return sheetsize._ref(0, n)[:-1]


ODS_CELL = st.tuples(st.integers(1, 3), st.sampled_from(["empty", "string", "float", "styled", "formula"]))
ODS_ROW = st.tuples(st.integers(1, 4), st.lists(ODS_CELL, max_size=5))


def ods_cell(repeat: int, kind: str) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    body = {"empty": f"<table:table-cell{rep}/>",
            "styled": f'<table:table-cell table:style-name="ce1"{rep}/>',
            "string": f'<table:table-cell office:value-type="string"{rep}><text:p>统战</text:p></table:table-cell>',
            "float": f'<table:table-cell{rep} office:value-type="float" office:value="3"><text:p>3</text:p>'
                     f"</table:table-cell>",
            "formula": f'<table:table-cell table:formula="of:=1+1"{rep} office:value-type="float" office:value="2">'
                       f"<text:p>2</text:p></table:table-cell>"}
    return body[kind]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ODS_ROW, min_size=1, max_size=6))
def test_ods_used_range_is_the_librarys(rows) -> None:
    table = "".join(
        f'<table:table-row{f" table:number-rows-repeated={chr(34)}{n}{chr(34)}" if n > 1 else ""}>'
        + ("".join(ods_cell(*c) for c in cells) or "<table:table-cell/>") + "</table:table-row>"
        for n, cells in rows)
    data = ods(table)
    assert measured(data) == calamine_range(data), table
    assert bounded(data)


XLSX_CELL = st.tuples(st.integers(0, 30), st.integers(0, 40), st.booleans())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(XLSX_CELL, min_size=1, max_size=8), st.booleans())
def test_xlsx_used_range_is_the_librarys(cells, r_not_first) -> None:
    placed = {(r, c): filled for r, c, filled in cells}
    data = sparse_xlsx([(f"{column(c)}{r + 1}", "统战") for (r, c), filled in sorted(placed.items()) if filled])
    empty = "".join(f'<c r="{column(c)}{r + 1}" s="1"/>' for (r, c), filled in placed.items() if not filled)
    if r_not_first:  # another attribute before the reference: the slower, general walk
        data = rezip(data, lambda xml: xml.replace(b'<c r="', b'<c t="inlineStr" r="').replace(b' t="inlineStr"><is>',
                                                                                             b"><is>"))
    if empty:
        data = rezip(data, lambda xml: xml.replace(b"</sheetData>", f'<row r="99">{empty}</row></sheetData>'.encode()))
    assert measured(data) == calamine_range(data)
    assert bounded(data)


def rezip(data: bytes, change) -> bytes:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            part = src.read(name)
            z.writestr(name, change(part) if name == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


def test_xlsx_cells_without_a_reference_take_the_next_place() -> None:
    data = rezip(sparse_xlsx([("A1", "统战"), ("C5", "x")]),
                 lambda xml: re.sub(rb'<c r="C5"', b"<c", xml).replace(b'<row r="5">', b'<row r="70000">'))
    assert measured(data) == calamine_range(data) == ((0, 69999), (0, 0))


SPELLINGS = ['r="{col}{row}"', 'r="{col}0{row}"', "r='{col}{row}'", 'r="{lower}{row}"', 'r = "{col}{row}"',
             '\tr="{col}{row}"', '\nr="{col}{row}"', 'r="${col}${row}"']


def spelled(col: str, row: int, spelling: str) -> bytes:
    ref = spelling.format(col=col, row=row, lower=col.lower())
    sep = "" if ref[0] in "\t\n" else " "
    return rezip(sparse_xlsx([("A1", "统战"), (f"{col}{row}", "x")]),
                 lambda xml: xml.replace(f'<c r="{col}{row}"'.encode(), f"<c{sep}{ref}".encode()))


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize(("col", "row"), [("XFD", 1048576), ("B", 99_999_999_999), ("AAAAAA", 1)])
def test_a_far_cell_is_measured_however_its_reference_is_written(col: str, row: int, spelling: str) -> None:
    """A two-cell .xlsx whose second cell is far away, its reference written as the spreadsheet library still reads
    it: a leading zero, more than 7 digits or 3 letters (beyond Excel's last row and column), lower case, single
    quotes, white space around ``=`` or a tab before it. The measure saw only references of 1-3 capitals, 1-7
    digits and a space before ``r="``, so these passed as one cell and the library asked for 512 GiB to 1.6 TB (the
    reader's process died at its memory limit, or aborted). Now the sheet is refused before it is read."""
    with pytest.raises(ExtractError, match="too large to lay out in memory"):
        sheetsize.check_sheet_sizes(spelled(col, row, spelling), True)


@pytest.mark.parametrize("spelling", SPELLINGS[:-1])  # the library refuses a reference with $
def test_a_near_cell_is_measured_as_the_library_reads_it_however_written(spelling: str) -> None:
    data = spelled("C", 5, spelling)
    assert measured(data) == calamine_range(data) == ((0, 4), (0, 2))
