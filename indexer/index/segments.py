"""Load a generation's derived parts, verified: what a reader maps into memory for each segment.

Parts are immutable and named by the manifest, so a process maps each once and reuses it in every later
generation that names it (a commit costs only its new parts). Before a file is used for the first time in a
process, its size and CRC-32 are checked against the manifest (threads share the work: zlib releases the
GIL), and each new part's invariants are checked (:func:`indexer.index.derived.structure_problems`): a
flipped byte or a scrambled array is an error naming the file, never a wrong answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from indexer.index import derived
from indexer.index.manifest import Manifest, verify

#: Files already verified by this process: (index, relative path) → (size, crc) as expected, and the file's
#: (inode, mtime, size) when it was verified: a file changed on disk since is verified again.
_VERIFIED: dict[tuple[Path, str], tuple[tuple[int, int], tuple[int, int, int]]] = {}
#: Parts already mapped by this process.
_PARTS: dict[Path, derived.Part] = {}
_LOCK = threading.Lock()


class DamagedFiles(RuntimeError):
    """Files of a generation are missing or damaged (the message names them; ``names``: which)."""

    def __init__(self, message: str, names: list[str] | None = None) -> None:
        super().__init__(message)
        self.names = names or []

    @property
    def in_store(self) -> bool:
        """Whether a file of the store of record is among them (no folder: derived parts live in folders)."""
        return any("/" not in n for n in self.names)


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, 0, -1)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def verify_files(index_dir: Path, manifest: Manifest, threads: int = 2, only: Callable[[str], bool] | None = None
                 ) -> None:
    """Check every file of ``manifest`` (those ``only`` accepts) that this process has not checked yet, or that
    changed on disk since (:class:`DamagedFiles`)."""
    files = {n: v for n, v in manifest.files.items() if only is None or only(n)}
    stamps = {n: _stamp(index_dir / n) for n in files}
    with _LOCK:
        todo = {n: v for n, v in files.items() if _VERIFIED.get((index_dir, n)) != (v, stamps[n])}
    problems = verify(index_dir, todo, threads)
    if problems:
        with _LOCK:
            for n in todo:
                _PARTS.pop(index_dir / n.rsplit("/", 1)[0], None)
        raise DamagedFiles("; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
                           [p.split(":", 1)[0] for p in problems])
    with _LOCK:
        _VERIFIED.update({(index_dir, n): (v, stamps[n]) for n, v in todo.items()})


def load_parts(index_dir: Path, manifest: Manifest) -> dict[str, derived.Part]:
    """folder → loaded part, for every part the manifest names (files verified first)."""
    verify_files(index_dir, manifest)
    out: dict[str, derived.Part] = {}
    for folder in sorted(manifest.part_folders()):
        path = index_dir / folder
        with _LOCK:
            part = _PARTS.get(path)
        if part is None:
            part = derived.load_part(path)
            problems = derived.structure_problems(part)
            if problems:
                raise DamagedFiles(f"{folder}: " + "; ".join(problems[:3]), [f"{folder}/"])
            derived.boundary_chars(part)  # computed once, off the request path
            derived.title_bigrams(part)
            derived.release_pages(part)  # the checks read it all; queries map what they read
            with _LOCK:
                part = _PARTS.setdefault(path, part)
        out[folder] = part
    return out


def forget_parts(keep: set[Path]) -> None:
    """Drop this process's mapped parts that are not in ``keep`` (parts no generation in use names)."""
    with _LOCK:
        for folder in [f for f in _PARTS if f not in keep]:
            del _PARTS[folder]
