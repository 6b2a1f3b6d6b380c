"""Serve the site with gunicorn: pre-forked worker processes, each with request threads, supervised.

Searches run in request threads, but the threads of one process share one interpreter lock, so a client that
loops an expensive query would slow down every request of its process. gunicorn (MIT) forks ``workers``
processes that all accept on one listening socket, each running ``threads`` request threads (its ``gthread``
worker); an idle worker takes the next connection. :func:`serve` hands it the socket ``python -m webui``
bound (so that a port in use is reported before anything starts) and sets:

* workers and threads from the settings; the index is opened in each worker after the fork (its memory maps
  are shared between workers through the page cache; the supervising process holds none of it);
* a worker that dies is restarted by gunicorn (one that cannot even start stops the server, status 3);
* a worker whose main loop stops answering for ``TIMEOUT`` seconds is killed and replaced (a slow search
  does not count: searches run in threads, and each has its own time budget);
* a request line of up to ``REQUEST_LINE`` bytes (gunicorn's maximum), so that a query of the longest length
  the site accepts reaches it, percent-encoded, with its filters;
* SIGTERM stops gracefully (requests in progress finish, at most ``STOP_GRACE`` seconds), SIGINT at once;
  SIGHUP replaces every worker gracefully (new workers first, then the old ones finish what they serve);
  workers end when the supervising process is gone, whatever ended it.

Where ``fork`` does not exist (Windows), the site is served by waitress in one process with the same threads.
Raw bytes in addresses are handled by the WSGI middleware of :mod:`webui.wsgi`, whatever the server.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

STOP_GRACE = 8
TIMEOUT = 120
#: The longest request line (method, address, protocol) gunicorn reads, in bytes. Its default, 4094, is
#: shorter than a query within the site's own limit: 500 characters (webui.params.MAX_QUERY) of Chinese are
#: 9 bytes each percent-encoded (统 is %E7%BB%9F), 4,500 bytes for ``q`` alone, and 4-byte characters (CJK
#: Extension B) 12 bytes each, 6,000 bytes; so 450 characters passed and 460 got gunicorn's own plain HTML
#: 400 instead of the site's answer. 8190 is the most gunicorn allows (0 would mean unlimited, which lets a
#: client send an endless line) and leaves about 2,000 bytes beyond the longest ``q`` for the filters.
#: waitress (platforms without fork) counts the request line in ``max_request_header_size``, 256 KiB by
#: default, so it accepts these addresses as they are.
REQUEST_LINE = 8190


def say(line: str) -> None:
    """Print one line to standard output in one write, so lines of several processes never interleave."""
    sys.stdout.flush()
    data = (line + "\n").encode(sys.stdout.encoding or "utf-8", "replace")
    with contextlib.suppress(OSError):
        while data:
            data = data[os.write(sys.stdout.fileno(), data):]


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


def _ended(server: Any, worker: Any) -> None:
    say(f"tzsearch: worker {worker.pid} ended")


def serve(app: Any, sock: socket.socket, workers: int, threads: int, warm: Callable[[], None]) -> int:
    """Serve ``app`` (a WSGI application) on the bound ``sock`` until stopped; returns the exit status.
    ``warm`` runs in each worker before it accepts connections (opens the index)."""
    if not hasattr(os, "fork"):
        return _serve_waitress(app, sock, threads, warm)
    from gunicorn.app.base import BaseApplication

    def ready(worker: Any) -> None:
        warm()
        say(f"tzsearch: worker {os.getpid()} ready")

    settings: dict[str, Any] = {
        "bind": [f"fd://{sock.fileno()}"], "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": TIMEOUT, "graceful_timeout": STOP_GRACE, "keepalive": 5, "proc_name": "tzsearch",
        "limit_request_line": REQUEST_LINE,
        "accesslog": None, "errorlog": "-", "loglevel": "warning", "preload_app": True,
        "post_fork": lambda server, worker: say(f"tzsearch: worker {worker.pid} started"),
        "post_worker_init": ready, "child_exit": _ended,
    }

    class Site(BaseApplication):  # gunicorn's documented way to embed it
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    master = os.getpid()
    try:
        Site().run()  # gunicorn's arbiter: returns only by SystemExit (in the workers too, when they end)
    except SystemExit as exc:
        if os.getpid() != master:
            raise
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _serve_waitress(app: Any, sock: socket.socket, threads: int, warm: Callable[[], None]) -> int:
    """One process with ``threads`` request threads (platforms without ``fork``)."""
    warm()
    say(f"tzsearch: worker {os.getpid()} ready")
    server = make_server(app, sock, threads)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        server.run()
    return 0


def make_server(app: Any, sock: socket.socket, threads: int) -> Any:
    """The waitress server of ``app`` on a listening socket. It reads on while a request runs (one request
    ahead), so it notices a client that hangs up and says so to the app (``waitress.client_disconnected``):
    an export then stops building."""
    from waitress.server import create_server

    return create_server(app, sockets=[sock], threads=threads, ident="tzsearch", channel_request_lookahead=1)
