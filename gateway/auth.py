"""Centre authentication: API keys, optional HMAC request signing, scopes and rate limits.

An API key is ``cmk.<key id>.<secret>``, the secret 32 random bytes (base64url). The database keeps
only SHA-256 of the secret: for a random 256-bit token a fast hash is enough (there is nothing to
guess, so a slow password hash would only cost CPU at every request), and a database leak does not
give out usable keys. The hash is compared with :func:`hmac.compare_digest`.

Request signing (optional per request, or required for all with ``require_request_signing``): the
centre sends ``X-Certmutual-Key-Id``, ``X-Certmutual-Timestamp`` (Unix seconds),
``X-Certmutual-Nonce`` (16-128 characters of ``[A-Za-z0-9_-]``) and ``X-Certmutual-Signature``:
hex HMAC-SHA256 over ``METHOD\\nPATH[?QUERY]\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))`` with the key
``SHA-256("certmutual-request-signing-v1\\0" || api_key)``. The secret itself then never travels; a
timestamp outside the allowed skew or a nonce seen before (nonces are kept, shared by all workers,
until their timestamp could no longer pass) is refused. The server stores that derived signing key,
so read access to the database allows signing requests for a centre: protect the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Request

from gateway.config import SCOPES, GatewayConfig
from gateway.errors import ApiError
from gateway.storage import KeyRecord, Storage

KEY_PREFIX = "cmk"
SIGNING_LABEL = b"certmutual-request-signing-v1\x00"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
_KEY = re.compile(r"^cmk\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def signing_key(api_key: str) -> bytes:
    """The HMAC key a centre derives from its API key."""
    return hashlib.sha256(SIGNING_LABEL + api_key.encode("ascii")).digest()


def sign_request(api_key: str, method: str, path: str, body: bytes, timestamp: int | None = None,
                 nonce: str | None = None) -> dict[str, str]:
    """The headers of a signed request (for centres' clients, the tests and the benchmark)."""
    match = _KEY.match(api_key)
    if match is None:
        raise ValueError("not a certmutual API key")
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_urlsafe(24)
    message = "\n".join((method.upper(), path, str(timestamp), nonce, hashlib.sha256(body).hexdigest())).encode("utf-8")
    return {"X-Certmutual-Key-Id": match.group(1), "X-Certmutual-Timestamp": str(timestamp), "X-Certmutual-Nonce": nonce,
            "X-Certmutual-Signature": hmac.new(signing_key(api_key), message, hashlib.sha256).hexdigest()}


def create_api_key(storage: Storage, centre_id: str, scopes: Iterable[str] = SCOPES) -> str:
    """Issue a key for a registered centre and return it (shown once; only its hash is kept)."""
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(unknown)} (known: {', '.join(SCOPES)})")
    if storage.get_centre(centre_id) is None:
        raise ValueError(f"no centre {centre_id!r}")
    key_id = secrets.token_hex(8)
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    api_key = f"{KEY_PREFIX}.{key_id}.{secret}"
    storage.add_key(key_id, centre_id, secret_hash(secret), signing_key(api_key).hex(), scopes)
    return api_key


def register_centre(storage: Storage, centre_id: str, name: str, scopes: Iterable[str] = SCOPES) -> str:
    """Register a trading centre and issue its first API key (returned once)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,62}", centre_id):
        raise ValueError(f"centre id {centre_id!r}: use 1-63 lowercase letters, digits, '-' or '_'")
    storage.add_centre(centre_id, name)
    return create_api_key(storage, centre_id, scopes)


@dataclass(frozen=True)
class Caller:
    centre_id: str
    key_id: str
    signed: bool


class _TokenBucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated


class Authenticator:
    """Authenticates requests against the stored keys (looked up by key id, cached briefly)."""

    def __init__(self, storage: Storage, config: GatewayConfig) -> None:
        self._storage = storage
        self._config = config
        self._cache: dict[str, tuple[KeyRecord | None, float]] = {}
        self._buckets: dict[str, _TokenBucket] = {}
        self._lock = threading.Lock()

    def _key(self, key_id: str) -> KeyRecord | None:
        now = time.monotonic()
        ttl = self._config.auth_cache_seconds
        if ttl > 0:
            cached = self._cache.get(key_id)
            if cached is not None and now - cached[1] < ttl:
                return cached[0]
        record = self._storage.get_key(key_id)
        if ttl > 0:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key_id] = (record, now)
        return record

    def authenticate(self, request: Request, scope: str) -> Caller:
        """The calling centre, or an :class:`ApiError` (401, 403, 429)."""
        if "X-Certmutual-Signature" in request.headers:
            caller = self._signed(request)
        else:
            caller = self._bearer(request)
        record = self._key(caller.key_id)
        assert record is not None
        if scope not in record.scopes:
            raise ApiError(403, "scope_denied", f"this API key is not allowed the {scope!r} scope",
                           {"scope": scope, "key_scopes": sorted(record.scopes)})
        self._rate_limit(caller.centre_id)
        return caller

    def _bearer(self, request: Request) -> Caller:
        header = request.headers.get("Authorization", "")
        if not header:
            raise ApiError(401, "unauthenticated", "an API key is required (Authorization: Bearer <key>)",
                           headers={"WWW-Authenticate": 'Bearer realm="certmutual"'})
        scheme, _, token = header.partition(" ")
        match = _KEY.match(token.strip()) if scheme.lower() == "bearer" else None
        if match is None:
            raise ApiError(401, "unauthenticated", "the Authorization header does not carry a certmutual API key",
                           headers={"WWW-Authenticate": 'Bearer realm="certmutual"'})
        key_id, secret = match.groups()
        record = self._check_key(key_id)
        if not hmac.compare_digest(record.secret_sha256.encode("ascii"), secret_hash(secret).encode("ascii")):
            raise ApiError(401, "unauthenticated", "unknown API key")
        if self._config.require_request_signing:
            raise ApiError(401, "signature_required", "this gateway requires signed requests (X-Certmutual-Signature)")
        return Caller(record.centre_id, key_id, signed=False)

    def _check_key(self, key_id: str) -> KeyRecord:
        record = self._key(key_id)
        if record is None:
            raise ApiError(401, "unauthenticated", "unknown API key")
        if record.revoked:
            raise ApiError(401, "key_revoked", "this API key (or its centre) has been revoked")
        return record

    def _signed(self, request: Request) -> Caller:
        headers = request.headers
        key_id = headers.get("X-Certmutual-Key-Id", "")
        timestamp_text = headers.get("X-Certmutual-Timestamp", "")
        nonce = headers.get("X-Certmutual-Nonce", "")
        signature = headers.get("X-Certmutual-Signature", "")
        if not (re.fullmatch(r"[0-9a-f]{16}", key_id) and timestamp_text.isdigit() and _NONCE.match(nonce)
                and re.fullmatch(r"[0-9a-f]{64}", signature)):
            raise ApiError(401, "bad_signature_headers", "a signed request needs X-Certmutual-Key-Id, -Timestamp, -Nonce "
                           "and -Signature in their documented forms")
        timestamp = int(timestamp_text)
        skew = self._config.signature_max_skew_seconds
        if abs(time.time() - timestamp) > skew:
            raise ApiError(401, "stale_request", f"the request timestamp is more than {skew} s from the gateway's clock",
                           {"server_time": int(time.time())})
        record = self._check_key(key_id)
        path = request.full_path if request.query_string else request.path
        message = "\n".join((request.method, path, timestamp_text, nonce,
                             hashlib.sha256(request.get_data(cache=True)).hexdigest())).encode("utf-8")
        expected = hmac.new(bytes.fromhex(record.signing_key), message, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii")):
            raise ApiError(401, "bad_request_signature", "the request signature does not verify")
        if not self._storage.use_nonce(key_id, nonce, timestamp + skew + 1):
            raise ApiError(401, "replayed_request", "this request nonce was already used (replay refused)")
        return Caller(record.centre_id, key_id, signed=True)

    def _rate_limit(self, centre_id: str) -> None:
        rate, burst = self._config.rate_limit_per_second, float(self._config.rate_limit_burst)
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(centre_id)
            if bucket is None:
                bucket = self._buckets[centre_id] = _TokenBucket(burst, now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < 1.0:
                wait = (1.0 - bucket.tokens) / rate
                raise ApiError(429, "rate_limited", f"centre {centre_id!r} is over its rate limit",
                               {"retry_after_seconds": round(wait, 3)}, headers={"Retry-After": str(max(1, int(wait + 0.999)))})
            bucket.tokens -= 1.0
