"""Tiny PDF and scanned-page writers for samples, tests and benchmarks (no office suite, no PDF library).

* :func:`text_pdf` — pages of ASCII text in Helvetica (a 2,000-page PDF costs a few milliseconds);
* :func:`cjk_pdf` — pages of Chinese (and ASCII) lines placed where a layout puts them, in the standard CJK font
  STSong-Light (not embedded; PDF readers map its UniGB-UCS2-H codes to Unicode without a ToUnicode map);
* :func:`image_pdf` — one JPEG per page, as a scanner writes it (no text layer);
* :func:`scan_image` — a 红头文件 page drawn with Pillow and a CJK font: red banner, text, a red round
  stamp over the 落款, a little noise and tilt, so that it looks scanned;
* :func:`strip_tounicode` — blank out every ``/ToUnicode`` reference of a PDF (same length, so the xref
  table stays valid): what a PDF whose fonts lack a ToUnicode map looks like to a text extractor.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf(pages: list[str]) -> bytes:
    """One page of Helvetica text per string (ASCII only)."""
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(_stream(b"BT /F1 12 Tf 72 770 Td (" + safe + b") Tj ET"))
    return _pdf(objects)


#: One line of :func:`cjk_pdf`: text, x and y of its baseline's start (points from the lower left), type size.
PlacedLine = tuple[str, float, float, float]


def cjk_pdf(pages: list[list[PlacedLine]], width: int = 595, height: int = 842) -> bytes:
    """One A4 page per list of ``(text, x, y, size)`` lines, set in STSong-Light (Adobe-GB1, UniGB-UCS2-H):
    real Chinese text layers without a font file — what a browser's or office suite's print looks like to a
    text extractor."""
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               b"/DescendantFonts [4 0 R] >>",
               b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
               b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light "
               b"/Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
               b"/StemV 93 >> /DW 1000 /W [1 95 500] >>"]
    for i, lines in enumerate(pages):
        ops = []
        for text, x, y, size in lines:
            code = "".join(f"{ord(c):04X}" for c in text if ord(c) < 0x10000).encode("ascii")
            ops.append(b"BT /F1 %.1f Tf %.1f %.1f Td <%s> Tj ET" % (size, x, y, code))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (width, height, 6 + 2 * i))
        objects.append(_stream(b"\n".join(ops)))
    return _pdf(objects)


def image_pdf(jpegs: list[tuple[bytes, int, int]], width: int = 595, height: int = 842) -> bytes:
    """One page per ``(jpeg bytes, pixel width, pixel height)``, the image filling the page."""
    n = len(jpegs)
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    for i, (jpeg, w, h) in enumerate(jpegs):
        page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 %d 0 R >>"
                       b" >> /Contents %d 0 R >>" % (width, height, image, content))
        assert len(objects) == page
        objects.append(_stream(b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (width, height)))
        objects.append(_stream(jpeg, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                                     b"/BitsPerComponent 8 /Filter /DCTDecode " % (w, h)))
    return _pdf(objects)


def strip_tounicode(pdf: bytes) -> bytes:
    """The PDF with its ``/ToUnicode n 0 R`` entries blanked (lengths kept, so offsets stay right)."""
    return re.sub(rb"/ToUnicode\s+\d+\s+\d+\s+R", lambda m: b" " * len(m.group(0)), pdf)


def cjk_font() -> Path | None:
    """A CJK font file on this machine (Debian's fonts-noto-cjk), or None."""
    for family in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                                   timeout=10, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if found and "CJK" in found and Path(found).is_file():
            return Path(found)
    return None


def scan_image(lines: list[tuple[str, int, str]], font: Path, seal: str = "中共示例市委统战部",
               width: int = 1240, seed: int = 7) -> Any:
    """A scanned-looking page (PIL image, 150 dpi A4 width): ``(text, size in px, align)`` lines, a red
    banner (the first line), a red round seal over the last lines, a little noise and a slight tilt."""
    import random

    from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

    rnd = random.Random(seed)
    height = 120 + sum(int(size * 1.9) for _, size, _ in lines) + 80
    page = Image.new("RGB", (width, height), (250, 249, 244))
    draw = ImageDraw.Draw(page)
    y = 100
    for k, (text, size, align) in enumerate(lines):
        face = ImageFont.truetype(str(font), size)
        w = draw.textlength(text, font=face)
        x = {"center": (width - w) / 2, "right": width - 150 - w}.get(align, 150)
        draw.text((x, y), text, font=face, fill=(200, 20, 20) if k == 0 else (25, 25, 25))
        if k == 0:
            draw.line((150, y + size * 1.45, width - 150, y + size * 1.45), fill=(200, 20, 20), width=4)
        y += int(size * 1.9)
    stamp = Image.new("RGB", page.size, (255, 255, 255))  # seal ink is multiplied over the text, as on paper
    _seal(ImageDraw.Draw(stamp), ImageFont.truetype(str(font), 26), seal, centre=(width - 260, y - 150))
    page = ImageChops.multiply(page, stamp)
    draw = ImageDraw.Draw(page)
    for _ in range(width * height // 400):  # scanner dust
        px, py = rnd.randrange(width), rnd.randrange(height)
        draw.point((px, py), fill=(rnd.randrange(120, 200),) * 3)
    tilted = page.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=(250, 249, 244))
    return tilted.filter(ImageFilter.GaussianBlur(0.6))


def _seal(draw: Any, face: Any, text: str, centre: tuple[int, int], radius: int = 110) -> None:
    """A red round 公章: ring, star, and the issuer's name along the upper arc."""
    import math

    cx, cy = centre
    red = (215, 30, 30)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=7)
    points = [math.pi / 2 + k * 4 * math.pi / 5 for k in range(5)]
    star = [(cx + 38 * math.cos(a), cy - 38 * math.sin(a)) for a in points]
    draw.polygon(star, fill=red)
    span = math.radians(220)
    for k, ch in enumerate(text):
        angle = math.pi / 2 + span / 2 - span * k / max(len(text) - 1, 1)
        x, y = cx + (radius - 32) * math.cos(angle), cy - (radius - 32) * math.sin(angle)
        draw.text((x - 13, y - 13), ch, font=face, fill=red)


def jpeg(image: Any, quality: int = 80) -> tuple[bytes, int, int]:
    """``(JPEG bytes, width, height)`` of a PIL image, for :func:`image_pdf`."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue(), image.width, image.height
