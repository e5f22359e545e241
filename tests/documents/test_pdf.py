"""PDF signatures (certmutual.documents.verify_pdf): PDFs signed here by the test PKI through pyHanko
(RSA, ECDSA and SM2, the SM2 maths by certmutual on both sides), their tampered copies, hostile
bytes, and the pyHanko test PDFs of the shared corpus against the verdicts its MANIFEST states."""

from __future__ import annotations

import datetime
from dataclasses import replace
import io
import json
import time
import tracemalloc
from pathlib import Path

import pytest
from asn1crypto import algos, keys, x509
from asn1crypto import ocsp as asn1_ocsp
from cryptography.exceptions import InvalidSignature
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign import fields
from pyhanko_certvalidator.errors import AlgorithmNotSupported
from pyhanko_certvalidator.sig_validate import SignatureValidationContext

from certmutual import Policy, ReasonCode, Status, Verifier
from certmutual.crypto.oids import SM_OID
from certmutual.documents import PdfResult, verify_pdf
from certmutual.documents.pdf import Coverage, Modification, PdfLimits, SignatureKind, Sm2SignatureValidator
from certmutual.pki.builder import KeyKind
from certmutual.pki.certificate import Certificate
from tests.documents.pdf_factory import (
    append_content_change,
    append_field,
    blank_pdf,
    bogus_metadata_update,
    flip_bit,
    object_stream_bomb,
    resign_with_gap,
    security_store_bomb,
    sign_pdf,
    signer_for,
    swap_certificate,
    with_gmt0010_content_type,
    with_unreadable_signature,
)
from tests.pki_factory import DAY, REF_TIME, YEAR, TestChain, ca_name, get_key, leaf_name, make_chain
from tests.shared_data import SHARED, shared_path

R = ReasonCode
UTC = datetime.timezone.utc
KINDS = (KeyKind.SM2, KeyKind.RSA2048, KeyKind.P256)


@pytest.fixture(scope="module", params=KINDS, ids=lambda kind: kind.value)
def chain(request: pytest.FixtureRequest) -> TestChain:
    return make_chain(request.param)


@pytest.fixture(scope="module")
def signed(chain: TestChain) -> bytes:
    return sign_pdf(blank_pdf(), chain)


def verify(data: bytes, chain: TestChain, **options: object) -> PdfResult:
    """Under ``chain``'s root alone: the intermediate must come from the signature itself."""
    result = verify_pdf(data, chain.verifier(intermediates=[]), at=REF_TIME, **options)  # type: ignore[arg-type]
    json.dumps(result.to_dict())  # always plain data
    return result


# -- signed by the test PKI ---------------------------------------------------------------------------


def test_accepted_under_the_anchor(chain: TestChain, signed: bytes) -> None:
    result = verify(signed, chain)
    assert result.accepted and result.codes == (R.OK,), result.reasons
    (signature,) = result.signatures
    assert signature.field == "Signature1" and signature.kind is SignatureKind.SIGNATURE and signature.revision == 1
    assert signature.intact and signature.valid and signature.coverage is Coverage.ENTIRE_FILE
    assert signature.modification is Modification.NONE and result.covering_entire_file == ("Signature1",)
    assert signature.signer is not None and signature.signer.sha256 == chain.leaf.sha256
    assert signature.signer_certificate == chain.leaf.der
    assert [link.sha256 for link in signature.verdict.chain] == [c.sha256 for c in chain.certificates]
    assert signature.identity is not None and signature.trust is not None and signature.trust.accepted
    if chain.kind is KeyKind.SM2:
        assert signature.signature_algorithm == SM_OID.SM2_WITH_SM3 and signature.digest_algorithm == "sm3"
    payload = result.to_dict()
    assert payload["accepted"] and payload["signatures"][0]["identity"]["kind"] in ("enterprise", "individual", "institution", "unknown")


def test_sm2_with_a_sha256_byte_range_digest() -> None:
    """SM2 signs SM3(Z_A || signed attributes) whatever digest the ByteRange is hashed with."""
    sm2 = make_chain(KeyKind.SM2)
    result = verify(sign_pdf(blank_pdf(), sm2, md="sha256"), sm2)
    assert result.accepted, result.reasons
    assert result.signatures[0].digest_algorithm == "sha256" and result.signatures[0].signature_algorithm == SM_OID.SM2_WITH_SM3


def test_rejected_without_the_anchor(chain: TestChain, signed: bytes) -> None:
    stranger = make_chain(chain.kind, key_label="pdf-stranger", root_overrides={"subject": ca_name("Stranger Root CA")})
    result = verify_pdf(signed, stranger.verifier(intermediates=[]), at=REF_TIME)
    assert result.codes == (R.ISSUER_NOT_FOUND,) and result.status is Status.INDETERMINATE
    assert result.signatures[0].intact and result.signatures[0].valid  # intact, valid, not trusted


def test_validated_at_the_time_given(signed: bytes, chain: TestChain) -> None:
    result = verify_pdf(signed, chain.verifier(), at=REF_TIME + 2 * YEAR)
    assert R.EXPIRED in result.codes and not result.accepted


def test_gmt0010_style_signed_data_in_a_pdf() -> None:
    """A detached SM2 SignedData made by the CMS factory (sm2-1 signature OID, SM3, no ESS attribute)."""
    sm2 = make_chain(KeyKind.SM2)
    result = verify(resign_with_gap(sign_pdf(blank_pdf(), sm2), sm2, gap=0), sm2)
    assert result.accepted, result.reasons
    assert result.signatures[0].signature_algorithm == SM_OID.SM2_SIGN


def test_gmt0010_content_type_around_the_signed_data(chain: TestChain, signed: bytes) -> None:
    """Chinese PDF signers wrap the SignedData in GM/T 0010's ContentInfo OID: read as SignedData."""
    result = verify(with_gmt0010_content_type(signed), chain)
    assert result.accepted, result.reasons
    assert verify(with_gmt0010_content_type(flip_bit(signed)), chain).codes == (ReasonCode.DIGEST_MISMATCH,)


def test_sm2_without_signed_attributes_is_unsupported() -> None:
    sm2 = make_chain(KeyKind.SM2)
    result = verify(resign_with_gap(sign_pdf(blank_pdf(), sm2), sm2, gap=0, signed_attributes=False), sm2)
    assert result.codes == (R.UNSUPPORTED_ALGORITHM,), result.reasons


def test_a_verdict_reached_before_any_certificate_check_has_the_verifiers_time(chain: TestChain, signed: bytes) -> None:
    """The library reads the clock in the Verifier only: a signature refused before its signer is
    checked is stamped with the time asked for, else with the verifier's now."""
    data = with_unreadable_signature(signed)

    class FixedClockVerifier(Verifier):
        def now(self) -> datetime.datetime:
            return REF_TIME - YEAR

    verifier = FixedClockVerifier([chain.root])
    (unchecked,) = verify_pdf(data, verifier).signatures
    assert unchecked.trust is None and R.MALFORMED in unchecked.verdict.codes
    assert unchecked.verdict.at == REF_TIME - YEAR
    assert verify_pdf(data, verifier, at=REF_TIME).signatures[0].verdict.at == REF_TIME


def test_a_second_approval_signature_keeps_the_first_valid(chain: TestChain, signed: bytes) -> None:
    result = verify(sign_pdf(signed, chain, field="Signature2"), chain)
    assert result.accepted, result.reasons
    first, second = result.signatures
    assert (first.field, first.coverage, first.modification) == ("Signature1", Coverage.ENTIRE_REVISION, Modification.FORM_FILLING)
    assert (second.field, second.coverage) == ("Signature2", Coverage.ENTIRE_FILE)
    assert result.covering_entire_file == ("Signature2",)


def test_certification_allowing_form_filling() -> None:
    rsa = make_chain(KeyKind.RSA2048)
    certified = sign_pdf(blank_pdf(), rsa, certify=True, docmdp=fields.MDPPerm.FILL_FORMS)
    result = verify(sign_pdf(certified, rsa, field="Signature2"), rsa)
    assert result.accepted and result.signatures[0].docmdp == "fill_forms", result.reasons


# -- tampered copies ------------------------------------------------------------------------------------


def test_flipped_bit_in_the_signed_range(chain: TestChain, signed: bytes) -> None:
    result = verify(flip_bit(signed), chain)
    assert result.codes == (R.DIGEST_MISMATCH,), result.reasons
    assert not result.signatures[0].intact and result.reasons[0].concerns == "Signature1"


def test_swapped_signer_certificate_with_another_key(chain: TestChain, signed: bytes) -> None:
    """Same issuer and serial, another key: the signature does not verify with it."""
    forged = chain.issue_leaf(subject_key=get_key(chain.kind, "pdf-swapped/leaf"))
    result = verify(swap_certificate(signed, forged, chain.leaf), chain)
    assert result.codes == (R.BAD_SIGNATURE,), result.reasons
    assert result.signatures[0].signer is not None and result.signatures[0].signer.sha256 == forged.sha256


def test_swapped_signer_certificate_for_the_same_key(signed: bytes, chain: TestChain) -> None:
    """The key certified twice: the signature verifies, but the signed ESS signing-certificate
    attribute names the other certificate (ETSI: no signing certificate found)."""
    substitute = chain.issue_leaf(subject=leaf_name("Substitute Subject"))
    result = verify(swap_certificate(signed, substitute, chain.leaf), chain)
    assert result.codes == (R.SIGNER_NOT_FOUND,), result.reasons
    assert result.signatures[0].valid


def test_swapped_signer_certificate_not_named_by_the_signer_info(signed: bytes, chain: TestChain) -> None:
    other = chain.issue_leaf(serial=0x2002)
    result = verify(swap_certificate(signed, other, chain.leaf), chain)
    assert result.codes == (R.SIGNER_NOT_FOUND,), result.reasons


def test_content_changed_by_an_incremental_update(chain: TestChain, signed: bytes) -> None:
    result = verify(append_content_change(signed), chain)
    assert result.codes == (R.DISALLOWED_CHANGE,), result.reasons
    signature = result.signatures[0]
    assert signature.intact and signature.valid and signature.coverage is Coverage.ENTIRE_REVISION
    assert signature.modification is Modification.OTHER and result.revisions == 3


def test_signature_after_a_no_changes_certification() -> None:
    sm2 = make_chain(KeyKind.SM2)
    certified = sign_pdf(blank_pdf(), sm2, certify=True, docmdp=fields.MDPPerm.NO_CHANGES)
    assert verify(append_field(certified), sm2).accepted  # an empty field alone is not a change of content
    result = verify(sign_pdf(certified, sm2, field="Signature2", ignore_certification=True), sm2)
    assert result.codes == (R.DISALLOWED_CHANGE,) and result.reasons[0].concerns == "Signature1", result.reasons
    assert "no_changes" in result.reasons[0].message and result.signatures[1].accepted


def test_byte_range_leaving_a_gap(chain: TestChain, signed: bytes) -> None:
    """A signature that verifies over a ByteRange leaving 16 bytes besides its value unsigned."""
    result = verify(resign_with_gap(signed, chain, gap=16), chain)
    assert result.codes == (R.INCOMPLETE_COVERAGE,), result.reasons
    assert result.signatures[0].coverage is Coverage.NOT_COVERING and result.signatures[0].valid


# -- hostile and odd input ---------------------------------------------------------------------------


def test_garbage_truncated_and_oversized_input() -> None:
    sm2 = make_chain(KeyKind.SM2)
    good = sign_pdf(blank_pdf(), sm2)
    verifier = sm2.verifier()
    for data in (b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF\n", good[: len(good) // 2], good[:100], b"%PDF-1.7\n" + b"\x00" * 5000):
        result = verify_pdf(data, verifier, at=REF_TIME)
        assert not result.accepted and result.codes and set(result.codes) <= set(R), (data[:20], result.reasons)
    assert verify_pdf(good[: len(good) // 2], verifier).codes[0] is R.MALFORMED
    assert verify_pdf(blank_pdf(), verifier).codes == (R.NOT_SIGNED,)
    assert verify_pdf(good, verifier, limits=PdfLimits(max_bytes=1000)).codes == (R.CONTAINER_REFUSED,)
    two = sign_pdf(good, sm2, field="Signature2")
    assert verify_pdf(two, verifier, limits=PdfLimits(max_signatures=1)).codes == (R.CONTAINER_REFUSED,)


MiB = 1024 * 1024


def _bounded(data: bytes, verifier: Verifier) -> tuple[PdfResult, int, float]:
    """The verdict on ``data`` (default limits), with the peak of memory allocated while reaching it and the time."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = verify_pdf(data, verifier, at=REF_TIME)
        return result, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


def test_object_stream_bombs_are_refused_before_they_inflate() -> None:
    """The catalogue inside an object stream that inflates to 1 GiB (from 1 MB): refused as a
    container after at most the object-stream cap was decoded; one of 1 MiB is read."""
    verifier = make_chain(KeyKind.SM2).verifier()
    assert verify_pdf(object_stream_bomb(MiB), verifier).codes == (R.NOT_SIGNED,)  # the factory makes a readable PDF
    result, peak, seconds = _bounded(object_stream_bomb(1024 * MiB), verifier)
    assert result.codes == (R.CONTAINER_REFUSED,), result.reasons
    assert peak < 3 * PdfLimits().max_object_stream_bytes and seconds < 5, (peak, seconds)
    small = PdfLimits(max_object_stream_bytes=MiB // 2)
    assert verify_pdf(object_stream_bomb(MiB), verifier, limits=small).codes == (R.CONTAINER_REFUSED,)


def test_security_store_bombs_refuse_the_document(chain: TestChain, signed: bytes) -> None:
    """A /DSS certificate stream inflating to 1 GiB: the document is refused (not the store
    skipped with a warning), within the per-stream cap; under the cap it is only an unreadable
    certificate."""
    result, peak, seconds = _bounded(security_store_bomb(signed, 1024 * MiB), chain.verifier())
    assert result.codes == (R.CONTAINER_REFUSED,), result.reasons
    assert peak < 3 * PdfLimits().max_decoded_stream_bytes and seconds < 10, (peak, seconds)
    harmless = verify(security_store_bomb(signed, MiB), chain)
    assert harmless.accepted and [w.code for w in harmless.warnings] == [R.MALFORMED], harmless.warnings


def test_the_document_decoding_budget(chain: TestChain, signed: bytes) -> None:
    """Three streams of 3 MiB each, every one under the 4 MiB stream cap: refused when the whole
    document may decode 8 MiB, read when it may decode 16 MiB."""
    three = security_store_bomb(signed, 3 * MiB, count=3)
    tight = PdfLimits(max_decoded_stream_bytes=4 * MiB, max_decoded_bytes=8 * MiB)
    assert verify(three, chain, limits=tight).codes == (R.CONTAINER_REFUSED,)
    roomy = replace(tight, max_decoded_bytes=16 * MiB)
    assert verify(three, chain, limits=roomy).accepted


def _with_security_store(pdf: bytes, chain: TestChain, ocsp_responses: tuple[bytes, ...] = ()) -> bytes:
    """``pdf`` with a document security store, written by pyHanko, holding the intermediate and
    ``ocsp_responses``."""
    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(out, PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].pkcs7_content,
                                  certs=[x509.Certificate.load(chain.intermediate.der)],
                                  ocsps=[asn1_ocsp.OCSPResponse.load(response) for response in ocsp_responses])
    return out.getvalue()


def test_intermediates_from_a_security_store_written_by_pyhanko(chain: TestChain) -> None:
    """PAdES-LT: the signer embeds no intermediate and the document security store, as pyHanko
    writes it (an indirect /DSS dictionary), holds it: the path is built through it."""
    alone = sign_pdf(blank_pdf(), chain, signer=signer_for(chain, embed=()))
    verifier = chain.verifier(intermediates=[])
    assert verify_pdf(alone, verifier, at=REF_TIME).codes == (R.ISSUER_NOT_FOUND,)
    result = verify_pdf(_with_security_store(alone, chain), verifier, at=REF_TIME)
    assert result.accepted and not result.warnings, (result.reasons, result.warnings)


def test_ocsp_responses_from_the_security_store_decide_revocation(chain: TestChain) -> None:
    """PAdES-LT offline: under a policy that requires revocation, the signer's and its CA's OCSP
    responses in the store make the signature valid; a revoked one in their place rejects it."""
    alone = sign_pdf(blank_pdf(), chain, signer=signer_for(chain, embed=()))
    verifier = chain.verifier(intermediates=[], policy=Policy(require_revocation=True))

    assert R.REVOCATION_UNKNOWN in verify_pdf(_with_security_store(alone, chain), verifier, at=REF_TIME).codes
    good = _with_security_store(alone, chain, (chain.ocsp_response(chain.leaf), chain.ocsp_response(chain.intermediate)))
    result = verify_pdf(good, verifier, at=REF_TIME)
    assert result.accepted, result.reasons
    assert [fact.kind for fact in result.signatures[0].trust.revocation] == ["ocsp", "ocsp"]  # type: ignore[union-attr]
    revoked = chain.ocsp_response(chain.leaf, status="revoked", revoked_at=REF_TIME - 2 * DAY, reason="key_compromise")
    assert R.REVOKED in verify_pdf(_with_security_store(alone, chain, (revoked, chain.ocsp_response(chain.intermediate))), verifier,
                                   at=REF_TIME).codes


def test_corrupted_bytes_never_raise() -> None:
    rsa = make_chain(KeyKind.RSA2048)
    good = sign_pdf(blank_pdf(), rsa)
    verifier = rsa.verifier()
    byte_range = PdfFileReader(io.BytesIO(good)).embedded_signatures[0].byte_range
    unsigned = range(int(byte_range[1]), int(byte_range[2]))
    step = max(1, len(good) // 97)
    for offset in range(0, len(good), step):
        damaged = bytearray(good)
        damaged[offset] ^= 0x5A
        result = verify_pdf(bytes(damaged), verifier, at=REF_TIME)
        assert result.codes and all(isinstance(code, ReasonCode) for code in result.codes)
        assert offset in unsigned or not result.accepted, offset
    start = good.index(b"/Contents <") + len(b"/Contents <")
    garbage = good[:start] + b"3082ffff" + good[start + 8:]
    assert R.MALFORMED in verify_pdf(garbage, verifier, at=REF_TIME).codes


def test_sm2_hook() -> None:
    hook = Sm2SignatureValidator()
    sm2_key = get_key(KeyKind.SM2, "pdf-hook")
    info = keys.PublicKeyInfo.load(sm2_key.spki)
    algorithm = algos.SignedDigestAlgorithm({"algorithm": SM_OID.SM2_WITH_SM3})
    hook.validate_signature(sm2_key.sign(b"data"), b"data", info, algorithm)
    with pytest.raises(InvalidSignature):
        hook.validate_signature(sm2_key.sign(b"data"), b"other data", info, algorithm)
    with pytest.raises(AlgorithmNotSupported):
        hook.validate_signature(b"0", b"digest", info, algorithm, SignatureValidationContext(prehashed=True))
    assert hook.unsupported is not None and "bare digest" in hook.unsupported
    rsa_info = keys.PublicKeyInfo.load(get_key(KeyKind.RSA2048).spki)
    with pytest.raises(InvalidSignature):  # an SM2 algorithm with an RSA key
        Sm2SignatureValidator().validate_signature(b"0" * 256, b"data", rsa_info, algorithm)


# -- the shared corpus (pyHanko's test PDFs) -----------------------------------------------------------

CORPUS_PDF = SHARED / "corpus" / "pdf"
PYHANKO_TIME = datetime.datetime(2020, 11, 1, tzinfo=UTC)
"""pyHanko's tests validate at freeze_time 2020-11-01, the Adobe Reader double signature at 2021-01-05."""

# file -> (phrase the MANIFEST states, expected codes with the file's embedded root as anchor)
EXPECTED: dict[str, tuple[str, tuple[ReasonCode, ...]]] = {
    "pyhanko__certified-with-indirect-refs-in-dir.pdf": ("val_trusted", (R.OK,)),
    "pyhanko__minimal-two-fields-signed-twice.pdf": ("valid (untrusted)", (R.OK,)),
    "pyhanko__pades-with-old-style-signing-cert-attr.pdf": ("val_trusted", (R.OK,)),
    "pyhanko__pdf-sig-with-econtent.pdf": ("MUST FAIL", (R.MALFORMED,)),
    "pyhanko__sig-no-signed-attrs.pdf": ("intact & valid", (R.OK,)),
    "pyhanko__sig-with-ski-sid.pdf": ("intact & valid", (R.OK,)),
    "pyhanko__signature-gap-too-big.pdf": ("coverage UNCLEAR", (R.INCOMPLETE_COVERAGE,)),
}


def corpus_pdfs() -> list[Path]:
    return sorted(CORPUS_PDF.glob("*.pdf")) if CORPUS_PDF.exists() else []


def manifest_entry(name: str) -> dict[str, str]:
    entries = json.loads(shared_path("corpus", "MANIFEST.json").read_text(encoding="utf-8"))
    return next(entry for entry in entries if entry["path"] == f"pdf/{name}")


def embedded_roots(data: bytes) -> list[Certificate]:
    """The self-signed certificates the file's signatures carry, read with pyHanko alone."""
    roots = []
    for signature in PdfFileReader(io.BytesIO(data)).embedded_signatures:
        for choice in signature.signed_data["certificates"]:
            cert = Certificate(choice.chosen.dump())
            if cert.subject_der == cert.issuer_der:
                roots.append(cert)
    return roots


def corpus_time(name: str) -> datetime.datetime:
    return datetime.datetime(2021, 1, 5, tzinfo=UTC) if "signed-twice" in name else PYHANKO_TIME


@pytest.mark.parametrize("path", corpus_pdfs() or [None], ids=lambda p: p.name if p else "absent")
def test_corpus_pdf_verdicts(path: Path | None) -> None:
    if path is None:
        shared_path("corpus", "pdf")
        return
    data = path.read_bytes()
    phrase, expected = EXPECTED[path.name]
    assert phrase in manifest_entry(path.name)["expected"]
    # Not our anchor: intact and valid, but not trusted.
    untrusted = verify_pdf(data, Verifier([]), at=corpus_time(path.name))
    assert not untrusted.accepted and untrusted.signatures
    trust_codes = {R.UNTRUSTED_ROOT, R.ISSUER_NOT_FOUND}
    assert set(untrusted.codes) - trust_codes == set(expected) - {R.OK}
    assert all(s.intact and s.valid for s in untrusted.signatures)
    # Its own root as anchor: the verdicts the source states.
    trusted = verify_pdf(data, Verifier(embedded_roots(data)), at=corpus_time(path.name))
    assert trusted.codes == expected, trusted.reasons
    assert all(s.signer is not None for s in trusted.signatures)


def test_corpus_double_signature_and_bogus_metadata() -> None:
    """MANIFEST: Adobe Reader double signature, valid; a bogus metadata update => ModificationLevel.OTHER."""
    data = shared_path("corpus", "pdf", "pyhanko__minimal-two-fields-signed-twice.pdf").read_bytes()
    assert "bogus metadata update => ModificationLevel.OTHER" in manifest_entry("pyhanko__minimal-two-fields-signed-twice.pdf")["expected"]
    verifier, at = Verifier(embedded_roots(data)), corpus_time("signed-twice")
    first, second = verify_pdf(data, verifier, at=at).signatures
    assert first.modification is Modification.FORM_FILLING and second.coverage is Coverage.ENTIRE_FILE
    assert first.timestamp is not None and first.timestamp.intact and not first.timestamp.proven  # GlobalSign TSA: not ours
    result = verify_pdf(bogus_metadata_update(data), verifier, at=at)
    assert set(result.codes) == {R.DISALLOWED_CHANGE}
    assert {s.modification for s in result.signatures} == {Modification.OTHER}
