"""Verdicts on signed documents as plain data: one record per signature, one per document.

Each record keeps what was found apart from what was decided, after pyHanko's status model
(shared/style.md §5): ``intact`` says the signature and every digest it covers verified; the
signer certificate's own :class:`VerificationResult` says whether it chains to a trust anchor; the
record's ``status`` is derived from all its reasons by :func:`certmutual.results.derive_status`, the
one rule. ``to_dict()`` gives the shape the CLI prints with ``--json``.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from certmutual.identity.model import Identity
from certmutual.results import ChainLink, Reason, ReasonCode, Status, VerificationResult, Verdict

@dataclass(frozen=True, slots=True)
class SignerResult(Verdict):
    """One CMS SignerInfo: how it was checked and what was decided."""

    index: int
    reasons: tuple[Reason, ...]
    """Everything that counts against this signer: integrity findings, then the certificate's."""
    warnings: tuple[Reason, ...] = ()
    intact: bool = False
    """The signature verified with the signer's key, and every digest it covers matched."""
    signer: ChainLink | None = None
    """The signer certificate (subject, issuer, serial, SHA-256), when it was found."""
    certificate: VerificationResult | None = None
    """The signer certificate's path validation, when it was run."""
    identity: Identity | None = None
    signing_time: datetime.datetime | None = None
    """The signingTime signed attribute: claimed by the signer, not proven."""
    digest_algorithm: str = ""
    signature_algorithm: str = ""
    signed_attributes: bool = False
    timestamped: bool = False
    """An RFC 3161 signature time-stamp token is attached (unsigned attribute; not verified here)."""
    status: Status = field(init=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            **self.verdict_dict(),
            "intact": self.intact,
            "warnings": [reason.to_dict() for reason in self.warnings],
            "signer": self.signer.to_dict() if self.signer else None,
            "chain": [link.to_dict() for link in self.certificate.chain] if self.certificate else [],
            "identity": self.identity.to_dict() if self.identity else None,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "digest_algorithm": self.digest_algorithm,
            "signature_algorithm": self.signature_algorithm,
            "signed_attributes": self.signed_attributes,
            "timestamped": self.timestamped,
            "at": self.certificate.at.isoformat() if self.certificate else None,
        }


@dataclass(frozen=True, slots=True)
class CmsResult(Verdict):
    """A CMS / PKCS#7 SignedData: every SignerInfo with its verdict.

    Accepted only when there is at least one signer and every signer is accepted."""

    reasons: tuple[Reason, ...]
    """Findings about the whole (unreadable, not SignedData, no signers, content missing), then each
    rejected signer's reasons (``concerns`` names the signer)."""
    signers: tuple[SignerResult, ...] = ()
    content_type: str | None = None
    """The eContentType (PKCS#7 or GM/T 0010 data, or another inner type)."""
    detached: bool = False
    content: bytes | None = field(default=None, repr=False, compare=False)
    """The encapsulated content, when attached."""
    certificates: tuple[ChainLink, ...] = ()
    """Every certificate embedded in the SignedData."""
    status: Status = field(init=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.verdict_dict(),
            "content_type": self.content_type,
            "detached": self.detached,
            "content_length": None if self.content is None else len(self.content),
            "signers": [signer.to_dict() for signer in self.signers],
            "certificates": [link.to_dict() for link in self.certificates],
        }


def combine(own: list[Reason], signers: tuple[SignerResult, ...], *, require_signer: bool = True) -> tuple[Reason, ...]:
    """A container's reasons: its own findings, then each signer's non-OK reasons (naming the signer)."""
    out = list(own)
    if require_signer and not signers and not own:
        out.append(Reason(ReasonCode.NOT_SIGNED, "the SignedData has no SignerInfo"))
    for signer in signers:
        if signer.accepted:
            continue
        for reason in signer.reasons:
            concerns = f"signer {signer.index}" + (f": {reason.concerns}" if reason.concerns else "")
            out.append(Reason(reason.code, reason.message, concerns))
    return tuple(out)


class SignedValueFormat(str, enum.Enum):
    """What an OFD SignedValue file holds."""

    SES_SIGNATURE = "ses_signature"
    """GB/T 38540 / GM/T 0031 SES_Signature (electronic seal signature, Type=Seal)."""
    CMS = "cms"
    """GB/T 35275 / GM/T 0010 SignedData (digital signature, Type=Sign; GM/T 0099 §7.2.2)."""
    RAW_SIGNATURE = "raw_signature"
    """A bare signature value with no certificate: nothing to verify it with."""
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StampPlacement:
    """Where a signature's StampAnnot puts the seal's appearance (GB/T 33190 §18.2.3)."""

    id: str | None
    page_ref: str | None
    """The page's ID in Document.xml, as written."""
    page_index: int | None
    """Its position among the document's pages (0-based), when it names a page."""
    page_path: str | None
    boundary: tuple[float, float, float, float] | None
    """x, y, width, height in millimetres, when readable."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "page_ref": self.page_ref, "page_index": self.page_index, "page": self.page_path,
                "boundary": list(self.boundary) if self.boundary else None}


@dataclass(frozen=True, slots=True)
class OfdSignatureResult(Verdict):
    """One signature of an OFD document (one Signature.xml) and its verdict."""

    path: str
    """The package path of its Signature.xml, e.g. ``/Doc_0/Signs/Sign_0/Signature.xml``."""
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()
    id: str | None = None
    type: str = "Seal"
    document: int = 0
    """Which DocBody of OFD.xml it belongs to."""
    format: SignedValueFormat | None = None
    signature_method: str | None = None
    signature_time: str | None = None
    """SignatureDateTime as written (the signer's claim)."""
    provider: dict[str, str] = field(default_factory=dict)
    check_method: str | None = None
    references: tuple[str, ...] = ()
    """The package paths its References protect."""
    protects_signature_list: bool = False
    """Signatures.xml is among the protected files: the document admits no further signature."""
    stamps: tuple[StampPlacement, ...] = ()
    intact: bool = False
    """Every Reference digest, the signed-file digest and the signature value verified."""
    signer: ChainLink | None = None
    identity: Identity | None = None
    seal: dict[str, Any] | None = None
    """The electronic seal inside a seal signature (as the seals layer describes it)."""
    detail: dict[str, Any] | None = None
    """The SignedValue's own verification (the CMS or seal-signature result), as data."""
    status: Status = field(init=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "id": self.id, "type": self.type, "document": self.document,
            **self.verdict_dict(), "intact": self.intact,
            "warnings": [reason.to_dict() for reason in self.warnings],
            "format": self.format.value if self.format else None,
            "signature_method": self.signature_method, "signature_time": self.signature_time,
            "provider": dict(self.provider), "check_method": self.check_method,
            "references": list(self.references), "protects_signature_list": self.protects_signature_list,
            "stamps": [stamp.to_dict() for stamp in self.stamps],
            "signer": self.signer.to_dict() if self.signer else None,
            "identity": self.identity.to_dict() if self.identity else None,
            "seal": self.seal, "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class OfdResult(Verdict):
    """An OFD document: every signature with its verdict.

    Accepted only when the package was readable, it holds at least one signature, and every
    signature is accepted."""

    reasons: tuple[Reason, ...]
    """Findings about the package (refused, unreadable, not signed), then each rejected signature's
    reasons (``concerns`` names its Signature.xml)."""
    signatures: tuple[OfdSignatureResult, ...] = ()
    status: Status = field(init=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.verdict_dict(),
            "signatures": [signature.to_dict() for signature in self.signatures],
        }
