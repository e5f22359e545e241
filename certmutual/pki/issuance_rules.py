"""RFC 5280's rules for *conforming CAs*: how a certificate must be issued, as opposed to what a
path must satisfy.

Real Chinese CAs break some of these (the national SM2 ROOTCA and CFCA's SM2 CAs mark
basicConstraints non-critical), so :class:`Policy.strict_issuance` decides what a breach costs:
with it, each breach is a reason and the certificate is rejected; without it (the default), each is a
warning on an otherwise accepted result. Breaches that are security-relevant (an empty EKU, keyCertSign
on a non-CA) are in :mod:`checks` and always enforced.
"""

from __future__ import annotations

import re

from certmutual.asn1.oids import EXT_OID
from certmutual.pki.certificate import Certificate
from certmutual.results import Reason, ReasonCode

_DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
"""1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (the whole name is
matched with ``fullmatch``: a trailing newline is not a host name)."""
_DNS_NAME = re.compile(rf"(?:\*\.)?{_DNS_LABEL}(?:\.{_DNS_LABEL})*")


_MUST_NOT_BE_CRITICAL = ((EXT_OID.SUBJECT_KEY_IDENTIFIER, "4.2.1.2"), (EXT_OID.AUTHORITY_KEY_IDENTIFIER, "4.2.1.1"),
                         (EXT_OID.AUTHORITY_INFO_ACCESS, "4.2.2.1"))


def breaches(cert: Certificate, *, is_anchor: bool) -> list[Reason]:
    """Every RFC 5280 issuance rule ``cert`` breaks, each as a reason naming the clause."""
    found: list[Reason] = []

    def breach(code: ReasonCode, message: str) -> None:
        found.append(Reason(code, message, cert.subject_text))

    exts = cert.extensions
    is_ca = cert.is_ca
    # §4.2.1.3: keyCertSign only with cA.
    if cert.key_usage is not None and "key_cert_sign" in cert.key_usage and not is_ca:
        breach(ReasonCode.INVALID_EXTENSION, "keyCertSign asserted but basicConstraints cA is not true (RFC 5280 §4.2.1.3)")
    # §4.1.2.2: positive, at most 20 octets. Not asked of trust anchors: they are configuration
    # (§6.1.1 d), and long-lived roots in use today have serial 0.
    if is_anchor:
        pass
    elif cert.serial <= 0:
        breach(ReasonCode.INVALID_SERIAL_NUMBER, "serialNumber must be positive (RFC 5280 §4.1.2.2)")
    elif (cert.serial.bit_length() + 8) // 8 > 20:
        breach(ReasonCode.INVALID_SERIAL_NUMBER, "serialNumber is longer than 20 octets (RFC 5280 §4.1.2.2)")
    if is_ca:
        # §4.1.2.6: a CA's subject is a non-empty distinguished name.
        if cert.subject_is_empty:
            breach(ReasonCode.INVALID_NAME, "a CA certificate has an empty subject (RFC 5280 §4.1.2.6)")
        # §4.2.1.9: basicConstraints MUST be critical in CA certificates.
        if not exts[EXT_OID.BASIC_CONSTRAINTS].critical:
            breach(ReasonCode.INVALID_EXTENSION, "basicConstraints is not critical in a CA certificate (RFC 5280 §4.2.1.9)")
        # §4.2.1.2: SKI MUST appear in all conforming CA certificates.
        if EXT_OID.SUBJECT_KEY_IDENTIFIER not in exts:
            breach(ReasonCode.INVALID_EXTENSION, "a CA certificate has no subjectKeyIdentifier (RFC 5280 §4.2.1.2)")
    for oid, clause in _MUST_NOT_BE_CRITICAL:
        extension = exts.get(oid)
        if extension is not None and extension.critical:
            breach(ReasonCode.INVALID_EXTENSION, f"extension {oid} must not be critical (RFC 5280 §{clause})")
    # §4.2.1.1: keyIdentifier in AKI of every certificate except (optionally) self-signed ones.
    if EXT_OID.AUTHORITY_KEY_IDENTIFIER in exts:
        if cert.authority_key_id is None:
            breach(ReasonCode.INVALID_EXTENSION, "authorityKeyIdentifier lacks keyIdentifier (RFC 5280 §4.2.1.1)")
        elif is_anchor and cert.is_self_issued and cert.subject_key_id is not None and cert.authority_key_id != cert.subject_key_id:
            breach(ReasonCode.AKI_SKI_MISMATCH, "self-signed root whose AKI is not its own SKI")
    elif not cert.is_self_issued and not is_anchor:
        # Roots cross-signed elsewhere may serve as anchors without an AKI (§6.1.1 d).
        breach(ReasonCode.INVALID_EXTENSION, "no authorityKeyIdentifier (RFC 5280 §4.2.1.1)")
    # §4.2.1.10: name constraints only in CA certificates, critical, never an empty sequence.
    name_constraints = exts.get(EXT_OID.NAME_CONSTRAINTS)
    if name_constraints is not None:
        if not is_ca:
            breach(ReasonCode.INVALID_EXTENSION, "nameConstraints in a non-CA certificate (RFC 5280 §4.2.1.10)")
        if not name_constraints.critical:
            breach(ReasonCode.INVALID_EXTENSION, "nameConstraints is not critical (RFC 5280 §4.2.1.10)")
        nc = cert.name_constraints
        if nc is not None and not nc["permitted_subtrees"].native and not nc["excluded_subtrees"].native:
            breach(ReasonCode.INVALID_EXTENSION, "nameConstraints without permitted or excluded subtrees (RFC 5280 §4.2.1.10)")
    # §4.2.1.6: with an empty subject the SAN is critical; SAN names are well formed.
    subject_alt_name = exts.get(EXT_OID.SUBJECT_ALT_NAME)
    if subject_alt_name is not None:
        if cert.subject_is_empty:
            if not subject_alt_name.critical:
                breach(ReasonCode.INVALID_EXTENSION, "empty subject but subjectAltName is not critical (RFC 5280 §4.2.1.6)")
        elif subject_alt_name.critical:
            breach(ReasonCode.INVALID_EXTENSION, "subjectAltName is critical beside a non-empty subject (RFC 5280 §4.2.1.6 SHOULD NOT)")
        for dns_name in cert.san_dns_names:
            if not _valid_dns_name(dns_name):
                breach(ReasonCode.INVALID_NAME, f"subjectAltName dNSName {dns_name!r} is not a valid host name")
    return found


def _valid_dns_name(name: str) -> bool:
    """Preferred name syntax (RFC 1034 §3.5, RFC 5280 §4.2.1.6), allowing one leading wildcard label."""
    return _DNS_NAME.fullmatch(name.lower()) is not None
