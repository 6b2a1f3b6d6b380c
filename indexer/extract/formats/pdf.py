"""PDF: the text layer through PDFium (pypdfium2), and OCR for pages whose text layer is missing or garbage.

Page by page, within the page limit and the file's time budget:

1. the page's text layer (PDFium's own reading order, one line per visual line);
2. a check that it is real text: a font without a ToUnicode map yields control or private-use characters,
   ``(cid:…)`` tokens, symbols instead of characters, or CJK characters that form no words
   (:func:`garbled`) — such a page, and a page with images but no text (a scan), needs OCR;
3. OCR (:mod:`.ocr`) of the rendered page, within its own page budget. Without the OCR extra a file whose
   text is garbled or that is wholly scanned is refused with the command that enables OCR; scanned pages
   inside a text PDF (a photo, a stamped signature page) are left out with a reason;
4. a web page printed by a browser loses the browser's header and footer lines on every page (print time,
   page title, URL, page number: :mod:`.printed`), and is titled by its page title's part the article repeats.

Font sizes and positions are read for the first and last pages only (they cost a call per character):
that is where a 红头文件's banner, title, 发文字号 and 落款 stand.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.document import Removal
from indexer.extract.errors import ExtractError
from indexer.extract.formats import ocr
from indexer.extract.formats.layout import Layout, Line, garbled, join_wrapped, layout_of
from indexer.extract.formats.limits import MAX_PAGES, Deadline
from indexer.extract.formats.printed import is_site_name, strip_print_chrome, title_from_page_title

#: Render scale for OCR (1 = 72 dpi): 2.5 is 180 dpi, a 五号 (10.5 pt) table cell 26 px high. RapidOCR read
#: the stamped sample equally well at 2.0 and took about as long (BENCHMARKS.md): the text lines, not the
#: pixels, cost the time, and it shrinks a page to 2,000 px on its longer side anyway.
OCR_SCALE = 2.5
#: Most pixels a page is rendered to for OCR (an A4 page at OCR_SCALE is 3.1 million).
MAX_RENDER_PIXELS = 12_000_000
_MIN_TEXT = 10  # fewer visible characters than this is an empty page (as in layout.garbled)


@dataclass
class _Page:
    number: int
    lines: list[Line]
    need: str | None = None  # "garbled" or "scanned" when the page must be OCR'd


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))


def _sized_lines(textpage: pdfium.PdfTextPage, text: str, width: float) -> list[Line]:
    """Lines with the largest font size of their characters and their alignment on the page."""
    raw = textpage.raw
    lines = []
    index = 0
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for piece in text.split("\n"):
        stripped = piece.strip("\r")
        size = 0.0
        xs: list[float] = []
        for k, ch in enumerate(stripped):
            if not ch.isspace():
                size = max(size, pdfium_c.FPDFText_GetFontSize(raw, index + k))
                if k == 0 or k == len(stripped) - 1 or not xs:
                    if pdfium_c.FPDFText_GetCharBox(raw, index + k, left, right, bottom, top):
                        xs.extend((left.value, right.value))
        index += len(piece) + 1
        align = None
        if xs and width > 0:
            x0, x1 = min(xs), max(xs)
            if x0 > width * 0.5:
                align = "right"
            elif abs((x0 + x1) / 2 - width / 2) < width * 0.05 and x1 - x0 < width * 0.8:
                align = "center"
        lines.append(Line(stripped, size=size, align=align))
    return lines


def _read_page(pdf: pdfium.PdfDocument, i: int, sized: bool) -> _Page:
    page = pdf[i]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            visible = sum(1 for c in text if not c.isspace())
            if garbled(text):
                return _Page(i + 1, [], "garbled")
            if visible < _MIN_TEXT:
                return _Page(i + 1, [Line(ln) for ln in text.splitlines()], "scanned" if _has_images(page) else None)
            if sized:
                return _Page(i + 1, _sized_lines(textpage, text, page.get_width()))
            return _Page(i + 1, [Line(ln) for ln in text.splitlines()])
        finally:
            textpage.close()
    finally:
        page.close()


def _ocr_page(pdf: pdfium.PdfDocument, page: _Page) -> None:
    pdf_page = pdf[page.number - 1]
    try:
        area = max(pdf_page.get_width() * pdf_page.get_height(), 1.0)
        scale = min(OCR_SCALE, (MAX_RENDER_PIXELS / area) ** 0.5)  # a poster-sized page is not rendered huge
        bitmap = pdf_page.render(scale=scale, rev_byteorder=True)  # RGB: a red seal can be faded out
        image = bitmap.to_numpy().copy()
        bitmap.close()
    finally:
        pdf_page.close()
    page.lines = ocr.read_image(image, px_per_pt=scale)
    page.need = None


def _apply_ocr(pdf: pdfium.PdfDocument, pages: list[_Page], deadline: Deadline, removed: list[Removal]) -> int:
    """OCR the pages that need it; returns how many were read. Refuses what cannot be read without OCR."""
    needing = [p for p in pages if p.need]
    if not needing:
        return 0
    numbers = ", ".join(str(p.number) for p in needing[:10]) + (" …" if len(needing) > 10 else "")
    if not ocr.available():
        if any(p.need == "garbled" for p in needing):
            raise ExtractError(f"PDF text layer is garbled (fonts without a ToUnicode map, pages {numbers}) "
                               f"and needs OCR: {ocr.ENABLE}")
        if len(needing) == len(pages):
            raise ExtractError(f"scanned PDF without a text layer needs OCR: {ocr.ENABLE}")
        removed.append(Removal(f"pages {numbers}", f"scanned pages without a text layer; OCR: {ocr.ENABLE}"))
        return 0
    done = 0
    for page in needing:
        if done >= ocr.MAX_OCR_PAGES or deadline.expired():
            why = f"OCR budget of {ocr.MAX_OCR_PAGES} pages" if done >= ocr.MAX_OCR_PAGES else "time limit"
            removed.append(Removal(f"page {page.number}", f"not OCR'd: {why} reached"))
            page.lines = []
            continue
        _ocr_page(pdf, page)
        done += 1
    return done


def read_pdf(data: bytes, deadline: Deadline | None = None) -> Layout:
    """Lines and layout hints of a PDF (see the module docstring)."""
    deadline = deadline or Deadline()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractError(f"not a readable PDF ({exc})") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise ExtractError("PDF has no pages")
        removed: list[Removal] = []
        if count > MAX_PAGES:
            removed.append(Removal(f"pages {MAX_PAGES + 1}–{count}", f"page limit of {MAX_PAGES} pages per file"))
        last = min(count, MAX_PAGES) - 1
        pages = []
        for i in range(last + 1):
            deadline.check(f"PDF page {i + 1} of {count}")
            pages.append(_read_page(pdf, i, sized=i in (0, last)))
        ocr_pages = _apply_ocr(pdf, pages, deadline, removed)
    except pdfium.PdfiumError as exc:
        raise ExtractError(f"PDF cannot be read ({exc})") from exc
    finally:
        pdf.close()
    page_title = strip_print_chrome([p.lines for p in pages], removed)
    lines = join_wrapped([p.lines for p in pages])
    if not any(ln.text.strip() for ln in lines):
        raise ExtractError("PDF holds no text (blank pages, or only images without text)")
    layout = layout_of(lines, removed, pages=count, ocr_pages=ocr_pages)
    if page_title:
        _title_from_print(layout, page_title)
    return layout


def _title_from_print(layout: Layout, page_title: str) -> None:
    """A browser's print is titled by its page title's part the article repeats; its banner is no title."""
    title = title_from_page_title(page_title, layout.lines)
    if title:
        layout.title = title
    elif layout.title and is_site_name(layout.title, page_title):
        layout.title = None
