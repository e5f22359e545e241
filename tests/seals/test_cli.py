"""``certmutual seal inspect`` and ``certmutual seal verify``: exit codes 0 accepted / 1 rejected /
2 unreadable input, the JSON shapes, picture export."""

from __future__ import annotations

from pathlib import Path

import pytest

from certmutual import ReasonCode
from certmutual.seals import PictureFormat, detect_format, export_picture, parse_seal
from tests.cli.runner import RESULT_KEYS, run_cli
from tests.pki_factory import REF_TIME
from tests.seals import seal_factory as sf
from tests.shared_data import shared_path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    p = sf.pki()
    folder = tmp_path_factory.mktemp("seal-cli")
    written = {
        "seal": sf.seal("v4"),
        "seal_v1": sf.seal("v1"),
        "signature": sf.signature(),
        "data": sf.DATA,
        "root": p.root.der,
        "ca": p.ca.der,
        "garbage": b"not a seal at all",
    }
    out = {}
    for name, content in written.items():
        out[name] = folder / name
        out[name].write_bytes(content)
    return out


def test_inspect_a_seal_and_export_its_picture(capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                                               tmp_path: Path) -> None:
    picture = tmp_path / "picture.png"
    run = run_cli(capsys, "seal", "inspect", files["seal"], "--picture", picture, "--json")
    assert run.code == 0
    facts = run.json()
    assert facts["kind"] == "seal" and facts["version"] == "v4" and facts["standard"] == "GB/T 38540-2020"
    assert facts["picture"]["format"] == "png" and facts["picture_written"]["path"] == str(picture)
    assert picture.read_bytes() == sf.PICTURE
    text = run_cli(capsys, "seal", "inspect", files["seal_v1"])
    assert text.code == 0 and "GM/T 0031-2014 (v1)" in text.out


def test_inspect_a_signature(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    run = run_cli(capsys, "seal", "inspect", files["signature"], "--json")
    facts = run.json()
    assert run.code == 0 and facts["kind"] == "seal_signature" and facts["seal"]["kind"] == "seal"
    assert facts["signer"]["sha256"] == sf.pki().signer.sha256


def test_verify_accepted_rejected_unreadable(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    accepted = run_cli(capsys, "seal", "verify", files["signature"], "--data", files["data"], "--trust", files["root"],
                       "--untrusted", files["ca"], "--json")
    assert accepted.code == 0
    payload = accepted.json()
    assert set(payload) >= RESULT_KEYS | {"signature", "seal"} and payload["accepted"]
    assert payload["signature"]["identity"]["credit_code"] == sf.CREDIT_CODE
    missing = run_cli(capsys, "seal", "verify", files["signature"], "--trust", files["root"], "--untrusted", files["ca"])
    assert missing.code == 1 and ReasonCode.CONTENT_MISSING.value in missing.out
    seal = run_cli(capsys, "seal", "verify", files["seal"], "--trust", files["root"], "--untrusted", files["ca"],
                   "--at", REF_TIME.isoformat())
    assert seal.code == 0 and seal.out.startswith("ACCEPTED")
    late = run_cli(capsys, "seal", "verify", files["seal"], "--trust", files["root"], "--untrusted", files["ca"],
                   "--at", "2030-01-01T00:00:00Z", "--json")
    assert late.code == 1 and "seal_expired" in {r["code"] for r in late.json()["reasons"]}
    unreadable = run_cli(capsys, "seal", "verify", files["garbage"], "--trust", files["root"])
    assert unreadable.code == 2
    wrong_data = run_cli(capsys, "seal", "verify", files["seal"], "--data", files["data"], "--trust", files["root"])
    assert wrong_data.code == 2 and "--data" in wrong_data.err
    usage = run_cli(capsys, "seal", "verify", files["seal"])  # no trust option
    assert usage.usage_error


def test_corpus_files_through_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corpus = shared_path("corpus")
    root = corpus / "certs/sm2/real_ca/ROOTCA.pem"
    signature = corpus / "signatures/ses_v4/from_ofd/ofdrw__1__Sign_0__SignedValue.dat"
    run = run_cli(capsys, "seal", "verify", signature, "--trust", root, "--json")
    assert run.code == 1 and run.json()["signature"]["intact"]
    cms = corpus / "signatures/pkcs7/emmansun__cfca_sadk_sm2_signeddata_attached.p7"
    assert run_cli(capsys, "seal", "inspect", cms).code == 2
    picture = tmp_path / "seal.bin"
    tax = corpus / "seals/v4/from_ofd/ofdrw__draw_param_ref__Sign_0__Seal.esl"
    assert run_cli(capsys, "seal", "inspect", tax, "--picture", picture).code == 0
    assert picture.read_bytes()[:4] == b"PK\x03\x04"


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x89PNG\r\n\x1a\n", PictureFormat.PNG), (b"\xff\xd8\xff\xe0", PictureFormat.JPEG), (b"GIF87a", PictureFormat.GIF),
    (b"GIF89a", PictureFormat.GIF), (b"BM\x36\x00", PictureFormat.BMP), (b"PK\x03\x04", PictureFormat.OFD),
    (b"\xef\xbb\xbf<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", PictureFormat.SVG),
    (b"  <svg/>", PictureFormat.SVG), (b"\x00\x01", PictureFormat.UNKNOWN), (b"", PictureFormat.UNKNOWN),
])
def test_picture_formats(head: bytes, kind: PictureFormat) -> None:
    assert detect_format(head + b"rest") is kind if head else detect_format(head) is kind
    exported = export_picture(parse_seal(sf.seal("v4", picture=head + b"rest", picture_type="JPG")))
    assert exported.data == head + b"rest" and exported.format is kind and exported.declared_type == "JPG"
    assert exported.extension == {PictureFormat.JPEG: "jpg", PictureFormat.UNKNOWN: "bin"}.get(kind, kind.value)
