"""tzsearch web UI: faceted search pages and the JSON API, over :class:`indexer.search.service.SearchService`.

``create_app(config)`` layers configuration: defaults → a config file (``TZSEARCH_CONFIG`` or the
``config_file`` key) → ``TZSEARCH_*`` environment variables → the ``config`` dict (tests). The search
service is created lazily, once per app, and shared by requests (it serialises access to its searcher).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import PathConverter

DEFAULTS: dict[str, Any] = {
    "INDEX_DIR": "var/index",
    "MAX_PER_PAGE": 100,
    "DEFAULT_PER_PAGE": 10,
    "SITE_NAME": "统战文献检索",
}


class DocIdConverter(PathConverter):
    """doc_ids are paths or URLs: allow a leading slash and empty segments."""

    regex = ".+"
    part_isolating = False  # it spans "/" (Werkzeug infers True from a regex without a slash)


def _from_file(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    text = Path(path).read_text(encoding="utf-8")
    return json.loads(text)


def _from_env() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in os.environ.items():
        if key.startswith("TZSEARCH_") and key not in ("TZSEARCH_CONFIG", "TZSEARCH_SHARED"):
            out[key[len("TZSEARCH_"):]] = value
    return out


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app (see the module docstring for the configuration layers)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    config = dict(config or {})
    app.config.update(_from_file(config.get("config_file") or os.environ.get("TZSEARCH_CONFIG")))
    app.config.update(_from_env())
    app.config.update(config)
    app.config["MAX_PER_PAGE"] = int(app.config["MAX_PER_PAGE"])
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in the API
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    app.url_map.converters["docid"] = DocIdConverter

    from webui import api, errors, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    return app
