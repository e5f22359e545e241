"""Gathering revocation data from the network: CRLs and OCSP responses, with caches and hard bounds.

The façade runs a :class:`RevocationSource` *before* validation ("fetch first, then validate in pure
code"): :meth:`RevocationSource.gather` returns plain :class:`RevocationData` that the revocation
decision reads. Nothing here decides whether a certificate is revoked or verifies a signature: the
only judgements are the ones needed to gather well, namely whether data *looks* usable (parses, is
about the certificate, is current), so that the second source is skipped when the first answered.

Failures never raise: every URL tried is a :class:`FetchAttempt` with a :class:`FetchOutcome`.
Misuse (a naive ``at``, a bad configuration) raises :class:`certmutual.errors.UsageError`.
"""

from __future__ import annotations

import base64
import datetime
import enum
import secrets
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import quote

from certmutual.errors import MalformedInput, UsageError
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.fetch_cache import CachedCrl, CachedOcsp, DiskCache, MemoryCache, parse_crl, read_ocsp
from certmutual.pki.fetch_http import FetchOutcome, HttpClient, HttpResult, check_url
from certmutual.pki import ocsp as _ocsp

__all__ = [
    "FetchAttempt", "FetchKind", "FetchOutcome", "HttpClient", "HttpResult", "RevocationConfig", "RevocationData",
    "RevocationMode", "RevocationOrder", "RevocationSource", "crl_urls",
]

UTC = datetime.timezone.utc
KiB = 1024
MiB = 1024 * KiB
_OCSP_GET_LIMIT = 255  # RFC 5019 §5: GET when the encoded request is shorter than this


class RevocationOrder(enum.Enum):
    """Which source is asked first for each certificate; the second only when the first fails."""

    OCSP_FIRST = "ocsp-first"
    CRL_FIRST = "crl-first"


class RevocationMode(enum.Enum):
    """What the decision does when no usable data was gathered: ``hard-fail`` rejects
    (``revocation_unknown``), ``soft-fail`` accepts with a warning. The fetcher only carries it."""

    SOFT_FAIL = "soft-fail"
    HARD_FAIL = "hard-fail"


class FetchKind(enum.Enum):
    CRL = "crl"
    OCSP = "ocsp"


@dataclass(frozen=True)
class RevocationConfig:
    """How revocation data is gathered. All bounds are hard (see :mod:`certmutual.pki.fetch_http`)."""

    order: RevocationOrder = RevocationOrder.OCSP_FIRST
    mode: RevocationMode = RevocationMode.HARD_FAIL
    """Carried for the decision code; the fetcher gathers the same way in both modes."""
    timeout: float = 5.0
    """Seconds for one request, from DNS to last byte, redirects included."""
    deadline: float = 15.0
    """Seconds for one whole :meth:`RevocationSource.gather`."""
    max_crl_bytes: int = 20 * MiB
    max_ocsp_bytes: int = 64 * KiB
    cache_dir: Path | None = None
    """Where fetched CRLs and OCSP responses are kept between processes (None: memory only)."""
    fetch_ocsp: bool = True
    fetch_crl: bool = True
    max_redirects: int = 3
    ocsp_get: bool = False
    """Ask OCSP with GET (RFC 6960 Appendix A.1) when the encoded request is short enough; else POST."""
    ocsp_nonce: bool = False
    """Send a random nonce (RFC 8954). The response is cached all the same; checking the echo is the
    decision code's business."""
    ocsp_hash: str = "sha1"
    """CertID hash: "sha1" (what responders expect), "sha256" or "sm3"."""
    memory_cache_bytes: int = 64 * MiB
    """Approximate bound on what the in-memory cache holds."""

    def __post_init__(self) -> None:
        if not isinstance(self.order, RevocationOrder) or not isinstance(self.mode, RevocationMode):
            raise UsageError("order and mode must be RevocationOrder and RevocationMode members")
        if self.timeout <= 0 or self.deadline <= 0:
            raise UsageError("timeout and deadline must be positive")
        if min(self.max_crl_bytes, self.max_ocsp_bytes) <= 0 or self.max_redirects < 0 or self.memory_cache_bytes < 0:
            raise UsageError("size limits must be positive and max_redirects not negative")
        if self.ocsp_hash not in _ocsp.HASH_ALGORITHMS:
            raise UsageError(f"unknown OCSP CertID hash {self.ocsp_hash!r}")


@dataclass(frozen=True)
class FetchAttempt:
    """One URL asked (or answered from the cache) for one certificate."""

    url: str
    kind: FetchKind
    outcome: FetchOutcome
    from_cache: bool
    seconds: float
    """Wall time this attempt took (waiting for a concurrent fetch of the same URL included)."""
    fetched_at: datetime.datetime
    """When the data was fetched from the network (for cached data: originally), or when it was tried."""
    certificate: str
    """SHA-256 (hex) of the certificate the attempt was for."""
    status: int | None = None
    """The HTTP status, when one was received."""
    detail: str = ""


@dataclass(frozen=True)
class RevocationData:
    """What a gather found: the input of the revocation decision. Plain data, shareable."""

    crls: tuple[CertificateList, ...] = ()
    ocsp: tuple[tuple[str, bytes], ...] = ()
    """(certificate SHA-256 hex, OCSP response DER) pairs, not verified here."""
    attempts: tuple[FetchAttempt, ...] = ()

    def ocsp_for(self, cert: Certificate) -> tuple[bytes, ...]:
        return tuple(response for sha256, response in self.ocsp if sha256 == cert.sha256)

    def attempts_for(self, cert: Certificate) -> tuple[FetchAttempt, ...]:
        return tuple(attempt for attempt in self.attempts if attempt.certificate == cert.sha256)


def crl_urls(cert: Certificate) -> list[str]:
    """Every URI fullName of ``cert``'s cRLDistributionPoints, in order (whatever the scheme)."""
    urls: list[str] = []
    for point in cert.crl_distribution_points or []:
        name = point["distribution_point"]
        if name.native is None or name.name != "full_name":
            continue
        for general_name in name.chosen:
            if general_name.name == "uniform_resource_identifier":
                urls.append(str(general_name.native))
    return urls


T = TypeVar("T")


class _Flight(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None


class _SingleFlight(Generic[T]):
    """Concurrent calls with one key share the first caller's work (and its result, failure too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[Hashable, _Flight[T]] = {}

    def run(self, key: Hashable, end: float, work: Callable[[], T]) -> tuple[T | None, bool]:
        """(result, shared). The result is None when waiting for another caller ran past ``end``."""
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leader:
            flight.done.wait(max(0.0, end - time.monotonic()))
            return flight.value, True
        try:
            flight.value = work()
            return flight.value, False
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()


@dataclass(frozen=True)
class _Fetched:
    result: HttpResult
    fetched_at: datetime.datetime
    item: CachedCrl | CachedOcsp | None = None


@dataclass
class _Gathering:
    """One gather's inputs and what it has found so far."""

    at: datetime.datetime
    end: float
    attempts: list[FetchAttempt] = field(default_factory=list)
    crls: dict[str, CertificateList] = field(default_factory=dict)
    responses: list[tuple[str, bytes]] = field(default_factory=list)

    def keep(self, cert: Certificate, item: CachedCrl | CachedOcsp) -> None:
        if isinstance(item, CachedCrl):
            self.crls.setdefault(item.crl.sha256, item.crl)
        elif (cert.sha256, item.der) not in self.responses:
            self.responses.append((cert.sha256, item.der))


class RevocationSource:
    """Gathers CRLs and OCSP responses for a chain, with bounded requests and caches.

    One instance is meant to be shared (a gateway's threads): it is thread-safe, and concurrent
    gathers that need the same URL share one fetch. ``clock`` gives "now" for cache freshness and
    for the times recorded in attempts (default: ``datetime.now(UTC)``); ``http`` replaces the
    bounded client built from ``config``.
    """

    def __init__(
        self,
        config: RevocationConfig | None = None,
        clock: Callable[[], datetime.datetime] | None = None,
        *,
        http: HttpClient | None = None,
    ) -> None:
        self.config = config if config is not None else RevocationConfig()
        self._clock = clock if clock is not None else (lambda: datetime.datetime.now(UTC))
        self._http = http if http is not None else HttpClient(timeout=self.config.timeout, max_redirects=self.config.max_redirects)
        self._memory = MemoryCache(self.config.memory_cache_bytes)
        self._disk = DiskCache(self.config.cache_dir) if self.config.cache_dir is not None else None
        self._flights: _SingleFlight[_Fetched] = _SingleFlight()

    def gather(self, chain: Sequence[Certificate], at: datetime.datetime) -> RevocationData:
        """Revocation data for every certificate of ``chain`` below the anchor (leaf first, anchor last).

        For each certificate the sources are asked in ``config.order``; the second is asked only
        when the first gave nothing that looks usable. Within a source, the certificate's URLs are
        tried in order until one gives usable-looking data: parsed, about the certificate, current
        now (the clock) and not past its nextUpdate at ``at``. Stale or unsuitable data is returned
        too (the decision code says why it cannot be used). Returns within ``config.deadline``
        seconds (plus scheduling noise); never raises for anything the network or a server does.
        Raises :class:`UsageError` for a naive ``at``.
        """
        if at.tzinfo is None:
            raise UsageError("the validation time must be timezone-aware")
        gathering = _Gathering(at, time.monotonic() + self.config.deadline)
        kinds = [FetchKind.OCSP, FetchKind.CRL] if self.config.order is RevocationOrder.OCSP_FIRST else [FetchKind.CRL, FetchKind.OCSP]
        kinds = [kind for kind in kinds if (self.config.fetch_ocsp if kind is FetchKind.OCSP else self.config.fetch_crl)]
        for cert, issuer in zip(chain, chain[1:]):
            for kind in kinds:
                if self._gather_one(kind, cert, issuer, gathering):
                    break
        return RevocationData(tuple(gathering.crls.values()), tuple(gathering.responses), tuple(gathering.attempts))

    def _gather_one(self, kind: FetchKind, cert: Certificate, issuer: Certificate, gathering: _Gathering) -> bool:
        """Try ``cert``'s URLs of ``kind`` in order; True at the first usable-looking answer."""
        try:
            urls = crl_urls(cert) if kind is FetchKind.CRL else _ocsp.ocsp_urls(cert)
        except MalformedInput as exc:  # AIA is parsed at load, so only defensive
            gathering.attempts.append(self._failed("", kind, cert, HttpResult(FetchOutcome.MALFORMED, "", detail=str(exc)), 0.0))
            return False
        for url in urls:
            refused = check_url(url)
            if refused is not None:
                gathering.attempts.append(self._failed(url, kind, cert, refused, 0.0))
            elif self._from_url(kind, url, cert, issuer, gathering):
                return True
        return False

    def _from_url(self, kind: FetchKind, url: str, cert: Certificate, issuer: Certificate, gathering: _Gathering) -> bool:
        """Answer from the cache while current, else fetch (sharing a concurrent fetch of the same
        thing); a failed refetch falls back on the cached copy, however stale."""
        started = time.monotonic()
        now = self._clock()
        key: tuple[str, ...] = ("crl", url) if kind is FetchKind.CRL else ("ocsp", cert.sha256, url)
        cached = self._cached(key, kind, url, cert, issuer, now)
        if cached is not None and cached.current(now):
            return self._use(kind, cached, url, cert, None, started, "", gathering, now)
        fetched, shared = self._flights.run(key, gathering.end, lambda: self._download(key, kind, url, cert, issuer, gathering.end))
        note = "; shared a concurrent fetch" if shared else ""
        if fetched is not None and fetched.item is not None:
            return self._use(kind, fetched.item, url, cert, fetched.result.status, started, note, gathering, now)
        if fetched is None:
            result = HttpResult(FetchOutcome.DEADLINE, url, detail="the deadline passed while a concurrent fetch of this URL ran")
        else:
            result = replace(fetched.result, detail=fetched.result.detail + note)
        gathering.attempts.append(self._failed(url, kind, cert, result, time.monotonic() - started))
        if cached is not None:  # the stale copy, for the decision code to call stale
            self._use(kind, cached, url, cert, None, time.monotonic(), "; refetch failed", gathering, now)
        return False

    def _use(
        self, kind: FetchKind, item: CachedCrl | CachedOcsp, url: str, cert: Certificate, status: int | None, started: float,
        note: str, gathering: _Gathering, now: datetime.datetime,
    ) -> bool:
        """Record an attempt that obtained ``item`` (from the network when ``status`` is set, else
        from the cache) and keep the item; True when it looks usable."""
        outcome, detail = item.judge(cert, gathering.at, now)
        gathering.attempts.append(FetchAttempt(url, kind, outcome, status is None, time.monotonic() - started, item.fetched_at,
                                               cert.sha256, status, detail + note))
        gathering.keep(cert, item)
        return outcome is FetchOutcome.OK

    def _cached(
        self, key: tuple[str, ...], kind: FetchKind, url: str, cert: Certificate, issuer: Certificate, now: datetime.datetime,
    ) -> CachedCrl | CachedOcsp | None:
        """The memory entry; the disk file instead when the memory has nothing current and the file
        holds something newer."""
        cached = self._memory.get(key)
        if not isinstance(cached, (CachedCrl, CachedOcsp)):
            cached = None
        if (cached is not None and cached.current(now)) or self._disk is None:
            return cached
        loaded = self._disk.read(self._path(kind, url, cert), self._limit(kind))
        if loaded is None:
            return cached
        item: CachedCrl | CachedOcsp | None
        if kind is FetchKind.CRL:
            crl = parse_crl(loaded[0])
            item = CachedCrl(crl, loaded[1]) if crl is not None else None
        else:
            item = read_ocsp(loaded[0], cert, issuer, loaded[1])
        if item is None or not item.cacheable or (cached is not None and not item.newer_than(cached)):
            return cached
        self._memory.put(key, item, item.size)
        return item

    def _download(
        self, key: tuple[str, ...], kind: FetchKind, url: str, cert: Certificate, issuer: Certificate, end: float,
    ) -> _Fetched:
        fetched_at = self._clock()
        limit = self._limit(kind)
        if kind is FetchKind.CRL:
            result = self._http.get(url, max_bytes=limit, deadline=end, accept="application/pkix-crl")
        else:
            try:
                nonce = secrets.token_bytes(16) if self.config.ocsp_nonce else None
                request = _ocsp.build_request(cert, issuer, nonce=nonce, hash_algorithm=self.config.ocsp_hash)
            except (MalformedInput, UsageError) as exc:  # an issuer key that cannot be hashed
                return _Fetched(HttpResult(FetchOutcome.MALFORMED, url, detail=f"cannot build an OCSP request: {exc}"), fetched_at)
            encoded = quote(base64.b64encode(request).decode("ascii"), safe="")
            if self.config.ocsp_get and len(encoded) < _OCSP_GET_LIMIT:  # RFC 6960 Appendix A.1
                result = self._http.get(f"{url.rstrip('/')}/{encoded}", max_bytes=limit, deadline=end,
                                        accept="application/ocsp-response")
            else:
                result = self._http.post(url, request, content_type="application/ocsp-request", max_bytes=limit, deadline=end,
                                         accept="application/ocsp-response")
        if result.outcome is not FetchOutcome.OK or result.body is None:
            return _Fetched(result, fetched_at)
        item: CachedCrl | CachedOcsp | None
        if kind is FetchKind.CRL:
            crl = parse_crl(result.body)
            item = CachedCrl(crl, fetched_at) if crl is not None else None
        else:
            item = read_ocsp(result.body, cert, issuer, fetched_at)
        if item is None:
            what = "a CRL" if kind is FetchKind.CRL else "an OCSP response"
            return _Fetched(replace(result, outcome=FetchOutcome.MALFORMED, body=None, detail=f"the body is not {what}"), fetched_at)
        if item.cacheable:
            self._memory.put(key, item, item.size)
            if self._disk is not None:
                self._disk.write(self._path(kind, url, cert), item.der, fetched_at)
        return _Fetched(result, fetched_at, item)

    def _path(self, kind: FetchKind, url: str, cert: Certificate) -> Path:
        assert self._disk is not None
        return self._disk.crl_path(url) if kind is FetchKind.CRL else self._disk.ocsp_path(cert.sha256, url)

    def _limit(self, kind: FetchKind) -> int:
        return self.config.max_crl_bytes if kind is FetchKind.CRL else self.config.max_ocsp_bytes

    def _failed(self, url: str, kind: FetchKind, cert: Certificate, result: HttpResult, seconds: float) -> FetchAttempt:
        return FetchAttempt(url, kind, result.outcome, False, seconds, self._clock(), cert.sha256, result.status, result.detail)
