"""The validation policy: every knob of path validation in one frozen value."""

from __future__ import annotations

from dataclasses import dataclass, field

from certmutual.crypto.sm2 import DEFAULT_USER_ID

KEY_USAGE_NAMES = frozenset({
    "digital_signature", "non_repudiation", "key_encipherment", "data_encipherment",
    "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
})

# The CLI and specs use RFC 5280's camelCase names; asn1crypto uses snake_case.
KEY_USAGE_ALIASES = {
    "digitalSignature": "digital_signature",
    "nonRepudiation": "non_repudiation",
    "contentCommitment": "non_repudiation",
    "keyEncipherment": "key_encipherment",
    "dataEncipherment": "data_encipherment",
    "keyAgreement": "key_agreement",
    "keyCertSign": "key_cert_sign",
    "cRLSign": "crl_sign",
    "encipherOnly": "encipher_only",
    "decipherOnly": "decipher_only",
}


def key_usage_name(name: str) -> str:
    """Normalise an RFC 5280 or snake_case key-usage name; raises ValueError for unknown names."""
    normalised = KEY_USAGE_ALIASES.get(name, name)
    if normalised not in KEY_USAGE_NAMES:
        raise ValueError(f"unknown key usage {name!r}")
    return normalised


@dataclass(frozen=True)
class Policy:
    """How to validate a path. Immutable; build variants with ``dataclasses.replace``."""

    required_key_usage: frozenset[str] = frozenset()
    """Leaf key usages that must all be asserted when the leaf has a keyUsage extension."""
    required_ext_key_usage: frozenset[str] = frozenset()
    """EKU OIDs the leaf must assert (or anyExtendedKeyUsage); intermediates that carry an EKU
    extension must allow them too."""
    require_revocation: bool = False
    """Every certificate below the anchor needs a fresh CRL in scope; otherwise fail closed."""
    allow_weak_algorithms: bool = False
    """Accept SHA-1 based signatures."""
    max_intermediates: int = 8
    """Non-self-issued intermediates allowed between leaf and anchor."""
    max_signature_checks: int = 100
    max_name_comparisons: int = 250_000
    max_candidates: int = 1000
    """Path-building steps before giving up (hostile pools with many same-name CAs)."""
    sm2_user_id: bytes = DEFAULT_USER_ID
    """The Z_A user ID for certificate and CRL signatures made with SM2 (standard default)."""
    min_rsa_bits: int = 2048
    """RSA keys smaller than this are refused anywhere in the path (``weak_algorithm``)."""
    strict_issuance: bool = False
    """Reject certificates that break RFC 5280's rules for conforming CAs (see
    :mod:`certmutual.pki.issuance_rules`); by default such breaches are warnings, because real
    national and CFCA SM2 CAs break some of them."""
    check_anchor_validity: bool = True
    """Also require the trust anchor certificate to be within its validity period."""
    extra_critical_extensions: frozenset[str] = field(default_factory=frozenset)
    """Critical extension OIDs the caller processes itself and so does not want refused."""

    def __post_init__(self) -> None:
        for name in self.required_key_usage:
            if name not in KEY_USAGE_NAMES:
                raise ValueError(f"unknown key usage {name!r}")

