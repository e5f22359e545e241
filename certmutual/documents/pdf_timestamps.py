"""RFC 3161 time-stamp tokens in PDF signatures, and the digest policy PDF verification applies.

A token is a SignedData over a TSTInfo: over a signature's value (a signature time-stamp, CAdES
unsigned attribute) or over a ByteRange (a PAdES document time-stamp, /DocTimeStamp). Its TSA's
certificate is judged by the caller's :class:`CertificateVerifier`, like any signer's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from pyhanko.sign.general import CMSExtractionError, extract_certificate_info
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

from certmutual.asn1.oids import EKU_OID
from certmutual.documents.cms import digest
from certmutual.documents.pdf_results import TimestampResult
from certmutual.documents.pdf_sm2 import Sm2SignatureValidator
from certmutual.seals.protocol import CertificateVerifier
from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.results import Reason, ReasonCode

DIGESTS = frozenset({"sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512", "sm3"})
"""Digest algorithms (asn1crypto names) a PDF signature or token may use; SHA-1 only when the
policy allows weak algorithms, MD5 never."""


def digest_usable(name: str, allow_weak: bool, reasons: list[Reason]) -> bool:
    """Whether ``name`` may be relied on; if not, the reason is added to ``reasons``."""
    if name not in DIGESTS:
        reasons.append(Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"digest algorithm {name}"))
        return False
    if name == "sha1" and not allow_weak:
        reasons.append(Reason(ReasonCode.WEAK_ALGORITHM, "digest algorithm sha1 refused by policy"))
        return False
    return True


def describe(exc: BaseException) -> str:
    """One line for an exception pyHanko or asn1crypto raised on hostile input."""
    text = str(exc).splitlines()[0][:300] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def signature_token(signer_info: Any) -> Any:
    """The SignedData of a SignerInfo's signature time-stamp token (unsigned attribute), if any."""
    for attribute in signer_info["unsigned_attrs"] or ():
        if attribute["type"].native == "signature_time_stamp_token" and len(attribute["values"]):
            return attribute["values"][0]["content"]
    return None


def tsa_certificate(signed_data: Any) -> Certificate | None:
    """A token's signer certificate, when it is embedded and readable."""
    try:
        return Certificate(extract_certificate_info(signed_data).signer_cert.dump())
    except (CMSExtractionError, MalformedInput, ValueError):
        return None


def check_token(
    signed_data: Any, imprinted: Callable[[str], bytes] | None, verifier: CertificateVerifier,
    at: datetime.datetime | None, pool: Sequence[Certificate], crls: Sequence[CertificateList], user_id: bytes,
) -> TimestampResult:
    """An RFC 3161 token (a SignedData over a TSTInfo): its imprint of ``imprinted(hash)``, its
    signature, a TSA certificate with the timeStamping purpose; then the TSA's path (at ``at``)."""
    reasons: list[Reason] = []

    def refuse(message: str) -> None:
        reasons.append(Reason(ReasonCode.TIMESTAMP_INVALID, message, "timestamp"))

    time = tsa = trust = None
    try:
        content = signed_data["encap_content_info"]
        tst_info = content["content"].parsed
        time = tst_info["gen_time"].native
        imprint = tst_info["message_imprint"]
        imprint_hash = imprint["hash_algorithm"]["algorithm"].native
        if not digest_usable(imprint_hash, verifier.policy.allow_weak_algorithms, []):
            refuse(f"messageImprint hashed with {imprint_hash}, not accepted")
        elif imprinted is not None and imprinted(imprint_hash) != imprint["hashed_message"].native:
            refuse("the messageImprint does not match what the token stamps")
        cert_info = extract_certificate_info(signed_data)
        tsa = Certificate(cert_info.signer_cert.dump())
        signer_info = signed_data["signer_infos"][0]
        md = signer_info["digest_algorithm"]["algorithm"].native
        if not digest_usable(md, verifier.policy.allow_weak_algorithms, []):
            refuse(f"the token is signed with digest {md}, not accepted")
        else:
            intact, valid = validate_sig_integrity(signer_info, cert_info.signer_cert, "tst_info",
                                                   digest(md, bytes(content["content"])),
                                                   sig_validator=Sm2SignatureValidator(user_id))
            if not (intact and valid):
                refuse("the token's " + ("signature" if intact else "messageDigest") + " does not verify")
        if EKU_OID.TIME_STAMPING not in (tsa.ext_key_usage or ()):
            refuse("the token's signer is not a time-stamping authority (no timeStamping extended key usage)")
        others = [Certificate(c.dump()) for c in cert_info.other_certs] + list(pool)
        trust = verifier.verify_certificate(tsa, at=at, untrusted=others, crls=crls)
    except Exception as exc:  # noqa: BLE001 - an unreadable token, whatever asn1crypto or pyHanko raise
        refuse(f"unreadable time-stamp token: {describe(exc)}")
    return TimestampResult(time, tuple(reasons), tsa.chain_link(None) if tsa else None, trust)


__all__ = ["DIGESTS", "check_token", "describe", "digest_usable", "signature_token", "tsa_certificate"]
