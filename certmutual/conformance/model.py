"""The conformance kit's vocabulary: severities, what a check applies to, rules, findings, results.

A *rule* is a check's metadata as the province profile states it (``specs/profile/rules.toml``): id,
severity, citation, what it applies to, the date it takes effect. A *finding* is one breach of a rule
by one object of one input. A *result* is the outcome of one check on one object: pass, fail (with its
findings), not applicable, or not yet effective — so a report can list every (object, check) pair, as
zlint's NA/NE rows and a JUnit test case per pair need. Findings are not verification reasons: their
vocabulary is the profile's check ids, not :class:`certmutual.results.ReasonCode`.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """How much a breach counts (pkilint's ordering): the exit code counts ERROR and FATAL."""

    NOTICE = 1
    """Worth knowing; not a breach of the profile (e.g. an international algorithm it tolerates)."""
    WARNING = 2
    """A SHOULD of the profile or its standards is broken."""
    ERROR = 3
    """A MUST of the profile or its standards is broken."""
    FATAL = 4
    """The object cannot be judged at all (unreadable input, a check that crashed)."""

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use one of {[s.label for s in cls]}") from None


class AppliesTo(str, enum.Enum):
    """The kinds of object a check can judge."""

    SIGNING_CERT = "signing_cert"
    ENCRYPTION_CERT = "encryption_cert"
    CA_CERT = "ca_cert"
    CRL = "crl"
    OCSP_RESPONSE = "ocsp_response"
    SEAL = "seal"
    SEAL_SIGNATURE = "seal_signature"
    INPUT = "input"
    """Any input file, before it is classified (``input.readable``, ``base.check_crashed``)."""


CERTIFICATE_KINDS = frozenset({AppliesTo.SIGNING_CERT, AppliesTo.ENCRYPTION_CERT, AppliesTo.CA_CERT})
END_ENTITY_KINDS = frozenset({AppliesTo.SIGNING_CERT, AppliesTo.ENCRYPTION_CERT})


class Outcome(str, enum.Enum):
    """What one check said about one object."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    """The check does not judge this kind of object, or lacks what it needs (e.g. the issuer of a CRL
    is not in the sample)."""
    NOT_EFFECTIVE = "not_effective"
    """The object was issued before the rule's effective date."""


@dataclass(frozen=True)
class Rule:
    """One check as the profile defines it."""

    id: str
    severity: Severity
    citation: str
    """Standard and clause, e.g. ``"RFC 5280 §4.2.1.1"``."""
    applies_to: frozenset[AppliesTo]
    effective: datetime.date
    """Objects issued before this date are NOT_EFFECTIVE for the rule."""
    description: str
    """What a conforming object does, in one sentence."""

    @property
    def source(self) -> str:
        """The id's prefix: the standard (``rfc5280``, ``gmt0015``, ``gbt38540``...) or ``profile``."""
        return self.id.split(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity.label, "source": self.source, "citation": self.citation,
            "applies_to": sorted(kind.value for kind in self.applies_to), "effective": self.effective.isoformat(),
            "description": self.description,
        }


@dataclass(frozen=True)
class Finding:
    """One breach of one rule by one object."""

    check_id: str
    severity: Severity
    citation: str
    input: str
    """The object's label: the file, and ``#n`` / ``#maker`` / ``#seal`` for objects inside it."""
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check_id, "severity": self.severity.label, "citation": self.citation,
                "input": self.input, "message": self.message}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one object."""

    input: str
    check_id: str
    outcome: Outcome
    findings: tuple[Finding, ...] = ()
    note: str = ""
    """Why NOT_APPLICABLE / NOT_EFFECTIVE, when there is more to say than the outcome."""

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "check": self.check_id, "outcome": self.outcome.value, "note": self.note,
                "findings": [finding.to_dict() for finding in self.findings]}


@dataclass(frozen=True)
class Picture:
    """A seal's picture, for the report (bytes as stored)."""

    format: str
    """The detected format (``png``, ``jpeg``, ``gif``, ``bmp``, ``svg``, ``ofd``, ``unknown``)."""
    declared_type: str
    data: bytes = field(repr=False)
    width_mm: int
    height_mm: int


@dataclass(frozen=True)
class ObjectSummary:
    """One judged object, described for the report."""

    label: str
    kind: AppliesTo
    title: str
    """The subject name (certificates), issuer (CRLs), responder (OCSP) or seal name."""
    details: tuple[tuple[str, str], ...] = ()
    chain: tuple[str, ...] = ()
    """Subject names from this object up through the issuers found in the sample (certificates)."""
    picture: Picture | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"input": self.label, "kind": self.kind.value, "title": self.title,
                                "details": dict(self.details), "chain": list(self.chain)}
        if self.picture is not None:
            data["picture"] = {"format": self.picture.format, "declared_type": self.picture.declared_type,
                               "bytes": len(self.picture.data), "width_mm": self.picture.width_mm,
                               "height_mm": self.picture.height_mm}
        return data


@dataclass(frozen=True)
class Report:
    """One run of the kit: what was judged, by which rules, and what was found."""

    profile: str
    """The profile's name and version."""
    rules: tuple[Rule, ...]
    objects: tuple[ObjectSummary, ...]
    results: tuple[CheckResult, ...]
    started: datetime.datetime
    seconds: float

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(finding for result in self.results for finding in result.findings)

    def counts(self) -> dict[Severity, int]:
        counted = {severity: 0 for severity in Severity}
        for finding in self.findings:
            counted[finding.severity] += 1
        return counted

    @property
    def failures(self) -> int:
        """Findings of ERROR or FATAL severity."""
        return sum(1 for finding in self.findings if finding.severity >= Severity.ERROR)

    def rule(self, check_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == check_id:
                return rule
        raise KeyError(check_id)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "profile": self.profile,
            "started": self.started.isoformat(),
            "seconds": round(self.seconds, 3),
            "summary": {severity.label: counts[severity] for severity in sorted(Severity, reverse=True)},
            "failures": self.failures,
            "objects": [summary.to_dict() for summary in self.objects],
            "findings": [finding.to_dict() for finding in self.findings],
            "results": [result.to_dict() for result in self.results],
            "checks": [rule.to_dict() for rule in self.rules],
        }


__all__ = [
    "AppliesTo", "CERTIFICATE_KINDS", "CheckResult", "END_ENTITY_KINDS", "Finding", "ObjectSummary", "Outcome",
    "Picture", "Report", "Rule", "Severity",
]
