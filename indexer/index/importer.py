"""Import files and folders into the index: walk, read (through the one skip policy of
:mod:`indexer.extract.filetypes`), skip what is unchanged, extract, and write — all in one transaction.

Extraction (decoding, cleaning, sections, metadata) is most of the work and runs in ``procs`` worker
processes; the parent writes what they return, in file order, through one Whoosh writer. The workers are
started *before* the index's write lock is taken (so they never hold it) and die with the parent whatever
kills it (``PR_SET_PDEATHSIG``), so a killed import leaves no process behind and no lock held.

Ids: a file's source key is ``collection/relative/path`` (:func:`source_key`), so moving or copying the
imported folder changes nothing; ``prune`` removes the documents of a collection whose files are gone.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.document import Extraction
from indexer.extract.pipeline import ExtractError, extract_data, read_source
from indexer.extract.usermeta import apply_metadata
from indexer.index.store import RecordError, content_hash
from indexer.index.workers import die_with_parent
from indexer.search.backends import IndexStore, StoreTransaction, Target, open_store

log = logging.getLogger(__name__)

#: Supplied metadata: source key → field → value (see indexer.extract.usermeta).
Overrides = dict[str, dict[str, str]]
#: Files handed to each worker ahead of the writer (see :func:`_outcomes`).
IN_FLIGHT = 16


@dataclass
class ImportSummary:
    """What an import did."""

    files: int = 0
    documents: int = 0
    sections: int = 0
    unchanged: int = 0
    replaced: int = 0
    pruned: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"files": self.files, "documents": self.documents, "sections": self.sections,
                "unchanged": self.unchanged, "replaced": self.replaced, "pruned": self.pruned,
                "skipped": [{"path": p, "reason": r} for p, r in self.skipped], "seconds": round(self.seconds, 2)}


@dataclass(frozen=True)
class Source:
    """A file to import: where it is, its id and its collection."""

    path: Path
    key: str
    collection: str
    relative: str


def source_key(collection: str, relative: Path) -> str:
    """A file's id: its path relative to the imported folder, under the collection's name. It never
    depends on where the folder lies, so moving or copying the folder changes no id."""
    return f"{collection}/{relative.as_posix()}"


def iter_files(paths: Iterable[Path], collection: str | None = None) -> Iterator[Source]:
    """The files under ``paths`` (folders recursively, in name order, hidden ones left out). The collection
    is ``collection`` or the imported folder's own name (a single file's folder)."""
    for path in paths:
        if path.is_dir():
            name = collection or path.resolve().name
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for f in sorted(files):
                    if not f.startswith("."):
                        rel = (Path(root) / f).relative_to(path)
                        yield Source(Path(root) / f, source_key(name, rel), name, rel.as_posix())
        else:
            name = collection or path.resolve().parent.name
            yield Source(path, source_key(name, Path(path.name)), name, path.name)


# ---------------------------------------------------------------------------------------------- workers
Outcome = tuple[str, str | None, Extraction | None, str | None]  # key, digest, extraction, skip reason


#: A store's preparation of an extraction for writing (run in the workers; see IndexStore.prepare).
Prepare = Callable[[Extraction, str, str], Extraction]
Task = tuple[Source, str | None, dict[str, str] | None, Prepare | None]  # source, known hash, metadata, prepare


def _extract(task: Task) -> Outcome:
    src, known, supplied, prepare = task
    try:
        data = read_source(src.path)
    except ExtractError as exc:
        return src.key, None, None, str(exc)
    digest = content_hash(data + (json.dumps(supplied, sort_keys=True).encode() if supplied else b""))
    if known == digest:
        return src.key, digest, None, None
    try:
        extraction = extract_data(data, src.path, src.key)
    except ExtractError as exc:
        return src.key, digest, None, str(exc)
    if supplied:
        for doc in extraction.documents:
            apply_metadata(doc, supplied)
    if prepare is not None:
        extraction = prepare(extraction, src.key, src.collection)
    return src.key, digest, extraction, None


def warm() -> None:
    """Load what every extraction needs (segmenter dictionary, normalisation tables, OpenCC) in this
    process, so forked workers start with it instead of each loading it."""
    from indexer.text.normalize import normalize
    from indexer.text.segment import cut

    cut(normalize("统一战线"))


def _outcomes(tasks: list[Task], procs: int) -> Iterator[Outcome]:
    """Each task's outcome, in order, extracted by ``procs`` workers. At most :data:`IN_FLIGHT` per worker
    are handed out before the writer has taken their outcomes: a writer slower than the workers (a database
    over the network) would otherwise pile every extracted file up in memory (7 GB at a million sections)."""
    if procs <= 1 or len(tasks) < 4:
        yield from map(_extract, tasks)
        return
    window, stop = threading.Semaphore(procs * IN_FLIGHT), threading.Event()

    def feed() -> Iterator[Task]:  # runs in the pool's task-handler thread
        for task in tasks:
            window.acquire()
            if stop.is_set():
                return
            yield task

    ctx = mp.get_context("fork")
    with ctx.Pool(procs, initializer=die_with_parent) as pool:
        try:
            for outcome in pool.imap(_extract, feed(), chunksize=4):
                window.release()
                yield outcome
        finally:  # before the pool ends (it joins the feeding thread): a feeder waiting for room stops
            stop.set()
            window.release()


# ---------------------------------------------------------------------------------------------- import
def import_paths(paths: list[Path], index_dir: Target, procs: int = 1,
                 progress: Callable[[int, int, str], None] | None = None, collection: str | None = None,
                 prune: bool = False, overrides: Overrides | None = None, reuse: bool = True) -> ImportSummary:
    """Import files and folders into the index at ``index_dir`` (a folder, or a database URL: see
    :mod:`indexer.search.backends`) in one transaction (``reuse``: compare the new documents with the indexed
    ones for shared passages once committed)."""
    started = time.monotonic()
    summary = ImportSummary()
    sources = list(iter_files(paths, collection))
    store = open_store(index_dir, create=True, reuse=reuse)
    try:
        _import(store, sources, procs, progress, prune, overrides, summary)
    finally:
        store.close()
    summary.seconds = time.monotonic() - started
    return summary


def _import(store: IndexStore, sources: list[Source], procs: int, progress: Callable[[int, int, str], None] | None,
            prune: bool, overrides: Overrides | None, summary: ImportSummary) -> None:
    hashes = store.known_hashes(None if prune else [src.key for src in sources])
    warm()  # load the segmenter and tables once, before the workers are forked
    tasks: list[Task] = [(src, hashes.get(src.key), (overrides or {}).get(src.relative), store.prepare)
                         for src in sources]
    by_key = {src.key: src for src in sources}
    outcomes = _outcomes(tasks, procs)  # a generator: the pool starts before the lock is taken
    first = next(outcomes, None)
    with store.transaction(procs) as tx:
        for n, outcome in enumerate(_chain(first, outcomes), 1):
            src = by_key[outcome[0]]
            if progress:
                progress(n, len(sources), str(src.path))
            _record(tx, src, outcome, hashes, summary)
        if prune:
            summary.pruned = _prune(tx, {src.collection for src in sources}, set(by_key), hashes)


def _chain(first: Outcome | None, rest: Iterator[Outcome]) -> Iterator[Outcome]:
    if first is not None:
        yield first
        yield from rest


def _record(tx: StoreTransaction, src: Source, outcome: Outcome, hashes: dict[str, str],
            summary: ImportSummary) -> None:
    key, digest, extraction, reason = outcome
    summary.files += 1
    if reason is not None:
        summary.skipped.append((str(src.path), reason))
        log.info("skipped %s: %s", src.path, reason)
        return
    if extraction is None:
        summary.unchanged += 1
        return
    try:
        summary.sections += tx.write(extraction, key, digest or "", src.collection)
    except RecordError as exc:  # refused before anything of it was written
        summary.skipped.append((str(src.path), f"cannot be stored: {exc}"))
        log.info("skipped %s: %s", src.path, exc)
        return
    if key in hashes:
        summary.replaced += 1
    summary.documents += len(extraction.documents)


def _prune(tx: StoreTransaction, collections: set[str], present: set[str], hashes: dict[str, str]) -> int:
    """Delete the sources of ``collections`` that are no longer among the imported files."""
    gone = [k for k in hashes if k.split("/", 1)[0] in collections and k not in present]
    for key in gone:
        tx.delete("source_key", key)
    return len(gone)


def terminal_progress(n: int, total: int, label: str) -> None:
    """A one-line progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return
    width = 30
    done = int(width * n / max(total, 1))
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {n}/{total} {Path(label).name[:40]:<40}")
    if n == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
