"""The kit over the real corpus (../shared/corpus/certs and seals): no crash, every finding traceable to
a check and a citation, and findings verified by hand (MANIFEST.md, the seal tests' oracles)."""

from __future__ import annotations

import pytest

from certmutual.conformance import Report, Severity, load_profile, run
from tests.shared_data import shared_path


@pytest.fixture(scope="module")
def report() -> Report:
    return run([str(shared_path("corpus", "certs")), str(shared_path("corpus", "seals"))], load_profile())


def found(report: Report, suffix: str) -> dict[str, list[str]]:
    by_check: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.input.endswith(suffix):
            by_check.setdefault(finding.check_id, []).append(finding.message)
    return by_check


def test_no_input_crashes_the_kit(report: Report) -> None:
    assert not [f for f in report.findings if f.check_id == "base.check_crashed"]
    assert len(report.objects) > 100
    rules = {rule.id: rule for rule in load_profile().rules}
    for finding in report.findings:
        assert finding.check_id in rules and finding.citation == rules[finding.check_id].citation
    counts = report.counts()
    assert counts[Severity.ERROR] > 100 and counts[Severity.WARNING] > 0


def test_known_real_findings(report: Report) -> None:
    # An RSA-1024, SHA-1 signed certificate (MANIFEST: 大贲科技测试1, from a seal).
    weak = found(report, "5b81d07b_大贲科技测试1.cer")
    assert any("1024-bit RSA" in m for m in weak["profile.public_key_algorithm"])
    assert any("sha1WithRSAEncryption" in m for m in weak["profile.signature_algorithm"])
    # The national SM2 root marks basicConstraints non-critical (README, Policy.strict_issuance).
    assert found(report, "real_ca/ROOTCA.pem")["rfc5280.basic_constraints_ca"] == [
        "basicConstraints is not marked critical in a CA certificate"]
    # Hebei Gede's seal maker certificate has no AKI (MANIFEST: exts 2.5.29.19, 2.5.29.15, 2.5.29.46) ...
    assert found(report, "a008c217_test111.cer")["rfc5280.aki_present"]
    # ... and its seal's maker signature does not verify (tests/seals/test_corpus.py: bad_signature).
    assert "gbt38540.maker_signature" in found(report, "seals/v4/ofdrw_SESealData_HebeiGede.der")
    # A test CA with serial number 0.
    assert found(report, "tongsuo__sm2__chain-ca.crt#1")["rfc5280.serial_positive"] == [
        "serialNumber is 0: it must be a positive integer"]
    # A v1 seal signed with md5WithRSAEncryption.
    assert "profile.signature_algorithm" in found(report, "cooker_增值税电子普通发票OFD样例__Sign_0__Seal.esl")


def test_certificate_signatures_against_issuers_in_the_sample(report: Report) -> None:
    # MANIFEST: Tongsuo's sm2-noza certificates are signed without Z_A (they verify only with sm2-za:no).
    noza = found(report, "tongsuo__sm2-noza-cert.pem")["rfc5280.certificate_signature"]
    assert noza and "does not verify" in noza[0]
    # Signed by OpenSSL 3 with an empty SM2 user ID: `openssl verify -check_ss_sig` (OpenSSL 3.0)
    # accepts it, GM/T 0009's default ID does not; the kit names the trap.
    assert "empty user ID" in found(report, "emmansun__openssl3_sm2_spki_algo.cer")["rfc5280.certificate_signature"][0]
    # The real CA chains (national ROOTCA -> CFCA, and the others in real_ca) verify: no finding there.
    assert not [f for f in report.findings if "/real_ca/" in f.input and f.check_id == "rfc5280.certificate_signature"]
    assert len([f for f in report.findings if f.check_id == "rfc5280.certificate_signature"]) == 3
