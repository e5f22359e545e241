"""Caches for fetched revocation data: a bounded in-memory LRU and an optional directory on disk.

Cache entries carry what freshness needs: a CRL its thisUpdate/nextUpdate, an OCSP response the
window of its SingleResponse for the certificate. Reading a response here is only to know that window
and whether the response looks usable; verifying it is the decision code's job.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem

from certmutual.asn1.der import ASN1_ERRORS
from certmutual.errors import MalformedInput, UsageError
from certmutual.pki import ocsp as _ocsp
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.fetch_http import FetchOutcome

CLOCK_SKEW = datetime.timedelta(minutes=5)
"""How far in the future a thisUpdate may lie and still count as current (clocks disagree)."""
_UTC = datetime.timezone.utc


@dataclass(frozen=True)
class CachedCrl:
    """A fetched CRL and when it was fetched. Kept even when stale: a failed refetch falls back on it."""

    crl: CertificateList
    fetched_at: datetime.datetime

    @property
    def der(self) -> bytes:
        return self.crl.der

    @property
    def this_update(self) -> datetime.datetime:
        return self.crl.this_update

    @property
    def size(self) -> int:
        return 2 * len(self.crl.der)  # DER plus its parsed form, roughly

    cacheable = True

    def current(self, now: datetime.datetime) -> bool:
        """thisUpdate <= now < nextUpdate (a CRL without nextUpdate is never current)."""
        next_update = self.crl.next_update
        return self.crl.this_update <= now + CLOCK_SKEW and next_update is not None and now < next_update

    def judge(self, cert: Certificate, at: datetime.datetime, now: datetime.datetime) -> tuple[FetchOutcome, str]:
        """OK when the CRL covers ``cert``, is current ``now`` and not past its nextUpdate at ``at``."""
        crl = self.crl
        if not crl.covers(cert):
            return FetchOutcome.UNSUITABLE, f"the CRL of {crl.issuer_text} does not cover the certificate"
        window = f"thisUpdate {crl.this_update.isoformat()}, nextUpdate {_iso(crl.next_update)}"
        if not self.current(now) or (crl.next_update is not None and crl.next_update < at):
            return FetchOutcome.STALE, f"CRL {window}"
        return FetchOutcome.OK, f"CRL number {crl.crl_number}, {window}"

    def newer_than(self, other: CachedCrl | CachedOcsp) -> bool:
        return other.this_update is None or self.this_update > other.this_update


@dataclass(frozen=True)
class CachedOcsp:
    """A fetched OCSP response (DER as received), when it was fetched, and what the fetcher read of it."""

    der: bytes
    fetched_at: datetime.datetime
    outcome: FetchOutcome
    """OK when the response is successful and has a SingleResponse saying good or revoked for the
    certificate, else UNSUITABLE (not successful, not about it, or certStatus unknown)."""
    detail: str
    this_update: datetime.datetime | None = None
    next_update: datetime.datetime | None = None

    @property
    def size(self) -> int:
        return len(self.der)

    @property
    def cacheable(self) -> bool:
        """Only a usable response with a nextUpdate is kept (until that nextUpdate)."""
        return self.outcome is FetchOutcome.OK and self.next_update is not None

    def current(self, now: datetime.datetime) -> bool:
        """thisUpdate <= now < nextUpdate; without nextUpdate, current when fetched (RFC 6960 §4.2.2.1)."""
        if self.this_update is None or self.this_update > now + CLOCK_SKEW:
            return False
        return self.next_update is None or now < self.next_update

    def judge(self, cert: Certificate, at: datetime.datetime, now: datetime.datetime) -> tuple[FetchOutcome, str]:
        """OK when the response is about ``cert``, current ``now`` and not past its nextUpdate at ``at``."""
        if self.outcome is not FetchOutcome.OK:
            return self.outcome, self.detail
        if not self.current(now) or (self.next_update is not None and self.next_update < at):
            return FetchOutcome.STALE, f"response thisUpdate {_iso(self.this_update)}, nextUpdate {_iso(self.next_update)}"
        return FetchOutcome.OK, self.detail

    def newer_than(self, other: CachedCrl | CachedOcsp) -> bool:
        return self.this_update is not None and (other.this_update is None or self.this_update > other.this_update)


def parse_crl(body: bytes) -> CertificateList | None:
    """The CRL in ``body`` (DER, or PEM as some CAs serve), or None if it is not one."""
    try:
        if body.lstrip()[:11] == b"-----BEGIN ":
            _, _, body = pem.unarmor(body.strip())
        return CertificateList(body)
    except (*ASN1_ERRORS, ValueError):
        return None


def read_ocsp(body: bytes, cert: Certificate, issuer: Certificate, fetched_at: datetime.datetime) -> CachedOcsp | None:
    """What the fetcher needs to know of an OCSP response about ``cert`` (read with
    :func:`certmutual.pki.ocsp.parse_response`), or None if ``body`` is not an OCSPResponse.
    Nothing is verified: not the signature, not the responder's authority."""
    try:
        response = _ocsp.parse_response(body)
    except MalformedInput:
        return None
    data = bytes(body)
    if response.status is not _ocsp.ResponseStatus.SUCCESSFUL or response.basic is None:
        return CachedOcsp(data, fetched_at, FetchOutcome.UNSUITABLE, f"responder status {response.status.value}")
    for single in response.basic.responses:
        cert_id = single.cert_id
        name = _ocsp.HASH_NAMES.get(cert_id.hash_algorithm)
        if cert_id.serial != cert.serial or name is None:
            continue
        try:
            hashes = _ocsp.cert_id_hashes(issuer, name)
        except (MalformedInput, UsageError):
            continue
        if hashes[1] != cert_id.issuer_key_hash:  # serial and issuer key: enough to look relevant
            continue
        if single.status is _ocsp.CertStatus.UNKNOWN:  # the responder does not know it: ask the CRL too
            return CachedOcsp(data, fetched_at, FetchOutcome.UNSUITABLE, "certStatus unknown")
        return CachedOcsp(data, fetched_at, FetchOutcome.OK, f"certStatus {single.status.value}",
                              _utc(single.this_update), _utc(single.next_update) if single.next_update is not None else None)
    return CachedOcsp(data, fetched_at, FetchOutcome.UNSUITABLE, "no SingleResponse for the certificate")


def _iso(value: datetime.datetime | None) -> str:
    return value.isoformat() if value is not None else "absent"


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo else value.replace(tzinfo=_UTC)


class MemoryCache:
    """A thread-safe LRU bounded by the (approximate) bytes its values hold."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class DiskCache:
    """Fetched DER kept in one directory, one file per URL (named by the SHA-256 of the URL, and for
    OCSP of the certificate too). Files are written atomically (temporary file, then ``os.replace``)
    and carry the fetch time as their modification time. Best effort: an unreadable, oversized or
    unwritable file is ignored, and a corrupted one is simply refetched and replaced."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._seen: dict[Path, tuple[int, int]] = {}

    def crl_path(self, url: str) -> Path:
        return self.directory / f"crl-{hashlib.sha256(url.encode('utf-8')).hexdigest()}.der"

    def ocsp_path(self, cert_sha256: str, url: str) -> Path:
        key = f"{cert_sha256} {url}".encode("utf-8")
        return self.directory / f"ocsp-{hashlib.sha256(key).hexdigest()}.der"

    def read(self, path: Path, max_bytes: int) -> tuple[bytes, datetime.datetime] | None:
        """(content, fetch time), or None when absent, larger than ``max_bytes``, unreadable, or
        unchanged since this cache last read or wrote it (the caller has that content already)."""
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                signature = (stat.st_mtime_ns, stat.st_size)
                with self._lock:
                    if self._seen.get(path) == signature:
                        return None
                if stat.st_size > max_bytes:
                    return None
                data = handle.read(max_bytes + 1)
        except OSError:
            return None
        with self._lock:
            self._seen[path] = signature
        if len(data) > max_bytes:
            return None
        return data, datetime.datetime.fromtimestamp(stat.st_mtime, _UTC)

    def write(self, path: Path, data: bytes, fetched_at: datetime.datetime) -> None:
        temporary: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=".fetch-", suffix=".tmp", dir=self.directory)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            stamp = fetched_at.timestamp()
            os.utime(temporary, (stamp, stamp))
            stat = os.stat(temporary)
            os.replace(temporary, path)
            temporary = None
            with self._lock:
                self._seen[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            pass
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
