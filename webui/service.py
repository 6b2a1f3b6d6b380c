"""The one search backend of an app (:mod:`indexer.search.backends`: the index folder, or the database of
``DATABASE_URL`` read through a connection pool of ``THREADS`` connections — one per request thread — from
``DATABASE_REPLICA_URL`` when set), opened on first use."""

from __future__ import annotations

import logging
import re
import threading

from flask import current_app

from indexer.index.store import IndexMissing, IndexUnusable
from indexer.search.backend import SearchBackend
from indexer.search.backends import BackendUnavailable, open_backend
from webui.errors import ApiError

log = logging.getLogger(__name__)
_lock = threading.Lock()


_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s/'\"()\[\]]+/)+([^\s/'\"()\[\]]*)")


def without_paths(message: str) -> str:
    """``message`` with every absolute path cut to its last part: where the server keeps its files is for
    its log, not for visitors."""
    return _PATH.sub(lambda m: m.group(1) or "…", message)


class NoIndex(RuntimeError):
    """The configured index does not exist yet (or must be rebuilt)."""


def get_service() -> SearchBackend:
    """The app's search backend (created once; raises :class:`NoIndex` when there is no usable index)."""
    ext = current_app.extensions
    with _lock:
        if "tzsearch" not in ext:
            cfg = current_app.config
            try:
                ext["tzsearch"] = open_backend(cfg["DATABASE_URL"] or cfg["INDEX_DIR"], base_url=cfg["BASE_URL"],
                                               budget_seconds=cfg["SEARCH_SECONDS"],
                                               replica_url=cfg["DATABASE_REPLICA_URL"] or None,
                                               pool_size=cfg["THREADS"])  # one connection per request thread
            except IndexMissing:
                raise NoIndex("there is no index yet: import documents first "
                              "(python -m indexer import FOLDER)") from None
            except (IndexUnusable, BackendUnavailable) as exc:
                log.error("search index: %s", exc)  # where it lies is for the operator, not for visitors
                if not cfg["DATABASE_URL"]:  # an old format, another text model, damage: what to run
                    raise NoIndex(without_paths(str(exc))) from None
                raise NoIndex("the search database cannot be used right now (the server's log says why)") from None
        return ext["tzsearch"]


def api_service() -> SearchBackend:
    """:func:`get_service` for a JSON route or a download: no usable index is the API's 503."""
    try:
        return get_service()
    except NoIndex as exc:
        raise ApiError(str(exc), 503) from exc
