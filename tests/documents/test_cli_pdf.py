"""``certmutual pdf verify``: exit codes, text and JSON (one record per signature, with the signer's
identity, verdict and reasons), through the CLI test runner's contract checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from certmutual.pki.builder import KeyKind
from tests.cli.runner import REASON_CODES, check_identity_json, run_cli
from tests.documents.pdf_factory import append_content_change, blank_pdf, flip_bit, sign_pdf
from tests.pki_factory import REF_TIME, TestChain, ca_name, make_chain, write_pem

AT = REF_TIME.isoformat()
SIGNATURE_KEYS = {"field", "kind", "accepted", "status", "reasons", "warnings", "chain", "revocation", "at", "sub_filter",
                  "revision", "coverage", "modification", "changed_fields", "docmdp", "intact", "valid", "digest_algorithm",
                  "signature_algorithm", "signer", "signing_time", "timestamp", "trust", "identity"}


@pytest.fixture(scope="module")
def chain() -> TestChain:
    return make_chain(KeyKind.SM2)


@pytest.fixture()
def files(tmp_path: Path, chain: TestChain) -> dict[str, Path]:
    signed = sign_pdf(blank_pdf(), chain)
    twice = sign_pdf(signed, chain, field="Signature2")
    contents = {"signed.pdf": signed, "twice.pdf": twice, "flipped.pdf": flip_bit(signed),
                "changed.pdf": append_content_change(signed), "unsigned.pdf": blank_pdf(), "junk.pdf": b"not a PDF\n"}
    out = {name: tmp_path / name for name in contents}
    for name, data in contents.items():
        out[name].write_bytes(data)
    out["root"] = Path(write_pem(tmp_path / "root.pem", chain.root))
    return out


def trust(files: dict[str, Path]) -> list[object]:
    return ["--trust", files["root"], "--at", AT]


def test_accepted(capsys: pytest.CaptureFixture[str], files: dict[str, Path], chain: TestChain) -> None:
    run = run_cli(capsys, "pdf", "verify", files["twice.pdf"], *trust(files))
    assert run.code == 0 and run.out.startswith("ACCEPTED"), run
    assert "signature Signature1 (signature, revision 1, entire_revision): ACCEPTED" in run.out
    assert "signature Signature2 (signature, revision 2, entire_file): ACCEPTED" in run.out
    assert "changed after signing: form_filling" in run.out and "signer: C=CN, O=certmutual tests, CN=Test Leaf" in run.out
    run = run_cli(capsys, "pdf", "verify", files["twice.pdf"], *trust(files), "--json")
    payload = run.json()
    assert run.code == 0 and payload["accepted"] and payload["reasons"] == [{"code": "ok", "message": "all checks passed"}]
    assert payload["covering_entire_file"] == ["Signature2"] and payload["revisions"] == 3
    for signature in payload["signatures"]:
        assert set(signature) == SIGNATURE_KEYS, sorted(signature)
        assert signature["accepted"] and signature["signer"]["sha256"] == chain.leaf.sha256
        assert signature["signature_algorithm"] == "1.2.156.10197.1.501" and signature["chain"][-1]["sha256"] == chain.root.sha256
        check_identity_json(signature["identity"])


@pytest.mark.parametrize(("name", "code"), [("flipped.pdf", "digest_mismatch"), ("changed.pdf", "disallowed_change")])
def test_tampered_copies_are_rejected(capsys: pytest.CaptureFixture[str], files: dict[str, Path], name: str, code: str) -> None:
    """(pyHanko logs what its difference analysis finds: none of it may reach stderr.)"""
    run = run_cli(capsys, "pdf", "verify", files[name], *trust(files), "--json")
    payload = run.json()
    assert run.code == 1 and not payload["accepted"] and {r["code"] for r in payload["reasons"]} == {code}
    assert payload["reasons"][0]["concerns"] == "Signature1"
    assert all(r["code"] in REASON_CODES for s in payload["signatures"] for r in s["reasons"] + s["warnings"])
    text = run_cli(capsys, "pdf", "verify", files[name], *trust(files))
    assert text.code == 1 and text.out.startswith("REJECTED (invalid)") and f"    {code}: " in text.out


def test_untrusted_and_unsigned_are_rejected(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    stranger = make_chain(KeyKind.SM2, key_label="cli-pdf-stranger", root_overrides={"subject": ca_name("Stranger Root CA")})
    root = write_pem(files["root"].parent / "stranger.pem", stranger.root)
    run = run_cli(capsys, "pdf", "verify", files["signed.pdf"], "--trust", root, "--at", AT, "--json")
    assert run.code == 1 and run.json()["status"] == "indeterminate"
    assert {r["code"] for r in run.json()["reasons"]} == {"issuer_not_found"}
    run = run_cli(capsys, "pdf", "verify", files["unsigned.pdf"], *trust(files))
    assert run.code == 1 and "not_signed" in run.out


def test_unreadable_input_exits_2(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    assert run_cli(capsys, "pdf", "verify", files["junk.pdf"], *trust(files)).code == 2
    assert run_cli(capsys, "pdf", "verify", files["root"].parent / "absent.pdf", *trust(files)).code == 2
    assert run_cli(capsys, "pdf", "verify", files["signed.pdf"], "--trust", files["root"], "--at", "yesterday").code == 2
    assert run_cli(capsys, "pdf", "verify", files["signed.pdf"]).usage_error  # a trust source is required
