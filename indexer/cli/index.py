"""Index sub-commands: import, search, stats, delete (and crawl, from :mod:`indexer.crawl.cli`).

Output formats are contracts: ``search --json`` prints the same object as the JSON API; ``--batch`` prints one
such object per line, in the order of the queries.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indexer.index.importer import import_paths, terminal_progress
from indexer.index.store import DEFAULT_INDEX, IndexBusy, IndexMissing, delete_document
from indexer.search.service import SearchParams, SearchService, default_workers


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _fail(command: str, message: str, code: int = 2) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return code


def cmd_import(args: argparse.Namespace) -> int:
    """Import files and folders."""
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        return _fail("import", f"no such file or folder: {', '.join(missing)}")
    try:
        summary = import_paths(paths, Path(args.index), procs=args.procs, multisegment=args.procs > 1,
                               progress=terminal_progress)
    except IndexBusy as exc:
        return _fail("import", str(exc), 3)
    if args.json:
        _emit(summary.to_json())
        return 0
    print(f"imported {summary.documents} documents ({summary.sections} sections) from {summary.files} files "
          f"in {summary.seconds:.1f}s; {summary.unchanged} unchanged, {summary.replaced} replaced, "
          f"{len(summary.skipped)} skipped")
    for path, reason in summary.skipped:
        print(f"  skipped {path}: {reason}")
    return 0


def _params(args: argparse.Namespace, query: str) -> SearchParams:
    return SearchParams(q=query, mode="exact" if args.exact else "keyword", province=args.province,
                        city=args.city, year=args.year, date_from=args.date_from, date_to=args.date_to,
                        doctype=args.doctype, source=args.source, sort=args.sort, page=args.page,
                        per_page=args.limit)


def _print_result(result: dict[str, Any]) -> None:
    print(f"{result['total']} sections match {result['query']!r} (page {result['page']})")
    for i, hit in enumerate(result["hits"], (result["page"] - 1) * result["per_page"] + 1):
        region = "/".join(x for x in (hit["region"]["province"], hit["region"]["city"]) if x) or "-"
        print(f"\n{i}. {hit['title'] or '(no title)'} — {hit['heading'] or ''}")
        print(f"   {hit['date'] or '-'} | {region} | {hit['source'] or '-'} | {hit['doctype'] or '-'}")
        text = hit["snippet"].replace("<mark>", "【").replace("</mark>", "】")
        print("   " + html.unescape(text))
        print(f"   {hit['section_id']}")


def cmd_search(args: argparse.Namespace) -> int:
    """Search from the command line."""
    try:
        service = SearchService(Path(args.index))
    except IndexMissing as exc:
        return _fail("search", str(exc))
    if args.batch:
        try:
            queries = Path(args.batch).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            return _fail("search", f"cannot read {args.batch}: {exc.strerror or exc}")
        for q in queries:
            result = service.search(_params(args, q))
            _emit(result) if args.json else _print_result(result)
        return 0
    if args.query is None:
        return _fail("search", "give a QUERY or --batch FILE")
    result = service.search(_params(args, args.query))
    _emit(result) if args.json else _print_result(result)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Documents, sections, index size, counts per facet."""
    try:
        stats = SearchService(Path(args.index)).stats()
    except IndexMissing as exc:
        return _fail("stats", str(exc))
    if args.json:
        _emit(stats)
        return 0
    print(f"{stats['documents']} documents, {stats['sections']} sections, "
          f"index {stats['index_bytes'] / 1e6:.1f} MB")
    for facet, buckets in stats["facets"].items():
        shown = ", ".join(f"{b['value'] if b['value'] is not None else '(unknown)'} {b['count']}"
                          for b in buckets[:12])
        print(f"  {facet}: {shown}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete one document."""
    try:
        count = delete_document(Path(args.index), args.doc_id)
    except IndexMissing as exc:
        return _fail("delete", str(exc))
    except IndexBusy as exc:
        return _fail("delete", str(exc), 3)
    if not count:
        return _fail("delete", f"no document {args.doc_id!r}", 1)
    print(f"deleted {args.doc_id} ({count} sections)")
    return 0


def _index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default=str(DEFAULT_INDEX), help=f"index folder (default {DEFAULT_INDEX})")


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files and folders (recursively)")
    _index_arg(p)
    p.add_argument("--procs", type=int, default=1, help=f"writer processes (2 uses both cores; "
                                                          f"this machine: {default_workers()})")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help='query, e.g. "两个健康" or 民营经济 OR 非公经济')
    _index_arg(p)
    p.add_argument("--batch", metavar="FILE", help="one query per line")
    p.add_argument("--exact", action="store_true", help="exact-wording mode for unquoted text")
    p.add_argument("--province")
    p.add_argument("--city")
    p.add_argument("--year", type=int)
    p.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD (inclusive)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD (inclusive)")
    p.add_argument("--doctype")
    p.add_argument("--source")
    p.add_argument("--limit", type=int, default=10, help="hits per page (max 100)")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--json", action="store_true", help="print the JSON result object")


def _stats_args(p: argparse.ArgumentParser) -> None:
    _index_arg(p)
    p.add_argument("--json", action="store_true")


def _delete_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc_id")
    _index_arg(p)


Command = tuple[Callable[[argparse.Namespace], int], Callable[[argparse.ArgumentParser], None], str]


def commands() -> dict[str, Command]:
    """Sub-commands that work on an index."""
    table: dict[str, Command] = {
        "import": (cmd_import, _import_args, "import files and folders into the index"),
        "search": (cmd_search, _search_args, "search the index"),
        "stats": (cmd_stats, _stats_args, "documents, sections, index size and facet counts"),
        "delete": (cmd_delete, _delete_args, "delete a document by its doc_id"),
    }
    from indexer.crawl import cli as crawl_cli

    table["crawl"] = (crawl_cli.cmd_crawl, crawl_cli.add_args, "crawl sites into the index")
    return table
