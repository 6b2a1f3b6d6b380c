"""One change to the index — an import, a crawl batch, a delete — published as one new generation, or nothing.

The steps, in order (a failure or a kill at any of them leaves the published generation as it was):

  1. take the index's lock (``tzsearch.lock``, ``flock``: released by the kernel when its holder dies); a
     second writer is refused with :class:`IndexBusy`. Files of no published generation — what a killed
     writer left — are collected;
  2. write records into the store of record (Whoosh, opened as the published generation names it), each
     document validated first; the new sections go to a :class:`~indexer.index.builder.PartBuilder` that
     builds their derived parts in worker processes meanwhile;
  3. commit the store of record with our merge policy (:func:`choose_merges`): it writes new segment files
     and a new table of contents, which nothing reads yet. Parts of merged segments are compacted or
     combined from the old parts, never tokenised again;
  4. check the new generation: every segment's parts cover its documents exactly, every new part is sound
     (:func:`indexer.index.derived.structure_problems`); checksum and sync every new file;
  5. publish: replace ``manifest.json`` atomically (:func:`indexer.index.manifest.publish`);
  6. collect the files that neither this generation nor the previous one names, release the lock.

Readers (the server, every command) open ``manifest.json`` and only what it names, so they see generation
N or N+1, whole, never anything between.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex, LockError
from whoosh.reading import SegmentReader

from indexer.document import Extraction
from indexer.index import derived, textmodel
from indexer.index.builder import BuildError, PartBuilder
from indexer.index.faults import fault_point
from indexer.index.manifest import (
    PREVIOUS,
    Manifest,
    ManifestError,
    PartRef,
    SegmentRef,
    checksums,
    publish,
    read_manifest,
    sync_files,
    verify,
)
from indexer.index.segments import DamagedFiles, verify_files
from indexer.index.storage import INDEXNAME, PinnedStorage, collect, open_pinned, segment_files, toc_name
from indexer.index.store import (
    REIMPORT,
    IndexBusy,
    StoreDamaged,
    build_schema,
    extraction_records,
    published,
    writer_for,
)

log = logging.getLogger(__name__)

LOCK = "tzsearch.lock"
#: Segments of one size tier merged together once this many have gathered (logarithmic merging).
FANOUT = 8
#: The smallest tier: segments of up to this many sections.
TIER_BASE = 2_000
#: A segment with more than this share of its sections deleted is compacted at the next commit.
EXPUNGE = 0.3


class PublishedWithError(Exception):
    """A change was published (its documents are in the index), and what came after the publish step failed."""

    @classmethod
    def after(cls, manifest: Manifest, exc: BaseException) -> PublishedWithError:
        return cls(f"generation {manifest.generation} was published (the documents are in the index), then: {exc}")


def tidy_published(index_dir: Path, manifest: Manifest, keep: list[Manifest | None]) -> None:
    """Remove what ``keep`` does not name once ``manifest`` is published: tidying only — a failure is a warning
    (the next writer collects what is left), never a failed change."""
    try:
        fault_point("collect")
        collect(index_dir, keep)
    except Exception as exc:
        log.warning("generation %d is published; removing the files it replaced failed (%s): the next import "
                    "removes them", manifest.generation, getattr(exc, "strerror", None) or exc)


class IndexLock:
    """The index's write lock: an exclusive ``flock`` on ``tzsearch.lock`` (never blocks: IndexBusy)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / LOCK
        self.fd: int | None = None

    def acquire(self) -> IndexLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise IndexBusy("another import or crawl is writing to this index; try again when it ends") from None
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> IndexLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def previous_manifest(index_dir: Path) -> Manifest | None:
    """The manifest before the published one (None when absent or unreadable)."""
    try:
        return read_manifest(index_dir, PREVIOUS)
    except ManifestError:
        return None


def _is_published(index_dir: Path, manifest: Manifest) -> bool:
    """Whether ``manifest`` is the published one (its rename happened, whatever failed after it)."""
    try:
        current = read_manifest(index_dir)
    except ManifestError:
        return False
    return (current is not None and current.generation == manifest.generation and current.toc == manifest.toc
            and current.files == manifest.files)


def _store_intact(index_dir: Path, manifest: Manifest, whole: bool = False, segment: str | None = None) -> None:
    """Refuse to write on a damaged store of record (:class:`StoreDamaged`): a change would publish a new
    generation on top of it (still damaged, its import reported done), and a merge would copy what it reads
    of a damaged segment into a new one whose checksums are right.

    Before a change: every file's size and the table of contents' checksum — and (``whole``, before it commits)
    every file's checksum, when the change will open the generation it publishes in this process anyway (the
    shared-wording update): files are read once per process (:func:`indexer.index.segments.verify_files`), so
    that costs nothing more; a transaction that changes nothing reads none. Before a merge (``segment``): the
    checksums of that segment's files."""
    def ours(name: str) -> bool:
        return "/" not in name

    try:
        if segment is not None:
            verify_files(index_dir, manifest, only=lambda n: n.startswith(segment + "."))
            return
        bad = verify(index_dir, {n: v for n, v in manifest.files.items() if ours(n)}, sizes_only=True)
        if bad:
            raise DamagedFiles("; ".join(bad[:5]), [b.split(":", 1)[0] for b in bad])
        verify_files(index_dir, manifest, only=ours if whole else lambda n: n == toc_name(manifest.toc))
    except DamagedFiles as exc:
        raise StoreDamaged(f"the store of record is damaged ({exc}); {REIMPORT}") from None


def create_index(path: Path) -> None:
    """An empty index at ``path`` (generation 0), unless another process made one first."""
    path.mkdir(parents=True, exist_ok=True)
    with IndexLock(path):
        if (path / "manifest.json").exists():
            return
        collect(path, [])
        FileIndex.create(PinnedStorage(path, None), build_schema(), indexname=INDEXNAME)
        files = checksums(path, [toc_name(0)])
        sync_files(path, files)
        publish(path, Manifest(0, 0, [], files, textmodel.fingerprint(), derived_format=derived.FORMAT))


def _tier(live: int) -> int:
    tier, size = 0, TIER_BASE
    while live > size:
        tier, size = tier + 1, size * FANOUT
    return tier


def choose_merges(segments: list[Any]) -> list[Any]:
    """The segments to merge into the new one (in index order): empty ones; ones with many deletions; and all
    segments of the smallest size tier that has :data:`FANOUT` of them — so an index of N sections keeps
    O(log N) segments, and each section is copied O(log N) times over its life."""
    chosen: set[int] = set()
    tiers: dict[int, list[int]] = {}
    for i, seg in enumerate(segments):
        total, live = seg.doc_count_all(), seg.doc_count()
        if live == 0 or (total and (total - live) / total > EXPUNGE):
            chosen.add(i)
        else:
            tiers.setdefault(_tier(live), []).append(i)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= FANOUT:
            chosen.update(tiers[tier])
            break
    return [seg for i, seg in enumerate(segments) if i in chosen]


class Transaction:
    """One atomic change (see the module docstring): a context manager that publishes on success when
    something was written or deleted, and publishes nothing otherwise."""

    def __init__(self, index_dir: Path, procs: int = 1, reuse: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.reuse = reuse
        self.changed = False
        self.builder = PartBuilder(self.index_dir, procs)  # workers forked before the lock
        self.lock = IndexLock(self.index_dir)
        try:
            self.lock.acquire()
            self.base = published(self.index_dir)
            _store_intact(self.index_dir, self.base)
            collect(self.index_dir, [self.base, previous_manifest(self.index_dir)])
            self.ix = open_pinned(self.index_dir, self.base.toc)
            self.writer = writer_for(self.ix)
        except LockError:
            self._release()
            raise IndexBusy("another writer holds the index's lock") from None
        except BaseException:
            self._release()
            raise
        self._merged: list[tuple[str, set[int]]] = []

    def __enter__(self) -> Transaction:
        return self

    def _release(self) -> None:
        self.builder.abort()
        self.lock.release()

    # ------------------------------------------------------------------------------------------ changes
    def write(self, extraction: Extraction, source_key: str, digest: str, collection: str) -> int:
        """Replace a source's sections with the extraction's; returns the number of sections written.
        Raises :class:`~indexer.index.store.RecordError` (before changing anything) for a record the
        index cannot hold."""
        documents = extraction_records(extraction, source_key, digest, collection)
        fault_point("write")
        self.writer.delete_by_term("source_key", source_key)
        self.changed = True
        count = 0
        for records in documents:
            meta = records[0].get("meta") or {}
            for record in records:
                self.writer.add_document(**record)
            self.builder.add([derived.SectionInput(r["doc_id"], r.get("heading"), r.get("text") or "", meta,
                                                   r.get("section_id")) for r in records])
            count += len(records)
        return count

    def delete(self, field: str, value: str) -> int:
        """Delete the sections whose ``field`` (source_key, doc_id or collection) is ``value``."""
        count = int(self.writer.delete_by_term(field, value))
        self.changed = self.changed or count > 0
        return count

    # ------------------------------------------------------------------------------------------ commit
    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self.changed:
            self._cancel()
            return
        committed = False
        manifest: Manifest | None = None
        try:
            if self.reuse:  # every checksum, now that this change publishes and its shared-wording update reads
                _store_intact(self.index_dir, self.base, whole=True)  # them all anyway (a no-op reads none)
            self.builder.flush()  # the last part builds in a worker while the store of record commits
            self.writer.commit(mergetype=self._merge)
            committed = True
            fault_point("commit")
            manifest = self._assemble()
            fault_point("publish")
            publish(self.index_dir, manifest)
            fault_point("published")
        except BaseException:
            if manifest is not None and _is_published(self.index_dir, manifest):
                # the rename happened (an error or Ctrl-C after it): the new generation is the index now, and
                # its files must stay — removing "what this writer made" would break the published manifest
                exc_now = sys.exc_info()[1]
                self._close_published(manifest)
                if isinstance(exc_now, Exception):  # an interrupt stays one
                    raise PublishedWithError.after(manifest, exc_now) from exc_now
                raise
            if committed:
                self._discard()
            else:
                self._cancel()
            raise
        self._close_published(manifest)
        if self.reuse:
            from indexer.reuse.update import update_reuse

            try:
                update_reuse(self.index_dir)
            except Exception as exc:  # the change is published: a failure here must not say it is not
                log.warning("generation %d is published, but its documents were not compared for shared wording "
                            "(%s); run: python -m indexer reuse --update --index %s", manifest.generation,
                            getattr(exc, "strerror", None) or exc, self.index_dir)

    def _close_published(self, manifest: Manifest) -> None:
        """After ``manifest`` is published (whatever failed after it): its files stay, the replaced ones go."""
        try:
            tidy_published(self.index_dir, manifest, [manifest, self.base])
        finally:
            self.builder.close()
            self.lock.release()

    def _cancel(self) -> None:
        try:
            self.writer.cancel()
        except Exception:  # Whoosh writes out the segment it cancels: on a full disk that fails again
            log.debug("cancelling the store's writer failed", exc_info=True)
        finally:
            self._discard()

    def _discard(self) -> None:
        """Remove what this writer made (its parts, the segment files Whoosh began, MAIN.tmp) and release the
        lock: tidying only, so a failure here never hides the error that brought it here."""
        try:
            self.builder.abort()
            collect(self.index_dir, [self.base, previous_manifest(self.index_dir)])
        except Exception:  # the next writer collects what is left
            log.debug("collecting what an unpublished change made failed", exc_info=True)
        finally:
            self.lock.release()

    def _merge(self, writer: Any, segments: list[Any]) -> list[Any]:
        """The merge policy Whoosh calls at commit: merges the segments :func:`choose_merges` picks into the new
        segment (after the added sections) and has their parts compacted meanwhile."""
        chosen = choose_merges(segments)
        for seg in chosen:
            _store_intact(self.index_dir, self.base, segment=seg.segment_id())
            self._merged.append((seg.segment_id(), set(seg.deleted_docs())))
            reader = SegmentReader(writer.storage, writer.schema, seg)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        return [s for s in segments if s not in chosen]

    def _merged_parts(self, start: int) -> list[PartRef]:
        """Parts of the merged segments' live sections, from docnum ``start`` of the new segment, in order:
        neighbouring parts are grouped up to a part's size; a group of one part with nothing deleted is used
        as it is, the others are compacted and combined into one new part."""
        old = {s.id: s for s in self.base.segments}
        out: list[PartRef] = []
        group: list[tuple[PartRef, np.ndarray]] = []
        size = [0, 0]  # live sections and text bytes in the group

        def flush() -> None:
            nonlocal start
            live = size[0]
            if len(group) == 1 and live == group[0][0].sections:
                ref = group[0][0]
                out.append(PartRef(start, start + live, ref.folder, ref.sections, ref.documents))
            elif live:
                folder = self.builder.combine([r.folder for r, _ in group], [k for _, k in group])
                out.append(PartRef(start, start + live, folder, live, -1))
            start += live
            group.clear()
            size[:] = [0, 0]

        for seg_id, deleted in self._merged:
            dead = np.fromiter(deleted, dtype=np.int64, count=len(deleted))
            for ref in old[seg_id].parts:
                keep = ~np.isin(np.arange(ref.lo, ref.hi), dead)
                live, nbytes = int(keep.sum()), self.base.files.get(f"{ref.folder}/text.bin", (0, 0))[0]
                if group and (size[0] + live > derived.PART_SECTIONS or size[1] + nbytes > derived.PART_BYTES):
                    flush()
                group.append((ref, keep))
                size[0] += live
                size[1] += nbytes
        flush()
        return out

    def _assemble(self) -> Manifest:
        """The new generation's manifest, after checking it (step 4 of the module docstring)."""
        new_id = self.writer.get_segment().segment_id()
        added = [PartRef(lo, hi, folder, hi - lo, -1) for lo, hi, folder in self.builder.parts]
        merged = self._merged_parts(self.builder.added)
        built = self.builder.finish()
        old = {s.id: s for s in self.base.segments}
        toc = self.writer.generation
        segments: list[SegmentRef] = []
        with open_pinned(self.index_dir, toc).reader() as reader:
            for sub, _ in reader.leaf_readers():
                seg = sub.segment()
                if seg is None:
                    continue
                sid = seg.segment_id()
                if sid in old:
                    parts = old[sid].parts
                elif sid == new_id:
                    parts = tuple(added + merged)
                else:
                    raise BuildError(f"segment {sid} appeared from nowhere")
                parts = tuple(PartRef(p.lo, p.hi, p.folder, p.sections,
                                      built[p.folder][1] if p.documents < 0 else p.documents) for p in parts)
                segments.append(SegmentRef(sid, seg.doc_count_all(), parts))
        return finish_manifest(self.index_dir, self.base.files, self.base.generation + 1, segments, toc,
                               new_parts=set(built))


def finish_manifest(index_dir: Path, known: dict[str, tuple[int, int]], generation: int, segments: list[SegmentRef],
                    toc: int, new_parts: set[str]) -> Manifest:
    """Checksum what is new (``known``: the checksums of files already verified), check the new parts, sync,
    and return the manifest of generation ``generation``."""
    names: list[str] = [toc_name(toc)]
    for seg in segments:
        names += segment_files(index_dir, seg.id)
        for p in seg.parts:
            names += [f"{p.folder}/{f}" for f in derived.part_files(index_dir / p.folder)]
    fresh = [n for n in names if n not in known or n == toc_name(toc)]
    files = {n: known[n] for n in names if n not in fresh}
    files.update(checksums(index_dir, fresh))
    manifest = Manifest(generation, toc, segments, files, textmodel.fingerprint(),
                        derived_format=derived.FORMAT)
    try:
        manifest.validate()
    except ManifestError as exc:
        raise BuildError(f"the new generation is inconsistent: {exc}") from None
    for folder in sorted(new_parts):
        problems = derived.structure_problems(derived.load_part(index_dir / folder))
        if problems:
            raise BuildError(f"a new part is unsound ({folder}): {'; '.join(problems[:3])}")
    sync_files(index_dir, fresh)
    return manifest


def delete_document(index_dir: Path, doc_id: str) -> int:
    """Delete every section of ``doc_id``; returns how many were deleted (nothing published if none)."""
    with Transaction(index_dir) as tx:
        return tx.delete("doc_id", doc_id)
