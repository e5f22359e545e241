"""The demo PKI the Quick start runs on: an SM2 province-style hierarchy generated on the spot.

Root CA -> issuing CA -> a company's signing certificate, all SM2-with-SM3, written as PEM into a
directory. Nothing here is trusted anywhere; keys are thrown away after issuance.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from asn1crypto import core, pem

from certmutual.pki.builder import KeyKind, RawExtension, SigningKey, issue_certificate, issue_crl, name
from certmutual.pki.certificate import Certificate

DEMO_CREDIT_CODE = "91440300708461136T"  # a published, checksum-valid unified social credit code


@dataclass(frozen=True)
class DemoPKI:
    directory: str
    root: str
    intermediate: str
    leaf: str
    crl: str
    root_crl: str


def _write(path: str, label: str, der: bytes) -> str:
    with open(path, "wb") as handle:
        handle.write(pem.armor(label, der))
    return path


def build_demo_pki(directory: str, now: datetime.datetime | None = None) -> DemoPKI:
    """Generate the demo hierarchy into ``directory`` (created if needed) and return the paths."""
    now = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0)
    os.makedirs(directory, exist_ok=True)
    year = datetime.timedelta(days=365)
    root_key, ca_key, leaf_key = (SigningKey.generate(KeyKind.SM2) for _ in range(3))
    root = issue_certificate(
        subject=name({"country_name": "CN", "organization_name": "certmutual demo", "common_name": "certmutual Demo SM2 Root CA"}),
        subject_key=root_key, issuer_key=root_key, not_before=now - year, not_after=now + 10 * year, ca=True)
    ca = issue_certificate(
        subject=name({"country_name": "CN", "organization_name": "certmutual demo", "common_name": "certmutual Demo SM2 Issuing CA"}),
        issuer=root.subject, subject_key=ca_key, issuer_key=root_key, not_before=now - year, not_after=now + 5 * year,
        ca=True, path_len=0)
    leaf = issue_certificate(
        subject=name([("country_name", "CN"), ("state_or_province_name", "广东省"), ("organization_name", "示范科技有限公司"),
                      ("common_name", f"示范科技有限公司@N{DEMO_CREDIT_CODE}")]),
        issuer=ca.subject, subject_key=leaf_key, issuer_key=ca_key, not_before=now - year / 12, not_after=now + year,
        key_usage={"digital_signature", "non_repudiation"},
        # GM/T 0015's OrganizationCode slot, which CAs fill with the credit code since 三证合一.
        extra_extensions=[RawExtension("1.2.156.10260.4.1.4", False, core.PrintableString(DEMO_CREDIT_CODE).dump())])
    crl = issue_crl(issuer=ca, issuer_key=ca_key, this_update=now - datetime.timedelta(hours=1),
                    next_update=now + datetime.timedelta(days=7))
    root_crl = issue_crl(issuer=root, issuer_key=root_key, this_update=now - datetime.timedelta(hours=1),
                         next_update=now + datetime.timedelta(days=30))
    return DemoPKI(
        directory,
        _write(os.path.join(directory, "root.pem"), "CERTIFICATE", root.der),
        _write(os.path.join(directory, "issuing-ca.pem"), "CERTIFICATE", ca.der),
        _write(os.path.join(directory, "leaf.pem"), "CERTIFICATE", leaf.der),
        _write(os.path.join(directory, "issuing-ca.crl"), "X509 CRL", crl.der),
        _write(os.path.join(directory, "root.crl"), "X509 CRL", root_crl.der),
    )


__all__ = ["DemoPKI", "build_demo_pki", "Certificate"]
