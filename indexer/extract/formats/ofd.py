"""OFD (GB/T 33190, China's fixed-layout format): text through ofdkit, scanned pages through OCR.

An OFD file is a zip of XML parts: ``OFD.xml`` → ``Document.xml`` → one ``Content.xml`` per page, whose
``TextObject``/``TextCode`` elements place text in millimetres. ofdkit (Apache-2.0, no dependencies) reads
them with their transforms and templates and puts the runs in reading order (columns, tables, stacked
labels); its XML parser refuses DTDs and entities. Here:

* the container passes :func:`.limits.open_zip` first (a zip bomb is refused before ofdkit inflates it);
* each page's lines get the font size (mm → pt) and position of the runs they hold, for :mod:`.layout`;
* a page without text codes but with an image (a scan saved as OFD) is OCR'd when the OCR extra is
  installed; a page that draws its text as paths is left out with that reason (no renderer here).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from typing import Any

import ofdkit

from indexer.document import Removal
from indexer.extract.errors import ExtractError
from indexer.extract.formats import ocr
from indexer.extract.formats.layout import Layout, Line, join_wrapped, layout_of
from indexer.extract.formats.limits import MAX_PAGES, Deadline, open_zip, parse_xml, read_member

_PT_PER_MM = 72 / 25.4
_OCR_WIDTH = 1488  # px across an A4 page for OCR: 180 dpi, as PDF pages are rendered
_MAX_IMAGES = 4  # images OCR'd on one page (a scan is one; more are pieces of one or decoration)
_MAX_MATCH = 2_000_000  # runs × lines compared per page when sizing lines; beyond it sizes stay unknown


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _sized(page: Any, text: str) -> list[Line]:
    """The page's reading-order lines, each with the largest size and rightmost start of the runs in it."""
    runs = [r for r in page.runs if r.text.strip()]
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(runs) * max(len(lines), 1) > _MAX_MATCH:
        return [Line(ln) for ln in lines]
    width = page.width or 210.0
    out = []
    for ln in lines:
        mine = [r for r in runs if r.text.strip() in ln]
        size = max((r.size for r in mine), default=0.0) * _PT_PER_MM
        x0 = min((r.x for r in mine), default=0.0)
        x1 = max((r.x + r.width for r in mine), default=0.0)
        align = "right" if mine and x0 > width * 0.5 else (
            "center" if mine and abs((x0 + x1) / 2 - width / 2) < width * 0.05 else None)
        out.append(Line(ln, size=size, align=align))
    return out


def _page_objects(archive: zipfile.ZipFile, location: str | None) -> tuple[list[str], bool]:
    """(resource ids of the page's images, whether it draws paths)."""
    if not location or location not in archive.namelist():
        return [], False
    root = parse_xml(read_member(archive, location, "OFD"), f"OFD {location}")
    images = [str(el.get("ResourceID") or "").strip() for el in root.iter() if _local(el.tag) == "ImageObject"]
    paths = any(_local(el.tag) == "PathObject" for el in root.iter())
    return [i for i in images if i], paths


def _media_files(archive: zipfile.ZipFile) -> dict[str, str]:
    """Image resource id → zip member, from every resource part (PublicRes, DocumentRes, PageRes)."""
    names = set(archive.namelist())
    found: dict[str, str] = {}
    for name in names:
        if not name.lower().endswith("res.xml"):
            continue
        root = parse_xml(read_member(archive, name, "OFD"), f"OFD {name}")
        base = posixpath.join(posixpath.dirname(name), str(root.get("BaseLoc") or ""))
        for el in root.iter():
            if _local(el.tag) != "MultiMedia":
                continue
            media = next((c for c in el if _local(c.tag) == "MediaFile"), None)
            file = (media.text or "").strip().lstrip("/") if media is not None else ""
            for candidate in (posixpath.normpath(posixpath.join(base, file)), file):
                if candidate in names:
                    found[str(el.get("ID") or "").strip()] = candidate
                    break
    return found


def _ocr_images(archive: zipfile.ZipFile, members: list[str], deadline: Deadline) -> list[Line]:
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    lines: list[Line] = []
    for member in members[:_MAX_IMAGES]:
        deadline.check(f"OFD image {member}")
        try:
            with Image.open(io.BytesIO(read_member(archive, member, "OFD"))) as img:
                if img.width * img.height > 50_000_000:
                    raise ExtractError(f"OFD image {member} is too large to OCR ({img.width}×{img.height})")
                rgb = img.convert("RGB")
                if rgb.width < _OCR_WIDTH and rgb.height * _OCR_WIDTH / rgb.width <= 4 * _OCR_WIDTH:
                    # a low-resolution scan reads better enlarged (as PDF pages are); not a long strip
                    factor = _OCR_WIDTH / rgb.width
                    rgb = rgb.resize((_OCR_WIDTH, round(rgb.height * factor)), Image.Resampling.LANCZOS)
                lines.extend(ocr.read_image(np.asarray(rgb)))
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ExtractError(f"OFD image {member} cannot be decoded: {exc}") from exc
    return lines


def read_ofd(data: bytes, deadline: Deadline | None = None) -> Layout:
    """Lines and layout hints of an OFD file (see the module docstring)."""
    deadline = deadline or Deadline()
    archive = open_zip(data, "OFD")
    try:
        return _read(archive, data, deadline)
    except ExtractError:
        raise
    except ofdkit.OFDError as exc:
        raise ExtractError(f"not a readable OFD file: {exc}") from exc
    except (ValueError, EOFError, OSError, RuntimeError, NotImplementedError, zlib.error, zipfile.BadZipFile) as exc:
        # ofdkit reads members itself; a broken container can fail below its own error handling
        raise ExtractError(f"OFD container cannot be read ({type(exc).__name__}: {exc})") from exc


def _read(archive: zipfile.ZipFile, data: bytes, deadline: Deadline) -> Layout:
    removed: list[Removal] = []
    pages: list[list[Line]] = []
    ocr_pages = 0
    media: dict[str, str] | None = None
    with ofdkit.open(data) as doc:
        count = len(doc.pages)
        if count > MAX_PAGES:
            removed.append(Removal(f"pages {MAX_PAGES + 1}–{count}", f"page limit of {MAX_PAGES} pages per file"))
        for page in doc.pages[:MAX_PAGES]:
            deadline.check(f"OFD page {page.index + 1} of {count}")
            text = page.text()
            if text.strip():
                pages.append(_sized(page, text))
                continue
            images, paths = _page_objects(archive, page.location)
            if images and ocr.available() and ocr_pages < ocr.MAX_OCR_PAGES and not deadline.expired():
                media = _media_files(archive) if media is None else media
                pages.append(_ocr_images(archive, [media[i] for i in images if i in media], deadline))
                ocr_pages += 1
            elif images:
                removed.append(Removal(f"page {page.index + 1}", f"scanned page (image only); OCR: {ocr.ENABLE}"))
            elif paths:
                removed.append(Removal(f"page {page.index + 1}", "text drawn as paths (no renderer to OCR it)"))
    lines = join_wrapped(pages)
    if not lines:
        reasons = "; ".join(sorted({r.reason for r in removed})) or "no text objects"
        raise ExtractError(f"OFD holds no readable text ({reasons})")
    return layout_of(lines, removed, pages=count, ocr_pages=ocr_pages)
