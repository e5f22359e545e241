"""Verifying every signature of an OFD document (GB/T 33190-2016 §18; GM/T 0099-2020 §7; china-specs
§4.5, §4.7, §4.9).

For each document of the package (OFD.xml ``DocBody``) with a ``Signatures`` list, and for each
``Signature`` in Signatures.xml, :func:`verify_ofd` checks, in the order readers use
(ofdrw's ``OFDValidator``), and reports every finding:

1. Signature.xml reads and has a SignedInfo;
2. **integrity**: each Reference's file is in the package and its digest under ``CheckMethod``
   (SM3 by name or OID; SHA-1/SHA-2; MD5 — the schema default when absent — is refused as weak)
   equals its CheckValue (``digest_mismatch``, ``missing_part``);
3. each StampAnnot names a page of the document (by Page ID) and has a usable Boundary
   (``stamp_annotation_invalid``);
4. the SignedValue: an SES_Signature (Type=Seal) is verified by the seals layer over the bytes of
   Signature.xml as stored (its dataHash is SM3 of that file); a GM/T 0010 SignedData (Type=Sign) is
   verified by :mod:`certmutual.documents.cms`, with Signature.xml as the detached content, or with
   its encapsulated content required to be the digest of Signature.xml; a bare signature value
   without a certificate cannot be verified (``unsupported_format``);
5. a Seal.esl copy named by the SignedInfo is byte-identical to the seal inside the seal signature
   (``seal_mismatch``).

A package with GM/T 0099 §7.4 integrity protection (``/OFDEntries.xml``) gets one more record, of type
``Integrity`` (:mod:`certmutual.documents.ofd_integrity`).

A package that cannot be opened safely is refused as a whole (``container_refused``,
``xml_refused``, ``malformed``); a document with no signature is ``not_signed``. Everything is read
through :class:`certmutual.documents.container.Package`, so the work is bounded by its limits.

Not checked: what a signature's References *should* cover (whether every page is protected is
reported through ``references``, not judged); OFD 2.0 ``Relative`` chains beyond verifying each
signature on its own; the visual appearance.
"""

from __future__ import annotations

import datetime

from certmutual.documents.container import ContainerLimits, Package, PackageRefused
from certmutual.documents.ofd_checks import Findings, check_references, check_signed_value, stamp_placement
from certmutual.documents.ofd_integrity import verify_integrity
from certmutual.documents.ofd_parts import (
    Page,
    SignatureEntry,
    read_entry_points,
    read_pages,
    read_signature_file,
    read_signature_list,
)
from certmutual.seals.protocol import CertificateVerifier
from certmutual.documents.results import OfdResult, OfdSignatureResult
from certmutual.results import Reason, ReasonCode

MAX_SIGNATURES = 256
"""Signatures verified per document; more is refused (each costs public-key operations)."""




def verify_ofd(
    data: bytes,
    verifier: CertificateVerifier,
    *,
    at: datetime.datetime | None = None,
    limits: ContainerLimits = ContainerLimits(),
) -> OfdResult:
    """Verify every signature in an OFD package.

    :param at: the validation time for signer certificates (default: the verifier's now). The
        SignatureDateTime written in the document is the signer's claim and is reported, not used.
    Returns an :class:`OfdResult`; never raises for what the package contains. Raises
    :class:`certmutual.errors.ConfigurationError` for broken vendor profiles.
    """
    try:
        package = Package(data, limits)
        documents = read_entry_points(package)
    except PackageRefused as exc:
        return OfdResult((exc.reason(),))
    own: list[Reason] = []
    signatures: list[OfdSignatureResult] = []
    for document in documents:
        if document.signatures is None:
            continue
        try:
            entries = read_signature_list(package, document.signatures, MAX_SIGNATURES - len(signatures))
        except PackageRefused as exc:
            own.append(exc.reason())
            continue
        pages = _pages(package, document.doc_root, own)
        for entry in entries:
            signatures.append(_verify_signature(package, document.index, document.signatures, entry, pages, verifier, at))
    integrity = verify_integrity(package, verifier, at)
    if integrity is not None:
        signatures.append(integrity)
    if not signatures and not own:
        own.append(Reason(ReasonCode.NOT_SIGNED, "the document has no signature (no Signatures list, or an empty one)"))
    for signature in signatures:
        if not signature.accepted:
            own.extend(Reason(r.code, r.message, signature.path + (f": {r.concerns}" if r.concerns else ""))
                       for r in signature.reasons)
    return OfdResult(tuple(own), tuple(signatures))


def _pages(package: Package, document: str | None, own: list[Reason]) -> dict[str, Page] | None:
    if document is None:
        own.append(Reason(ReasonCode.MALFORMED, "a DocBody without DocRoot", "/OFD.xml"))
        return None
    try:
        return read_pages(package, document)
    except PackageRefused as exc:
        own.append(exc.reason())
        return None


def _verify_signature(
    package: Package,
    document: int,
    signature_list: str,
    entry: SignatureEntry,
    pages: dict[str, Page] | None,
    verifier: CertificateVerifier,
    at: datetime.datetime | None,
) -> OfdSignatureResult:
    path = "/" + entry.path
    try:
        signature = read_signature_file(package, entry.path)
    except PackageRefused as exc:
        return OfdSignatureResult(path, (exc.reason(),), id=entry.id, type=entry.type, document=document)
    found = Findings()
    check_references(package, signature, verifier.policy.allow_weak_algorithms, found)
    stamps = tuple(stamp_placement(s.id, s.page_ref, s.boundary, pages, found) for s in signature.stamps)
    value_format = check_signed_value(package, entry.path, signature, verifier, at, found)
    return OfdSignatureResult(
        path, tuple(found.reasons), tuple(found.warnings), id=entry.id, type=entry.type, document=document,
        format=value_format, signature_method=signature.signature_method, signature_time=signature.signature_time,
        provider=signature.provider, check_method=signature.check_method,
        references=tuple("/" + reference.path for reference in signature.references),
        protects_signature_list=any(reference.path == signature_list for reference in signature.references),
        stamps=stamps, intact=found.intact, signer=found.signer, identity=found.identity,
        seal=found.seal, detail=found.detail,
    )


__all__ = ["MAX_SIGNATURES", "verify_ofd"]
