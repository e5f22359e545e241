"""OCSP responses the caller already holds (a PDF's document security store) given to
``Verifier.verify_certificate(ocsp_responses=...)``: judged like fetched ones, for the path the
Verifier builds, together with the CRLs, and only where the policy makes missing data matter."""

from __future__ import annotations

import functools

import pytest

from certmutual import Policy, ReasonCode
from certmutual.pki.builder import KeyKind
from certmutual.results import RevocationStatus
from tests.pki_factory import CHAIN_KINDS, DAY, REF_TIME, TestChain, make_chain

KINDS = pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)
REQUIRED = Policy(require_revocation=True)


@functools.cache
def chain(kind: KeyKind) -> TestChain:
    return make_chain(kind, key_label="supplied-ocsp")


def both_good(c: TestChain) -> tuple[bytes, bytes]:
    return c.ocsp_response(c.leaf), c.ocsp_response(c.intermediate)


@KINDS
def test_good_responses_satisfy_a_policy_that_requires_revocation(kind: KeyKind) -> None:
    c = chain(kind)
    without = c.verifier(policy=REQUIRED).verify_certificate(c.leaf, at=REF_TIME)
    assert not without.accepted and ReasonCode.REVOCATION_UNKNOWN in without.codes
    result = c.verifier(policy=REQUIRED).verify_certificate(c.leaf, at=REF_TIME, ocsp_responses=both_good(c))
    assert result.accepted, result.reasons
    assert [(fact.status, fact.kind) for fact in result.revocation] == [(RevocationStatus.GOOD, "ocsp")] * 2
    assert not result.warnings


@KINDS
def test_a_revoked_response_rejects_whatever_the_policy(kind: KeyKind) -> None:
    c = chain(kind)
    revoked = c.ocsp_response(c.leaf, status="revoked", revoked_at=REF_TIME - 3 * DAY, reason="key_compromise")
    for policy in (Policy(), REQUIRED):
        result = c.verifier(policy=policy).verify_certificate(c.leaf, at=REF_TIME, ocsp_responses=(revoked,))
        assert ReasonCode.REVOKED in result.codes and not result.accepted, result.reasons
    # Before the revocation date the same response says good for that time.
    earlier = c.verifier().verify_certificate(c.leaf, at=REF_TIME - 4 * DAY, ocsp_responses=(revoked,))
    assert ReasonCode.REVOKED not in earlier.codes


def test_responses_about_other_certificates_decide_nothing() -> None:
    c, other = chain(KeyKind.SM2), chain(KeyKind.P256)
    result = c.verifier(policy=REQUIRED).verify_certificate(c.leaf, at=REF_TIME, ocsp_responses=both_good(other))
    assert not result.accepted and ReasonCode.REVOCATION_UNKNOWN in result.codes
    assert all(fact.status is RevocationStatus.UNKNOWN for fact in result.revocation)


def test_unusable_responses_fail_closed_only_where_required() -> None:
    c = chain(KeyKind.RSA2048)
    stale = c.ocsp_response(c.leaf, this_update=REF_TIME - 10 * DAY, next_update=REF_TIME - 9 * DAY)
    for junk in (b"", b"\x30\x03\x02\x01\x00", stale):
        lenient = c.verifier().verify_certificate(c.leaf, at=REF_TIME, ocsp_responses=(junk,))
        assert lenient.accepted and ReasonCode.REVOCATION_UNKNOWN in {w.code for w in lenient.warnings}
        strict = c.verifier(policy=REQUIRED).verify_certificate(c.leaf, at=REF_TIME, ocsp_responses=(junk,))
        assert not strict.accepted and ReasonCode.REVOCATION_UNKNOWN in strict.codes


def test_crls_and_responses_together() -> None:
    """The leaf decided by the issuing CA's CRL, the issuing CA by a response from the root."""
    c = chain(KeyKind.SM2)
    result = c.verifier(policy=REQUIRED, crls=[c.crl("intermediate")]).verify_certificate(
        c.leaf, at=REF_TIME, ocsp_responses=(c.ocsp_response(c.intermediate),))
    assert result.accepted, result.reasons
    assert [fact.kind for fact in result.revocation] == ["crl", "ocsp"]
