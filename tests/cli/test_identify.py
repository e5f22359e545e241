"""`certmutual identify` and the identity in `certmutual verify --json`: exit codes and JSON shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import pem

from certmutual.demo import DEMO_CREDIT_CODE, DemoPKI
from tests.cli.runner import check_identity_json, run_cli
from tests.identity.identity_factory import ENTERPRISE_CODE, leaf, printable


def write(tmp_path: Path, name: str, der: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(pem.armor("CERTIFICATE", der))
    return path


def test_identify_finds_the_credit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert = leaf({"common_name": "SHECA SM2", "organization_name": "UniTrust"}, {"organization_name": "上海某某有限公司"},
                extensions=[("1.2.156.112570.11.210", printable(ENTERPRISE_CODE))])
    run = run_cli(capsys, "identify", write(tmp_path, "leaf.pem", cert.der))
    assert run.code == 0
    assert run.out.splitlines()[0] == "IDENTIFIED (enterprise, confidence high)"
    assert ENTERPRISE_CODE in run.out and "1.2.156.112570.11.210" in run.out and "sheca" in run.out


def test_identify_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert = leaf({"common_name": "CEGN_SEAL_CA"}, {"organization_name": f"{ENTERPRISE_CODE}某某公司"})
    run = run_cli(capsys, "identify", write(tmp_path, "leaf.pem", cert.der), "--json")
    payload = run.json()
    check_identity_json(payload)
    assert (payload["credit_code"], payload["name"], payload["vendor"], payload["region"]["code"]) == (
        ENTERPRISE_CODE, "某某公司", "cegn", "44")


def test_identify_without_identity_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert = leaf({"common_name": "Some CA"}, {"common_name": "www.example.com"})
    run = run_cli(capsys, "identify", write(tmp_path, "leaf.pem", cert.der))
    assert run.code == 1 and run.out.startswith("NO IDENTITY")


def test_identify_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "junk.cer"
    path.write_bytes(b"\x30\x03\x02\x01")
    assert run_cli(capsys, "identify", path).code == 2
    assert run_cli(capsys, "identify", tmp_path / "missing.pem").code == 2


def test_identify_with_a_broken_vendor_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "vendors" / "acme").mkdir(parents=True)
    (tmp_path / "vendors" / "acme" / "profile.toml").write_text('id = "acme"\nname = "Acme"\n', encoding="utf-8")
    cert = leaf({"common_name": "Some CA"}, {"common_name": "x"})
    run = run_cli(capsys, "identify", write(tmp_path, "leaf.pem", cert.der), "--vendors", tmp_path / "vendors")
    assert run.code == 2 and "acme/profile.toml" in run.err and "required" in run.err


def test_verify_json_gains_the_identity(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "verify", demo.leaf, "--trust", demo.root, "--untrusted", demo.intermediate, "--json")
    assert run.code == 0
    identity = run.json()["identity"]
    assert identity["credit_code"] == DEMO_CREDIT_CODE and identity["found"] is True
    assert identity["role"] == "signing" and identity["name"] == "示范科技有限公司"
