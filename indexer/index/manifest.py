"""A generation's manifest: the one file that says what an index is, written last and atomically.

An index folder holds files of several kinds — the store of record's segments and table of contents (Whoosh),
the derived search data of each segment (parts, :mod:`indexer.index.derived`) — and, while a writer is at
work or after one crashed, files of no published generation. ``manifest.json`` names exactly the files of
the published generation, with their sizes and CRC-32 checksums, and what they were built with:

  format       the on-disk format (:data:`FORMAT_VERSION`)
  generation   counts publications (readers reload when it grows)
  toc          the Whoosh table-of-contents generation of the store of record
  segments     each segment of the store: its id, its document count and its derived parts (docnum ranges)
  files        relative path → [size, crc32] of every file above (the manifest itself excluded)
  text_model   :func:`indexer.index.textmodel.fingerprint` of the process that built the derived data
  derived_format  :data:`indexer.index.derived.FORMAT` of the derived parts (absent before format 6 of
               the derived data: None)

A writer publishes a generation by writing the manifest to a temporary file, syncing it and renaming it over
``manifest.json`` — after every file it names exists, is synced and has been checked. Readers open the
manifest and only the files it names; files no manifest names are collected (:mod:`indexer.index.storage`).
The manifest before the current one is kept as ``manifest.prev.json``: its files are kept for a while too, so
a reader that read the previous manifest a moment ago still finds them.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The on-disk format: bump when the schema, the stored record, the derived data or the manifest change meaning.
FORMAT_VERSION = 6
MANIFEST = "manifest.json"
PREVIOUS = "manifest.prev.json"
#: The marker of indexes older than manifests (format ≤ 5); read only to say "upgrade".
LEGACY_MARKER = "tzsearch.json"


class ManifestError(RuntimeError):
    """The manifest is missing parts, unreadable or inconsistent (the index is damaged)."""


@dataclass(frozen=True)
class PartRef:
    """A derived part: the docnum range ``[lo, hi)`` of its segment, and its folder (relative)."""

    lo: int
    hi: int
    folder: str
    sections: int
    documents: int


@dataclass(frozen=True)
class SegmentRef:
    """A segment of the store of record and its derived parts (in docnum order, covering all its docs)."""

    id: str
    docs: int
    parts: tuple[PartRef, ...]


@dataclass
class Manifest:
    """One published generation (see the module docstring)."""

    generation: int
    toc: int
    segments: list[SegmentRef]
    files: dict[str, tuple[int, int]]
    text_model: dict[str, Any]
    format: int = FORMAT_VERSION
    created: float = field(default_factory=time.time)
    derived_format: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "generation": self.generation, "toc": self.toc, "created": self.created,
                "text_model": self.text_model, "derived_format": self.derived_format,
                "segments": [{"id": s.id, "docs": s.docs,
                              "parts": [[p.lo, p.hi, p.folder, p.sections, p.documents] for p in s.parts]}
                             for s in self.segments],
                "files": {name: list(v) for name, v in sorted(self.files.items())}}

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        try:
            segments = [SegmentRef(str(s["id"]), int(s["docs"]),
                                   tuple(PartRef(int(lo), int(hi), str(folder), int(n), int(d))
                                         for lo, hi, folder, n, d in s["parts"]))
                        for s in data["segments"]]
            files = {str(k): (int(v[0]), int(v[1])) for k, v in data["files"].items()}
            derived = data.get("derived_format")
            manifest = cls(int(data["generation"]), int(data["toc"]), segments, files, dict(data["text_model"]),
                           int(data["format"]), float(data.get("created", 0.0)),
                           None if derived is None else int(derived))
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(f"the manifest is malformed ({type(exc).__name__}: {exc})") from None
        manifest.validate()
        return manifest

    def validate(self) -> None:
        """Structural checks: parts cover each segment's docnums exactly, in order; every part's files are listed."""
        for seg in self.segments:
            at = 0
            for p in seg.parts:
                if p.lo != at or p.hi <= p.lo or p.hi - p.lo != p.sections:
                    raise ManifestError(f"segment {seg.id}: part {p.folder} does not continue at docnum {at}")
                at = p.hi
                if not any(name.startswith(p.folder + "/") for name in self.files):
                    raise ManifestError(f"part {p.folder} has no files listed")
            if at != seg.docs:
                raise ManifestError(f"segment {seg.id}: parts cover {at} of {seg.docs} sections")

    def part_folders(self) -> set[str]:
        return {p.folder for s in self.segments for p in s.parts}


def read_manifest(index_dir: Path, name: str = MANIFEST) -> Manifest | None:
    """The manifest at ``index_dir`` (None when there is none; :class:`ManifestError` when it is damaged)."""
    path = index_dir / name
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no manifest, or no folder (a file where it should be)
        return None
    except OSError as exc:
        raise ManifestError(f"cannot read {name}: {exc.strerror}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ManifestError(f"{name} is not valid JSON (damaged)") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{name} is not a manifest")
    return Manifest.from_json(data)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically and durably (temporary file, fsync, rename, fsync dir)."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_dir(path.parent)


def publish(index_dir: Path, manifest: Manifest) -> None:
    """Make ``manifest`` the published generation (the previous one is kept as ``manifest.prev.json``)."""
    current = index_dir / MANIFEST
    try:
        replaced = read_manifest(index_dir)
    except ManifestError:  # a damaged manifest (repair replaces it): the previous one stays what it was
        replaced = None
    if replaced is not None:
        write_json_atomic(index_dir / PREVIOUS, replaced.to_json())
    write_json_atomic(current, manifest.to_json())


# ------------------------------------------------------------------------------------------ checksums
_CHUNK = 1 << 24


def file_checksum(path: Path) -> tuple[int, int]:
    """(size, CRC-32) of a file, read in chunks (zlib releases the GIL: threads checksum in parallel)."""
    crc = 0
    size = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return size, crc


def checksums(index_dir: Path, names: Iterable[str], threads: int = 2) -> dict[str, tuple[int, int]]:
    """(size, CRC-32) of each file (relative to ``index_dir``)."""
    names = list(names)
    with ThreadPoolExecutor(max(1, threads)) as pool:
        return dict(zip(names, pool.map(lambda n: file_checksum(index_dir / n), names)))


def sync_files(index_dir: Path, names: Iterable[str]) -> None:
    """fsync each file and the folders holding them (before a manifest names them)."""
    folders = set()
    for name in names:
        path = index_dir / name
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        folders.add(path.parent)
    for folder in folders:
        _sync_dir(folder)


def verify(index_dir: Path, expected: dict[str, tuple[int, int]], threads: int = 2, sizes_only: bool = False
           ) -> list[str]:
    """What is wrong with the files ``expected`` names: missing, another size, another checksum (unless
    ``sizes_only``: a look at each file's size, nothing read)."""
    problems: list[str] = []
    present: list[str] = []
    for name, (size, _crc) in expected.items():
        try:
            found = (index_dir / name).stat().st_size
        except OSError:
            problems.append(f"{name}: missing")
            continue
        if found != size:
            problems.append(f"{name}: {found} bytes, expected {size}")
        else:
            present.append(name)
    for name, (_size, crc) in checksums(index_dir, [] if sizes_only else present, threads).items():
        if crc != expected[name][1]:
            problems.append(f"{name}: checksum mismatch (damaged)")
    return sorted(problems)
