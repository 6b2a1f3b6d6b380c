"""CI is honest: with ``CI=true`` a missing system component fails the tests that need it, naming it; elsewhere
they skip with the reason (tests/system.py). And tests/install_system.sh fails under CI when it cannot install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import system
from conftest import ROOT


@pytest.mark.parametrize("ci,outcome", [("true", pytest.fail.Exception), ("1", pytest.fail.Exception),
                                        ("", pytest.skip.Exception), ("false", pytest.skip.Exception)])
def test_a_missing_component_skips_except_under_ci(monkeypatch, ci, outcome) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome) as raised:
        system.missing("antiword", "antiword is not installed")
    assert "antiword" in str(raised.value)
    if outcome is pytest.fail.Exception:
        assert "CI=true and antiword is missing" in str(raised.value)


def _run_without_tools(tmp_path, ci: str) -> subprocess.CompletedProcess[str]:
    """The antiword tests of test_formats.py with a PATH that holds no antiword (nor anything else)."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": str(empty), "CI": ci}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_formats.py", "-k", "antiword"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_run_fails_under_ci_and_skips_elsewhere(tmp_path) -> None:
    local = _run_without_tools(tmp_path, "")
    assert local.returncode == 0 and "2 skipped" in local.stdout, local.stdout[-2000:]
    ci = _run_without_tools(tmp_path, "true")
    assert ci.returncode == 1 and "2 failed" in ci.stdout, ci.stdout[-2000:]
    assert "CI=true and antiword is missing" in ci.stdout


def _install(tmp_path, ci: str, apt_rc: int) -> subprocess.CompletedProcess[str]:
    """tests/install_system.sh where no component is installed and apt-get ends with ``apt_rc`` (a stub: nothing
    is installed for real), run as if by root."""
    bin_dir = tmp_path / f"bin-{ci or 'local'}-{apt_rc}"
    bin_dir.mkdir()
    for name, body in (("apt-get", f"echo apt-get \"$@\" >&2; exit {apt_rc}"), ("id", "echo 0"),
                       ("fc-list", "exit 0"), ("timeout", 'shift; "$@"')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    for tool in ("ls", "mkdir", "grep"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or f"/bin/{tool}")
    env = {"PATH": str(bin_dir), "CI": ci, "HOME": str(tmp_path), "TZSEARCH_PG_LIB": str(tmp_path / "no-postgresql"),
           "TZSEARCH_PG_COMMON": str(tmp_path / "postgresql-common")}
    return subprocess.run(["/bin/bash", str(ROOT / "tests" / "install_system.sh")], env=env, capture_output=True,
                          text=True, timeout=60)


def test_install_system_fails_loudly_under_ci_when_apt_get_fails(tmp_path) -> None:
    local = _install(tmp_path, "", 100)
    assert local.returncode == 0 and "apt-get failed; the tests that need chromium antiword postgresql " \
        "fonts-noto-cjk will be skipped" in local.stderr, local.stderr
    ci = _install(tmp_path, "true", 100)
    assert ci.returncode == 1, ci.stderr
    assert "apt-get failed, and CI=true: failing (missing: chromium antiword postgresql fonts-noto-cjk)" in ci.stderr
    assert "apt-get update" in ci.stderr, "it did try"


def test_install_system_under_ci_fails_when_apt_get_installs_nothing(tmp_path) -> None:
    ci = _install(tmp_path, "true", 0)
    assert ci.returncode == 1 and "still missing" in ci.stderr, ci.stderr
    assert _install(tmp_path, "", 0).returncode == 0
