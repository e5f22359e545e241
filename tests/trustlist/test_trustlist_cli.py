"""`certmutual trustlist build|sign|verify|show` and `certmutual verify --trust-list`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asn1crypto import pem

from certmutual.pki.keyfile import dump_signing_key
from tests.cli.runner import run_cli
from tests.pki_factory import DAY, REF_TIME
from tests.trustlist.trustlist_factory import NOW, RSA_CHAIN, SM2_CHAIN, authority

PROVINCE = authority()
ROGUE = authority("rogue")
WITHDRAWN_AT = REF_TIME - 10 * DAY


def iso(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """vendors/ with two profiles and their roots, a policy file, and the authority's key files."""
    for vendor_id, chain in (("sm2-vendor", SM2_CHAIN), ("rsa-vendor", RSA_CHAIN)):
        directory = tmp_path / "vendors" / vendor_id
        (directory / "roots").mkdir(parents=True)
        (directory / "intermediates").mkdir()
        (directory / "profile.toml").write_text(
            f'id = "{vendor_id}"\nname = "{vendor_id} CA"\nsources = ["test"]\n[match.issuer]\nCN = ["^Test"]\n'
            '[revocation]\ncrl_urls = ["http://crl.example/ca.crl"]\n', encoding="utf-8")
        (directory / "roots" / "root.pem").write_bytes(pem.armor("CERTIFICATE", chain.root.der))
        (directory / "intermediates" / "ca.pem").write_bytes(pem.armor("CERTIFICATE", chain.intermediate.der))
    (tmp_path / "policy.toml").write_text(f'''sequence_number = 3
authority = "某省公共资源交易数字证书互认工作办公室"
valid_days = 30
issued_at = "{iso(NOW - DAY)}"
[revocation]
order = "crl-first"
mode = "soft-fail"
timeout_seconds = 3
[[vendors]]
id = "sm2-vendor"
services = ["signing", "encryption"]
status = [{{status = "recognised", since = "{iso(REF_TIME - 730 * DAY)}"}}, {{status = "withdrawn", since = "{iso(WITHDRAWN_AT)}"}}]
[[vendors]]
id = "rsa-vendor"
services = ["signing"]
status = [{{status = "recognised", since = "{iso(REF_TIME - 730 * DAY)}"}}]
''', encoding="utf-8")
    for label, signer in (("province", PROVINCE), ("rogue", ROGUE)):
        (tmp_path / f"{label}.key").write_bytes(dump_signing_key(signer.key))
        (tmp_path / f"{label}.pem").write_bytes(pem.armor("CERTIFICATE", signer.certificate.der))
    (tmp_path / "sm2-leaf.pem").write_bytes(pem.armor("CERTIFICATE", SM2_CHAIN.leaf.der))
    (tmp_path / "rsa-leaf.pem").write_bytes(pem.armor("CERTIFICATE", RSA_CHAIN.leaf.der))
    return tmp_path


def build_and_sign(capsys: pytest.CaptureFixture[str], ws: Path, signer: str = "province") -> Path:
    assert run_cli(capsys, "trustlist", "build", "--policy", ws / "policy.toml", "--vendors", ws / "vendors",
                   "--out", ws / "list.json").code == 0
    assert run_cli(capsys, "trustlist", "sign", ws / "list.json", "--key", ws / f"{signer}.key", "--cert", ws / f"{signer}.pem",
                   "--out", ws / "signed.json").code == 0
    return ws / "signed.json"


def test_build_sign_verify_show(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signed = build_and_sign(capsys, workspace)
    run = run_cli(capsys, "trustlist", "verify", signed, "--authority", workspace / "province.pem", "--json")
    assert run.code == 0
    listed = run.json()["trust_list"]
    assert listed["sequence_number"] == 3 and [v["id"] for v in listed["vendors"]] == ["sm2-vendor", "rsa-vendor"]
    assert listed["vendors"][0]["crl_urls"] == ["http://crl.example/ca.crl"]
    assert listed["revocation"] == {"order": "crl-first", "mode": "soft-fail", "timeout_seconds": 3.0}
    shown = run_cli(capsys, "trustlist", "show", signed, "--at", iso(REF_TIME))
    assert shown.code == 0 and "sm2-vendor" in shown.out and "withdrawn" in shown.out


def test_verify_refuses_tampered_rogue_and_expired_lists(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signed = build_and_sign(capsys, workspace)
    data = json.loads(signed.read_text(encoding="utf-8"))
    data["trust_list"]["vendors"][0]["services"].append("seal-making")
    tampered = workspace / "tampered.json"
    tampered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = run_cli(capsys, "trustlist", "verify", tampered, "--authority", workspace / "province.pem")
    assert run.code == 1 and "trust_list_invalid" in run.out
    rogue = build_and_sign(capsys, workspace, signer="rogue")
    run = run_cli(capsys, "trustlist", "verify", rogue, "--authority", workspace / "province.pem")
    assert run.code == 1 and "not by the province authority" in run.out
    run = run_cli(capsys, "trustlist", "verify", build_and_sign(capsys, workspace), "--authority", workspace / "province.pem",
                  "--at", iso(NOW + 40 * DAY))
    assert run.code == 1 and "trust_list_expired" in run.out


def test_verify_with_a_trust_list_uses_status_at_the_validation_time(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signed = build_and_sign(capsys, workspace)
    common = ["--trust-list", signed, "--trust-list-authority", workspace / "province.pem"]
    before = run_cli(capsys, "verify", workspace / "sm2-leaf.pem", *common, "--at", iso(WITHDRAWN_AT - DAY))
    assert before.code == 0, before.out
    after = run_cli(capsys, "verify", workspace / "sm2-leaf.pem", *common, "--at", iso(REF_TIME), "--json")
    assert after.code == 1 and [r["code"] for r in after.json()["reasons"]] == ["vendor_withdrawn"]
    rsa = run_cli(capsys, "verify", workspace / "rsa-leaf.pem", *common, "--at", iso(REF_TIME), "--service", "encryption")
    assert rsa.code == 1 and "service_not_recognised" in rsa.out


def test_verify_with_a_list_from_the_wrong_authority_is_rejected(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rogue = build_and_sign(capsys, workspace, signer="rogue")
    run = run_cli(capsys, "verify", workspace / "sm2-leaf.pem", "--trust-list", rogue, "--trust-list-authority",
                  workspace / "province.pem", "--json")
    assert run.code == 1 and [r["code"] for r in run.json()["reasons"]] == ["trust_list_invalid"]


def test_usage_errors(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "verify", workspace / "sm2-leaf.pem").usage_error
    assert run_cli(capsys, "verify", workspace / "sm2-leaf.pem", "--trust-list", workspace / "policy.toml").code == 2
    (workspace / "bad-policy.toml").write_text('sequence_number = 1\n[[vendors]]\nid = "nobody"\n', encoding="utf-8")
    run = run_cli(capsys, "trustlist", "build", "--policy", workspace / "bad-policy.toml", "--vendors", workspace / "vendors")
    assert run.code == 2 and "bad-policy.toml" in run.err
    assert run_cli(capsys, "trustlist", "sign", workspace / "policy.toml", "--key", workspace / "province.key",
                   "--cert", workspace / "province.pem").code == 2
