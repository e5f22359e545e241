"""Every PKCS#7 / CMS file and every OFD document of the shared corpus: verified or refused with a
reason code, never an exception, and the verdicts its MANIFEST states for its source.

Oracles independent of certmutual: the MANIFEST's statements, and the OFD References recomputed here
with ``zipfile``, a regular expression and ``hashlib``."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import re
import time
import zipfile
from pathlib import Path

import pytest

from certmutual import ReasonCode, Status, Verifier
from certmutual.documents.cms import verify_cms
from certmutual.documents.ofd import verify_ofd
from certmutual.documents.results import SignedValueFormat
from certmutual.documents.signeddata import parse_signed_data, unarmor
from certmutual.pki.certificate import Certificate
from tests.shared_data import SHARED, shared_path

R = ReasonCode
UTC = datetime.timezone.utc
CORPUS = SHARED / "corpus"


def corpus_files(folder: str, pattern: str) -> list[Path]:
    root = CORPUS / folder
    return sorted(p for p in root.rglob(pattern) if p.is_file()) if root.exists() else []


def label(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def manifest() -> dict[str, dict]:  # type: ignore[type-arg]
    return {entry["path"]: entry for entry in json.loads(shared_path("corpus", "MANIFEST.json").read_text(encoding="utf-8"))}


EMPTY = Verifier([])


# -- CMS ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_files("signatures", "*") or [None], ids=lambda p: label(p) if p else "absent")
def test_every_signature_file_is_verified_or_refused(path: Path | None) -> None:
    """Seal signatures and raw values too: read as CMS they are refused with a reason, not a crash."""
    if path is None:
        shared_path("corpus", "signatures")
        return
    result = verify_cms(path.read_bytes(), EMPTY)
    assert result.reasons and all(isinstance(reason.code, ReasonCode) for reason in result.reasons)
    if "pkcs7" in path.parts:
        assert R.MALFORMED not in result.codes, result.reasons
    json.dumps(result.to_dict(), ensure_ascii=False)


def _pkcs7(name: str) -> bytes:
    return shared_path("corpus", "signatures", "pkcs7", name).read_bytes()


def _trusting_signer(data: bytes) -> Verifier:
    """A verifier that trusts the signer's own certificate (the corpus has none of their CAs)."""
    return Verifier([Certificate(parse_signed_data(unarmor(data)).certificates[0])])


CFCA_CONTENT = b"Hello Secret World!"
CFCA_TIME = datetime.datetime(2025, 1, 1, tzinfo=UTC)


def test_cfca_sadk_attached_verifies() -> None:
    """MANIFEST: emmansun cfca.VerifyMessageAttach MUST succeed (content "Hello Secret World!")."""
    data = _pkcs7("emmansun__cfca_sadk_sm2_signeddata_attached.p7")
    untrusted = verify_cms(data, EMPTY, at=CFCA_TIME)
    assert untrusted.content == CFCA_CONTENT and untrusted.signers[0].intact
    assert untrusted.codes == (R.ISSUER_NOT_FOUND,)
    assert verify_cms(data, _trusting_signer(data), at=CFCA_TIME).accepted


def test_cfca_sadk_detached_verifies() -> None:
    """MANIFEST: emmansun cfca.VerifyMessageDetach(p7, "Hello Secret World!") MUST succeed."""
    data = _pkcs7("emmansun__cfca_sadk_sm2_signeddata_detached.p7")
    result = verify_cms(data, _trusting_signer(data), content=CFCA_CONTENT, at=CFCA_TIME)
    assert result.accepted and result.detached, result.reasons
    assert verify_cms(data, EMPTY, at=CFCA_TIME).codes == (R.CONTENT_MISSING, R.ISSUER_NOT_FOUND)
    assert R.BAD_SIGNATURE in verify_cms(data, _trusting_signer(data), content=b"Hello Secret World?", at=CFCA_TIME).codes


@pytest.mark.parametrize("name", ["emmansun__gmssl_cn_sm2_certchain.p7", "gmssl_cfca_gj_cs_sm2.p7b", "gmssl_sm2-pkcs7.pem"])
def test_certificate_bundles(name: str) -> None:
    """MANIFEST: emmansun TestParseSM2CertificateChain: parses, exactly 2 certificates (and the
    GmSSL bundles likewise): readable, but no signature to accept."""
    result = verify_cms(_pkcs7(name), EMPTY)
    assert result.codes == (R.NOT_SIGNED,) and len(result.certificates) == 2


def test_signed_and_enveloped_is_refused() -> None:
    """MANIFEST: gmcert.org SignedAndEnvelopedData verifies only after decryption with the test key,
    which the corpus does not have: refused as a format certmutual does not verify."""
    result = verify_cms(_pkcs7("emmansun__gmcert_org_sm2_signed_enveloped.p7"), EMPTY)
    assert result.codes == (R.UNSUPPORTED_FORMAT,)


@pytest.mark.parametrize("path", corpus_files("signatures/pkcs7/from_ofd", "*.dat") or [None],
                         ids=lambda p: p.name if p else "absent")
def test_ofd_cms_signatures_are_intact_over_their_signature_xml(path: Path | None) -> None:
    if path is None:
        shared_path("corpus", "signatures", "pkcs7", "from_ofd")
        return
    source = manifest()[label(path)]["source"]
    ofd_path = CORPUS / re.search(r"corpus/(\S+\.ofd)", source).group(1)  # type: ignore[union-attr]
    member = re.search(r"member (\S+)$", source).group(1)  # type: ignore[union-attr]
    with zipfile.ZipFile(ofd_path) as archive:
        names = archive.namelist()
        signed_file = archive.read(member.rsplit("/", 1)[0] + "/Signature.xml" if "Signs" in member else "OFDEntries.xml")
        assert member in names
    result = verify_cms(path.read_bytes(), EMPTY, content=None)
    if result.content is None:
        result = verify_cms(path.read_bytes(), EMPTY, content=signed_file)
    else:
        assert result.content == hashlib.new("sm3", signed_file).digest()
    assert all(signer.intact for signer in result.signers) and result.signers
    assert result.status is Status.INDETERMINATE  # the signers' CAs are not in the corpus


# -- OFD ----------------------------------------------------------------------------------------------

OFDS = corpus_files("ofd", "*.ofd")
_DIGESTS = {"sm3": "sm3", "1.2.156.10197.1.401": "sm3", "md5": "md5", "1.2.840.113549.2.5": "md5"}


def independent_reference_failures(path: Path) -> dict[str, set[str] | None]:
    """Per Signature.xml: the referenced files whose CheckValue does not match (None: a CheckMethod
    this oracle does not compute), by zipfile + regex + hashlib alone."""
    out: dict[str, set[str] | None] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for member in sorted(n for n in names if n.endswith("/Signature.xml")):
            text = archive.read(member)
            method = re.search(rb'CheckMethod="([^"]*)"', text)
            algorithm = _DIGESTS.get(method.group(1).decode().lower() if method else "md5")
            if algorithm is None:
                out["/" + member] = None
                continue
            failures = set()
            for ref, value in re.findall(rb'FileRef="([^"]*)"\s*>\s*<ofd:CheckValue>([^<]*)<', text):
                name = ref.decode().lstrip("/")
                if hashlib.new(algorithm, archive.read(name)).digest() != base64.b64decode(value):
                    failures.add("/" + name)
            out["/" + member] = failures
    return out


@pytest.mark.parametrize("path", OFDS or [None], ids=lambda p: label(p) if p else "absent")
def test_every_ofd_is_verified_or_refused(path: Path | None) -> None:
    if path is None:
        shared_path("corpus", "ofd")
        return
    start = time.perf_counter()
    result = verify_ofd(path.read_bytes(), EMPTY)
    assert time.perf_counter() - start < 2
    assert result.reasons and not result.accepted  # no CA of the corpus is trusted here
    json.dumps(result.to_dict(), ensure_ascii=False)
    expected = independent_reference_failures(path)
    for signature in result.signatures:
        if signature.type == "Integrity":
            continue
        failures = expected[signature.path]
        mismatched = {r.concerns for r in signature.reasons if r.code is R.DIGEST_MISMATCH and (r.concerns or "").startswith("/")}
        if failures is None:
            assert R.UNSUPPORTED_ALGORITHM in signature.codes
        else:
            assert mismatched == failures, signature.path
            if failures:
                assert not signature.intact
    assert {s.path for s in result.signatures if s.type != "Integrity"} == set(expected)


def _ofd(name: str) -> bytes:
    return shared_path("corpus", "ofd", *name.split("/")).read_bytes()


def test_allprotected_locks_the_document() -> None:
    """MANIFEST: OFDSignerTest: adding another signature must throw (document fully protected)."""
    (signature,) = verify_ofd(_ofd("ofdrw/allprotected.ofd"), EMPTY).signatures
    assert signature.protects_signature_list and signature.intact
    assert not any(s.protects_signature_list for s in verify_ofd(_ofd("ofdrw/SESV4SignDoc.ofd"), EMPTY).signatures)


def test_sesv4signdoc_has_one_stamp() -> None:
    """MANIFEST: OFDReaderTest: exactly 1 StampAnnot; page size 210x297."""
    (signature,) = verify_ofd(_ofd("ofdrw/SESV4SignDoc.ofd"), EMPTY).signatures
    (stamp,) = signature.stamps
    assert stamp.page_index == 0 and stamp.page_path == "/Doc_0/Pages/Page_0/Content.xml"
    with zipfile.ZipFile(shared_path("corpus", "ofd", "ofdrw", "SESV4SignDoc.ofd")) as archive:
        assert b"<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>" in archive.read("Doc_0/Document.xml")
    assert signature.format is SignedValueFormat.SES_SIGNATURE and signature.intact


def test_draw_param_ref_seal_copy_is_the_v4_seal() -> None:
    """MANIFEST: OfdSharp SesVersionHolderTests: its Seal.esl parses as V4 (and equals the seal
    inside the signature)."""
    (signature,) = verify_ofd(_ofd("ofdrw/draw_param_ref.ofd"), EMPTY).signatures
    assert R.SEAL_MISMATCH not in signature.codes and signature.intact
    assert signature.seal is not None and signature.seal["seal"]["version"] == "v4"


def test_hello_integrity_protection_holds() -> None:
    """MANIFEST: OFDIntegrityVerifierTest checks integrity. Trusting the ofdrw test certificate, at a
    time it was valid, the package is accepted."""
    data = _ofd("ofdrw/hello-integrity.ofd")
    (record,) = verify_ofd(data, EMPTY).signatures
    assert record.type == "Integrity" and record.intact and record.codes == (R.ISSUER_NOT_FOUND,)
    with zipfile.ZipFile(shared_path("corpus", "ofd", "ofdrw", "hello-integrity.ofd")) as archive:
        signer = Certificate(parse_signed_data(archive.read("signedvalue.dat")).certificates[0])
    result = verify_ofd(data, Verifier([signer]), at=datetime.datetime(2022, 6, 1, tzinfo=UTC))
    assert result.accepted, result.reasons


def test_digital_signature_without_certificate() -> None:
    """ofdrw's DigitalSign.ofd holds a bare SM2 value: there is nothing to verify it with."""
    (signature,) = verify_ofd(_ofd("ofdrw/DigitalSign.ofd"), EMPTY).signatures
    assert signature.format is SignedValueFormat.RAW_SIGNATURE and signature.codes == (R.UNSUPPORTED_FORMAT,)


def test_signed_after_locking_breaks_the_first_signature() -> None:
    """h.ofd: Sign_0 protected Signatures.xml, then Sign_1 was added."""
    first, second = verify_ofd(_ofd("ofdrw/h.ofd"), EMPTY).signatures
    assert first.protects_signature_list and not first.intact
    assert any(r.code is R.DIGEST_MISMATCH and r.concerns == "/Doc_0/Signs/Signatures.xml" for r in first.reasons)
    assert second.intact


@pytest.mark.parametrize("name, signer_member, at", [
    ("ofdrw/testImageNotFound.ofd", "Doc_0/Signs/Sign_0/SignedValue.dat", datetime.datetime(2022, 11, 2, tzinfo=UTC)),
    ("misc/c5soft_26050100800_00001.ofd", "Doc_0/Signs/Sign_0/SignedValue.dat", datetime.datetime(2026, 6, 1, tzinfo=UTC)),
])
def test_digital_signatures_accepted_when_their_signer_is_trusted(name: str, signer_member: str, at: datetime.datetime) -> None:
    path = shared_path("corpus", "ofd", *name.split("/"))
    with zipfile.ZipFile(path) as archive:
        signer = Certificate(parse_signed_data(archive.read(signer_member)).certificates[0])
    result = verify_ofd(path.read_bytes(), Verifier([signer]), at=at)
    assert result.accepted, result.reasons
    assert all(s.format is SignedValueFormat.CMS and s.intact for s in result.signatures)
