"""Path validation, one reason code at a time (RFC 5280 §6.1 checks in certmutual.pki.checks).

Each test starts from the factory chain, which validates at REF_TIME, and breaks exactly one thing,
so the expected outcome is exactly one reason code (plus its status). Revocation, issuance rules,
malformed input, algorithms and name constraints have their own modules.
"""

from __future__ import annotations

import datetime

from pathlib import Path

import pytest

from certmutual import Policy, ReasonCode, Status
from certmutual.asn1.oids import EKU_OID, EXT_OID
from certmutual.pki.builder import KeyKind, RawExtension
from tests.pki_factory import (
    ALL_KINDS, CHAIN_KINDS, CLIENT_AUTH, DAY, REF_TIME, SERVER_AUTH, ca_name, corrupt_signature, expect, get_key, issue,
    leaf_name, make_chain,
)

R = ReasonCode
UNKNOWN_OID = "1.3.6.1.4.1.55555.1.1"
kinds = pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)


# -- ok ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.value)
def test_ok_for_every_key_kind(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify()
    expect(result, R.OK, status=Status.VALID)
    assert [link.sha256 for link in result.chain] == [c.sha256 for c in chain.certificates]
    assert result.at == REF_TIME
    as_dict = result.to_dict()
    assert as_dict["accepted"] is True and as_dict["status"] == "valid"
    assert [r["code"] for r in as_dict["reasons"]] == ["ok"]


@kinds
def test_ok_under_strict_issuance(kind: KeyKind) -> None:
    """The factory's certificates follow RFC 5280's issuance rules: a strict baseline."""
    expect(make_chain(kind).verify(policy=Policy(strict_issuance=True)), R.OK)


@kinds
def test_ok_accepts_der_bytes(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expect(chain.verify(chain.leaf.der), R.OK)


# -- expired / not_yet_valid ---------------------------------------------------------------------


@kinds
@pytest.mark.parametrize("position", ["leaf", "intermediate", "root"])
def test_expired(kind: KeyKind, position: str) -> None:
    overrides = {"not_before": REF_TIME - 400 * DAY, "not_after": REF_TIME - DAY}
    chain = make_chain(kind, **{f"{position}_overrides": overrides})
    result = chain.verify()
    expect(result, R.EXPIRED, status=Status.INVALID)
    assert result.reasons[0].concerns == getattr(chain, position).subject_text


@kinds
def test_expired_anchor_accepted_when_policy_ignores_anchor_validity(kind: KeyKind) -> None:
    chain = make_chain(kind, root_overrides={"not_before": REF_TIME - 400 * DAY, "not_after": REF_TIME - DAY})
    expect(chain.verify(policy=Policy(check_anchor_validity=False)), R.OK)


@kinds
@pytest.mark.parametrize("position", ["leaf", "intermediate", "root"])
def test_not_yet_valid(kind: KeyKind, position: str) -> None:
    overrides = {"not_before": REF_TIME + DAY, "not_after": REF_TIME + 400 * DAY}
    chain = make_chain(kind, **{f"{position}_overrides": overrides})
    result = chain.verify()
    expect(result, R.NOT_YET_VALID, status=Status.INVALID)
    assert result.reasons[0].concerns == getattr(chain, position).subject_text


@pytest.mark.parametrize(("offset", "code"), [
    (datetime.timedelta(0), R.OK),                              # notAfter itself is inside the period
    (datetime.timedelta(microseconds=999_999), R.OK),           # validity is encoded to the second
    (datetime.timedelta(seconds=1), R.EXPIRED),
])
def test_validity_boundary_at_not_after(offset: datetime.timedelta, code: ReasonCode) -> None:
    chain = make_chain(KeyKind.SM2)
    expect(chain.verify(at=chain.leaf.not_after + offset), code)


@pytest.mark.parametrize(("offset", "code"), [
    (datetime.timedelta(0), R.OK),
    (-datetime.timedelta(seconds=1), R.NOT_YET_VALID),
])
def test_validity_boundary_at_not_before(offset: datetime.timedelta, code: ReasonCode) -> None:
    chain = make_chain(KeyKind.SM2)
    expect(chain.verify(at=chain.leaf.not_before + offset), code)


def test_naive_validation_time_is_taken_as_utc() -> None:
    chain = make_chain(KeyKind.SM2)
    expect(chain.verify(at=chain.leaf.not_after.replace(tzinfo=None) + datetime.timedelta(seconds=1)), R.EXPIRED)


# -- bad_signature -------------------------------------------------------------------------------


@kinds
def test_bad_signature_flipped_bit_in_leaf(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify(corrupt_signature(chain.leaf.der))
    expect(result, R.BAD_SIGNATURE, status=Status.INVALID)


@kinds
def test_bad_signature_flipped_bit_in_intermediate(kind: KeyKind) -> None:
    chain = make_chain(kind)
    from certmutual.pki.certificate import Certificate

    broken = Certificate(corrupt_signature(chain.intermediate.der))
    result = chain.verify(intermediates=[broken])
    expect(result, R.BAD_SIGNATURE)
    assert result.reasons[0].concerns == chain.intermediate.subject_text


@kinds
def test_bad_signature_leaf_signed_by_another_key(kind: KeyKind) -> None:
    chain = make_chain(kind, leaf_overrides={"issuer_key": get_key(kind, "stranger")})
    expect(chain.verify(), R.BAD_SIGNATURE)


def test_bad_signature_key_of_another_algorithm() -> None:
    """An SM2 intermediate key cannot have made an RSA leaf signature (and vice versa)."""
    sm2_chain = make_chain(KeyKind.SM2)
    leaf = sm2_chain.issue_leaf(issuer_key=get_key(KeyKind.P256, "stranger"))
    result = sm2_chain.verify(leaf)
    # The ECDSA-with-SHA256 signature is checked with the SM2 key: no key of that type made it.
    expect(result, R.BAD_SIGNATURE)


# -- issuer_not_found / untrusted_root -------------------------------------------------------------


@kinds
def test_issuer_not_found_without_intermediate(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify(intermediates=[])
    expect(result, R.ISSUER_NOT_FOUND, status=Status.INDETERMINATE)
    assert result.reasons[0].concerns == chain.leaf.subject_text
    assert [link.sha256 for link in result.chain] == [chain.leaf.sha256]


@kinds
def test_intermediate_given_per_call_as_untrusted(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expect(chain.verify(intermediates=[], untrusted=[chain.intermediate.der]), R.OK)


@kinds
def test_issuer_not_found_for_intermediate(kind: KeyKind) -> None:
    """The intermediate is found but the root it names is not trusted nor supplied."""
    chain = make_chain(kind)
    other = make_chain(kind, key_label="other-pki", root_overrides={"subject": ca_name("Unrelated Root")})
    result = chain.verify(anchors=[other.root])
    expect(result, R.ISSUER_NOT_FOUND, status=Status.INDETERMINATE)
    assert result.reasons[0].concerns == chain.intermediate.subject_text


@kinds
def test_untrusted_root_self_signed_leaf(kind: KeyKind) -> None:
    chain = make_chain(kind)
    key = get_key(kind, "self-signed")
    self_signed = issue(subject=leaf_name("Self Signed"), subject_key=key, key_usage={"digital_signature"})
    result = chain.verify(self_signed)
    expect(result, R.UNTRUSTED_ROOT, status=Status.INVALID)


@kinds
def test_untrusted_root_supplied_only_as_untrusted(kind: KeyKind) -> None:
    chain = make_chain(kind)
    other = make_chain(kind, key_label="other-pki", root_overrides={"subject": ca_name("Unrelated Root")})
    result = chain.verify(anchors=[other.root], untrusted=[chain.root])
    expect(result, R.UNTRUSTED_ROOT)
    assert result.reasons[0].concerns == chain.root.subject_text


@kinds
def test_same_name_root_with_other_key_is_not_the_anchor(kind: KeyKind) -> None:
    """A root with the trusted root's name but another key does not anchor the path."""
    chain = make_chain(kind)
    impostor = issue(subject=chain.root.subject, subject_key=get_key(kind, "impostor"), ca=True)
    expect(chain.verify(anchors=[impostor]), R.BAD_SIGNATURE)


# -- intermediate_not_ca ---------------------------------------------------------------------------

NOT_CA_VARIANTS = {
    "cA-false": {"ca": False, "path_len": None, "key_usage": {"key_cert_sign", "crl_sign"}},
    "cA-absent": {"key_usage": {"key_cert_sign", "crl_sign"},
                  "extra_extensions": [RawExtension(EXT_OID.BASIC_CONSTRAINTS, True, b"\x30\x00")]},
}


@kinds
@pytest.mark.parametrize("variant", sorted(NOT_CA_VARIANTS))
def test_intermediate_not_ca(kind: KeyKind, variant: str) -> None:
    chain = make_chain(kind, intermediate_overrides=NOT_CA_VARIANTS[variant])
    result = chain.verify()
    expect(result, R.INTERMEDIATE_NOT_CA, status=Status.INVALID)
    assert result.reasons[0].concerns == chain.intermediate.subject_text


@kinds
def test_leaf_used_as_issuer(kind: KeyKind) -> None:
    """An end-entity certificate issuing another: not a CA and no keyCertSign (every reason reported)."""
    chain = make_chain(kind, intermediate_overrides={"path_len": None})
    sub_leaf = issue(subject=leaf_name("Issued By A Leaf"), subject_key=get_key(kind, "sub-leaf"),
                     issuer=chain.leaf, issuer_key=chain.leaf_key)
    result = chain.verify(sub_leaf, untrusted=[chain.leaf])
    expect(result, R.INTERMEDIATE_NOT_CA, R.KEY_USAGE)


# -- path_length_exceeded --------------------------------------------------------------------------


def _four_chain(kind: KeyKind, *, intermediate_path_len: int | None, sub_ca_self_issued: bool = False):
    chain = make_chain(kind, intermediate_overrides={"path_len": intermediate_path_len})
    sub_key = get_key(kind, "sub-ca")
    sub_subject = chain.intermediate.subject if sub_ca_self_issued else ca_name(f"Test {kind.value} Sub CA")
    sub = issue(subject=sub_subject, subject_key=sub_key, issuer=chain.intermediate,
                issuer_key=chain.intermediate_key, ca=True)
    leaf = issue(subject=leaf_name(), subject_key=chain.leaf_key, issuer=sub, issuer_key=sub_key,
                 key_usage={"digital_signature"}, dns_names=["www.example.com"])
    return chain, sub, leaf


@kinds
def test_path_length_exceeded_by_root(kind: KeyKind) -> None:
    chain = make_chain(kind, root_overrides={"path_len": 0})
    result = chain.verify()
    expect(result, R.PATH_LENGTH_EXCEEDED, status=Status.INVALID)
    assert result.reasons[0].concerns == chain.root.subject_text


@kinds
def test_path_length_exceeded_by_intermediate(kind: KeyKind) -> None:
    chain, sub, leaf = _four_chain(kind, intermediate_path_len=0)
    result = chain.verify(leaf, intermediates=[chain.intermediate, sub])
    expect(result, R.PATH_LENGTH_EXCEEDED)
    assert result.reasons[0].concerns == chain.intermediate.subject_text


@kinds
@pytest.mark.parametrize("path_len", [1, None])
def test_path_length_allows_sub_ca(kind: KeyKind, path_len: int | None) -> None:
    chain, sub, leaf = _four_chain(kind, intermediate_path_len=path_len)
    result = chain.verify(leaf, intermediates=[chain.intermediate, sub])
    expect(result, R.OK)
    assert len(result.chain) == 4


def test_self_issued_intermediate_does_not_count_against_path_length() -> None:
    """RFC 5280 §6.1.4 (l): a self-issued (key-rollover) CA below a pathLen 0 CA is allowed."""
    chain, sub, leaf = _four_chain(KeyKind.SM2, intermediate_path_len=0, sub_ca_self_issued=True)
    assert sub.is_self_issued and sub.subject_key == chain.intermediate.subject_key
    result = chain.verify(leaf, intermediates=[chain.intermediate, sub])
    expect(result, R.OK)
    assert [link.sha256 for link in result.chain] == [leaf.sha256, sub.sha256, chain.intermediate.sha256, chain.root.sha256]


@kinds
def test_policy_max_intermediates(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expect(chain.verify(policy=Policy(max_intermediates=0)), R.PATH_LENGTH_EXCEEDED)
    expect(chain.verify(policy=Policy(max_intermediates=1)), R.OK)


# -- key_usage -----------------------------------------------------------------------------------


@kinds
@pytest.mark.parametrize("position", ["intermediate", "root"])
def test_key_usage_issuer_without_key_cert_sign(kind: KeyKind, position: str) -> None:
    chain = make_chain(kind, **{f"{position}_overrides": {"key_usage": {"crl_sign", "digital_signature"}}})
    result = chain.verify()
    expect(result, R.KEY_USAGE, status=Status.INVALID)
    assert result.reasons[0].concerns == getattr(chain, position).subject_text


@kinds
@pytest.mark.parametrize(("leaf_usage", "required", "code"), [
    ({"key_encipherment"}, {"digital_signature"}, R.KEY_USAGE),
    ({"digital_signature"}, {"digital_signature", "non_repudiation"}, R.KEY_USAGE),
    ({"digital_signature", "non_repudiation"}, {"digital_signature", "non_repudiation"}, R.OK),
    ({"key_encipherment"}, set(), R.OK),
])
def test_key_usage_leaf(kind: KeyKind, leaf_usage: set[str], required: set[str], code: ReasonCode) -> None:
    chain = make_chain(kind, leaf_overrides={"key_usage": leaf_usage})
    result = chain.verify(policy=Policy(required_key_usage=frozenset(required)))
    expect(result, code)
    if code is R.KEY_USAGE:
        assert result.reasons[0].concerns == chain.leaf.subject_text


def test_policy_refuses_unknown_key_usage_name() -> None:
    with pytest.raises(ValueError):
        Policy(required_key_usage=frozenset({"digitalSignature"}))


# -- ext_key_usage ---------------------------------------------------------------------------------


@kinds
@pytest.mark.parametrize(("leaf_eku", "code"), [
    ([CLIENT_AUTH], R.EXT_KEY_USAGE),
    (["code_signing", "email_protection"], R.EXT_KEY_USAGE),
    ([SERVER_AUTH], R.OK),
    ([EKU_OID.ANY], R.OK),
])
def test_ext_key_usage_leaf(kind: KeyKind, leaf_eku: list[str], code: ReasonCode) -> None:
    chain = make_chain(kind, leaf_overrides={"ext_key_usage": leaf_eku})
    result = chain.verify(policy=Policy(required_ext_key_usage=frozenset({SERVER_AUTH})))
    expect(result, code)
    if code is R.EXT_KEY_USAGE:
        assert result.reasons[0].concerns == chain.leaf.subject_text


@kinds
def test_ext_key_usage_not_required_by_policy(kind: KeyKind) -> None:
    chain = make_chain(kind, leaf_overrides={"ext_key_usage": [CLIENT_AUTH]},
                       intermediate_overrides={"ext_key_usage": [CLIENT_AUTH]})
    expect(chain.verify(), R.OK)


@kinds
@pytest.mark.parametrize(("ca_eku", "code"), [
    ([CLIENT_AUTH], R.EXT_KEY_USAGE),
    ([SERVER_AUTH], R.OK),
    ([SERVER_AUTH, CLIENT_AUTH], R.OK),
    ([EKU_OID.ANY], R.OK),
])
def test_ext_key_usage_restricted_by_intermediate(kind: KeyKind, ca_eku: list[str], code: ReasonCode) -> None:
    chain = make_chain(kind, intermediate_overrides={"ext_key_usage": ca_eku})
    result = chain.verify(policy=Policy(required_ext_key_usage=frozenset({SERVER_AUTH})))
    expect(result, code)
    if code is R.EXT_KEY_USAGE:
        assert result.reasons[0].concerns == chain.intermediate.subject_text


# -- unsupported_critical_extension ------------------------------------------------------------------


@kinds
@pytest.mark.parametrize("position", ["leaf", "intermediate", "root"])
def test_unsupported_critical_extension(kind: KeyKind, position: str) -> None:
    ext = RawExtension(UNKNOWN_OID, True, b"\x05\x00")
    chain = make_chain(kind, **{f"{position}_overrides": {"extra_extensions": [ext]}})
    result = chain.verify()
    expect(result, R.UNSUPPORTED_CRITICAL_EXTENSION, status=Status.INVALID)
    assert UNKNOWN_OID in result.reasons[0].message
    assert result.reasons[0].concerns == getattr(chain, position).subject_text


@kinds
def test_unknown_non_critical_extension_is_ignored(kind: KeyKind) -> None:
    chain = make_chain(kind, leaf_overrides={"extra_extensions": [RawExtension(UNKNOWN_OID, False, b"\x05\x00")]})
    expect(chain.verify(), R.OK)


def test_critical_extension_the_caller_processes() -> None:
    chain = make_chain(KeyKind.SM2, leaf_overrides={"extra_extensions": [RawExtension(UNKNOWN_OID, True, b"\x05\x00")]})
    expect(chain.verify(policy=Policy(extra_critical_extensions=frozenset({UNKNOWN_OID}))), R.OK)


def test_critical_policy_constraints_are_refused() -> None:
    """Policy processing is not implemented, so a critical policyConstraints fails closed."""
    value = b"\x30\x03\x80\x01\x00"  # PolicyConstraints { requireExplicitPolicy [0] 0 }
    chain = make_chain(KeyKind.SM2, intermediate_overrides={"extra_extensions": [
        RawExtension(EXT_OID.POLICY_CONSTRAINTS, True, value)]})
    expect(chain.verify(), R.UNSUPPORTED_CRITICAL_EXTENSION)


# -- vocabulary tripwire ---------------------------------------------------------------------------

#: Every code, and the tests/pki module that drives the validator to it. A new ReasonCode makes this
#: test fail until a test producing it is added here.
def test_every_reason_code_has_a_test() -> None:
    """Each code of the vocabulary is asserted somewhere in the tests (by enum name or JSON value)."""
    tests = Path(__file__).resolve().parents[1]
    this = Path(__file__).read_text(encoding="utf-8")
    text = "\n".join(path.read_text(encoding="utf-8") for path in tests.rglob("test_*.py")
                     if path.name not in ("test_reason_codes.py", Path(__file__).name))
    text += this[:this.index("def test_every_reason_code_has_a_test")]  # not this test's own mentions
    untested = {code for code in ReasonCode if f".{code.name}" not in text and f'"{code.value}"' not in text}
    assert not untested, f"codes no test asserts: {sorted(code.value for code in untested)}"
    # Status mapping as documented: only the 'could not decide' codes are INDETERMINATE.
    indeterminate = {c for c in ReasonCode if c.status is Status.INDETERMINATE}
    assert indeterminate == {R.ISSUER_NOT_FOUND, R.PATH_BUDGET_EXCEEDED, R.REVOCATION_UNKNOWN, R.CRL_EXPIRED,
                             R.TRUST_LIST_EXPIRED, R.SIGNER_NOT_FOUND, R.CONTENT_MISSING}
