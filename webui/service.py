"""The one :class:`SearchService` of an app, opened on first use."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from indexer.index.store import IndexMissing
from indexer.search.service import SearchService

_lock = threading.Lock()


class NoIndex(RuntimeError):
    """The configured index does not exist yet."""


def get_service() -> SearchService:
    """The app's search service (created once; raises :class:`NoIndex` when there is no index)."""
    ext = current_app.extensions
    with _lock:
        if "tzsearch" not in ext:
            try:
                ext["tzsearch"] = SearchService(Path(current_app.config["INDEX_DIR"]))
            except IndexMissing as exc:
                raise NoIndex(str(exc)) from exc
        return ext["tzsearch"]
