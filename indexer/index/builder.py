"""Build a generation's new derived parts while its records are written, in worker processes.

A :class:`PartBuilder` receives the sections a transaction adds to the store of record, in the order they
are added (which is their docnum order in the new segment), cuts them into parts of whole documents and has
each part built by a worker while the writer goes on. A transaction's tail is the longer of the store's
commit, which grows with all of its records, and the build of its last part, which runs meanwhile. In a
transaction's first part the build is the longer (per section, about 0.11 ms to build and 0.03 ms to commit),
so that part's documents are prepared in runs of about :data:`PREPARE_SECTIONS` sections as they arrive
(:func:`indexer.index.derived.prepare`: their continuous text, words, relations and columns), and the part is
assembled once complete (:func:`indexer.index.derived.assemble`: its character layers and postings): what is
left at the end of a commit of up to a part is the assembly, not the whole build (10,000 sections at 1M:
0.55 instead of 1.1 s idle, about half under load). Once a transaction has written a whole part, the store's
commit at the end lasts as long as the last part's whole build, which overlaps it; preparing ahead would then
only take the extraction's processor time (an import of 270,000 sections was 1.2 s slower), so later parts are
built whole. Parts of merged segments are compacted or combined
(:func:`indexer.index.combine.combine`). Nothing a builder writes is visible until a manifest names it;
:meth:`PartBuilder.abort` removes it at once, and the next writer collects whatever a killed one left.

The workers are started when the builder is made — before the writer takes the index's lock, so no worker
ever holds it — and die with their parent. A worker that dies (killed, out of memory) fails the build
with a clear error instead of hanging it (``concurrent.futures`` notices a dead worker).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import shutil
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


#: Sections of a part prepared at a time while the part's documents arrive: the run still unprepared when
#: the last document is written is prepared at the end, so this bounds that share of the tail (a fifth of a
#: 1 % commit at 1M); each run costs a job, and what it prepared written and read once through the page cache.
PREPARE_SECTIONS = 2_048


def _runs_folder(folder: str) -> Path:
    """Where the prepared runs of the part to be built in ``folder`` wait for its assembly (beside it under
    ``derived/``, so the next writer collects them if this one is killed)."""
    return Path(folder + ".runs")


def _prepare(sections: list[derived.SectionInput], folder: str, run: int) -> None:
    """Prepare a run of the part to be built in ``folder`` and leave it in the part's runs folder: a run is
    passed on as a file (through the page cache) rather than through the writer, which would receive and send
    again twice its text."""
    fault_point("build")
    prepared = derived.prepare(sections)
    runs = _runs_folder(folder)
    runs.mkdir(parents=True, exist_ok=True)
    with open(runs / f"{run}.pickle", "wb") as fh:
        pickle.dump(prepared, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _assemble(runs: int, rest: list[derived.SectionInput], folder: str) -> tuple[int, int]:
    """Assemble the part in ``folder`` from its ``runs`` prepared runs and the sections ``rest`` (with no runs:
    the part built at once, :func:`indexer.index.derived.build_part`)."""
    fault_point("build")
    staged = _runs_folder(folder)
    prepared: list[derived.Prepared] = []
    for run in range(runs):
        with open(staged / f"{run}.pickle", "rb") as fh:
            prepared.append(pickle.load(fh))
    derived.assemble(prepared, Path(folder), rest)
    shutil.rmtree(staged, ignore_errors=True)
    return (sum(r.sections for r in prepared) + len(rest),
            sum(len(r.doc_first) for r in prepared) + len({s.doc_id for s in rest}))


@dataclass
class _Part:
    """A part whose sections are all known, waiting for its runs to be prepared before it is assembled."""

    folder: str
    runs: list[Future[None]]
    rest: list[derived.SectionInput]


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
        self._buffer: list[derived.SectionInput] = []  # the current part's sections not yet sent to be prepared
        self._runs: list[Future[None]] = []  # the current part's runs being prepared
        self._folder = ""  # the current part's folder, named when its first run is sent to be prepared
        self._waiting: list[_Part] = []  # complete parts whose runs are still being prepared, in order
        self._submitted: list[tuple[Future[Any], int]] = []  # jobs in the pool, maybe done, and their sections
        self._sections = 0  # in the current part
        # prepare runs ahead only in the first part (see the module docstring)
        self._ahead = True
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
        if self._sections and (self._sections + len(sections) > derived.PART_SECTIONS
                               or self._bytes + size > derived.PART_BYTES // 3):
            self._flush()
        self._buffer.extend(sections)
        self._sections += len(sections)
        self._bytes += size
        if self.pool is not None and self._ahead and len(self._buffer) >= PREPARE_SECTIONS:
            self._folder = self._folder or new_part_folder(self.index_dir)
            self._bound()
            self._runs.append(self.pool.submit(_prepare, self._buffer, str(self.index_dir / self._folder),
                                               len(self._runs)))
            self._submitted.append((self._runs[-1], len(self._buffer)))
            self._buffer = []
        self._advance()

    def _flush(self) -> None:
        if not self._sections:
            return
        lo, hi = self.added, self.added + self._sections
        folder = self._folder or new_part_folder(self.index_dir)
        if self.pool is None:
            self._jobs.append((folder, _assemble(0, self._buffer, str(self.index_dir / folder))))
        else:
            self._waiting.append(_Part(folder, self._runs, self._buffer))
            self._advance()
        self.parts.append((lo, hi, folder))
        self.added = hi
        self._buffer, self._runs, self._folder, self._sections, self._bytes = [], [], "", 0, 0
        self._ahead = False

    def _advance(self, block: bool = False) -> None:
        """Have the waiting parts whose runs are prepared assembled, in order (``block``: all of them, waiting
        for their runs)."""
        while self._waiting and (block or all(f.done() for f in self._waiting[0].runs)):
            part = self._waiting.pop(0)
            for f in part.runs:
                self._result(f)
            self._submit(part.folder, len(part.rest), _assemble, len(part.runs), part.rest,
                         str(self.index_dir / part.folder))

    # -------------------------------------------------------------------------------------- merges
    def combine(self, sources: list[str], keeps: list[np.ndarray]) -> str:
        """A new part holding the kept sections of the parts ``sources`` (folders relative to the index)."""
        folder = new_part_folder(self.index_dir)
        self._submit(folder, derived.PART_SECTIONS, _combine, [str(self.index_dir / s) for s in sources], keeps,
                     str(self.index_dir / folder))
        return folder

    # -------------------------------------------------------------------------------------- running
    def _submit(self, folder: str, sections: int, func: object, *args: object) -> None:
        """Have ``func(*args)`` build the part in ``folder``; ``sections``: how many it holds in memory while it
        waits (:meth:`_bound`)."""
        if self.pool is None:
            self._jobs.append((folder, func(*args)))  # type: ignore[operator]
            return
        self._bound()
        job: Future[tuple[int, int]] = self.pool.submit(func, *args)  # type: ignore[arg-type]
        self._submitted.append((job, sections))
        self._jobs.append((folder, job))

    def _bound(self) -> None:
        """Bound what waits in memory: no more sections in jobs not done than ``procs`` whole parts (as many
        runs as that while they are prepared ahead; waits until enough are done)."""
        self._submitted = [(f, n) for f, n in self._submitted if not f.done()]
        while sum(n for _, n in self._submitted) > self.procs * derived.PART_SECTIONS:
            wait([f for f, _ in self._submitted], return_when=FIRST_COMPLETED)
            self._submitted = [(f, n) for f, n in self._submitted if not f.done()]

    @staticmethod
    def _result(fut: Future[Any]) -> Any:
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
        self._advance(block=True)
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
        folders = [f for f, _ in self._jobs] + [part.folder for part in self._waiting]
        for folder in folders + ([self._folder] if self._folder else []):
            shutil.rmtree(self.index_dir / folder, ignore_errors=True)
            shutil.rmtree(_runs_folder(str(self.index_dir / folder)), ignore_errors=True)
        self._jobs, self._waiting, self._runs, self._submitted = [], [], [], []
