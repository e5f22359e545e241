"""Revocation from caller-supplied CRLs (certmutual.pki.revocation, certmutual.pki.crl).

Codes: ``revoked`` (INVALID), ``revocation_unknown`` and ``crl_expired`` (INDETERMINATE, or warnings
when the policy does not require revocation). Revocation is point-in-time: an entry whose revocation
date is after the validation time does not count.
"""

from __future__ import annotations

import pytest

from certmutual import Policy, ReasonCode, Status
from certmutual.pki.builder import KeyKind, issue_crl
from certmutual.pki.crl import CertificateList
from tests.pki_factory import (
    CHAIN_KINDS, DAY, HOUR, REF_TIME, ca_name, corrupt_signature, expect, get_key, make_chain, warning_codes,
)

R = ReasonCode
REQUIRE = Policy(require_revocation=True)
kinds = pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)


@kinds
def test_fresh_crls_for_every_certificate_give_ok(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify(policy=REQUIRE, crls=chain.full_crls())
    expect(result, R.OK)
    assert result.warnings == ()


# -- revoked -------------------------------------------------------------------------------------


@kinds
@pytest.mark.parametrize("policy", [Policy(), REQUIRE], ids=["default", "require_revocation"])
def test_revoked_leaf(kind: KeyKind, policy: Policy) -> None:
    chain = make_chain(kind)
    result = chain.verify(policy=policy, crls=chain.full_crls(revoked_leaf_at=REF_TIME - 2 * HOUR))
    expect(result, R.REVOKED, status=Status.INVALID)
    assert result.reasons[0].concerns == chain.leaf.subject_text


@kinds
def test_revoked_intermediate(kind: KeyKind) -> None:
    chain = make_chain(kind)
    root_crl = chain.crl("root", revoked=[(chain.intermediate.serial, REF_TIME - DAY)])
    result = chain.verify(policy=REQUIRE, crls=[chain.crl(), root_crl])
    expect(result, R.REVOKED)
    assert result.reasons[0].concerns == chain.intermediate.subject_text


@kinds
def test_revoked_via_crls_given_to_the_verifier(kind: KeyKind) -> None:
    chain = make_chain(kind)
    verifier = chain.verifier(crls=chain.full_crls(revoked_leaf_at=REF_TIME - DAY))
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME), R.REVOKED)


@kinds
def test_revoked_exactly_at_validation_time(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expect(chain.verify(crls=chain.full_crls(revoked_leaf_at=REF_TIME)), R.REVOKED)


@kinds
@pytest.mark.parametrize("policy", [Policy(), REQUIRE], ids=["default", "require_revocation"])
def test_revocation_after_validation_time_does_not_count(kind: KeyKind, policy: Policy) -> None:
    """Point in time: the CRL (fresh at REF_TIME) lists a revocation dated after REF_TIME."""
    chain = make_chain(kind)
    result = chain.verify(policy=policy, crls=chain.full_crls(revoked_leaf_at=REF_TIME + DAY))
    expect(result, R.OK)


@kinds
def test_validation_in_the_past_with_a_later_crl_is_not_revoked(kind: KeyKind) -> None:
    """Validating at REF_TIME with a CRL issued later that revokes the leaf after REF_TIME: the
    certificate was not revoked then (the later CRL speaks for REF_TIME: good)."""
    chain = make_chain(kind)
    later = chain.crl(this_update=REF_TIME + 10 * DAY, next_update=REF_TIME + 17 * DAY,
                      revoked=[(chain.leaf.serial, REF_TIME + 5 * DAY)])
    result = chain.verify(crls=[later])
    expect(result, R.OK)
    assert R.REVOKED not in warning_codes(result)
    # The same CRL at a time after the revocation does revoke.
    expect(chain.verify(crls=[later], at=REF_TIME + 11 * DAY), R.REVOKED)


@kinds
def test_revoked_other_serial_does_not_affect_leaf(kind: KeyKind) -> None:
    chain = make_chain(kind)
    crl = chain.crl(revoked=[(chain.leaf.serial + 1, REF_TIME - DAY), (chain.intermediate.serial, REF_TIME - DAY)])
    expect(chain.verify(policy=REQUIRE, crls=[crl, chain.crl("root")]), R.OK)


def test_crl_of_a_same_name_other_ca_does_not_revoke() -> None:
    """A CRL naming the same issuer but signed by another key is unusable, so cannot revoke."""
    chain = make_chain(KeyKind.SM2)
    forged = chain.crl(revoked=[(chain.leaf.serial, REF_TIME - DAY)], issuer_key=get_key(KeyKind.SM2, "forger"))
    result = chain.verify(crls=[forged])
    expect(result, R.OK)
    assert R.REVOCATION_UNKNOWN in warning_codes(result)


@kinds
def test_stale_crl_still_proves_an_earlier_revocation(kind: KeyKind) -> None:
    chain = make_chain(kind)
    stale = chain.crl(this_update=REF_TIME - 10 * DAY, next_update=REF_TIME - 3 * DAY,
                      revoked=[(chain.leaf.serial, REF_TIME - 20 * DAY)])
    expect(chain.verify(policy=REQUIRE, crls=[stale, chain.crl("root")]), R.REVOKED)


@kinds
def test_newer_crl_revoking_wins_whatever_the_order(kind: KeyKind) -> None:
    """Regression: _status() once returned "good" from the first fresh CRL in scope, so an older
    CRL listed first (e.g. configured on the Verifier) masked a newer one that revokes."""
    chain = make_chain(kind)
    older = chain.crl(this_update=REF_TIME - 3 * DAY, number=1)
    newer = chain.crl(this_update=REF_TIME - DAY, number=2, revoked=[(chain.leaf.serial, REF_TIME - 2 * DAY)])
    expect(chain.verify(crls=[newer, older]), R.REVOKED)  # passes
    # Verifier-level CRLs come before per-call ones: a CRL configured at start-up masks a newer one.
    verifier = chain.verifier(crls=[older])
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME, crls=[newer]), R.REVOKED)


# -- revocation_unknown ----------------------------------------------------------------------------


@kinds
def test_revocation_unknown_without_any_crl(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify(policy=REQUIRE)
    expect(result, R.REVOCATION_UNKNOWN, R.REVOCATION_UNKNOWN, status=Status.INDETERMINATE)
    assert {r.concerns for r in result.reasons} == {chain.leaf.subject_text, chain.intermediate.subject_text}


@kinds
def test_revocation_unknown_only_for_the_certificate_lacking_a_crl(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify(policy=REQUIRE, crls=[chain.crl("root")])
    expect(result, R.REVOCATION_UNKNOWN, status=Status.INDETERMINATE)
    assert result.reasons[0].concerns == chain.leaf.subject_text


@kinds
def test_missing_crls_are_warnings_by_default(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify()
    expect(result, R.OK)
    assert [r.code for r in result.warnings] == [R.REVOCATION_UNKNOWN, R.REVOCATION_UNKNOWN]


@kinds
def test_revocation_unknown_crl_signed_by_wrong_key(kind: KeyKind) -> None:
    chain = make_chain(kind)
    wrong = chain.crl(issuer_key=get_key(kind, "stranger"))
    result = chain.verify(policy=REQUIRE, crls=[wrong, chain.crl("root")])
    expect(result, R.REVOCATION_UNKNOWN, status=Status.INDETERMINATE)
    assert "verify" in result.reasons[0].message


@kinds
def test_revocation_unknown_crl_with_corrupted_signature(kind: KeyKind) -> None:
    chain = make_chain(kind)
    corrupted = CertificateList(corrupt_signature(chain.crl().der))
    expect(chain.verify(policy=REQUIRE, crls=[corrupted, chain.crl("root")]), R.REVOCATION_UNKNOWN)


@kinds
def test_revocation_unknown_crl_issuer_lacks_crl_sign(kind: KeyKind) -> None:
    chain = make_chain(kind, intermediate_overrides={"key_usage": {"key_cert_sign"}})
    result = chain.verify(policy=REQUIRE, crls=chain.full_crls())
    expect(result, R.REVOCATION_UNKNOWN, status=Status.INDETERMINATE)
    assert "cRLSign" in result.reasons[0].message
    # ... and such a CRL cannot revoke either.
    expect(chain.verify(crls=chain.full_crls(revoked_leaf_at=REF_TIME - DAY)), R.OK)


@kinds
def test_a_crl_issued_after_the_validation_time_speaks_for_it(kind: KeyKind) -> None:
    """A bid signed last week is judged with today's CRL (as AdES validation does)."""
    chain = make_chain(kind)
    future = chain.crl(this_update=REF_TIME + HOUR, next_update=REF_TIME + 7 * DAY)
    expect(chain.verify(policy=REQUIRE, crls=[future, chain.crl("root")]), R.OK)
    long_after = chain.crl(this_update=REF_TIME + 300 * DAY, next_update=REF_TIME + 307 * DAY)
    expect(chain.verify(policy=REQUIRE, crls=[long_after, chain.crl("root")]), R.OK)


def test_crl_of_another_issuer_is_out_of_scope() -> None:
    chain = make_chain(KeyKind.SM2)
    other = make_chain(KeyKind.SM2, key_label="other", intermediate_overrides={"subject": ca_name("Other Issuing CA")})
    result = chain.verify(policy=REQUIRE, crls=[other.crl(revoked=[(chain.leaf.serial, REF_TIME - DAY)]), chain.crl("root")])
    expect(result, R.REVOCATION_UNKNOWN)
    assert result.reasons[0].message == "no CRL in scope was supplied"


# -- crl_expired ---------------------------------------------------------------------------------


@kinds
def test_crl_expired_with_require_revocation(kind: KeyKind) -> None:
    chain = make_chain(kind)
    stale = chain.crl(this_update=REF_TIME - 8 * DAY, next_update=REF_TIME - HOUR)
    result = chain.verify(policy=REQUIRE, crls=[stale, chain.crl("root")])
    expect(result, R.CRL_EXPIRED, status=Status.INDETERMINATE)
    assert result.reasons[0].concerns == chain.leaf.subject_text


@kinds
def test_crl_expired_is_a_warning_by_default(kind: KeyKind) -> None:
    chain = make_chain(kind)
    stale = chain.crl(this_update=REF_TIME - 8 * DAY, next_update=REF_TIME - HOUR)
    result = chain.verify(crls=[stale, chain.crl("root")])
    expect(result, R.OK)
    assert warning_codes(result) == {R.CRL_EXPIRED}


def test_crl_without_next_update_counts_as_stale() -> None:
    chain = make_chain(KeyKind.SM2)
    no_next = issue_crl(issuer=chain.intermediate, issuer_key=chain.intermediate_key, this_update=REF_TIME - DAY,
                        next_update=None)
    assert no_next.next_update is None
    expect(chain.verify(policy=REQUIRE, crls=[no_next, chain.crl("root")]), R.CRL_EXPIRED)


def test_stale_crl_next_to_a_fresh_one_is_fine() -> None:
    chain = make_chain(KeyKind.SM2)
    stale = chain.crl(this_update=REF_TIME - 8 * DAY, next_update=REF_TIME - HOUR)
    expect(chain.verify(policy=REQUIRE, crls=[stale, *chain.full_crls()]), R.OK)
