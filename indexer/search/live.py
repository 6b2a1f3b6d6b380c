"""The current generation of an index, kept current off the request path.

A watcher thread notices a new commit (Whoosh's table of contents has a new generation number), builds the
new :class:`~indexer.search.generation.Generation` — memory-mapping the derived data the writer built — and
swaps it in. A request that sees a newer generation on disk than the one being served asks the watcher to
hurry and waits for it for at most ``max_wait`` seconds (builds take milliseconds when the writer already
built the derived data); after that it is served the previous generation, marked stale. Replaced
generations are closed a while later, when no request can still be using them; one held by
:meth:`LiveIndex.pinned` (a long export) stays open until released.
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

    def __init__(self, index_dir: Path, poll: float = 0.2, max_wait: float = 2.0) -> None:
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir)
        self.poll = poll
        self.max_wait = max_wait
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._retired: list[tuple[float, Generation]] = []
        self._closed = False
        self._gen = self._build()
        self._thread = threading.Thread(target=self._watch, name="tzsearch-generation", daemon=True)
        self._thread.start()

    def _build(self) -> Generation:
        for _ in range(3):
            try:
                return Generation(self.index_dir, self.ix)
            except DerivedMissing as exc:  # a writer was killed between its commit and its derived data
                log.info("building missing derived data for segment %s", exc)
                ensure_derived(self.index_dir, cleanup=False)
        return Generation(self.index_dir, self.ix)

    def disk_generation(self) -> int:
        found = self.ix.latest_generation()
        return -1 if found is None else int(found)

    def current(self) -> tuple[Generation, bool]:
        """The generation to serve, and whether it is stale (a newer one could not be built in time)."""
        gen = self._gen
        if self.disk_generation() == gen.generation:
            return gen, False
        self._wake.set()
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
        new = self._build()
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
