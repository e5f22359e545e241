"""Every check has a defect fixture that trips exactly it; a conforming sample and the demo vendors pass."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from certmutual.conformance import Outcome, Report, Severity, load_profile, run
from certmutual.conformance.registry import BUILT_IN, REGISTRY, RegisteredCheck, all_ids
from certmutual.demo import build_demo_environment, build_demo_pki
from tests.conformance_kit.kit_factory import DEFECTS, Files, conforming_files, defect_files


def run_files(files: Files, directory: Path) -> Report:
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return run([str(directory)], load_profile())


def serious(report: Report) -> set[str]:
    return {f.check_id for f in report.findings if f.severity >= Severity.ERROR}


def test_every_check_has_a_defect_fixture_and_a_rule() -> None:
    profile = load_profile()
    assert set(DEFECTS) == all_ids(), "a registered check lacks a defect fixture in kit_factory.DEFECTS (or one is stale)"
    assert {rule.id for rule in profile.rules} == all_ids()
    assert all(rule.citation and rule.description for rule in profile.rules)


def test_the_conforming_sample_has_no_finding(tmp_path: Path) -> None:
    report = run_files(conforming_files(), tmp_path)
    assert report.findings == ()
    kinds = {summary.kind.value for summary in report.objects}
    assert kinds == {"ca_cert", "signing_cert", "encryption_cert", "crl", "ocsp_response", "seal", "seal_signature"}
    # every check passed somewhere: the sample exercises the whole profile
    passed = {r.check_id for r in report.results if r.outcome is Outcome.PASS}
    assert passed >= set(REGISTRY) | BUILT_IN


@pytest.mark.parametrize("check_id", sorted(DEFECTS))
def test_defect_trips_exactly_its_check(check_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if check_id == "base.check_crashed":
        def broken(*_: object) -> list[str]:
            raise RuntimeError("boom")
        original = REGISTRY["rfc5280.ski_present"]
        monkeypatch.setitem(REGISTRY, original.id, RegisteredCheck(original.id, original.handles, broken))
    report = run_files(defect_files(check_id), tmp_path)
    rule = load_profile().rule(check_id)
    fired = {f.check_id for f in report.findings}
    assert check_id in fired, f"{check_id} did not fire: {[f.to_dict() for f in report.findings]}"
    expected = {check_id} if rule.severity >= Severity.ERROR else set()
    assert serious(report) == expected, [f.to_dict() for f in report.findings]
    for finding in report.findings:
        assert finding.citation == load_profile().rule(finding.check_id).citation


def test_the_demo_vendors_conform() -> None:
    """certmutual demo and the gateway's embedded demo (two vendors) pass with zero errors."""
    with tempfile.TemporaryDirectory() as directory:
        pki = build_demo_pki(str(Path(directory) / "quickstart"))
        env = build_demo_environment(str(Path(directory) / "gateway"))
        files = [pki.root, pki.intermediate, pki.leaf, pki.crl, pki.root_crl, env.authority]
        for vendor in env.vendors:
            files += [vendor.root, vendor.intermediate, vendor.leaf]
        report = run(files, load_profile())
    assert report.failures == 0, [f.to_dict() for f in report.findings if f.severity >= Severity.ERROR]
    assert len(report.objects) == len(files)
    # the ECDSA vendor is tolerated, and said so
    assert {f.check_id for f in report.findings} <= {"profile.international_algorithm"}
