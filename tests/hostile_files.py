"""Small hostile files the tests generate (none is shipped): workbooks whose few bytes ask a spreadsheet library
for gigabytes, an RTF with characters beyond U+FFFF, text with NUL and control characters.

* :func:`sparse_xlsx` — a 1.6 KB .xlsx with cells A1 and XFD1048576 (17 billion cells when laid out);
* :func:`repeated_ods` — a ~900-byte .ods whose repeated rows and columns expand to ~96 million cells;
* :func:`far_cell_xls` — the shipped .xls sample with one cell moved to row 65,536, column 16,384;
* :func:`astral_rtf` — RTF writing every character as ``\\uN``, so 𠀀 and 𪚥 come as surrogate pairs.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
from pathlib import Path

from conftest import CORPUS

XLS_SAMPLE = CORPUS / "sample_2024_nonparty_training_plan.xls"
BODY = "各单位：经研究决定，对{names}同志予以表彰。希望各单位认真学习，做好新时代统一战线工作，凝聚人心、汇聚力量。"


def sparse_xlsx(cells: list[tuple[str, str]], dimension: str | None = None) -> bytes:
    """A one-sheet .xlsx holding ``cells`` ((reference, text) pairs, inline strings)."""
    rows: dict[int, list[tuple[str, str]]] = {}
    for ref, text in cells:
        rows.setdefault(int(re.sub("[A-Z]", "", ref)), []).append((ref, text))
    data = "".join(f'<row r="{r}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
                                            for ref, text in row) + "</row>" for r, row in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="统计表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
        f'xmlns="{main}">{dim}<sheetData>{data}</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def ods(table: str) -> bytes:
    """A one-table .ods whose table body is ``table`` (rows and cells as content.xml writes them)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Sheet1">{table}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
        z.writestr("content.xml", content)
    return buf.getvalue()


def text_cell(text: str, repeat: int = 1) -> str:
    extra = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'


def repeated_ods(rows: int = 6000, cols: int = 15990) -> bytes:
    """A filled cell in the first row, ``rows`` empty rows, and a filled cell ``cols`` columns to the right."""
    gap = f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell/></table:table-row>'
    far = f'<table:table-row><table:table-cell table:number-columns-repeated="{cols}"/>{text_cell("统战")}</table:table-row>'
    return ods(f"<table:table-row>{text_cell('统战工作')}</table:table-row>{gap}{far}")


def far_cell_xls(tmp: Path) -> bytes:
    """The shipped .xls sample with its first shared-string cell moved to row 65,536, column 16,384."""
    import olefile

    path = tmp / "far.xls"
    shutil.copy(XLS_SAMPLE, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        book = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while pos + 4 <= len(book):
            kind, size = struct.unpack_from("<HH", book, pos)
            if kind == 0x00FD:  # LABELSST: row, column, format, string index
                struct.pack_into("<HH", book, pos + 4, 65535, 16383)
                break
            pos += 4 + size
        ole.write_stream("Workbook", bytes(book))
    return path.read_bytes()


def astral_rtf(text: str) -> bytes:
    """RTF that writes every character of ``text`` as ``\\uN`` code units (a character beyond U+FFFF as two)."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\par\n")
            continue
        units = ch.encode("utf-16-le", "surrogatepass")  # a lone surrogate stays one unit
        for i in range(0, len(units), 2):
            unit = int.from_bytes(units[i:i + 2], "little")
            out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
    return ("{\\rtf1\\ansi\\ansicpg936\\uc1 " + "".join(out) + "}").encode("ascii")


def notice_with_names(names: str = "𠀀和𪚥") -> str:
    """A short notice naming people with characters beyond U+FFFF."""
    return f"关于表彰{names}等同志的通知\n{BODY.format(names=names)}\n中共示例市委统战部\n2024年5月6日\n"
