"""Speed of the office-format readers: PDF text pages per second, OCR pages per second, ms per sample file.

    python -m tools.bench_formats [--pages 200] [--ocr-pages 3] [--json]

* PDF text: the shipped text PDF sample's page copied ``--pages`` times; PDFium's bare text layer
  (``get_text_range``) against our whole reader (garbled-text check, sizes on first and last page, lines
  joined into paragraphs), and pdfminer.six where it happens to be installed (not a dependency);
* OCR: a stamped scanned page drawn with Pillow (needs a CJK font and the ``ocr`` extra), ``--ocr-pages``
  pages after the model is loaded, at the render scale the reader uses and at 2.0 for comparison, with the
  share of the known text read back;
* each shipped office sample in corpus/: milliseconds for the whole extract (read → clean → assemble).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import io
import json
import re
import time
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from indexer.extract.formats import ocr
from indexer.extract.formats.pdf import OCR_SCALE, read_pdf
from indexer.extract.pipeline import extract_file
from tools.make_samples import NOTICES
from tools.pdfgen import cjk_font, image_pdf, jpeg, scan_image
from tools.samples import notice, scan_lines

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _many_pages(pages: int) -> bytes:
    src = pdfium.PdfDocument(CORPUS / f"{NOTICES['pdf'][0]}.pdf")
    out = pdfium.PdfDocument.new()
    for _ in range(pages):
        out.import_pages(src)
    buf = io.BytesIO()
    out.save(buf)
    out.close()
    src.close()
    return buf.getvalue()


def _rate(pages: int, seconds: float) -> dict[str, float]:
    return {"pages": pages, "seconds": round(seconds, 3), "pages_per_s": round(pages / seconds, 1),
            "ms_per_page": round(1000 * seconds / pages, 3)}


def bench_pdf_text(pages: int) -> dict[str, Any]:
    data = _many_pages(pages)
    out: dict[str, Any] = {}
    started = time.perf_counter()
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    pdf.close()
    out["pypdfium2_text_layer"] = _rate(pages, time.perf_counter() - started)
    started = time.perf_counter()
    read_pdf(data)
    out["tzsearch_read_pdf"] = _rate(pages, time.perf_counter() - started)
    try:
        pdfminer = importlib.import_module("pdfminer.high_level")
    except ImportError:
        out["pdfminer_six"] = "not installed"
    else:
        n = min(pages, 50)
        started = time.perf_counter()
        pdfminer.extract_text(io.BytesIO(data), maxpages=n)
        out["pdfminer_six"] = _rate(n, time.perf_counter() - started)
    return out


def _recall(expected: list[str], text: str) -> float:
    found = re.sub(r"\s+", "", text)
    hits = total = 0
    for line in (re.sub(r"\s+", "", ln) for ln in expected):
        hits += sum(b.size for b in difflib.SequenceMatcher(None, line, found, autojunk=False).get_matching_blocks())
        total += len(line)
    return round(hits / total, 4)


def bench_ocr(pages: int) -> dict[str, Any]:
    font = cjk_font()
    if font is None or not ocr.available():
        return {"skipped": "needs a CJK font (fonts-noto-cjk) and the ocr extra"}
    n = notice("党外知识分子工作", "示统发〔2024〕12号", "2024-05-20")
    pdf = pdfium.PdfDocument(image_pdf([jpeg(scan_image(scan_lines(n), font))]))
    expected = [ln for ln in n.expected_lines() if ln not in (n.header, n.textbox)]
    out: dict[str, Any] = {}
    started = time.perf_counter()
    ocr.read_image(pdf[0].render(scale=1.0, rev_byteorder=True).to_numpy())
    out["model_load_and_first_page_s"] = round(time.perf_counter() - started, 2)
    for scale in (OCR_SCALE, 2.0):
        image = pdf[0].render(scale=scale, rev_byteorder=True).to_numpy()
        started = time.perf_counter()
        lines = []
        for _ in range(pages):
            lines = ocr.read_image(image, px_per_pt=scale)
        result = _rate(pages, time.perf_counter() - started)
        result["text_recall"] = _recall(expected, "\n".join(ln.text for ln in lines))
        out[f"scale_{scale}"] = result
    pdf.close()
    return out


def bench_samples() -> dict[str, float]:
    out = {}
    for path in sorted(CORPUS.glob("sample_*")):
        extract_file(path)  # warm: imports, OCR model
        started = time.perf_counter()
        extract_file(path)
        out[path.name] = round(1000 * (time.perf_counter() - started), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="text PDF pages")
    parser.add_argument("--ocr-pages", type=int, default=3, help="pages to OCR per scale")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = {"pdf_text": bench_pdf_text(args.pages), "ocr": bench_ocr(args.ocr_pages),
              "sample_extract_ms": bench_samples()}
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
