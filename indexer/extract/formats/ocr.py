"""OCR of page images: RapidOCR (PP-OCR models shipped inside its wheel) on onnxruntime, fully offline.

Optional: installed by the extra ``tzsearch[ocr]``. Without it, :func:`available` is False and the readers
refuse a file that needs OCR with :data:`ENABLE`, the command that enables it — never index garbage.

The engine loads once per process (about a second) and then reads a page in roughly a second on one core
(see BENCHMARKS.md). Its boxes are grouped into lines by their vertical overlap and ordered left to right;
a line's height in pixels stands in for its font size, so :mod:`.layout` can tell the title's large type.
Red ink below the top of the page is a seal's (公章) and is faded out before OCR; the red banner stays.
The brackets of a 发文字号's year, which OCR confuses (〔2024]12号), are set back to 〔〕.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from typing import Any

from indexer.extract.errors import ExtractError
from indexer.extract.formats.layout import Line

#: Pages one file may OCR (each costs about a second); further pages are left out with a reason.
MAX_OCR_PAGES = 40
#: What a user runs to enable OCR.
ENABLE = "pip install 'tzsearch[ocr]' (or make venv)"

#: A 发文字号's year brackets as OCR misreads them (〔2024]12号, [2024〕12号): GB/T 9704 sets them as 〔〕.
_DOC_NUMBER_BRACKETS = re.compile(r"[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,4}\s*号)")

_engine: Any = None


def available() -> bool:
    """Whether the OCR extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def _get_engine() -> Any:
    global _engine
    if _engine is None:
        if not available():
            raise ExtractError(f"needs OCR, which is not installed: {ENABLE}")
        from rapidocr import RapidOCR

        threads = max(1, min(2, os.cpu_count() or 1))
        _engine = RapidOCR(params={
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return _engine


def read_image(image: Any, px_per_pt: float = 1.0) -> list[Line]:
    """Lines of text in an image (a NumPy array, RGB or grey), top to bottom, left to right; a line's size
    is its height in points when ``px_per_pt`` says how the page was rendered."""
    engine = _get_engine()
    try:
        result = engine(_without_seals(image))
    except Exception as exc:  # the OCR runtime's own failures are a reason, not a crash
        raise ExtractError(f"OCR failed: {type(exc).__name__}: {exc}") from exc
    if result.boxes is None or result.txts is None:
        return []
    boxes = []
    for box, text in zip(result.boxes, result.txts):
        ys = [float(p[1]) for p in box]
        xs = [float(p[0]) for p in box]
        if str(text).strip():
            boxes.append((min(ys), max(ys), min(xs), max(xs), str(text).strip()))
    lines = _group_lines(boxes, width=float(image.shape[1]))
    for line in lines:
        line.size /= px_per_pt
        line.text = _DOC_NUMBER_BRACKETS.sub(r"〔\1〕\2", line.text)
    return lines


def _without_seals(image: Any) -> Any:
    """A grey image for OCR in which red ink below the top of the page fades into the paper: there the red
    channel stands for the grey (red ink is bright in it, black text stays dark), so a 公章 over the 落款
    neither hides characters nor adds its own; the red banner at the top of a 红头文件 keeps its contrast."""
    if image.ndim != 3 or image.shape[2] < 3:
        return image
    rgb = image[..., :3].astype("float32")
    grey = rgb @ [0.299, 0.587, 0.114]
    top = int(grey.shape[0] * 0.3)
    grey[top:] = rgb[top:, :, 0] * (255 / 190)  # and what is as bright as red ink there becomes paper
    return grey.clip(0, 255).astype("uint8")


def _group_lines(boxes: list[tuple[float, float, float, float, str]], width: float) -> list[Line]:
    """Boxes whose vertical centres fall within half a box height of each other form one line."""
    boxes.sort(key=lambda b: (b[0] + b[1]) / 2)
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for b in boxes:
        centre, height = (b[0] + b[1]) / 2, b[1] - b[0]
        if rows:
            last = rows[-1]
            last_centre = sum((r[0] + r[1]) / 2 for r in last) / len(last)
            if abs(centre - last_centre) <= 0.5 * max(height, min(r[1] - r[0] for r in last)):
                last.append(b)
                continue
        rows.append([b])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[2])
        text = row[0][4]
        for prev, b in zip(row, row[1:]):  # a gap wider than a character separates cells or words
            text += (" " if b[2] - prev[3] > (b[1] - b[0]) else "") + b[4]
        left, right = row[0][2], row[-1][3]
        align = "right" if left > width * 0.5 else ("center" if abs((left + right) / 2 - width / 2) < width * 0.05
                                                    else None)
        lines.append(Line(text, size=max(b[1] - b[0] for b in row), align=align))
    return lines
