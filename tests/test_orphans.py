"""A worker whose parent is killed between the fork and its request to die with it does not live on.

Linux sends the parent-death signal only to a process that asked for it before its parent died: an import
killed right after forking its workers (kill -9 while they start, or a test that waits for "two children")
left a worker that asked too late. Such a worker waited for ever on a pipe whose other end it holds itself (a
process pool's task queue), holding the import's stdout open: whoever waited for the import's output waited
too. ``die_with_parent(parent)`` notices that its parent is no longer the one that forked it and exits.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time

import pytest

from indexer.index.workers import die_with_parent

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="Linux only (fork, /proc)")


def _late_worker(parent: int, report: int, check: bool) -> None:
    """A worker that asks to die with its parent only after that parent is gone, then waits on a pipe it
    holds both ends of (as a pool worker waits on its task queue)."""
    deadline = time.monotonic() + 10
    while os.getppid() == parent and time.monotonic() < deadline:  # until the parent has died
        time.sleep(0.01)
    os.write(report, f"{os.getpid()}\n".encode())
    die_with_parent(parent if check else None)
    r, _w = os.pipe()
    os.read(r, 1)  # never returns: this process holds the write end


def _parent(report: int, check: bool) -> None:
    ctx = mp.get_context("fork")
    ctx.Process(target=_late_worker, args=(os.getpid(), report, check)).start()
    os._exit(0)  # the parent dies before its worker asked for the signal (no waiting for the child)


def _orphan_lives(check: bool, seconds: float) -> bool:
    """Whether the late worker is still alive ``seconds`` after it asked to die with its dead parent."""
    r, w = os.pipe()
    parent = mp.get_context("fork").Process(target=_parent, args=(w, check))
    parent.start()  # joined at the end: the late worker inherits what join waits on
    os.close(w)
    line = b""
    deadline = time.monotonic() + 10
    while not line.endswith(b"\n") and time.monotonic() < deadline:
        chunk = os.read(r, 64)
        if not chunk:
            break
        line += chunk
    os.close(r)
    pid = int(line)
    end = time.monotonic() + seconds
    lives = True
    while lives and time.monotonic() < end:
        lives = _running(pid)
        time.sleep(0.05)
    if lives:
        os.kill(pid, 9)  # do not leave it behind
    parent.join(10)
    return lives


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (an exited one its new parent has not reaped yet is a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_worker_whose_parent_died_before_it_asked_exits() -> None:
    assert not _orphan_lives(check=True, seconds=5)


def test_without_the_check_such_a_worker_would_live_on() -> None:
    """The situation is real: asking for the signal after the parent's death kills nothing."""
    assert _orphan_lives(check=False, seconds=1)
