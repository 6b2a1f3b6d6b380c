"""Bounds every format reader keeps: pages, decompressed bytes, time, and what an XML parser may do.

A hostile or broken file must cost a bounded amount of memory and time and end as an
:class:`~indexer.extract.errors.ExtractError` with a one-line reason:

* zip containers (docx, xlsx, ofd) are checked from their central directory *before* anything is
  inflated: entry count, total uncompressed size and compression ratio (a zip bomb is refused), and every
  member is read through :func:`read_member`, which stops at the declared size;
* XML is parsed by :func:`parse_xml` without DTDs, entity resolution or network access;
* a :class:`Deadline` per file is checked between pages (and OCR has a page budget of its own);
* external tools run through :func:`run_tool` with a timeout and an address-space limit;
* spreadsheets are sized from their cells before the spreadsheet library lays them out (:mod:`.sheetsize`);
* and whatever a library does all the same — abort, crash, hang, allocate without end — ends only the worker
  process it runs in (:mod:`indexer.index.workers`: :data:`READER_MEMORY_MB`, :data:`READER_SECONDS`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import zipfile
import zlib
from collections.abc import Sequence

from lxml import etree

from indexer.extract.errors import ExtractError

#: Pages read from one PDF or OFD; later pages are left out with a reason.
MAX_PAGES = 500
#: Rows read from one worksheet, and worksheets from one workbook.
MAX_ROWS = 20_000
MAX_SHEETS = 50
#: Zip containers: most members, total uncompressed bytes, and uncompressed/compressed ratio.
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
#: Seconds one file may take to read (OCR included); checked between pages.
TIME_LIMIT = 120.0
#: Seconds and bytes of address space an external converter (antiword) may use.
TOOL_TIMEOUT = 30.0
TOOL_MEMORY = 1024 * 1024 * 1024
#: Characters of text one file may yield (a dump, not a document, beyond this).
MAX_CHARS = 5_000_000
#: Cells of one worksheet's used range (rows × columns, as the spreadsheet library lays it out in memory
#: before a row is read; about 40 bytes a cell): a sheet beyond this is not read (see :mod:`.sheetsize`).
MAX_CELLS = 5_000_000
#: Every reader runs in a worker process (:mod:`indexer.index.workers`) with this much private memory beyond
#: what it starts with (OCR of a page peaks at about 1 GiB), and this many seconds per file (kept above
#: :data:`TIME_LIMIT`, which a reader checks itself between pages and which gives the clearer reason).
READER_MEMORY_MB = 2048
READER_SECONDS = TIME_LIMIT + 60


class Deadline:
    """The time budget of one file: ``check()`` raises once it is spent."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = TIME_LIMIT if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.ends - time.monotonic()

    def expired(self) -> bool:
        return self.left() <= 0

    def check(self, what: str) -> None:
        if self.expired():
            raise ExtractError(f"time limit of {self.seconds:.0f} s exceeded while reading {what}")


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """A zip container whose directory passed the member, size and ratio checks (nothing inflated yet)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError, OSError) as exc:
        raise ExtractError(f"not a valid {what} file (broken zip container: {exc})") from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ExtractError(f"{what} container has {len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise ExtractError(f"{what} would inflate to {total} bytes (limit {MAX_UNCOMPRESSED}): refused as a zip bomb")
    if total > 1024 * 1024 and total > MAX_RATIO * max(packed, 1):
        raise ExtractError(f"{what} inflates {total // max(packed, 1)}× (limit {MAX_RATIO}×): refused as a zip bomb")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """One member's bytes, never more than its declared size (a lying header cannot inflate further)."""
    try:
        info = archive.getinfo(name)
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except KeyError as exc:
        raise ExtractError(f"{what} lacks its part {name}") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise ExtractError(f"cannot read part {name} of the {what} file: {exc}") from exc
    if len(data) > info.file_size:
        raise ExtractError(f"part {name} of the {what} file inflates beyond its declared size")
    return data


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse XML without DTDs, entities or network (an entity declaration is refused outright)."""
    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:4096]:
        raise ExtractError(f"{what}: XML with a DTD or entity declarations is refused")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExtractError(f"{what}: invalid XML ({exc})") from exc


def run_tool(argv: Sequence[str], what: str, timeout: float = TOOL_TIMEOUT) -> bytes:
    """Run an external converter; its stdout, or an ExtractError with the tool's own complaint."""
    name = os.path.basename(argv[0])
    if shutil.which(argv[0]) is None:
        raise ExtractError(f"cannot run {name}: not installed")
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    # The shell sets the address-space limit and then becomes the tool (exec). No preexec_fn, so Python
    # can still spawn with vfork, which stays fast from a process that holds the OCR models.
    limited = ["/bin/sh", "-c", f'ulimit -v {TOOL_MEMORY // 1024} && exec "$0" "$@"', *argv]
    try:
        done = subprocess.run(limited, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(f"{name} took longer than {timeout:.0f} s on this {what} file") from exc
    except OSError as exc:
        raise ExtractError(f"cannot run {name}: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        complaint = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = complaint[-1].replace(argv[-1], "the file") if complaint else f"exit status {done.returncode}"
        raise ExtractError(f"{name} could not read this {what} file: {detail[:200]}")
    return done.stdout
