"""Verdicts on PDF signatures as plain data: one record per signature field, one per document.

As for the other documents (:mod:`certmutual.documents.results`), each record keeps what was found
(coverage, later changes, ``intact``, ``valid``) apart from what was decided (the ``verdict``, whose
status :func:`certmutual.results.derive_status` derives from all its reasons). ``to_dict()`` gives
the shape ``certmutual pdf verify --json`` prints.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from dataclasses import dataclass
from typing import Any

from certmutual.identity.model import Identity
from certmutual.results import ChainLink, Reason, ReasonCode, Status, VerificationResult, Verdict

class SignatureKind(str, enum.Enum):
    """What a filled signature field holds (ISO 32000-2 §12.8.1, §12.8.5)."""

    SIGNATURE = "signature"
    """A /Sig signature: a CMS SignedData by a signer."""
    DOCUMENT_TIMESTAMP = "document_timestamp"
    """A /DocTimeStamp: an RFC 3161 token over the ByteRange (PAdES)."""


class Coverage(str, enum.Enum):
    """How much of the file a signature's ByteRange covers (pyHanko's SignatureCoverageLevel)."""

    ENTIRE_FILE = "entire_file"
    """The ByteRange spans every byte of the file except the signature value itself."""
    ENTIRE_REVISION = "entire_revision"
    """It spans exactly the revision the signature belongs to; later revisions were appended, and
    their changes are judged by ``modification`` against the permissions."""
    NOT_COVERING = "not_covering"
    """Neither: a gap larger than the signature value, a range not from byte 0, or cross-reference
    data of the signed revision outside the range (``incomplete_coverage``)."""


class Modification(str, enum.Enum):
    """What later revisions changed (pyHanko's ModificationLevel), from least to most."""

    NONE = "none"
    LTA_UPDATES = "lta_updates"
    """Validation data (DSS) and document timestamps only."""
    FORM_FILLING = "form_filling"
    """Also form field values and further signatures."""
    ANNOTATIONS = "annotations"
    OTHER = "other"
    """Anything else, or changes that could not be analysed."""


@dataclass(frozen=True, slots=True)
class TimestampResult:
    """An RFC 3161 time-stamp token: over a signature's value, or a document timestamp's range."""

    time: datetime.datetime | None
    """genTime, as the TSA states it."""
    reasons: tuple[Reason, ...]
    """Findings against the token itself (``timestamp_invalid``); empty when it verified."""
    tsa: ChainLink | None = None
    trust: VerificationResult | None = None
    """The TSA certificate's path validation (at ``at``, or now)."""

    @property
    def intact(self) -> bool:
        return not self.reasons

    @property
    def proven(self) -> bool:
        """The token verified and its TSA is trusted: ``time`` can be relied on."""
        return self.intact and self.time is not None and self.trust is not None and self.trust.accepted

    def to_dict(self) -> dict[str, Any]:
        return {"time": _iso(self.time), "intact": self.intact, "proven": self.proven,
                "reasons": [r.to_dict() for r in self.reasons], "tsa": self.tsa.to_dict() if self.tsa else None,
                "trust": self.trust.to_dict() if self.trust else None}


@dataclass(frozen=True, slots=True)
class PdfSignatureResult:
    """One filled signature field and its verdict (``verdict``: every reason that counts against it —
    integrity, coverage, changes, timestamp, then the signer certificate's — at the time it was judged at)."""

    field: str
    """The field's fully qualified name."""
    verdict: VerificationResult
    kind: SignatureKind = SignatureKind.SIGNATURE
    sub_filter: str | None = None
    revision: int | None = None
    """The revision (0-based) the signature belongs to."""
    coverage: Coverage | None = None
    modification: Modification | None = None
    changed_fields: tuple[str, ...] = ()
    """Form fields whose values later revisions changed."""
    docmdp: str | None = None
    """The certification permission this signature sets (no_changes, fill_forms, annotate)."""
    intact: bool = False
    """The messageDigest (or a document timestamp's imprint) equals the digest of the ByteRange."""
    valid: bool = False
    """The signature value verifies with the signer's key."""
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    signer: ChainLink | None = None
    signer_certificate: bytes | None = dataclasses.field(default=None, repr=False)
    """The signer's (or TSA's) certificate, DER."""
    signing_time: datetime.datetime | None = None
    """The signer's claim (signingTime attribute, else /M); never used to validate."""
    timestamp: TimestampResult | None = None
    trust: VerificationResult | None = None
    """certmutual's verdict on the signer certificate (the TSA's, for a document timestamp)."""
    identity: Identity | None = None

    @property
    def accepted(self) -> bool:
        return self.verdict.accepted

    @property
    def status(self) -> Status:
        return self.verdict.status

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return self.verdict.codes

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field, "kind": self.kind.value, **self.verdict.to_dict(), "sub_filter": self.sub_filter,
            "revision": self.revision, "coverage": self.coverage.value if self.coverage else None,
            "modification": self.modification.value if self.modification else None,
            "changed_fields": list(self.changed_fields), "docmdp": self.docmdp, "intact": self.intact,
            "valid": self.valid, "digest_algorithm": self.digest_algorithm, "signature_algorithm": self.signature_algorithm,
            "signer": self.signer.to_dict() if self.signer else None, "signing_time": _iso(self.signing_time),
            "timestamp": self.timestamp.to_dict() if self.timestamp else None,
            "trust": self.trust.to_dict() if self.trust else None,
            "identity": self.identity.to_dict() if self.identity else None,
        }


@dataclass(frozen=True, slots=True)
class PdfResult(Verdict):
    """A PDF document: every filled signature field with its verdict. Accepted only when the file
    was readable, it holds at least one signature, and every signature is accepted."""

    reasons: tuple[Reason, ...]
    """Findings about the document (unreadable, refused, not signed), then each rejected
    signature's reasons (``concerns`` names its field)."""
    signatures: tuple[PdfSignatureResult, ...] = ()
    warnings: tuple[Reason, ...] = ()
    revisions: int = 0
    status: Status = dataclasses.field(init=False)

    @property
    def covering_entire_file(self) -> tuple[str, ...]:
        """The fields whose signatures cover every byte of the file."""
        return tuple(s.field for s in self.signatures if s.coverage is Coverage.ENTIRE_FILE)

    def to_dict(self) -> dict[str, Any]:
        return {**self.verdict_dict(),
                "warnings": [w.to_dict() for w in self.warnings], "revisions": self.revisions,
                "covering_entire_file": list(self.covering_entire_file),
                "signatures": [s.to_dict() for s in self.signatures]}


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["Coverage", "Modification", "PdfResult", "PdfSignatureResult", "SignatureKind", "TimestampResult"]
