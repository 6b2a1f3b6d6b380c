"""tzsearch web UI: faceted search pages and the JSON API, over :class:`indexer.search.service.SearchService`.

``create_app(config)`` validates the layered settings (:mod:`webui.settings`: defaults → config file →
``TZSEARCH_*`` environment → the ``config`` dict) and raises :class:`~webui.settings.SettingsError` on a bad
value. The search service is created lazily, once per app, and shared by requests.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import PathConverter

from webui import display, settings


class DocIdConverter(PathConverter):
    """doc_ids are collection/paths or URLs: allow slashes and empty segments."""

    regex = ".+"
    part_isolating = False  # it spans "/" (Werkzeug infers True from a regex without a slash)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app (see the module docstring for the configuration layers)."""
    from webui.jsonout import JsonProvider

    app = Flask(__name__)
    app.json = JsonProvider(app)  # JSON written by orjson, Chinese left readable (webui/jsonout.py)
    app.config.update(settings.load(config))
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    app.url_map.converters["docid"] = DocIdConverter
    app.add_template_filter(display.bare, "bare")  # a quoted query shown inside quotation marks
    app.add_template_filter(display.dated, "dated")  # a date, an implied year in brackets

    from webui import (
        analytics,
        analytics_api,
        api,
        errors,
        exports,
        feeds,
        params,
        relations,
        research,
        research_api,
        responses,
        reuse,
        views,
    )

    responses.init_app(app)

    app.before_request(params.refuse_raw_bytes)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(research.bp)
    app.register_blueprint(research_api.bp)
    app.register_blueprint(analytics.bp)
    app.register_blueprint(analytics_api.bp)
    app.register_blueprint(reuse.bp)
    app.register_blueprint(relations.bp)
    app.register_blueprint(exports.bp)
    exports.init_app(app)
    app.register_blueprint(feeds.bp)
    errors.register(app)
    return app
