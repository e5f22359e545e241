"""Verdicts on seals and seal signatures as plain data.

Each record keeps what was found (the seal's facts, the certificates, the times) apart from what was
decided (``reasons``), after pyHanko's status model (shared/style.md §5) and the documents layer's
records: ``intact`` says the signature maths and the digests held; each certificate's own
:class:`VerificationResult` says whether it chains to a trust anchor; ``status`` is derived from all
the reasons by :func:`certmutual.results.derive_status`, the one rule. ``at`` is the validation time
the certificate checks used (None when the input was refused before any check). ``to_dict()`` gives
the shape the CLI prints with ``--json``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from certmutual.identity.model import Identity
from certmutual.results import ChainLink, Reason, Status, VerificationResult, Verdict
from certmutual.seals.model import PictureFormat, SealVersion, TimeSource

def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class PictureFacts:
    """The seal picture as stored: declared and detected type, printed size, length and SHA-256."""

    type: str
    format: PictureFormat
    width_mm: int
    height_mm: int
    size: int
    sha256: str

    @classmethod
    def of(cls, type_: str, format_: PictureFormat, width_mm: int, height_mm: int, data: bytes) -> "PictureFacts":
        return cls(type_, format_, width_mm, height_mm, len(data), hashlib.sha256(data).hexdigest())

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "format": self.format.value, "width_mm": self.width_mm,
                "height_mm": self.height_mm, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class TimestampResult(Verdict):
    """An RFC 3161 / GB/T 20520 timestamp token over a signature value: what it says and how it fared.

    ``time`` is the token's genTime when the token could be read; it proves the signature existed then
    only when ``verified``."""

    reasons: tuple[Reason, ...]
    time: datetime.datetime | None = None
    hash_algorithm: str | None = None
    serial: int | None = None
    policy: str | None = None
    tsa: ChainLink | None = None
    certificate: VerificationResult | None = None
    """The TSA certificate's path validation at ``time`` (with extended key usage timeStamping)."""
    status: Status = field(init=False)

    @property
    def verified(self) -> bool:
        return self.status is Status.VALID

    def to_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "status": self.status.value,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "time": _iso(self.time),
            "hash_algorithm": self.hash_algorithm,
            "serial": None if self.serial is None else format(self.serial, "X"),
            "policy": self.policy,
            "tsa": self.tsa.to_dict() if self.tsa else None,
            "chain": [link.to_dict() for link in self.certificate.chain] if self.certificate else [],
        }


@dataclass(frozen=True, slots=True)
class SealResult(Verdict):
    """An electronic seal (SESeal): its facts and the verdict on it.

    Accepted when the maker's signature verifies, the maker certificate is valid (chain, validity,
    revocation, key usage) at ``at``, ``at`` is inside the seal's validity window, and (v5) the
    seal's timestamp verifies."""

    reasons: tuple[Reason, ...]
    """Everything that counts against the seal: its own findings, then the maker certificate's."""
    warnings: tuple[Reason, ...] = ()
    at: datetime.datetime | None = None
    version: SealVersion | None = None
    """The layout the seal follows (None when it could not be read)."""
    header_version: int | None = None
    vendor_id: str | None = None
    es_id: str | None = None
    name: str | None = None
    seal_type: int | None = None
    cert_list_type: int | None = None
    create_date: datetime.datetime | None = None
    valid_start: datetime.datetime | None = None
    valid_end: datetime.datetime | None = None
    picture: PictureFacts | None = None
    signature_algorithm: str | None = None
    intact: bool = False
    """The maker's signature verified over exactly the bytes the seal's standard says."""
    maker: ChainLink | None = None
    maker_certificate: VerificationResult | None = None
    """The maker certificate's path validation at ``at``."""
    signers: tuple[ChainLink, ...] = ()
    """The signer certificates the seal lists (when it lists certificates, not digests)."""
    signer_digests: tuple[str, ...] = ()
    """Hex digests the seal lists instead (``certListType`` 2)."""
    signer_identities: tuple[Identity, ...] = ()
    """The identity each listed signer certificate carries (via the vendor profiles)."""
    timestamp: TimestampResult | None = None
    status: Status = field(init=False)

    @property
    def chain(self) -> tuple[ChainLink, ...]:
        return self.maker_certificate.chain if self.maker_certificate else ()

    def to_dict(self) -> dict[str, Any]:
        """The shape of :meth:`VerificationResult.to_dict` (chain and revocation facts: the maker
        certificate's), plus ``seal``: the seal's facts."""
        return {
            **self.verdict_dict(),
            "warnings": [reason.to_dict() for reason in self.warnings],
            "chain": [link.to_dict() for link in self.chain],
            "revocation": [fact.to_dict() for fact in self.maker_certificate.revocation] if self.maker_certificate else [],
            "at": _iso(self.at),
            "seal": self.facts(),
        }

    def facts(self) -> dict[str, Any]:
        """The seal's facts alone (what ``certmutual seal inspect`` prints)."""
        return {
            "version": self.version.value if self.version else None,
            "standard": self.version.standard if self.version else None,
            "header_version": self.header_version,
            "vendor_id": self.vendor_id,
            "es_id": self.es_id,
            "name": self.name,
            "type": self.seal_type,
            "cert_list_type": self.cert_list_type,
            "create_date": _iso(self.create_date),
            "valid_start": _iso(self.valid_start),
            "valid_end": _iso(self.valid_end),
            "picture": self.picture.to_dict() if self.picture else None,
            "signature_algorithm": self.signature_algorithm,
            "intact": self.intact,
            "maker": self.maker.to_dict() if self.maker else None,
            "signers": [link.to_dict() for link in self.signers],
            "signer_digests": list(self.signer_digests),
            "signer_identities": [identity.to_dict() for identity in self.signer_identities],
            "timestamp": self.timestamp.to_dict() if self.timestamp else None,
        }


@dataclass(frozen=True, slots=True)
class SealSignatureResult(Verdict):
    """A seal signature (SES_Signature, 电子签章): its facts, the embedded seal's verdict, and the
    verdict on the whole.

    Accepted when the signature over TBS_Sign verifies with the signer certificate, that certificate
    is one the seal lists, the seal is accepted at the signing time, the signer certificate is valid at
    the signing time, a timestamp (when present) verifies, and ``dataHash`` matches the data given."""

    reasons: tuple[Reason, ...]
    """Own findings, then the seal's (``concerns`` starts with "seal"), then the signer certificate's."""
    warnings: tuple[Reason, ...] = ()
    at: datetime.datetime | None = None
    """The time the signer certificate and the seal were judged at (``time_source`` says which)."""
    time_source: TimeSource | None = None
    version: SealVersion | None = None
    tbs_version: int | None = None
    signing_time: datetime.datetime | None = None
    """The verified timestamp's time, else the signer's stated ``timeInfo``; None if neither reads."""
    time_info: str | None = None
    """``timeInfo`` as stored."""
    property_info: str | None = None
    data_hash: str | None = None
    """``dataHash`` in hex."""
    data_checked: bool = False
    """``dataHash`` was compared with the data (or digest) the caller gave."""
    signature_algorithm: str | None = None
    intact: bool = False
    """The signature over TBS_Sign verified, and ``dataHash`` matched when it was checked."""
    signer: ChainLink | None = None
    signer_certificate: VerificationResult | None = None
    identity: Identity | None = None
    """The market entity the signer certificate speaks for."""
    timestamp: TimestampResult | None = None
    seal: SealResult | None = None
    status: Status = field(init=False)

    @property
    def chain(self) -> tuple[ChainLink, ...]:
        return self.signer_certificate.chain if self.signer_certificate else ()

    def to_dict(self) -> dict[str, Any]:
        """The shape of :meth:`VerificationResult.to_dict` (chain and revocation facts: the signer
        certificate's), plus ``signature`` (its facts) and ``seal`` (the embedded seal's verdict)."""
        return {
            **self.verdict_dict(),
            "warnings": [reason.to_dict() for reason in self.warnings],
            "chain": [link.to_dict() for link in self.chain],
            "revocation": [fact.to_dict() for fact in self.signer_certificate.revocation] if self.signer_certificate else [],
            "at": _iso(self.at),
            "signature": self.facts(),
            "seal": self.seal.to_dict() if self.seal else None,
        }

    def facts(self) -> dict[str, Any]:
        """The signature's own facts (without the embedded seal)."""
        return {
            "version": self.version.value if self.version else None,
            "standard": self.version.standard if self.version else None,
            "tbs_version": self.tbs_version,
            "signing_time": _iso(self.signing_time),
            "time_source": self.time_source.value if self.time_source else None,
            "time_info": self.time_info,
            "property_info": self.property_info,
            "data_hash": self.data_hash,
            "data_checked": self.data_checked,
            "signature_algorithm": self.signature_algorithm,
            "intact": self.intact,
            "signer": self.signer.to_dict() if self.signer else None,
            "identity": self.identity.to_dict() if self.identity else None,
            "timestamp": self.timestamp.to_dict() if self.timestamp else None,
        }


__all__ = ["PictureFacts", "SealResult", "SealSignatureResult", "TimestampResult"]
