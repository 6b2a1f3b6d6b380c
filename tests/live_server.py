"""The real site as a subprocess (``python -m webui``) on 127.0.0.1, for tests that need a live server.

:class:`LiveServer` starts it on a free port, reads its output in a thread (so a test can wait for a line
with a bounded timeout), sends requests with :mod:`http.client` (raw request lines too), and stops it
(SIGTERM, then SIGKILL) whatever happens in the test. Nothing here sleeps for a fixed time: every wait is
for a condition, with a deadline.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def stop_in_process(server: Any, thread: threading.Thread) -> None:
    """Stop a waitress server running in ``thread`` of this process: close the listener and every connection
    from the server's own loop (which then ends; closing them from another thread races its ``select``, which
    then fails on a closed descriptor), then its task threads."""
    server.trigger.pull_trigger(lambda: [d.close() for d in list(server._map.values())])
    thread.join(timeout=10)
    server.task_dispatcher.shutdown(timeout=10)


def wait_for(condition: Callable[[], Any], timeout: float, what: str, step: float = 0.02) -> Any:
    """Poll ``condition`` until it returns something true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


def process_gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie that nobody reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")


def clean_env(**settings: str) -> dict[str, str]:
    """This environment without the developer's ``TZSEARCH_*`` settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TZSEARCH_")}
    env.update(settings)
    return env


class LiveServer:
    """``python -m webui`` on 127.0.0.1 and a free port (use as a context manager)."""

    def __init__(self, index_dir: Path, workers: int = 2, threads: int = 4, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        self.cmd = [sys.executable, "-u", "-m", "webui", "--index", str(index_dir), "--host", "127.0.0.1",
                    "--port", "0", "--workers", str(workers), "--threads", str(threads), *args]
        self.env = env if env is not None else clean_env()
        self.workers = workers
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._eof = False
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0

    # ------------------------------------------------------------------------------------- life cycle
    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until every worker is ready; on any failure the server is stopped."""
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            m = self.wait_line(r"serving .* on http://127\.0\.0\.1:(\d+)/", timeout)
            self.port = int(m.group(1))
            wait_for(lambda: len(self.ready_pids()) >= self.workers, timeout, f"{self.workers} workers to be ready")
        except BaseException as exc:
            self.stop()
            if isinstance(exc, AssertionError):
                raise AssertionError(f"{exc}; output:\n{self.output()}") from None
            raise

    def _read(self) -> None:
        assert self.proc and self.proc.stdout
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def wait_line(self, pattern: str, timeout: float, start: int = 0) -> re.Match[str]:
        """The first output line (from index ``start``) matching ``pattern``, waiting at most ``timeout``."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    m = rx.search(line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    raise AssertionError(f"no output line matching {pattern!r}; output:\n" + "\n".join(self.lines))
                self._cond.wait(min(left, 0.5))

    def output(self) -> str:
        with self._cond:
            return "\n".join(self.lines)

    def _pids(self, what: str) -> list[int]:
        with self._cond:
            return [int(m.group(1)) for line in self.lines if (m := re.search(rf"worker (\d+) {what}", line))]

    def ready_pids(self) -> set[int]:
        """Workers that have said they are ready and have not been reported as ended."""
        return set(self._pids("ready")) - set(self._pids("ended"))

    def stop(self, timeout: float = 20.0) -> int | None:
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)
        if self.proc.stdout and not self._reader.is_alive():
            self.proc.stdout.close()
        return self.proc.returncode

    # ------------------------------------------------------------------------------------- requests
    def get(self, path: str, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """GET ``path`` (non-ASCII is percent-encoded) on a new connection: (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", quote(path, safe="/?&=%:#+,'\"()"))
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def raw(self, request_line: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """Send ``request_line`` exactly as given (raw bytes and all) and read the whole response."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict((k.strip().lower(), v.strip()) for k, _, v in (h.partition(":") for h in lines[1:]))
        return int(lines[0].split()[1]), headers, body
