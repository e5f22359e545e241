"""The ``certmutual`` command line: exit codes, JSON shapes, revocation options, detached signatures.

Contract (``certmutual/cli.py``): exit 0 accepted, 1 rejected, 2 usage error or unreadable input
(one line on stderr, never a traceback). Most tests call ``certmutual.cli.main`` in-process (see
``tests/cli/runner.py``, which also asserts the contract on every run); a few run the installed
console script. Everything is generated here: no shared data needed.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from asn1crypto import pem
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from certmutual.crypto import sm2
from certmutual.demo import DemoPKI, build_demo_pki
from certmutual.pki.builder import KeyKind, SigningKey, issue_certificate, issue_crl, name
from certmutual.pki.loading import load_certificates
from tests.cli.runner import check_result_json, console_script, run_cli

UTC = datetime.timezone.utc
DAY = datetime.timedelta(days=1)


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def other_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoPKI:
    """A second, unrelated demo hierarchy with the same names (wrong trust anchor)."""
    return build_demo_pki(str(tmp_path_factory.mktemp("other-demo")))


def chain_args(demo: DemoPKI) -> list[str]:
    return ["verify", demo.leaf, "--trust", demo.root, "--untrusted", demo.intermediate]


@dataclass(frozen=True)
class RevokedPKI:
    root: Path
    leaf: Path
    crl: Path
    revoked_at: datetime.datetime


@pytest.fixture(scope="module")
def revoked_pki(tmp_path_factory: pytest.TempPathFactory) -> RevokedPKI:
    directory = tmp_path_factory.mktemp("revoked")
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    root_key, leaf_key = SigningKey.generate(KeyKind.SM2), SigningKey.generate(KeyKind.SM2)
    root = issue_certificate(subject=name({"common_name": "Revoking Root"}), subject_key=root_key, issuer_key=root_key,
                             not_before=now - 10 * DAY, not_after=now + 100 * DAY, ca=True)
    leaf = issue_certificate(subject=name({"common_name": "Revoked Leaf"}), issuer=root.subject, subject_key=leaf_key,
                             issuer_key=root_key, not_before=now - 5 * DAY, not_after=now + 50 * DAY)
    revoked_at = now - DAY
    crl = issue_crl(issuer=root, issuer_key=root_key, this_update=now - DAY / 2, next_update=now + 7 * DAY,
                    revoked=[(leaf.serial, revoked_at)])
    return RevokedPKI(
        write(directory / "root.pem", pem.armor("CERTIFICATE", root.der)),
        write(directory / "leaf.der", leaf.der),
        write(directory / "root.crl", crl.der),
        revoked_at,
    )


# -- verify: exit 0 ---------------------------------------------------------------------------------


def test_demo_chain_accepted(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo))
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "ACCEPTED"
    assert [line.split("]")[0].strip() for line in lines if "chain[" in line] == ["chain[0", "chain[1", "chain[2"]


def test_demo_chain_json_shape(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    at = datetime.datetime.now(UTC).replace(microsecond=0)
    run = run_cli(capsys, *chain_args(demo), "--json", "--at", at.isoformat())
    assert run.code == 0
    payload = run.json()
    check_result_json(payload, exit_code=0)
    assert payload["accepted"] is True and payload["status"] == "valid"
    assert payload["reasons"] == [{"code": "ok", "message": "all checks passed"}]
    assert datetime.datetime.fromisoformat(payload["at"]) == at
    # Without CRLs revocation soft-fails: one warning per certificate below the anchor.
    assert [w["code"] for w in payload["warnings"]] == ["revocation_unknown", "revocation_unknown"]
    certs = [load_certificates(path)[0] for path in (demo.leaf, demo.intermediate, demo.root)]
    assert payload["chain"] == [
        {"subject": c.subject_text, "issuer": c.issuer_text, "serial": c.serial_hex, "sha256": c.sha256} for c in certs
    ]
    assert "示范科技有限公司" in payload["chain"][0]["subject"]  # ensure_ascii=False: readable UTF-8


@pytest.mark.parametrize("usages", [
    "digitalSignature", "digitalSignature,nonRepudiation", "contentCommitment", "digital_signature, non_repudiation",
])
def test_key_usage_present(demo: DemoPKI, usages: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, *chain_args(demo), "--key-usage", usages).code == 0


def test_strict_accepts_a_conforming_chain(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, *chain_args(demo), "--strict").code == 0


def test_trust_directory(demo: DemoPKI, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    anchors = tmp_path / "anchors"
    anchors.mkdir()
    write(anchors / "root.pem", Path(demo.root).read_bytes())
    write(anchors / "notes.txt", b"not a certificate\n")  # ignored inside a directory
    assert run_cli(capsys, "verify", demo.leaf, "--trust", anchors, "--untrusted", demo.intermediate).code == 0


# -- verify: exit 1 ---------------------------------------------------------------------------------


def _codes(run) -> list[str]:
    return [reason["code"] for reason in run.json()["reasons"]]


def test_wrong_trust_anchor(demo: DemoPKI, other_demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    # Same names, other keys: the path is built and its signature fails.
    run = run_cli(capsys, "verify", demo.leaf, "--trust", other_demo.root, "--untrusted", demo.intermediate, "--json")
    assert run.code == 1
    check_result_json(run.json(), exit_code=1)
    assert _codes(run) == ["bad_signature"] and run.json()["status"] == "invalid"
    text = run_cli(capsys, "verify", demo.leaf, "--trust", other_demo.root, "--untrusted", demo.intermediate)
    assert text.code == 1 and text.out.startswith("REJECTED (invalid)\n  bad_signature: ")


def test_missing_intermediate(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "verify", demo.leaf, "--trust", demo.root, "--json")
    assert run.code == 1 and _codes(run) == ["issuer_not_found"] and run.json()["status"] == "indeterminate"


def test_self_signed_leaf_not_trusted(demo: DemoPKI, revoked_pki: RevokedPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "verify", demo.root, "--trust", revoked_pki.root, "--json")
    assert run.code == 1 and _codes(run) == ["untrusted_root"] and run.json()["status"] == "invalid"


def test_at_after_expiry_and_before_validity(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    leaf = load_certificates(demo.leaf)[0]
    late = run_cli(capsys, *chain_args(demo), "--at", iso(leaf.not_after + DAY), "--json")
    assert late.code == 1 and _codes(late)[0] == "expired"
    assert late.json()["reasons"][0]["concerns"] == leaf.subject_text
    early = run_cli(capsys, *chain_args(demo), "--at", iso(leaf.not_before - DAY), "--json")
    assert early.code == 1 and _codes(early)[0] == "not_yet_valid"
    # The last second of validity is still valid; --at without an offset is UTC.
    edge = leaf.not_after.astimezone(UTC).replace(tzinfo=None).isoformat()
    assert run_cli(capsys, *chain_args(demo), "--at", edge).code == 0


def test_key_usage_missing(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--key-usage", "digitalSignature,keyEncipherment", "--json")
    assert run.code == 1 and _codes(run) == ["key_usage"]


# -- revocation --------------------------------------------------------------------------------------


def test_require_revocation_without_crls(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--require-revocation", "--json")
    assert run.code == 1
    payload = run.json()
    check_result_json(payload, exit_code=1)
    assert payload["status"] == "indeterminate"
    leaf, ca = (load_certificates(p)[0] for p in (demo.leaf, demo.intermediate))
    assert [(r["code"], r["concerns"]) for r in payload["reasons"]] == [
        ("revocation_unknown", leaf.subject_text), ("revocation_unknown", ca.subject_text)]


def test_require_revocation_needs_every_crl(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--require-revocation", "--crl", demo.crl, "--json")
    ca = load_certificates(demo.intermediate)[0]
    assert run.code == 1 and [(r["code"], r["concerns"]) for r in run.json()["reasons"]] == [("revocation_unknown", ca.subject_text)]


def test_require_revocation_with_crls(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--require-revocation", "--crl", demo.crl, "--crl", demo.root_crl,
                  "--key-usage", "digitalSignature", "--json")
    assert run.code == 0
    payload = run.json()
    check_result_json(payload, exit_code=0)
    assert payload["warnings"] == []
    # A directory of CRLs works too (the demo directory also holds certificates: skipped).
    assert run_cli(capsys, *chain_args(demo), "--require-revocation", "--crl", demo.directory).code == 0


def test_require_revocation_stale_crls(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    at = iso(datetime.datetime.now(UTC) + 60 * DAY)  # after both CRLs' nextUpdate, inside all certs
    run = run_cli(capsys, *chain_args(demo), "--require-revocation", "--crl", demo.crl, "--crl", demo.root_crl,
                  "--at", at, "--json")
    assert run.code == 1 and set(_codes(run)) == {"crl_expired"} and run.json()["status"] == "indeterminate"
    # Without --require-revocation the same facts are warnings only.
    soft = run_cli(capsys, *chain_args(demo), "--crl", demo.crl, "--crl", demo.root_crl, "--at", at, "--json")
    assert soft.code == 0 and {w["code"] for w in soft.json()["warnings"]} == {"crl_expired"}


def test_crl_of_another_ca_does_not_count(demo: DemoPKI, other_demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--require-revocation", "--crl", other_demo.crl, "--crl", other_demo.root_crl)
    assert run.code == 1


def test_revoked_leaf(revoked_pki: RevokedPKI, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["verify", revoked_pki.leaf, "--trust", revoked_pki.root, "--crl", revoked_pki.crl]
    for extra in ([], ["--require-revocation"]):
        run = run_cli(capsys, *base, *extra, "--json")
        assert run.code == 1 and _codes(run) == ["revoked"] and run.json()["status"] == "invalid"
    # Without the CRL the leaf is fine unless revocation is required.
    assert run_cli(capsys, "verify", revoked_pki.leaf, "--trust", revoked_pki.root).code == 0
    assert run_cli(capsys, "verify", revoked_pki.leaf, "--trust", revoked_pki.root, "--require-revocation").code == 1


# -- verify: exit 2 (unreadable input, bad option values) ----------------------------------------------


@pytest.fixture
def garbage(tmp_path: Path) -> dict[str, Path]:
    return {
        "binary": write(tmp_path / "garbage.bin", bytes(range(256)) * 4),
        "text": write(tmp_path / "garbage.txt", "这不是证书 / not a certificate\n".encode()),
        "empty": write(tmp_path / "empty.cer", b""),
        "truncated-der": write(tmp_path / "truncated.cer", b"\x30\x82\x03\x80\x30\x82"),
        "bad-pem": write(tmp_path / "bad.pem", b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"),
        "key-pem": write(tmp_path / "key.pem", pem.armor("PUBLIC KEY", b"\x30\x00")),
    }


@pytest.mark.parametrize("kind", ["binary", "text", "empty", "truncated-der", "bad-pem", "key-pem"])
def test_unreadable_certificate(kind: str, garbage: dict[str, Path], demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "verify", garbage[kind], "--trust", demo.root).code == 2
    assert run_cli(capsys, "verify", demo.leaf, "--trust", garbage[kind]).code == 2
    assert run_cli(capsys, *chain_args(demo), "--untrusted", garbage[kind], "--json").code == 2


def test_unreadable_crl(garbage: dict[str, Path], demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    for path in (garbage["binary"], demo.leaf):  # a certificate is not a CRL
        assert run_cli(capsys, *chain_args(demo), "--crl", path).code == 2


@pytest.mark.parametrize("option", ["cert", "--trust", "--untrusted", "--crl"])
def test_missing_file(option: str, demo: DemoPKI, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "does-not-exist.pem"
    argv = {
        "cert": ["verify", missing, "--trust", demo.root],
        "--trust": ["verify", demo.leaf, "--trust", missing],
        "--untrusted": [*chain_args(demo), "--untrusted", missing],
        "--crl": [*chain_args(demo), "--crl", missing],
    }[option]
    run = run_cli(capsys, *argv)
    assert run.code == 2 and str(missing) in run.err and "No such file" in run.err


@pytest.mark.parametrize("at", ["yesterday", "2020-02-30", "2020-06-01T25:00", "", "1700000000"])
def test_bad_at(at: str, demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--at", at)
    assert run.code == 2 and "--at" in run.err


@pytest.mark.parametrize("usages", ["sign", "digitalSignature,bogus", "DigitalSignature"])
def test_unknown_key_usage(usages: str, demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *chain_args(demo), "--key-usage", usages, "--json")
    assert run.code == 2 and "unknown key usage" in run.err


def test_unknown_ext_key_usage(demo: DemoPKI, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, *chain_args(demo), "--ext-key-usage", "serverauth").code == 2


@pytest.mark.parametrize("command", ["verify", "verify-signature"])
def test_directory_without_certificates_as_cert(command: str, demo: DemoPKI, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    argv = {
        "verify": ["verify", empty, "--trust", demo.root],
        "verify-signature": ["verify-signature", "--cert", empty, "--data", demo.root, "--signature", demo.root],
    }[command]
    assert run_cli(capsys, *argv).code == 2


# -- argparse usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    pytest.param([], id="no-command"),
    pytest.param(["bogus"], id="unknown-command"),
    pytest.param(["verify"], id="verify-no-args"),
    pytest.param(["verify", "x.pem"], id="verify-no-trust"),
    pytest.param(["verify", "--trust", "r.pem"], id="verify-no-cert"),
    pytest.param(["verify", "x.pem", "--trust", "r.pem", "--frobnicate"], id="unknown-option"),
    pytest.param(["verify", "x.pem", "--trust"], id="option-without-value"),
    pytest.param(["verify-signature", "--data", "d", "--signature", "s"], id="signature-no-key"),
    pytest.param(["verify-signature", "--cert", "c", "--public-key", "k", "--data", "d", "--signature", "s"], id="cert-and-key"),
    pytest.param(["verify-signature", "--cert", "c", "--signature", "s"], id="signature-no-data"),
    pytest.param(["verify-signature", "--cert", "c", "--data", "d", "--signature", "s", "--hash", "md5"], id="bad-hash"),
])
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, *argv)
    assert run.usage_error and run.code == 2 and "usage: certmutual" in run.err


# -- verify-signature: SM2 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SM2Material:
    key: sm2.SM2PrivateKey
    public_pem: Path
    public_der: Path
    cert: Path
    data: Path
    directory: Path

    def signature_file(self, name: str, signature: bytes, encoding: str) -> Path:
        encoded = {
            "binary": signature,
            "hex": binascii.hexlify(signature) + b"\n",
            "HEX-wrapped": b"\r\n".join(binascii.hexlify(signature).upper()[i:i + 32] for i in range(0, 2 * len(signature), 32)),
            "base64": base64.b64encode(signature),
            "base64-wrapped": base64.encodebytes(signature),
        }[encoding]
        return write(self.directory / f"{name}.{encoding}", encoded)


DATA = "合同正文 contract body\n".encode() * 50


@pytest.fixture(scope="module")
def sm2_material(tmp_path_factory: pytest.TempPathFactory) -> SM2Material:
    directory = tmp_path_factory.mktemp("sm2")
    key = sm2.SM2PrivateKey.generate()
    signing_key = SigningKey(KeyKind.SM2, key)
    now = datetime.datetime.now(UTC)
    cert = issue_certificate(subject=name({"common_name": "SM2 signer"}), subject_key=signing_key, issuer_key=signing_key,
                             not_before=now - DAY, not_after=now + DAY)
    return SM2Material(
        key,
        write(directory / "sm2-public.pem", pem.armor("PUBLIC KEY", signing_key.spki)),
        write(directory / "sm2-public.der", signing_key.spki),
        write(directory / "sm2-cert.pem", pem.armor("CERTIFICATE", cert.der)),
        write(directory / "data.bin", DATA),
        directory,
    )


def raw_signature(der_signature: bytes) -> bytes:
    r, s = sm2.decode_signature(der_signature)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_signature(capsys, key_option: str, key: Path, data: Path, signature: Path, *extra: str):
    return run_cli(capsys, "verify-signature", key_option, key, "--data", data, "--signature", signature, *extra)


@pytest.mark.parametrize("form", ["der", "raw"])
@pytest.mark.parametrize("encoding", ["binary", "hex", "HEX-wrapped", "base64", "base64-wrapped"])
@pytest.mark.parametrize("key_option", ["--public-key", "--cert"])
def test_sm2_signature_encodings(form: str, encoding: str, key_option: str, sm2_material: SM2Material,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    signature = sm2_material.key.sign(DATA)
    if form == "raw":
        signature = raw_signature(signature)
        assert len(signature) == 64
    path = sm2_material.signature_file(f"sig-{form}-{key_option.strip('-')}", signature, encoding)
    key = sm2_material.public_pem if key_option == "--public-key" else sm2_material.cert
    run = verify_signature(capsys, key_option, key, sm2_material.data, path, "--json")
    assert run.code == 0, run.out
    payload = run.json()
    check_result_json(payload, exit_code=0)
    assert payload["chain"] == [] and payload["warnings"] == []


def test_sm2_public_key_as_der(sm2_material: SM2Material, capsys: pytest.CaptureFixture[str]) -> None:
    path = sm2_material.signature_file("sig-derkey", sm2_material.key.sign(DATA), "binary")
    assert verify_signature(capsys, "--public-key", sm2_material.public_der, sm2_material.data, path).code == 0


def test_sm2_raw_signature_starting_like_der(sm2_material: SM2Material, capsys: pytest.CaptureFixture[str]) -> None:
    """A raw r||s whose first byte is 0x30 (one in 256) must not be mistaken for DER."""
    for _ in range(20_000):
        raw = raw_signature(sm2_material.key.sign(DATA))
        if raw[0] == 0x30:
            break
    else:
        pytest.fail("no signature with r starting 0x30 in 20000 tries")
    path = sm2_material.signature_file("sig-raw30", raw, "binary")
    assert verify_signature(capsys, "--public-key", sm2_material.public_pem, sm2_material.data, path).code == 0


@pytest.mark.parametrize(("signed_with", "option", "accepted"), [
    pytest.param(sm2.DEFAULT_USER_ID, None, True, id="default-id"),
    pytest.param(sm2.DEFAULT_USER_ID, "1234567812345678", True, id="default-id-explicit"),
    pytest.param(sm2.DEFAULT_USER_ID, "", False, id="default-signed-empty-given"),
    pytest.param(b"", "", True, id="empty-id"),
    pytest.param(b"", None, False, id="empty-signed-default-given"),
    pytest.param(b"alice@example.com", "alice@example.com", True, id="custom-id"),
    pytest.param(b"alice@example.com", None, False, id="custom-signed-default-given"),
    pytest.param(b"alice@example.com", "bob@example.com", False, id="custom-signed-other-given"),
    pytest.param("张三@示范科技".encode(), "张三@示范科技", True, id="utf8-id"),
])
def test_sm2_user_id(signed_with: bytes, option: str | None, accepted: bool, sm2_material: SM2Material,
                     capsys: pytest.CaptureFixture[str]) -> None:
    path = sm2_material.signature_file(f"sig-id-{signed_with.hex()}", sm2_material.key.sign(DATA, signed_with), "binary")
    extra = [] if option is None else ["--sm2-id", option]
    run = verify_signature(capsys, "--public-key", sm2_material.public_pem, sm2_material.data, path, *extra, "--json")
    assert run.code == (0 if accepted else 1)
    if not accepted:
        assert _codes(run) == ["bad_signature"]


def test_sm2_tampered(sm2_material: SM2Material, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    signature = sm2_material.key.sign(DATA)
    good = sm2_material.signature_file("sig-tamper", signature, "binary")
    tampered_data = write(tmp_path / "tampered.bin", DATA[:-1] + b"?")
    for key_option, key in (("--public-key", sm2_material.public_pem), ("--cert", sm2_material.cert)):
        run = verify_signature(capsys, key_option, key, tampered_data, good, "--json")
        assert run.code == 1 and _codes(run) == ["bad_signature"] and run.json()["status"] == "invalid"
    text = verify_signature(capsys, "--cert", sm2_material.cert, tampered_data, good)
    assert text.code == 1 and text.out.startswith("REJECTED (invalid)\n  bad_signature: ")
    raw = bytearray(raw_signature(signature))
    raw[40] ^= 0x01  # inside s
    bad_sig = sm2_material.signature_file("sig-tampered-s", bytes(raw), "hex")
    assert verify_signature(capsys, "--cert", sm2_material.cert, sm2_material.data, bad_sig).code == 1
    other = sm2.SM2PrivateKey.generate().sign(DATA)
    other_key = sm2_material.signature_file("sig-other-key", other, "binary")
    assert verify_signature(capsys, "--cert", sm2_material.cert, sm2_material.data, other_key).code == 1
    empty = sm2_material.signature_file("sig-empty", b"", "binary")
    assert verify_signature(capsys, "--cert", sm2_material.cert, sm2_material.data, empty).code == 1


def test_verify_signature_unreadable_inputs(sm2_material: SM2Material, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signature = sm2_material.signature_file("sig-inputs", sm2_material.key.sign(DATA), "binary")
    missing = tmp_path / "missing"
    garbage = write(tmp_path / "garbage.bin", bytes(range(256)))
    for argv in (
        ["--public-key", sm2_material.public_pem, "--data", missing, "--signature", signature],
        ["--public-key", sm2_material.public_pem, "--data", sm2_material.data, "--signature", missing],
        ["--public-key", missing, "--data", sm2_material.data, "--signature", signature],
        ["--cert", missing, "--data", sm2_material.data, "--signature", signature],
        ["--cert", garbage, "--data", sm2_material.data, "--signature", signature],
    ):
        assert run_cli(capsys, "verify-signature", *argv).code == 2, argv


@pytest.mark.parametrize("content", [
    pytest.param(bytes(range(256)), id="binary"),
    pytest.param(b"-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", id="pem-with-bad-body"),
])
def test_verify_signature_garbage_public_key(content: bytes, sm2_material: SM2Material, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    signature = sm2_material.signature_file("sig-garbage-key", sm2_material.key.sign(DATA), "binary")
    garbage = write(tmp_path / "garbage-key", content)
    assert verify_signature(capsys, "--public-key", garbage, sm2_material.data, signature).code == 2


def test_sm2_openssl3_public_key(sm2_material: SM2Material, capsys: pytest.CaptureFixture[str]) -> None:
    point = sm2_material.key.public_key.to_bytes()
    oid = b"\x06\x08\x2a\x81\x1c\xcf\x55\x01\x82\x2d"  # 1.2.156.10197.1.301
    body = b"\x30" + bytes([2 * len(oid)]) + oid + oid + b"\x03\x42\x00" + point
    spki = b"\x30" + bytes([len(body)]) + body
    key = write(sm2_material.directory / "sm2-openssl3.pem", pem.armor("PUBLIC KEY", spki))
    signature = sm2_material.signature_file("sig-openssl3", sm2_material.key.sign(DATA), "binary")
    assert verify_signature(capsys, "--public-key", key, sm2_material.data, signature).code == 0


# -- verify-signature: RSA and ECDSA -------------------------------------------------------------------


@dataclass(frozen=True)
class ClassicKey:
    kind: KeyKind
    private: object
    public_pem: Path
    cert: Path


def _classic(kind: KeyKind, private, directory: Path) -> ClassicKey:
    signing_key = SigningKey(kind, private)
    now = datetime.datetime.now(UTC)
    cert = issue_certificate(subject=name({"common_name": f"{kind.value} signer"}), subject_key=signing_key,
                             issuer_key=signing_key, not_before=now - DAY, not_after=now + DAY)
    public = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return ClassicKey(kind, private, write(directory / f"{kind.value}.pem", public),
                      write(directory / f"{kind.value}-cert.der", cert.der))


@pytest.fixture(scope="module")
def classic_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClassicKey]:
    directory = tmp_path_factory.mktemp("classic")
    return {
        "rsa": _classic(KeyKind.RSA2048, rsa.generate_private_key(65537, 2048), directory),
        "p256": _classic(KeyKind.P256, ec.generate_private_key(ec.SECP256R1()), directory),
        "p384": _classic(KeyKind.P384, ec.generate_private_key(ec.SECP384R1()), directory),
    }


def _sign(key: ClassicKey, digest: hashes.HashAlgorithm, data: bytes = DATA) -> bytes:
    if key.kind is KeyKind.RSA2048:
        return key.private.sign(data, padding.PKCS1v15(), digest)
    return key.private.sign(data, ec.ECDSA(digest))


HASHES = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}


@pytest.mark.parametrize(("key_name", "signed_with", "hash_option", "expected"), [
    pytest.param("rsa", "sha256", None, "ok", id="rsa-sha256-digestinfo"),
    pytest.param("rsa", "sha512", None, "ok", id="rsa-sha512-digestinfo"),
    pytest.param("rsa", "sha256", "sha256", "ok", id="rsa-sha256-explicit"),
    pytest.param("rsa", "sha256", "sha384", "bad_signature", id="rsa-wrong-hash"),
    pytest.param("rsa", "sha1", None, "weak_algorithm", id="rsa-sha1-refused"),
    pytest.param("p256", "sha256", None, "ok", id="p256-default-hash"),
    pytest.param("p256", "sha384", None, "bad_signature", id="p256-sha384-without-hash"),
    pytest.param("p256", "sha384", "sha384", "ok", id="p256-sha384-explicit"),
    pytest.param("p384", "sha384", None, "ok", id="p384-default-hash"),
    pytest.param("p384", "sha256", "sha256", "ok", id="p384-sha256-explicit"),
])
@pytest.mark.parametrize("key_option", ["--public-key", "--cert"])
def test_classic_signatures(key_name: str, signed_with: str, hash_option: str | None, expected: str, key_option: str,
                            classic_keys: dict[str, ClassicKey], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = classic_keys[key_name]
    data = write(tmp_path / "data.bin", DATA)
    signature = write(tmp_path / "sig.bin", _sign(key, HASHES[signed_with]))
    extra = [] if hash_option is None else ["--hash", hash_option]
    key_path = key.public_pem if key_option == "--public-key" else key.cert
    run = verify_signature(capsys, key_option, key_path, data, signature, *extra, "--json")
    assert run.code == (0 if expected == "ok" else 1), run.out
    check_result_json(run.json(), exit_code=run.code)
    assert _codes(run) == [expected]


@pytest.mark.parametrize("key_name", ["rsa", "p256", "p384"])
@pytest.mark.parametrize("encoding", ["hex", "base64"])
def test_classic_signature_text_encodings(key_name: str, encoding: str, classic_keys: dict[str, ClassicKey], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    key = classic_keys[key_name]
    signature = _sign(key, HASHES["sha384" if key_name == "p384" else "sha256"])
    text = binascii.hexlify(signature) if encoding == "hex" else base64.encodebytes(signature)
    path = write(tmp_path / f"sig.{encoding}", text)
    data = write(tmp_path / "data.bin", DATA)
    assert verify_signature(capsys, "--public-key", key.public_pem, data, path).code == 0


@pytest.mark.parametrize("key_name", ["rsa", "p256", "p384"])
def test_classic_tampered(key_name: str, classic_keys: dict[str, ClassicKey], tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    key = classic_keys[key_name]
    signature = write(tmp_path / "sig.bin", _sign(key, HASHES["sha384" if key_name == "p384" else "sha256"]))
    tampered = write(tmp_path / "tampered.bin", b"X" + DATA[1:])
    for key_option, key_path in (("--public-key", key.public_pem), ("--cert", key.cert)):
        run = verify_signature(capsys, key_option, key_path, tampered, signature, "--json")
        assert run.code == 1 and _codes(run) == ["bad_signature"]


def test_key_type_mismatch(classic_keys: dict[str, ClassicKey], sm2_material: SM2Material,
                           capsys: pytest.CaptureFixture[str]) -> None:
    """An SM2 signature checked with an ECDSA P-256 key (and vice versa) is rejected, not crashed."""
    sm2_sig = sm2_material.signature_file("sig-mismatch", sm2_material.key.sign(DATA), "binary")
    assert verify_signature(capsys, "--public-key", classic_keys["p256"].public_pem, sm2_material.data, sm2_sig).code == 1
    ecdsa_sig = write(sm2_material.directory / "ecdsa.sig", _sign(classic_keys["p256"], hashes.SHA256()))
    assert verify_signature(capsys, "--public-key", sm2_material.public_pem, sm2_material.data, ecdsa_sig).code == 1


# -- demo and the installed console script ----------------------------------------------------------------


def test_demo_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "demo", "--dir", tmp_path / "demo")
    assert run.code == 0 and "ACCEPTED" in run.out.splitlines()
    for name_ in ("root.pem", "issuing-ca.pem", "leaf.pem", "issuing-ca.crl", "root.crl"):
        assert (tmp_path / "demo" / name_).is_file()


def test_demo_json_is_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "demo", "--dir", tmp_path / "demo", "--json")
    assert run.code == 0
    check_result_json(run.json(), exit_code=0)


def test_console_script_demo(tmp_path: Path) -> None:
    done = subprocess.run(console_script() + ["demo", "--dir", str(tmp_path / "demo")], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ACCEPTED" in done.stdout.splitlines() and done.stderr == ""


def test_console_script_exit_codes(tmp_path: Path) -> None:
    missing = subprocess.run(console_script() + ["verify", str(tmp_path / "nope.pem"), "--trust", str(tmp_path / "nope.pem")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stdout == ""
    assert len(missing.stderr.splitlines()) == 1 and "Traceback" not in missing.stderr
    usage = subprocess.run(console_script(), capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "usage: certmutual" in usage.stderr and "Traceback" not in usage.stderr
