"""Excel 2003 XML Spreadsheets (SpreadsheetML; web systems save them with an ``.xls`` name): each row a line.

``Workbook/Worksheet/Table/Row/Cell/Data`` is walked in order; a row's cells are joined with a space, as
:mod:`.sheets` joins them; a worksheet whose name is not a default one (Sheet1) opens with its name as a
heading line in a workbook of several. The XML goes through :func:`.limits.parse_xml` (no entities, no
network); rows beyond :data:`.limits.MAX_ROWS` are left out with a reason.
"""

from __future__ import annotations

import re

from indexer.document import Removal
from indexer.extract.errors import ExtractError
from indexer.extract.formats.layout import Layout, Line, layout_of
from indexer.extract.formats.limits import MAX_ROWS, parse_xml

_DEFAULT_NAME = re.compile(r"^(sheet|工作表|表)\s*\d*$", re.I)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_xml_sheet(data: bytes) -> Layout:
    """Lines of an XML Spreadsheet (see the module docstring)."""
    root = parse_xml(data, "XML spreadsheet")
    sheets = [el for el in root.iter() if _local(el.tag) == "Worksheet"]
    lines: list[Line] = []
    removed: list[Removal] = []
    rows = 0
    for sheet in sheets:
        name = next((v for k, v in sheet.attrib.items() if _local(k) == "Name"), "").strip()
        if len(sheets) > 1 and name and not _DEFAULT_NAME.match(name):
            lines.append(Line(name, heading=True))
        for row in (el for el in sheet.iter() if _local(el.tag) == "Row"):
            if rows >= MAX_ROWS:
                removed.append(Removal(f"worksheet {name} onwards", f"row limit of {MAX_ROWS} rows per file"))
                break
            cells = [" ".join("".join(d.itertext()).split()) for d in row.iter() if _local(d.tag) == "Data"]
            text = " ".join(c for c in cells if c)
            if text:
                lines.append(Line(text))
                rows += 1
    if not any(not ln.heading for ln in lines):
        raise ExtractError("spreadsheet holds no cells with text")
    return layout_of(lines, removed)
