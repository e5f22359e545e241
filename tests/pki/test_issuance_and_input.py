"""Input, algorithm and issuance-rule reasons: malformed, unsupported_algorithm, weak_algorithm,
aki_ski_mismatch, invalid_serial_number, invalid_extension, invalid_name.

Issuance-rule breaches (certmutual.pki.issuance_rules) are warnings by default and reasons under
``Policy(strict_issuance=True)``; a few security-relevant ones are always enforced.
"""

from __future__ import annotations

from typing import Any

import pytest
from asn1crypto import core

from certmutual import Policy, ReasonCode, Status, Verifier
from certmutual.asn1.oids import EXT_OID
from certmutual.errors import MalformedInput
from certmutual.pki.builder import KeyKind, RawExtension
from certmutual.pki.certificate import Certificate
from tests.pki_factory import (
    CHAIN_KINDS, DAY, REF_TIME, PublicOnlyKey, Sha1Signer, expect, get_key, issue, make_chain, resign, rsa_key, spki_with_key_bits,
    warning_codes,
)

R = ReasonCode
STRICT = Policy(strict_issuance=True)
kinds = pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)
non_sm2_kinds = pytest.mark.parametrize("kind", [KeyKind.RSA2048, KeyKind.P256], ids=lambda k: k.value)


# -- aki_ski_mismatch --------------------------------------------------------------------------------


@kinds
@pytest.mark.parametrize("position", ["leaf", "intermediate"])
def test_aki_ski_mismatch_under_strict_issuance(kind: KeyKind, position: str) -> None:
    chain = make_chain(kind, **{f"{position}_overrides": {"issuer_key_id": b"\x01" * 20}})
    result = chain.verify(policy=STRICT)
    expect(result, R.AKI_SKI_MISMATCH, status=Status.INVALID)
    assert result.reasons[0].concerns == getattr(chain, position).subject_text
    # AKI is only a hint for path building: without strict issuance the path is fine.
    expect(chain.verify(), R.OK)


@kinds
def test_self_signed_root_whose_aki_is_not_its_ski(kind: KeyKind) -> None:
    chain = make_chain(kind, root_overrides={"issuer_key_id": b"\x02" * 20})
    expect(chain.verify(policy=STRICT), R.AKI_SKI_MISMATCH)
    result = chain.verify()
    expect(result, R.OK)
    assert R.AKI_SKI_MISMATCH in warning_codes(result)


# -- malformed -------------------------------------------------------------------------------------


def _malformed_variants(der: bytes) -> dict[str, bytes]:
    return {
        "empty": b"",
        "garbage": b"this is not a certificate at all",
        "random-binary": bytes(range(256)),
        "truncated": der[:-10],
        "truncated-header": der[:3],
        "trailing-bytes": der + b"\x00",
        "trailing-certificate": der + der,
        "wrong-outer-tag": b"\x31" + der[1:],
        "indefinite-length": b"\x30\x80" + der[4:] + b"\x00\x00",
        "pem-not-der": b"-----BEGIN CERTIFICATE-----\n" + der[:30].hex().encode() + b"\n-----END CERTIFICATE-----\n",
    }


@kinds
@pytest.mark.parametrize("variant", sorted(_malformed_variants(b"\x30\x82\x00\x00" + b"\x00" * 20)))
def test_malformed_leaf(kind: KeyKind, variant: str) -> None:
    chain = make_chain(kind)
    data = _malformed_variants(chain.leaf.der)[variant]
    result = chain.verify(data)
    expect(result, R.MALFORMED, status=Status.INVALID)
    assert result.chain == ()
    with pytest.raises(MalformedInput):
        Certificate(data)


@kinds
def test_malformed_untrusted_intermediate(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expect(chain.verify(intermediates=[], untrusted=[chain.intermediate.der[:-1]]), R.MALFORMED)


def test_malformed_signature_algorithm_mismatch() -> None:
    """tbsCertificate.signature must equal signatureAlgorithm (RFC 5280 §4.1.1.2)."""
    from asn1crypto import x509

    chain = make_chain(KeyKind.P256)
    parsed = x509.Certificate.load(chain.leaf.der)
    outer = x509.Certificate({
        "tbs_certificate": x509.TbsCertificate.load(chain.leaf.tbs),
        "signature_algorithm": {"algorithm": "sha384_ecdsa"},
        "signature_value": parsed["signature_value"].native,
    })
    expect(chain.verify(outer.dump()), R.MALFORMED)


def test_malformed_anchor_is_misuse() -> None:
    chain = make_chain(KeyKind.SM2)
    with pytest.raises(MalformedInput):
        Verifier([chain.root.der[:-3]])


NOT_ON_CURVE = b"\x04" + b"\x01" * 64


@kinds
def test_malformed_rsa_subject_public_key(kind: KeyKind) -> None:
    """An rsaEncryption SPKI whose RSAPublicKey is not a SEQUENCE of two INTEGERs."""
    bad = spki_with_key_bits(rsa_key(2048).spki, b"\x04\x03abc")
    chain = make_chain(kind)
    expect(chain.verify(chain.issue_leaf(subject_key=PublicOnlyKey(bad))), R.MALFORMED)


@pytest.mark.parametrize("curve_kind", [KeyKind.P256, KeyKind.SM2], ids=lambda k: k.value)
@kinds
def test_malformed_ec_subject_public_key(kind: KeyKind, curve_kind: KeyKind) -> None:
    """A P-256 / SM2 SPKI whose point is not on the curve: the leaf parses but its key cannot load.

    Regression: check_key_strength() once read only the RSA modulus size, so such a leaf was accepted."""
    bad = spki_with_key_bits(get_key(curve_kind).spki, NOT_ON_CURVE)
    chain = make_chain(kind)
    expect(chain.verify(chain.issue_leaf(subject_key=PublicOnlyKey(bad))), R.MALFORMED)


def test_malformed_ec_key_of_an_issuer_is_reported() -> None:
    """The same broken key in an intermediate: its signature on the leaf cannot be checked."""
    chain = make_chain(KeyKind.P256)
    bad = spki_with_key_bits(get_key(KeyKind.P256).spki, NOT_ON_CURVE)
    bad_intermediate = issue(subject=chain.intermediate.subject, subject_key=PublicOnlyKey(bad), issuer=chain.root,
                             issuer_key=chain.root_key, ca=True)
    expect(chain.verify(intermediates=[bad_intermediate]), R.MALFORMED)


# -- unsupported_algorithm / weak_algorithm ---------------------------------------------------------

UNKNOWN_SIGNATURE_OID = "1.3.6.1.4.1.55555.2.1"


@kinds
def test_unsupported_signature_algorithm_oid(kind: KeyKind) -> None:
    chain = make_chain(kind)
    data = resign(chain.leaf, chain.intermediate_key, signature_oid=UNKNOWN_SIGNATURE_OID)
    result = chain.verify(data)
    expect(result, R.UNSUPPORTED_ALGORITHM, status=Status.INVALID)
    assert UNKNOWN_SIGNATURE_OID in result.reasons[0].message
    # Control: the same re-signing with the real algorithm is accepted.
    expect(chain.verify(resign(chain.leaf, chain.intermediate_key)), R.OK)


def test_unsupported_algorithm_parameters() -> None:
    """ECDSA takes no parameters (RFC 5758): an explicit NULL fails closed."""
    chain = make_chain(KeyKind.P256)
    data = resign(chain.leaf, chain.intermediate_key, algorithm={"algorithm": "sha256_ecdsa", "parameters": core.Null()})
    expect(chain.verify(data), R.UNSUPPORTED_ALGORITHM)


@kinds
def test_weak_rsa_1024_leaf_key(kind: KeyKind) -> None:
    chain = make_chain(kind, leaf_overrides={"subject_key": rsa_key(1024)})
    result = chain.verify()
    expect(result, R.WEAK_ALGORITHM, status=Status.INVALID)
    assert result.reasons[0].concerns == chain.leaf.subject_text
    expect(chain.verify(policy=Policy(min_rsa_bits=1024)), R.OK)


def test_weak_rsa_1024_intermediate_key() -> None:
    chain = make_chain(KeyKind.RSA2048, intermediate_overrides={"subject_key": rsa_key(1024)})
    result = chain.verify()
    expect(result, R.WEAK_ALGORITHM)
    assert result.reasons[0].concerns == chain.intermediate.subject_text


@non_sm2_kinds
def test_weak_sha1_signature_on_leaf(kind: KeyKind) -> None:
    chain = make_chain(kind)
    leaf = chain.issue_leaf(issuer_key=Sha1Signer(chain.intermediate_key))
    expect(chain.verify(leaf), R.WEAK_ALGORITHM, status=Status.INVALID)
    expect(chain.verify(leaf, policy=Policy(allow_weak_algorithms=True)), R.OK)


@non_sm2_kinds
def test_weak_sha1_signature_on_intermediate(kind: KeyKind) -> None:
    chain = make_chain(kind, intermediate_overrides={"issuer_key": Sha1Signer(get_key(kind, "default/root"))})
    result = chain.verify()
    expect(result, R.WEAK_ALGORITHM)
    expect(chain.verify(policy=Policy(allow_weak_algorithms=True)), R.OK)


@non_sm2_kinds
def test_sha1_signed_crl_cannot_revoke_by_default(kind: KeyKind) -> None:
    chain = make_chain(kind)
    crl = chain.crl(issuer_key=Sha1Signer(chain.intermediate_key), revoked=[(chain.leaf.serial, REF_TIME - DAY)])
    result = chain.verify(crls=[crl])
    expect(result, R.OK)
    assert R.REVOCATION_UNKNOWN in warning_codes(result)
    expect(chain.verify(crls=[crl], policy=Policy(allow_weak_algorithms=True)), R.REVOKED)


# -- issuance rules: warnings by default, reasons when strict ----------------------------------------

BC_CA_NOT_CRITICAL = RawExtension(EXT_OID.BASIC_CONSTRAINTS, False, b"\x30\x06\x01\x01\xff\x02\x01\x00")
AKI_WITHOUT_KEY_ID = RawExtension(EXT_OID.AUTHORITY_KEY_IDENTIFIER, False, b"\x30\x00")

ISSUANCE_BREACHES: dict[str, tuple[str, dict[str, Any], ReasonCode]] = {
    "serial-zero": ("leaf", {"serial": 0}, R.INVALID_SERIAL_NUMBER),
    "serial-negative": ("leaf", {"serial": -4097}, R.INVALID_SERIAL_NUMBER),
    "serial-21-octets": ("leaf", {"serial": 2 ** 159}, R.INVALID_SERIAL_NUMBER),
    "intermediate-serial-zero": ("intermediate", {"serial": 0}, R.INVALID_SERIAL_NUMBER),
    "bc-not-critical-on-ca": ("intermediate", {"extra_extensions": [BC_CA_NOT_CRITICAL]}, R.INVALID_EXTENSION),
    "key-cert-sign-on-leaf": ("leaf", {"key_usage": {"digital_signature", "key_cert_sign"}}, R.INVALID_EXTENSION),
    "aki-without-key-id": ("leaf", {"extra_extensions": [AKI_WITHOUT_KEY_ID]}, R.INVALID_EXTENSION),
    "critical-ski": ("leaf", {"extra_extensions": [RawExtension(EXT_OID.SUBJECT_KEY_IDENTIFIER, True, b"\x04\x02\xab\xcd")]},
                     R.INVALID_EXTENSION),
    "san-bad-dns-name": ("leaf", {"dns_names": ["bad_host!.example.com"]}, R.INVALID_NAME),
    "san-dns-name-trailing-newline": ("leaf", {"dns_names": ["host.example.com\n"]}, R.INVALID_NAME),
}


@kinds
@pytest.mark.parametrize("breach", sorted(ISSUANCE_BREACHES))
def test_issuance_breach_is_a_warning_by_default(kind: KeyKind, breach: str) -> None:
    position, overrides, code = ISSUANCE_BREACHES[breach]
    chain = make_chain(kind, **{f"{position}_overrides": overrides})
    result = chain.verify()
    expect(result, R.OK)
    assert code in warning_codes(result)


@kinds
@pytest.mark.parametrize("breach", sorted(ISSUANCE_BREACHES))
def test_issuance_breach_is_a_reason_under_strict_issuance(kind: KeyKind, breach: str) -> None:
    position, overrides, code = ISSUANCE_BREACHES[breach]
    chain = make_chain(kind, **{f"{position}_overrides": overrides})
    result = chain.verify(policy=STRICT)
    expect(result, code, status=Status.INVALID)
    assert result.reasons[0].concerns == getattr(chain, position).subject_text


@pytest.mark.parametrize(("serial", "ok"), [(1, True), (2 ** 159 - 1, True), (2 ** 159, False)])
def test_serial_number_length_boundary(serial: int, ok: bool) -> None:
    chain = make_chain(KeyKind.SM2, leaf_overrides={"serial": serial})
    expect(chain.verify(policy=STRICT), R.OK if ok else R.INVALID_SERIAL_NUMBER)


def test_trust_anchor_serial_zero_is_not_a_breach() -> None:
    chain = make_chain(KeyKind.SM2, root_overrides={"serial": 0})
    result = chain.verify(policy=STRICT)
    expect(result, R.OK)


@kinds
@pytest.mark.parametrize("policy", [Policy(), STRICT], ids=["default", "strict"])
def test_empty_ext_key_usage_is_always_invalid(kind: KeyKind, policy: Policy) -> None:
    chain = make_chain(kind, leaf_overrides={"extra_extensions": [RawExtension(EXT_OID.EXTENDED_KEY_USAGE, False, b"\x30\x00")]})
    result = chain.verify(policy=policy)
    expect(result, R.INVALID_EXTENSION, status=Status.INVALID)
