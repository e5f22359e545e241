"""Masking for logs and the audit trail: ID numbers and credit codes keep a few characters only."""

from __future__ import annotations

from typing import Any


def mask(value: str | None, keep_start: int = 2, keep_end: int = 2) -> str | None:
    """``91440300708461136T`` -> ``91**************6T``; short values are masked whole but one character."""
    if value is None:
        return None
    if len(value) <= keep_start + keep_end + 2:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_entity_key(key: str | None) -> str | None:
    """``org:708461136`` -> ``org:70*****36``; ``person:<ID number>`` keeps 2 + 2 digits."""
    if key is None:
        return None
    prefix, _, number = key.partition(":")
    return f"{prefix}:{mask(number)}"


def audit_subject(identity: dict[str, Any] | None, certificate_sha256: str | None) -> dict[str, Any]:
    """What the audit trail keeps about who a decision concerned: the masked entity key, the name of
    an organisation (a person's name is masked), and the certificate's fingerprint, which finds the
    certificate again without storing an ID number."""
    subject: dict[str, Any] = {"certificate": certificate_sha256}
    if identity:
        subject["entity"] = mask_entity_key(identity.get("entity_key"))
        name = identity.get("name")
        subject["name"] = mask(name, 1, 0) if name and identity.get("kind") == "individual" else name
    return subject
