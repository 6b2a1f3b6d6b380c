"""The current generation of an index, kept current off the request path.

A watcher thread notices a new commit (Whoosh's table of contents has a new generation number), builds the
new :class:`~indexer.search.generation.Generation` — memory-mapping the derived data the writer built — and
swaps it in. A writer's change is complete when its derived data is: until then requests are served the
previous generation without waiting (the writer is still at work). Once it is complete, a request that sees
a newer generation than the one being served asks the watcher to hurry and waits for it — milliseconds, at
most ``max_wait`` seconds, after which it is served the previous generation marked stale. Only when a
generation's derived data stays missing for ``orphan_after`` seconds (its writer died between commit and
build) does the watcher build it itself. Replaced generations are closed a while later, when no request
can still be using them — or, for one held by :meth:`LiveIndex.pinned` (a long export), when it is released.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.index.segments import ensure_derived
from indexer.index.store import open_index
from indexer.search.generation import DerivedMissing, Generation

log = logging.getLogger(__name__)


class LiveIndex:
    """Serves the newest generation of the index at ``index_dir``."""

    def __init__(self, index_dir: Path, poll: float = 0.2, max_wait: float = 2.0, orphan_after: float = 30.0) -> None:
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir)
        self.poll = poll
        self.max_wait = max_wait
        self.orphan_after = orphan_after
        self._missing_since: dict[int, float] = {}
        self._ready: dict[int, bool] = {}
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._retired: list[tuple[float, Generation]] = []
        self._closed = False
        first = self._build()
        assert first is not None
        self._gen = first
        self._thread = threading.Thread(target=self._watch, name="tzsearch-generation", daemon=True)
        self._thread.start()

    def _build(self, patient: bool = False) -> Generation | None:
        """The newest generation; None when its writer is still building its derived data (``patient``)."""
        for _ in range(3):
            try:
                return Generation(self.index_dir, self.ix)
            except DerivedMissing as exc:
                disk = self.disk_generation()
                since = self._missing_since.setdefault(disk, time.monotonic())
                if patient and time.monotonic() - since < self.orphan_after:
                    return None  # the writer is still at work
                log.info("building missing derived data for segment %s", exc)  # its writer died
                ensure_derived(self.index_dir, cleanup=False)
        return Generation(self.index_dir, self.ix)

    def _complete(self, disk: int) -> bool:
        """Whether generation ``disk``'s derived data is all built (remembered once it is)."""
        if self._ready.get(disk):
            return True
        from indexer.index.segments import segments_ready

        ready = segments_ready(self.index_dir, self.ix)
        if ready:
            self._ready = {disk: True}
        return ready

    def disk_generation(self) -> int:
        found = self.ix.latest_generation()
        return -1 if found is None else int(found)

    def current(self) -> tuple[Generation, bool]:
        """The generation to serve, and whether it is stale (a newer one could not be built in time)."""
        gen = self._gen
        disk = self.disk_generation()
        if disk == gen.generation:
            return gen, False
        self._wake.set()
        if not self._complete(disk):
            return gen, False  # a writer is between its commit and its derived data: not complete yet
        deadline = time.monotonic() + self.max_wait
        with self._cond:
            while self._gen.generation < self.disk_generation() and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return self._gen, True
                self._cond.wait(left)
            return self._gen, False

    @contextmanager
    def pinned(self) -> Iterator[Generation]:
        """The current generation, kept open however long the caller uses it (an export streaming rows)."""
        gen, _ = self.current()
        with self._cond:
            gen.pins += 1
        try:
            yield gen
        finally:
            with self._cond:
                gen.pins -= 1

    def _watch(self) -> None:
        while not self._closed:
            self._wake.wait(self.poll)
            self._wake.clear()
            if self._closed:
                return
            try:
                self._refresh()
            except Exception:  # keep serving the last good generation; the next poll tries again
                log.exception("could not load the new index generation")
                time.sleep(1.0)

    def _refresh(self) -> None:
        if self.disk_generation() == self._gen.generation:
            self._close_retired()
            return
        new = self._build(patient=True)
        if new is None:
            return
        with self._cond:
            old, self._gen = self._gen, new
            self._cond.notify_all()
        self._retired.append((time.monotonic(), old))
        self._close_retired()

    def _close_retired(self, age: float = 30.0) -> None:
        now = time.monotonic()
        keep = []
        for t, gen in self._retired:
            if now - t > age and not gen.pins:
                gen.close()
            else:
                keep.append((t, gen))
        self._retired = keep

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        with self._cond:
            self._cond.notify_all()
        self._thread.join(timeout=2)
        for _, gen in self._retired:
            gen.close()
        self._gen.close()
