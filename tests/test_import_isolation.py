"""Issue 20: a file whose reader aborts, hangs or asks for gigabytes is one skipped file of an import — with
``--procs 1`` and ``--procs 2`` (the pool notices its dead worker instead of waiting for it for ever) — and
the rest of the folder is imported and searchable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hostile_files import notice_with_names, repeated_ods, sparse_xlsx
from test_readers_isolated import INJECT

NAMES = ("张三和李四", "王五和赵六", "钱七和孙八", "周九和吴十")


def folder_with(tmp_path: Path, hostile: dict[str, bytes]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, names in enumerate(NAMES):
        (folder / f"notice{n}.txt").write_text(notice_with_names(names), encoding="utf-8")
    for name, data in hostile.items():
        (folder / name).write_bytes(data)
    return folder


def run(args: list[str], inject: str = "", timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INJECT": inject}
    return subprocess.run([sys.executable, "-c", INJECT, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def imported(tmp_path: Path, folder: Path, procs: int, inject: str = "") -> dict:
    proc = run(["import", str(folder), "--index", str(tmp_path / "index"), "--procs", str(procs), "--json"], inject)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-3000:])
    return json.loads(proc.stdout)


def skipped(summary: dict) -> dict[str, str]:
    return {Path(s["path"]).name: s["reason"] for s in summary["skipped"]}


def searchable(tmp_path: Path) -> set[str]:
    proc = run(["search", "予以表彰", "--index", str(tmp_path / "index"), "--json"])
    assert proc.returncode == 0, proc.stderr
    return {hit["doc_id"].rsplit("/", 1)[1] for hit in json.loads(proc.stdout)["hits"]}


@pytest.mark.parametrize("procs", [1, 2])
def test_a_reader_that_aborts_skips_its_file_and_the_import_goes_on(tmp_path: Path, procs: int) -> None:
    table = sparse_xlsx([("A1", "统战工作统计表"), ("A2", "党外代表人士 35 人")])
    folder = folder_with(tmp_path, {"a_table.xlsx": table, "m_table.xlsx": table, "z_table.xlsx": table})
    summary = imported(tmp_path, folder, procs, "abort")
    assert summary["documents"] == len(NAMES) and summary["files"] == len(NAMES) + 3
    assert skipped(summary) == {f"{c}_table.xlsx": "reader crashed (signal 6, SIGABRT)" for c in "amz"}
    assert searchable(tmp_path) == {f"notice{n}.txt" for n in range(len(NAMES))}


@pytest.mark.parametrize("procs", [1, 2])
def test_a_reader_that_hangs_skips_its_file_at_the_time_limit(tmp_path: Path, procs: int) -> None:
    folder = folder_with(tmp_path, {"table.xlsx": sparse_xlsx([("A1", "统战工作统计表"), ("A2", "35 人")])})
    summary = imported(tmp_path, folder, procs, "hang")
    assert skipped(summary) == {"table.xlsx": "took longer than 2 s"} and summary["documents"] == len(NAMES)


def test_workbooks_that_would_take_gigabytes_are_skipped_with_their_size(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"sparse.xlsx": sparse_xlsx([("A1", "统战工作"), ("XFD1048576", "x")]),
                                    "repeats.ods": repeated_ods()})
    summary = imported(tmp_path, folder, 2)
    reasons = skipped(summary)
    assert set(reasons) == {"sparse.xlsx", "repeats.ods"} and summary["documents"] == len(NAMES)
    assert "spans A1:XFD1048576, 17,179,869,184 cells" in reasons["sparse.xlsx"]
    assert "95,977,982 cells" in reasons["repeats.ods"]
