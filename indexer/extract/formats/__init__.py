"""Readers of office and fixed-layout formats: bytes → :class:`~.layout.Layout` (lines + layout hints).

One module per family: :mod:`.word` (.docx), :mod:`.worddoc` (.doc/.wps from the WordDocument piece table,
antiword as the fallback), :mod:`.legacy` (antiword, .rtf), :mod:`.pdf` (pypdfium2, OCR for pages without a
usable text layer), :mod:`.ofd` (ofdkit), :mod:`.sheets` (python-calamine), :mod:`.xmlsheet` (Excel 2003 XML),
with :mod:`.ocr` (optional RapidOCR), :mod:`.layout` (title, 发文字号 and 落款 from where they stand) and
:mod:`.limits` (zip, XML, page, time and tool bounds) shared. The pipeline (:mod:`indexer.extract.pipeline`)
sends the lines through the same ``clean_lines`` and ``assemble`` as text and HTML. Readers are imported when a
file of their kind comes, so text and HTML never load them.
"""

from __future__ import annotations

from indexer.extract.errors import ExtractError
from indexer.extract.filetypes import DOC, DOCX, OFD, PDF, RTF, XLS, XLSX, XMLSHEET
from indexer.extract.formats.layout import Layout
from indexer.extract.formats.limits import Deadline

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream name (UTF-16) of a password-protected .docx/.xlsx/.pptx: the zip, encrypted, inside an OLE2 file.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _encrypted_package(data: bytes) -> bool:
    """Whether this OLE2 file is an encrypted Office Open XML package (named .docx or .xlsx it was sniffed as an
    .xls, and the spreadsheet library said only 'Cannot detect file format')."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            return bool(ole.exists("EncryptedPackage") and ole.exists("EncryptionInfo"))
    except Exception:  # a damaged container: the reader of its kind says what is wrong
        return False


def read_document(data: bytes, kind: str) -> Layout:
    """The lines and layout hints of one office or fixed-layout file of ``kind`` (from the file-type table)."""
    deadline = Deadline()
    if data.startswith(_OLE2) and _ENCRYPTED_PACKAGE in data and _encrypted_package(data):
        raise ExtractError("password-protected (encrypted) Office file: it cannot be read without its password "
                           "(save it without one to import it)")
    if kind == DOCX:
        from indexer.extract.formats.word import read_docx
        return read_docx(data)
    if kind == PDF:
        from indexer.extract.formats.pdf import read_pdf
        return read_pdf(data, deadline)
    if kind == OFD:
        from indexer.extract.formats.ofd import read_ofd
        return read_ofd(data, deadline)
    if kind in (XLSX, XLS):
        from indexer.extract.formats.sheets import read_sheets
        return read_sheets(data, zipped=kind == XLSX, deadline=deadline)
    if kind == XMLSHEET:
        from indexer.extract.formats.xmlsheet import read_xml_sheet
        return read_xml_sheet(data)
    if kind == DOC:
        from indexer.extract.formats.worddoc import read_word_binary
        return read_word_binary(data)
    if kind == RTF:
        from indexer.extract.formats.legacy import read_rtf
        return read_rtf(data)
    raise ExtractError(f"no reader for files of kind {kind}")
