"""Import files and folders into the index: walk, read (through the one skip policy of
:mod:`indexer.extract.filetypes`), skip what is unchanged, extract, and write — all in one transaction.

Extraction (decoding, cleaning, sections, metadata) is most of the work and runs in ``procs`` worker
processes (:class:`~indexer.index.workers.Workers`, one for ``procs`` 1 too); the parent writes what they
return, in file order, through one Whoosh writer. A file whose reader crashes, aborts, hangs or runs out of
memory ends its worker only and is a skip with that reason. The workers are started *before* the index's write
lock is taken (a worker started again after a crash shares the lock's descriptor but dies with the parent
and never touches it) and die with the parent whatever kills it (``PR_SET_PDEATHSIG``), so a killed import
leaves no process behind and no lock held.

Ids: a file's source key is ``collection/relative/path`` (:func:`source_key`), so moving or copying the
imported folder changes nothing; ``prune`` removes the documents of a collection whose files are gone.
Walking a folder follows no symbolic link out of it unless asked (``follow_symlinks``): a link to a file
outside (``/etc/passwd``) is a skip with its reason, a link to a folder outside is not entered. A collection's
name is checked by :func:`collection_refusal`; a file whose name is not valid UTF-8 is a skip.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.document import Extraction
from indexer.extract.pipeline import ExtractError, extract_data, read_source
from indexer.extract.usermeta import apply_metadata
from indexer.index.store import RecordError, content_hash
from indexer.index.workers import Failure, Workers
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
    """A file to import: where it is, its id and its collection; ``refused``: why it is not read at all."""

    path: Path
    key: str
    collection: str
    relative: str
    refused: str | None = None


def source_key(collection: str, relative: Path) -> str:
    """A file's id: its path relative to the imported folder, under the collection's name. It never
    depends on where the folder lies, so moving or copying the folder changes no id."""
    return f"{collection}/{relative.as_posix()}"


_NOT_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff/\\\\]")
#: Longest collection name.
MAX_COLLECTION = 200


def collection_refusal(name: str) -> str | None:
    """Why ``name`` cannot name a collection (it is the first part of every id of its documents), or None."""
    if not name.strip():
        return "a collection's name must not be empty"
    if name != name.strip():
        return "a collection's name must not start or end with white space"
    if name in (".", ".."):
        return f"{name!r} is not a collection's name"
    if _NOT_A_NAME.search(name):
        return "a collection's name must not hold '/', '\\', control characters, NUL or broken Unicode"
    if len(name) > MAX_COLLECTION:
        return f"a collection's name must be at most {MAX_COLLECTION} characters long"
    return None


def _collection(collection: str | None, folder: Path) -> str:
    name = collection if collection is not None else folder.resolve().name
    why = collection_refusal(name)
    if why:
        raise ValueError(why if collection is not None else f"the folder's name {name!r} cannot name a collection "
                         f"({why}): give one with --collection")
    return name


def iter_files(paths: Iterable[Path], collection: str | None = None,
               follow_symlinks: bool = False) -> Iterator[Source]:
    """The files under ``paths`` (folders recursively, in name order, hidden ones left out). The collection
    is ``collection`` or the imported folder's own name (a single file's folder). ValueError when that is no
    collection's name."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, _collection(collection, path), follow_symlinks)
        else:
            name = _collection(collection, path.resolve().parent)
            yield _source(path, Path(path.name), name, None)


def _walk(folder: Path, name: str, follow_symlinks: bool) -> Iterator[Source]:
    root = folder.resolve()
    seen: set[tuple[int, int]] = set()
    for here, dirs, files in os.walk(folder, followlinks=follow_symlinks):
        if follow_symlinks:  # a link back up would walk for ever
            st = os.stat(here)
            if (st.st_dev, st.st_ino) in seen:
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for d in dirs if not follow_symlinks else []:
            link = Path(here) / d
            if link.is_symlink() and not _inside(link, root):
                yield _source(link, link.relative_to(folder), name,
                              "symbolic link to a folder outside the imported folder: not followed "
                              "(--follow-symlinks follows it)")
        for f in sorted(files):
            if not f.startswith("."):
                full = Path(here) / f
                why = None
                if not follow_symlinks and full.is_symlink() and not _inside(full, root):
                    why = ("symbolic link to a file outside the imported folder: not followed "
                           "(--follow-symlinks imports it)")
                yield _source(full, full.relative_to(folder), name, why)


def _inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _source(path: Path, relative: Path, collection: str, refused: str | None) -> Source:
    rel = relative.as_posix()
    if refused is None and re.search("[\ud800-\udfff]", rel):
        refused = "the file's name is not valid UTF-8 (rename it to import it)"
    if refused is None and _CONTROL.search(rel):  # a line break in an id: no address could name its page
        refused = "the file's name holds a line break or another control character (rename it to import it)"
    if refused is not None:  # its id must still be text a store can look up
        rel = printable(rel)
    return Source(path, source_key(collection, Path(rel)), collection, rel, refused)


#: Control characters and line separators no file's id may hold (a tab may: addresses and pages carry it).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def distinct_sources(sources: Iterable[Source]) -> tuple[list[Source], list[tuple[str, str]]]:
    """The sources with one per id, and (path, reason) of each other one. Two files with one id (folders of the
    same name imported together: 2020/reports and 2021/reports) would overwrite each other's documents, a
    different one winning at each import: the first is imported, the others are skipped with the reason. The
    same file named twice (a file and its folder) is imported once."""
    kept: dict[str, Source] = {}
    skipped: list[tuple[str, str]] = []
    for src in sources:
        first = kept.get(src.key)
        if first is None:
            kept[src.key] = src
        elif not _same_file(first.path, src.path):
            skipped.append((shown(src.path), f"its id {src.key!r} is also the id of {shown(first.path)}, imported "
                                             f"instead: two imported folders are named {src.collection!r} (import "
                                             "each with a --collection name of its own)"))
    return list(kept.values()), skipped


def shown(path: Path) -> str:
    """A path as a summary line shows it: control characters escaped (a name with a line break stays on one
    line)."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a == b


def printable(path: str) -> str:
    """A path as text that can be printed and stored: the bytes of a name that is not valid UTF-8 (kept by
    Python as lone surrogates) become U+FFFD, its other characters stay."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", path)


# ---------------------------------------------------------------------------------------------- workers
Outcome = tuple[str, str | None, Extraction | None, str | None]  # key, digest, extraction, skip reason


#: A store's preparation of an extraction for writing (run in the workers; see IndexStore.prepare).
Prepare = Callable[[Extraction, str, str], Extraction]
Task = tuple[Source, str | None, dict[str, str] | None, Prepare | None]  # source, known hash, metadata, prepare


def _extract(task: Task) -> Outcome:
    src, known, supplied, prepare = task
    if src.refused is not None:
        return src.key, None, None, src.refused
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
    from indexer.text.normalize import load_tables, normalize
    from indexer.text.segment import cut

    load_tables()
    cut(normalize("统一战线"))


def _outcomes(tasks: list[Task], procs: int) -> Iterator[Outcome]:
    """Each task's outcome, in order, extracted by ``procs`` worker processes (see
    :mod:`indexer.index.workers`: a reader that crashes, hangs or runs out of memory ends its worker only, and
    its file is a skip with that reason). At most :data:`IN_FLIGHT` per worker are handed out before the writer
    has taken their outcomes: a writer slower than the workers (a database over the network) would otherwise
    pile every extracted file up in memory (7 GB at a million sections)."""
    extract = _extract  # looked up now, so the workers run what this module holds at the start
    with Workers(extract, procs).start() as workers:
        for task, outcome in zip(tasks, workers.map(tasks, window=max(1, procs) * IN_FLIGHT)):
            yield (task[0].key, None, None, outcome.reason) if isinstance(outcome, Failure) else outcome


# ---------------------------------------------------------------------------------------------- import
def import_paths(paths: list[Path], index_dir: Target, procs: int = 1,
                 progress: Callable[[int, int, str], None] | None = None, collection: str | None = None,
                 prune: bool = False, overrides: Overrides | None = None, reuse: bool = True,
                 follow_symlinks: bool = False) -> ImportSummary:
    """Import files and folders into the index at ``index_dir`` (a folder, or a database URL: see
    :mod:`indexer.search.backends`) in one transaction (``reuse``: compare the new documents with the indexed
    ones for shared passages once committed; ``follow_symlinks``: follow links out of an imported folder).
    ValueError for a collection name that cannot be one."""
    started = time.monotonic()
    summary = ImportSummary()
    sources, doubles = distinct_sources(iter_files(paths, collection, follow_symlinks))
    for path, reason in doubles:
        summary.files += 1
        summary.skipped.append((path, reason))
        log.info("skipped %s: %s", path, reason)
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
                progress(n, len(sources), shown(src.path))
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
        summary.skipped.append((shown(src.path), reason))
        log.info("skipped %s: %s", shown(src.path), reason)
        return
    if extraction is None:
        summary.unchanged += 1
        return
    try:
        summary.sections += tx.write(extraction, key, digest or "", src.collection)
    except RecordError as exc:  # refused before anything of it was written
        summary.skipped.append((shown(src.path), f"cannot be stored: {exc}"))
        log.info("skipped %s: %s", shown(src.path), exc)
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
