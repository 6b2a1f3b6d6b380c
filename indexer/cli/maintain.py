"""Index upkeep sub-commands: ``check`` (what is wrong), ``repair`` (rebuild damaged derived data from the
store of record) and ``upgrade`` (rebuild everything derived for this version: a new format or text model).

Exit codes: 0 sound / done; 1 ``check`` found problems; 2 the command could not run (no index, busy, the
store of record itself damaged — then only importing the documents again helps).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from indexer.index.maintenance import REIMPORT, StoreDamaged, check, rebuild
from indexer.index.store import IndexBusy, IndexMissing
from indexer.index.transaction import PublishedWithError
from indexer.search.backends import is_database, resolve
from indexer.search.service import default_workers


def _folder(args: argparse.Namespace, command: str) -> Path | None:
    target = resolve(args.index, None)
    if is_database(target):
        print(f"{command}: this works on an index folder; for a database run: python -m indexer db "
              f"{'upgrade' if command == 'upgrade' else 'check'} --database URL", file=sys.stderr)
        return None
    return Path(target)


def cmd_check(args: argparse.Namespace) -> int:
    """Verify the published generation: checksums, structure, the store against the manifest."""
    folder = _folder(args, "check")
    if folder is None:
        return 2
    try:
        report = check(folder)
    except IndexMissing as exc:
        print(f"check: {exc}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        return 0 if report.ok else 1
    if report.ok:
        print(f"index {folder.name}: generation {report.generation}, {report.sections} sections, {report.files} "
              f"files: all checksums and structures are sound")
        return 0
    for line in report.needs_upgrade:
        print(f"needs upgrade: {line}")
    for line in report.problems:
        print(f"damaged: {line}")
    if report.store_damaged:
        print(f"the store of record is damaged (repair cannot rebuild it): {REIMPORT}")
    elif report.problems:
        print(f"run: python -m indexer repair --index {folder}")
    if report.needs_upgrade:
        print(f"run: python -m indexer upgrade --index {folder}")
    return 1


def _rebuild(args: argparse.Namespace, command: str, only_damaged: bool) -> int:
    folder = _folder(args, command)
    if folder is None:
        return 2
    try:
        manifest = rebuild(folder, procs=args.procs, only_damaged=only_damaged,
                           progress=(lambda msg: print(msg, file=sys.stderr)) if args.verbose_progress else None)
    except (IndexMissing, StoreDamaged, IndexBusy, PublishedWithError) as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only folder, a full disk: nothing was published
        print(f"{command}: {exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}; nothing was "
              f"published, the index is as it was", file=sys.stderr)
        return 2
    sections = sum(p.sections for s in manifest.segments for p in s.parts)
    print(f"{command}: published generation {manifest.generation} ({sections} sections, "
          f"{len(manifest.part_folders())} parts)")
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    """Rebuild damaged or missing derived data from the store of record."""
    return _rebuild(args, "repair", only_damaged=not args.all)


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Rebuild all derived data for this version (format, text model) from the store of record."""
    return _rebuild(args, "upgrade", only_damaged=False)


def _args(p: argparse.ArgumentParser, rebuilds: bool) -> None:
    p.add_argument("--index", help="index folder (default var/index)")
    if rebuilds:
        p.add_argument("--procs", type=int, default=default_workers(), help="build processes")
        p.add_argument("--progress", dest="verbose_progress", action="store_true", help="say what is rebuilt")
    else:
        p.add_argument("--json", action="store_true", help="the report as JSON")


def _repair_args(p: argparse.ArgumentParser) -> None:
    _args(p, True)
    p.add_argument("--all", action="store_true", help="rebuild every part, not only the damaged ones")


def commands() -> dict[str, tuple[Any, Any, str]]:
    return {
        "check": (cmd_check, lambda p: _args(p, False), "verify the index's checksums and structure"),
        "repair": (cmd_repair, _repair_args, "rebuild damaged derived data from the stored records"),
        "upgrade": (cmd_upgrade, lambda p: _args(p, True),
                    "bring an index of an older format or text model up to date (no re-import)"),
    }
