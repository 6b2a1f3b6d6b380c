"""Serve the app from several worker processes that share one listening socket.

Searches run in request threads, but the threads of one process share one interpreter lock: a client that
loops an expensive query would slow down every other request of its process. So the server binds the
listening socket once and forks ``workers`` processes; each serves that socket with waitress
(:func:`waitress.create_server` with ``sockets=[sock]``) and opens the index itself after the fork, so the
memory-mapped index data is shared through the page cache. An idle worker is the first to accept a new
connection, so a busy one does not hold up the rest.

The parent only supervises:

* SIGTERM or SIGINT stops every worker (SIGTERM, then SIGKILL after a grace period) and the parent exits 0;
* a worker that dies is restarted, at most ``MAX_RESTARTS`` times in ``RESTART_WINDOW`` seconds; past that
  the server stops with status 1 rather than loop;
* workers die with the parent, whatever the signal (Linux's parent-death signal, or a watchdog thread that
  notices the parent is gone elsewhere).

Requests whose first line holds raw (not percent-encoded) non-ASCII bytes would get waitress's own plain-text
400; here they are percent-encoded, so the app sees them: raw UTF-8 (what ``curl 'http://…/?q=统战'`` sends)
is served like its percent-encoded form, and other bytes are marked in the environ
(``tzsearch.raw_bytes = "invalid"``) and refused by the app in its one error shape (:mod:`webui.params`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import select
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from types import FrameType
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.task import WSGITask

log = logging.getLogger(__name__)

MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
STOP_GRACE = 8.0
RAW_BYTES = "tzsearch.raw_bytes"
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def say(line: str) -> None:
    """Print one line to standard output in one write, so lines of several processes never interleave."""
    sys.stdout.flush()
    data = (line + "\n").encode(sys.stdout.encoding or "utf-8", "replace")
    with contextlib.suppress(OSError):
        while data:
            data = data[os.write(sys.stdout.fileno(), data):]


# ---------------------------------------------------------------------------------------------- waitress
class _Parser(HTTPRequestParser):
    """Percent-encodes raw non-ASCII bytes of the request line, remembering whether they were UTF-8."""

    raw_bytes: str | None = None

    def parse_header(self, header_plus: bytes) -> None:
        first, sep, rest = header_plus.partition(b"\r\n")
        if _NON_ASCII.search(first):
            try:
                first.decode("utf-8")
                self.raw_bytes = "utf-8"
            except UnicodeDecodeError:
                self.raw_bytes = "invalid"
            first = _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], first)
        super().parse_header(first + sep + rest)


class _Task(WSGITask):
    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        raw = getattr(self.request, "raw_bytes", None)
        if raw:
            environ[RAW_BYTES] = raw
        return environ


class _Channel(HTTPChannel):
    parser_class = _Parser
    task_class = _Task


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """The listening socket (port 0: any free port). Raises OSError with the system's reason."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(info[4])
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve_socket(app: Any, sock: socket.socket, threads: int) -> None:
    """Serve ``app`` on an already listening socket in this process until SIGTERM/SIGINT."""
    make_server(app, sock, threads).run()  # returns after SystemExit/KeyboardInterrupt, once the threads end


def make_server(app: Any, sock: socket.socket, threads: int) -> Any:
    """The waitress server of ``app`` on a listening socket. It reads on while a request runs (one request
    ahead), so it notices a client that hangs up and says so to the app (``waitress.client_disconnected``):
    an export then stops building."""
    server = create_server(app, sockets=[sock], threads=threads, ident="tzsearch", channel_request_lookahead=1)
    server.channel_class = _Channel
    return server


# ---------------------------------------------------------------------------------------------- workers
def _die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` does."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGTERM, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # it died before prctl took effect
                os._exit(0)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="tzsearch-parent-watch", daemon=True).start()


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _worker_main(work: Callable[[], None], parent: int, inherited: tuple[int, ...]) -> int:
    signal.set_wakeup_fd(-1)
    for fd in inherited:
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    signal.signal(signal.SIGTERM, _raise_exit)
    _die_with_parent(parent)
    try:
        work()
        return 0
    except SystemExit:
        return 0
    except BaseException:
        log.exception("worker %d failed", os.getpid())
        return 1


class Supervisor:
    """Forks ``workers`` processes that each run ``work`` and keeps them running (see the module docstring)."""

    def __init__(self, work: Callable[[], None], workers: int, out: Callable[[str], None] | None = None) -> None:
        self.work = work
        self.workers = workers
        self.out = out or say
        self.pids: set[int] = set()
        self.restarts: deque[float] = deque()
        self.stopping = False
        self._wake: tuple[int, ...] = ()

    def _spawn(self) -> None:
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _worker_main(self.work, parent, self._wake)
            finally:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        self.pids.add(pid)
        self.out(f"tzsearch: worker {pid} started")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum in (signal.SIGTERM, signal.SIGINT):
            self.stopping = True

    def _reap(self) -> list[tuple[int, int]]:
        dead = []
        while self.pids:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in self.pids:
                self.pids.discard(pid)
                dead.append((pid, status))
        return dead

    def run(self) -> int:
        """Start the workers and supervise them until a stop signal (0) or too many deaths (1)."""
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        os.set_blocking(wake_r, False)
        self._wake = (wake_r, wake_w)
        old_fd = signal.set_wakeup_fd(wake_w)
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD)}
        try:
            for _ in range(self.workers):
                self._spawn()
            return self._supervise(wake_r)
        finally:
            self._stop_all()
            signal.set_wakeup_fd(old_fd)
            for s, handler in old.items():
                signal.signal(s, handler)
            os.close(wake_r)
            os.close(wake_w)

    def _supervise(self, wake_r: int) -> int:
        while not self.stopping:
            select.select([wake_r], [], [], 1.0)
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 4096)
            for pid, status in self._reap():
                if self.stopping:
                    break
                self.out(f"tzsearch: worker {pid} ended ({_describe(status)})")
                now = time.monotonic()
                while self.restarts and now - self.restarts[0] > RESTART_WINDOW:
                    self.restarts.popleft()
                if len(self.restarts) >= MAX_RESTARTS:
                    self.out(f"tzsearch: workers ended {MAX_RESTARTS} times within {RESTART_WINDOW:.0f} s; stopping")
                    return 1
                self.restarts.append(now)
                self._spawn()
        return 0

    def _stop_all(self) -> None:
        for pid in list(self.pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while self.pids and time.monotonic() < deadline:
            self._reap()
            if self.pids:
                time.sleep(0.05)
        for pid in list(self.pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.pids.clear()


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
