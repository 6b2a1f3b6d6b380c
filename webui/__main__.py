"""``python -m webui [--index DIR] [--host 127.0.0.1] [--port 5000]``: serve with waitress."""

from __future__ import annotations

import argparse
import logging
import sys

from waitress import serve

from indexer.search.backends import describe
from webui import create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m webui", description="serve the tzsearch site")
    parser.add_argument("--index", help="index folder (default: config INDEX_DIR, var/index)")
    parser.add_argument("--database", help="PostgreSQL URL to search instead (config DATABASE_URL)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = {"INDEX_DIR": args.index, "DATABASE_URL": ""} if args.index else {}
    app = create_app({**config, "DATABASE_URL": args.database} if args.database else config or None)
    served = describe(app.config["DATABASE_URL"] or app.config["INDEX_DIR"])
    print(f"tzsearch: serving {served} on http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="tzsearch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
