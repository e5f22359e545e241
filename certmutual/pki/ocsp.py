"""OCSP (RFC 6960), pure: building requests and judging responses. No network, no clock.

An HTTP fetcher sends what :func:`build_request` makes and hands the reply's bytes to
:func:`parse_response` (defined in :mod:`certmutual.pki.ocsp_response`, re-exported here);
:func:`check_response` judges the parsed response for one certificate at a time the caller gives,
and returns an :class:`OcspOutcome` (plain data; turning it into reasons is the revocation layer's
job).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509

from certmutual.asn1 import der
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.asn1.oids import EKU_OID, EXT_OID
from certmutual.errors import MalformedInput, UsageError
from certmutual.pki.certificate import Certificate, names_equivalent
from certmutual.pki.ocsp_response import (
    HASH_ALGORITHMS, HASH_NAMES, MAX_EMBEDDED_CERTS, OCSP_OID, BasicResponse, CertId, CertStatus, OCSPResponse,
    ResponderId, ResponseStatus, SingleResponse, cert_id_digest, cert_id_hashes, issuer_key_bytes, parse_response,
)
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import SignatureCache, check_signed_by
from certmutual.results import ReasonCode

__all__ = [
    "build_request", "ocsp_urls", "parse_response", "check_response", "OcspOutcome", "OcspStatus", "OcspProblem",
    "MAX_AGE_WITHOUT_NEXT_UPDATE", "OCSPResponse", "BasicResponse", "SingleResponse", "CertId", "CertStatus",
    "ResponderId", "ResponseStatus", "HASH_ALGORITHMS", "HASH_NAMES", "MAX_EMBEDDED_CERTS", "OCSP_OID",
    "cert_id_digest", "cert_id_hashes", "issuer_key_bytes",
]


def build_request(
    cert: Certificate,
    issuer: Certificate,
    *,
    nonce: bytes | None = None,
    hash_algorithm: str = "sha1",
) -> bytes:
    """DER of an unsigned OCSPRequest (RFC 6960 §4.1) asking about ``cert``, issued by ``issuer``.

    One CertID: issuerNameHash over the issuer's subject DER, issuerKeyHash over the issuer's
    subjectPublicKey, and ``cert``'s serial, hashed with ``hash_algorithm`` ("sha1", the default
    responders expect; "sha256"; or "sm3" for GM/T responders). ``nonce`` adds the
    id-pkix-ocsp-nonce request extension (RFC 8954: 1 to 32 octets; the response must echo it).

    Raises :class:`UsageError` for an unknown hash name or a bad nonce length. Does not check that
    ``issuer`` really issued ``cert``.
    """
    if nonce is not None and not 1 <= len(nonce) <= 32:
        raise UsageError("an OCSP nonce is 1 to 32 octets (RFC 8954)")
    name_hash, key_hash = cert_id_hashes(issuer, hash_algorithm)
    request: dict[str, object] = {
        "req_cert": {
            "hash_algorithm": {"algorithm": HASH_ALGORITHMS[hash_algorithm]},
            "issuer_name_hash": name_hash,
            "issuer_key_hash": key_hash,
            "serial_number": cert.serial,
        }
    }
    tbs: dict[str, object] = {"request_list": [request]}
    if nonce is not None:
        tbs["request_extensions"] = [{"extn_id": "nonce", "critical": False, "extn_value": nonce}]
    return bytes(asn1_ocsp.OCSPRequest({"tbs_request": tbs}).dump())


def ocsp_urls(cert: Certificate) -> list[str]:
    """The OCSP responder URLs of ``cert``'s authorityInfoAccess (id-ad-ocsp, URI names), in order.

    Empty when the certificate has no AIA or no OCSP access description. The extension was parsed
    when the certificate was loaded, so this does not raise for a loaded certificate.
    """
    extension = cert.extensions.get(EXT_OID.AUTHORITY_INFO_ACCESS)
    if extension is None:
        return []
    try:
        aia = der.load(x509.AuthorityInfoAccessSyntax, extension.value)
        urls = []
        for description in aia:
            if description["access_method"].dotted != OCSP_OID.AD_OCSP:
                continue
            location = description["access_location"]
            if location.name == "uniform_resource_identifier":
                urls.append(str(location.native))
        return urls
    except ASN1_ERRORS as exc:
        raise MalformedInput(f"unreadable authorityInfoAccess: {exc}") from exc


# -- judging a response (RFC 6960 §3.2, §4.2.2.2) ------------------------------------------------

MAX_AGE_WITHOUT_NEXT_UPDATE = datetime.timedelta(days=7)
"""How long after its thisUpdate a SingleResponse without nextUpdate may be relied on. RFC 6960
§4.2.2.1 says such a response means "newer information is available all the time", so it has no
end of its own; a week matches the nextUpdate interval of the CRLs the province's CAs publish (and
the CA/Browser Forum's longest OCSP validity is ten days). Not a ``Policy`` field on purpose: a
caller who wants a shorter window checks ``this_update`` in the outcome."""


class OcspStatus(enum.Enum):
    """What an OCSP response says about one certificate at the validation time."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
    """The (authorised, fresh) responder says it does not know the certificate."""
    UNUSABLE = "unusable"
    """The response cannot be relied on; :attr:`OcspOutcome.problem` says why."""


class OcspProblem(enum.Enum):
    """Why a response is UNUSABLE."""

    NOT_SUCCESSFUL = "the responder did not answer successfully"
    UNSUPPORTED_RESPONSE_TYPE = "the response is not an id-pkix-ocsp-basic response"
    UNKNOWN_CRITICAL_EXTENSION = "the response has a critical extension this library does not process"
    NO_MATCHING_RESPONSE = "no SingleResponse is about this certificate"
    RESPONDER_NOT_AUTHORISED = "the signer is neither the issuer nor a responder the issuer authorised"
    BAD_SIGNATURE = "the response signature does not verify"
    UNSUPPORTED_SIGNATURE_ALGORITHM = "the response signature algorithm is unsupported or refused by policy"
    EXPIRED = "nextUpdate is before the validation time"
    TOO_OLD = "no nextUpdate, and thisUpdate is older than MAX_AGE_WITHOUT_NEXT_UPDATE"
    NONCE_MISMATCH = "the response does not echo the request's nonce"


@dataclass(frozen=True)
class OcspOutcome:
    """The verdict of :func:`check_response` on one certificate: plain data, no reason codes."""

    status: OcspStatus
    problem: OcspProblem | None = None
    """Set exactly when ``status`` is UNUSABLE."""
    detail: str = ""
    """A sentence for humans (the problem with its particulars, or the revocation)."""
    response_status: ResponseStatus | None = None
    revoked_at: datetime.datetime | None = None
    revocation_reason: str | None = None
    """asn1crypto's CRLReason name (``"key_compromise"``, ...) when the responder gave one."""
    this_update: datetime.datetime | None = None
    next_update: datetime.datetime | None = None
    produced_at: datetime.datetime | None = None
    responder: Certificate | None = None
    """The certificate whose key signed the response, once that signature verified."""
    delegated: bool = False
    """True when ``responder`` is a delegated OCSP responder (not the issuer itself)."""

    @property
    def usable(self) -> bool:
        return self.status is not OcspStatus.UNUSABLE


def check_response(
    cert: Certificate,
    issuer: Certificate,
    response: OCSPResponse,
    at: datetime.datetime,
    policy: Policy,
    cache: SignatureCache | None,
    *,
    nonce: bytes | None = None,
) -> OcspOutcome:
    """Judge what ``response`` says about ``cert`` (issued by ``issuer``) at ``at``.

    Checks, in order: successful status and basic type; no unknown critical response extension;
    the nonce, when ``nonce`` is given (the response must echo it); the signer (RFC 6960 §4.2.2.2:
    the ResponderID names ``issuer`` itself, or a certificate in the response that ``issuer`` signed,
    with id-kp-OCSPSigning, valid at ``at``, and whose keyUsage, if any, allows digitalSignature);
    the signature over tbsResponseData as received (``policy.sm2_user_id``,
    ``policy.allow_weak_algorithms``, ``policy.min_rsa_bits`` for a delegated responder's key); a
    SingleResponse whose CertID matches (issuer name hash, issuer key hash, serial, in the hash the
    response uses); no unknown critical single extension; issued at or after ``at`` (then it speaks for
    ``at``), or before it with nextUpdate at or after ``at`` (or, without nextUpdate, thisUpdate within
    :data:`MAX_AGE_WITHOUT_NEXT_UPDATE`).

    A revocation dated at or before ``at`` is REVOKED even in a response past its nextUpdate
    (revocation is permanent, as for CRLs), except on hold (certificateHold), which may have been
    lifted. A revocation dated after ``at`` means GOOD at ``at`` (``revoked_at`` still says when).
    When several SingleResponses match, REVOKED wins over UNKNOWN over GOOD.

    Not checked: that ``issuer`` really issued ``cert`` or is itself valid (the path's business),
    revocation of a delegated responder (id-pkix-ocsp-nocheck is assumed), producedAt. Never raises
    for a parsed response.
    """
    if at.tzinfo is None:  # as the Verifier does: a naive time is UTC
        at = at.replace(tzinfo=datetime.timezone.utc)
    if response.status is not ResponseStatus.SUCCESSFUL:
        return _unusable(OcspProblem.NOT_SUCCESSFUL, f"responseStatus is {response.status.value}", response)
    basic = response.basic
    if basic is None:
        return _unusable(OcspProblem.UNSUPPORTED_RESPONSE_TYPE, f"responseType {response.response_type}", response)
    if basic.unknown_critical_extensions:
        return _unusable(OcspProblem.UNKNOWN_CRITICAL_EXTENSION,
                         f"critical response extension {', '.join(basic.unknown_critical_extensions)}", response)
    if nonce is not None and basic.nonce != nonce:
        detail = "the response has no nonce" if basic.nonce is None else "the response's nonce differs from the request's"
        return _unusable(OcspProblem.NONCE_MISMATCH, detail, response)
    signer, delegated, failure = _signer(issuer, basic, at, policy, cache)
    if failure is not None:
        return _unusable(failure[0], failure[1], response)
    matches = _matching(cert, issuer, basic.responses)
    if not matches:
        return _unusable(OcspProblem.NO_MATCHING_RESPONSE,
                         f"none of {len(basic.responses)} SingleResponse(s) is about serial {cert.serial_hex}", response)
    rank = {CertStatus.REVOKED: 0, CertStatus.UNKNOWN: 1, CertStatus.GOOD: 2}
    single = min(matches, key=lambda item: rank[item.status])
    unknown = sorted({oid for item in matches for oid in item.unknown_critical_extensions})
    status, problem, detail = _judge(single, unknown, at)
    return OcspOutcome(
        status, problem, f"{problem.value}: {detail}" if problem is not None else detail, response.status,
        revoked_at=single.revoked_at, revocation_reason=single.revocation_reason, this_update=single.this_update,
        next_update=single.next_update, produced_at=basic.produced_at, responder=signer, delegated=delegated,
    )


def _judge(
    single: SingleResponse, unknown: list[str], at: datetime.datetime,
) -> tuple[OcspStatus, OcspProblem | None, str]:
    """(status, problem, detail) of an authentic SingleResponse at ``at``."""
    unusable = OcspStatus.UNUSABLE
    if unknown:
        return unusable, OcspProblem.UNKNOWN_CRITICAL_EXTENSION, f"critical single extension {', '.join(unknown)}"
    revoked = single.status is CertStatus.REVOKED and single.revoked_at is not None and single.revoked_at <= at
    if revoked and single.revocation_reason != "certificate_hold":
        return OcspStatus.REVOKED, None, _revoked_detail(single)
    if single.this_update >= at:
        # Issued at or after the validation time: it speaks for that time (a bid signed last week
        # is judged with today's answer, as AdES validation does).
        return (OcspStatus.REVOKED, None, _revoked_detail(single)) if revoked else _not_revoked(single, at)
    if single.next_update is not None and single.next_update < at:
        return unusable, OcspProblem.EXPIRED, f"nextUpdate {single.next_update.isoformat()} is before {at.isoformat()}"
    if single.next_update is None and at - single.this_update > MAX_AGE_WITHOUT_NEXT_UPDATE:
        return (unusable, OcspProblem.TOO_OLD, f"no nextUpdate, and thisUpdate {single.this_update.isoformat()} "
                f"is more than {MAX_AGE_WITHOUT_NEXT_UPDATE.days} days before {at.isoformat()}")
    if revoked:
        return OcspStatus.REVOKED, None, _revoked_detail(single)
    return _not_revoked(single, at)


def _not_revoked(single: SingleResponse, at: datetime.datetime) -> tuple[OcspStatus, OcspProblem | None, str]:
    """Good or unknown at ``at`` (a revocation after ``at``, or a hold, does not count then)."""
    if single.status is CertStatus.UNKNOWN:
        return OcspStatus.UNKNOWN, None, "the responder does not know this certificate"
    if single.status is CertStatus.REVOKED and single.revoked_at is not None:
        return OcspStatus.GOOD, None, f"good at {at.isoformat()}; revoked later, at {single.revoked_at.isoformat()}"
    return OcspStatus.GOOD, None, "good"


def _unusable(problem: OcspProblem, detail: str, response: OCSPResponse) -> OcspOutcome:
    basic = response.basic
    return OcspOutcome(OcspStatus.UNUSABLE, problem, f"{problem.value}: {detail}", response.status,
                       produced_at=basic.produced_at if basic is not None else None)


def _revoked_detail(single: SingleResponse) -> str:
    assert single.revoked_at is not None
    why = f" ({single.revocation_reason})" if single.revocation_reason else ""
    return f"revoked at {single.revoked_at.isoformat()}{why}"


def _matching(cert: Certificate, issuer: Certificate, responses: tuple[SingleResponse, ...]) -> list[SingleResponse]:
    """The SingleResponses whose CertID names ``cert``: serial, then issuer key hash and name hash in
    the response's hash (the name hashed as the issuer's subject or as ``cert``'s issuer field)."""
    hashes: dict[str, tuple[set[bytes], bytes]] = {}
    found = []
    try:
        issuer_key = issuer_key_bytes(issuer)
    except MalformedInput:
        return []
    for single in responses:
        cert_id = single.cert_id
        name = HASH_NAMES.get(cert_id.hash_algorithm)
        if cert_id.serial != cert.serial or name is None:
            continue
        if name not in hashes:
            hashes[name] = ({cert_id_digest(name, issuer.subject_der), cert_id_digest(name, cert.issuer_der)},
                            cert_id_digest(name, issuer_key))
        name_hashes, key_hash = hashes[name]
        if cert_id.issuer_key_hash == key_hash and cert_id.issuer_name_hash in name_hashes:
            found.append(single)
    return found


def _names(responder_id: ResponderId, cert: Certificate) -> bool:
    """Whether the ResponderID designates ``cert``: its subject (byName), or the SHA-1 of its
    subjectPublicKey (byKey; SHA-256 and SM3 are accepted too, as some GM/T responders use them).
    Only selects the key to try: the signature and the authorisation checks decide."""
    if responder_id.name_der is not None:
        return names_equivalent(responder_id.name_der, cert.subject_der)
    key_hash = responder_id.key_hash
    if key_hash is None:
        return False
    try:
        key = issuer_key_bytes(cert)
    except MalformedInput:
        return False
    return any(key_hash == cert_id_digest(name, key) for name in ("sha1", "sha256", "sm3"))


def _signer(
    issuer: Certificate, basic: BasicResponse, at: datetime.datetime, policy: Policy, cache: SignatureCache | None,
) -> tuple[Certificate | None, bool, tuple[OcspProblem, str] | None]:
    """(signer, delegated, None) when an authorised responder signed ``basic``; else (None, False,
    (problem, detail)) for the most telling failure."""
    rid = basic.responder_id
    if _names(rid, issuer):
        failure = _signature(basic, issuer, policy, cache)
        return (None, False, failure) if failure is not None else (issuer, False, None)
    candidates = [c for c in basic.certs if _names(rid, c)]
    if not candidates:
        return None, False, (OcspProblem.RESPONDER_NOT_AUTHORISED,
                             "the ResponderID names neither the issuer nor a certificate in the response")
    refusals: list[str] = []
    bad_signature: tuple[OcspProblem, str] | None = None
    for candidate in candidates:
        refusal = _delegation_refused(candidate, issuer, at, policy, cache)
        if refusal is not None:
            refusals.append(f"{candidate.subject_text}: {refusal}")
            continue
        failure = _signature(basic, candidate, policy, cache)
        if failure is None:
            return candidate, True, None
        bad_signature = bad_signature or failure
    if bad_signature is not None:
        return None, False, bad_signature
    return None, False, (OcspProblem.RESPONDER_NOT_AUTHORISED, "; ".join(refusals))


def _delegation_refused(
    responder: Certificate, issuer: Certificate, at: datetime.datetime, policy: Policy, cache: SignatureCache | None,
) -> str | None:
    """Why ``responder`` is not a responder ``issuer`` authorised at ``at`` (RFC 6960 §4.2.2.2), or None."""
    if responder.ext_key_usage is None or EKU_OID.OCSP_SIGNING not in responder.ext_key_usage:
        return "no id-kp-OCSPSigning in its extendedKeyUsage"
    if responder.key_usage is not None and "digital_signature" not in responder.key_usage:
        return "its keyUsage lacks digitalSignature"
    if not responder.issued_by_name(issuer):
        return "not issued by the certificate's issuer"
    if not responder.not_before <= at <= responder.not_after:
        return f"not valid at {at.isoformat()} ({responder.not_before.isoformat()} to {responder.not_after.isoformat()})"
    try:
        bits = responder.rsa_bits
    except MalformedInput as exc:
        return str(exc)
    if bits is not None and bits < policy.min_rsa_bits:
        return f"{bits}-bit RSA key, below the policy's {policy.min_rsa_bits}"
    bad = check_signed_by(responder, issuer, sm2_user_id=policy.sm2_user_id, allow_weak=policy.allow_weak_algorithms,
                          cache=cache, what=f"OCSP responder certificate {responder.subject_text}")
    return None if bad is None else f"not signed by the issuer's key ({bad.message})"


class _SignedResponse:
    """A BasicResponse in the (mutable-attribute) shape :class:`SignedObject` declares."""

    def __init__(self, basic: BasicResponse) -> None:
        self.sha256 = basic.sha256
        self.tbs = basic.tbs
        self.signature_algorithm = basic.signature_algorithm
        self.signature_parameters = basic.signature_parameters
        self.signature = basic.signature


def _signature(basic: BasicResponse, signer: Certificate, policy: Policy,
               cache: SignatureCache | None) -> tuple[OcspProblem, str] | None:
    bad = check_signed_by(_SignedResponse(basic), signer, sm2_user_id=policy.sm2_user_id,
                          allow_weak=policy.allow_weak_algorithms, cache=cache, what="OCSP response")
    if bad is None:
        return None
    if bad.code in (ReasonCode.WEAK_ALGORITHM, ReasonCode.UNSUPPORTED_ALGORITHM):
        return OcspProblem.UNSUPPORTED_SIGNATURE_ALGORITHM, bad.message
    return OcspProblem.BAD_SIGNATURE, bad.message
