"""``certmutual ofd verify`` and ``certmutual verify-cms``: exit codes, text and JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from certmutual.pki.builder import KeyKind
from tests.cli.runner import REASON_CODES, run_cli
from tests.documents.cms_factory import HELLO, sm2_signed_data
from tests.documents.ofd_factory import SignatureSpec, signed_ofd
from tests.pki_factory import REF_TIME, make_chain, write_pem

AT = REF_TIME.isoformat()


@pytest.fixture(scope="module")
def chain():  # type: ignore[no-untyped-def]
    return make_chain(KeyKind.SM2)


@pytest.fixture()
def files(tmp_path: Path, chain) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain, SignatureSpec(), SignatureSpec(kind="ses", pages=(1,)))
    out = {
        "root": Path(write_pem(tmp_path / "root.pem", chain.root)),
        "ca": Path(write_pem(tmp_path / "ca.pem", chain.intermediate)),
        "ofd": tmp_path / "signed.ofd",
        "tampered": tmp_path / "tampered.ofd",
        "attached": tmp_path / "attached.p7",
        "detached": tmp_path / "detached.p7",
        "data": tmp_path / "data.txt",
        "junk": tmp_path / "junk.bin",
    }
    out["ofd"].write_bytes(builder.build())
    page = "Doc_0/Pages/Page_0/Content.xml"
    out["tampered"].write_bytes(builder.build(replace={page: builder.files[page] + b" "}))
    out["attached"].write_bytes(sm2_signed_data(chain))
    out["detached"].write_bytes(sm2_signed_data(chain, detached=True))
    out["data"].write_bytes(HELLO)
    out["junk"].write_bytes(b"neither a zip nor ASN.1")
    return out


def trust(files: dict[str, Path]) -> list[object]:
    return ["--trust", files["root"], "--untrusted", files["ca"], "--at", AT]


def test_ofd_verify_accepts(capsys: pytest.CaptureFixture[str], files: dict[str, Path], chain) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(capsys, "ofd", "verify", files["ofd"], *trust(files))
    assert run.code == 0 and run.out.startswith("ACCEPTED"), run
    assert "signature /Doc_0/Signs/Sign_1/Signature.xml (Seal, ses_signature): ACCEPTED" in run.out
    assert "seal: 测试单位公章" in run.out
    run = run_cli(capsys, "ofd", "verify", files["ofd"], *trust(files), "--json")
    payload = run.json()
    assert run.code == 0 and payload["accepted"] and payload["reasons"] == [{"code": "ok", "message": "all checks passed"}]
    first, second = payload["signatures"]
    assert first["type"] == "Sign" and first["format"] == "cms" and first["signer"]["sha256"] == chain.leaf.sha256
    assert first["identity"]["found"] in (True, False) and first["stamps"][0]["page_index"] == 0
    assert second["type"] == "Seal" and second["seal"]["seal"]["name"] == "测试单位公章"
    assert second["stamps"][0]["page_index"] == 1 and second["detail"]["signature"]["data_checked"]


def test_ofd_verify_rejects_a_tampered_copy(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    run = run_cli(capsys, "ofd", "verify", files["tampered"], *trust(files), "--json")
    payload = run.json()
    assert run.code == 1 and not payload["accepted"]
    assert {r["code"] for r in payload["reasons"]} == {"digest_mismatch"}
    assert all(r["code"] in REASON_CODES for s in payload["signatures"] for r in s["reasons"])
    text = run_cli(capsys, "ofd", "verify", files["tampered"], *trust(files))
    assert text.code == 1 and "digest_mismatch" in text.out and "/Doc_0/Pages/Page_0/Content.xml" in text.out


def test_ofd_verify_untrusted_is_rejected(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    other = make_chain(KeyKind.SM2, key_label="cli-other")
    root = write_pem(files["root"].parent / "other.pem", other.root)
    run = run_cli(capsys, "ofd", "verify", files["ofd"], "--trust", root, "--at", AT, "--json")
    assert run.code == 1 and run.json()["status"] in ("invalid", "indeterminate")


def test_unreadable_input_exits_2(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    for argv in (["ofd", "verify", files["junk"]], ["verify-cms", files["junk"]], ["ofd", "verify", files["root"].parent / "absent.ofd"],
                 ["verify-cms", files["ofd"]]):
        run = run_cli(capsys, *argv, *trust(files))
        assert run.code == 2, run
    assert run_cli(capsys, "ofd", "verify", files["ofd"]).usage_error  # a trust source is required


def test_verify_cms(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    assert run_cli(capsys, "verify-cms", files["attached"], *trust(files)).code == 0
    run = run_cli(capsys, "verify-cms", files["detached"], "--data", files["data"], *trust(files), "--json")
    payload = run.json()
    assert run.code == 0 and payload["detached"] and payload["signers"][0]["accepted"]
    missing = run_cli(capsys, "verify-cms", files["detached"], *trust(files), "--json")
    assert missing.code == 1 and missing.json()["status"] == "indeterminate"
    assert {r["code"] for r in missing.json()["reasons"]} == {"content_missing"}
    wrong = run_cli(capsys, "verify-cms", files["detached"], "--data", files["junk"], *trust(files))
    assert wrong.code == 1 and "digest_mismatch" in wrong.out


def test_trust_list_options(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    from tests.trustlist.trustlist_factory import SM2_CHAIN, authority, signed, trust_list, vendor

    signer = authority()
    listing = files["root"].parent / "trust-list.json"
    listing.write_bytes(signed(trust_list(vendor(SM2_CHAIN, "sm2-vendor")), signer))
    pinned = write_pem(files["root"].parent / "authority.pem", signer.certificate)
    signed_by_vendor = files["root"].parent / "vendor.p7"
    signed_by_vendor.write_bytes(sm2_signed_data(SM2_CHAIN))
    run = run_cli(capsys, "verify-cms", signed_by_vendor, "--trust-list", listing, "--trust-list-authority", pinned, "--at", AT)
    assert run.code == 0, run
    rogue = write_pem(files["root"].parent / "rogue.pem", authority("rogue").certificate)
    run = run_cli(capsys, "ofd", "verify", files["ofd"], "--trust-list", listing, "--trust-list-authority", rogue, "--json")
    assert run.code == 1 and run.json()["reasons"][0]["code"] == "trust_list_invalid"
    assert run_cli(capsys, "ofd", "verify", files["ofd"], "--trust-list", listing).code == 2
