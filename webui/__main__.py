"""``python -m webui [--index DIR] [--host H] [--port P] [--workers N] [--threads T]``: serve the site.

Defaults come from the settings table (:mod:`webui.settings`: defaults → config file → ``TZSEARCH_*``
environment → these flags). A bad setting stops start-up with a message naming it (exit status 2); an address
that cannot be listened on, with the system's reason (exit status 1). Otherwise the listening socket is bound
once and gunicorn's ``WORKERS`` processes with ``THREADS`` threads each serve it (:mod:`webui.server`); the
address is printed once it accepts connections.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path
from typing import Any

from indexer.search.backends import describe
from webui import create_app, settings
from webui.server import bind, say, serve
from webui.wsgi import wrap

_FLAGS = {"index": "INDEX_DIR", "database": "DATABASE_URL", "host": "HOST", "port": "PORT", "workers": "WORKERS",
          "threads": "THREADS"}


def _arguments(argv: list[str] | None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m webui", description="serve the tzsearch site")
    parser.add_argument("--index", help="index folder (setting INDEX_DIR, default var/index)")
    parser.add_argument("--database", help="PostgreSQL database to search instead (setting DATABASE_URL)")
    parser.add_argument("--host", help="address to listen on (setting HOST, default 127.0.0.1)")
    parser.add_argument("--port", help="port; 0 picks a free one (setting PORT, default 5000)")
    parser.add_argument("--workers", help="server processes (setting WORKERS, default: the number of cores)")
    parser.add_argument("--threads", help="request threads per process (setting THREADS, default 4)")
    args = vars(parser.parse_args(argv))
    if args["index"] is not None and args["database"] is None:
        args["database"] = ""  # an index folder named on the command line wins over TZSEARCH_DATABASE_URL
    return {name: args[flag] for flag, name in _FLAGS.items() if args[flag] is not None}


def _warm(app: Any) -> None:
    """Open the index in this worker now, not on its first request (no index yet: pages say so, 503)."""
    from webui.service import NoIndex, get_service

    with app.app_context():
        try:
            get_service()
        except NoIndex:
            pass


def _preload() -> None:
    """Load the segmenter's dictionary and the normalisation tables (OpenCC's among them) in the supervising
    process, before the workers are forked: they are read, never written, so every worker shares this one
    copy of their pages instead of loading its own (the index itself is opened only in the workers)."""
    from indexer.text.normalize import load_tables, normalize
    from indexer.text.terms import query_words

    load_tables()
    query_words(normalize("統一戰線工作"))


def main(argv: list[str] | None = None) -> int:
    overrides = _arguments(argv)
    try:
        config = settings.load(overrides, origin="the command line")
    except settings.SettingsError as exc:
        print(f"tzsearch: cannot start: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(config)
    host, port, workers = config["HOST"], config["PORT"], config["WORKERS"]
    try:
        sock = bind(host, port)
    except OSError as exc:
        print(f"tzsearch: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    index = Path(config["INDEX_DIR"])
    if not config["DATABASE_URL"] and not index.is_dir():
        say(f"tzsearch: no index at {index} yet: pages answer 503 until documents are imported")
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    served = describe(config["DATABASE_URL"]) if config["DATABASE_URL"] else str(index)
    say(f"tzsearch: serving {served} on http://{shown}:{bound_port}/ "
        f"({workers} worker{'s' * (workers > 1)} × {config['THREADS']} threads)")

    _preload()
    try:
        return serve(wrap(app), sock, workers, config["THREADS"], lambda: _warm(app))
    finally:
        with contextlib.suppress(OSError):  # the server closes it when it stops
            sock.close()


if __name__ == "__main__":
    sys.exit(main())
