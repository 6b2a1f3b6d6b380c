"""Index sub-commands: import, search, stats, delete (and crawl, from :mod:`indexer.crawl.cli`).

Output formats are contracts: ``search --json`` prints the same object as the JSON API (``to_json`` of a
:class:`~indexer.search.results.SearchResult`); ``--batch`` prints one such object per line, in the order of
the queries. Readable output marks matches with 【】.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indexer.extract.usermeta import load_metadata
from indexer.index.builder import BuildError
from indexer.index.importer import collection_refusal, import_paths, printable, terminal_progress
from indexer.index.store import DEFAULT_INDEX, IndexBusy, IndexMissing, IndexUnusable
from indexer.index.transaction import PublishedWithError
from indexer.relations.resolve import STATUS_LABELS
from indexer.search.backend import SearchBackend
from indexer.search.backends import BackendUnavailable, Target, open_backend, open_store, resolve
from indexer.search.query import QueryTooComplex
from indexer.search.results import SearchResult, region_label, to_json
from indexer.search.service import GROUPS, MAX_PER_PAGE, SORTS, SearchParams, default_workers

#: Characters that some line readers (Python's ``splitlines``, JavaScript) take as line breaks and JSON leaves
#: as they are: escaped, so that one object is one line whatever reads it.
_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False).translate(_BREAKS) + "\n")


def _fail(command: str, message: str, code: int = 2) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return code


def target(args: argparse.Namespace) -> Target:
    """Where a command works: ``--database``, else ``--index``, else TZSEARCH_DATABASE_URL, else var/index."""
    return resolve(args.index, args.database)


def _overrides(args: argparse.Namespace) -> dict[str, dict[str, str]] | None:
    if not args.metadata:
        return None
    # every change the file makes and every value it is refused is printed (one line each)
    logging.getLogger("indexer.extract.usermeta").setLevel(logging.INFO)
    return dict(load_metadata(Path(args.metadata), override=args.metadata_override))


def cmd_import(args: argparse.Namespace) -> int:
    """Import files and folders."""
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        return _fail("import", f"no such file or folder: {', '.join(missing)}")
    if args.collection is not None and (why := collection_refusal(args.collection)):
        return _fail("import", f"--collection {printable(args.collection)!r}: {why}")
    try:
        summary = import_paths(paths, target(args), procs=args.procs, progress=terminal_progress,
                               collection=args.collection, prune=args.prune, overrides=_overrides(args),
                               reuse=not args.no_reuse, follow_symlinks=args.follow_symlinks)
    except IndexBusy as exc:
        return _fail("import", str(exc), 3)
    except PublishedWithError as exc:
        return _fail("import", str(exc))
    except (IndexUnusable, ValueError, BackendUnavailable, BuildError) as exc:
        return _fail("import", f"{exc}; nothing was published, the index is as it was")
    except OSError as exc:  # a full disk, a folder that cannot be written
        return _fail("import", f"{exc.strerror or exc}; nothing was published, the index is as it was")
    except Exception as exc:  # a bug: the index is still safe, and -v shows where it happened
        logging.getLogger(__name__).debug("import failed", exc_info=True)
        return _fail("import", f"failed ({type(exc).__name__}: {exc}); nothing was published, the index is as "
                               f"it was (run with -v for details)")
    summary.skipped = [(printable(path), reason) for path, reason in summary.skipped]
    if args.json:
        _emit(summary.to_json())
        return 0
    print(f"imported {summary.documents} documents ({summary.sections} sections) from {summary.files} files "
          f"in {summary.seconds:.1f}s; {summary.unchanged} unchanged, {summary.replaced} replaced, "
          f"{summary.pruned} removed, {len(summary.skipped)} skipped")
    for path, reason in summary.skipped:
        print(f"  skipped {path}: {reason}")
    return 0


def _params(args: argparse.Namespace, query: str) -> SearchParams:
    return SearchParams(q=query, mode="exact" if args.exact else "keyword", province=args.province,
                        city=args.city, year=args.year, date_from=args.date_from, date_to=args.date_to,
                        doctype=args.doctype, source=args.source, collection=args.collection,
                        issuer=args.issuer, docno=args.docno, status=args.status,
                        sort="newest" if args.sort == "date" else args.sort, group=args.group, page=args.page,
                        per_page=args.limit, synonyms=not args.no_synonyms)


def _print_result(result: SearchResult) -> None:
    unit = "documents" if result.group == "document" else "sections"
    print(f"{result.total} {unit} match {result.query!r} (page {result.page})")
    if result.notice:
        print(f"note: {result.notice}")
    if result.also_searched:
        print(f"also searched: {', '.join(result.also_searched)} (synonyms; --no-synonyms to search the terms only)")
    for i, hit in enumerate(result.hits, (result.page - 1) * result.per_page + 1):
        print(f"\n{i}. {hit.title or ''}{' (derived title)' if hit.title_derived else ''} — {hit.heading or ''}")
        print(f"   {hit.date or '-'} | {region_label(hit.region) or '-'} | {hit.issuer or hit.source or '-'} | "
              f"{hit.doctype or '-'}")
        text, pos = [], 0
        for s, e in hit.highlights:
            text += [hit.snippet[pos:s], "【", hit.snippet[s:e], "】"]
            pos = e
        print("   " + "".join(text) + hit.snippet[pos:])
        print(f"   {hit.section_id}")


def _search_one(service: SearchBackend, args: argparse.Namespace, query: str) -> int:
    try:
        result = service.search(_params(args, query))
    except QueryTooComplex as exc:
        if args.json:
            _emit({"ok": False, "error": str(exc), "status": 400})
            return 0
        return _fail("search", str(exc))
    _emit(to_json(result)) if args.json else _print_result(result)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Search from the command line."""
    try:
        service = open_backend(target(args))
    except (IndexMissing, IndexUnusable, BackendUnavailable, ValueError) as exc:
        return _fail("search", str(exc))
    try:
        if args.all:
            from indexer.cli.export import stdout, write_all

            try:
                write_all(service, _params(args, args.query or ""), args.format, stdout(), args.style, args.max_rows)
            except (QueryTooComplex, TimeoutError) as exc:
                return _fail("search", str(exc))
            return 0
        if args.batch:
            try:
                text = Path(args.batch).read_text(encoding="utf-8")
            except OSError as exc:
                return _fail("search", f"cannot read {args.batch}: {exc.strerror or exc}")
            except UnicodeDecodeError as exc:
                return _fail("search", f"cannot read {args.batch}: not UTF-8 text (byte {exc.start})")
            # one query per line: split at line ends only (not at U+2028 or a form feed inside a query, as
            # splitlines would), with the last line's end optional
            queries = text.removesuffix("\n").split("\n") if text else []
            return max([_search_one(service, args, q) for q in queries] or [0])
        if args.query is None:
            return _fail("search", "give a QUERY or --batch FILE")
        return _search_one(service, args, args.query)
    finally:
        service.close()


def cmd_stats(args: argparse.Namespace) -> int:
    """Documents, sections, index size, counts per facet."""
    try:
        service = open_backend(target(args))
    except (IndexMissing, IndexUnusable, BackendUnavailable, ValueError) as exc:
        return _fail("stats", str(exc))
    stats = service.stats()
    service.close()
    if args.json:
        _emit(to_json(stats))
        return 0
    print(f"{stats.documents} documents, {stats.sections} sections, index {stats.index_bytes / 1e6:.1f} MB")
    for facet, buckets in stats.facets.items():
        shown = ", ".join(f"{b.value if b.value is not None else '(unknown)'} {b.count}" for b in buckets[:12])
        print(f"  {facet}: {shown}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete one document."""
    try:
        store = open_store(target(args))
        try:
            with store.transaction() as tx:
                count = tx.delete("doc_id", args.doc_id)
        finally:
            store.close()
    except (IndexMissing, IndexUnusable, BackendUnavailable, ValueError) as exc:
        return _fail("delete", str(exc))
    except IndexBusy as exc:
        return _fail("delete", str(exc), 3)
    except PublishedWithError as exc:
        return _fail("delete", str(exc))
    except OSError as exc:  # a read-only folder, a full disk: nothing was published
        return _fail("delete", f"{exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}; nothing was "
                               f"published, the index is as it was")
    if not count:
        return _fail("delete", f"no document {args.doc_id!r}", 1)
    print(f"deleted {args.doc_id} ({count} sections)")
    return 0


def _index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", help=f"index folder (default {DEFAULT_INDEX}, or TZSEARCH_DATABASE_URL when set)")
    p.add_argument("--database", metavar="URL", help="a PostgreSQL database instead of an index folder "
                   "(postgresql://user@host:port/name; default: TZSEARCH_DATABASE_URL)")


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files and folders (recursively)")
    _index_arg(p)
    p.add_argument("--procs", type=int, default=default_workers(),
                   help=f"extraction processes (default: {default_workers()}, the cores of this machine)")
    p.add_argument("--collection", help="name the documents are filed under (default: the folder's name)")
    p.add_argument("--prune", action="store_true", help="remove the collection's documents whose files are gone")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="follow symbolic links that lead out of an imported folder (by default they are skipped)")
    p.add_argument("--metadata", metavar="FILE",
                   help="CSV/TSV/JSONL with a 'file' column (relative to PATH): its fields fill what the text lacks; "
                        "where both have a value the document's own or the more precise one wins (see README)")
    p.add_argument("--metadata-override", action="store_true",
                   help="with --metadata: the file's values win everywhere (as an 'override' column saying yes)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--no-reuse", action="store_true",
                   help="do not compare the new documents for shared wording now (later: reuse --update)")


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help='query, e.g. "两个健康" or 民营经济 OR 非公经济')
    _index_arg(p)
    p.add_argument("--batch", metavar="FILE", help="one query per line")
    p.add_argument("--exact", action="store_true", help="exact-wording mode for unquoted text")
    p.add_argument("--no-synonyms", action="store_true",
                   help="keyword terms do not also find their equivalents (统战 ↔ 统一战线, data/synonyms.txt)")
    for name in ("province", "city", "doctype", "source", "collection", "issuer"):
        p.add_argument(f"--{name}")
    p.add_argument("--docno", help="a 发文字号, whatever its brackets (国发〔2014〕45号)")
    p.add_argument("--status", choices=STATUS_LABELS, help="what later documents say of its force")
    p.add_argument("--year", type=int)
    p.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD (inclusive)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD (inclusive)")
    p.add_argument("--limit", type=int, default=10, help=f"hits per page (max {MAX_PER_PAGE})")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--sort", choices=(*SORTS, "date"), default="relevance")
    p.add_argument("--group", choices=GROUPS, default="section", help="document: one hit per document")
    p.add_argument("--json", action="store_true", help="print the JSON result object")
    p.add_argument("--all", action="store_true", help="every hit, written as --format (what /api/export sends)")
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv",
                   help="with --all: csv (UTF-8 with BOM) or jsonl")
    p.add_argument("--style", choices=("2025", "2015"), default="2025",
                   help="with --all: GB/T 7714 edition of citations")
    p.add_argument("--max-rows", type=int, default=1_000_000, help="with --all: the most rows written")


def _stats_args(p: argparse.ArgumentParser) -> None:
    _index_arg(p)
    p.add_argument("--json", action="store_true")


def _delete_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc_id")
    _index_arg(p)


Command = tuple[Callable[[argparse.Namespace], int], Callable[[argparse.ArgumentParser], None], str]


def commands() -> dict[str, Command]:
    """Sub-commands that work on an index."""
    from indexer.cli import db as db_cli
    from indexer.cli import maintain as maintain_cli
    from indexer.cli import reuse as cli_reuse
    from indexer.crawl import cli as crawl_cli

    return {
        "import": (cmd_import, _import_args, "import files and folders into the index"),
        "search": (cmd_search, _search_args, "search the index"),
        "stats": (cmd_stats, _stats_args, "documents, sections, index size and facet counts"),
        "delete": (cmd_delete, _delete_args, "delete a document by its doc_id"),
        "crawl": (crawl_cli.cmd_crawl, crawl_cli.add_args, "crawl sites into the index"),
        "reuse": (cli_reuse.cmd_reuse, cli_reuse.add_args, "documents that share wording (passages of 30+ chars)"),
        "db": (db_cli.cmd_db, db_cli.add_args, "PostgreSQL: upgrade the schema, check the statistics"),
        **maintain_cli.commands(),
    }
