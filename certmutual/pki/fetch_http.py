"""Bounded HTTP for revocation data: GET and POST over http:// and https:// with hard limits.

Everything that can go wrong is a :class:`FetchOutcome` in an :class:`HttpResult`; no exception
leaves :meth:`HttpClient.get` or :meth:`HttpClient.post` for anything the network or the server does.

Bounds, all enforced by the client whatever the server does:

- **time**: one request (DNS, connect, TLS, headers, body, and any redirects) ends within ``timeout``
  seconds, or earlier at the caller's ``deadline`` (a :func:`time.monotonic` instant). The exchange
  runs on a short-lived daemon thread; the caller waits for it at most until the end and then shuts
  the socket down, so neither a slow resolver nor a server trickling one byte at a time can hold
  the caller longer.
- **size**: a body larger than ``max_bytes`` is refused: at once when Content-Length says so,
  otherwise after reading at most ``max_bytes + 1`` bytes.
- **where**: only ``http`` and ``https`` URLs; at most ``max_redirects`` redirects, never to another
  scheme (no https -> http downgrade, no file:, ftp: or data:); a POST follows only 307/308.

Not done here: proxies (the environment's ``http_proxy`` is ignored), cookies, authentication,
content decoding (``Accept-Encoding: identity`` is sent), and any check of what the body means.
"""

from __future__ import annotations

import enum
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from certmutual.errors import UsageError

ALLOWED_SCHEMES = ("http", "https")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_USER_AGENT = "certmutual-revocation/0.1"


class FetchOutcome(enum.Enum):
    """What one fetch attempt came to. The first three carry data; every other one is a failure."""

    OK = "ok"
    """Data obtained that looks usable (parsed, current, about this certificate)."""
    STALE = "stale"
    """Data obtained but outside its thisUpdate..nextUpdate window; returned anyway."""
    UNSUITABLE = "unsuitable"
    """Data obtained that cannot answer for this certificate: a CRL of another issuer, an OCSP
    error status (tryLater...), no SingleResponse for it, or certStatus unknown. Returned anyway."""
    MALFORMED = "malformed"
    """The body is not a CRL / OCSP response."""
    HTTP_STATUS = "http_status"
    """The server answered with a status other than 200 (or a redirect without Location)."""
    TOO_LARGE = "too_large"
    """The body is larger than the configured maximum."""
    TIMEOUT = "timeout"
    """The request did not complete within the per-request timeout."""
    DEADLINE = "deadline"
    """The overall deadline of the gather ended the request, or left no time to start it."""
    CONNECTION_ERROR = "connection_error"
    """DNS, connect, TLS or a connection closed before the whole body arrived."""
    REFUSED_SCHEME = "refused_scheme"
    """A URL (or a redirect target) with a scheme other than http/https, or a scheme change."""
    TOO_MANY_REDIRECTS = "too_many_redirects"
    """More redirects than allowed (a loop, say)."""
    INVALID_URL = "invalid_url"
    """A URL that cannot be requested (no host, bad port, characters HTTP cannot carry)."""

    @property
    def obtained(self) -> bool:
        """Whether data came back (usable or not)."""
        return self in (FetchOutcome.OK, FetchOutcome.STALE, FetchOutcome.UNSUITABLE)


@dataclass(frozen=True)
class HttpResult:
    """The end of one request: an outcome, and the body when the outcome is ``OK``."""

    outcome: FetchOutcome
    url: str
    """The URL last asked (after redirects)."""
    status: int | None = None
    """The last HTTP status received, if any."""
    body: bytes | None = None
    detail: str = ""


class HttpClient:
    """Bounded HTTP GET/POST. Thread-safe; one instance may serve many threads.

    ``timeout`` bounds each request from start to last byte (redirects included); ``max_redirects``
    how many redirects are followed; ``tls`` the context for https (default: the system trust store
    with hostname checking).
    """

    def __init__(self, *, timeout: float = 5.0, max_redirects: int = 3, tls: ssl.SSLContext | None = None) -> None:
        if timeout <= 0 or max_redirects < 0:
            raise UsageError("timeout must be positive and max_redirects not negative")
        self.timeout = timeout
        self.max_redirects = max_redirects
        self._tls = tls
        self._tls_lock = threading.Lock()

    def get(self, url: str, *, max_bytes: int, deadline: float | None = None, accept: str = "*/*") -> HttpResult:
        """GET ``url``. ``deadline`` is a :func:`time.monotonic` instant that also ends the request."""
        return self._request("GET", url, None, {"Accept": accept}, max_bytes, deadline)

    def post(
        self, url: str, body: bytes, *, content_type: str, max_bytes: int, deadline: float | None = None, accept: str = "*/*",
    ) -> HttpResult:
        """POST ``body`` to ``url`` as ``content_type``; otherwise as :meth:`get`."""
        return self._request("POST", url, body, {"Accept": accept, "Content-Type": content_type}, max_bytes, deadline)

    # -- one request ---------------------------------------------------------------------------

    def _request(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], max_bytes: int, deadline: float | None,
    ) -> HttpResult:
        refused = check_url(url)
        if refused is not None:
            return refused
        start = time.monotonic()
        end = start + self.timeout
        by_deadline = deadline is not None and deadline < end
        if deadline is not None and by_deadline:
            end = deadline
        if end <= start:
            return HttpResult(FetchOutcome.DEADLINE, url, detail="no time left before the deadline")
        exchange = _Exchange(end)
        headers = {**headers, "User-Agent": _USER_AGENT, "Accept-Encoding": "identity", "Connection": "close"}
        worker = threading.Thread(
            target=self._run, args=(exchange, method, url, body, headers, max_bytes), name="certmutual-fetch", daemon=True)
        worker.start()
        finished = exchange.done.wait(max(0.0, end - time.monotonic()))
        result = exchange.result if finished else None
        if result is None:
            exchange.abort()
            result = HttpResult(FetchOutcome.TIMEOUT, url, detail=f"no complete answer within {end - start:.2f} s")
        if result.outcome is FetchOutcome.TIMEOUT and by_deadline:
            result = HttpResult(FetchOutcome.DEADLINE, result.url, result.status, None, f"overall deadline: {result.detail}")
        return result

    def _run(self, exchange: _Exchange, method: str, url: str, body: bytes | None, headers: dict[str, str], max_bytes: int) -> None:
        try:
            exchange.result = self._follow(exchange, method, url, body, headers, max_bytes)
        except BaseException as exc:  # a worker thread must report, never die silently
            exchange.result = HttpResult(FetchOutcome.CONNECTION_ERROR, url, detail=f"unexpected {type(exc).__name__}: {exc}")
        finally:
            exchange.close()
            exchange.done.set()

    def _follow(
        self, exchange: _Exchange, method: str, url: str, body: bytes | None, headers: dict[str, str], max_bytes: int,
    ) -> HttpResult:
        scheme = urlsplit(url).scheme.lower()
        for hop in range(self.max_redirects + 1):
            status, location, result = self._exchange_once(exchange, method, url, body, headers, max_bytes)
            if result is not None:
                return result
            if hop == self.max_redirects:
                break
            target = urljoin(url, location)
            refused = check_url(target)
            if refused is not None:
                return HttpResult(refused.outcome, target, status, None, f"redirect from {url}: {refused.detail}")
            if urlsplit(target).scheme.lower() != scheme:
                return HttpResult(FetchOutcome.REFUSED_SCHEME, target, status, None,
                                  f"redirect from {url} changes the scheme; redirects never leave {scheme}")
            url = target
        return HttpResult(FetchOutcome.TOO_MANY_REDIRECTS, url, None, None, f"more than {self.max_redirects} redirects")

    def _exchange_once(
        self, exchange: _Exchange, method: str, url: str, body: bytes | None, headers: dict[str, str], max_bytes: int,
    ) -> tuple[int | None, str, HttpResult | None]:
        """One HTTP exchange: (status, redirect location, None) to follow a redirect, else a result."""
        status: int | None = None
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
            https = parts.scheme.lower() == "https"
            port = parts.port or (443 if https else 80)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection = _Connection(host, port, exchange, self._context() if https else None)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                status = response.status
                if status in _REDIRECTS:
                    location = response.getheader("Location")
                    if not location:
                        return status, "", HttpResult(FetchOutcome.HTTP_STATUS, url, status, None, f"HTTP {status} without Location")
                    if method == "POST" and status not in (307, 308):
                        return status, "", HttpResult(FetchOutcome.HTTP_STATUS, url, status, None,
                                                      f"HTTP {status} would turn the POST into a GET; not followed")
                    return status, location, None
                if status != 200:
                    return status, "", HttpResult(FetchOutcome.HTTP_STATUS, url, status, None, f"HTTP {status} {response.reason}")
                return status, "", _read_body(exchange, response, url, max_bytes)
            finally:
                connection.close()
        except TimeoutError as exc:
            return status, "", HttpResult(FetchOutcome.TIMEOUT, url, status, None, f"timed out: {exc}")
        except http.client.InvalidURL as exc:
            return status, "", HttpResult(FetchOutcome.INVALID_URL, url, status, None, f"{type(exc).__name__}: {exc}")
        except (OSError, http.client.HTTPException) as exc:  # TLS errors included (ssl.SSLError is an OSError)
            if exchange.aborted:
                return status, "", HttpResult(FetchOutcome.TIMEOUT, url, status, None, "aborted at the time limit")
            return status, "", HttpResult(FetchOutcome.CONNECTION_ERROR, url, status, None, f"{type(exc).__name__}: {exc}")
        except ValueError as exc:  # characters HTTP cannot carry, a host IDNA cannot encode
            return status, "", HttpResult(FetchOutcome.INVALID_URL, url, status, None, f"{type(exc).__name__}: {exc}")

    def _context(self) -> ssl.SSLContext:
        with self._tls_lock:
            if self._tls is None:
                self._tls = ssl.create_default_context()
            return self._tls


def check_url(url: str) -> HttpResult | None:
    """A refusal for a URL the client will not request (scheme, no host, bad port), else None."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            return HttpResult(FetchOutcome.REFUSED_SCHEME, url, detail=f"scheme {scheme or '(none)'!r} refused; only http and https are fetched")
        parts.port  # raises ValueError for a bad port
        if not parts.hostname:
            return HttpResult(FetchOutcome.INVALID_URL, url, detail="URL has no host")
    except ValueError as exc:
        return HttpResult(FetchOutcome.INVALID_URL, url, detail=f"unreadable URL: {exc}")
    return None


def _read_body(exchange: _Exchange, response: http.client.HTTPResponse, url: str, max_bytes: int) -> HttpResult:
    announced = response.getheader("Content-Length")
    expected: int | None = None
    if announced is not None and announced.strip().isdigit():
        expected = int(announced)
        if expected > max_bytes:
            return HttpResult(FetchOutcome.TOO_LARGE, url, 200, None, f"Content-Length {expected} exceeds the limit of {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        exchange.refresh_timeout()
        chunk = response.read1(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return HttpResult(FetchOutcome.TOO_LARGE, url, 200, None, f"body exceeds the limit of {max_bytes} bytes")
    if expected is not None and size < expected:
        return HttpResult(FetchOutcome.CONNECTION_ERROR, url, 200, None, f"connection closed after {size} of {expected} bytes")
    return HttpResult(FetchOutcome.OK, url, 200, b"".join(chunks), f"{size} bytes")


class _Exchange:
    """One request's shared state between the caller and its worker thread: the end instant, the
    sockets opened (so the caller can shut them down), the result."""

    def __init__(self, end: float) -> None:
        self.end = end
        self.done = threading.Event()
        self.result: HttpResult | None = None
        self.aborted = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("time limit reached")
        return left

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            if self.aborted:
                raise TimeoutError("aborted at the time limit")
            self._sockets.append(sock)

    def refresh_timeout(self) -> None:
        """Bound the next socket operation by the time left."""
        left = self.remaining()
        with self._lock:
            current = self._sockets[-1] if self._sockets else None
        if current is not None:
            current.settimeout(left)

    def open(self, host: str, port: int) -> socket.socket:
        """socket.create_connection, with every socket tracked so that :meth:`abort` reaches it."""
        error: OSError | None = None
        for family, kind, proto, _, address in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            sock = socket.socket(family, kind, proto)
            try:
                self.track(sock)
                sock.settimeout(self.remaining())
                sock.connect(address)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
                if isinstance(exc, TimeoutError) or self.aborted:
                    raise
        raise error if error is not None else OSError(f"{host} resolves to no address")

    def abort(self) -> None:
        """Called by the caller at the time limit: shut every socket down so the worker's blocked
        read returns at once."""
        with self._lock:
            self.aborted = True
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the raw fd, also under TLS
            except OSError:
                pass

    def close(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.close()
            except OSError:
                pass


class _Connection(http.client.HTTPConnection):
    """An HTTP connection whose socket (and TLS layer, for https) is opened through the exchange."""

    def __init__(self, host: str, port: int, exchange: _Exchange, tls: ssl.SSLContext | None) -> None:
        super().__init__(host, port, timeout=max(exchange.end - time.monotonic(), 0.001))
        self._exchange = exchange
        self._tls_context = tls

    def connect(self) -> None:
        sock = self._exchange.open(self.host, self.port)
        if self._tls_context is not None:
            wrapped = self._tls_context.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
            self._exchange.track(wrapped)
            wrapped.settimeout(self._exchange.remaining())
            wrapped.do_handshake()
            sock = wrapped
        self.sock = sock
