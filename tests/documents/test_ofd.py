"""OFD signature verification (certmutual.documents.ofd) on packages the tests build: digital
signatures (GM/T 0010 SignedData, detached and encapsulated-digest), seal signatures (SES_Signature v4
with a Seal.esl copy), stamps, References, integrity protection, and tampered copies."""

from __future__ import annotations

import importlib.util
import zipfile

import pytest

from certmutual import ReasonCode, Status
from certmutual.documents.container import ContainerLimits
from certmutual.documents.ofd import verify_ofd
from certmutual.documents.results import SignedValueFormat
from certmutual.pki.builder import KeyKind
from tests.documents.cms_factory import flip_bit, sm2_signed_data
from tests.documents.ofd_factory import NS, OfdBuilder, SignatureSpec, signed_ofd, zip_package
from tests.pki_factory import REF_TIME, make_chain

R = ReasonCode
HAS_SEALS = getattr(importlib.import_module("certmutual.seals") if importlib.util.find_spec("certmutual.seals") else None,
                    "verify_seal_signature", None) is not None
needs_seals = pytest.mark.skipif(not HAS_SEALS, reason="certmutual.seals.verify_seal_signature is not in this build yet "
                                 "(the seals layer verifies SES_Signature values)")


@pytest.fixture(scope="module")
def chain():  # type: ignore[no-untyped-def]
    return make_chain(KeyKind.SM2)


def verify(chain, data: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return verify_ofd(data, chain.verifier(), at=REF_TIME, **kwargs)


def codes(result) -> set[ReasonCode]:  # type: ignore[no-untyped-def]
    return set(result.codes)


@pytest.mark.parametrize("kind", ["cms", "cms-attached"])
def test_digital_signatures_verify(chain, kind: str) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain, SignatureSpec(kind=kind, pages=(0, 1)), pages=3)
    result = verify(chain, builder.build())
    assert result.accepted, result.reasons
    (signature,) = result.signatures
    assert signature.accepted and signature.intact and signature.type == "Sign"
    assert signature.format is SignedValueFormat.CMS
    assert signature.path == "/Doc_0/Signs/Sign_0/Signature.xml"
    assert signature.signer is not None and signature.signer.sha256 == chain.leaf.sha256
    assert signature.identity is not None
    assert [(s.page_index, s.page_path, s.boundary) for s in signature.stamps] == [
        (0, "/Doc_0/Pages/Page_0/Content.xml", (50.0, 50.0, 40.0, 40.0)),
        (1, "/Doc_0/Pages/Page_1/Content.xml", (55.0, 50.0, 40.0, 40.0))]
    assert "/Doc_0/Pages/Page_2/Content.xml" in signature.references and not signature.protects_signature_list
    payload = result.to_dict()
    assert payload["accepted"] and payload["signatures"][0]["signer"]["sha256"] == chain.leaf.sha256


def test_several_signatures_and_a_locking_one(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain, SignatureSpec(), SignatureSpec(kind="cms-attached", protect_signature_list=True))
    result = verify(chain, builder.build())
    assert result.accepted and [s.protects_signature_list for s in result.signatures] == [False, True]
    # A third signature after the document was locked breaks the locking one (as in corpus h.ofd).
    builder.sign(SignatureSpec())
    result = verify(chain, builder.build())
    assert [s.codes for s in result.signatures] == [(R.OK,), (R.DIGEST_MISMATCH,), (R.OK,)]
    assert result.signatures[1].reasons[0].concerns == "/Doc_0/Signs/Signatures.xml"


# -- tampered copies ---------------------------------------------------------------------------------


def test_changed_page_content(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    page = "Doc_0/Pages/Page_1/Content.xml"
    tampered = builder.files[page].replace("page 2".encode(), "page 9".encode())
    result = verify(chain, builder.build(replace={page: tampered}))
    assert codes(result) == {R.DIGEST_MISMATCH} and result.status is Status.INVALID
    (signature,) = result.signatures
    assert signature.reasons[0].concerns == "/" + page and not signature.intact
    assert result.reasons[0].concerns == signature.path + ": /" + page


@pytest.mark.parametrize("kind", ["cms", "cms-attached"])
def test_changed_signature_xml(chain, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Signature.xml is what the SignedValue covers: moving the stamp breaks the signature."""
    builder = signed_ofd(chain, SignatureSpec(kind=kind))
    path = "Doc_0/Signs/Sign_0/Signature.xml"
    moved = builder.files[path].replace(b'Boundary="50 50 40 40"', b'Boundary="150 50 40 40"')
    result = verify(chain, builder.build(replace={path: moved}))
    assert codes(result) == {R.DIGEST_MISMATCH}
    assert not result.signatures[0].intact


def test_flipped_bit_in_signed_value(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    path = "Doc_0/Signs/Sign_0/SignedValue.dat"
    value = builder.files[path]
    result = verify(chain, builder.build(replace={path: flip_bit(value, len(value) - 5)}))
    assert codes(result) == {R.BAD_SIGNATURE}


def test_swapped_signer(chain) -> None:  # type: ignore[no-untyped-def]
    other = make_chain(KeyKind.SM2, key_label="other-signer")
    builder = signed_ofd(chain)
    signature_xml = builder.files["Doc_0/Signs/Sign_0/Signature.xml"]
    foreign = sm2_signed_data(chain, signature_xml, detached=True, signer_key=other.leaf_key)
    result = verify(chain, builder.build(replace={"Doc_0/Signs/Sign_0/SignedValue.dat": foreign}))
    assert codes(result) == {R.BAD_SIGNATURE}


def test_removed_and_added_files(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    result = verify(chain, builder.build(drop=("Doc_0/PublicRes.xml",)))
    assert codes(result) == {R.MISSING_PART}
    assert result.signatures[0].reasons[0].concerns == "/Doc_0/PublicRes.xml"
    assert codes(verify(chain, builder.build(drop=("Doc_0/Signs/Sign_0/SignedValue.dat",)))) == {R.MISSING_PART}
    missing_list = verify(chain, builder.build(drop=("Doc_0/Signs/Signatures.xml",)))
    assert codes(missing_list) == {R.MISSING_PART} and not missing_list.signatures


def test_unsigned_document(chain) -> None:  # type: ignore[no-untyped-def]
    result = verify(chain, OfdBuilder(chain).add_pages(1).build())
    assert codes(result) == {R.NOT_SIGNED} and not result.signatures


def test_bare_signature_value_cannot_be_verified(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    raw = bytes.fromhex("3006020101020101")
    result = verify(chain, builder.build(replace={"Doc_0/Signs/Sign_0/SignedValue.dat": raw}))
    assert codes(result) == {R.UNSUPPORTED_FORMAT}
    assert result.signatures[0].format is SignedValueFormat.RAW_SIGNATURE


# -- References, stamps ------------------------------------------------------------------------------


def test_check_methods(chain) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    by_oid = OfdBuilder(chain).add_pages(1).sign(SignatureSpec(check_method="1.2.156.10197.1.401"))
    assert verify(chain, by_oid.build()).accepted
    sha256 = OfdBuilder(chain).add_pages(1).sign(SignatureSpec(check_method="SHA256"),
                                                 hash_function=lambda b: hashlib.sha256(b).digest())
    assert verify(chain, sha256.build()).accepted
    md5 = OfdBuilder(chain).add_pages(1).sign(SignatureSpec(check_method="MD5"), hash_function=lambda b: hashlib.md5(b).digest())
    assert codes(verify(chain, md5.build())) == {R.WEAK_ALGORITHM}
    default = OfdBuilder(chain).add_pages(1).sign(SignatureSpec(check_method=None), hash_function=lambda b: hashlib.md5(b).digest())
    assert codes(verify(chain, default.build())) == {R.WEAK_ALGORITHM}, "the schema's default CheckMethod is MD5"
    unknown = OfdBuilder(chain).add_pages(1).sign(SignatureSpec(check_method="1.2.156.10197.1.401.2"))
    assert codes(verify(chain, unknown.build())) == {R.UNSUPPORTED_ALGORITHM}


def test_stamp_must_name_a_page(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    path = "Doc_0/Signs/Sign_0/Signature.xml"
    original = builder.files[path]
    for bad in (b'PageRef="999"', b'Boundary="1 2 0 4"', b'Boundary="a b c d"'):
        edited = original.replace(b'PageRef="10"', bad) if bad.startswith(b"PageRef") else \
            original.replace(b'Boundary="50 50 40 40"', bad)
        builder.files[path] = edited
        builder.files["Doc_0/Signs/Sign_0/SignedValue.dat"] = sm2_signed_data(chain, edited, detached=True)
        result = verify(chain, builder.build())
        assert codes(result) == {R.STAMP_ANNOTATION_INVALID}, bad
        assert result.signatures[0].intact, "a misplaced stamp does not break integrity"


def test_reference_climbing_out_of_the_package(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain)
    path = "Doc_0/Signs/Sign_0/Signature.xml"
    edited = builder.files[path].replace(b'FileRef="/OFD.xml"', b'FileRef="../../../../etc/passwd"')
    builder.files[path] = edited
    builder.files["Doc_0/Signs/Sign_0/SignedValue.dat"] = sm2_signed_data(chain, edited, detached=True)
    result = verify(chain, builder.build())
    assert codes(result) == {R.CONTAINER_REFUSED}


def test_relative_locations(chain) -> None:  # type: ignore[no-untyped-def]
    """Signature BaseLoc relative to Signatures.xml, SignedValue relative to Signature.xml."""
    builder = signed_ofd(chain)
    signatures = builder.files["Doc_0/Signs/Signatures.xml"].replace(b'BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"',
                                                                      b'BaseLoc="Sign_0/Signature.xml"')
    path = "Doc_0/Signs/Sign_0/Signature.xml"
    edited = builder.files[path].replace(b"<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat",
                                         b"<ofd:SignedValue>SignedValue.dat")
    value = sm2_signed_data(chain, edited, detached=True)
    result = verify(chain, builder.build(replace={"Doc_0/Signs/Signatures.xml": signatures, path: edited,
                                                  "Doc_0/Signs/Sign_0/SignedValue.dat": value}))
    assert result.accepted, result.reasons


# -- seal signatures (SES_Signature) ------------------------------------------------------------------


def test_seal_copy_must_equal_the_embedded_seal(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain, SignatureSpec(kind="ses"))
    result = verify(chain, builder.build())
    assert R.SEAL_MISMATCH not in codes(result)
    esl = "Doc_0/Signs/Sign_0/Seal.esl"
    other = builder.files[esl].replace("测试单位公章".encode(), "另一单位公章".encode())
    result = verify(chain, builder.build(replace={esl: other}))
    assert R.SEAL_MISMATCH in codes(result) and R.DIGEST_MISMATCH in codes(result)
    assert result.signatures[0].format is SignedValueFormat.SES_SIGNATURE


@needs_seals
def test_seal_signature_verifies(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain, SignatureSpec(kind="ses", pages=(0, 1)))
    result = verify(chain, builder.build())
    assert result.accepted, result.reasons
    assert result.signatures[0].type == "Seal" and result.signatures[0].intact


@needs_seals
def test_seal_signature_over_changed_signature_xml(chain) -> None:  # type: ignore[no-untyped-def]
    builder = signed_ofd(chain, SignatureSpec(kind="ses"))
    path = "Doc_0/Signs/Sign_0/Signature.xml"
    moved = builder.files[path].replace(b'Boundary="50 50 40 40"', b'Boundary="150 50 40 40"')
    result = verify(chain, builder.build(replace={path: moved}))
    assert R.DIGEST_MISMATCH in codes(result) and not result.signatures[0].intact


# -- GM/T 0099 integrity protection ------------------------------------------------------------------


def protected_package(chain, extra: dict[str, bytes] | None = None) -> bytes:  # type: ignore[no-untyped-def]
    builder = OfdBuilder(chain).add_pages(2)
    files = dict(builder.files)
    listed = "".join(f'<ofd:File ID="{i}" FileLoc="/{name}"/>' for i, name in enumerate(sorted(files), 2))
    entries = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:DocEntries xmlns:ofd="{NS}" ID="1"><ofd:SignedValueLoc>'
               f"/signedvalue.dat</ofd:SignedValueLoc><ofd:FileList>{listed}</ofd:FileList></ofd:DocEntries>").encode()
    from certmutual.crypto.sm3 import sm3

    files["OFDEntries.xml"] = entries
    files["signedvalue.dat"] = sm2_signed_data(chain, sm3(entries), signed_attributes=False)
    files.update(extra or {})
    return zip_package(files)


def test_integrity_protection(chain) -> None:  # type: ignore[no-untyped-def]
    result = verify(chain, protected_package(chain))
    assert result.accepted, result.reasons
    (record,) = result.signatures
    assert record.type == "Integrity" and record.path == "/OFDEntries.xml" and record.intact
    smuggled = verify(chain, protected_package(chain, {"Doc_0/Res/extra.png": b"\x89PNG"}))
    assert codes(smuggled) == {R.UNLISTED_PART}
    assert smuggled.signatures[0].reasons[0].concerns == "/Doc_0/Res/extra.png"


def test_package_limits_are_configurable(chain) -> None:  # type: ignore[no-untyped-def]
    data = signed_ofd(chain).build()
    result = verify(chain, data, limits=ContainerLimits(max_members=3))
    assert codes(result) == {R.CONTAINER_REFUSED}


def test_zip_member_names_in_gbk(chain) -> None:  # type: ignore[no-untyped-def]
    """Chinese producers write member names in GBK without the UTF-8 flag; references are Unicode."""
    builder = OfdBuilder(chain).add_pages(1)
    placeholder, real = "Doc_0/Res/XXXX.png", "Doc_0/Res/印章.png"
    assert len(real.encode("gbk")) == len(placeholder)
    builder.files[placeholder] = b"\x89PNG picture"
    builder.sign()
    path = "Doc_0/Signs/Sign_0/Signature.xml"
    edited = builder.files[path].replace(placeholder.encode(), real.encode("utf-8"))
    builder.files[path] = edited
    builder.files["Doc_0/Signs/Sign_0/SignedValue.dat"] = sm2_signed_data(chain, edited, detached=True)
    data = builder.build().replace(placeholder.encode(), real.encode("gbk"))
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        assert all(info.flag_bits & 0x800 == 0 for info in archive.infolist())
    result = verify(chain, data)
    assert result.accepted, result.reasons
    assert "/" + real in result.signatures[0].references
