"""The checks one OFD signature goes through (see :mod:`certmutual.documents.ofd` for the order and
the standards). Each adds its findings to a :class:`Findings`: ``fail`` for what breaks integrity (a
digest, the signature value, the seal copy), ``reasons`` directly for the rest (the signer's
certificate, a stamp's placement).
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field
from typing import Any

from certmutual.asn1.der import ASN1_ERRORS
from certmutual.asn1.gmt0010 import DIGEST_NAMES
from certmutual.crypto.sm3 import sm3
from certmutual.documents.cms import digest, verify_cms
from certmutual.documents.container import Package, PackageRefused
from certmutual.documents.ofd_parts import Page, SignatureFile
from certmutual.seals.protocol import CertificateVerifier
from certmutual.documents.results import CmsResult, SignedValueFormat, StampPlacement
from certmutual.documents.seal_signatures import check_seal_signature, embedded_seal, signed_value_format
from certmutual.errors import MalformedInput
from certmutual.identity.model import Identity
from certmutual.results import ChainLink, Reason, ReasonCode

CHECK_METHODS: dict[str, str] = {
    "sm3": "sm3", "md5": "md5", "sha1": "sha1", "sha-1": "sha1", "sha224": "sha224", "sha-224": "sha224",
    "sha256": "sha256", "sha-256": "sha256", "sha384": "sha384", "sha-384": "sha384",
    "sha512": "sha512", "sha-512": "sha512", **DIGEST_NAMES,
}
"""CheckMethod values (names as ofdrw writes them, or digest OIDs) -> digest name."""
DEFAULT_CHECK_METHOD = "MD5"
"""GB/T 33190's schema default for References/@CheckMethod."""


@dataclass
class Findings:
    """What one signature's checks accumulate before they become an :class:`OfdSignatureResult`."""

    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)
    intact: bool = True
    signer: ChainLink | None = None
    identity: Identity | None = None
    seal: dict[str, Any] | None = None
    detail: dict[str, Any] | None = None

    def fail(self, reason: Reason) -> None:
        self.reasons.append(reason)
        self.intact = False


def check_references(package: Package, signature: SignatureFile, allow_weak: bool, found: Findings) -> None:
    """GB/T 33190 §18.2.2: each protected file's digest under CheckMethod equals its CheckValue."""
    if not signature.references:
        found.fail(Reason(ReasonCode.MALFORMED, "SignedInfo has no Reference: the signature protects no file "
                          "(GB/T 33190 §18.2.2 requires at least one)"))
        return
    method = signature.check_method or DEFAULT_CHECK_METHOD
    name = CHECK_METHODS.get(method.lower()) or CHECK_METHODS.get(method)
    if name is None:
        found.fail(Reason(ReasonCode.UNSUPPORTED_ALGORITHM, f"References/@CheckMethod {method!r} is not a digest "
                          "certmutual computes"))
        return
    if name == "md5" or (name == "sha1" and not allow_weak):
        found.fail(Reason(ReasonCode.WEAK_ALGORITHM, f"References/@CheckMethod {method} ({name}) is refused: "
                          "collisions let a protected file be swapped"))
    for reference in signature.references:
        where = "/" + reference.path
        if reference.check_value is None:
            found.fail(Reason(ReasonCode.MALFORMED, "CheckValue is missing or not base64", where))
            continue
        try:
            value = package.digest(reference.path, name)
        except PackageRefused as exc:
            found.fail(exc.reason())
            continue
        if value != reference.check_value:
            found.fail(Reason(ReasonCode.DIGEST_MISMATCH, f"the file's {name} differs from its CheckValue "
                              "(changed after signing)", where))


def stamp_placement(stamp_id: str | None, page_ref: str | None, boundary: str | None, pages: dict[str, Page] | None,
           found: Findings) -> StampPlacement:
    """GB/T 33190 §18.2.3: PageRef is the ID of a page of the document; Boundary is x y w h."""
    page = pages.get(page_ref) if pages is not None and page_ref is not None else None
    where = f"StampAnnot {stamp_id or '?'}"
    if pages is not None and page is None:
        found.reasons.append(Reason(ReasonCode.STAMP_ANNOTATION_INVALID, f"PageRef {page_ref!r} is not a page of the "
                                    "document", where))
    box = None
    try:
        numbers = tuple(float(part) for part in (boundary or "").split())
        if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0 and all(abs(n) < 1e6 for n in numbers):
            box = (numbers[0], numbers[1], numbers[2], numbers[3])
    except ValueError:
        box = None
    if box is None:
        found.reasons.append(Reason(ReasonCode.STAMP_ANNOTATION_INVALID, f"Boundary {boundary!r} is not x, y, width, "
                                    "height with a positive size", where))
    return StampPlacement(stamp_id, page_ref, page.index if page else None, "/" + page.path if page and page.path else None, box)


def check_signed_value(
    package: Package,
    signature_path: str,
    signature: SignatureFile,
    verifier: CertificateVerifier,
    at: datetime.datetime | None,
    found: Findings,
) -> SignedValueFormat | None:
    if signature.signed_value is None:
        found.fail(Reason(ReasonCode.MALFORMED, "Signature.xml names no SignedValue", "/" + signature_path))
        return None
    try:
        value = package.read(signature.signed_value)
    except PackageRefused as exc:
        found.fail(exc.reason())
        return None
    value_format = signed_value_format(value)
    if value_format is SignedValueFormat.CMS:
        check_cms(value, signature.raw, verifier, at, found)
    elif value_format is SignedValueFormat.SES_SIGNATURE:
        check = check_seal_signature(value, signature.raw, verifier, at)
        found.reasons.extend(check.reasons)
        found.intact = found.intact and check.intact
        found.warnings.extend(check.warnings)
        found.signer, found.identity, found.seal, found.detail = check.signer, check.identity, check.seal, check.detail
        check_seal_copy(package, signature, value, found)
    elif value_format is SignedValueFormat.RAW_SIGNATURE:
        found.fail(Reason(ReasonCode.UNSUPPORTED_FORMAT, "the SignedValue is a bare signature value with no certificate "
                          "(not GB/T 35275 SignedData): there is no key to verify it with", "/" + signature.signed_value))
    else:
        found.fail(Reason(ReasonCode.MALFORMED, "the SignedValue is neither an SES_Signature nor a CMS SignedData",
                          "/" + signature.signed_value))
    return value_format


def check_cms(value: bytes, signed_file: bytes, verifier: CertificateVerifier, at: datetime.datetime | None,
               found: Findings) -> None:
    """GM/T 0099 §7.2.2: a GB/T 35275 SignedData over Signature.xml, either detached (the file is
    the content) or with the file's digest as its encapsulated content (ofdrw, most vendors)."""
    result = verify_cms(value, verifier, at=at)
    if result.content is None and not any(r.code in (ReasonCode.MALFORMED, ReasonCode.UNSUPPORTED_FORMAT) for r in result.reasons):
        result = verify_cms(value, verifier, content=signed_file, at=at)
    elif result.content is not None and not covers(result, signed_file):
        found.fail(Reason(ReasonCode.DIGEST_MISMATCH, "the signature's encapsulated content is not the digest of "
                          "Signature.xml (changed after signing)"))
    found.detail = result.to_dict()
    found.reasons.extend(reason for reason in result.reasons if reason.code is not ReasonCode.OK)
    first = result.signers[0] if result.signers else None
    if first is not None:
        found.signer, found.identity = first.signer, first.identity
        found.warnings.extend(first.warnings)
        found.intact = found.intact and all(signer.intact for signer in result.signers)
    else:
        found.intact = False


def covers(result: CmsResult, signed_file: bytes) -> bool:
    """Whether attached content stands for Signature.xml: its SM3 (or the signer's digest), that
    digest in base64 (tolerated by ofdrw), or the file itself."""
    content = result.content or b""
    names = {"sm3"} | {signer.digest_algorithm for signer in result.signers if signer.digest_algorithm in CHECK_METHODS.values()}
    candidates = {signed_file}
    for name in names:
        value = sm3(signed_file) if name == "sm3" else digest(name, signed_file)
        candidates |= {value, base64.b64encode(value)}
    return content in candidates


def check_seal_copy(package: Package, signature: SignatureFile, value: bytes, found: Findings) -> None:
    """GM/T 0099 / ofdrw ``checkSealMatch``: a Seal.esl beside the signature is the embedded seal."""
    if signature.seal is None:
        return
    try:
        copy = package.read(signature.seal)
    except PackageRefused as exc:
        found.fail(exc.reason())
        return
    try:
        embedded = embedded_seal(value)
    except (MalformedInput, *ASN1_ERRORS) as exc:
        found.fail(Reason(ReasonCode.MALFORMED, f"no seal can be read from the seal signature: {exc}"))
        return
    if copy != embedded:
        found.fail(Reason(ReasonCode.SEAL_MISMATCH, "Seal.esl differs from the seal inside the seal signature",
                          "/" + signature.seal))


__all__ = ["CHECK_METHODS", "DEFAULT_CHECK_METHOD", "Findings", "check_cms", "check_references", "check_signed_value", "stamp_placement"]
