"""Command line: ``python -m indexer extract|import|search|stats|delete|crawl``.

Each sub-command is a small function taking the parsed arguments and returning an exit code; the work
itself lives in the modules named in its help. Errors a user can cause print one line on stderr and exit
non-zero; they never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indexer.document import Extraction
from indexer.extract.errors import ExtractError
from indexer.extract.isolated import Readers

Command = Callable[[argparse.Namespace], int]


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _readable(ex: Extraction) -> str:
    out: list[str] = []
    for d in ex.documents:
        out.append(f"== {d.title or '(no title)'}")
        out.append(f"   id: {d.doc_id}")
        region = "/".join(x for x in (d.province, d.city) if x) or "-"
        for label, value in (("date", d.date), ("year", d.year), ("region", region), ("source", d.source),
                             ("issuer", d.issuer), ("doc number", d.doc_number), ("type", d.doctype),
                             ("url", d.url)):
            if value:
                out.append(f"   {label}: {value}")
        for s in d.sections:
            out.append(f"\n-- [{s.section_id.rsplit('#', 1)[-1]}] {s.heading or ''}")
            out.append(s.text)
        out.append("")
    if ex.removed:
        out.append(f"== removed ({len(ex.removed)})")
        out.extend(f"   - {r.reason}: {r.text[:80]}" for r in ex.removed)
    return "\n".join(out)


def cmd_extract(args: argparse.Namespace) -> int:
    """Clean one file and print what would be indexed (read in a worker process: a reader that crashes, hangs
    or runs out of memory is a reason too)."""
    try:
        with Readers() as readers:
            ex = readers.file(Path(args.file), url=args.url)
    except ExtractError as exc:
        print(f"extract: {args.file}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(ex.to_json())
    else:
        sys.stdout.write(_readable(ex) + "\n")
    return 0


def build_parser(commands: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None], str]]
                 ) -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(prog="python -m indexer", description="tzsearch indexer")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (func, add_args, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_args(p)
        p.set_defaults(func=func)
    return parser


def _extract_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a document: .txt, .html, .docx, .doc/.wps, .rtf, .pdf, .ofd, .xlsx/.xls/.ods "
                                "(a file without extension is sniffed)")
    p.add_argument("--json", action="store_true", help="print the JSON contract instead of text")
    p.add_argument("--url", help="record this URL as the document's url")


def commands() -> dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None], str]]:
    """All sub-commands: name → (function, argument adder, help)."""
    from indexer.cli import index as cli_index

    table: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None], str]] = {
        "extract": (cmd_extract, _extract_args, "clean one file and print what would be indexed"),
    }
    table.update(cli_index.commands())
    return table


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m indexer``."""
    parser = build_parser(commands())
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
