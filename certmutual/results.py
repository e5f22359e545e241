"""Verification results as plain data, and the one reason-code vocabulary.

Every verdict certmutual reaches is a :class:`VerificationResult`: a status derived from a tuple of
:class:`Reason` values, each carrying a :class:`ReasonCode` from the closed vocabulary below. The
vocabulary is documented, code by code, in ``specs/reason-codes.md``; a test keeps the two in step.

The shape returned by ``to_dict()`` is the same from the library, the CLI's ``--json`` and the
gateway.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any


class Status(enum.Enum):
    """The bottom line of a verification (after ETSI EN 319 102-1's main indications)."""

    VALID = "valid"
    """Every check ran and passed."""
    INVALID = "invalid"
    """A check ran and failed: the object must not be accepted."""
    INDETERMINATE = "indeterminate"
    """A check could not be completed (missing issuer, no fresh revocation data): not accepted."""


class ReasonCode(str, enum.Enum):
    """Why a verification ended as it did. Each code belongs to exactly one :class:`Status`."""

    OK = "ok"
    # -- time
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    # -- signatures and algorithms
    BAD_SIGNATURE = "bad_signature"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    WEAK_ALGORITHM = "weak_algorithm"
    # -- path building
    ISSUER_NOT_FOUND = "issuer_not_found"
    UNTRUSTED_ROOT = "untrusted_root"
    PATH_BUDGET_EXCEEDED = "path_budget_exceeded"
    # -- path validation (RFC 5280 §6.1)
    INTERMEDIATE_NOT_CA = "intermediate_not_ca"
    PATH_LENGTH_EXCEEDED = "path_length_exceeded"
    KEY_USAGE = "key_usage"
    EXT_KEY_USAGE = "ext_key_usage"
    NAME_CONSTRAINTS = "name_constraints"
    UNSUPPORTED_CRITICAL_EXTENSION = "unsupported_critical_extension"
    AKI_SKI_MISMATCH = "aki_ski_mismatch"
    INVALID_EXTENSION = "invalid_extension"
    INVALID_NAME = "invalid_name"
    INVALID_SERIAL_NUMBER = "invalid_serial_number"
    # -- revocation
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation_unknown"
    CRL_EXPIRED = "crl_expired"
    # -- the province trust list
    VENDOR_NOT_RECOGNISED = "vendor_not_recognised"
    VENDOR_SUSPENDED = "vendor_suspended"
    VENDOR_WITHDRAWN = "vendor_withdrawn"
    SERVICE_NOT_RECOGNISED = "service_not_recognised"
    TRUST_LIST_EXPIRED = "trust_list_expired"
    TRUST_LIST_INVALID = "trust_list_invalid"
    # -- input
    MALFORMED = "malformed"
    # -- signed documents (CMS / PKCS#7, OFD) and their containers
    DIGEST_MISMATCH = "digest_mismatch"
    CONTENT_TYPE_MISMATCH = "content_type_mismatch"
    SIGNER_NOT_FOUND = "signer_not_found"
    CONTENT_MISSING = "content_missing"
    NOT_SIGNED = "not_signed"
    UNSUPPORTED_FORMAT = "unsupported_format"
    CONTAINER_REFUSED = "container_refused"
    XML_REFUSED = "xml_refused"
    MISSING_PART = "missing_part"
    UNLISTED_PART = "unlisted_part"
    SEAL_MISMATCH = "seal_mismatch"
    STAMP_ANNOTATION_INVALID = "stamp_annotation_invalid"
    # -- electronic seals and seal signatures (GM/T 0031, GB/T 38540)
    SEAL_EXPIRED = "seal_expired"
    SEAL_NOT_YET_VALID = "seal_not_yet_valid"
    SIGNER_NOT_IN_SEAL = "signer_not_in_seal"
    TIMESTAMP_INVALID = "timestamp_invalid"
    TIME_INCONSISTENT = "time_inconsistent"
    # -- tolerated deviations from a standard (warnings unless the caller asks to be strict)
    NONSTANDARD_ENCODING = "nonstandard_encoding"
    NONSTANDARD_TIME = "nonstandard_time"
    VERSION_MISMATCH = "version_mismatch"
    GARBLED_TEXT = "garbled_text"
    # -- PDF signatures (ISO 32000-2 §12.8)
    INCOMPLETE_COVERAGE = "incomplete_coverage"
    DISALLOWED_CHANGE = "disallowed_change"

    @property
    def status(self) -> Status:
        return _STATUS_OF[self]


_STATUS_OF: dict[ReasonCode, Status] = {
    ReasonCode.OK: Status.VALID,
    ReasonCode.ISSUER_NOT_FOUND: Status.INDETERMINATE,
    ReasonCode.PATH_BUDGET_EXCEEDED: Status.INDETERMINATE,
    ReasonCode.REVOCATION_UNKNOWN: Status.INDETERMINATE,
    ReasonCode.CRL_EXPIRED: Status.INDETERMINATE,
    ReasonCode.TRUST_LIST_EXPIRED: Status.INDETERMINATE,
    ReasonCode.SIGNER_NOT_FOUND: Status.INDETERMINATE,
    ReasonCode.CONTENT_MISSING: Status.INDETERMINATE,
}
for _code in ReasonCode:
    _STATUS_OF.setdefault(_code, Status.INVALID)


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding: a code from the vocabulary, a human message, and what it concerns."""

    code: ReasonCode
    message: str
    concerns: str | None = None
    """Which object the reason is about, e.g. a certificate's subject; None for the whole."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code.value, "message": self.message}
        if self.concerns is not None:
            out["concerns"] = self.concerns
        return out


@dataclass(frozen=True, slots=True)
class ChainLink:
    """A certificate of a validated (or best attempted) chain, leaf first."""

    subject: str
    issuer: str
    serial: str
    """Hexadecimal, as printed by most tools."""
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "issuer": self.issuer, "serial": self.serial, "sha256": self.sha256}


class RevocationStatus(str, enum.Enum):
    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


class DecidedBy(str, enum.Enum):
    CRL = "crl"
    OCSP = "ocsp"
    CACHE = "cache"
    """A CRL or OCSP response reused from the cache (``kind`` says which)."""
    NONE = "none"


@dataclass(frozen=True, slots=True)
class RevocationFact:
    """What was decided for one certificate, and from what."""

    certificate: str
    """The certificate's subject."""
    sha256: str
    status: RevocationStatus
    source: DecidedBy
    kind: str | None = None
    """``crl`` or ``ocsp`` for the data that decided (also when it came from the cache)."""
    this_update: datetime.datetime | None = None
    next_update: datetime.datetime | None = None
    revoked_at: datetime.datetime | None = None
    fetched_at: datetime.datetime | None = None
    url: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        def iso(moment: datetime.datetime | None) -> str | None:
            return moment.isoformat() if moment else None
        return {"certificate": self.certificate, "sha256": self.sha256, "status": self.status.value,
                "source": self.source.value, "kind": self.kind, "this_update": iso(self.this_update),
                "next_update": iso(self.next_update), "revoked_at": iso(self.revoked_at),
                "fetched_at": iso(self.fetched_at), "url": self.url, "detail": self.detail}


def derive_status(reasons: tuple[Reason, ...]) -> Status:
    """The one rule that turns reasons into a verdict: any INVALID wins, then INDETERMINATE."""
    indeterminate = False
    for reason in reasons:
        status = reason.code.status
        if status is Status.INVALID:
            return Status.INVALID
        indeterminate = indeterminate or status is Status.INDETERMINATE
    return Status.INDETERMINATE if indeterminate else Status.VALID


_ALL_CHECKS_PASSED = (Reason(ReasonCode.OK, "all checks passed"),)
"""The reasons of every accepted result (one shared tuple: results are immutable)."""


class Verdict:
    """What every frozen result record with ``reasons`` and a derived ``status`` shares (seals,
    seal signatures, CMS signers, OFD and PDF signatures): no reasons means "all checks passed",
    and the status comes from :func:`derive_status`, the one rule. A mixin for
    ``@dataclass(frozen=True)`` classes that declare ``reasons`` and ``status = field(init=False)``."""

    __slots__ = ()
    reasons: tuple[Reason, ...]
    status: Status

    def __post_init__(self) -> None:
        if self.reasons:
            object.__setattr__(self, "status", derive_status(self.reasons))
        else:  # the common case on a hot path: one shared tuple, no scan
            object.__setattr__(self, "reasons", _ALL_CHECKS_PASSED)
            object.__setattr__(self, "status", Status.VALID)

    @property
    def accepted(self) -> bool:
        return self.status is Status.VALID

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(reason.code for reason in self.reasons)

    def verdict_dict(self) -> dict[str, Any]:
        """The verdict part every ``to_dict()`` starts with: accepted, status, reasons."""
        return {"accepted": self.accepted, "status": self.status.value,
                "reasons": [reason.to_dict() for reason in self.reasons]}


@dataclass(frozen=True, slots=True)
class VerificationResult(Verdict):
    """The outcome of verifying one object. ``accepted`` is true only for :attr:`Status.VALID`."""

    reasons: tuple[Reason, ...]
    at: datetime.datetime
    """The validation time the checks used."""
    chain: tuple[ChainLink, ...] = ()
    warnings: tuple[Reason, ...] = ()
    """Findings that did not change the verdict (e.g. revocation soft-failed by policy)."""
    revocation: tuple[RevocationFact, ...] = ()
    """Per certificate below the anchor, when revocation was checked from gathered CRLs and OCSP:
    the status and which source decided it, with its times."""
    status: Status = field(init=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.verdict_dict(),
            "warnings": [reason.to_dict() for reason in self.warnings],
            "chain": [link.to_dict() for link in self.chain],
            "revocation": [fact.to_dict() for fact in self.revocation],
            "at": self.at.isoformat(),
        }
