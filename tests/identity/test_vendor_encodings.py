"""Every vendor encoding, built by the test PKI, read back into the one identity model; plus a wrong
check digit, conflicting codes, the checksum fallback, and the same entity across vendors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from certmutual.identity.extractor import identify, select_profile
from certmutual.identity.model import CertificateRole, Confidence, EntityKind
from certmutual.identity.pairing import pair_certificates, same_entity
from certmutual.identity.profiles import load_profiles
from certmutual.pki.certificate import Certificate
from tests.identity.identity_factory import (
    ENTERPRISE_CODE, INSTITUTION_CODE, OTHER_ENTERPRISE_CODE, PERSON_ID, broken, leaf, printable, utf8,
)

PROFILES = load_profiles()
CFCA = {"country_name": "CN", "organization_name": "China Financial Certification Authority", "common_name": "CFCA ACS SM2 OCA31"}
BJCA = {"country_name": "CN", "organization_name": "BJCA", "common_name": "Beijing SM2 CA"}
SHECA = {"country_name": "CN", "organization_name": "UniTrust", "common_name": "SHECA SM2"}
GDCA = {"country_name": "CN", "organization_name": "GDCA Certificate Authority", "common_name": "GDCA SM2 CA"}
NETCA = {"country_name": "CN", "organization_name": "NETCA Certificate Authority", "common_name": "NETCA SM2 ID CA"}
FJCA = {"country_name": "CN", "common_name": "FJCASM2"}
TAX = {"country_name": "CN", "common_name": "税务电子证书管理中心(SM2)"}
CEGN = {"country_name": "CN", "common_name": "CEGN_SEAL_CA"}
JSGXCA = {"country_name": "CN", "common_name": "JSGXCA_SM2"}
YNCA = {"country_name": "CN", "common_name": "YNCA_SM2"}
CSCA = {"common_name": "CSCA Easysign SM2 CA"}
UNKNOWN_CA = {"country_name": "CN", "common_name": "Somewhere Else CA"}


@dataclass(frozen=True)
class Case:
    cert: Certificate
    vendor: str | None
    kind: EntityKind
    credit_code: str | None = None
    id_number: str | None = None
    name: str | None = None
    confidence: Confidence = Confidence.HIGH


CASES = {
    "cfca-name-then-credit-code": Case(
        leaf(CFCA, [("country_name", "CN"), ("organizational_unit_name", "Organizational-1"),
                    ("common_name", f"CFCA@深圳某某科技有限公司@N{ENTERPRISE_CODE}@10")]),
        "cfca", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="深圳某某科技有限公司"),
    "cfca-id-number-then-name": Case(
        leaf(CFCA, [("organizational_unit_name", "Individual-1"), ("common_name", f"041@0{PERSON_ID}@张三@00000001")]),
        "cfca", EntityKind.INDIVIDUAL, id_number=PERSON_ID, name="张三"),
    "bjca-sf-id-number": Case(
        leaf(BJCA, {"common_name": "李四"}, extensions=[("1.2.156.112562.2.1.1.1", utf8("SF" + PERSON_ID))]),
        "bjca", EntityKind.INDIVIDUAL, id_number=PERSON_ID, name="李四"),
    "bjca-rsa-entrust-arc-jj-credit-code": Case(
        leaf(BJCA, {"organization_name": "北京某某有限公司"}, extensions=[("2.16.840.1.113732.2", utf8("JJ" + OTHER_ENTERPRISE_CODE))]),
        "bjca", EntityKind.ENTERPRISE, credit_code=OTHER_ENTERPRISE_CODE, name="北京某某有限公司"),
    "bjca-ca-coded-form": Case(
        leaf(BJCA, {"organization_name": "北京某某有限公司"}, extensions=[("1.2.156.112562.2.1.1.24", utf8("1@5009JJ0" + ENTERPRISE_CODE))]),
        "bjca", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="北京某某有限公司"),
    "sheca-enterprise-code": Case(
        leaf(SHECA, {"organization_name": "上海某某有限公司", "common_name": "上海某某有限公司"},
             extensions=[("1.2.156.112570.11.210", printable(ENTERPRISE_CODE))]),
        "sheca", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="上海某某有限公司"),
    "sheca-unique-id-sf0": Case(
        leaf(SHECA, {"common_name": "王五"}, extensions=[("1.2.156.112570.11.205", utf8("SF0" + PERSON_ID))]),
        "sheca", EntityKind.INDIVIDUAL, id_number=PERSON_ID, name="王五"),
    "gdca-trustid": Case(
        leaf(GDCA, {"organization_name": "广州某某有限公司"}, extensions=[("1.2.86.21.1.3", utf8("TRUSTID-" + ENTERPRISE_CODE))]),
        "gdca", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="广州某某有限公司"),
    "netca-unique-id": Case(
        leaf(NETCA, {"organization_name": "深圳某某有限公司"}, extensions=[("1.3.6.1.4.1.18760.1.12.11", utf8("@0" + ENTERPRISE_CODE))]),
        "netca", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="深圳某某有限公司"),
    "fjca-raw-ascii-not-der": Case(
        leaf(FJCA, {"organization_name": "厦门某某股份有限公司"}, extensions=[("1.2.156.10260.4.1.4", ENTERPRISE_CODE.encode())]),
        "fjca", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="厦门某某股份有限公司"),
    "tax-ca-legacy-arc-slot-3": Case(
        leaf(TAX, {"organization_name": "某某税务师事务所"}, extensions=[("1.2.86.11.7.3", utf8(ENTERPRISE_CODE))]),
        "tax", EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="某某税务师事务所"),
    "cegn-code-glued-to-o": Case(
        leaf(CEGN, {"organization_name": f"{INSTITUTION_CODE}淄博市某某局", "common_name": "37030000001721"}),
        "cegn", EntityKind.INSTITUTION, credit_code=INSTITUTION_CODE, name="淄博市某某局"),
    "jsgxca-code-space-name": Case(
        leaf(JSGXCA, {"organization_name": f"{INSTITUTION_CODE} 苏州市某某局"}),
        "jsgxca", EntityKind.INSTITUTION, credit_code=INSTITUTION_CODE, name="苏州市某某局"),
    "ynca-code-glued-to-o": Case(
        leaf(YNCA, {"organization_name": f"{INSTITUTION_CODE}云南省某某厅"}),
        "ynca", EntityKind.INSTITUTION, credit_code=INSTITUTION_CODE, name="云南省某某厅"),
    "csca-surname-attribute": Case(
        leaf(CSCA, [("given_name", "enterprise"), ("organization_name", "null"), ("surname", OTHER_ENTERPRISE_CODE),
                    ("common_name", "北京某某信息科技股份有限公司")]),
        "csca", EntityKind.ENTERPRISE, credit_code=OTHER_ENTERPRISE_CODE, name="北京某某信息科技股份有限公司"),
    "gmt0015-uscc-in-organization-code-slot-utf8": Case(
        leaf(UNKNOWN_CA, {"organization_name": "某某有限公司"}, extensions=[("1.2.156.10260.4.1.4", utf8(ENTERPRISE_CODE))]),
        None, EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="某某有限公司", confidence=Confidence.MEDIUM),
    "gmt0015-identify-code-implicit": Case(
        leaf(UNKNOWN_CA, {"common_name": "赵六"}, extensions=[("1.2.156.10260.4.1.1", b"\x80\x12" + PERSON_ID.encode())]),
        None, EntityKind.INDIVIDUAL, id_number=PERSON_ID, name="赵六", confidence=Confidence.MEDIUM),
    "gmt0015-identify-code-explicit": Case(
        leaf(UNKNOWN_CA, {"common_name": "赵六"}, extensions=[("1.2.156.10260.4.1.1", b"\xa0\x14" + printable(PERSON_ID))]),
        None, EntityKind.INDIVIDUAL, id_number=PERSON_ID, name="赵六", confidence=Confidence.MEDIUM),
    "gmt0015-2023-uscc-oid": Case(
        leaf(UNKNOWN_CA, {"organization_name": "某某有限公司"}, extensions=[("1.2.156.10260.4.4", printable(ENTERPRISE_CODE))]),
        None, EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="某某有限公司", confidence=Confidence.MEDIUM),
    "legacy-arc-lower-case-x-normalised": Case(
        leaf(TAX, {"common_name": "钱七"}, extensions=[("1.2.86.11.7.1", b"\xa0\x14" + printable(PERSON_ID.lower()))]),
        "tax", EntityKind.INDIVIDUAL, id_number=PERSON_ID, name="钱七"),
    "fallback-by-checksum-in-ou": Case(
        leaf(UNKNOWN_CA, [("organization_name", "某某有限公司"), ("organizational_unit_name", f"USCC:{ENTERPRISE_CODE}")]),
        None, EntityKind.ENTERPRISE, credit_code=ENTERPRISE_CODE, name="某某有限公司", confidence=Confidence.LOW),
}


@pytest.mark.parametrize("case_name", list(CASES))
def test_vendor_encoding_reads_into_the_one_model(case_name: str) -> None:
    case = CASES[case_name]
    identity = identify(case.cert, PROFILES)
    assert identity.vendor == case.vendor
    assert identity.kind is case.kind
    assert identity.credit_code == case.credit_code
    assert identity.id_number == case.id_number
    assert identity.name == case.name
    assert identity.confidence is case.confidence
    assert identity.found and not identity.conflicts and not identity.rejected
    assert identity.evidence and all(e.source for e in identity.evidence)
    assert identity.region is not None and identity.region.code == (case.credit_code or case.id_number or "")[
        2 if case.credit_code else 0:4 if case.credit_code else 2]


def test_a_wrong_check_digit_is_rejected_not_used() -> None:
    cert = leaf(SHECA, {"organization_name": "上海某某有限公司"}, extensions=[("1.2.156.112570.11.210", printable(broken(ENTERPRISE_CODE)))])
    identity = identify(cert, PROFILES)
    assert not identity.found and identity.credit_code is None
    assert identity.confidence is Confidence.NONE
    assert [(e.value, e.valid) for e in identity.rejected] == [(broken(ENTERPRISE_CODE), False)]


def test_a_wrong_check_digit_beside_a_valid_code_lowers_confidence() -> None:
    cert = leaf(CEGN, {"organization_name": f"{INSTITUTION_CODE}某某局"},
                extensions=[("1.2.156.10260.4.1.4", printable(broken(INSTITUTION_CODE)))])
    identity = identify(cert, PROFILES)
    assert identity.credit_code == INSTITUTION_CODE
    assert identity.confidence is Confidence.MEDIUM and len(identity.rejected) == 1


def test_conflicting_codes_are_reported_with_both_sources() -> None:
    cert = leaf(CEGN, {"organization_name": f"{INSTITUTION_CODE}某某局"}, extensions=[("1.2.156.10260.4.1.4", printable(ENTERPRISE_CODE))])
    identity = identify(cert, PROFILES)
    assert identity.credit_code == INSTITUTION_CODE  # the vendor's own rule comes first
    assert identity.confidence is Confidence.MEDIUM
    (conflict,) = [c for c in identity.conflicts if c.field == "credit_code"]
    assert {e.value for e in conflict.values} == {INSTITUTION_CODE, ENTERPRISE_CODE}
    assert any("subject O" in e.source for e in conflict.values) and any("1.2.156.10260.4.1.4" in e.source for e in conflict.values)


def test_an_organisation_code_that_disagrees_with_the_credit_code_is_a_conflict() -> None:
    other_org = OTHER_ENTERPRISE_CODE[8:17]
    cert = leaf(SHECA, {"organization_name": "上海某某有限公司"}, extensions=[
        ("1.2.156.112570.11.210", printable(ENTERPRISE_CODE)), ("1.2.156.1.8888.148", printable(other_org))])
    identity = identify(cert, PROFILES)
    assert [c.field for c in identity.conflicts] == ["organization_code"]


def test_a_certificate_without_identity_gives_none() -> None:
    cert = leaf(UNKNOWN_CA, {"common_name": "www.example.com", "organization_name": "Example"})
    identity = identify(cert, PROFILES)
    assert not identity.found and identity.entity_key is None
    assert identity.kind is EntityKind.UNKNOWN and identity.confidence is Confidence.NONE


def test_same_company_from_three_vendors_has_one_entity_key() -> None:
    organization_only = ENTERPRISE_CODE[8:17]
    identities = [
        identify(CASES["cfca-name-then-credit-code"].cert, PROFILES),
        identify(CASES["sheca-enterprise-code"].cert, PROFILES),
        identify(CASES["fjca-raw-ascii-not-der"].cert, PROFILES),
        identify(leaf(SHECA, {"organization_name": "上海某某有限公司"}, extensions=[("1.2.156.1.8888.148", printable(organization_only))]),
                 PROFILES),
    ]
    assert len({identity.entity_key for identity in identities}) == 1
    assert all(same_entity(identities[0], other) for other in identities[1:])
    assert not same_entity(identities[0], identify(CASES["csca-surname-attribute"].cert, PROFILES))


def test_signing_and_encryption_certificates_of_one_subject_pair_up() -> None:
    subject = {"organization_name": "上海某某有限公司", "common_name": "上海某某有限公司"}
    extension = [("1.2.156.112570.11.210", printable(ENTERPRISE_CODE))]
    signing = leaf(SHECA, subject, extensions=extension, key_usage=("digital_signature", "non_repudiation"), subject_key="sign")
    encryption = leaf(SHECA, subject, extensions=extension, key_usage=("key_encipherment", "data_encipherment"), subject_key="enc")
    stranger = leaf(SHECA, {"common_name": "别人"}, key_usage=("key_encipherment",), subject_key="other")
    identified = [(c, identify(c, PROFILES)) for c in (stranger, encryption, signing)]
    assert identified[1][1].role is CertificateRole.ENCRYPTION and identified[2][1].role is CertificateRole.SIGNING
    (pair,) = pair_certificates(identified)
    assert (pair.signing, pair.encryption) == (signing, encryption)


def test_a_root_fingerprint_beats_an_issuer_name_match(tmp_path: Path) -> None:
    """A vendor whose CA names look like CFCA's is still told apart by its root's fingerprint."""
    for profile in PROFILES.profiles:
        target = tmp_path / profile.id
        target.mkdir()
        (target / "profile.toml").write_text(profile.path.read_text(encoding="utf-8"), encoding="utf-8")
    root_fingerprint = "ab" * 32
    (tmp_path / "lookalike").mkdir()
    (tmp_path / "lookalike" / "profile.toml").write_text(
        'id = "lookalike"\nname = "Look-alike"\nsources = ["test"]\nextends = "gmt0015"\n'
        f'[match]\nroot_sha256 = ["{root_fingerprint}"]\n', encoding="utf-8")
    profiles = load_profiles(tmp_path)
    cert = CASES["cfca-name-then-credit-code"].cert
    assert select_profile(cert, profiles).id == "cfca"  # type: ignore[union-attr]
    assert select_profile(cert, profiles, ["cd" * 32, root_fingerprint]).id == "lookalike"  # type: ignore[union-attr]
