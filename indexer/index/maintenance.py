"""Check, repair and upgrade an index: everything derived is rebuilt from the store of record.

* :func:`check` verifies the published generation — the manifest's structure, every file's size and CRC-32,
  the store's table of contents against the manifest, every part's invariants — and says what is wrong.
* :func:`rebuild` builds derived parts again from the stored records (sections and metadata kept by the store
  of record) and publishes a generation naming them: ``repair`` rebuilds the damaged or missing parts, and
  ``upgrade`` all of them, for an index written by an older format or with another text model — nothing is
  imported again, so a crawled collection whose pages are gone is upgraded as well. When the store of record
  itself is damaged, it says so (:class:`StoreDamaged`): only importing the documents again can help then.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.index import derived, textmodel
from indexer.index.builder import PartBuilder
from indexer.index.faults import fault_point
from indexer.index.manifest import (
    FORMAT_VERSION,
    LEGACY_MARKER,
    Manifest,
    ManifestError,
    PartRef,
    SegmentRef,
    publish,
    read_manifest,
    verify,
)
from indexer.index.storage import open_pinned, toc_generations, toc_name
from indexer.index.store import (
    REIMPORT,
    IndexMissing,
    StoreDamaged,
    build_schema,
    search_data_difference,
    without_manifest,
)
from indexer.index.transaction import (
    IndexLock,
    PublishedWithError,
    finish_manifest,
    previous_manifest,
    tidy_published,
)

log = logging.getLogger(__name__)

@dataclass
class CheckReport:
    """What :func:`check` found."""

    generation: int | None = None
    documents: int = 0
    sections: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    needs_upgrade: list[str] = field(default_factory=list)
    damaged_parts: set[str] = field(default_factory=set)
    store_damaged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.needs_upgrade

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "generation": self.generation, "sections": self.sections, "files": self.files,
                "problems": self.problems, "needs_upgrade": self.needs_upgrade,
                "damaged_parts": sorted(self.damaged_parts), "store_damaged": self.store_damaged}


def check(index_dir: Path) -> CheckReport:
    """Verify the published generation of the index at ``index_dir`` (see the module docstring)."""
    report = CheckReport()
    try:
        manifest = read_manifest(index_dir)
    except ManifestError as exc:
        report.problems.append(f"manifest.json: {exc}")
        return report
    if manifest is None:
        why = without_manifest(index_dir)
        if isinstance(why, IndexMissing):
            raise why
        report.needs_upgrade.append("no manifest: written by an older version of tzsearch, or its manifest was lost"
                                    if not (index_dir / LEGACY_MARKER).exists()
                                    else "written by an older version of tzsearch (no manifest)")
        return report
    report.generation, report.files = manifest.generation, len(manifest.files)
    if manifest.format != FORMAT_VERSION:
        report.needs_upgrade.append(f"format {manifest.format}, this version reads {FORMAT_VERSION}")
    stale = search_data_difference(manifest)
    if stale:
        report.needs_upgrade.append(stale)
    report.needs_upgrade += textmodel.differences(manifest.text_model)
    for problem in verify(index_dir, manifest.files):
        report.problems.append(problem)
        name = problem.split(":", 1)[0]
        if "/" in name:
            report.damaged_parts.add(name.rsplit("/", 1)[0])
        else:
            report.store_damaged.append(name)
    if not report.store_damaged:
        _check_store(index_dir, manifest, report)
    for seg in manifest.segments:
        for p in seg.parts:
            report.sections += p.sections
            if p.folder in report.damaged_parts:
                continue
            try:
                problems = derived.structure_problems(derived.load_part(index_dir / p.folder))
            except (OSError, ValueError, KeyError) as exc:
                problems = [f"cannot be loaded ({type(exc).__name__}: {exc})"]
            if problems:
                report.damaged_parts.add(p.folder)
                report.problems += [f"{p.folder}: {x}" for x in problems]
    return report


def _check_store(index_dir: Path, manifest: Manifest, report: CheckReport) -> None:
    """The table of contents opens and lists the segments the manifest names, with their document counts."""
    try:
        with open_pinned(index_dir, manifest.toc).reader() as reader:
            found = {sub.segment().segment_id(): sub.segment().doc_count_all()
                     for sub, _ in reader.leaf_readers() if sub.segment() is not None}
            report.documents = reader.doc_count()
    except Exception as exc:  # Whoosh raises many kinds on a damaged table of contents
        report.store_damaged.append(toc_name(manifest.toc))
        report.problems.append(f"{toc_name(manifest.toc)}: cannot be read ({type(exc).__name__})")
        return
    wanted = {s.id: s.docs for s in manifest.segments}
    if found != wanted:
        report.store_damaged.append(toc_name(manifest.toc))
        report.problems.append(f"the store's segments {sorted(found.items())} differ from the manifest's "
                               f"{sorted(wanted.items())}")


# ------------------------------------------------------------------------------------------ rebuilding
def _segment_inputs(sub: Any) -> list[list[derived.SectionInput]]:
    """A segment's sections grouped by document, in docnum order (deleted ones included: parts cover every
    docnum; the generation hides deleted sections)."""
    docs: list[list[derived.SectionInput]] = []
    meta: dict[str, Any] = {}
    prev = None
    for num in range(sub.doc_count_all()):
        st = sub.stored_fields(num)
        if st.get("meta") is not None or st["doc_id"] != prev:
            meta = st.get("meta") or meta
            docs.append([])
        prev = st["doc_id"]
        docs[-1].append(derived.SectionInput(st["doc_id"], st.get("heading"), st.get("text") or "", meta,
                                             st.get("section_id")))
    return docs


def _base_for_rebuild(index_dir: Path) -> tuple[Manifest | None, int]:
    """The manifest to start from (None when unreadable or absent) and the table of contents to rebuild."""
    try:
        manifest = read_manifest(index_dir)
    except ManifestError:
        manifest = None
    if manifest is not None:
        return manifest, manifest.toc
    previous = previous_manifest(index_dir)
    tocs = toc_generations(index_dir)
    if not tocs:
        raise StoreDamaged(f"no table of contents of the store of record is left; {REIMPORT}")
    # without a readable manifest: the newest table of contents no later than one past the previous manifest
    limit = previous.toc + 1 if previous is not None else max(tocs)
    candidates = [t for t in tocs if t <= limit] or tocs
    return None, max(candidates)


def rebuild(index_dir: Path, procs: int = 1, only_damaged: bool = False,
            progress: Callable[[str], None] | None = None) -> Manifest:
    """Build derived parts again from the store of record and publish a generation naming them: all of
    them, or (``only_damaged``) those :func:`check` finds damaged or missing. Raises :class:`StoreDamaged`
    when the store of record cannot be read."""
    if not index_dir.is_dir():
        raise IndexMissing(str(without_manifest(index_dir)))
    builder = PartBuilder(index_dir, procs)  # workers forked before the lock
    published_now: Manifest | None = None
    try:
        with IndexLock(index_dir):
            base, toc = _base_for_rebuild(index_dir)
            if base is not None:
                store = {n: v for n, v in base.files.items() if "/" not in n}
                bad = verify(index_dir, store)
                if bad:
                    raise StoreDamaged("the store of record is damaged (" + "; ".join(bad[:5])
                                       + f"); {REIMPORT}")
            damaged: set[str] = set()
            if only_damaged and base is not None:
                report = check(index_dir)
                if report.store_damaged:
                    raise StoreDamaged("the store of record is damaged (" + ", ".join(report.store_damaged)
                                       + f"); {REIMPORT}")
                damaged = report.damaged_parts
            reuse = {s.id: s for s in base.segments} if (base is not None and only_damaged) else {}
            segments: list[SegmentRef] = []
            runs: list[tuple[str, int, list[tuple[int, int, str]]]] = []
            try:
                ix = open_pinned(index_dir, toc)
                with ix.reader() as reader:
                    if set(reader.schema.names()) != set(build_schema().names()):
                        raise StoreDamaged("the stored records have another shape (an index older than format 5); "
                                           + REIMPORT)
                    for sub, _ in reader.leaf_readers():
                        seg = sub.segment()
                        if seg is None:
                            continue
                        sid = seg.segment_id()
                        kept = reuse.get(sid)
                        if kept is not None and not any(p.folder in damaged for p in kept.parts):
                            segments.append(kept)
                            continue
                        if progress:
                            progress(f"rebuilding segment {sid} ({seg.doc_count_all()} sections)")
                        builder.begin()
                        for doc in _segment_inputs(sub):
                            builder.add(doc)
                        builder.finish()
                        runs.append((sid, seg.doc_count_all(), list(builder.parts)))
                        segments.append(SegmentRef(sid, seg.doc_count_all(), ()))
            except StoreDamaged:
                raise
            except Exception as exc:  # a damaged store raises whatever Whoosh meets
                raise StoreDamaged(f"the store of record cannot be read ({type(exc).__name__}: {exc}); "
                                   + REIMPORT) from None
            built = builder.finish()
            by_id = {sid: parts for sid, _docs, parts in runs}
            segments = [s if s.id not in by_id else SegmentRef(
                s.id, s.docs, tuple(PartRef(lo, hi, f, hi - lo, built[f][1]) for lo, hi, f in by_id[s.id]))
                for s in segments]
            previous = previous_manifest(index_dir)
            generation = 1 + max([m.generation for m in (base, previous) if m is not None], default=0)
            manifest = finish_manifest(index_dir, base.files if base is not None else {}, generation, segments,
                                       toc, new_parts=set(built))
            publish(index_dir, manifest)
            published_now = manifest
            fault_point("rebuilt")
            (index_dir / LEGACY_MARKER).unlink(missing_ok=True)
            tidy_published(index_dir, manifest, [manifest, base])  # the replaced generation stays a while
            builder.close()
            return manifest
    except BaseException as exc:
        if published_now is None:
            builder.abort()
            raise
        builder.close()  # the published manifest names its parts: they stay
        if isinstance(exc, Exception):
            raise PublishedWithError.after(published_now, exc) from exc
        raise


def legacy_format(index_dir: Path) -> object:
    """The format an index older than manifests says it has (None when it says nothing)."""
    try:
        return json.loads((index_dir / LEGACY_MARKER).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError):
        return None
