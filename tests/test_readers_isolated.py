"""Issue 20, readers that cannot take the importer down: ``extract FILE`` on hostile files, and readers that abort,
crash, hang or run out of memory, each ending its own worker process only and reported as the file's reason.

The hostile files are generated (:mod:`hostile_files`). A crash, a hang and a memory blow-up are also injected into
the spreadsheet reader of a ``python -m indexer`` process (:data:`INJECT`), since the real files no longer reach
the library: the worker, not the library, is what is tested then. Every command runs as its own process with a
timeout, so a reader that does take its process down fails the test instead of the test run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from hostile_files import astral_rtf, far_cell_xls, notice_with_names, repeated_ods, sparse_xlsx

from indexer.index.workers import Failure, Workers

#: ``python -c INJECT extract FILE``: the CLI with the spreadsheet reader replaced as $INJECT says.
INJECT = """
import os, sys, time
from indexer.extract.formats import limits, sheets
what = os.environ.get("INJECT", "")
if what == "abort":
    sheets.read_sheets = lambda *a, **k: os.abort()
elif what == "hang":
    limits.READER_SECONDS = 2
    sheets.read_sheets = lambda *a, **k: time.sleep(600)
elif what == "grow":
    sheets.read_sheets = lambda *a, **k: [bytearray(256 * 2**20) for _ in range(40)]
elif what == "unsized":
    sheets.check_sheet_sizes = lambda *a, **k: None
from indexer.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def run(args: list[str], inject: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INJECT": inject}
    return subprocess.run([sys.executable, "-c", INJECT, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def refused(proc: subprocess.CompletedProcess[str], path: Path, *fragments: str) -> None:
    """The command said why it did not read ``path``, in one line, and exited 2 (not a signal, no traceback)."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert proc.stderr.startswith(f"extract: {path}: "), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


# -- hostile files: refused before any library sees them -------------------------------------------------

def test_a_sparse_xlsx_is_refused_from_its_cells_in_a_moment(tmp_path: Path) -> None:
    path = tmp_path / "two_cells.xlsx"
    path.write_bytes(sparse_xlsx([("A1", "统战工作"), ("XFD1048576", "x")]))
    assert len(path.read_bytes()) < 2000
    started = time.monotonic()
    proc = run(["extract", str(path)])
    refused(proc, path, "sheet '统计表' spans A1:XFD1048576", "17,179,869,184 cells", "limit 5,000,000")
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("dimension", [None, "A1:B2"])
def test_a_sheet_whose_dimension_is_missing_or_lies_is_sized_from_its_cells(tmp_path: Path, dimension) -> None:
    path = tmp_path / "lying.xlsx"
    path.write_bytes(sparse_xlsx([("A1", "统战工作"), ("C3", "x"), ("AAA200000", "y")], dimension))
    refused(run(["extract", str(path)]), path, "spans A1:AAA200000")


def test_a_large_stated_dimension_alone_does_not_refuse_a_small_sheet(tmp_path: Path) -> None:
    path = tmp_path / "stated.xlsx"
    path.write_bytes(sparse_xlsx([("A1", "统战工作统计表"), ("B2", "民主党派成员 1200 人")], "A1:XFD1048576"))
    proc = run(["extract", str(path)])
    assert proc.returncode == 0 and "民主党派成员 1200 人" in proc.stdout, proc.stderr


def test_a_900_byte_ods_that_expands_to_96_million_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "repeats.ods"
    path.write_bytes(repeated_ods())
    assert len(path.read_bytes()) < 1000
    refused(run(["extract", str(path)]), path, "sheet 'Sheet1' spans A1:WQA6002", "95,977,982 cells")


def test_an_xls_with_a_cell_at_the_far_corner_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "far.xls"
    path.write_bytes(far_cell_xls(tmp_path))
    refused(run(["extract", str(path)]), path, "sheet '培训计划' spans A2:XFD65536", "1,073,725,440 cells")


def test_rtf_surrogate_pairs_are_one_character_each(tmp_path: Path) -> None:
    path = tmp_path / "names.rtf"
    path.write_bytes(astral_rtf(notice_with_names("𠀀和𪚥") + "另有\udbff一个孤立的代理项。\n"))
    proc = run(["extract", str(path), "--json"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "对𠀀和𪚥同志予以表彰" in proc.stdout
    out = json.loads(proc.stdout)
    assert "另有一个孤立的代理项" in out["documents"][0]["sections"][-1]["text"]
    assert any("\ufffd" in r["text"] for r in out["removed"]), "a lone half of a pair is U+FFFD (then cleaned away)"


# -- what the library would do all the same: one worker ends, the reason is given ----------------------------

def spreadsheet(tmp_path: Path) -> Path:
    path = tmp_path / "table.xlsx"
    path.write_bytes(sparse_xlsx([("A1", "统战工作统计表"), ("A2", "党外代表人士 35 人")]))
    return path


def test_a_reader_that_aborts_is_a_reason(tmp_path: Path) -> None:
    path = spreadsheet(tmp_path)
    refused(run(["extract", str(path)], "abort"), path, "reader crashed (signal 6, SIGABRT)")


def test_a_library_allocating_past_the_memory_limit_is_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "two_cells.xlsx"
    path.write_bytes(sparse_xlsx([("A1", "统战工作"), ("XFD1048576", "x")]))
    refused(run(["extract", str(path)], "unsized"), path, "over the memory limit of 2048 MiB")


def test_python_growing_past_the_memory_limit_is_a_reason(tmp_path: Path) -> None:
    path = spreadsheet(tmp_path)
    refused(run(["extract", str(path)], "grow"), path, "over the memory limit of 2048 MiB")


def test_a_reader_that_hangs_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    path = spreadsheet(tmp_path)
    started = time.monotonic()
    refused(run(["extract", str(path)], "hang", timeout=60), path, "took longer than 2 s")
    assert time.monotonic() - started < 30


def test_plain_text_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(notice_with_names("张三和李四"), encoding="utf-8")
    proc = run(["extract", str(path)])
    assert proc.returncode == 0 and "== 关于表彰张三和李四等同志的通知" in proc.stdout


# -- the workers themselves ----------------------------------------------------------------------------

def job(task: str) -> str:
    if task == "abort":
        os.abort()
    if task == "kill":
        os.kill(os.getpid(), signal.SIGSEGV)
    if task == "hang":
        time.sleep(600)
    if task == "grow":
        return str(len(bytearray(3 * 2**30)))
    if task == "raise":
        raise KeyError("no such key")
    if task == "exit":
        os._exit(3)
    return task.upper()


@pytest.mark.parametrize("procs", [1, 2])
def test_every_task_gets_its_outcome_in_order_whatever_happens_to_the_others(procs: int) -> None:
    tasks = ["a", "abort", "b", "kill", "c", "hang", "d", "grow", "e", "raise", "f", "exit"] + list("ghijklmnop")
    with Workers(job, procs, memory_mb=512, seconds=2) as workers:
        outcomes = list(workers.map(tasks, window=5))
        after = workers.call("z")
    assert outcomes == ["A", Failure("reader crashed (signal 6, SIGABRT)"), "B",
                        Failure("reader crashed (signal 11, SIGSEGV)"), "C", Failure("took longer than 2 s"), "D",
                        Failure("over the memory limit of 512 MiB"), "E", Failure("reader failed (KeyError: 'no such key')"),
                        "F", Failure("reader ended unexpectedly (exit status 3)")] + list("GHIJKLMNOP")
    assert after == "Z"


def test_a_worker_is_forked_once_and_kept() -> None:
    with Workers(_pid, 1) as workers:
        pids = set(workers.map(range(50)))
    assert len(pids) == 1 and os.getpid() not in pids


def _pid(_task: int) -> int:
    return os.getpid()
