"""``python -m indexer reuse [DOC_ID]``: documents that share wording, from the reuse data beside the index.

Without a document: pairs of documents by shared length (``--province``, ``--year``, ``--doctype`` keep pairs
one of whose documents matches), the same object as ``/api/reuse``. With one: the wording it shares with
each other document, as ``/api/doc/<id>/reuse``. ``--update`` first compares what the last imports left
uncompared (an ``import --no-reuse``); ``--rebuild`` compares everything again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indexer.index.store import DEFAULT_INDEX, IndexMissing, IndexUnusable
from indexer.reuse.update import update_reuse
from indexer.search.backends import BackendUnavailable, Target, is_database, open_backend, resolve
from indexer.search.results import ReusePairs, ReuseView, to_json
from indexer.search.service import MAX_PER_PAGE


def _print_pairs(result: ReusePairs) -> None:
    print(f"{result.total} pairs of documents share wording (page {result.page})")
    for n, p in enumerate(result.pairs, (result.page - 1) * result.per_page + 1):
        arrow = "→" if p.earlier == "a" else "↔"
        print(f"{n}. {p.chars} chars in {p.spans} passages: {p.a.title} ({p.a.date or 'undated'}) {arrow} "
              f"{p.b.title} ({p.b.date or 'undated'})")
        print(f"   {p.a.doc_id}  {p.b.doc_id}")


def _print_view(view: ReuseView) -> None:
    if not view.analysed:
        print(f"{view.doc_id} has not been compared yet (run: python -m indexer reuse --update)")
        return
    print(f"{view.doc_id} shares wording with {view.shared_total} documents")
    labels = {"this": "this one is earlier", "other": "the other is earlier", "unknown": "order unknown"}
    for d in view.shared:
        print(f"- {d.title} ({d.date or 'undated'}; {labels[d.earlier]}): {d.chars} chars, "
              f"{d.coverage:.1%} of this document, {len(d.spans)} passages{' [template]' if d.template else ''}")
        for s in d.spans[:3]:
            print(f"    [{s.start}:{s.end}] {s.text[:60]}")


def _update(target: Target, full: bool) -> None:
    if is_database(target):
        from indexer.pg import reuse
        from indexer.pg.connect import connect

        with connect(str(target), autocommit=True) as conn:
            reuse.update(conn, full=full)
    else:
        update_reuse(Path(target), full=full)


def cmd_reuse(args: argparse.Namespace) -> int:
    """List shared wording (see the module docstring)."""
    try:
        target = resolve(args.index, args.database)
        if args.update or args.rebuild:
            _update(target, args.rebuild)
        service = open_backend(target)
    except (IndexMissing, IndexUnusable, BackendUnavailable, ValueError) as exc:
        print(f"reuse: {exc}", file=sys.stderr)
        return 2
    try:
        if args.doc_id:
            view = service.reuse(args.doc_id)
            if view is None:
                print(f"reuse: no document {args.doc_id!r}", file=sys.stderr)
                return 1
            _print_view(view) if not args.json else sys.stdout.write(json.dumps(to_json(view), ensure_ascii=False)
                                                                     + "\n")
            return 0
        result = service.reuse_pairs(args.province, args.year, args.doctype, args.page, args.limit)
        _print_pairs(result) if not args.json else sys.stdout.write(json.dumps(to_json(result), ensure_ascii=False)
                                                                    + "\n")
        return 0
    finally:
        service.close()


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc_id", nargs="?", help="a document: the wording it shares (default: all pairs)")
    p.add_argument("--index", help=f"index folder (default {DEFAULT_INDEX}, or TZSEARCH_DATABASE_URL when set)")
    p.add_argument("--database", metavar="URL", help="a PostgreSQL database instead of an index folder")
    p.add_argument("--province")
    p.add_argument("--year", type=int)
    p.add_argument("--doctype")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--limit", type=int, default=20, help=f"pairs per page (max {MAX_PER_PAGE})")
    p.add_argument("--update", action="store_true", help="first compare documents not compared yet")
    p.add_argument("--rebuild", action="store_true", help="first compare every document again")
    p.add_argument("--json", action="store_true", help="print the JSON object of /api/reuse (/api/doc/<id>/reuse)")
