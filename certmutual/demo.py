"""The demo PKI the Quick start runs on: an SM2 province-style hierarchy generated on the spot.

Root CA -> issuing CA -> a company's signing certificate, all SM2-with-SM3, written as PEM into a
directory. Nothing here is trusted anywhere; keys are thrown away after issuance.

:func:`build_demo_environment` goes one step further for the gateway's embedded defaults: two demo
CA vendors (an SM2 one and an ECDSA P-256 one) that each issued a certificate to the same company,
a trust-list authority, and a province trust list signed by it that recognises both vendors. It
keeps the leaf keys (so a demo USB-key login can be signed) and the authority key (so the list can
be re-signed): demo material, never to be trusted outside a demo.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from asn1crypto import core, pem, x509

from certmutual.pki.builder import KeyKind, RawExtension, SigningKey, issue_certificate, issue_crl, name
from certmutual.pki.certificate import Certificate
from certmutual.pki.keyfile import dump_signing_key, load_signing_key
from certmutual.pki.trustlist import Service, StatusPeriod, TrustList, VendorEntry, VendorStatus, sign_trust_list
from certmutual.pki.trustlist.document import unsigned_document

DEMO_CREDIT_CODE = "91440300708461136T"  # a published, checksum-valid unified social credit code
DEMO_COMPANY = "示范科技有限公司"
YEAR = datetime.timedelta(days=365)
DEMO_POLICY = "1.3.6.1.5.5.7.13.1"  # id-TEST-certPolicyOne (RFC 7229): a policy OID meant for test certificates


def _revocation_pointers(vendor: str, issuer: str) -> tuple[list[str], list[str], RawExtension]:
    """CRL distribution point, OCSP responder and certificate policy of a certificate ``issuer`` issued,
    as the province profile (specs/profile) requires of every certificate below a root. The host names
    are .invalid (RFC 2606): nothing fetches them."""
    base = f"http://{vendor.lower().replace('-', '')}.demo.invalid"
    policies = x509.CertificatePolicies([{"policy_identifier": DEMO_POLICY}]).dump()
    return [f"{base}/{issuer}.crl"], [f"{base}/ocsp"], RawExtension("2.5.29.32", False, policies)


@dataclass(frozen=True)
class DemoPKI:
    directory: str
    root: str
    intermediate: str
    leaf: str
    crl: str
    root_crl: str


@dataclass(frozen=True)
class _Hierarchy:
    root: Certificate
    ca: Certificate
    leaf: Certificate
    root_key: SigningKey
    ca_key: SigningKey
    leaf_key: SigningKey


def _write(path: str, label: str, der: bytes) -> str:
    with open(path, "wb") as handle:
        handle.write(pem.armor(label, der))
    return path


def _hierarchy(kind: KeyKind, vendor: str, now: datetime.datetime, leaf_subject: list[tuple[str, str]],
               leaf_extensions: list[RawExtension]) -> _Hierarchy:
    root_key, ca_key, leaf_key = (SigningKey.generate(kind) for _ in range(3))
    root = issue_certificate(
        subject=name({"country_name": "CN", "organization_name": "certmutual demo", "common_name": f"certmutual Demo {vendor} Root CA"}),
        subject_key=root_key, issuer_key=root_key, not_before=now - YEAR, not_after=now + 10 * YEAR, ca=True)
    ca_crls, _, ca_policies = _revocation_pointers(vendor, "root")
    ca = issue_certificate(
        subject=name({"country_name": "CN", "organization_name": "certmutual demo", "common_name": f"certmutual Demo {vendor} Issuing CA"}),
        issuer=root.subject, subject_key=ca_key, issuer_key=root_key, not_before=now - YEAR, not_after=now + 5 * YEAR,
        ca=True, path_len=0, crl_urls=ca_crls, extra_extensions=[ca_policies])
    leaf_crls, leaf_ocsp, leaf_policies = _revocation_pointers(vendor, "issuing-ca")
    leaf = issue_certificate(
        subject=name(leaf_subject), issuer=ca.subject, subject_key=leaf_key, issuer_key=ca_key,
        not_before=now - YEAR / 12, not_after=now + YEAR, key_usage={"digital_signature", "non_repudiation"},
        crl_urls=leaf_crls, ocsp_urls=leaf_ocsp, extra_extensions=[leaf_policies, *leaf_extensions])
    return _Hierarchy(root, ca, leaf, root_key, ca_key, leaf_key)


def _sm2_company(now: datetime.datetime) -> _Hierarchy:
    return _hierarchy(
        KeyKind.SM2, "SM2", now,
        [("country_name", "CN"), ("state_or_province_name", "广东省"), ("organization_name", DEMO_COMPANY),
         ("common_name", f"{DEMO_COMPANY}@N{DEMO_CREDIT_CODE}")],
        # GM/T 0015's OrganizationCode slot, which CAs fill with the credit code since 三证合一.
        [RawExtension("1.2.156.10260.4.1.4", False, core.PrintableString(DEMO_CREDIT_CODE).dump())])


def build_demo_pki(directory: str, now: datetime.datetime | None = None) -> DemoPKI:
    """Generate the demo hierarchy into ``directory`` (created if needed) and return the paths."""
    now = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0)
    os.makedirs(directory, exist_ok=True)
    pki = _sm2_company(now)
    crl = issue_crl(issuer=pki.ca, issuer_key=pki.ca_key, this_update=now - datetime.timedelta(hours=1),
                    next_update=now + datetime.timedelta(days=7))
    root_crl = issue_crl(issuer=pki.root, issuer_key=pki.root_key, this_update=now - datetime.timedelta(hours=1),
                         next_update=now + datetime.timedelta(days=30))
    return DemoPKI(
        directory,
        _write(os.path.join(directory, "root.pem"), "CERTIFICATE", pki.root.der),
        _write(os.path.join(directory, "issuing-ca.pem"), "CERTIFICATE", pki.ca.der),
        _write(os.path.join(directory, "leaf.pem"), "CERTIFICATE", pki.leaf.der),
        _write(os.path.join(directory, "issuing-ca.crl"), "X509 CRL", crl.der),
        _write(os.path.join(directory, "root.crl"), "X509 CRL", root_crl.der),
    )


@dataclass(frozen=True)
class DemoVendor:
    """One demo CA vendor as written to disk: its id in the trust list and its files."""

    id: str
    name: str
    root: str
    intermediate: str
    leaf: str
    leaf_key: str
    """PKCS#8 PEM of the leaf's private key (demo only: it signs demo logins)."""


@dataclass(frozen=True)
class DemoEnvironment:
    """Everything the gateway's embedded defaults run on, as paths under ``directory``."""

    directory: str
    vendors: tuple[DemoVendor, ...]
    authority: str
    """The trust-list authority's certificate (the one a verifier pins)."""
    authority_key: str
    trust_list: str
    """The signed trust list (``specs/trust-list.md``)."""
    sequence_number: int
    next_update: datetime.datetime


def _write_vendor(directory: str, vendor_id: str, vendor_name: str, pki: _Hierarchy) -> DemoVendor:
    folder = os.path.join(directory, vendor_id)
    os.makedirs(folder, exist_ok=True)
    key_path = os.path.join(folder, "leaf.key")
    with open(os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(dump_signing_key(pki.leaf_key))
    return DemoVendor(
        vendor_id, vendor_name,
        _write(os.path.join(folder, "root.pem"), "CERTIFICATE", pki.root.der),
        _write(os.path.join(folder, "issuing-ca.pem"), "CERTIFICATE", pki.ca.der),
        _write(os.path.join(folder, "leaf.pem"), "CERTIFICATE", pki.leaf.der),
        key_path,
    )


def build_demo_environment(directory: str, now: datetime.datetime | None = None, *, sequence_number: int = 1,
                           valid: datetime.timedelta = YEAR) -> DemoEnvironment:
    """Generate two demo vendors, a trust-list authority and a signed trust list into ``directory``.

    Vendor ``demo-sm2`` (SM2-with-SM3) and vendor ``demo-p256`` (ECDSA P-256) each issued a signing
    certificate to the same company (credit code :data:`DEMO_CREDIT_CODE`), placed the way their
    CAs would: the GM/T 0015 extension for one, the subject serialNumber for the other. So both
    certificates identify the same market entity. The list recognises both vendors for signing,
    encryption and seal making from a year ago until ``valid`` from now.
    """
    now = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0)
    os.makedirs(directory, exist_ok=True)
    sm2_vendor = _write_vendor(directory, "demo-sm2", "certmutual 演示 SM2 CA", _sm2_company(now))
    p256_vendor = _write_vendor(directory, "demo-p256", "certmutual 演示 ECDSA CA", _hierarchy(
        KeyKind.P256, "P-256", now,
        [("country_name", "CN"), ("organization_name", DEMO_COMPANY), ("serial_number", DEMO_CREDIT_CODE),
         ("common_name", DEMO_COMPANY)], []))
    authority_key = SigningKey.generate(KeyKind.SM2)
    authority = issue_certificate(
        subject=name({"country_name": "CN", "organization_name": "certmutual demo",
                      "common_name": "certmutual Demo Trust List Authority"}),
        subject_key=authority_key, issuer_key=authority_key, not_before=now - YEAR, not_after=now + 10 * YEAR,
        ca=True, key_usage={"digital_signature", "key_cert_sign", "crl_sign"})
    authority_path = _write(os.path.join(directory, "trust-list-authority.pem"), "CERTIFICATE", authority.der)
    authority_key_path = os.path.join(directory, "trust-list-authority.key")
    with open(os.open(authority_key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(dump_signing_key(authority_key))
    vendors = (sm2_vendor, p256_vendor)
    trust_list_path = os.path.join(directory, "trust-list.json")
    next_update = sign_demo_trust_list(vendors, authority_path, authority_key_path, trust_list_path, now,
                                       sequence_number=sequence_number, valid=valid)
    return DemoEnvironment(directory, vendors, authority_path, authority_key_path, trust_list_path, sequence_number, next_update)


def sign_demo_trust_list(vendors: tuple[DemoVendor, ...], authority: str, authority_key: str, out: str,
                         now: datetime.datetime, *, sequence_number: int, valid: datetime.timedelta = YEAR) -> datetime.datetime:
    """Write a trust list recognising ``vendors``, signed by the demo authority, to ``out``; return
    its ``next_update``. (Also how an expired demo list is renewed with a higher sequence number.)"""
    now = now.replace(microsecond=0)
    entries = tuple(
        VendorEntry(id=vendor.id, name=vendor.name,
                    services=frozenset({Service.SIGNING, Service.ENCRYPTION, Service.SEAL_MAKING}),
                    roots=(_read_certificate(vendor.root),), intermediates=(_read_certificate(vendor.intermediate),),
                    history=(StatusPeriod(VendorStatus.RECOGNISED, now - YEAR),))
        for vendor in vendors)
    trust_list = TrustList(sequence_number=sequence_number, issued_at=now - datetime.timedelta(minutes=1),
                           next_update=now + valid, authority="certmutual 演示省公共资源交易数字证书互认办公室", vendors=entries)
    with open(authority_key, "rb") as handle:
        key = load_signing_key(handle.read())
    document = sign_trust_list(unsigned_document(trust_list), key, _read_certificate(authority))
    with open(out, "wb") as handle:
        handle.write(document)
    return trust_list.next_update


def _read_certificate(path: str) -> Certificate:
    with open(path, "rb") as handle:
        data = handle.read()
    return Certificate(pem.unarmor(data)[2] if pem.detect(data) else data)


__all__ = ["DEMO_CREDIT_CODE", "DemoEnvironment", "DemoPKI", "DemoVendor", "build_demo_environment", "build_demo_pki",
           "sign_demo_trust_list", "Certificate"]
