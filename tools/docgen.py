"""Word 97–2003 binary .doc files written by the project itself, for tests (no office suite needed).

``doc_bytes`` writes a compound file (CFB version 3, 512-byte sectors, every stream in regular sectors) with a
``WordDocument`` stream (a Word 97 FIB, the text in UTF-16LE, one FKP page of paragraph properties) and a
``1Table`` stream (style sheet with Normal, Heading 1 and Title; the piece table; the PAPX bin table), as
[MS-DOC] and [MS-CFB] describe them. Two flavours: ``producer="word"`` fills the FIB as Word 97–2003 does;
``producer="wps"`` as WPS Office-like writers do — the FIB's ``nFib`` of Word 2000+ but only the Word 97 part
of the header (no ``fibRgCswNew``), no summary streams and the piece table split in several pieces. Both keep
their text plainly in the WordDocument stream; ``tests/test_worddoc.py`` measures which of them antiword reads.
"""

from __future__ import annotations

import struct

_SECTOR = 512
_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_TEXT_AT = 0x400
STYLES = {"normal": (0, 0), "heading": (1, 1), "title": (2, 62)}  # role → (istd, sti)


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = _NOSTREAM,
               right: int = _NOSTREAM) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<64sHBBIII16sIQQIQ", raw.ljust(64, b"\0"), len(raw), kind, 1, _NOSTREAM, right, child,
                       b"\0" * 16, 0, 0, 0, start, size)


def cfb(streams: list[tuple[str, bytes]], compact: bool = False) -> bytes:
    """A compound file holding ``streams`` (siblings ordered as CFB orders them: shorter names first).

    ``compact``: streams under 4096 bytes go to the mini stream (64-byte sectors), as the format prescribes and
    compact writers do; otherwise every stream is padded into regular sectors."""
    streams = sorted(streams, key=lambda s: (len(s[0]), s[0].upper()))
    body = b""
    fat: list[int] = []
    mini = b""
    minifat: list[int] = []
    placed = []  # (start sector, size)
    for _, data in streams:
        if compact and len(data) < 4096:
            first = len(minifat)
            count = max(1, -(-len(data) // 64))
            minifat += [first + k + 1 for k in range(count - 1)] + [_END]
            mini += _pad(data, 64) if data else b"\0" * 64
            placed.append((first, len(data)))
            continue
        padded = _pad(data if compact else data.ljust(4096, b"\0"), _SECTOR)
        first = len(fat)
        count = len(padded) // _SECTOR
        fat += [first + k + 1 for k in range(count - 1)] + [_END]
        placed.append((first, len(data) if compact else max(len(data), 4096)))
        body += padded

    def chain(data: bytes) -> int:
        nonlocal body
        data = _pad(data, _SECTOR)
        first = len(fat)
        count = len(data) // _SECTOR
        fat.extend([first + k + 1 for k in range(count - 1)] + [_END])
        body += data
        return first

    root_start, minifat_start, minifat_count = _END, _END, 0
    if mini:
        root_start = chain(mini)
        minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
        minifat_bytes += b"\xff" * (-len(minifat_bytes) % _SECTOR)
        minifat_start = chain(minifat_bytes)
        minifat_count = len(minifat_bytes) // _SECTOR
    entries = [_dir_entry("Root Entry", 5, root_start, len(mini), child=1)]
    for i, ((name, _), (start, size)) in enumerate(zip(streams, placed, strict=True)):
        nxt = i + 2 if i + 1 < len(streams) else _NOSTREAM
        entries.append(_dir_entry(name, 2, start, size, right=nxt))
    dir_start = chain(b"".join(entries))
    fat_count = 1
    while (len(fat) + fat_count) * 4 > fat_count * _SECTOR:
        fat_count += 1
    fat_start = len(fat)
    fat += [_FATSECT] * fat_count
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    fat_bytes += b"\xff" * (fat_count * _SECTOR - len(fat_bytes))
    difat = [fat_start + k for k in range(fat_count)] + [_FREE] * (109 - fat_count)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE,
                         9, 6, b"\0" * 6, 0, fat_count, dir_start, 0, 4096, minifat_start, minifat_count, _END, 0)
    header += struct.pack("<109I", *difat)
    return header + body + fat_bytes


def _stsh() -> bytes:
    stshi = struct.pack("<HHHHHH6s", len(STYLES), 10, 1, 0x5B, 15, 0, b"\0" * 6)
    out = struct.pack("<H", len(stshi)) + stshi
    for name, (_, sti) in sorted(STYLES.items(), key=lambda s: s[1][0]):
        label = {"normal": "Normal", "heading": "heading 1", "title": "Title"}[name]
        std = struct.pack("<HHHHH", sti, 1 | (0xFFF << 4), 0 | (0 << 4), 0, 0)
        std += struct.pack("<H", len(label)) + label.encode("utf-16-le") + b"\0\0"
        out += struct.pack("<H", len(std)) + std
    return out


def _fkp(bounds: list[int], props: list[tuple[int, bool]]) -> bytes:
    """One PAPX FKP page: paragraph byte boundaries and (istd, centred) per paragraph."""
    page = bytearray(_SECTOR)
    crun = len(props)
    for k, fc in enumerate(bounds):
        struct.pack_into("<I", page, 4 * k, fc)
    at = _SECTOR - 1
    for k, (istd, centred) in enumerate(props):
        grpprl = struct.pack("<HB", 0x2403, 1) if centred else b""
        papx = struct.pack("<H", istd) + grpprl
        if len(papx) % 2 == 0:
            papx += b"\0"
        size = 1 + len(papx)
        at = (at - size) & ~1
        page[at] = (len(papx) + 1) // 2
        page[at + 1:at + 1 + len(papx)] = papx
        page[4 * (crun + 1) + 13 * k] = at // 2
    page[_SECTOR - 1] = crun
    return bytes(page)


def doc_bytes(paragraphs: list[tuple[str, str]], producer: str = "word") -> bytes:
    """A .doc of ``paragraphs``: (role, text) with role normal, heading, title or centred (normal, centred)."""
    text = "".join(t + "\r" for _, t in paragraphs)
    data = text.encode("utf-16-le")
    bounds = [_TEXT_AT]
    for _, t in paragraphs:
        bounds.append(bounds[-1] + 2 * (len(t) + 1))
    props = [(STYLES.get(role, (0, 0))[0], role in ("centred", "title")) for role, _ in paragraphs]
    fkp_at = _pad(b"\0" * (_TEXT_AT + len(data)), _SECTOR)
    fkp_page = len(fkp_at) // _SECTOR
    stsh = _stsh()
    if producer == "wps":  # the text in several pieces, one per paragraph
        cps = [0]
        for _, t in paragraphs:
            cps.append(cps[-1] + len(t) + 1)
        fcs = [_TEXT_AT + 2 * cp for cp in cps[:-1]]
    else:
        cps, fcs = [0, len(text)], [_TEXT_AT]
    plcpcd = struct.pack(f"<{len(cps)}I", *cps) + b"".join(struct.pack("<HIH", 0, fc, 0) for fc in fcs)
    clx = b"\x02" + struct.pack("<I", len(plcpcd)) + plcpcd
    bte = struct.pack("<III", bounds[0], bounds[-1], fkp_page)
    table = stsh + clx + bte
    pairs = [(0, 0)] * 93
    pairs[1] = (0, len(stsh))
    pairs[33] = (len(stsh), len(clx))
    pairs[13] = (len(stsh) + len(clx), len(bte))
    n_fib = 0x00D9 if producer == "wps" else 0x00C1
    flags = 0x0200 | 0x1000  # fWhichTblStm (1Table), fExtChar
    base = struct.pack("<HHHHHHHHIBBHH", 0xA5EC, n_fib, 0, 0x0804, 0, flags, 0x00BF, 0, 0, 0, 0, 0, 0)
    base = base.ljust(32, b"\0")
    rg_lw = [0] * 22
    rg_lw[3] = len(text)
    fib = base + struct.pack("<H", 14) + b"\0" * 28 + struct.pack("<H", 22) + struct.pack("<22I", *rg_lw)
    fib += struct.pack("<H", 93) + b"".join(struct.pack("<II", *p) for p in pairs)
    if producer == "word":
        fib += struct.pack("<H", 0)  # cswNew
    word = bytearray(fkp_at)
    word[:len(fib)] = fib
    word[_TEXT_AT:_TEXT_AT + len(data)] = data
    word += _fkp(bounds, props)
    struct.pack_into("<I", word, 32 + 2 + 28 + 2, len(word))  # cbMac
    streams = [("WordDocument", bytes(word)), ("1Table", table)]
    return cfb(streams, compact=producer == "wps")
