"""The current generation of an index, kept current off the request path.

A generation is published by replacing ``manifest.json`` (:mod:`indexer.index.manifest`), and a published
generation is complete by construction: every file it names exists and was checked before it was named. A
watcher thread notices a new manifest (its file is replaced, so its inode changes), builds the new
:class:`~indexer.search.generation.Generation` — mapping and verifying only the parts it has not mapped
before — and swaps it in. A request that sees a newer manifest than the one being served asks the watcher to
hurry and waits for it — milliseconds, at most ``max_wait`` seconds, after which it is served the previous
generation marked stale. A generation that cannot be loaded (damaged files, another text model) is refused
with a logged reason (:attr:`LiveIndex.refused`) and the last good one is served meanwhile. Replaced
generations are closed a while later, when no request can still be using them — or, for one held by
:meth:`LiveIndex.pinned` (a long export), when it is released.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.index.manifest import MANIFEST, ManifestError, read_manifest
from indexer.index.store import IndexUnusable
from indexer.search.generation import Generation

log = logging.getLogger(__name__)


def warm(gen: Generation) -> None:
    """Resolve a new generation's relations and number its facet signatures before it is served (a failure
    only postpones it to the first request that needs them, which then reports it)."""
    from indexer.relations.generation import relations_of
    from indexer.search.facets import facet_table

    try:
        relations_of(gen)
        facet_table(gen)
    except Exception:
        log.exception("could not prepare generation %d", gen.generation)

Key = tuple[int, int, int]


class LiveIndex:
    """Serves the newest good generation of the index at ``index_dir``."""

    def __init__(self, index_dir: Path, poll: float = 0.2, max_wait: float = 2.0) -> None:
        self.index_dir = Path(index_dir)
        self.poll = poll
        self.max_wait = max_wait
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._retired: list[tuple[float, Generation]] = []
        self._closed = False
        self._refused: dict[Key, str] = {}
        self.refused: str | None = None  # why the newest published generation is not served, if it is not
        self._key = self._manifest_key()
        self._gen = Generation(self.index_dir)
        self._thread = threading.Thread(target=self._watch, name="tzsearch-generation", daemon=True)
        self._thread.start()

    def _manifest_key(self) -> Key:
        try:
            st = os.stat(self.index_dir / MANIFEST)
        except OSError:
            return (0, 0, 0)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @property
    def generation(self) -> int:
        return self._gen.generation

    def current(self) -> tuple[Generation, bool]:
        """The generation to serve, and whether it is stale (a newer one could not be loaded in time)."""
        gen = self._gen
        key = self._manifest_key()
        if key == self._key or key in self._refused:
            return gen, False
        self._wake.set()
        deadline = time.monotonic() + self.max_wait
        with self._cond:
            while self._key != key and key not in self._refused and not self._closed:
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

    def _refuse(self, key: Key, why: str) -> None:
        log.error("not serving the index's new generation: %s; still serving generation %d", why,
                  self._gen.generation)
        with self._cond:
            self._refused[key] = why
            self.refused = why
            self._cond.notify_all()

    def _refresh(self) -> None:
        key = self._manifest_key()
        if key == self._key or key in self._refused:
            self._close_retired()
            return
        try:
            manifest = read_manifest(self.index_dir)
            if manifest is None:
                raise ManifestError("manifest.json is gone")
            new = None if manifest.generation == self._gen.generation else Generation(self.index_dir, manifest)
        except (ManifestError, IndexUnusable) as exc:
            self._refuse(key, str(exc))
            return
        if new is not None:
            warm(new)
        with self._cond:
            if new is not None:
                old, self._gen = self._gen, new
                self._retired.append((time.monotonic(), old))
            self._key = key
            self.refused = None
            self._cond.notify_all()
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
