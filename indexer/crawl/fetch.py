"""HTTP for the crawler: one GET, with every limit enforced while it runs.

:class:`Fetcher` makes single requests and never follows redirects itself: a 3xx comes back as a
:class:`Response` with its ``location``, and the crawler decides whether the next hop is a request it may make
(scope, robots.txt, address), exactly as for a link. For every request the fetcher

* waits until at least ``delay`` seconds (or the host's Crawl-delay) have passed since the last request to
  that host — hops, retries and robots.txt included;
* resolves the host and asks :class:`AddressPolicy` whether it may connect there (loopback, private,
  link-local and other non-public addresses are refused unless the crawl started on such an address), then
  connects to *that* address, so a second DNS answer cannot change where the request goes;
* limits each read (``timeout``), the whole response (``max_time``, enforced by a watchdog that closes the
  socket, so a server trickling a byte every few seconds is cut on time) and its size (``max_bytes``: a
  larger Content-Length is refused before reading, a longer body is cut as soon as it passes the cap);
* asks for an uncompressed body (``Accept-Encoding: identity``), so the byte cap is the size in memory.

Network faults, 5xx and truncated bodies are retried with back-off a bounded number of times; refusals and
limits are not. A request that yields no usable response returns status 0 with ``error`` saying why
(``truncated: …``, ``too large: …``, ``too slow: …``, ``refused: …``, ``network error: …``); it never raises
for what a server can do.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from indexer.extract.filetypes import MAX_BYTES

#: Statuses whose Location is the next hop.
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_TARGET_SAFE = "!#$%&'()*+,/:;=?@[]~"

Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """The fetcher may not connect to this host; the message says why."""


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(ip: str) -> str | None:
    """Why a crawler must not connect to ``ip`` uninvited (loopback, private…), or None for a public one."""
    try:
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return f"not an IP address: {ip}"
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(addr, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {ip}"
    if not addr.is_global:
        return f"non-public address {ip}"
    return None


class AddressPolicy:
    """Where the fetcher may connect: public addresses, and others only when the crawl started on one.

    ``resolve`` (host, port → addresses) and :meth:`refusal` are the two seams tests replace to give a
    public-looking name to a server on 127.0.0.1."""

    def __init__(self, resolve: Resolver | None = None) -> None:
        self._resolve = resolve or _system_resolve

    def resolve(self, host: str, port: int) -> list[str]:
        return self._resolve(host, port)

    def refusal(self, host: str, ip: str) -> str | None:
        """Why ``host`` at ``ip`` is not public (see :func:`address_refusal`), or None."""
        return address_refusal(ip)

    def is_private(self, host: str, port: int) -> bool:
        """Whether ``host`` resolves to an address that is not public (a start URL on an intranet)."""
        try:
            return any(self.refusal(host, ip) for ip in self.resolve(host, port))
        except OSError:
            return False

    def connect_address(self, host: str, port: int, allow_private: bool) -> str:
        """The address to connect to; :class:`Refused` when every address is off limits,
        ``OSError`` when the name does not resolve."""
        addresses = self.resolve(host, port)
        if not addresses:
            raise OSError(f"no address for {host}")
        if allow_private:
            return addresses[0]
        reasons = []
        for ip in addresses:
            reason = self.refusal(host, ip)
            if reason is None:
                return ip
            reasons.append(reason)
        raise Refused(f"refused: {host} is at a {reasons[0]} (only a crawl started there may go there)")


@dataclass
class Response:
    """One request's outcome: status 0 with ``error`` when there is no usable response."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    retryable: bool = False

    @property
    def location(self) -> str | None:
        """The redirect target as sent (relative or absolute), for a 3xx."""
        return self.headers.get("location") if self.status in REDIRECTS else None


class _Cut(Exception):
    def __init__(self, reason: str, retryable: bool = False) -> None:
        super().__init__(reason)
        self.retryable = retryable


class _Connection(http.client.HTTPConnection):
    """HTTP to an address already checked; ``host`` still names the site (Host header)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _TLSConnection(http.client.HTTPSConnection):
    """HTTPS to an address already checked; the certificate is verified against ``host``."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


class _Watchdog:
    """Closes a connection's socket when a response has taken ``seconds`` in all."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float) -> None:
        self.conn = conn
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        sock = self.conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return quote(target, safe=_TARGET_SAFE)


class Fetcher:
    """Single GET requests with a User-Agent, per-host spacing, limits and bounded retries (see module)."""

    def __init__(self, user_agent: str, delay: float, timeout: float = 15.0, retries: int = 2,
                 backoff: float = 0.5, max_time: float = 60.0, max_bytes: int = MAX_BYTES,
                 policy: AddressPolicy | None = None) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_time = max_time
        self.max_bytes = max_bytes
        self.policy = policy or AddressPolicy()
        self.tls = ssl.create_default_context()
        self.last: dict[str, float] = {}
        self.host_delay: dict[str, float] = {}

    def wait(self, host: str) -> None:
        """Sleep until this host may be asked again, and mark the request as made now."""
        gap = max(self.delay, self.host_delay.get(host, 0.0))
        wait = self.last.get(host, -1e9) + gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last[host] = time.monotonic()

    def address_refusal(self, url: str, allow_private: bool = False) -> str | None:
        """Why the fetcher would refuse to connect for ``url`` (checked again at each request), or None."""
        parts = urlsplit(url)
        try:
            self.policy.connect_address(parts.hostname or "", _port(parts.scheme, parts.port), allow_private)
        except Refused as exc:
            return str(exc)
        except (OSError, ValueError):
            return None  # a name that does not resolve is a network error when fetched
        return None

    def get(self, url: str, headers: dict[str, str] | None = None, *, allow_private: bool = False,
            max_bytes: int | None = None) -> Response:
        """GET ``url`` once, retrying network faults, truncation and 5xx with back-off."""
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self.wait(host)
            resp = self._attempt(url, headers or {}, allow_private, max_bytes or self.max_bytes)
            retry = resp.retryable or resp.status >= 500
            if not retry or attempt >= self.retries:
                return resp
            attempt += 1
            time.sleep(self.backoff * 2 ** (attempt - 1))

    def _attempt(self, url: str, headers: dict[str, str], allow_private: bool, max_bytes: int) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Response(url, 0, error=f"not an http(s) URL: {url[:80]}")
        try:
            port = _port(parts.scheme, parts.port)
            host = parts.hostname.encode("idna").decode("ascii")
            address = self.policy.connect_address(host, port, allow_private)
        except Refused as exc:
            return Response(url, 0, error=str(exc))
        except (OSError, ValueError, UnicodeError) as exc:
            return Response(url, 0, error=f"network error: cannot resolve {parts.hostname}: {exc}", retryable=True)
        timeout = min(self.timeout, self.max_time)
        conn: http.client.HTTPConnection = (
            _TLSConnection(host, port, address, timeout, self.tls) if parts.scheme == "https"
            else _Connection(host, port, address, timeout))
        body = bytearray()
        deadline = time.monotonic() + self.max_time
        with _Watchdog(conn, self.max_time) as watchdog:
            try:
                resp = self._exchange(conn, url, headers, max_bytes, deadline, body)
                if watchdog.fired:  # the socket was closed under a body that had no length to check
                    raise _Cut(self._too_slow(body))
                return resp
            except _Cut as exc:
                return Response(url, 0, error=str(exc), retryable=exc.retryable)
            except (http.client.HTTPException, OSError) as exc:
                return self._failure(url, exc, watchdog.fired, body)
            finally:
                conn.close()

    def _exchange(self, conn: http.client.HTTPConnection, url: str, headers: dict[str, str], max_bytes: int,
                  deadline: float, body: bytearray) -> Response:
        conn.request("GET", _request_target(url), headers={"User-Agent": self.user_agent, **headers})
        resp = conn.getresponse()
        got = {k.lower(): v for k, v in resp.getheaders()}
        if resp.status != 200:
            return Response(url, resp.status, b"", got)
        length = got.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _Cut(f"too large: Content-Length {length} bytes (limit {max_bytes})")
        while chunk := resp.read1(_CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise _Cut(f"too large: more than {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise _Cut(self._too_slow(body))
        if length.isdigit() and len(body) < int(length):  # read1 returns b"" at a premature end; read() raised
            raise http.client.IncompleteRead(bytes(body), int(length) - len(body))
        return Response(url, 200, bytes(body), got)

    def _too_slow(self, body: bytearray) -> str:
        return f"too slow: not complete after {self.max_time:g} s ({len(body)} bytes read)"

    def _failure(self, url: str, exc: Exception, timed_out: bool, body: bytearray) -> Response:
        if timed_out:
            return Response(url, 0, error=self._too_slow(body))
        if isinstance(exc, http.client.IncompleteRead) or (body and isinstance(exc, ConnectionError)):
            return Response(url, 0, error=f"truncated: connection closed after {len(body)} bytes of the body",
                            retryable=True)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return Response(url, 0, error=f"TLS error: {exc.verify_message or exc}")
        if isinstance(exc, http.client.HTTPException) and not isinstance(exc, ConnectionError):
            return Response(url, 0, error=f"bad response: {type(exc).__name__} {str(exc)[:80]}")
        if isinstance(exc, TimeoutError):
            return Response(url, 0, error=f"network error: timed out (no data for {self.timeout:g} s)",
                            retryable=True)
        reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
        return Response(url, 0, error=f"network error: {reason[:120]}", retryable=True)


def _port(scheme: str, port: int | None) -> int:
    return port or (443 if scheme == "https" else 80)
