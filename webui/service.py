"""The one :class:`SearchService` of an app, opened on first use."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from indexer.index.store import IndexFormatError, IndexMissing
from indexer.search.service import SearchService

_lock = threading.Lock()


class NoIndex(RuntimeError):
    """The configured index does not exist yet (or must be rebuilt)."""


def get_service() -> SearchService:
    """The app's search service (created once; raises :class:`NoIndex` when there is no usable index)."""
    ext = current_app.extensions
    with _lock:
        if "tzsearch" not in ext:
            cfg = current_app.config
            try:
                ext["tzsearch"] = SearchService(Path(cfg["INDEX_DIR"]), base_url=cfg["BASE_URL"],
                                                budget_seconds=cfg["SEARCH_SECONDS"])
            except IndexMissing:
                raise NoIndex("there is no index yet: import documents first "
                              "(python -m indexer import FOLDER)") from None
            except IndexFormatError as exc:
                raise NoIndex(str(exc)) from None
        return ext["tzsearch"]
