"""Trust-list data and the rule that decides whether a vendor may be relied on at a moment.

Status is point-in-time (ETSI TS 119 612 keeps a service's status history the same way): validating
at T uses the status in force at T, so a bid signed while a vendor was recognised still verifies for
that bid after the vendor is withdrawn, and a certificate used after the withdrawal is rejected.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from certmutual.pki.certificate import Certificate
from certmutual.pki.fetch import RevocationMode, RevocationOrder
from certmutual.results import Reason, ReasonCode


class Service(str, enum.Enum):
    """What a vendor is recognised for."""

    SIGNING = "signing"
    """Signing certificates (bids, contracts, seal signatures)."""
    ENCRYPTION = "encryption"
    """Encryption certificates (bid envelopes are encrypted to them)."""
    SEAL_MAKING = "seal-making"
    """Making electronic seals (the seal maker's certificate in an SESeal)."""
    TIMESTAMPING = "timestamping"


class VendorStatus(str, enum.Enum):
    RECOGNISED = "recognised"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class RevocationPolicy:
    """How verifiers relying on this list check revocation."""

    order: RevocationOrder = RevocationOrder.OCSP_FIRST
    mode: RevocationMode = RevocationMode.HARD_FAIL
    timeout_seconds: float = 5.0

    def to_dict(self) -> dict[str, Any]:
        return {"order": self.order.value, "mode": self.mode.value, "timeout_seconds": self.timeout_seconds}


@dataclass(frozen=True)
class StatusPeriod:
    """A status in force from ``since`` until the next period's start."""

    status: VendorStatus
    since: datetime.datetime
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status.value, "since": _iso(self.since)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class VendorEntry:
    """One recognised CA vendor."""

    id: str
    name: str
    services: frozenset[Service]
    roots: tuple[Certificate, ...]
    intermediates: tuple[Certificate, ...]
    history: tuple[StatusPeriod, ...]
    """Ordered by ``since``, earliest first."""
    crl_urls: tuple[str, ...] = ()
    ocsp_urls: tuple[str, ...] = ()

    def status_at(self, at: datetime.datetime) -> StatusPeriod | None:
        """The period in force at ``at`` (None before the first)."""
        current = None
        for period in self.history:
            if period.since <= at:
                current = period
        return current

    def to_dict(self, at: datetime.datetime | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "name": self.name, "services": sorted(service.value for service in self.services),
            "roots": [root.sha256 for root in self.roots], "intermediates": [ca.sha256 for ca in self.intermediates],
            "crl_urls": list(self.crl_urls), "ocsp_urls": list(self.ocsp_urls),
            "status_history": [period.to_dict() for period in self.history],
        }
        if at is not None:
            period = self.status_at(at)
            out["status_at"] = {"at": _iso(at), "status": period.status.value if period else None}
        return out


@dataclass(frozen=True)
class TrustList:
    """A verified (or, while being built, unsigned) province trust list."""

    sequence_number: int
    issued_at: datetime.datetime
    next_update: datetime.datetime
    authority: str
    vendors: tuple[VendorEntry, ...]
    revocation: RevocationPolicy = RevocationPolicy()

    def vendor_of_root(self, root: Certificate) -> VendorEntry | None:
        for vendor in self.vendors:
            if any(candidate.der == root.der for candidate in vendor.roots):
                return vendor
        return None

    @property
    def roots(self) -> tuple[Certificate, ...]:
        return tuple(root for vendor in self.vendors for root in vendor.roots)

    @property
    def intermediates(self) -> tuple[Certificate, ...]:
        return tuple(ca for vendor in self.vendors for ca in vendor.intermediates)

    def is_expired(self, now: datetime.datetime) -> bool:
        return now > self.next_update

    def check_use(self, chain: Sequence[Certificate], service: Service, at: datetime.datetime) -> list[Reason]:
        """Why relying on ``chain`` (leaf first, ending at a root of this list) for ``service`` at
        ``at`` is not allowed by the list; empty when it is."""
        if not chain:
            return []
        vendor = self.vendor_of_root(chain[-1])
        if vendor is None:
            return []  # not a root of this list: path validation has already refused the chain
        leaf = chain[0].subject_text
        period = vendor.status_at(at)
        if period is None:
            first = vendor.history[0].since.isoformat() if vendor.history else "never"
            return [Reason(ReasonCode.VENDOR_NOT_RECOGNISED,
                           f"{vendor.name} ({vendor.id}) is recognised only from {first}, after {at.isoformat()}", leaf)]
        if period.status is VendorStatus.WITHDRAWN:
            return [Reason(ReasonCode.VENDOR_WITHDRAWN, _withdrawn_message(vendor, period, at), leaf)]
        if period.status is VendorStatus.SUSPENDED:
            return [Reason(ReasonCode.VENDOR_SUSPENDED, _withdrawn_message(vendor, period, at), leaf)]
        if service not in vendor.services:
            offered = ", ".join(sorted(s.value for s in vendor.services)) or "nothing"
            return [Reason(ReasonCode.SERVICE_NOT_RECOGNISED,
                           f"{vendor.name} ({vendor.id}) is recognised for {offered}, not {service.value}", leaf)]
        return []

    def to_dict(self, at: datetime.datetime | None = None) -> dict[str, Any]:
        return {
            "sequence_number": self.sequence_number, "issued_at": _iso(self.issued_at), "next_update": _iso(self.next_update),
            "authority": self.authority, "revocation": self.revocation.to_dict(),
            "vendors": [vendor.to_dict(at) for vendor in self.vendors],
        }


def _withdrawn_message(vendor: VendorEntry, period: StatusPeriod, at: datetime.datetime) -> str:
    note = f": {period.note}" if period.note else ""
    return f"{vendor.name} ({vendor.id}) is {period.status.value} since {period.since.isoformat()} (validation time {at.isoformat()}){note}"


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
