"""Build a generation's new derived parts while its records are written, in worker processes.

A :class:`PartBuilder` receives the sections a transaction adds to the store of record, in the order they
are added (which is their docnum order in the new segment), cuts them into parts of whole documents and has
each part built by a worker (:func:`indexer.index.derived.build_part`) while the writer goes on. Parts of
merged segments are compacted or combined the same way (:func:`indexer.index.combine.combine`). Nothing a
builder writes is visible until a manifest names it; :meth:`PartBuilder.abort` removes it at once, and the
next writer collects whatever a killed one left.

The workers are started when the builder is made — before the writer takes the index's lock, so no worker
ever holds it — and die with their parent. A worker that dies (killed, out of memory) fails the build
with a clear error instead of hanging it (``concurrent.futures`` notices a dead worker).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np

from indexer.index import derived
from indexer.index.combine import combine
from indexer.index.faults import fault_point
from indexer.index.storage import DERIVED
from indexer.index.workers import die_with_parent


class BuildError(RuntimeError):
    """A part could not be built (the transaction publishes nothing)."""


def new_part_folder(index_dir: Path) -> str:
    """A fresh part folder name, relative to the index (unique: parts are never overwritten)."""
    return f"{DERIVED}/p{uuid.uuid4().hex[:16]}"


def _build(sections: list[derived.SectionInput], folder: str) -> tuple[int, int]:
    fault_point("build")
    derived.build_part(sections, Path(folder))
    return len(sections), len({s.doc_id for s in sections})


def _combine(sources: list[str], keeps: list[np.ndarray], folder: str) -> tuple[int, int]:
    fault_point("merge")
    parts = [derived.load_part(Path(s)) for s in sources]
    return combine(parts, keeps, Path(folder))


def _ready(_: int) -> None:
    """Runs once in each worker when the pool starts (forces the workers to exist before the lock)."""


class PartBuilder:
    """Builds parts for one transaction (see the module docstring)."""

    def __init__(self, index_dir: Path, procs: int = 1) -> None:
        self.index_dir = index_dir
        self.procs = max(1, procs)
        self.pool: ProcessPoolExecutor | None = None
        if self.procs > 1:
            self.pool = ProcessPoolExecutor(self.procs, mp_context=mp.get_context("fork"),
                                            initializer=die_with_parent, initargs=(os.getpid(),))
            list(self.pool.map(_ready, range(self.procs)))  # fork every worker now, before the lock
        self._jobs: list[tuple[str, Future[tuple[int, int]] | tuple[int, int]]] = []
        self._buffer: list[derived.SectionInput] = []
        self._bytes = 0
        self.added = 0
        self.parts: list[tuple[int, int, str]] = []  # (lo, hi, folder) of the sections added, in order

    # -------------------------------------------------------------------------------------- records
    def begin(self) -> None:
        """Start the sections of another segment (docnums from 0 again; :attr:`parts` lists this run's)."""
        self._flush()
        self.added = 0
        self.parts = []

    def add(self, sections: list[derived.SectionInput]) -> None:
        """A document's sections, as written (the next docnums of the new segment)."""
        size = sum(len(s.text) for s in sections)
        if self._buffer and (len(self._buffer) + len(sections) > derived.PART_SECTIONS
                             or self._bytes + size > derived.PART_BYTES // 3):
            self._flush()
        self._buffer.extend(sections)
        self._bytes += size

    def _flush(self) -> None:
        if not self._buffer:
            return
        lo, hi = self.added, self.added + len(self._buffer)
        folder = new_part_folder(self.index_dir)
        self._submit(folder, _build, self._buffer, str(self.index_dir / folder))
        self.parts.append((lo, hi, folder))
        self.added = hi
        self._buffer, self._bytes = [], 0

    # -------------------------------------------------------------------------------------- merges
    def combine(self, sources: list[str], keeps: list[np.ndarray]) -> str:
        """A new part holding the kept sections of the parts ``sources`` (folders relative to the index)."""
        folder = new_part_folder(self.index_dir)
        self._submit(folder, _combine, [str(self.index_dir / s) for s in sources], keeps,
                     str(self.index_dir / folder))
        return folder

    # -------------------------------------------------------------------------------------- running
    def _submit(self, folder: str, func: object, *args: object) -> None:
        if self.pool is None:
            self._jobs.append((folder, func(*args)))  # type: ignore[operator]
            return
        self._wait(keep=self.procs)  # bound what waits in memory: at most one part queued per worker
        self._jobs.append((folder, self.pool.submit(func, *args)))  # type: ignore[arg-type]

    def _wait(self, keep: int = 0) -> None:
        pending = [f for _, f in self._jobs if isinstance(f, Future) and not f.done()]
        for fut in pending[: max(0, len(pending) - keep)]:
            self._result(fut)

    @staticmethod
    def _result(fut: Future[tuple[int, int]]) -> tuple[int, int]:
        try:
            return fut.result()
        except BrokenProcessPool as exc:
            raise BuildError("a worker building the search data died (killed, or out of memory)") from exc

    def flush(self) -> None:
        """Have the sections still buffered built as a part, without waiting for it (the writer commits the
        store of record meanwhile; :meth:`finish` waits)."""
        self._flush()

    def finish(self) -> dict[str, tuple[int, int]]:
        """Build what is left and wait for every part; returns folder → (sections, documents)."""
        self._flush()
        out: dict[str, tuple[int, int]] = {}
        for folder, job in self._jobs:
            out[folder] = self._result(job) if isinstance(job, Future) else job
        return out

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def abort(self) -> None:
        """Stop the workers and remove every part this builder wrote."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for folder, _ in self._jobs:
            shutil.rmtree(self.index_dir / folder, ignore_errors=True)
        self._jobs = []
