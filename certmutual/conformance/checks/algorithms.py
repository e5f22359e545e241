"""Algorithms: SM2 with SM3; international algorithms only where the profile allows them.

Source: GM/T 0015-2012 (SM2 certificates are signed SM2-with-SM3, 1.2.156.10197.1.501, over an SM2 key);
GB/T 38540-2020 (seals: SM2/SM3 per GB/T 33560 / GB/T 35276); RFC 5280 §4.1.1.2; the profile's
``allowed_signature_algorithms``, ``allow_rsa``, ``min_rsa_bits`` and ``allowed_ec_curves``.
"""

from __future__ import annotations

from certmutual.conformance.model import AppliesTo, CERTIFICATE_KINDS
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject
from certmutual.conformance.summary import algorithm_name
from certmutual.crypto import registry
from certmutual.errors import MalformedInput, UnsupportedAlgorithm

SIGNED_KINDS = (*CERTIFICATE_KINDS, AppliesTo.CRL, AppliesTo.OCSP_RESPONSE, AppliesTo.SEAL, AppliesTo.SEAL_SIGNATURE)
_RSA_SCHEMES = (registry.Scheme.RSA_PKCS1, registry.Scheme.RSA_PSS)


def signature_algorithm_of(subject: Subject) -> str | None:
    """The OID the object's signature is made with (None: an OCSP response without a signed body)."""
    if subject.certificate is not None:
        return subject.certificate.signature_algorithm
    if subject.crl is not None:
        return subject.crl.signature_algorithm
    if subject.ocsp is not None:
        return subject.ocsp.basic.signature_algorithm if subject.ocsp.basic is not None else None
    if subject.seal is not None:
        return subject.seal.signature_algorithm
    return subject.the_signature().signature_algorithm


def _is_rsa(oid: str) -> bool:
    try:
        return registry.lookup(oid).scheme in _RSA_SCHEMES
    except UnsupportedAlgorithm:
        return False


@check("profile.signature_algorithm", *SIGNED_KINDS)
def signature_algorithm(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    oid = signature_algorithm_of(subject)
    if oid is None:
        return None
    allowed = params.strings("allowed_signature_algorithms")
    if oid not in allowed:
        return [f"signed with {algorithm_name(oid)}, which the profile does not allow "
                f"(allowed: {', '.join(algorithm_name(a) for a in allowed)})"]
    if _is_rsa(oid) and not params.flag("allow_rsa"):
        return [f"signed with {algorithm_name(oid)}: the profile does not allow RSA"]
    return []


@check("profile.international_algorithm", *SIGNED_KINDS)
def international_algorithm(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    oid = signature_algorithm_of(subject)
    if oid is None or oid not in params.strings("allowed_signature_algorithms"):
        return None  # not allowed at all: profile.signature_algorithm reports it
    if oid in params.strings("national_signature_algorithms"):
        return []
    return [f"signed with {algorithm_name(oid)}: tolerated by the profile, but not a national (SM) algorithm"]


@check("profile.public_key_algorithm", *CERTIFICATE_KINDS)
def public_key_algorithm(subject: Subject, sample: Sample, params: Params) -> list[str]:
    cert = subject.cert()
    try:
        key = cert.public_key
    except (MalformedInput, UnsupportedAlgorithm) as exc:
        return [f"the subject public key is not usable: {exc}"]
    if key.key_type is registry.KeyType.SM2:
        return []
    if key.key_type is registry.KeyType.RSA:
        if not params.flag("allow_rsa"):
            return [f"{key.bits}-bit RSA key: the profile does not allow RSA"]
        minimum = params.integer("min_rsa_bits")
        return [f"{key.bits}-bit RSA key, below the profile's {minimum} bits"] if key.bits < minimum else []
    if key.key_type is registry.KeyType.EC:
        curves = params.strings("allowed_ec_curves")
        return [] if key.curve in curves else [f"EC key on {key.curve}, not one of the profile's curves ({', '.join(curves) or 'none'})"]
    return [f"{key.key_type.value} key: the profile allows SM2 (and RSA or EC where configured)"]
