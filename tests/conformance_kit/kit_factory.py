"""A vendor sample that conforms to the province profile, and one defect fixture per check.

:func:`conforming_files` is what a conforming SM2 vendor submits: root CA, issuing CA, a signing and an
encryption certificate (a GM/T 0015 pair), a CRL, an OCSP response, a GB/T 38540 seal and a seal
signature made with it. :data:`DEFECTS` maps every check id to a function giving extra or replacement
files that break that check and nothing else of error or fatal severity (the meta-test in
``test_fixtures.py`` fails when a registered check has no entry here). Everything is generated from
:mod:`certmutual.pki.builder` and the seal factory around :data:`tests.pki_factory.REF_TIME`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

from asn1crypto import core, pem, x509
from asn1crypto import crl as asn1_crl

from certmutual.asn1.oids import EXT_OID
from certmutual.pki.builder import KeyKind, RawExtension, SigningKey, issue_certificate, issue_crl, issue_ocsp_response, name
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from tests.pki_factory import DAY, REF_TIME, YEAR, Sha1Signer, corrupt_signature, get_key, resign, rsa_key
from tests.seals import seal_factory

CREDIT_CODE = "91440300708461136T"
BAD_CREDIT_CODE = "911100001000013428"  # the check character should be C
POLICY = "1.3.6.1.5.5.7.13.1"  # id-TEST-certPolicyOne (RFC 7229)
CRL_URL = "http://kit.example.invalid/ca.crl"
OCSP_URL = "http://kit.example.invalid/ocsp"
LEAF_START = REF_TIME - 30 * DAY
LEAF_END = REF_TIME + YEAR

Files = dict[str, bytes]


def _pem(item: Certificate | CertificateList) -> bytes:
    return pem.armor("X509 CRL" if isinstance(item, CertificateList) else "CERTIFICATE", item.der)


def policies() -> RawExtension:
    return RawExtension(EXT_OID.CERTIFICATE_POLICIES, False, x509.CertificatePolicies([{"policy_identifier": POLICY}]).dump())


def identity(code: str = CREDIT_CODE) -> RawExtension:
    return RawExtension("1.2.156.10260.4.1.4", False, core.PrintableString(code).dump())


def company(common_name: str) -> x509.Name:
    return name([("country_name", "CN"), ("organization_name", "示范科技有限公司"), ("common_name", common_name)])


@dataclass(frozen=True)
class Kit:
    root: Certificate
    ca: Certificate
    signing: Certificate
    encryption: Certificate
    maker: Certificate
    root_key: SigningKey
    ca_key: SigningKey
    signing_key: SigningKey
    encryption_key: SigningKey
    maker_key: SigningKey
    other_key: SigningKey

    def leaf(self, common_name: str = "缺陷样本", **overrides: Any) -> Certificate:
        """A conforming end-entity certificate from the issuing CA, with ``overrides`` (keyword
        arguments of ``issue_certificate``; ``extra`` adds extensions after the standard ones)."""
        extra = overrides.pop("extra", [])
        args: dict[str, Any] = {
            "subject": company(common_name), "subject_key": get_key(KeyKind.SM2, f"kit-{common_name}"),
            "issuer": self.ca.subject, "issuer_key": self.ca_key, "not_before": LEAF_START, "not_after": LEAF_END,
            "key_usage": {"digital_signature", "non_repudiation"}, "crl_urls": [CRL_URL], "ocsp_urls": [OCSP_URL],
            "extra_extensions": [policies(), identity(), *extra],
        }
        args.update(overrides)
        return issue_certificate(**args)

    def without(self, cert: Certificate, oid: str, signer: SigningKey) -> Certificate:
        """``cert`` re-signed without the extension ``oid``."""
        tbs = x509.TbsCertificate.load(cert.tbs)
        kept = [ext for ext in tbs["extensions"] if ext["extn_id"].dotted != oid]
        return Certificate(resign(cert, signer, tbs_changes={"extensions": kept}))

    def crl(self, **overrides: Any) -> CertificateList:
        args: dict[str, Any] = {"issuer": self.ca, "issuer_key": self.ca_key, "this_update": REF_TIME - DAY,
                                "next_update": REF_TIME + 6 * DAY}
        args.update(overrides)
        return issue_crl(**args)

    def ocsp(self, **overrides: Any) -> bytes:
        args: dict[str, Any] = {"cert": self.signing, "issuer": self.ca, "responder_key": self.ca_key,
                                "this_update": REF_TIME - DAY, "next_update": REF_TIME + 3 * DAY}
        args.update(overrides)
        return issue_ocsp_response(**args)

    def seal(self, **overrides: Any) -> bytes:
        args: dict[str, Any] = {"maker": self.maker, "maker_key": self.maker_key, "signers": [self.signing],
                                "created": LEAF_START, "valid_start": LEAF_START, "valid_end": REF_TIME + 180 * DAY}
        args.update(overrides)
        return seal_factory.seal("v4", **args)

    def signature(self, sealed: bytes | None = None, **overrides: Any) -> bytes:
        args: dict[str, Any] = {"signer": self.signing, "signer_key": self.signing_key}
        args.update(overrides)
        return seal_factory.signature(sealed if sealed is not None else self.seal(), "v4", **args)


@functools.lru_cache(maxsize=1)
def kit() -> Kit:
    root_key, ca_key = get_key(KeyKind.SM2, "kit-root"), get_key(KeyKind.SM2, "kit-ca")
    signing_key, encryption_key = get_key(KeyKind.SM2, "kit-signing"), get_key(KeyKind.SM2, "kit-encryption")
    maker_key, other_key = get_key(KeyKind.SM2, "kit-maker"), get_key(KeyKind.SM2, "kit-other")
    root = issue_certificate(subject=name({"country_name": "CN", "organization_name": "certmutual kit", "common_name": "Kit Root CA"}),
                             subject_key=root_key, issuer_key=root_key, not_before=REF_TIME - 5 * YEAR,
                             not_after=REF_TIME + 10 * YEAR, ca=True)
    ca = issue_certificate(subject=name({"country_name": "CN", "organization_name": "certmutual kit", "common_name": "Kit Issuing CA"}),
                           subject_key=ca_key, issuer=root.subject, issuer_key=root_key, not_before=REF_TIME - 2 * YEAR,
                           not_after=REF_TIME + 5 * YEAR, ca=True, path_len=0, crl_urls=["http://kit.example.invalid/root.crl"],
                           extra_extensions=[policies()])
    partial = Kit(root, ca, root, root, root, root_key, ca_key, signing_key, encryption_key, maker_key, other_key)
    signing = partial.leaf("示范科技有限公司", subject_key=signing_key)
    encryption = partial.leaf("示范科技有限公司", subject_key=encryption_key, key_usage={"key_encipherment", "data_encipherment"})
    maker = partial.leaf("电子印章制作系统", subject_key=maker_key, not_before=REF_TIME - 60 * DAY, not_after=REF_TIME + 2 * YEAR)
    return Kit(root, ca, signing, encryption, maker, root_key, ca_key, signing_key, encryption_key, maker_key, other_key)


def conforming_files() -> Files:
    k = kit()
    return {
        "root.pem": _pem(k.root), "issuing-ca.pem": _pem(k.ca), "signing.pem": _pem(k.signing),
        "encryption.pem": _pem(k.encryption), "issuing-ca.crl": _pem(k.crl()), "signing.ocsp": k.ocsp(),
        "seal.esl": k.seal(), "signature.dat": k.signature(),
    }


def _unsigned_aki_crl(k: Kit) -> CertificateList:
    """A CRL with cRLNumber but no authorityKeyIdentifier (the builder always adds one)."""
    tbs = asn1_crl.TbsCertList({
        "version": "v2", "signature": k.ca_key.algorithm_identifier(), "issuer": k.ca.subject,
        "this_update": x509.Time(name="utc_time", value=REF_TIME - DAY),
        "next_update": x509.Time(name="utc_time", value=REF_TIME + 6 * DAY),
        "crl_extensions": [{"extn_id": "crl_number", "critical": False, "extn_value": 7}],
    })
    signed = asn1_crl.CertificateList({"tbs_cert_list": tbs, "signature_algorithm": k.ca_key.algorithm_identifier(),
                                       "signature": k.ca_key.sign(tbs.dump())})
    return CertificateList(signed.dump())


def _header_not_es(k: Kit) -> bytes:
    original = seal_factory.ia5
    with mock.patch.object(seal_factory, "ia5", lambda text: original("EZ" if text == "ES" else text)):
        return k.seal()


def _flip_last(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _defects() -> dict[str, Callable[[Kit], Files]]:
    def cert(**overrides: Any) -> Callable[[Kit], Files]:
        return lambda k: {"defect.pem": _pem(k.leaf(**overrides))}

    return {
        "input.readable": lambda k: {"garbage.bin": b"\x30\x03\x02\x01"},
        "base.check_crashed": lambda k: {},  # the test makes one check raise
        "profile.signature_algorithm": lambda k: {"defect.pem": _pem(k.leaf(
            issuer_key=Sha1Signer(get_key(KeyKind.RSA2048, "kit-rsa")),
            issuer_key_id=get_key(KeyKind.RSA2048, "kit-rsa").key_id))},  # an RSA issuer outside the sample
        "profile.international_algorithm": lambda k: {"defect.pem": _pem(k.leaf(
            issuer_key=get_key(KeyKind.RSA2048, "kit-rsa"),
            issuer_key_id=get_key(KeyKind.RSA2048, "kit-rsa").key_id))},  # an RSA issuer outside the sample
        "profile.public_key_algorithm": lambda k: {"defect.pem": _pem(k.leaf(subject_key=rsa_key(1024, "kit")))},
        "rfc5280.certificate_signature": lambda k: {"defect.pem": _pem(Certificate(corrupt_signature(k.leaf().der)))},
        "rfc5280.serial_positive": cert(serial=-(2**70)),
        "profile.serial_entropy": cert(serial=0x1234),
        "rfc5280.serial_length": cert(serial=2**170),
        "profile.serial_unique": lambda k: {"defect.pem": _pem(k.leaf(serial=k.signing.serial))},
        "profile.validity_cap": cert(not_after=LEAF_START + 6 * YEAR),
        "rfc5280.key_usage_present": lambda k: {"defect.pem": _pem(k.without(k.leaf(), EXT_OID.KEY_USAGE, k.ca_key))},
        "rfc5280.key_usage_critical": cert(extra=[RawExtension(EXT_OID.KEY_USAGE, False, x509.KeyUsage({"digital_signature"}).dump())]),
        "gmt0015.key_usage_role": cert(key_usage={"digital_signature", "key_encipherment"}),
        "rfc5280.basic_constraints_ca": lambda k: {"defect.pem": _pem(issue_certificate(
            subject=name({"country_name": "CN", "organization_name": "certmutual kit", "common_name": "Kit Second CA"}),
            subject_key=get_key(KeyKind.SM2, "kit-second-ca"), issuer=k.root.subject, issuer_key=k.root_key,
            not_before=REF_TIME - YEAR, not_after=REF_TIME + 2 * YEAR, ca=True, crl_urls=[CRL_URL],
            extra_extensions=[policies(), RawExtension(EXT_OID.BASIC_CONSTRAINTS, False, x509.BasicConstraints({"ca": True}).dump())]))},
        "rfc5280.aki_present": cert(extra=[RawExtension(EXT_OID.AUTHORITY_KEY_IDENTIFIER, False, bytes.fromhex("30038201 07"))]),
        "rfc5280.ski_present": lambda k: {"defect.pem": _pem(k.without(k.leaf(), EXT_OID.SUBJECT_KEY_IDENTIFIER, k.ca_key))},
        "profile.crl_distribution_points": cert(crl_urls=[]),
        "profile.aia_ocsp": cert(ocsp_urls=[]),
        "profile.certificate_policies": lambda k: {"defect.pem": _pem(k.without(k.leaf(), EXT_OID.CERTIFICATE_POLICIES, k.ca_key))},
        "profile.identity_present": lambda k: {"defect.pem": _pem(k.without(k.leaf(), "1.2.156.10260.4.1.4", k.ca_key))},
        "gmt0015.identity_check_digit": cert(extra=[identity(BAD_CREDIT_CODE)]),
        "rfc5280.subject_string_types": cert(subject=name([("country_name", "CHN"), ("organization_name", "示范科技有限公司"),
                                                           ("common_name", "缺陷样本")])),
        "gmt0015.pair_consistency": lambda k: {"encryption.pem": _pem(k.leaf(
            "示范科技有限公司", subject_key=k.signing_key, key_usage={"key_encipherment"}))},
        "rfc5280.crl_signature": lambda k: {"issuing-ca.crl": corrupt_signature(k.crl().der)},
        "rfc5280.crl_next_update": lambda k: {"issuing-ca.crl": _pem(k.crl(next_update=None))},
        "rfc5280.crl_number": lambda k: {"issuing-ca.crl": _pem(k.crl(number=-1))},
        "rfc5280.crl_aki": lambda k: {"issuing-ca.crl": _pem(_unsigned_aki_crl(k))},
        "rfc6960.ocsp_successful": lambda k: {"signing.ocsp": k.ocsp(response_status="try_later")},
        "rfc6960.ocsp_signature": lambda k: {"signing.ocsp": _flip_last(k.ocsp())},
        "rfc6960.ocsp_responder_authorised": lambda k: {"signing.ocsp": k.ocsp(
            responder_key=k.signing_key, responder_cert=k.signing, include_certs=[k.signing])},
        "rfc6960.ocsp_next_update": lambda k: {"signing.ocsp": k.ocsp(next_update=None)},
        "gbt38540.header_id": lambda k: {"seal.esl": _header_not_es(k)},
        "gbt38540.header_version": lambda k: {"seal.esl": k.seal(header_version=3)},
        "gbt38540.picture_type": lambda k: {"seal.esl": k.seal(picture_type="GIF")},
        "profile.picture_size": lambda k: {"seal.esl": k.seal(size_mm=(5, 5))},
        "gbt38540.validity_in_maker": lambda k: {"seal.esl": k.seal(valid_end=k.maker.not_after + 30 * DAY)},
        "gbt38540.maker_signature": lambda k: {"seal.esl": k.seal(maker_key=k.other_key)},
        "gbt38540.signature_value": lambda k: {"signature.dat": k.signature(signer_key=k.other_key)},
        "gbt38540.signer_in_cert_list": lambda k: {"signature.dat": k.signature(k.seal(signers=[k.maker]))},
    }


DEFECTS = _defects()


def defect_files(check_id: str) -> Files:
    """The conforming sample with the defect for ``check_id`` applied."""
    files = conforming_files()
    files.update(DEFECTS[check_id](kit()))
    return files


__all__ = ["DEFECTS", "Files", "Kit", "conforming_files", "defect_files", "kit"]
