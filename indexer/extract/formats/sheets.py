"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) through python-calamine (Rust, MIT): each row a line of its cells.

Every sheet (up to :data:`.limits.MAX_SHEETS`) is read in workbook order; in a workbook of several sheets a
sheet whose name is not a default one (Sheet1, 工作表1) opens with its name as a heading line. A sheet's first row
of one cell (a merged title cell above the table) is a title, never joined to the sheet's name. Cells are joined
with a space; whole numbers lose their ``.0``, dates are written as ISO dates; empty rows are dropped. Rows
beyond :data:`.limits.MAX_ROWS` (over the whole workbook) are left out with a reason. Zip-based workbooks pass
:func:`.limits.open_zip` first, and every workbook is sized by :mod:`.sheetsize` before the library lays a
sheet out in memory (a sheet of more than :data:`.limits.MAX_CELLS` cells refuses the file). A broken .xls
can make calamine's Rust code panic; that panic (pyo3's ``PanicException``, a BaseException) is a reason like
any other, not a crash of the import.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from python_calamine import CalamineError, CalamineWorkbook

from indexer.document import Removal
from indexer.extract.errors import ExtractError
from indexer.extract.formats.layout import Layout, Line, layout_of
from indexer.extract.formats.limits import MAX_ROWS, MAX_SHEETS, Deadline, open_zip
from indexer.extract.formats.sheetsize import check_sheet_sizes

_DEFAULT_NAME = re.compile(r"^(sheet|工作表|表)\s*\d*$", re.I)


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_sheets(data: bytes, zipped: bool, deadline: Deadline | None = None) -> Layout:
    """Lines of a workbook (see the module docstring); ``zipped`` for xlsx/ods containers."""
    deadline = deadline or Deadline()
    if zipped:
        open_zip(data, "spreadsheet")
    check_sheet_sizes(data, zipped)
    lines: list[Line] = []
    removed: list[Removal] = []
    rows = 0
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            names = book.sheet_names
            if len(names) > MAX_SHEETS:
                removed.append(Removal(", ".join(names[MAX_SHEETS:])[:200], f"sheet limit of {MAX_SHEETS}"))
            for name in names[:MAX_SHEETS]:
                deadline.check(f"sheet {name}")
                if len(names) > 1 and not _DEFAULT_NAME.match(name.strip()):
                    lines.append(Line(name.strip(), heading=True))
                sheet_start = True
                for row in book.get_sheet_by_name(name).iter_rows():
                    cells = [c for c in (_cell(v) for v in row) if c]
                    text = " ".join(cells)
                    if not text:
                        continue
                    opens, sheet_start = sheet_start, False
                    if opens and len(cells) == 1 and len(text) <= 60:
                        lines.append(Line(text, title=True))  # a title cell (usually merged) above the table
                        rows += 1
                        continue
                    if rows >= MAX_ROWS:
                        removed.append(Removal(f"sheet {name} onwards", f"row limit of {MAX_ROWS} rows per file"))
                        break
                    lines.append(Line(text))
                    rows += 1
                if rows >= MAX_ROWS:
                    break
    except (CalamineError, ValueError, OSError) as exc:
        raise ExtractError(f"not a readable spreadsheet ({type(exc).__name__}: {str(exc)[:160]})") from exc
    except BaseException as exc:  # calamine's Rust panics on broken files arrive as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        first = (str(exc).splitlines() or ["panic"])[0][:120]
        raise ExtractError(f"not a readable spreadsheet (the reader gave up: {first})") from exc
    if not any(not ln.heading for ln in lines):
        raise ExtractError("spreadsheet holds no cells with text")
    return layout_of(lines, removed)
