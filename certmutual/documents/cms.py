"""CMS / PKCS#7 SignedData verification (RFC 5652 §5.4-§5.6; GM/T 0010 §7), SM2, RSA and ECDSA signers.

For each SignerInfo :func:`verify_cms` checks, and reports every finding (it does not stop at the
first):

1. the signer certificate is found among the embedded certificates and those supplied, by
   issuerAndSerialNumber (names compared as RFC 5280 §7.1) or subjectKeyIdentifier
   (``signer_not_found`` otherwise);
2. the digest algorithm is known and allowed (MD5 never; SHA-1 only if the policy allows);
3. with signed attributes: exactly one contentType equal to the eContentType
   (``content_type_mismatch``) and exactly one messageDigest equal to the digest of the content
   (``digest_mismatch``); the signature is then over the DER ``SET OF`` of the attributes, built from
   their original bytes by re-tagging (§5.4);
4. without: the signature is over the content octets themselves;
5. the signature with the certificate's key: SM2 (SM3, Z_A over the policy's user ID, default
   ``1234567812345678``), RSA PKCS#1 v1.5 / PSS, ECDSA (``bad_signature``);
6. the certificate allows signing (keyUsage digitalSignature or nonRepudiation, when present);
7. the certificate's path, by the caller's verifier (trust anchors, revocation with any CRLs embedded
   in the SignedData, trust list, validation time); then the signer's identity.

Not checked: the signingTime attribute (reported, never trusted), time-stamp tokens (reported as
present), countersignatures, content hints, ESS signing-certificate attributes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

from certmutual.asn1 import der
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.asn1.gmt0010 import ATTRIBUTE_OID, CONTENT_KINDS, DIGEST_NAMES, SIGNER_KEY_OID, signature_algorithm_for
from certmutual.crypto import registry
from certmutual.crypto.digests import digest
from certmutual.seals.protocol import CertificateVerifier
from certmutual.documents.results import CmsResult, SignerResult, combine
from certmutual.documents.signeddata import CmsLimits, SignedData, SignerIdKind, SignerInfo, UnsupportedFormat, parse_signed_data, unarmor
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason
from certmutual.pki.certificate import Certificate, describe_name_der, names_equivalent
from certmutual.pki.crl import CertificateList
from certmutual.pki.policy import Policy
from certmutual.results import Reason, ReasonCode

_BARE_KEY_ALGORITHMS = frozenset({SIGNER_KEY_OID.RSA, SIGNER_KEY_OID.EC_PUBLIC_KEY, SIGNER_KEY_OID.SM2, SIGNER_KEY_OID.SM2_SIGN})
_SIGNING_USAGES = frozenset({"digital_signature", "non_repudiation"})


def verify_cms(
    data: bytes,
    verifier: CertificateVerifier,
    *,
    content: bytes | None = None,
    at: datetime.datetime | None = None,
    certificates: Sequence[Certificate] = (),
    limits: CmsLimits = CmsLimits(),
) -> CmsResult:
    """Verify every SignerInfo of a CMS / PKCS#7 SignedData (DER, BER, PEM or base64).

    :param content: the signed data of a detached signature (with an attached one it must be
        equal to the encapsulated content).
    :param at: the validation time for signer certificates (default: the verifier's now). The
        signingTime attribute is the signer's claim and is never used for it.
    :param certificates: certificates to look the signer up in besides the embedded ones (and to
        build its path with).
    Returns a :class:`CmsResult`; never raises for what the bytes contain (``malformed``,
    ``unsupported_format`` — e.g. enveloped data — and ``not_signed`` — a certs-only bundle — are
    reasons). Raises :class:`certmutual.errors.ConfigurationError` for broken vendor profiles.
    """
    try:
        signed = parse_signed_data(unarmor(data), limits)
    except UnsupportedFormat as exc:
        return CmsResult((Reason(ReasonCode.UNSUPPORTED_FORMAT, str(exc)),))
    except ASN1_ERRORS as exc:
        return CmsResult((Reason(ReasonCode.MALFORMED, f"not a readable CMS/PKCS#7 SignedData: {exc}"),))
    return verify_signed_data(signed, verifier, content=content, at=at, certificates=certificates)


def verify_signed_data(
    signed: SignedData,
    verifier: CertificateVerifier,
    *,
    content: bytes | None = None,
    at: datetime.datetime | None = None,
    certificates: Sequence[Certificate] = (),
) -> CmsResult:
    """:func:`verify_cms` on an already parsed :class:`SignedData`."""
    own: list[Reason] = []
    embedded = _certificates(signed.certificates, own)
    crls = _crls(signed.crls, own)
    pool = embedded + [c for c in certificates if c not in embedded]
    if signed.econtent is not None and content is not None and content != signed.econtent:
        own.append(Reason(ReasonCode.DIGEST_MISMATCH, "the data given is not the content encapsulated in the signature"))
    signed_content = signed.econtent if signed.econtent is not None else content
    signers = tuple(
        _verify_signer(signed, info, signed_content, pool, crls, verifier, at) for info in signed.signer_infos
    )
    return CmsResult(
        combine(own, signers),
        signers,
        content_type=signed.econtent_type,
        detached=signed.econtent is None,
        content=signed.econtent,
        certificates=tuple(cert.chain_link(None) for cert in embedded),
    )


def _certificates(encoded: tuple[bytes, ...], own: list[Reason]) -> list[Certificate]:
    return _readable(encoded, Certificate, "certificate", own)


def _crls(encoded: tuple[bytes, ...], own: list[Reason]) -> list[CertificateList]:
    return _readable(encoded, CertificateList, "CRL", own)


_Parsed = TypeVar("_Parsed")


def _readable(encoded: tuple[bytes, ...], parse: Callable[[bytes], _Parsed], what: str, own: list[Reason]) -> list[_Parsed]:
    """Each embedded item that parses; an unreadable one is a ``malformed`` finding, not a failure."""
    out = []
    for index, item in enumerate(encoded):
        try:
            out.append(parse(item))
        except MalformedInput as exc:
            own.append(Reason(ReasonCode.MALFORMED, f"embedded {what} {index} is unreadable: {exc}"))
    return out


def _verify_signer(
    signed: SignedData,
    info: SignerInfo,
    content: bytes | None,
    pool: list[Certificate],
    crls: list[CertificateList],
    verifier: CertificateVerifier,
    at: datetime.datetime | None,
) -> SignerResult:
    policy = verifier.policy
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    digest_name = DIGEST_NAMES.get(info.digest_algorithm)
    digest_usable = _check_digest_algorithm(info.digest_algorithm, digest_name, policy, reasons)
    signing_time = None
    signature_input: bytes | None
    if info.signed_attributes is not None:
        _check_content_type(signed, info, reasons, warnings)
        _check_message_digest(info, content, digest_name if digest_usable else None, reasons)
        signing_time = _signing_time(info, reasons)
        signature_input = info.signed_attributes_der
    else:
        signature_input = content
    if content is None:
        reasons.append(Reason(ReasonCode.CONTENT_MISSING, "a detached signature: give the data it signs"))
    candidates = _candidates(info, pool)
    signer: Certificate | None = None
    if not candidates:
        reasons.append(Reason(ReasonCode.SIGNER_NOT_FOUND, _describe_sid(info)))
    elif signature_input is not None:
        signer = _check_signature(info, digest_name, candidates, signature_input, policy, reasons)
    else:
        signer = candidates[0]
    intact = not reasons
    certificate_result = identity = None
    if signer is not None:
        if signer.key_usage is not None and not signer.key_usage & _SIGNING_USAGES:
            reasons.append(Reason(ReasonCode.KEY_USAGE, "the signer certificate's keyUsage allows neither "
                                  "digitalSignature nor nonRepudiation", signer.subject_text))
        others = [c for c in pool if c is not signer]
        certificate_result = verifier.verify_certificate(signer, at=at, untrusted=others, crls=crls)
        if not certificate_result.accepted:
            reasons.extend(certificate_result.reasons)
        warnings.extend(certificate_result.warnings)
        try:
            identity = verifier.identify(signer, result=certificate_result)
        except MalformedInput:
            identity = None
    return SignerResult(
        info.index,
        tuple(reasons),
        tuple(warnings),
        intact=intact,
        signer=signer.chain_link(None) if signer is not None else None,
        certificate=certificate_result,
        identity=identity,
        signing_time=signing_time,
        digest_algorithm=digest_name or info.digest_algorithm,
        signature_algorithm=info.signature_algorithm,
        signed_attributes=info.signed_attributes is not None,
        timestamped=any(a.oid == ATTRIBUTE_OID.SIGNATURE_TIME_STAMP_TOKEN for a in info.unsigned_attributes),
    )


def _check_digest_algorithm(oid: str, name: str | None, policy: Policy, reasons: list[Reason]) -> bool:
    if name is None:
        reasons.append(Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"digest algorithm {oid}"))
        return False
    if name == "md5" or (name == "sha1" and not policy.allow_weak_algorithms):
        reasons.append(Reason(ReasonCode.WEAK_ALGORITHM, f"digest algorithm {name} refused by policy"))
        return False
    return True


def _check_content_type(signed: SignedData, info: SignerInfo, reasons: list[Reason], warnings: list[Reason]) -> None:
    """RFC 5652 §5.3: with signedAttrs, exactly one contentType, equal to the eContentType."""
    found = info.attribute(ATTRIBUTE_OID.CONTENT_TYPE)
    if len(found) != 1 or len(found[0].values) != 1:
        reasons.append(Reason(ReasonCode.CONTENT_TYPE_MISMATCH, f"{len(found)} contentType attributes (exactly one required)"))
        return
    value = found[0].values[0]
    try:
        tag, start, end = der.read_header(value, 0)
        if tag != 0x06 or end != len(value):
            raise MalformedInput("not an OBJECT IDENTIFIER")
        oid = der.decode_oid(value[start:end])
    except MalformedInput as exc:
        reasons.append(Reason(ReasonCode.CONTENT_TYPE_MISMATCH, f"unreadable contentType attribute: {exc}"))
        return
    if oid == signed.econtent_type:
        return
    kind = CONTENT_KINDS.get(oid)
    if kind is not None and kind is CONTENT_KINDS.get(signed.econtent_type):
        # GM/T 0010 and PKCS#7 names of the same type (producers mix the families).
        warnings.append(Reason(ReasonCode.CONTENT_TYPE_MISMATCH, f"contentType attribute {oid} names the same type as "
                               f"eContentType {signed.econtent_type} in the other OID family"))
        return
    reasons.append(Reason(ReasonCode.CONTENT_TYPE_MISMATCH, f"contentType attribute {oid} differs from eContentType {signed.econtent_type}"))


def _check_message_digest(info: SignerInfo, content: bytes | None, digest_name: str | None, reasons: list[Reason]) -> None:
    found = info.attribute(ATTRIBUTE_OID.MESSAGE_DIGEST)
    if len(found) != 1 or len(found[0].values) != 1:
        reasons.append(Reason(ReasonCode.MALFORMED, f"{len(found)} messageDigest attributes (exactly one required)"))
        return
    value = found[0].values[0]
    try:
        tag, start, end = der.read_header(value, 0)
    except MalformedInput as exc:
        reasons.append(Reason(ReasonCode.MALFORMED, f"unreadable messageDigest: {exc}"))
        return
    if tag != 0x04 or end != len(value):
        reasons.append(Reason(ReasonCode.MALFORMED, "messageDigest is not an OCTET STRING"))
        return
    if content is None or digest_name is None:
        return
    if digest(digest_name, content) != value[start:end]:
        reasons.append(Reason(ReasonCode.DIGEST_MISMATCH, f"messageDigest differs from the {digest_name} of the content"))


def _signing_time(info: SignerInfo, reasons: list[Reason]) -> datetime.datetime | None:
    found = info.attribute(ATTRIBUTE_OID.SIGNING_TIME)
    if not found or not found[0].values:
        return None
    value = found[0].values[0]
    try:
        tag, start, end = der.read_header(value, 0)
        if tag not in (0x17, 0x18) or end != len(value):
            raise MalformedInput("signingTime is not a UTCTime or GeneralizedTime")
        return der.decode_time(tag, value[start:end])
    except MalformedInput as exc:
        reasons.append(Reason(ReasonCode.MALFORMED, f"unreadable signingTime: {exc}"))
        return None


def _candidates(info: SignerInfo, pool: list[Certificate]) -> list[Certificate]:
    if info.sid_kind is SignerIdKind.SUBJECT_KEY_IDENTIFIER:
        return [cert for cert in pool if key_identifier(cert) == info.subject_key_id]
    assert info.issuer_der is not None
    return [cert for cert in pool if cert.serial == info.serial and names_equivalent(cert.issuer_der, info.issuer_der)]


def key_identifier(cert: Certificate) -> bytes | None:
    """The certificate's subjectKeyIdentifier, or RFC 5280 §4.2.1.2 method 1 when it has none."""
    if cert.subject_key_id is not None:
        return cert.subject_key_id
    try:
        _, start, end = der.read_header(cert.spki, 0)
        parts = der.elements(cert.spki, start, end)
        if len(parts) != 2 or parts[1][0] != 0x03:
            return None
        return hashlib.sha1(cert.spki[parts[1][2] + 1 : parts[1][3]]).digest()
    except MalformedInput:
        return None


def _describe_sid(info: SignerInfo) -> str:
    if info.sid_kind is SignerIdKind.SUBJECT_KEY_IDENTIFIER:
        return f"no certificate with subjectKeyIdentifier {(info.subject_key_id or b'').hex()} is embedded or supplied"
    serial = info.serial or 0
    return (f"no certificate issued by {describe_name_der(info.issuer_der or b'')} with serial "
            f"{format(serial, 'X')} is embedded or supplied")


def _check_signature(
    info: SignerInfo,
    digest_name: str | None,
    candidates: list[Certificate],
    signature_input: bytes,
    policy: Policy,
    reasons: list[Reason],
) -> Certificate:
    """Verify with each matching certificate until one works; the first one's failure is reported."""
    algorithm = signature_algorithm_for(info.signature_algorithm, digest_name)
    if algorithm is None:
        reasons.append(Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"signature algorithm {info.signature_algorithm} "
                              f"with digest {digest_name or info.digest_algorithm}"))
        return candidates[0]
    # Bare key algorithms carry key parameters (a curve, NULL), not signature parameters.
    parameters = None if info.signature_algorithm in _BARE_KEY_ALGORITHMS else info.signature_parameters
    first: Reason | None = None
    for cert in candidates:
        failure = _signature_failure(cert, algorithm, parameters, info.signature, signature_input, policy)
        if failure is None:
            return cert
        first = first or failure
    assert first is not None
    reasons.append(first)
    return candidates[0]


def _signature_failure(
    cert: Certificate, algorithm: str, parameters: bytes | None, signature: bytes, data: bytes, policy: Policy
) -> Reason | None:
    try:
        registry.verify_signature(cert.public_key, algorithm, parameters, signature, data,
                                  sm2_user_id=policy.sm2_user_id, allow_weak=policy.allow_weak_algorithms)
    except InvalidSignature as exc:
        return Reason(ReasonCode.BAD_SIGNATURE, str(exc), cert.subject_text)
    except UnsupportedAlgorithm as exc:
        weak = exc.reason is UnsupportedReason.WEAK_ALGORITHM
        return Reason(ReasonCode.WEAK_ALGORITHM if weak else ReasonCode.UNSUPPORTED_ALGORITHM, str(exc), cert.subject_text)
    except MalformedInput as exc:
        return Reason(ReasonCode.MALFORMED, str(exc), cert.subject_text)
    return None


__all__ = ["CmsLimits", "CmsResult", "SignerResult", "digest", "key_identifier", "verify_cms", "verify_signed_data"]
