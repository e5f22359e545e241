"""The real seals and seal signatures of the shared corpus (``corpus/seals``, ``corpus/signatures``).

Every file parses or is refused with a reason code, and verification never raises. Where the
MANIFEST states what a file's source says, that is asserted (ofdrw's test verdicts); the rest is
pinned to what was found here, with the reason, so a change of verdict is seen:

- every readable seal and seal signature is *intact* (the signature maths holds over exactly the
  bytes its standard signs) except: the Hebei Gede seal (its maker signature verifies under none of
  the readings tried), the 2017 VAT e-invoice sample (md5WithRSA, which we do not verify) and the
  dms360 sample (its self-signed maker certificate has a malformed subjectAltName, so nothing can be
  checked with it);
- ``dataHash`` is SM3 of the Signature.xml beside the signature in its OFD package for every OFD
  signature except the dms360 sample and the VAT sample (MD5 of something else), and ofdrw's
  SignedValueV4.dat (all zeros, as its source's comment warns);
- no chain is complete in the corpus (the issuing CAs are missing), so nothing is *accepted*.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from certmutual import Policy, ReasonCode, Verifier
from certmutual.errors import MalformedInput
from certmutual.seals import (
    Seal, SealSignature, SealVersion, UnsupportedSealFormat, parse, parse_seal, parse_seal_signature, verify_seal,
    verify_seal_signature,
)
from certmutual.seals.model import PictureFormat
from tests.shared_data import SHARED, requires_shared, shared_path

pytestmark = requires_shared("corpus")
R = ReasonCode
CORPUS = SHARED / "corpus"


def corpus_files(folder: str) -> list[Path]:
    root = CORPUS / folder
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


SEAL_FILES = corpus_files("seals")
SIGNATURE_FILES = [p for p in corpus_files("signatures") if p.suffix != ".xml"]
SES_FILES = [p for p in SIGNATURE_FILES if "/ses_" in p.as_posix()]


def _id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier([])


def test_corpus_is_there() -> None:
    shared_path("corpus", "seals")
    assert len(SEAL_FILES) == 22 and len(SES_FILES) == 26


@pytest.mark.parametrize("path", SEAL_FILES, ids=_id)
def test_every_seal_parses_and_verifies_without_raising(path: Path, verifier: Verifier) -> None:
    seal = parse_seal(path.read_bytes())
    folder = path.relative_to(CORPUS / "seals").parts[0]
    expected = {"v1": SealVersion.V1, "v4": SealVersion.V4, "v5_draft": SealVersion.V5, "other": SealVersion.V1}[folder]
    if path.name.startswith("misc__hbh_00101"):
        expected = SealVersion.V1  # header says 4, layout is GM/T 0031-2014 (MANIFEST [!!])
    assert seal.version is expected
    assert seal.info.picture.width_mm > 0 and seal.info.picture.data
    result = verify_seal(path.read_bytes(), verifier)
    assert not result.accepted and result.version is expected
    assert R.ISSUER_NOT_FOUND in result.codes or R.MALFORMED in result.codes
    json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("path", SIGNATURE_FILES, ids=_id)
def test_every_signature_file_parses_or_is_refused_with_a_code(path: Path, verifier: Verifier) -> None:
    data = path.read_bytes()
    result = verify_seal_signature(data, verifier)
    json.dumps(result.to_dict(), ensure_ascii=False)
    if "/ses_" in path.as_posix():
        signature = parse_seal_signature(data)
        assert result.version is signature.version and result.seal is not None
        assert R.CONTENT_MISSING in result.codes  # no data given: dataHash unchecked
    else:  # CMS, raw SM2 values, vendor files: not seal signatures
        with pytest.raises((MalformedInput, UnsupportedSealFormat)):
            parse(data)
        assert result.codes in ((R.UNSUPPORTED_FORMAT,), (R.MALFORMED,))


NOT_INTACT = {
    "seals/v4/ofdrw_SESealData_HebeiGede.der": R.BAD_SIGNATURE,
    "seals/v1/from_ofd/misc__cooker_增值税电子普通发票OFD样例__Sign_0__Seal.esl": R.UNSUPPORTED_ALGORITHM,
    "seals/v1/from_ofd/ofdrw__n__Sign_0__Seal.esl": R.MALFORMED,
    "signatures/ses_v1/from_ofd/misc__cooker_增值税电子普通发票OFD样例__Sign_0__SignedValue.dat": R.UNSUPPORTED_ALGORITHM,
    "signatures/ses_v1/from_ofd/ofdrw__n__Sign_0__SignedValue.dat": R.MALFORMED,
}


@pytest.mark.parametrize("path", SEAL_FILES + SES_FILES, ids=_id)
def test_signatures_hold_over_the_bytes_the_standard_names(path: Path, verifier: Verifier) -> None:
    data = path.read_bytes()
    result = verify_seal(data, verifier) if "/seals/" in path.as_posix() else verify_seal_signature(data, verifier)
    expected = NOT_INTACT.get(_id(path))
    if expected is None:
        assert result.intact, result.reasons
        assert R.BAD_SIGNATURE not in result.codes
    else:
        assert not result.intact and expected in result.codes


def _manifest() -> list[dict[str, object]]:
    return json.loads(shared_path("corpus", "MANIFEST.json").read_text(encoding="utf-8"))


def test_manifest_verdicts_of_ofdrw(verifier: Verifier) -> None:
    """What ofdrw's own tests assert about its sample files (MANIFEST 'expected')."""
    seals = CORPUS / "seals"
    assert parse_seal((seals / "v1/ofdrw_UserV1.esl").read_bytes()).version is SealVersion.V1
    assert parse_seal((seals / "v4/ofdrw_UserV4.esl").read_bytes()).version is SealVersion.V4
    v5 = parse_seal((seals / "v5_draft/ofdrw_UserV5.esl").read_bytes())
    assert v5.version is SealVersion.V5 and v5.info.header_version == 5
    assert parse_seal((seals / "v5_draft/ofdrw_UserV5_ts.esl").read_bytes()).timestamp is not None
    signature = parse_seal_signature((CORPUS / "signatures/ses_v5_draft/ofdrw_SignedValueV5.dat").read_bytes())
    assert signature.version is SealVersion.V5 and signature.tbs_version == 5
    # SES_SignatureTest.verify: the SM2 signature over TBS_Sign verifies with the embedded certificate;
    # its comment: dataHash may not match the companion Signature.xml (it is all zeros).
    v4 = CORPUS / "signatures/ses_v4/ofdrw_SignedValueV4.dat"
    companion = (CORPUS / "signatures/ses_v4/ofdrw_SignedValueV4.Signature.xml").read_bytes()
    result = verify_seal_signature(v4.read_bytes(), verifier, signed_data=companion)
    assert R.BAD_SIGNATURE not in result.codes and result.signer is not None
    assert R.DIGEST_MISMATCH in result.codes and result.data_hash == "00" * 32
    expected = {e["path"]: e.get("expected") for e in _manifest()}
    assert "verifies" in str(expected["signatures/ses_v4/ofdrw_SignedValueV4.dat"])


def test_the_ofdrw_v5_timestamp_placeholder_is_refused(verifier: Verifier) -> None:
    """UserV5_ts.esl carries a 3-byte placeholder where the timestamp token belongs."""
    result = verify_seal((CORPUS / "seals/v5_draft/ofdrw_UserV5_ts.esl").read_bytes(), verifier)
    assert R.TIMESTAMP_INVALID in result.codes and result.intact
    assert result.timestamp is not None and not result.timestamp.verified


def _signed_xml(entry: dict[str, object]) -> bytes | None:
    """The Signature.xml beside an OFD signature (from its package, found through the MANIFEST)."""
    match = re.search(r"extracted from corpus/(\S+\.ofd) member (\S+)", str(entry["source"]))
    if match:
        package, member = match.groups()
        with zipfile.ZipFile(CORPUS / package) as archive:
            wanted = posixpath.join(posixpath.dirname(member), "Signature.xml")
            return archive.read(wanted) if wanted in archive.namelist() else None
    companion = CORPUS / str(entry["path"]).replace(".dat", ".Signature.xml")
    return companion.read_bytes() if companion.exists() else None


DATA_HASH_MISMATCH = {
    "signatures/ses_v4/ofdrw_SignedValueV4.dat",  # all zeros (its source says so)
    "signatures/ses_v1/from_ofd/ofdrw__n__Sign_0__SignedValue.dat",  # dms360: not SM3/SHA-256 of any member
}


def test_data_hash_is_sm3_of_the_ofd_signature_xml(verifier: Verifier) -> None:
    checked = 0
    for entry in _manifest():
        path = str(entry["path"])
        if not path.startswith("signatures/ses_") or path.endswith(".xml"):
            continue
        xml = _signed_xml(entry)
        if xml is None:
            continue
        result = verify_seal_signature((CORPUS / path).read_bytes(), verifier, signed_data=xml)
        if "cooker_增值税" in path:  # md5 dataHash under md5WithRSA: refused as weak
            assert R.WEAK_ALGORITHM in result.codes and not result.data_checked
            continue
        checked += 1
        assert result.data_checked
        assert (R.DIGEST_MISMATCH in result.codes) == (path in DATA_HASH_MISMATCH), path
    assert checked == 24


def test_real_world_quirks_are_warnings(verifier: Verifier) -> None:
    signatures = CORPUS / "signatures"
    hbh = verify_seal_signature((signatures / "ses_v4/from_ofd/misc__hbh_00101__Sign_0__SignedValue.dat").read_bytes(),
                                verifier)
    assert hbh.version is SealVersion.V1 and hbh.tbs_version == 4
    warned = {w.code for w in hbh.warnings}
    assert {R.VERSION_MISMATCH, R.NONSTANDARD_TIME, R.NONSTANDARD_ENCODING} <= warned
    assert hbh.signing_time is not None and hbh.signing_time.isoformat() == "2022-03-24T00:54:12+00:00"
    kinggrid = verify_seal((CORPUS / "seals/other/from_ofd/ofdrw__金格信创自动盖章__Sign_0__Seal.esl").read_bytes(), verifier)
    assert kinggrid.header_version == 2 and R.VERSION_MISMATCH in {w.code for w in kinggrid.warnings}
    vat = parse_seal((CORPUS / "seals/v1/from_ofd/misc__cooker_增值税电子普通发票OFD样例__Sign_0__Seal.esl").read_bytes())
    assert vat.info.create_date is not None and vat.info.create_date.year == 2017  # "201709201022Z": YYYYMMDDHHMMZ
    assert any(f.code is R.NONSTANDARD_TIME for f in vat.findings)
    dms = parse_seal((CORPUS / "seals/v1/from_ofd/ofdrw__n__Sign_0__Seal.esl").read_bytes())
    assert dms.info.identifiers == ("1",) and not dms.info.certificates  # the 2014 text's "certID ::= IA5String"
    suzhou = verify_seal_signature((signatures / "ses_v4/from_ofd/ofdrw__不规范资源路径__Sign_0__SignValue.dat").read_bytes(),
                                   verifier)
    assert any(w.code is R.NONSTANDARD_ENCODING and "not DER" in w.message for w in suzhou.warnings)
    anzhengtong = verify_seal((CORPUS / "seals/v4/from_ofd/ofdrw__安证通手动盖章__Sign_0__Seal.esl").read_bytes(), verifier)
    assert anzhengtong.intact and any("unsigned" in w.message for w in anzhengtong.warnings)
    strict = verify_seal((CORPUS / "seals/v4/from_ofd/ofdrw__安证通手动盖章__Sign_0__Seal.esl").read_bytes(), verifier,
                         strict=True)
    assert R.NONSTANDARD_ENCODING in strict.codes


def test_tax_bureau_pictures_are_ofd_packages() -> None:
    seal = parse_seal((CORPUS / "seals/v4/from_ofd/ofdrw__draw_param_ref__Sign_0__Seal.esl").read_bytes())
    assert seal.info.picture.type == "ofd" and seal.info.picture.format is PictureFormat.OFD
    assert (seal.info.picture.width_mm, seal.info.picture.height_mm) == (30, 20)


def test_weak_algorithms_allowed_by_policy_still_do_not_verify_md5() -> None:
    path = CORPUS / "signatures/ses_v1/from_ofd/misc__cooker_增值税电子普通发票OFD样例__Sign_0__SignedValue.dat"
    result = verify_seal_signature(path.read_bytes(), Verifier([], policy=Policy(allow_weak_algorithms=True)),
                                   signed_data=b"anything")
    assert R.UNSUPPORTED_ALGORITHM in result.codes and R.DIGEST_MISMATCH in result.codes


def test_corpus_verdict_summary(verifier: Verifier) -> None:
    """Counts for the report: how many seals / signatures are intact, broken or refused."""
    seals = [verify_seal(p.read_bytes(), verifier) for p in SEAL_FILES]
    signatures = [verify_seal_signature(p.read_bytes(), verifier) for p in SIGNATURE_FILES]
    assert sum(r.intact for r in seals) == 19 and sum(not r.intact for r in seals) == 3
    readable = [r for r in signatures if r.version is not None]
    refused = [r for r in signatures if r.version is None]
    assert len(readable) == 26 and sum(r.intact for r in readable) == 24
    assert len(refused) == 15 and {r.codes[0] for r in refused} == {R.UNSUPPORTED_FORMAT, R.MALFORMED}
    assert not any(r.accepted for r in seals + signatures)
    assert all(isinstance(parse(p.read_bytes()), (Seal, SealSignature)) for p in SEAL_FILES + SES_FILES)
