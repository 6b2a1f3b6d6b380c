"""``python -m indexer db upgrade|status|check [--database URL]``: the PostgreSQL backend's own commands.

``upgrade`` applies the schema migrations the database lacks (:mod:`indexer.pg.schema`); ``status`` prints the
schema version and what the database holds; ``check`` recounts the visible documents, sections and bytes
from the rows and compares them with the statistics the writers keep (exit status 1 when they differ);
``optimize`` repacks the gram indexes and refreshes the planner's statistics after a bulk import.
"""

from __future__ import annotations

import argparse
import json
import sys

from indexer.search.backends import DATABASE_ENV, BackendUnavailable, is_database, resolve


def _fail(message: str, code: int = 2) -> int:
    print(f"db: {message}", file=sys.stderr)
    return code


def cmd_db(args: argparse.Namespace) -> int:
    try:
        url = resolve(None, args.database)
    except ValueError as exc:
        return _fail(str(exc))
    if not is_database(url):
        return _fail(f"give --database postgresql://… (or set {DATABASE_ENV})")
    from indexer.index.store import IndexMissing, IndexUnusable
    from indexer.pg import schema
    from indexer.pg.connect import connect, where
    from indexer.pg.writer import recount, stored_stats

    try:
        with connect(str(url), autocommit=True) as conn:
            if args.action == "upgrade":
                applied = schema.upgrade(conn)
                print(f"{where(str(url))}: schema version {schema.current_version(conn)}"
                      + (f" (applied {', '.join(applied)})" if applied else " (already up to date)"))
                if applied:  # documents imported before the relation tables get their rows, resolved
                    from indexer.pg import relations

                    done = relations.update(conn)
                    if done["backfilled"]:
                        print(f"relations: {done['backfilled']:.0f} documents read, {done['references']:.0f} "
                              "references resolved")
                return 0
            schema.check(conn, where(str(url)))
            if args.action == "optimize":
                schema.optimize(conn)
                print(f"{where(str(url))}: gram indexes rebuilt, statistics refreshed")
                return 0
            stored, counted = stored_stats(conn), recount(conn)
    except (BackendUnavailable, IndexMissing, IndexUnusable) as exc:
        return _fail(str(exc))
    figures = {"schema": schema.latest(), "documents": counted[0], "sections": counted[1], "bytes": counted[2],
               "statistics_agree": stored == counted}
    if args.action == "status" or stored == counted:
        print(json.dumps(figures) if args.json else
              f"schema {figures['schema']}: {counted[0]} documents, {counted[1]} sections, {counted[2]} bytes "
              f"of normalised text; statistics {'agree' if stored == counted else 'DIFFER'}")
        return 0
    return _fail(f"the statistics {stored} differ from the rows {counted} (documents, sections, bytes)", 1)


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("upgrade", "status", "check", "optimize"))
    p.add_argument("--database", metavar="URL", help=f"postgresql://user@host:port/name (default: {DATABASE_ENV})")
    p.add_argument("--json", action="store_true")
