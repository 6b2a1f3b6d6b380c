"""Worker processes that never outlive the process that started them, and that no task can take down with it.

:class:`Workers` runs a function on tasks in ``procs`` forked processes. Format readers are C and Rust
libraries (pdfium, calamine, ofdkit, lxml, onnxruntime, antiword); one hostile file can make them abort
(SIGABRT), crash, hang or allocate without bound, which no ``except`` can catch. Here such a file ends its
worker only:

* every worker has a memory limit — ``RLIMIT_DATA``, the private memory it may write to (heap and anonymous
  mappings, where every large allocation lands): what it had when it started plus
  :data:`~indexer.extract.formats.limits.READER_MEMORY_MB` — and no core dumps. (Not ``RLIMIT_AS``: address
  space a library only reserves — onnxruntime's threads and arenas for OCR, 0.7 GB of it — would count.);
* every task has a time limit (:data:`~indexer.extract.formats.limits.READER_SECONDS`) measured by the
  parent, which kills a worker that overruns it;
* a worker that dies (a signal, an exit, a broken pipe) is noticed at once (its pipe and its process
  sentinel are watched together), its task's outcome is a :class:`Failure` with the reason — "reader
  crashed (signal 6, SIGABRT)", "over the memory limit of 2048 MiB", "took longer than 180 s" — and the
  tasks queued behind it go to a new worker;
* an exception the function raises is a Failure too (its traceback goes to the log), never the caller's.

Workers are long-lived (forked once, with the parent's loaded tables, and again only after a death), so a
plain text file costs one round trip through a pipe. Each worker holds up to :data:`DEPTH` tasks, so it
works while the caller is busy with the previous outcome. A worker's stderr goes to a file of its own; what a
task wrote there is passed on to the caller's stderr, and after a crash its last lines tell a memory
failure from other aborts.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import fcntl
import logging
import multiprocessing as mp
import os
import resource
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import IO, Any, Generic, TypeVar

from indexer.extract.formats import limits

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Tasks one worker holds at once (the one it works on and those queued behind it).
DEPTH = 4
#: Bytes of a worker's stderr passed on after one task; more is cut (a library printing without end).
STDERR_RELAY = 64 * 1024
#: What a library prints on stderr when an allocation fails under the memory limit.
_OUT_OF_MEMORY = (b"memory allocation of", b"bad_alloc", b"MemoryError", b"Cannot allocate memory",
                  b"out of memory", b"Out of memory", b"failed to allocate")


def die_with_parent(parent: int | None = None) -> None:
    """Pool initializer: ask Linux to kill this worker when its parent dies (no orphan keeps working, no
    lock stays held), and leave Ctrl-C to the parent, which stops the pool.

    ``parent``: the pid of the process that forked this one. A parent killed between the fork and this call
    sends no signal (the request is made too late): the worker, adopted by another process by then, sees that
    its parent is no longer ``parent`` and exits at once — else it could wait for ever on a pipe whose other
    end it holds itself (a pool's task queue), and keep the parent's stdout open."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers still exit when their pipe closes
        pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@dataclass(frozen=True)
class Failure:
    """A task that gave no result: its worker crashed, ran out of memory or time, or the function raised."""

    reason: str


def memory_reason(megabytes: int) -> str:
    return f"over the memory limit of {megabytes} MiB"


def time_reason(seconds: float) -> str:
    return f"took longer than {seconds:.0f} s"


# ------------------------------------------------------------------------------------------- the child
def _private_memory() -> int:
    """Bytes of private writable memory this process has now (VmData: what ``RLIMIT_DATA`` counts)."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit(memory_mb: int) -> None:
    """No core files, and at most ``memory_mb`` MiB of private memory beyond what this process has now (both
    hard limits: a library cannot raise them again)."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb > 0:
        cap = _private_memory() + memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _serve(conn: Connection, func: Callable[[Any], Any], memory_mb: int, stderr_fd: int, parent: int) -> None:
    """A worker's life: take (number, task) from the pipe, send back (number, outcome, start again?)."""
    die_with_parent(parent)
    os.dup2(stderr_fd, 2)
    if faulthandler.is_enabled():  # its report of a crash goes where the rest of this worker's stderr goes
        faulthandler.enable(file=2)
    _limit(memory_mb)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        number, task = message
        again = True
        try:
            outcome: Any = func(task)
        except MemoryError:
            outcome, again = Failure(memory_reason(memory_mb)), False
        except Exception as exc:  # a bug or an unexpected library error: that task's reason, not a crash
            log.debug("reader failed", exc_info=True)
            outcome = Failure(f"reader failed ({type(exc).__name__}: {str(exc)[:200]})")
        try:
            conn.send((number, outcome, again))
        except MemoryError:
            conn.send((number, Failure(memory_reason(memory_mb)), False))
        except (EOFError, OSError):
            return
        except Exception as exc:  # the outcome cannot be sent (not picklable)
            conn.send((number, Failure(f"reader failed ({type(exc).__name__}: {str(exc)[:200]})"), True))
        if not again:
            return


# ------------------------------------------------------------------------------------------ the parent
@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    stderr: IO[bytes]
    queued: deque[tuple[int, Any]] = field(default_factory=deque)
    since: float = 0.0  # when the task at the head of ``queued`` started (at the latest)
    retiring: bool = False  # it asked to be replaced after its last outcome

    def busy_for(self, now: float) -> float:
        return now - self.since if self.queued else 0.0


class Workers(Generic[T, R]):
    """``procs`` worker processes running ``func`` (see the module docstring); a context manager."""

    def __init__(self, func: Callable[[T], R], procs: int = 1, memory_mb: int | None = None,
                 seconds: float | None = None) -> None:
        self.func = func
        self.procs = max(1, procs)
        self.memory_mb = limits.READER_MEMORY_MB if memory_mb is None else memory_mb
        self.seconds = limits.READER_SECONDS if seconds is None else seconds
        self._ctx = mp.get_context("fork")
        self._slots: list[_Worker | None] = [None] * self.procs
        self._numbers = 0
        self._failed_starts = 0

    def __enter__(self) -> Workers[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> Workers[T, R]:
        """Fork every worker now (before a lock is taken, say); otherwise each starts with its first task."""
        for i, slot in enumerate(self._slots):
            if slot is None:
                self._slots[i] = self._fork()
        return self

    def call(self, task: T) -> R | Failure:
        """One task's outcome."""
        outcomes = self.map([task])
        try:
            return next(outcomes)
        finally:
            outcomes.close()

    def map(self, tasks: Iterable[T], window: int | None = None) -> Generator[R | Failure, None, None]:
        """Each task's outcome, in task order. At most ``window`` tasks (default: what the workers hold) are
        handed out beyond the last outcome taken, so a slow consumer bounds what waits in memory."""
        window = window or self.procs * DEPTH
        source = iter(tasks)
        pending: deque[tuple[int, Any]] = deque()  # handed back by a dead worker: they go first
        ready: dict[int, R | Failure] = {}
        first = self._numbers
        given = 0  # tasks taken from ``source``
        taken = 0  # outcomes yielded
        exhausted = False
        try:
            while True:
                while first + taken in ready:
                    outcome = ready.pop(first + taken)
                    taken += 1
                    yield outcome
                for slot in range(self.procs):
                    while self._room(slot):
                        if pending:
                            item = pending.popleft()
                        elif not exhausted and given - taken < window:
                            try:
                                item = (first + given, next(source))
                            except StopIteration:
                                exhausted = True
                                break
                            given += 1
                            self._numbers = first + given
                        else:
                            break
                        if not self._send(slot, item):
                            pending.appendleft(item)
                            break
                if exhausted and not pending and taken == given:
                    return
                self._collect(ready, pending)
        finally:
            for slot, worker in enumerate(self._slots):
                if worker is not None and worker.queued:  # outcomes nobody will take: that worker goes
                    self._stop(slot)

    def close(self) -> None:
        """Stop every worker."""
        for slot in range(self.procs):
            self._stop(slot)

    # -- workers -----------------------------------------------------------------------------------------

    def _fork(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe()
        stderr = tempfile.TemporaryFile()
        fd = stderr.fileno()
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
        process = self._ctx.Process(target=_serve, args=(child_end, self.func, self.memory_mb, fd, os.getpid()),
                                    daemon=True, name="reader")
        process.start()
        child_end.close()
        return _Worker(process, parent_end, stderr)

    def _room(self, slot: int) -> bool:
        worker = self._slots[slot]
        return worker is None or (not worker.retiring and len(worker.queued) < DEPTH)

    def _send(self, slot: int, item: tuple[int, Any]) -> bool:
        """Hand ``item`` to the worker in ``slot`` (forked when there is none); False when it died meanwhile."""
        worker = self._slots[slot]
        if worker is None:
            worker = self._slots[slot] = self._fork()
        try:
            worker.conn.send(item)
        except (OSError, EOFError):
            if worker.queued:  # it died at work: _collect says why
                return False
            self._stop(slot)  # it died idle (killed from outside): a new one next time
            self._failed_starts += 1
            if self._failed_starts > 3:
                raise RuntimeError("reader processes die before their first task") from None
            return False
        self._failed_starts = 0
        if not worker.queued:
            worker.since = time.monotonic()
        worker.queued.append(item)
        return True

    def _stop(self, slot: int) -> None:
        worker = self._slots[slot]
        if worker is None:
            return
        self._slots[slot] = None
        if worker.process.is_alive():
            with contextlib.suppress(OSError):
                worker.process.kill()
        worker.process.join()
        worker.conn.close()
        worker.stderr.close()

    def _collect(self, ready: dict[int, Any], pending: deque[tuple[int, Any]]) -> None:
        """Wait until some worker answers, dies or overruns its time; record what happened."""
        live = [(slot, w) for slot, w in enumerate(self._slots) if w is not None and w.queued]
        if not live:
            return
        now = time.monotonic()
        timeout = max(0.0, min(self.seconds - w.busy_for(now) for _, w in live))
        wait([w.conn for _, w in live] + [w.process.sentinel for _, w in live], timeout)
        for slot, worker in live:
            alive = self._receive(worker, ready)
            if worker.retiring and alive:  # it asked to go after its outcome: the tasks behind it move on
                pending.extendleft(reversed(worker.queued))
                worker.queued.clear()
                self._stop(slot)
            elif not alive:
                self._lost(slot, worker, self._death_reason(worker), ready, pending)
        now = time.monotonic()
        for slot, worker in live:
            if self._slots[slot] is worker and worker.queued and worker.busy_for(now) >= self.seconds:
                self._lost(slot, worker, time_reason(self.seconds), ready, pending)

    def _receive(self, worker: _Worker, ready: dict[int, Any]) -> bool:
        """Take every outcome a worker has sent; False when it died at work."""
        try:
            while not worker.retiring and worker.conn.poll():
                number, outcome, again = worker.conn.recv()
                worker.queued.popleft()
                worker.since = time.monotonic()
                ready[number] = outcome
                self._relay(worker)
                worker.retiring = not again
        except (EOFError, OSError):
            return False
        return worker.retiring or worker.process.is_alive()

    def _lost(self, slot: int, worker: _Worker, reason: str, ready: dict[int, Any],
              pending: deque[tuple[int, Any]]) -> None:
        """A worker that died or overran: its running task failed with ``reason``; the rest are handed on."""
        tail = self._stderr_tail(worker)
        self._stop(slot)
        if tail.strip():
            log.debug("reader's last words: %s", tail.decode("utf-8", "replace")[:2000])
        if worker.queued:
            number, _task = worker.queued.popleft()
            ready[number] = Failure(reason)
            pending.extendleft(reversed(worker.queued))

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        tail = self._stderr_tail(worker)
        if any(mark in tail for mark in _OUT_OF_MEMORY):
            return memory_reason(self.memory_mb)
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = "unknown signal"
            return f"reader crashed (signal {-code}, {name})"
        return f"reader ended unexpectedly (exit status {code})"

    @staticmethod
    def _stderr_tail(worker: _Worker) -> bytes:
        """The last of what the worker wrote since its last outcome (a backtrace can be long)."""
        fd = worker.stderr.fileno()
        size = os.fstat(fd).st_size
        return os.pread(fd, STDERR_RELAY, max(0, size - STDERR_RELAY))

    @staticmethod
    def _relay(worker: _Worker) -> None:
        """Pass on what the worker wrote to stderr during its last task."""
        fd = worker.stderr.fileno()
        size = os.fstat(fd).st_size
        if not size:
            return
        text = os.pread(fd, min(size, STDERR_RELAY), 0).decode("utf-8", "replace")
        os.ftruncate(fd, 0)
        if size > STDERR_RELAY:
            text += f"\n[… {size - STDERR_RELAY} more bytes of reader output cut]\n"
        sys.stderr.write(text)
        sys.stderr.flush()
