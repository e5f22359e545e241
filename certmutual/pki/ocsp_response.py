"""OCSP responses (RFC 6960 §4.2) as plain data: the model and the parser, plus CertID hashing.

:func:`parse_response` reads what a responder sent and judges nothing; :mod:`certmutual.pki.ocsp`
builds requests and judges responses (and re-exports everything public here). Outside bytes go
through :func:`certmutual.asn1.der.load` (bounded work); the BasicOCSPResponse's signed part is cut
out by offsets, so its signature is verified over tbsResponseData exactly as received.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
from dataclasses import dataclass, field

from asn1crypto import core
from asn1crypto import ocsp as asn1_ocsp

import certmutual.asn1  # noqa: F401  (registers SM OIDs, SM3 as a digest among them)
from certmutual.asn1 import der
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.asn1.oids import EXT_OID
from certmutual.crypto.digests import DIGEST_OIDS, digest
from certmutual.errors import MalformedInput, UsageError
from certmutual.pki.certificate import Certificate


class OCSP_OID:
    """OCSP object identifiers (RFC 6960 §4.4, Appendix B)."""

    AD_OCSP = "1.3.6.1.5.5.7.48.1"
    BASIC = "1.3.6.1.5.5.7.48.1.1"
    NONCE = "1.3.6.1.5.5.7.48.1.2"
    CRL_REFERENCE = "1.3.6.1.5.5.7.48.1.3"
    ARCHIVE_CUTOFF = "1.3.6.1.5.5.7.48.1.6"
    EXTENDED_REVOKE = "1.3.6.1.5.5.7.48.1.9"


HASH_ALGORITHMS: dict[str, str] = {name: oid for oid, name in DIGEST_OIDS.items()}
"""CertID hash algorithms, by name: SHA-1 (what responders expect; RFC 5019), the SHA-2 family, and
SM3 (GM/T 0006) for GM/T responders. A response's CertIDs are matched with whichever of these it
uses."""
HASH_NAMES: dict[str, str] = {oid: name for name, oid in HASH_ALGORITHMS.items()}


cert_id_digest = digest
"""``data`` hashed with a :data:`HASH_ALGORITHMS` name."""


def issuer_key_bytes(issuer: Certificate) -> bytes:
    """The issuer's subjectPublicKey BIT STRING contents (no unused-bits octet): what
    ``issuerKeyHash`` hashes (RFC 6960 §4.1.1)."""
    spki = issuer.spki
    _, start, end = der.read_header(spki, 0)
    parts = der.elements(spki, start, end)
    if len(parts) != 2 or parts[1][0] != 0x03:
        raise MalformedInput("subjectPublicKeyInfo is not { algorithm, BIT STRING }")
    _, _, content_start, content_end = parts[1]
    if content_start == content_end or spki[content_start] != 0:
        raise MalformedInput("subjectPublicKey has unused bits")
    return spki[content_start + 1 : content_end]


def cert_id_hashes(issuer: Certificate, hash_algorithm: str) -> tuple[bytes, bytes]:
    """``(issuerNameHash, issuerKeyHash)`` of ``issuer`` with the named hash (a key of
    :data:`HASH_ALGORITHMS`)."""
    if hash_algorithm not in HASH_ALGORITHMS:
        raise UsageError(f"unknown CertID hash algorithm {hash_algorithm!r}; use one of {sorted(HASH_ALGORITHMS)}")
    return cert_id_digest(hash_algorithm, issuer.subject_der), cert_id_digest(hash_algorithm, issuer_key_bytes(issuer))


MAX_EMBEDDED_CERTS = 16
"""Certificates a BasicOCSPResponse may carry (a responder sends its own, perhaps a CA or two);
more is refused as malformed rather than parsed."""

_UNDERSTOOD_RESPONSE_EXTENSIONS = frozenset({OCSP_OID.NONCE, OCSP_OID.EXTENDED_REVOKE})
# Single extensions that only inform (RFC 6960 §4.4.2, §4.4.4; CRL entry extensions §4.4.5);
# certificateIssuer is absent on purpose: indirect responses are not supported.
_UNDERSTOOD_SINGLE_EXTENSIONS = frozenset({
    OCSP_OID.CRL_REFERENCE, OCSP_OID.ARCHIVE_CUTOFF, EXT_OID.CRL_REASON, EXT_OID.INVALIDITY_DATE,
})


class ResponseStatus(enum.Enum):
    """OCSPResponseStatus (RFC 6960 §4.2.1)."""

    SUCCESSFUL = "successful"
    MALFORMED_REQUEST = "malformed_request"
    INTERNAL_ERROR = "internal_error"
    TRY_LATER = "try_later"
    SIG_REQUIRED = "sign_required"
    UNAUTHORIZED = "unauthorized"


class CertStatus(enum.Enum):
    """CertStatus of one SingleResponse (RFC 6960 §4.2.1)."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CertId:
    """A CertID (RFC 6960 §4.1.1) as received."""

    hash_algorithm: str
    """Dotted OID of the hash (see :data:`HASH_NAMES`)."""
    issuer_name_hash: bytes
    issuer_key_hash: bytes
    serial: int


@dataclass(frozen=True)
class SingleResponse:
    """One SingleResponse (RFC 6960 §4.2.1)."""

    cert_id: CertId
    status: CertStatus
    revoked_at: datetime.datetime | None
    """revocationTime, for REVOKED."""
    revocation_reason: str | None
    """revocationReason as asn1crypto names it (``"key_compromise"``, ...), when given."""
    this_update: datetime.datetime
    next_update: datetime.datetime | None
    unknown_critical_extensions: tuple[str, ...]
    """OIDs of critical singleExtensions this module does not process (make it unusable)."""


@dataclass(frozen=True)
class ResponderId:
    """ResponderID (RFC 6960 §4.2.1): exactly one of the two is set."""

    name_der: bytes | None
    """byName: the responder's subject Name, as DER."""
    key_hash: bytes | None
    """byKey: SHA-1 of the responder's subjectPublicKey BIT STRING contents."""


@dataclass(frozen=True)
class BasicResponse:
    """A BasicOCSPResponse (RFC 6960 §4.2.1); signed bytes kept exactly as received.

    Carries ``sha256``/``tbs``/``signature_*`` so :func:`certmutual.pki.signatures.check_signed_by`
    verifies it like a certificate or CRL.
    """

    sha256: str
    """SHA-256 of the whole BasicOCSPResponse DER (the signature cache's key)."""
    tbs: bytes = field(repr=False)
    """tbsResponseData, exactly as received: what the signature covers."""
    signature_algorithm: str
    signature_parameters: bytes | None
    signature: bytes = field(repr=False)
    responder_id: ResponderId
    produced_at: datetime.datetime
    responses: tuple[SingleResponse, ...]
    nonce: bytes | None
    """The id-pkix-ocsp-nonce value (the inner OCTET STRING's contents when it is one, as RFC 8954
    has it; otherwise the extnValue octets as they are)."""
    unknown_critical_extensions: tuple[str, ...]
    """OIDs of critical responseExtensions this module does not process (make it unusable)."""
    certs: tuple[Certificate, ...]
    """The ``certs`` field: the responder's certificate and perhaps its issuers."""


@dataclass(frozen=True)
class OCSPResponse:
    """A parsed OCSPResponse. ``basic`` is set only for a successful id-pkix-ocsp-basic response."""

    der: bytes = field(repr=False)
    status: ResponseStatus
    response_type: str | None
    """responseBytes.responseType (dotted OID), None when absent."""
    basic: BasicResponse | None


def parse_response(data: bytes) -> OCSPResponse:
    """Parse a DER OCSPResponse (RFC 6960 §4.2.1), as an OCSP responder sent it.

    Reads everything :func:`check_response` needs and judges nothing: a bad signature, stale times or
    unknown critical extensions are facts recorded here and refused there. Raises
    :class:`MalformedInput` (and nothing else) for bytes that are not an OCSPResponse: trailing data,
    a non-successful status with responseBytes, a successful one without, a bad embedded certificate,
    duplicate extensions.
    """
    data = bytes(data)
    try:
        return _parse_response(data)
    except MalformedInput:
        raise
    except ASN1_ERRORS as exc:
        raise MalformedInput(f"unreadable OCSP response: {exc}") from exc


def _parse_response(data: bytes) -> OCSPResponse:
    outer = der.load(asn1_ocsp.OCSPResponse, data)
    status_value = outer["response_status"].native
    try:
        status = ResponseStatus(status_value)
    except ValueError:
        raise MalformedInput(f"unknown OCSPResponseStatus {status_value!r}") from None
    response_bytes = outer["response_bytes"]
    if status is not ResponseStatus.SUCCESSFUL:
        if response_bytes.native is not None:
            raise MalformedInput("responseBytes in an OCSP response that is not successful (RFC 6960 §4.2.1)")
        return OCSPResponse(data, status, None, None)
    if response_bytes.native is None:
        raise MalformedInput("a successful OCSP response without responseBytes")
    response_type = response_bytes["response_type"].dotted
    if response_type != OCSP_OID.BASIC:
        return OCSPResponse(data, status, response_type, None)
    return OCSPResponse(data, status, response_type, _parse_basic(bytes(response_bytes["response"].contents)))


def _parse_basic(data: bytes) -> BasicResponse:
    der.check_tree(data)  # bounded walk before any slicing or asn1crypto parsing
    tag, start, end = der.read_header(data, 0)
    if tag != 0x30 or end != len(data):
        raise MalformedInput("BasicOCSPResponse is not one SEQUENCE")
    parts = der.elements(data, start, end)
    if len(parts) not in (3, 4) or [p[0] for p in parts[:3]] != [0x30, 0x30, 0x03]:
        raise MalformedInput("BasicOCSPResponse is not { tbsResponseData, signatureAlgorithm, signature, [0] certs }")
    (_, tbs_start, _, tbs_end), (_, alg_start, _, alg_end), (_, _, sig_start, sig_end) = parts[:3]
    algorithm, parameters = der.algorithm_identifier(data[alg_start:alg_end])
    if sig_start == sig_end or data[sig_start] != 0:
        raise MalformedInput("signature is not a BIT STRING without unused bits")
    certs: tuple[Certificate, ...] = ()
    if len(parts) == 4:
        certs = _certs(data, parts[3])
    tbs = data[tbs_start:tbs_end]
    responder_id, produced_at, responses, extensions = _parse_tbs(tbs)
    nonce = None
    if OCSP_OID.NONCE in extensions:
        nonce = _nonce_value(extensions[OCSP_OID.NONCE][1])
    unknown = tuple(oid for oid, (critical, _) in extensions.items()
                    if critical and oid not in _UNDERSTOOD_RESPONSE_EXTENSIONS)
    return BasicResponse(
        sha256=hashlib.sha256(data).hexdigest(), tbs=tbs, signature_algorithm=algorithm,
        signature_parameters=parameters, signature=data[sig_start + 1 : sig_end], responder_id=responder_id,
        produced_at=produced_at, responses=responses, nonce=nonce, unknown_critical_extensions=unknown, certs=certs,
    )


def _certs(data: bytes, part: tuple[int, int, int, int]) -> tuple[Certificate, ...]:
    tag, _, content_start, content_end = part
    if tag != 0xA0:
        raise MalformedInput(f"BasicOCSPResponse: unexpected element 0x{tag:02x} after the signature")
    seq_tag, seq_start, seq_end = der.read_header(data, content_start, content_end)
    if seq_tag != 0x30 or seq_end != content_end:
        raise MalformedInput("BasicOCSPResponse certs is not a SEQUENCE OF Certificate")
    items = der.elements(data, seq_start, seq_end)
    if len(items) > MAX_EMBEDDED_CERTS:
        raise MalformedInput(f"more than {MAX_EMBEDDED_CERTS} certificates in an OCSP response")
    return tuple(Certificate(data[item_start:item_end]) for _, item_start, _, item_end in items)


def _parse_tbs(tbs: bytes) -> tuple[ResponderId, datetime.datetime, tuple[SingleResponse, ...], dict[str, tuple[bool, bytes]]]:
    parsed = der.load(asn1_ocsp.ResponseData, tbs)
    if parsed["version"].native != "v1":
        raise MalformedInput(f"unknown ResponseData version {parsed['version'].native!r}")
    rid = parsed["responder_id"]
    if rid.name == "by_name":
        wrapped = bytes(rid.dump())  # [1] EXPLICIT Name: the Name is the [1] element's contents
        tag, start, end = der.read_header(wrapped, 0)
        if tag != 0xA1 or end != len(wrapped):
            raise MalformedInput("ResponderID byName is not [1] EXPLICIT Name")
        responder_id = ResponderId(wrapped[start:end], None)
    else:
        responder_id = ResponderId(None, bytes(rid.chosen.native))
    produced_at = _time(parsed["produced_at"])
    responses = tuple(_single(single) for single in parsed["responses"])
    return responder_id, produced_at, responses, _extensions(parsed["response_extensions"], "response")


def _single(single: asn1_ocsp.SingleResponse) -> SingleResponse:
    cert_id = single["cert_id"]
    status = single["cert_status"]
    revoked_at = reason = None
    if status.name == "revoked":
        revoked_at = _time(status.chosen["revocation_time"])
        reason = status.chosen["revocation_reason"].native
    next_update = single["next_update"]
    extensions = _extensions(single["single_extensions"], "single")
    return SingleResponse(
        cert_id=CertId(
            hash_algorithm=cert_id["hash_algorithm"]["algorithm"].dotted,
            issuer_name_hash=bytes(cert_id["issuer_name_hash"].native),
            issuer_key_hash=bytes(cert_id["issuer_key_hash"].native),
            serial=int(cert_id["serial_number"].native),
        ),
        status=CertStatus(status.name),
        revoked_at=revoked_at,
        revocation_reason=reason,
        this_update=_time(single["this_update"]),
        next_update=None if next_update.native is None else _time(next_update),
        unknown_critical_extensions=tuple(oid for oid, (critical, _) in extensions.items()
                                          if critical and oid not in _UNDERSTOOD_SINGLE_EXTENSIONS),
    )


def _extensions(extensions: core.Sequence, where: str) -> dict[str, tuple[bool, bytes]]:
    """``{oid: (critical, extnValue octets)}``; a repeated OID is malformed (RFC 5280 §4.2)."""
    found: dict[str, tuple[bool, bytes]] = {}
    for ext in extensions if extensions.native is not None else []:
        oid = ext["extn_id"].dotted
        if oid in found:
            raise MalformedInput(f"OCSP {where} extension {oid} appears twice")
        found[oid] = (bool(ext["critical"].native), bytes(ext["extn_value"].contents))
    return found


def _nonce_value(value: bytes) -> bytes:
    """The nonce inside ``value``: an OCTET STRING's contents (RFC 8954), else the octets as sent."""
    try:
        tag, start, end = der.read_header(value, 0)
    except MalformedInput:
        return value
    return value[start:end] if tag == 0x04 and end == len(value) else value


def _time(value: core.GeneralizedTime) -> datetime.datetime:
    native = value.native
    if not isinstance(native, datetime.datetime):
        raise MalformedInput(f"unusable time {native!r}")
    return native if native.tzinfo else native.replace(tzinfo=datetime.timezone.utc)
