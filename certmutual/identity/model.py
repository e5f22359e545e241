"""The identity model: who a certificate speaks for, in one shape for every vendor.

Plain data. Every field that was found carries :class:`Evidence` saying where; two places that
disagree become a :class:`Conflict` rather than a silent choice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from certmutual.identity.regions import Province


class EntityKind(str, enum.Enum):
    """What kind of market entity the certificate speaks for."""

    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"
    INSTITUTION = "institution"
    """Government bodies, public institutions, social organisations (credit codes not issued by
    market regulation)."""
    UNKNOWN = "unknown"


class CertificateRole(str, enum.Enum):
    """What the key is for, read from keyUsage (GM/T 0015 issues signing and encryption certificates
    in pairs)."""

    SIGNING = "signing"
    ENCRYPTION = "encryption"
    DUAL = "dual"
    """Both signing and encipherment usages (or no keyUsage at all)."""
    CA = "ca"


class Confidence(str, enum.Enum):
    """How much the identity can be relied on."""

    HIGH = "high"
    """Found by the issuing vendor's profile, every number with a valid check digit."""
    MEDIUM = "medium"
    """Found by a profile, but a number failed its check digit or the vendor was not recognised."""
    LOW = "low"
    """No profile rule matched: strings classified by checksum alone."""
    NONE = "none"
    """Nothing that identifies an entity."""


FIELDS = ("credit_code", "id_number", "organization_code", "ic_registration_number", "tax_number", "name")
"""The identity fields a vendor profile rule may fill (``code`` in a rule means: classify by checksum)."""


@dataclass(frozen=True)
class Evidence:
    """Where one field's value was found."""

    field: str
    value: str
    source: str
    """Human-readable location: ``"extension 1.2.156.10260.4.1.4 (PrintableString)"``,
    ``"subject CN, pattern cfca-cn"``, ``"subject SN (surname)"``."""
    rule: str
    """The profile and rule that found it: ``"cfca#2"``, or ``"fallback"``."""
    valid: bool | None = None
    """Check digit result for numbers that have one (None: no check digit defined)."""

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "source": self.source, "rule": self.rule, "valid": self.valid}


@dataclass(frozen=True)
class Conflict:
    """Two places in one certificate that give different values for one field."""

    field: str
    values: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "values": [evidence.to_dict() for evidence in self.values]}


@dataclass(frozen=True)
class Identity:
    """The market entity behind a certificate, normalised across vendors."""

    kind: EntityKind
    credit_code: str | None = None
    """统一社会信用代码 (GB 32100), 18 characters, only when its check character is valid."""
    id_number: str | None = None
    """居民身份证号码 (GB 11643), 18 characters, only when its check digit is valid."""
    organization_code: str | None = None
    """组织机构代码 (GB 11714), 9 characters (the credit code embeds it)."""
    ic_registration_number: str | None = None
    tax_number: str | None = None
    name: str | None = None
    region: Province | None = None
    """Province of the registering authority (credit code) or of first registration (ID number)."""
    vendor: str | None = None
    """The vendor profile id that recognised the issuer (None: no profile recognised it)."""
    role: CertificateRole = CertificateRole.DUAL
    confidence: Confidence = Confidence.NONE
    evidence: tuple[Evidence, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    rejected: tuple[Evidence, ...] = field(default=())
    """Values a rule found that failed their check digit (kept so a vendor can see why)."""

    @property
    def found(self) -> bool:
        """Whether the certificate identifies a market entity (a registered number or ID)."""
        return self.entity_key is not None

    @property
    def entity_key(self) -> str | None:
        """The same string for the same entity, whichever CA issued the certificate.

        The credit code when there is one (it embeds the organisation code, so an organisation-code-
        only certificate of the same company keys the same way), else the ID number.
        """
        if self.credit_code:
            return f"org:{self.credit_code[8:17]}"
        if self.organization_code:
            return f"org:{self.organization_code}"
        if self.id_number:
            return f"person:{self.id_number}"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "entity_key": self.entity_key,
            "kind": self.kind.value,
            "credit_code": self.credit_code,
            "id_number": self.id_number,
            "organization_code": self.organization_code,
            "ic_registration_number": self.ic_registration_number,
            "tax_number": self.tax_number,
            "name": self.name,
            "region": self.region.to_dict() if self.region else None,
            "vendor": self.vendor,
            "role": self.role.value,
            "confidence": self.confidence.value,
            "evidence": [evidence.to_dict() for evidence in self.evidence],
            "conflicts": [conflict.to_dict() for conflict in self.conflicts],
            "rejected": [evidence.to_dict() for evidence in self.rejected],
        }
