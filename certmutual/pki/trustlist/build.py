"""Building a trust list from ``vendors/`` and a small policy file (``certmutual trustlist build``).

The policy file (TOML) says what the province decided; the vendor profiles say who the vendors
are. Roots and intermediates come from ``vendors/<id>/roots/`` and ``vendors/<id>/intermediates/``
(PEM or DER files) plus any paths the policy lists, relative to the policy file::

    sequence_number = 12
    authority = "某省公共资源交易数字证书互认工作办公室"
    valid_days = 30                      # next_update = issued_at + valid_days
    # issued_at = "2026-11-22T00:00:00Z"  (default: now)

    [revocation]
    order = "ocsp-first"                 # or "crl-first"
    mode = "hard-fail"                   # or "soft-fail"
    timeout_seconds = 5

    [[vendors]]
    id = "cfca"                          # a vendors/<id>/profile.toml
    services = ["signing", "encryption", "seal-making"]
    roots = ["roots/cfca-sm2-root.pem"]  # optional, beside vendors/cfca/roots/*
    status = [{status = "recognised", since = "2024-01-01T00:00:00Z"}]
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

from collections.abc import Mapping
from dataclasses import dataclass

from certmutual.errors import ConfigurationError, MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.loading import load_certificates
from certmutual.pki.trustlist.document import TrustListError, load_trust_list, unsigned_document
from certmutual.pki.fetch import RevocationMode, RevocationOrder
from certmutual.pki.trustlist.model import (
    RevocationPolicy, Service, StatusPeriod, TrustList, VendorEntry, VendorStatus,
)

CERTIFICATE_SUFFIXES = (".pem", ".cer", ".crt", ".der")


@dataclass(frozen=True)
class VendorFacts:
    """What a vendor profile says about a vendor that the list repeats (the caller reads the
    profiles: pki knows nothing of the identity layer)."""

    name: str
    crl_urls: tuple[str, ...] = ()
    ocsp_urls: tuple[str, ...] = ()


def build_trust_list(policy_path: Path, vendors: Mapping[str, VendorFacts], vendors_directory: Path,
                     now: datetime.datetime) -> bytes:
    """The unsigned trust-list document the policy file describes, for vendors known by ``vendors``
    (id -> facts) whose certificates are under ``vendors_directory``. Raises
    :class:`ConfigurationError` naming the file and the problem."""
    try:
        policy = tomllib.loads(policy_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{policy_path}: not a readable TOML file: {exc}") from exc
    try:
        issued_at = _time(policy["issued_at"]) if "issued_at" in policy else now.replace(microsecond=0)
        revocation = policy.get("revocation", {})
        trust_list = TrustList(
            sequence_number=int(policy["sequence_number"]), issued_at=issued_at,
            next_update=issued_at + datetime.timedelta(days=int(policy.get("valid_days", 30))),
            authority=str(policy["authority"]),
            vendors=tuple(_vendor(entry, vendors, vendors_directory, policy_path.parent) for entry in policy.get("vendors", [])),
            revocation=RevocationPolicy(RevocationOrder(revocation.get("order", "ocsp-first")),
                                        RevocationMode(revocation.get("mode", "hard-fail")),
                                        float(revocation.get("timeout_seconds", 5))),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigurationError(f"{policy_path}: {type(exc).__name__}: {exc}") from exc
    document = unsigned_document(trust_list)
    try:
        load_trust_list(document)  # the schema is the contract: a built list must pass it
    except TrustListError as exc:
        raise ConfigurationError(f"{policy_path}: the list built from it is not valid: {exc}") from exc
    return document


def _vendor(entry: dict[str, Any], vendors: Mapping[str, VendorFacts], vendors_directory: Path, base: Path) -> VendorEntry:
    vendor_id = str(entry["id"])
    facts = vendors.get(vendor_id)
    if facts is None:
        raise ConfigurationError(f"vendor {vendor_id!r} has no vendors/{vendor_id}/profile.toml")
    directory = vendors_directory / vendor_id
    roots = _certificates(directory / "roots") + [c for path in entry.get("roots", []) for c in _load(base / path)]
    intermediates = _certificates(directory / "intermediates") + [
        c for path in entry.get("intermediates", []) for c in _load(base / path)]
    if not roots:
        raise ConfigurationError(f"vendor {vendor_id!r}: no root certificate (put one in {directory / 'roots'} or list it)")
    history = tuple(StatusPeriod(VendorStatus(p["status"]), _time(p["since"]), p.get("note")) for p in entry["status"])
    return VendorEntry(
        id=vendor_id, name=facts.name, services=frozenset(Service(s) for s in entry["services"]),
        roots=tuple(roots), intermediates=tuple(intermediates), history=history,
        crl_urls=tuple(entry.get("crl_urls", facts.crl_urls)), ocsp_urls=tuple(entry.get("ocsp_urls", facts.ocsp_urls)),
    )


def _certificates(directory: Path) -> list[Certificate]:
    if not directory.is_dir():
        return []
    return [c for path in sorted(directory.iterdir()) if path.suffix.lower() in CERTIFICATE_SUFFIXES for c in _load(path)]


def _load(path: Path) -> list[Certificate]:
    try:
        return load_certificates(str(path))
    except (MalformedInput, OSError) as exc:
        raise ConfigurationError(f"{path}: {exc}") from exc


def _time(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):  # TOML has native datetimes
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
