"""Seals and seal signatures built by the tests (``seal_factory``): they verify, their facts come back
as built, and each tampering fails with its own reason code."""

from __future__ import annotations

import datetime

import pytest

from certmutual import Policy, ReasonCode, Status
from certmutual.crypto.sm3 import sm3
from certmutual.pki.builder import KeyKind
from certmutual.seals import (
    PictureFormat, SealVersion, TimeSource, parse_seal, parse_seal_signature, verify_seal, verify_seal_signature,
)
from tests.pki_factory import DAY, REF_TIME, YEAR, get_key, issue, leaf_name
from tests.seals import seal_factory as sf

R = ReasonCode
VERSIONS = ("v1", "v4", "v5")


@pytest.fixture(scope="module")
def pki() -> sf.SealPKI:
    return sf.pki()


@pytest.mark.parametrize("version", VERSIONS)
def test_built_seal_verifies_and_round_trips(version: str, pki: sf.SealPKI) -> None:
    data = sf.seal(version, name="示范科技有限公司合同专用章", es_id="44030000000042", seal_type=2, size_mm=(42, 38))
    result = verify_seal(data, pki.verifier(), at=REF_TIME)
    assert result.accepted, result.reasons
    assert result.status is Status.VALID and result.intact and result.at == REF_TIME
    assert result.version is SealVersion(version) and result.header_version == {"v1": 1, "v4": 4, "v5": 5}[version]
    assert (result.name, result.es_id, result.seal_type, result.vendor_id) == ("示范科技有限公司合同专用章", "44030000000042", 2, "CERTMUTUAL")
    assert (result.create_date, result.valid_start, result.valid_end) == (sf.SEAL_CREATED, sf.SEAL_CREATED, sf.SEAL_END)
    assert result.picture is not None and result.picture.format is PictureFormat.PNG
    assert (result.picture.width_mm, result.picture.height_mm, result.picture.size) == (42, 38, len(sf.PICTURE))
    assert result.maker is not None and result.maker.sha256 == pki.maker.sha256
    assert [link.sha256 for link in result.signers] == [pki.signer.sha256]
    assert [i.credit_code for i in result.signer_identities] == [sf.CREDIT_CODE]
    assert [link.sha256 for link in result.chain] == [pki.maker.sha256, pki.ca.sha256, pki.root.sha256]
    assert result.cert_list_type == (None if version == "v1" else 1)
    assert {w.code for w in result.warnings} == {R.REVOCATION_UNKNOWN}  # no CRLs given; nothing non-standard
    seal = parse_seal(data)
    assert seal.der == data and seal.info.picture.data == sf.PICTURE and not seal.findings
    payload = result.to_dict()
    assert payload["accepted"] and payload["seal"]["name"] == "示范科技有限公司合同专用章"


@pytest.mark.parametrize("version", VERSIONS)
def test_built_seal_signature_verifies_and_round_trips(version: str, pki: sf.SealPKI) -> None:
    data = sf.signature(sf.seal(version), version, property_info="/Doc_0/Signs/Sign_7/Signature.xml")
    result = verify_seal_signature(data, pki.verifier(), signed_data=sf.DATA)
    assert result.accepted, result.reasons
    assert result.intact and result.data_checked and result.version is SealVersion(version)
    assert result.signing_time == sf.SIGNED_AT and result.time_source is TimeSource.CLAIMED and result.at == sf.SIGNED_AT
    assert result.property_info == "/Doc_0/Signs/Sign_7/Signature.xml" and result.data_hash == sm3(sf.DATA).hex()
    assert result.signer is not None and result.signer.sha256 == pki.signer.sha256
    assert result.identity is not None and result.identity.credit_code == sf.CREDIT_CODE
    assert result.seal is not None and result.seal.accepted and result.seal.at == sf.SIGNED_AT
    assert [link.sha256 for link in result.chain] == [pki.signer.sha256, pki.ca.sha256, pki.root.sha256]
    parsed = parse_seal_signature(data)
    assert parsed.signed_bytes in data and parsed.seal.der in data
    # v1 writes a zone-less text time (UTC+8): a warning, never a reason
    assert {w.code for w in result.warnings} <= {R.REVOCATION_UNKNOWN, R.NONSTANDARD_TIME}
    assert result.to_dict()["signature"]["identity"]["credit_code"] == sf.CREDIT_CODE


def test_data_digest_instead_of_data(pki: sf.SealPKI) -> None:
    data = sf.signature()
    assert verify_seal_signature(data, pki.verifier(), data_digest=sm3(sf.DATA)).accepted
    wrong = verify_seal_signature(data, pki.verifier(), data_digest=b"\x00" * 32)
    assert wrong.codes == (R.DIGEST_MISMATCH,) and not wrong.intact and wrong.data_checked


def test_without_data_the_signature_is_indeterminate(pki: sf.SealPKI) -> None:
    result = verify_seal_signature(sf.signature(), pki.verifier())
    assert result.codes == (R.CONTENT_MISSING,) and result.status is Status.INDETERMINATE
    assert result.intact and not result.data_checked


def test_other_data_fails_with_digest_mismatch(pki: sf.SealPKI) -> None:
    result = verify_seal_signature(sf.signature(), pki.verifier(), signed_data=sf.DATA + b" ")
    assert result.codes == (R.DIGEST_MISMATCH,) and not result.intact


# -- tampering -----------------------------------------------------------------------------------


def _offset_inside(data: bytes, part: bytes) -> int:
    start = data.index(part)
    return start + len(part) // 2


@pytest.mark.parametrize("version", VERSIONS)
def test_flipped_bit_in_the_seal_info_breaks_the_maker_signature(version: str, pki: sf.SealPKI) -> None:
    data = sf.seal(version)
    tampered = sf.flip_bit(data, data.index(sf.PICTURE) + 20)  # a picture byte: inside what the maker signed
    result = verify_seal(tampered, pki.verifier(), at=REF_TIME)
    assert result.codes == (R.BAD_SIGNATURE,) and not result.intact


@pytest.mark.parametrize("version", VERSIONS)
def test_flipped_bit_in_tbs_sign_breaks_the_signature(version: str, pki: sf.SealPKI) -> None:
    data = sf.signature(version=version)
    tampered = sf.flip_bit(data, data.index(b"/Doc_0/Signs") + 3)  # propertyInfo: signed, outside the seal
    result = verify_seal_signature(tampered, pki.verifier(), signed_data=sf.DATA)
    assert result.codes == (R.BAD_SIGNATURE,) and not result.intact
    assert result.seal is not None and result.seal.accepted


@pytest.mark.parametrize("version", VERSIONS)
def test_flipped_bit_in_the_embedded_seal_breaks_both(version: str, pki: sf.SealPKI) -> None:
    data = sf.signature(version=version)
    tampered = sf.flip_bit(data, data.index(sf.PICTURE) + 20)
    result = verify_seal_signature(tampered, pki.verifier(), signed_data=sf.DATA)
    assert R.BAD_SIGNATURE in result.codes
    assert [r.concerns.split(":")[0] for r in result.reasons if r.code is R.BAD_SIGNATURE] == ["C=CN, O=certmutual tests, CN=示范科技有限公司", "seal"]


def _replace_element(data: bytes, path: tuple[int, ...], replacement: bytes) -> bytes:
    """``data`` with the element at ``path`` (child indexes from the outer SEQUENCE) replaced, every
    enclosing length fixed up."""
    from certmutual.asn1 import der

    tag, start, end = der.read_header(data, 0)
    children = der.elements(data, start, end)
    pieces = [data[c[1]:c[3]] for c in children]
    index = path[0]
    pieces[index] = replacement if len(path) == 1 else _replace_element(pieces[index], path[1:], replacement)
    return sf.tlv(tag, b"".join(pieces))


@pytest.mark.parametrize("version", ("v1", "v4", "v5"))
def test_swapped_signer_certificate(version: str, pki: sf.SealPKI) -> None:
    """The signer certificate replaced by another the seal does not list. v4/v5 keep it outside
    TBS_Sign (the signature then fails with the other key); v1 keeps it inside (so TBS_Sign changes)."""
    data = sf.signature(version=version)
    path = (0, 5) if version == "v1" else (1,)
    tampered = _replace_element(data, path, sf.octets(pki.other_signer.der))
    result = verify_seal_signature(tampered, pki.verifier(), signed_data=sf.DATA)
    assert set(result.codes) == {R.BAD_SIGNATURE, R.SIGNER_NOT_IN_SEAL}
    assert result.signer is not None and result.signer.sha256 == pki.other_signer.sha256


@pytest.mark.parametrize("version", VERSIONS)
def test_signer_the_seal_does_not_list(version: str, pki: sf.SealPKI) -> None:
    """A valid signature by a valid certificate that is not the seal's signer."""
    data = sf.signature(sf.seal(version), version, signer=pki.other_signer, signer_key=pki.other_key)
    result = verify_seal_signature(data, pki.verifier(), signed_data=sf.DATA)
    assert result.codes == (R.SIGNER_NOT_IN_SEAL,) and result.intact


@pytest.mark.parametrize("version", VERSIONS)
def test_seal_outside_its_validity_window(version: str, pki: sf.SealPKI) -> None:
    verifier = pki.verifier()
    late = verify_seal(sf.seal(version), verifier, at=sf.SEAL_END + DAY)
    assert late.codes == (R.SEAL_EXPIRED,)
    early = verify_seal(sf.seal(version), verifier, at=sf.SEAL_CREATED - DAY)
    assert early.codes == (R.SEAL_NOT_YET_VALID,)
    expired = sf.seal(version, created=REF_TIME - 200 * DAY, valid_end=REF_TIME - 100 * DAY)
    used = verify_seal_signature(sf.signature(expired, version), verifier, signed_data=sf.DATA)
    assert used.codes == (R.SEAL_EXPIRED,) and used.reasons[0].concerns == "seal: seal"
    # judged at the signing time: a seal that expired *after* the signature is fine
    later = sf.signature(sf.seal(version, valid_end=sf.SIGNED_AT + DAY), version)
    assert verify_seal_signature(later, verifier, signed_data=sf.DATA).accepted
    assert verify_seal_signature(later, verifier, signed_data=sf.DATA, at=REF_TIME + DAY).codes == (R.SEAL_EXPIRED,)


def test_seal_created_after_it_was_used(pki: sf.SealPKI) -> None:
    sealed = sf.seal("v4", created=sf.SIGNED_AT + DAY, valid_start=sf.SIGNED_AT - DAY)
    result = verify_seal_signature(sf.signature(sealed), pki.verifier(), signed_data=sf.DATA)
    assert result.codes == (R.TIME_INCONSISTENT,)


def test_untrusted_root_and_missing_issuer(pki: sf.SealPKI) -> None:
    no_anchor = pki.verifier(anchors=[])
    result = verify_seal_signature(sf.signature(), no_anchor, signed_data=sf.DATA)
    assert set(result.codes) == {R.ISSUER_NOT_FOUND} and result.status is Status.INDETERMINATE
    assert {r.concerns.split(":")[0] for r in result.reasons} == {"seal", "signer certificate"}


def test_maker_and_signer_key_usage(pki: sf.SealPKI) -> None:
    ca_key = get_key(KeyKind.SM2, "seal-ca")
    key = get_key(KeyKind.SM2, "seal-encryption")
    encryption_only = issue(subject=leaf_name("加密证书"), subject_key=key, issuer=pki.ca, issuer_key=ca_key,
                            key_usage={"key_encipherment"})
    sealed = sf.seal("v4", maker=encryption_only, maker_key=key, signers=[encryption_only])
    result = verify_seal(sealed, pki.verifier(), at=REF_TIME)
    assert result.codes == (R.KEY_USAGE,) and result.intact
    signed = verify_seal_signature(sf.signature(sf.seal("v4", signers=[encryption_only]), signer=encryption_only,
                                                signer_key=key), pki.verifier(), signed_data=sf.DATA)
    assert signed.codes == (R.KEY_USAGE,)


def test_v5_grace_for_a_maker_certificate_expired_after_creation(pki: sf.SealPKI) -> None:
    """GM/T 0031-2025: a maker certificate that expired after createDate is a warning; GB/T 38540
    (v4) fails. Chain failures stay fatal either way."""
    ca_key = get_key(KeyKind.SM2, "seal-ca")
    key = get_key(KeyKind.SM2, "seal-short-maker")
    short = issue(subject=leaf_name("短期制章系统"), subject_key=key, issuer=pki.ca, issuer_key=ca_key,
                  not_before=REF_TIME - YEAR, not_after=REF_TIME - 10 * DAY)
    verifier = pki.verifier()
    v5 = verify_seal(sf.seal("v5", maker=short, maker_key=key), verifier, at=REF_TIME)
    assert v5.accepted and any(w.code is R.EXPIRED for w in v5.warnings)
    v4 = verify_seal(sf.seal("v4", maker=short, maker_key=key), verifier, at=REF_TIME)
    assert v4.codes == (R.EXPIRED,)
    before = verify_seal(sf.seal("v5", maker=short, maker_key=key, created=REF_TIME - 5 * DAY), verifier, at=REF_TIME)
    assert R.EXPIRED in before.codes  # expired before the seal was even made: no grace


def test_maker_certificate_that_is_not_a_certificate(pki: sf.SealPKI) -> None:
    data = sf.seal("v4").replace(pki.maker.der[:8], b"\x30\x03\x02\x01\x00" + pki.maker.der[5:8])
    result = verify_seal(data, pki.verifier(), at=REF_TIME)
    assert R.MALFORMED in result.codes or R.BAD_SIGNATURE in result.codes


# -- certificate lists -------------------------------------------------------------------------


@pytest.mark.parametrize("digest_type", ["SM3", "sm3", "1.2.156.10197.1.401", "whatever"])
def test_signers_listed_by_digest(digest_type: str, pki: sf.SealPKI) -> None:
    sealed = sf.seal("v4", cert_list_type=2, digest_type=digest_type)
    result = verify_seal_signature(sf.signature(sealed), pki.verifier(), signed_data=sf.DATA)
    assert result.accepted, result.reasons
    assert result.seal is not None and result.seal.signer_digests == (sm3(pki.signer.der).hex(),)
    other = sf.signature(sealed, signer=pki.other_signer, signer_key=pki.other_key)
    assert verify_seal_signature(other, pki.verifier(), signed_data=sf.DATA).codes == (R.SIGNER_NOT_IN_SEAL,)


def test_cert_list_type_3_reads_by_shape_with_a_warning(pki: sf.SealPKI) -> None:
    sealed = sf.seal("v4", cert_list_type=3)
    result = verify_seal_signature(sf.signature(sealed), pki.verifier(), signed_data=sf.DATA)
    assert result.accepted
    assert any(w.code is R.NONSTANDARD_ENCODING and "certListType 3" in w.message for w in result.warnings)
    strict = verify_seal_signature(sf.signature(sealed), pki.verifier(), signed_data=sf.DATA, strict=True)
    assert strict.codes == (R.NONSTANDARD_ENCODING,)


def test_seal_listing_no_signer(pki: sf.SealPKI) -> None:
    result = verify_seal_signature(sf.signature(sf.seal("v4", signers=[])), pki.verifier(), signed_data=sf.DATA)
    assert result.codes == (R.SIGNER_NOT_IN_SEAL,)


# -- timestamps --------------------------------------------------------------------------------


def test_timestamped_signature_is_judged_at_the_timestamp(pki: sf.SealPKI) -> None:
    stamped_at = sf.SIGNED_AT + datetime.timedelta(minutes=2)
    data = sf.signature(timestamp=True, timestamp_at=stamped_at)
    result = verify_seal_signature(data, pki.verifier(), signed_data=sf.DATA)
    assert result.accepted, result.reasons
    assert result.time_source is TimeSource.TIMESTAMP and result.signing_time == stamped_at
    assert result.timestamp is not None and result.timestamp.verified and result.timestamp.hash_algorithm == "sm3"
    assert result.timestamp.tsa is not None and result.timestamp.tsa.sha256 == pki.tsa.sha256


def test_timestamp_over_something_else(pki: sf.SealPKI) -> None:
    token = sf.timestamp_token(b"not the signature", sf.SIGNED_AT)
    result = verify_seal_signature(sf.signature(timestamp=token), pki.verifier(), signed_data=sf.DATA)
    assert result.codes == (R.TIMESTAMP_INVALID,)
    assert result.time_source is TimeSource.CLAIMED  # an unverified timestamp proves nothing


def test_timestamp_by_a_certificate_without_time_stamping(pki: sf.SealPKI) -> None:
    data = sf.signature(timestamp=True)
    signature = parse_seal_signature(data).signature
    token = sf.timestamp_token(signature, sf.SIGNED_AT, tsa=pki.maker, tsa_key=pki.maker_key)
    forged = sf.signature(timestamp=token)
    result = verify_seal_signature(forged, pki.verifier(), signed_data=sf.DATA)
    assert R.TIMESTAMP_INVALID in result.codes or R.EXT_KEY_USAGE in result.codes


def test_tampered_timestamp_token(pki: sf.SealPKI) -> None:
    data = sf.signature(timestamp=True)
    token = parse_seal_signature(data).timestamp
    assert token is not None
    tampered = data.replace(token[-40:], sf.flip_bit(token[-40:], 5))
    result = verify_seal_signature(tampered, pki.verifier(), signed_data=sf.DATA)
    assert R.TIMESTAMP_INVALID in result.codes


def test_claimed_time_later_than_the_timestamp(pki: sf.SealPKI) -> None:
    data = sf.signature(timestamp=True, timestamp_at=sf.SIGNED_AT - datetime.timedelta(hours=1))
    result = verify_seal_signature(data, pki.verifier(), signed_data=sf.DATA)
    assert result.codes == (R.TIME_INCONSISTENT,)


def test_v5_seal_timestamp(pki: sf.SealPKI) -> None:
    result = verify_seal(sf.seal("v5", timestamp=True), pki.verifier(), at=REF_TIME)
    assert result.accepted and result.timestamp is not None and result.timestamp.verified
    early = sf.timestamp_token(b"", sf.SEAL_CREATED - DAY)  # over the wrong bytes, and before createDate
    bad = verify_seal(sf.seal("v5", timestamp=early), pki.verifier(), at=REF_TIME)
    assert set(bad.codes) == {R.TIMESTAMP_INVALID, R.TIME_INCONSISTENT}


# -- the verifier's policy -----------------------------------------------------------------------


def test_policy_is_the_verifiers(pki: sf.SealPKI) -> None:
    required = pki.verifier(policy=Policy(require_revocation=True))
    result = verify_seal_signature(sf.signature(), required, signed_data=sf.DATA)
    assert R.REVOCATION_UNKNOWN in result.codes and result.status is Status.INDETERMINATE
