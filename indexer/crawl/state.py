"""The crawl's memory between runs, saved atomically as JSON.

``pages`` keeps, per URL, what the next run needs to ask politely and decide quickly: the validators
(ETag, Last-Modified) for a conditional request, the content hash, what the page was (``role``: article,
list, attachment, redirect) and whether it is ``indexed``, its links and attachments, the metadata its
attachments inherit, and when it was fetched. ``run`` is the unfinished run, if any — its queue of
:class:`Task` and the URLs it has done — so a run that was interrupted, killed or stopped by its page
budget resumes where it stopped.

The crawler saves the state only right after an index commit, so what the state says is done is in the
index. Saving writes a temporary file in the same folder, syncs it and renames it over the old one: a kill
at any moment leaves either the old state or the new one. Version 1 files (a queue of plain URLs) are read.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

VERSION = 2


@dataclass
class Task:
    """One URL to fetch, with what the crawler knew when it queued it.

    ``depth`` counts pagination hops since the last page that was not a list page; ``private_ok`` says the
    crawl it came from started on a non-public address (so it may stay there); an attachment has ``parent``
    (the article's doc_id), its link text as ``label`` and the article metadata it inherits."""

    url: str
    depth: int = 0
    private_ok: bool = False
    parent: str | None = None
    label: str | None = None
    inherit: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, 0, False)}

    @classmethod
    def from_json(cls, data: str | dict[str, Any]) -> Task:
        if isinstance(data, str):  # version 1
            return cls(data)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class Run:
    """An unfinished run: what is left to fetch and what is done."""

    queue: list[Task] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


class CrawlState:
    """Per-URL records and the unfinished run, loaded from and saved to ``path`` (None: kept in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.pages: dict[str, dict[str, Any]] = {}
        self.run: Run | None = None
        if path and path.exists():
            self._load(json.loads(path.read_text(encoding="utf-8")))

    def _load(self, data: dict[str, Any]) -> None:
        self.pages = data.get("pages", {})
        if data.get("version", 1) == 1:
            queue = data.get("queue") or []
            self.run = Run([Task.from_json(u) for u in queue], list(self.pages)) if queue else None
            return
        run = data.get("run")
        if run:
            self.run = Run([Task.from_json(t) for t in run.get("queue", [])], list(run.get("done", [])))

    def to_json(self) -> dict[str, Any]:
        run = None
        if self.run is not None:
            run = {"queue": [t.to_json() for t in self.run.queue], "done": self.run.done}
        return {"version": VERSION, "pages": self.pages, "run": run}

    def save(self) -> None:
        """Write the state atomically (a kill leaves the old file or the new one, never half of one)."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.to_json(), fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
