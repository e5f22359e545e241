"""Verifying seals and seal signatures (GB/T 38540-2020 §6.3 and §7.3; GM/T 0031-2014's procedure has
the same shape; GM/T 0031-2025's additions where the seal is v5). Reconstructed order: china-specs §4.7.

A seal (:func:`check_seal`): the maker's signature over exactly what the seal's standard signs; the
maker certificate through the caller's verifier (chain, validity, revocation) and its key usage
(digitalSignature or nonRepudiation); the seal's validity window at the time of use; v5: the grace for
a maker certificate that expired or was revoked after createDate, and the seal timestamp.

A seal signature (:func:`check_seal_signature`): the signature over the original TBS_Sign with the
signer certificate; the signer certificate is one the seal lists (by bytes, or by digest); the
timestamp over the signature value (when present); the embedded seal, in full, at the signing time; the
signer certificate at the signing time; ``dataHash`` against the data (or digest) the caller gives.

The signing time is the verified timestamp's time when there is one, else the signer's own
``timeInfo`` (``signing_time_source`` says which); the caller's ``at`` overrides both. Every step runs
and reports; none stops the others. Nothing here reads the clock or builds trust: both stay behind the
:class:`CertificateVerifier` (a :class:`certmutual.Verifier`).
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable

from certmutual.asn1 import der
from certmutual.crypto import registry, sm2
from certmutual.errors import (
    ConfigurationError, InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason,
)
from certmutual.identity.model import Identity
from certmutual.pki.certificate import Certificate
from certmutual.results import ChainLink, Reason, ReasonCode, VerificationResult
from certmutual.seals.certs import clear_der_cache, der_deviations, load_certificate
from certmutual.seals.model import CertListType, Seal, SealInfo, SealSignature, TimeSource
from certmutual.seals.parse import STANDARDS, UnsupportedSealFormat, parse_seal, parse_seal_signature
from certmutual.seals.protocol import CertificateVerifier
from certmutual.seals.results import PictureFacts, SealResult, SealSignatureResult, TimestampResult
from certmutual.crypto.digests import digest
from certmutual.seals.timestamp import DIGESTS, verify_timestamp

CLOCK_SKEW = datetime.timedelta(minutes=10)
"""How far a stated time may run ahead of the time that proves it (signer and TSA clocks differ)."""

SIGNING_USAGES = frozenset({"digital_signature", "non_repudiation"})
"""A maker or signer certificate's keyUsage, when present, must assert one of these."""

_GRACE_CODES = frozenset({ReasonCode.EXPIRED, ReasonCode.REVOKED})


# -- entry points ------------------------------------------------------------------------------------


def verify_seal(data: bytes, verifier: CertificateVerifier, *, at: datetime.datetime | None = None,
                strict: bool = False) -> SealResult:
    """Parse and verify an electronic seal (SESeal, any version) as of ``at`` (default: the verifier's
    current time). ``strict`` turns tolerated deviations from the standard into reasons.

    Never raises for bad input: unreadable bytes give ``malformed``, a structure of no known seal
    version ``unsupported_format``."""
    try:
        seal = parse_seal(data)
    except UnsupportedSealFormat as exc:
        return SealResult((Reason(ReasonCode.UNSUPPORTED_FORMAT, str(exc)),), at=at)
    except MalformedInput as exc:
        return SealResult((Reason(ReasonCode.MALFORMED, f"not a readable seal: {exc}"),), at=at)
    return check_seal(seal, verifier, at=at, strict=strict)


def verify_seal_signature(data: bytes, verifier: CertificateVerifier, *, signed_data: bytes | None = None,
                          data_digest: bytes | None = None, at: datetime.datetime | None = None,
                          strict: bool = False) -> SealSignatureResult:
    """Parse and verify a seal signature (SES_Signature, 电子签章, any version; an OFD ``SignedValue.dat``
    of a ``Type="Seal"`` signature).

    :param data: the SES_Signature DER.
    :param verifier: decides the maker, signer and TSA certificates (a :class:`certmutual.Verifier`).
    :param signed_data: the data ``dataHash`` covers (for OFD: the bytes of the signature's
        ``Signature.xml``); hashed with the signature algorithm's digest (SM3 for SM2).
    :param data_digest: the digest itself, instead of ``signed_data``.
    :param at: validate the signer and the seal at this time instead of the signing time.
    :param strict: turn tolerated deviations from the standard into reasons.
    :returns: a :class:`SealSignatureResult`. Without ``signed_data`` or ``data_digest`` the result is at
        best ``indeterminate`` (``content_missing``): the signature is intact, but what it signs was
        not compared. Never raises for bad input.
    """
    try:
        signature = parse_seal_signature(data)
    except UnsupportedSealFormat as exc:
        return SealSignatureResult((Reason(ReasonCode.UNSUPPORTED_FORMAT, str(exc)),), at=at)
    except MalformedInput as exc:
        return SealSignatureResult((Reason(ReasonCode.MALFORMED, f"not a readable seal signature: {exc}"),), at=at)
    return check_seal_signature(signature, verifier, signed_data=signed_data, data_digest=data_digest, at=at,
                                strict=strict)


# -- a seal ------------------------------------------------------------------------------------------


def check_seal(seal: Seal, verifier: CertificateVerifier, *, at: datetime.datetime | None = None,
               strict: bool = False, signer_identities: bool = True) -> SealResult:
    """Verify a parsed seal as of ``at`` (its time of use; default: the verifier's current time)."""
    standard = STANDARDS[seal.version]
    info = seal.info
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    deviations = list(seal.findings)
    allow_weak = verifier.policy.allow_weak_algorithms
    maker: Certificate | None = None
    maker_link: ChainLink | None = None
    maker_result: VerificationResult | None = None
    intact = False
    try:
        maker = load_certificate(seal.maker_certificate)
    except MalformedInput as exc:
        reasons.append(Reason(ReasonCode.MALFORMED, f"the seal maker certificate does not read: {exc}", "seal maker certificate"))
    when = at
    if maker is not None:
        maker_link = maker.chain_link(None)
        deviations += _der_findings(maker, "the seal maker certificate")
        failure, signature_findings = _maker_signature(seal, maker, allow_weak)
        deviations += signature_findings
        intact = failure is None
        if failure is not None:
            reasons.append(failure)
        maker_result = verifier.verify_certificate(maker, at=at)
        when = maker_result.at
        maker_reasons = _certificate_reasons(maker_result) + _usage_reasons(maker)
        if maker_reasons and standard.maker_grace and info.create_date is not None \
                and all(r.code in _GRACE_CODES for r in maker_reasons):
            then = verifier.verify_certificate(maker, at=info.create_date)
            if then.accepted:
                note = f" (valid at createDate {info.create_date.isoformat()}: a warning under {standard.version.standard})"
                warnings += _scoped([Reason(r.code, r.message + note, r.concerns) for r in maker_reasons],
                                    "seal maker certificate")
                maker_reasons = []
        reasons += _scoped(maker_reasons, "seal maker certificate")
        warnings += _scoped(maker_result.warnings, "seal maker certificate")
    if when is not None:
        reasons += _window_reasons(info, when)
    timestamp = None
    if seal.timestamp is not None:
        timestamp = verify_timestamp(seal.timestamp, seal.signature, verifier, what="seal timestamp")
        reasons += [r for r in timestamp.reasons if r.code is not ReasonCode.OK]
        warnings += _timestamp_warnings(timestamp, "seal timestamp")
        if standard.seal_timestamp and timestamp.time is not None and info.create_date is not None \
                and info.create_date > timestamp.time + CLOCK_SKEW:
            reasons.append(Reason(ReasonCode.TIME_INCONSISTENT, f"createDate {info.create_date.isoformat()} is after "
                                  f"the seal timestamp's time {timestamp.time.isoformat()}", "seal timestamp"))
    (reasons if strict else warnings)[:0] = deviations
    signers, identities = _listed_signers(info, verifier if signer_identities else None)
    picture = info.picture
    return SealResult(
        tuple(reasons), tuple(warnings), at=when, version=seal.version, header_version=info.header_version,
        vendor_id=info.vendor_id, es_id=info.es_id, name=info.name, seal_type=info.seal_type,
        cert_list_type=info.cert_list_type, create_date=info.create_date, valid_start=info.valid_start,
        valid_end=info.valid_end,
        picture=PictureFacts.of(picture.type, picture.format, picture.width_mm, picture.height_mm, picture.data),
        signature_algorithm=seal.signature_algorithm, intact=intact, maker=maker_link, maker_certificate=maker_result,
        signers=signers, signer_digests=tuple(d.value.hex() for d in info.digests), signer_identities=identities,
        timestamp=timestamp,
    )


_MakerOutcome = tuple[Reason | None, tuple[Reason, ...]]
_MAKER_OUTCOMES: OrderedDict[tuple[bytes, bytes, str, str, bool], _MakerOutcome] = OrderedDict()
_MAKER_OUTCOMES_SIZE = 1024
_MAKER_LOCK = threading.Lock()


def _maker_signature(seal: Seal, maker: Certificate, allow_weak: bool) -> _MakerOutcome:
    """The maker's signature (failure reason, findings), remembered per (seal, key): a seal signs many
    documents, and verifying fixed bytes with a fixed key always ends the same way."""
    key = (hashlib.sha256(seal.signed_bytes).digest(), seal.signature, maker.sha256, seal.signature_algorithm, allow_weak)
    with _MAKER_LOCK:
        if key in _MAKER_OUTCOMES:
            _MAKER_OUTCOMES.move_to_end(key)
            return _MAKER_OUTCOMES[key]
    findings: list[Reason] = []
    failure = _signature_reason(maker, seal.signature_algorithm, seal.signature, seal.signed_bytes, allow_weak,
                                "the seal maker's signature", findings)
    outcome = (failure, tuple(findings))
    with _MAKER_LOCK:
        _MAKER_OUTCOMES[key] = outcome
        while len(_MAKER_OUTCOMES) > _MAKER_OUTCOMES_SIZE:
            _MAKER_OUTCOMES.popitem(last=False)
    return outcome


def clear_caches() -> None:
    """Forget remembered maker-signature outcomes and DER findings (benchmarks; tests)."""
    with _MAKER_LOCK:
        _MAKER_OUTCOMES.clear()
    clear_der_cache()


def _window_reasons(info: SealInfo, when: datetime.datetime) -> list[Reason]:
    reasons = []
    if info.valid_start is not None and when < info.valid_start:
        reasons.append(Reason(ReasonCode.SEAL_NOT_YET_VALID, f"the seal is valid from {info.valid_start.isoformat()}, "
                              f"judged at {when.isoformat()}", "seal"))
    if info.valid_end is not None and when > info.valid_end:
        reasons.append(Reason(ReasonCode.SEAL_EXPIRED, f"the seal expired at {info.valid_end.isoformat()}, "
                              f"judged at {when.isoformat()}", "seal"))
    return reasons


def _listed_signers(info: SealInfo, verifier: CertificateVerifier | None) -> tuple[tuple[ChainLink, ...], tuple[Identity, ...]]:
    links: list[ChainLink] = []
    identities: list[Identity] = []
    for encoded in info.certificates:
        try:
            cert = load_certificate(encoded)
        except MalformedInput:
            continue
        links.append(cert.chain_link(None))
        if verifier is not None:
            try:
                identities.append(verifier.identify(cert))
            except (MalformedInput, ConfigurationError):
                pass
    return tuple(links), tuple(identities)


# -- a seal signature --------------------------------------------------------------------------------


def check_seal_signature(signature: SealSignature, verifier: CertificateVerifier, *, signed_data: bytes | None = None,
                         data_digest: bytes | None = None, at: datetime.datetime | None = None,
                         strict: bool = False) -> SealSignatureResult:
    """Verify a parsed seal signature (see :func:`verify_seal_signature`)."""
    seal = signature.seal
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    deviations = list(signature.findings)
    allow_weak = verifier.policy.allow_weak_algorithms
    signer: Certificate | None = None
    try:
        signer = load_certificate(signature.signer_certificate)
    except MalformedInput as exc:
        reasons.append(Reason(ReasonCode.MALFORMED, f"the signer certificate does not read: {exc}", "signer certificate"))
    signature_ok = False
    if signer is not None:
        deviations += _der_findings(signer, "the signer certificate")
        failure = _signature_reason(signer, signature.signature_algorithm, signature.signature, signature.signed_bytes,
                                    allow_weak, "the seal signature", deviations)
        signature_ok = failure is None
        if failure is not None:
            reasons.append(failure)
        membership = _membership_reason(seal.info, signer)
        if membership is not None:
            reasons.append(membership)
    timestamp: TimestampResult | None = None
    if signature.timestamp is not None:
        timestamp = verify_timestamp(signature.timestamp, signature.signature, verifier, what="signature timestamp")
        reasons += [r for r in timestamp.reasons if r.code is not ReasonCode.OK]
        warnings += _timestamp_warnings(timestamp, "signature timestamp")
        if timestamp.time is not None and signature.time_info is not None \
                and signature.time_info > timestamp.time + CLOCK_SKEW:
            reasons.append(Reason(ReasonCode.TIME_INCONSISTENT, f"timeInfo {signature.time_info.isoformat()} is after the "
                                  f"timestamp over the signature ({timestamp.time.isoformat()})", "signature timestamp"))
    signing_time, source = _signing_time(signature, timestamp)
    when, when_source = (at, TimeSource.GIVEN) if at is not None else (signing_time, source)
    if signing_time is not None and seal.info.create_date is not None \
            and seal.info.create_date > signing_time + CLOCK_SKEW:
        reasons.append(Reason(ReasonCode.TIME_INCONSISTENT, f"the seal was created ({seal.info.create_date.isoformat()}) "
                              f"after it was used ({signing_time.isoformat()})", "seal"))
    seal_result = check_seal(seal, verifier, at=when, strict=strict, signer_identities=False)
    reasons += _scoped([r for r in seal_result.reasons if r.code is not ReasonCode.OK], "seal")
    warnings += _scoped(seal_result.warnings, "seal")
    signer_result: VerificationResult | None = None
    identity: Identity | None = None
    if signer is not None:
        signer_result = verifier.verify_certificate(signer, at=when)
        if when is None:
            when_source = TimeSource.VALIDATION
        when = signer_result.at
        reasons += _scoped(_certificate_reasons(signer_result) + _usage_reasons(signer), "signer certificate")
        warnings += _scoped(signer_result.warnings, "signer certificate")
        try:
            identity = verifier.identify(signer, result=signer_result)
        except (MalformedInput, ConfigurationError):
            identity = None
    digest_reason, data_checked = _data_hash_reason(signature, signed_data, data_digest, allow_weak)
    if digest_reason is not None:
        reasons.append(digest_reason)
    (reasons if strict else warnings)[:0] = deviations
    intact = signature_ok and (not data_checked or digest_reason is None)
    return SealSignatureResult(
        tuple(reasons), tuple(warnings), at=when, version=signature.version, tbs_version=signature.tbs_version,
        signing_time=signing_time, time_source=when_source,
        time_info=signature.time_info_text, property_info=signature.property_info,
        data_hash=signature.data_hash.hex(), data_checked=data_checked, signature_algorithm=signature.signature_algorithm,
        intact=intact, signer=signer.chain_link(None) if signer is not None else None, signer_certificate=signer_result,
        identity=identity, timestamp=timestamp, seal=seal_result,
    )


def _signing_time(signature: SealSignature, timestamp: TimestampResult | None
                  ) -> tuple[datetime.datetime | None, TimeSource | None]:
    if timestamp is not None and timestamp.verified and timestamp.time is not None:
        return timestamp.time, TimeSource.TIMESTAMP
    if signature.time_info is not None:
        return signature.time_info, TimeSource.CLAIMED
    return None, None


def _membership_reason(info: SealInfo, signer: Certificate) -> Reason | None:
    """None when the seal lists ``signer``: byte-equal among its certificates, or its digest among its
    certificate digests (the digest named by ``CertDigestObj.type``, or every digest of that length
    when the name is not one we know)."""
    if any(listed == signer.der for listed in info.certificates):
        return None
    for listed in info.digests:
        for name in _digest_candidates(listed.type, len(listed.value)):
            if digest(name, signer.der) == listed.value:
                return None
    if info.certificates or info.digests:
        kind = "certificate digests" if info.cert_list_type == CertListType.DIGESTS else "certificates"
        listed_count = len(info.certificates) + len(info.digests)
        return Reason(ReasonCode.SIGNER_NOT_IN_SEAL, f"the signer certificate is none of the {listed_count} "
                      f"{kind} the seal lists", signer.subject_text)
    if info.identifiers:
        return Reason(ReasonCode.SIGNER_NOT_IN_SEAL, f"the seal lists its signers only by identifier "
                      f"({', '.join(repr(i) for i in info.identifiers[:3])}), which no certificate can be matched to",
                      signer.subject_text)
    return Reason(ReasonCode.SIGNER_NOT_IN_SEAL, "the seal lists no signer certificate", signer.subject_text)


_DIGEST_ALIASES = {
    "SM3": "sm3", "SHA1": "sha1", "SHA224": "sha224", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512",
    **{oid: name for oid, name in DIGESTS.items()},
}
_DIGEST_LENGTHS = {20: ("sha1",), 28: ("sha224",), 32: ("sm3", "sha256"), 48: ("sha384",), 64: ("sha512",)}


def _digest_candidates(type_name: str, length: int) -> tuple[str, ...]:
    normalised = type_name.strip().upper().replace("-", "").replace("_", "")
    named = _DIGEST_ALIASES.get(normalised) or _DIGEST_ALIASES.get(type_name.strip())
    if named is not None:
        return (named,)
    return _DIGEST_LENGTHS.get(length, ())


_HASH_LENGTHS = {"md5": 16, "sha1": 20, "sha224": 28, "sha256": 32, "sm3": 32, "sha384": 48, "sha512": 64}
_WEAK_HASHES = frozenset({"md5", "sha1"})


def _data_hash_reason(signature: SealSignature, signed_data: bytes | None, data_digest: bytes | None,
                      allow_weak: bool) -> tuple[Reason | None, bool]:
    """``dataHash`` against the caller's data or digest: (reason or None, whether it was compared)."""
    expected = signature.data_hash
    if data_digest is not None:
        if bytes(data_digest) != expected:
            return Reason(ReasonCode.DIGEST_MISMATCH, "dataHash differs from the digest given", "dataHash"), True
        return None, True
    if signed_data is None:
        return Reason(ReasonCode.CONTENT_MISSING, "dataHash was not checked: give the signed data or its digest",
                      "dataHash"), False
    name = _data_hash_algorithm(signature.signature_algorithm, len(expected))
    if name is None:
        return Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"no digest algorithm of {len(expected)} bytes fits dataHash "
                      f"for {signature.signature_algorithm}", "dataHash"), False
    if name in _WEAK_HASHES and not allow_weak:
        return Reason(ReasonCode.WEAK_ALGORITHM, f"dataHash is an {name} digest", "dataHash"), False
    actual = digest(name, bytes(signed_data))
    if actual != expected:
        return Reason(ReasonCode.DIGEST_MISMATCH, f"dataHash is not the {name} digest of the data given", "dataHash"), True
    return None, True


def _data_hash_algorithm(signature_oid: str, length: int) -> str | None:
    """The digest of the signature algorithm when its length fits (SM3 for SM2); otherwise the one
    digest of that length (legacy RSA seals store an MD5 dataHash under a SHA-1 signature)."""
    try:
        named = registry.lookup(signature_oid).hash_name
    except UnsupportedAlgorithm:
        named = None
    if named is not None and _HASH_LENGTHS.get(named) == length:
        return named
    fits = [name for name, size in _HASH_LENGTHS.items() if size == length and name != "sm3"]
    return fits[0] if fits else None


# -- shared steps ------------------------------------------------------------------------------------


def sm2_signature_value(algorithm: str, signature: bytes) -> tuple[bytes, str | None]:
    """An SM2 signature value in the form the standards require (DER ``SEQUENCE { r, s }``), and how
    the stored one departed from it. Seal software writes r and s as *unsigned* big-endian INTEGERs
    (no 0x00 before a high bit: "negative" in DER; one 安证通 seal in the corpus), with superfluous
    leading zeros, or as raw 64-byte r‖s; the value means the same (r, s) either way, so it is read
    leniently and re-encoded: only the signature value, never the signed bytes."""
    try:
        if registry.lookup(algorithm).scheme is not registry.Scheme.SM2:
            return signature, None
    except UnsupportedAlgorithm:
        return signature, None
    if len(signature) == 64 and signature[:1] != b"\x30":
        return signature, "an SM2 signature value as raw r||s, not DER"
    try:
        tag, start, end = der.read_header(signature, 0)
        parts = der.elements(signature, start, end) if tag == 0x30 and end == len(signature) else []
    except MalformedInput:
        return signature, None
    if len(parts) != 2 or any(part[0] != 0x02 or part[3] - part[2] > 33 or part[3] == part[2] for part in parts):
        return signature, None
    r, s = (int.from_bytes(signature[part[2]:part[3]], "big") for part in parts)
    normal = sm2.encode_der_signature(r, s)
    if normal == signature:
        return signature, None
    return normal, "an SM2 signature value whose INTEGERs are not in DER form (unsigned or not minimal)"


def _signature_reason(cert: Certificate, algorithm: str, signature: bytes, signed: bytes, allow_weak: bool,
                      what: str, findings: list[Reason] | None = None) -> Reason | None:
    signature, deviation = sm2_signature_value(algorithm, signature)
    if deviation is not None and findings is not None:
        findings.append(Reason(ReasonCode.NONSTANDARD_ENCODING, f"{what}: {deviation}", cert.subject_text))
    try:
        registry.verify_signature(cert.public_key, algorithm, None, signature, signed, allow_weak=allow_weak)
    except InvalidSignature as exc:
        return Reason(ReasonCode.BAD_SIGNATURE, f"{what} does not verify: {exc}", cert.subject_text)
    except UnsupportedAlgorithm as exc:
        code = ReasonCode.WEAK_ALGORITHM if exc.reason is UnsupportedReason.WEAK_ALGORITHM else ReasonCode.UNSUPPORTED_ALGORITHM
        return Reason(code, f"{what}: {exc}", cert.subject_text)
    except MalformedInput as exc:
        return Reason(ReasonCode.MALFORMED, f"{what}: unusable key: {exc}", cert.subject_text)
    return None


def _certificate_reasons(result: VerificationResult) -> list[Reason]:
    return [reason for reason in result.reasons if reason.code is not ReasonCode.OK]


def _usage_reasons(cert: Certificate) -> list[Reason]:
    if cert.key_usage is not None and not cert.key_usage & SIGNING_USAGES:
        return [Reason(ReasonCode.KEY_USAGE, "keyUsage asserts neither digitalSignature nor nonRepudiation",
                       cert.subject_text)]
    return []


def _timestamp_warnings(timestamp: TimestampResult, what: str) -> list[Reason]:
    certificate = timestamp.certificate
    return _scoped(certificate.warnings, f"{what} authority certificate") if certificate is not None else []


def _scoped(reasons: Iterable[Reason], scope: str) -> list[Reason]:
    return [Reason(r.code, r.message, f"{scope}: {r.concerns}" if r.concerns else scope) for r in reasons]


def _der_findings(cert: Certificate, what: str) -> list[Reason]:
    try:
        found = der_deviations(cert)
    except MalformedInput:
        return []
    if not found:
        return []
    return [Reason(ReasonCode.NONSTANDARD_ENCODING, f"{what} is not DER ({'; '.join(found)}); it verifies over its "
                   "bytes as stored, but tools that re-encode it will not", cert.subject_text)]


__all__ = ["CLOCK_SKEW", "check_seal", "clear_caches", "check_seal_signature", "verify_seal", "verify_seal_signature"]
