"""What the views share: JSON input, certificate and time parsing, authentication, and the decision
record (audit first, then the response)."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import io
import time
from typing import Any

from certmutual import VerificationResult
from certmutual.errors import MalformedInput
from certmutual.identity.model import Identity
from certmutual.pki.loading import der_blocks
from certmutual.pki.trustlist import Service
from flask import g, request
from flask.wrappers import Request

from gateway import jsonio
from gateway.auth import Caller
from gateway.errors import ApiError
from gateway.masking import audit_subject
from gateway.state import GatewayState, state
from gateway.storage import StorageError

MAX_CERTIFICATE_TEXT = 64 * 1024


def authenticate(scope: str, gateway: GatewayState | None = None) -> Caller:
    caller = (gateway or state()).authenticator.authenticate(request._get_current_object(), scope)  # type: ignore[attr-defined]
    g.centre = caller.centre_id
    return caller


def json_body() -> dict[str, Any]:
    """The request's JSON object (415 for another content type, 400 for bad JSON)."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    if req.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the request as application/json",
                       {"content_type": req.content_type})
    try:
        data = jsonio.loads(request_body(req))
    except ValueError as exc:
        raise ApiError(400, "bad_json", "the body is not valid JSON", str(exc)[:200]) from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "the body must be a JSON object")
    return data


def request_body(req: Request) -> bytes:
    """The request body, as ``req.get_data(cache=True)`` gives it.

    A body whose Content-Length is within the endpoint's limit (the before-request hook gave a
    chunked body one) is read from the WSGI input directly, without Werkzeug's guarded stream
    (which costs as much as the rest of the parsing), and put back as a buffer for any later
    reader. A body read already, or without a usable length, goes through ``get_data``."""
    environ = req.environ
    length, limit = environ.get("CONTENT_LENGTH", ""), req.max_content_length
    if getattr(req, "_cached_data", None) is None and length.isdigit() and limit is not None and int(length) <= limit:
        data: bytes = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(data)
        return data
    return req.get_data(cache=True)


def text_field(data: dict[str, Any], name: str, *, required: bool = True, limit: int = MAX_CERTIFICATE_TEXT) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, "missing_field", f"{name!r} is required", {"field": name})
        return None
    if not isinstance(value, str):
        raise ApiError(400, "bad_field", f"{name!r} must be a string", {"field": name})
    if len(value) > limit:
        raise ApiError(400, "bad_field", f"{name!r} is longer than {limit} characters", {"field": name})
    return value


_PEM_BEGIN, _PEM_END = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"


def certificate_der(data: dict[str, Any], name: str = "certificate") -> bytes:
    """A certificate given as PEM or as base64 DER."""
    text = text_field(data, name)
    assert text is not None
    stripped = text.strip()
    if stripped.startswith(_PEM_BEGIN) and stripped.endswith(_PEM_END) and stripped.count("-----BEGIN") == 1:
        # The common case, one PEM certificate, without the general PEM reader.
        try:
            der = base64.b64decode("".join(stripped[len(_PEM_BEGIN):-len(_PEM_END)].split()), validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(400, "bad_certificate", f"{name!r} is a PEM block with bad base64") from None
        if der:
            return der
    try:
        blocks = der_blocks(text.encode("utf-8"), {"CERTIFICATE", "X509 CERTIFICATE"})
    except MalformedInput as exc:
        raise ApiError(400, "bad_certificate", f"{name!r} is neither a PEM certificate nor base64 DER", str(exc)) from None
    if len(blocks) != 1 or not blocks[0]:
        raise ApiError(400, "bad_certificate", f"{name!r} must hold exactly one certificate", {"found": len(blocks)})
    return blocks[0]


def binary_field(data: dict[str, Any], name: str) -> bytes:
    """Binary input as base64 (default) or hex, as ``<name>_encoding`` says."""
    text = text_field(data, name)
    assert text is not None
    encoding = data.get(f"{name}_encoding", "base64")
    try:
        if encoding == "base64":
            return base64.b64decode("".join(text.split()), validate=True)
        if encoding == "hex":
            return bytes.fromhex(text)
    except (binascii.Error, ValueError):
        raise ApiError(400, "bad_field", f"{name!r} is not valid {encoding}", {"field": name}) from None
    raise ApiError(400, "bad_field", f"{name}_encoding must be 'base64' or 'hex'", {"field": f"{name}_encoding"})


def validation_time(data: dict[str, Any]) -> datetime.datetime | None:
    text = text_field(data, "time", required=False, limit=64)
    if text is None:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "bad_field", "'time' must be an ISO 8601 date-time", {"field": "time"}) from None
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def purpose(data: dict[str, Any]) -> Service | None:
    value = data.get("purpose")
    if value is None:
        return None
    if value not in ("signing", "encryption"):
        raise ApiError(400, "bad_field", "'purpose' must be 'signing' or 'encryption'", {"field": "purpose"})
    return Service(value)


def identify(gateway: GatewayState, der: bytes, result: VerificationResult) -> Identity | None:
    """The certificate's identity (None when it cannot be parsed: the result says ``malformed``).

    Memoised per (certificate, validated chain): reading an identity is a pure function of the
    certificate, the vendor profiles and the chain's fingerprints, and a bidder logs in many times."""
    return _identity_entry(gateway, der, result)[0]


def _identity_entry(gateway: GatewayState, der: bytes, result: VerificationResult) -> tuple[Identity | None, dict[str, Any] | None]:
    """The identity and its ``to_dict()``, memoised together. The dict is shared by every response
    for that certificate: it is serialised, never modified."""
    key = (hashlib.sha256(der).digest(), tuple(link.sha256 for link in result.chain))
    found, entry = gateway.identities.get(key)
    if found and entry is not None:
        return entry
    try:
        identity: Identity | None = gateway.verifier.identify(der, result=result)
    except MalformedInput:
        identity = None
    entry = (identity, identity.to_dict() if identity is not None else None)
    gateway.identities.put(key, entry)
    return entry


def verdict_fields(gateway: GatewayState, der: bytes, result: VerificationResult) -> tuple[dict[str, Any], Identity | None]:
    """The verdict with the certificate's identity, the trust-list vendor of the chain's root and the
    list's sequence; and the identity itself."""
    identity, identity_dict = _identity_entry(gateway, der, result)
    vendor = gateway.vendor_of(result.chain[-1].sha256 if result.chain else None)
    out = result.to_dict()
    out["identity"] = identity_dict
    out["vendor"] = {"id": vendor.id, "name": vendor.name} if vendor is not None else None
    out["trust_list_sequence"] = gateway.trust_list.sequence_number
    return out, identity


def record_decision(gateway: GatewayState, endpoint: str, verdict: str, reasons: list[str], identity: dict[str, Any] | None,
                    subject_sha256: str | None) -> dict[str, Any]:
    """Append the decision to the audit chain and commit it (before the response exists). A decision
    that cannot be recorded is not given: 503. ``subject_sha256``: the certificate's (or the seal's,
    or the document's) SHA-256."""
    subject = audit_subject(identity, subject_sha256)
    ctx = g._get_current_object()
    ctx.verdict = verdict
    ctx.masked_subject = subject.get("entity") or "-"
    try:
        row = gateway.storage.append_audit(
            audit_time(), ctx.get("centre", "-"), endpoint, jsonio.dumps_sorted(subject), verdict, ",".join(reasons),
            gateway.trust_list.sequence_number, ctx.get("request_id", ""))
    except StorageError:
        raise ApiError(503, "audit_unavailable", "the decision could not be recorded, so it is not given") from None
    gateway.metrics.decision(endpoint, verdict)
    return {"seq": row.seq, "hash": row.hash}


_SECOND: tuple[int, str] = (-1, "")


def audit_time() -> str:
    """Now in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (the date and time formatted once a second)."""
    global _SECOND
    seconds, nanoseconds = divmod(time.time_ns(), 1_000_000_000)
    second, text = _SECOND
    if second != seconds:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        _SECOND = (seconds, text)
    return f"{text}.{nanoseconds // 1000:06d}Z"


def sha256_of(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()
