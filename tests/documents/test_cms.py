"""CMS / PKCS#7 SignedData verification (certmutual.documents.cms) on signatures the tests make:
SM2 (GM/T 0010 and PKCS#7 OIDs), RSA and ECDSA (pyca/cryptography's builder); attached and detached;
with and without signed attributes; tampering, swapped signers and every reason code the module gives."""

from __future__ import annotations

import dataclasses
import time

import pytest
from asn1crypto import core

from certmutual import Policy, ReasonCode, Status
from certmutual.asn1.gmt0010 import ATTRIBUTE_OID, GMT0010_OID, PKCS7_OID
from certmutual.documents.cms import verify_cms
from certmutual.documents.signeddata import CmsLimits, parse_signed_data
from certmutual.pki.builder import KeyKind
from tests.documents.cms_factory import HELLO, flip_bit, pkcs7_signed_data, sm2_signed_data, tlv, to_ber
from tests.pki_factory import DAY, REF_TIME, YEAR, get_key, leaf_name, make_chain

R = ReasonCode


@pytest.fixture(scope="module")
def sm2():  # type: ignore[no-untyped-def]
    return make_chain(KeyKind.SM2)


def codes(result) -> set[ReasonCode]:  # type: ignore[no-untyped-def]
    return set(result.codes)


# -- accepted signatures -------------------------------------------------------------------------


@pytest.mark.parametrize("detached", [False, True], ids=["attached", "detached"])
@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "no-attrs"])
@pytest.mark.parametrize("gmt", [True, False], ids=["gmt0010-oids", "pkcs7-oids"])
def test_sm2_signed_data_verifies(sm2, detached: bool, attributes: bool, gmt: bool) -> None:  # type: ignore[no-untyped-def]
    data = sm2_signed_data(sm2, detached=detached, signed_attributes=attributes, gmt_oids=gmt)
    result = verify_cms(data, sm2.verifier(), content=HELLO if detached else None, at=REF_TIME)
    assert result.accepted, result.reasons
    assert result.detached is detached and (result.content == (None if detached else HELLO))
    assert result.content_type == (GMT0010_OID.DATA if gmt else PKCS7_OID.DATA)
    (signer,) = result.signers
    assert signer.intact and signer.accepted and signer.signed_attributes is attributes
    assert signer.signer is not None and signer.signer.sha256 == sm2.leaf.sha256
    assert signer.certificate is not None and len(signer.certificate.chain) == 3
    assert signer.identity is not None
    assert signer.digest_algorithm == "sm3"
    assert signer.signing_time == (REF_TIME if attributes else None)
    payload = result.to_dict()
    assert payload["accepted"] and payload["signers"][0]["signer"]["sha256"] == sm2.leaf.sha256
    assert payload["signers"][0]["identity"]["entity_key"] == signer.identity.entity_key


@pytest.mark.parametrize("kind", [KeyKind.RSA2048, KeyKind.P256])
@pytest.mark.parametrize("detached", [False, True], ids=["attached", "detached"])
@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "no-attrs"])
def test_rsa_and_ecdsa_from_cryptography_verify(kind: KeyKind, detached: bool, attributes: bool) -> None:
    chain = make_chain(kind)
    data = pkcs7_signed_data(chain, detached=detached, signed_attributes=attributes)
    result = verify_cms(data, chain.verifier(), content=HELLO if detached else None, at=REF_TIME)
    assert result.accepted, result.reasons
    assert result.signers[0].intact and result.signers[0].digest_algorithm == "sha256"


def test_subject_key_identifier_names_the_signer(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2, sid="ski"), sm2.verifier(), at=REF_TIME)
    assert result.accepted, result.reasons


def test_ber_outer_layers_verify(sm2) -> None:  # type: ignore[no-untyped-def]
    """Indefinite lengths and a chunked eContent (streaming encoders): the signed parts are the same."""
    for attributes in (True, False):
        ber = to_ber(sm2_signed_data(sm2, signed_attributes=attributes))
        assert b"\x30\x80" in ber[:4]
        result = verify_cms(ber, sm2.verifier(), at=REF_TIME)
        assert result.accepted and result.content == HELLO, result.reasons


def test_pem_and_base64_input(sm2) -> None:  # type: ignore[no-untyped-def]
    import base64

    data = sm2_signed_data(sm2)
    text = base64.b64encode(data)
    pem = b"-----BEGIN PKCS7-----\n" + base64.encodebytes(data) + b"-----END PKCS7-----\n"
    for encoded in (text, pem):
        assert verify_cms(encoded, sm2.verifier(), at=REF_TIME).accepted


def test_mixed_oid_families_are_accepted_with_a_warning(sm2) -> None:  # type: ignore[no-untyped-def]
    """GM/T 0010 eContentType with a PKCS#7 contentType attribute (seen in real OFD signatures)."""
    data = sm2_signed_data(sm2, content_type_attribute=PKCS7_OID.DATA)
    result = verify_cms(data, sm2.verifier(), at=REF_TIME)
    assert result.accepted
    assert R.CONTENT_TYPE_MISMATCH in {w.code for w in result.signers[0].warnings}


def test_signer_found_among_supplied_certificates(sm2) -> None:  # type: ignore[no-untyped-def]
    data = sm2_signed_data(sm2, certificates=[])
    alone = verify_cms(data, sm2.verifier(), at=REF_TIME)
    assert alone.status is Status.INDETERMINATE and codes(alone) == {R.SIGNER_NOT_FOUND}
    assert verify_cms(data, sm2.verifier(), at=REF_TIME, certificates=[sm2.leaf]).accepted


def test_embedded_intermediate_builds_the_path(sm2) -> None:  # type: ignore[no-untyped-def]
    data = sm2_signed_data(sm2, certificates=[sm2.leaf, sm2.intermediate])
    assert verify_cms(data, sm2.verifier(intermediates=[]), at=REF_TIME).accepted


# -- the signer's certificate ---------------------------------------------------------------------


def test_untrusted_signer_is_intact_but_not_accepted(sm2) -> None:  # type: ignore[no-untyped-def]
    other = make_chain(KeyKind.SM2, key_label="other")
    result = verify_cms(sm2_signed_data(sm2), sm2.verifier(anchors=[other.root], intermediates=[]), at=REF_TIME)
    assert not result.accepted and result.signers[0].intact
    assert codes(result) == {R.ISSUER_NOT_FOUND} and result.status is Status.INDETERMINATE


def test_expired_signer_certificate(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2), sm2.verifier(), at=REF_TIME + 2 * YEAR)
    assert codes(result) == {R.EXPIRED} and result.signers[0].intact


def test_signer_certificate_must_allow_signing() -> None:
    chain = make_chain(KeyKind.SM2, leaf_overrides={"key_usage": {"key_encipherment"}})
    result = verify_cms(sm2_signed_data(chain), chain.verifier(), at=REF_TIME)
    assert R.KEY_USAGE in codes(result)


# -- tampering --------------------------------------------------------------------------------------


def test_changed_attached_content(sm2) -> None:  # type: ignore[no-untyped-def]
    with_attrs = sm2_signed_data(sm2)
    offset = with_attrs.index(HELLO)
    result = verify_cms(flip_bit(with_attrs, offset + 3), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.DIGEST_MISMATCH} and not result.signers[0].intact
    without = sm2_signed_data(sm2, signed_attributes=False)
    result = verify_cms(flip_bit(without, without.index(HELLO) + 3), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.BAD_SIGNATURE}


def test_changed_detached_data(sm2) -> None:  # type: ignore[no-untyped-def]
    data = sm2_signed_data(sm2, detached=True)
    result = verify_cms(data, sm2.verifier(), content=HELLO + b" ", at=REF_TIME)
    assert codes(result) == {R.DIGEST_MISMATCH}
    data = sm2_signed_data(sm2, detached=True, signed_attributes=False)
    assert codes(verify_cms(data, sm2.verifier(), content=HELLO[:-1], at=REF_TIME)) == {R.BAD_SIGNATURE}


def test_attached_content_differs_from_data_given(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2), sm2.verifier(), content=b"other data", at=REF_TIME)
    assert codes(result) == {R.DIGEST_MISMATCH}


def test_flipped_bit_in_signed_attributes(sm2) -> None:  # type: ignore[no-untyped-def]
    """The signing time is inside the signed region: one bit changes the signature input."""
    data = sm2_signed_data(sm2)
    stamp = core.UTCTime(REF_TIME).dump()[2:]
    result = verify_cms(flip_bit(data, data.index(stamp) + 1), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.BAD_SIGNATURE}


def test_flipped_bit_in_signature_value(sm2) -> None:  # type: ignore[no-untyped-def]
    data = sm2_signed_data(sm2)
    signature = parse_signed_data(data).signer_infos[0].signature
    result = verify_cms(flip_bit(data, data.index(signature) + 20), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.BAD_SIGNATURE}


def test_swapped_signer(sm2) -> None:  # type: ignore[no-untyped-def]
    """Another certificate with the same issuer and serial but another key: the signature fails.
    Another certificate altogether: the SignerInfo names nobody embedded."""
    impostor_key = get_key(KeyKind.SM2, "impostor")
    impostor = sm2.issue_leaf(subject=leaf_name("Impostor"), subject_key=impostor_key)  # same serial, issuer
    data = sm2_signed_data(sm2, certificates=[impostor])
    assert codes(verify_cms(data, sm2.verifier(), at=REF_TIME)) == {R.BAD_SIGNATURE}
    stranger = sm2.issue_leaf(subject=leaf_name("Stranger"), subject_key=impostor_key, serial=0x7777)
    result = verify_cms(sm2_signed_data(sm2, certificates=[stranger]), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.SIGNER_NOT_FOUND} and result.status is Status.INDETERMINATE
    # And a signature by the impostor, claiming to be the leaf, fails whichever is embedded.
    forged = sm2_signed_data(sm2, signer_key=impostor_key, certificates=[sm2.leaf])
    assert codes(verify_cms(forged, sm2.verifier(), at=REF_TIME)) == {R.BAD_SIGNATURE}


# -- what the signed attributes must say ------------------------------------------------------------


def test_content_type_attribute_must_match(sm2) -> None:  # type: ignore[no-untyped-def]
    wrong = verify_cms(sm2_signed_data(sm2, content_type_attribute=GMT0010_OID.SIGNED_DATA), sm2.verifier(), at=REF_TIME)
    assert codes(wrong) == {R.CONTENT_TYPE_MISMATCH} and wrong.signers[0].status is Status.INVALID
    missing = verify_cms(sm2_signed_data(sm2, omit_content_type=True), sm2.verifier(), at=REF_TIME)
    assert codes(missing) == {R.CONTENT_TYPE_MISMATCH}


def test_message_digest_must_match(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2, message_digest=b"\x00" * 32), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.DIGEST_MISMATCH}


def test_detached_without_data_is_indeterminate(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2, detached=True), sm2.verifier(), at=REF_TIME)
    assert result.status is Status.INDETERMINATE and codes(result) == {R.CONTENT_MISSING}
    assert not result.signers[0].intact


def test_digest_algorithms(sm2) -> None:  # type: ignore[no-untyped-def]
    md5 = verify_cms(sm2_signed_data(sm2, digest_oid="1.2.840.113549.2.5"), sm2.verifier(), at=REF_TIME)
    assert R.WEAK_ALGORITHM in codes(md5)
    unknown = verify_cms(sm2_signed_data(sm2, digest_oid="1.2.3.4"), sm2.verifier(), at=REF_TIME)
    assert R.UNSUPPORTED_ALGORITHM in codes(unknown)
    sha256 = verify_cms(sm2_signed_data(sm2, digest_oid="2.16.840.1.101.3.4.2.1"), sm2.verifier(), at=REF_TIME)
    assert sha256.accepted, "messageDigest in SHA-256, SM2 signature with SM3 (as GM/T 0010 signers do)"


def test_unknown_signature_algorithm(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2, signature_oid="1.2.3.4.5"), sm2.verifier(), at=REF_TIME)
    assert codes(result) == {R.UNSUPPORTED_ALGORITHM}


def test_sm2_user_id_comes_from_the_policy(sm2) -> None:  # type: ignore[no-untyped-def]
    verifier = sm2.verifier(policy=Policy(sm2_user_id=b""))
    assert R.BAD_SIGNATURE in codes(verify_cms(sm2_signed_data(sm2), verifier, at=REF_TIME))


def test_timestamp_token_is_reported(sm2) -> None:  # type: ignore[no-untyped-def]
    data = sm2_signed_data(sm2, extra_unsigned=[(ATTRIBUTE_OID.SIGNATURE_TIME_STAMP_TOKEN, core.OctetString(b"token"))])
    result = verify_cms(data, sm2.verifier(), at=REF_TIME)
    assert result.accepted and result.signers[0].timestamped


# -- not signatures, and hostile bytes --------------------------------------------------------------


def test_not_signed_data(sm2) -> None:  # type: ignore[no-untyped-def]
    enveloped = tlv(0x30, core.ObjectIdentifier(GMT0010_OID.ENVELOPED_DATA).dump() + tlv(0xA0, tlv(0x30, b"\x02\x01\x00")))
    assert codes(verify_cms(enveloped, sm2.verifier())) == {R.UNSUPPORTED_FORMAT}
    assert codes(verify_cms(b"not a signature at all", sm2.verifier())) == {R.MALFORMED}
    data = sm2_signed_data(sm2)
    assert codes(verify_cms(data + b"\x00", sm2.verifier())) == {R.MALFORMED}


def test_certs_only_bundle_is_not_signed(sm2) -> None:  # type: ignore[no-untyped-def]
    signed = parse_signed_data(sm2_signed_data(sm2, certificates=[sm2.leaf, sm2.intermediate]))
    bundle = dataclasses.replace(signed, signer_infos=())
    from certmutual.documents.cms import verify_signed_data

    result = verify_signed_data(bundle, sm2.verifier())
    assert codes(result) == {R.NOT_SIGNED} and len(result.certificates) == 2


@pytest.mark.parametrize("hostile", ["deep", "many-signers", "huge-length", "long-oid"])
def test_hostile_asn1_is_refused_quickly(sm2, hostile: str) -> None:  # type: ignore[no-untyped-def]
    oid = core.ObjectIdentifier(GMT0010_OID.SIGNED_DATA).dump()
    if hostile == "deep":
        inner = b"\x05\x00"
        for _ in range(5000):
            inner = tlv(0x30, inner)
        data = tlv(0x30, oid + tlv(0xA0, inner))
    elif hostile == "many-signers":
        body = b"\x02\x01\x01" + tlv(0x31, b"") + tlv(0x30, core.ObjectIdentifier(GMT0010_OID.DATA).dump())
        body += tlv(0x31, tlv(0x30, b"\x02\x01\x01") * 100_000)
        data = tlv(0x30, oid + tlv(0xA0, tlv(0x30, body)))
    elif hostile == "huge-length":
        data = b"\x30\x88\x7f\xff\xff\xff\xff\xff\xff\xff" + oid
    else:
        data = tlv(0x30, b"\x06\x82\xff\xff" + b"\x81" * 0xFFFF + tlv(0xA0, b""))
    start = time.perf_counter()
    result = verify_cms(data, sm2.verifier(), limits=CmsLimits())
    assert time.perf_counter() - start < 2
    assert codes(result) == {R.MALFORMED}


def test_size_limit(sm2) -> None:  # type: ignore[no-untyped-def]
    result = verify_cms(sm2_signed_data(sm2), sm2.verifier(), limits=CmsLimits(max_bytes=100))
    assert codes(result) == {R.MALFORMED}


def test_validity_window_of_the_signature_time(sm2) -> None:  # type: ignore[no-untyped-def]
    """signingTime is the signer's claim: validation uses ``at``, never the claimed time."""
    data = sm2_signed_data(sm2, signing_time=REF_TIME - 10 * YEAR)
    result = verify_cms(data, sm2.verifier(), at=REF_TIME - DAY)
    assert result.accepted and result.signers[0].signing_time == REF_TIME - 10 * YEAR
