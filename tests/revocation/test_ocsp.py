"""OCSP responses (RFC 6960 §4.2): :func:`parse_response` and :func:`check_response`.

Responses are built by :func:`certmutual.pki.builder.issue_ocsp_response` for the test PKI's
chains (root -> issuing CA -> leaf); by default the issuing CA answers about the leaf, an hour
before :data:`REF_TIME`, fresh for a day.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
from typing import Any

import pytest
from asn1crypto import keys
from asn1crypto import ocsp as asn1_ocsp
from hypothesis import given

from certmutual import Policy
from certmutual.asn1.oids import EKU_OID
from certmutual.errors import MalformedInput
from certmutual.pki.builder import KeyKind, RawExtension, issue_ocsp_response
from certmutual.pki.certificate import Certificate
from certmutual.pki.ocsp import (
    MAX_AGE_WITHOUT_NEXT_UPDATE, CertStatus, OcspOutcome, OcspProblem, OcspStatus, ResponderId, ResponseStatus,
    check_response,
    parse_response,
)
from certmutual.pki.signatures import SignatureCache
from tests.fuzz.mutations import mutants
from tests.fuzz.seeds import fuzz_settings
from tests.pki_factory import (
    CHAIN_KINDS, DAY, HOUR, REF_TIME, Sha1Signer, TestChain, ca_name, get_key, issue, make_chain, rsa_key,
)

KINDS = pytest.mark.parametrize("kind", CHAIN_KINDS, ids=lambda k: k.value)
SM2_RSA = pytest.mark.parametrize("kind", [KeyKind.SM2, KeyKind.RSA2048], ids=lambda k: k.value)


@functools.cache
def chain(kind: KeyKind) -> TestChain:
    return make_chain(kind)


def responder(kind: KeyKind, **overrides: Any) -> Certificate:
    """A delegated OCSP responder certificate from the chain's issuing CA (valid at REF_TIME)."""
    c = chain(kind)
    args: dict[str, Any] = {
        "subject": ca_name(f"Test {kind.value} OCSP Responder"), "subject_key": get_key(kind, "ocsp"),
        "issuer": c.intermediate, "issuer_key": c.intermediate_key, "serial": 0x0C5,
        "not_before": REF_TIME - 30 * DAY, "not_after": REF_TIME + 30 * DAY,
        "key_usage": {"digital_signature"}, "ext_key_usage": [EKU_OID.OCSP_SIGNING],
    }
    args.update(overrides)
    return issue(**args)


def respond(kind: KeyKind, **overrides: Any) -> bytes:
    c = chain(kind)
    args: dict[str, Any] = {
        "cert": c.leaf, "issuer": c.intermediate, "responder_key": c.intermediate_key,
        "this_update": REF_TIME - HOUR, "next_update": REF_TIME + DAY,
    }
    args.update(overrides)
    return issue_ocsp_response(**args)


@functools.cache
def authorised_responder(kind: KeyKind) -> Certificate:
    return responder(kind)


def delegated(kind: KeyKind, cert: Certificate | None = None, **overrides: Any) -> bytes:
    """A response signed by a delegated responder (default: a properly authorised one)."""
    cert = cert if cert is not None else authorised_responder(kind)
    return respond(kind, responder_key=get_key(kind, "ocsp"), responder_cert=cert, include_certs=[cert], **overrides)


def check(kind: KeyKind, data: bytes, *, at: datetime.datetime = REF_TIME, nonce: bytes | None = None,
          policy: Policy | None = None, cert: Certificate | None = None) -> OcspOutcome:
    c = chain(kind)
    return check_response(cert or c.leaf, c.intermediate, parse_response(data), at, policy or Policy(), None, nonce=nonce)


def unusable(outcome: OcspOutcome, problem: OcspProblem) -> None:
    assert (outcome.status, outcome.problem) == (OcspStatus.UNUSABLE, problem), outcome
    assert outcome.detail.startswith(problem.value), outcome.detail


# -- good / revoked / unknown ---------------------------------------------------------------------


@KINDS
def test_issuer_signed_good(kind: KeyKind) -> None:
    outcome = check(kind, respond(kind, produced_at=REF_TIME - HOUR / 2))
    assert outcome.status is OcspStatus.GOOD and outcome.problem is None and outcome.usable
    assert outcome.responder == chain(kind).intermediate and not outcome.delegated
    assert outcome.this_update == REF_TIME - HOUR and outcome.next_update == REF_TIME + DAY
    assert outcome.produced_at == REF_TIME - HOUR / 2 and outcome.response_status is ResponseStatus.SUCCESSFUL


@KINDS
def test_issuer_signed_revoked(kind: KeyKind) -> None:
    outcome = check(kind, respond(kind, status="revoked", revoked_at=REF_TIME - 3 * DAY, reason="key_compromise"))
    assert outcome.status is OcspStatus.REVOKED
    assert outcome.revoked_at == REF_TIME - 3 * DAY and outcome.revocation_reason == "key_compromise"
    assert "key_compromise" in outcome.detail


@KINDS
def test_issuer_signed_unknown(kind: KeyKind) -> None:
    assert check(kind, respond(kind, status="unknown")).status is OcspStatus.UNKNOWN


@KINDS
@pytest.mark.parametrize("status", ["good", "revoked", "unknown"])
def test_delegated_responder(kind: KeyKind, status: str) -> None:
    extra = {"revoked_at": REF_TIME - DAY} if status == "revoked" else {}
    outcome = check(kind, delegated(kind, status=status, **extra))
    assert outcome.status is OcspStatus(status)
    assert outcome.responder == authorised_responder(kind) and outcome.delegated


@SM2_RSA
def test_responder_id_by_name(kind: KeyKind) -> None:
    basic = parse_response(respond(kind, responder_id="name")).basic
    assert basic is not None and basic.responder_id == ResponderId(chain(kind).intermediate.subject_der, None)
    assert check(kind, respond(kind, responder_id="name")).status is OcspStatus.GOOD
    assert check(kind, delegated(kind, responder_id="name")).status is OcspStatus.GOOD


def test_revocation_after_the_validation_time_is_good_then() -> None:
    outcome = check(KeyKind.SM2, respond(KeyKind.SM2, status="revoked", revoked_at=REF_TIME + HOUR,
                                         this_update=REF_TIME - HOUR))
    assert outcome.status is OcspStatus.GOOD and outcome.revoked_at == REF_TIME + HOUR
    assert "revoked later" in outcome.detail


def test_revoked_without_reason() -> None:
    outcome = check(KeyKind.P256, respond(KeyKind.P256, status="revoked", revoked_at=REF_TIME - DAY))
    assert outcome.status is OcspStatus.REVOKED and outcome.revocation_reason is None


# -- who may sign (RFC 6960 §4.2.2.2) --------------------------------------------------------------


@SM2_RSA
@pytest.mark.parametrize("eku", [[], [EKU_OID.SERVER_AUTH], [EKU_OID.ANY]], ids=["none", "serverAuth", "any"])
def test_delegated_responder_without_ocsp_signing(kind: KeyKind, eku: list[str]) -> None:
    cert = responder(kind, ext_key_usage=eku)
    outcome = check(kind, delegated(kind, cert))
    unusable(outcome, OcspProblem.RESPONDER_NOT_AUTHORISED)
    assert "OCSPSigning" in outcome.detail and outcome.responder is None


@SM2_RSA
def test_delegated_responder_signed_by_another_ca(kind: KeyKind) -> None:
    c = chain(kind)  # the root signs it, with the root's name as issuer
    unusable(check(kind, delegated(kind, responder(kind, issuer=c.root, issuer_key=c.root_key))),
             OcspProblem.RESPONDER_NOT_AUTHORISED)


@SM2_RSA
def test_delegated_responder_with_issuer_name_but_another_key(kind: KeyKind) -> None:
    cert = responder(kind, issuer_key=chain(kind).root_key)  # issuer name of the CA, the root's signature
    outcome = check(kind, delegated(kind, cert))
    unusable(outcome, OcspProblem.RESPONDER_NOT_AUTHORISED)
    assert "not signed by the issuer's key" in outcome.detail


@SM2_RSA
@pytest.mark.parametrize("window", ["expired", "not yet valid"])
def test_delegated_responder_outside_its_validity(kind: KeyKind, window: str) -> None:
    times = ({"not_before": REF_TIME - 60 * DAY, "not_after": REF_TIME - DAY} if window == "expired"
             else {"not_before": REF_TIME + HOUR, "not_after": REF_TIME + 60 * DAY})
    outcome = check(kind, delegated(kind, responder(kind, **times)))
    unusable(outcome, OcspProblem.RESPONDER_NOT_AUTHORISED)
    assert "not valid at" in outcome.detail


def test_delegated_responder_key_usage_without_digital_signature() -> None:
    cert = responder(KeyKind.SM2, key_usage={"key_encipherment"})
    unusable(check(KeyKind.SM2, delegated(KeyKind.SM2, cert)), OcspProblem.RESPONDER_NOT_AUTHORISED)


def test_delegated_responder_certificate_not_in_the_response() -> None:
    cert = responder(KeyKind.SM2)
    data = respond(KeyKind.SM2, responder_key=get_key(KeyKind.SM2, "ocsp"), responder_cert=cert)
    outcome = check(KeyKind.SM2, data)
    unusable(outcome, OcspProblem.RESPONDER_NOT_AUTHORISED)
    assert "names neither the issuer" in outcome.detail


def test_the_root_may_not_answer_for_the_issuing_ca_leaf() -> None:
    c = chain(KeyKind.SM2)
    data = respond(KeyKind.SM2, responder_key=c.root_key, responder_cert=c.root, include_certs=[c.root])
    unusable(check(KeyKind.SM2, data), OcspProblem.RESPONDER_NOT_AUTHORISED)


@KINDS
def test_wrong_key(kind: KeyKind) -> None:
    """The ResponderID names the issuer, but another key signed."""
    unusable(check(kind, respond(kind, responder_key=get_key(kind, "stranger"))), OcspProblem.BAD_SIGNATURE)


@KINDS
def test_delegated_responder_cert_with_the_wrong_key(kind: KeyKind) -> None:
    unusable(check(kind, respond(kind, responder_key=get_key(kind, "stranger"), responder_cert=responder(kind),
                                 include_certs=[responder(kind)])), OcspProblem.BAD_SIGNATURE)


@KINDS
def test_tampered_tbs(kind: KeyKind) -> None:
    data = respond(kind, status="revoked", revoked_at=REF_TIME - DAY)
    c = chain(kind)
    # Turn "revoked" into a plausible "good" response: same signature, different producedAt.
    stamp = b"20250601110000Z"
    assert data.count(stamp) == 1 + 1  # producedAt and thisUpdate
    tampered = data.replace(stamp, b"20250601110001Z", 1)
    parsed = parse_response(tampered)
    assert parsed.basic is not None and parsed.basic.produced_at == REF_TIME - HOUR + datetime.timedelta(seconds=1)
    outcome = check_response(c.leaf, c.intermediate, parsed, REF_TIME, Policy(), None)
    unusable(outcome, OcspProblem.BAD_SIGNATURE)


@KINDS
def test_tampered_signature(kind: KeyKind) -> None:
    data = bytearray(respond(kind))
    data[-1] ^= 1
    unusable(check(kind, bytes(data)), OcspProblem.BAD_SIGNATURE)


def test_signature_covers_the_bytes_as_received() -> None:
    """tbsResponseData is what the signature covers, exactly as sent (not a re-encoding)."""
    data = respond(KeyKind.SM2)
    basic = parse_response(data).basic
    assert basic is not None
    assert basic.tbs in data and asn1_ocsp.ResponseData.load(basic.tbs).dump(force=True) == basic.tbs


def test_sha1_responder_signature_is_weak_unless_allowed() -> None:
    data = respond(KeyKind.RSA2048, responder_key=Sha1Signer(chain(KeyKind.RSA2048).intermediate_key))
    unusable(check(KeyKind.RSA2048, data), OcspProblem.UNSUPPORTED_SIGNATURE_ALGORITHM)
    assert check(KeyKind.RSA2048, data, policy=Policy(allow_weak_algorithms=True)).status is OcspStatus.GOOD


def test_sm2_signature_uses_the_policy_user_id() -> None:
    data = respond(KeyKind.SM2)
    unusable(check(KeyKind.SM2, data, policy=Policy(sm2_user_id=b"another id")), OcspProblem.BAD_SIGNATURE)


def test_signature_cache_is_used_and_keeps_outcomes() -> None:
    c = chain(KeyKind.SM2)
    cache = SignatureCache()
    good, bad = parse_response(delegated(KeyKind.SM2)), parse_response(respond(KeyKind.SM2, responder_key=c.root_key))
    for _ in range(2):
        assert check_response(c.leaf, c.intermediate, good, REF_TIME, Policy(), cache).status is OcspStatus.GOOD
        unusable(check_response(c.leaf, c.intermediate, bad, REF_TIME, Policy(), cache), OcspProblem.BAD_SIGNATURE)


def test_delegated_responder_with_a_small_rsa_key() -> None:
    small = rsa_key(1024, "ocsp")
    cert = responder(KeyKind.RSA2048, subject_key=small)
    data = respond(KeyKind.RSA2048, responder_key=small, responder_cert=cert, include_certs=[cert])
    outcome = check(KeyKind.RSA2048, data)
    unusable(outcome, OcspProblem.RESPONDER_NOT_AUTHORISED)
    assert "1024-bit" in outcome.detail
    assert check(KeyKind.RSA2048, data, policy=Policy(min_rsa_bits=1024)).status is OcspStatus.GOOD


def test_revoked_wins_among_several_matching_single_responses() -> None:
    """Selection only: the SingleResponses are swapped in the parsed value (the signature covers the
    original tbsResponseData bytes, which are unchanged)."""
    c = chain(KeyKind.SM2)
    response = parse_response(respond(KeyKind.SM2))
    revoked = parse_response(respond(KeyKind.SM2, status="revoked", revoked_at=REF_TIME - DAY)).basic
    unknown = parse_response(respond(KeyKind.SM2, status="unknown")).basic
    assert response.basic is not None and revoked is not None and unknown is not None
    good_single = response.basic.responses[0]
    for singles, expected in [((good_single, revoked.responses[0]), OcspStatus.REVOKED),
                              ((good_single, unknown.responses[0]), OcspStatus.UNKNOWN)]:
        several = dataclasses.replace(response, basic=dataclasses.replace(response.basic, responses=singles))
        assert check_response(c.leaf, c.intermediate, several, REF_TIME, Policy(), None).status is expected


def test_naive_validation_time_is_utc() -> None:
    c = chain(KeyKind.SM2)
    response = parse_response(respond(KeyKind.SM2))
    assert check_response(c.leaf, c.intermediate, response, REF_TIME.replace(tzinfo=None), Policy(), None).status \
        is OcspStatus.GOOD


# -- times ------------------------------------------------------------------------------------------


@SM2_RSA
def test_stale_response(kind: KeyKind) -> None:
    outcome = check(kind, respond(kind, this_update=REF_TIME - 3 * DAY, next_update=REF_TIME - HOUR))
    unusable(outcome, OcspProblem.EXPIRED)
    assert outcome.next_update == REF_TIME - HOUR and outcome.responder is not None


def test_next_update_at_the_validation_time_is_still_fresh() -> None:
    assert check(KeyKind.SM2, respond(KeyKind.SM2, next_update=REF_TIME)).status is OcspStatus.GOOD


def test_stale_revocation_still_revokes_but_a_stale_hold_does_not() -> None:
    stale = {"this_update": REF_TIME - 3 * DAY, "next_update": REF_TIME - HOUR, "revoked_at": REF_TIME - 4 * DAY}
    assert check(KeyKind.SM2, respond(KeyKind.SM2, status="revoked", **stale)).status is OcspStatus.REVOKED
    held = respond(KeyKind.SM2, status="revoked", reason="certificate_hold", **stale)
    unusable(check(KeyKind.SM2, held), OcspProblem.EXPIRED)
    fresh_hold = respond(KeyKind.SM2, status="revoked", reason="certificate_hold", revoked_at=REF_TIME - DAY)
    assert check(KeyKind.SM2, fresh_hold).status is OcspStatus.REVOKED


@SM2_RSA
def test_a_response_issued_after_the_validation_time_speaks_for_it(kind: KeyKind) -> None:
    """A bid signed last week is judged with today's answer (as AdES validation does)."""
    assert check(kind, respond(kind, this_update=REF_TIME + HOUR, next_update=REF_TIME + DAY)).status is OcspStatus.GOOD
    revoked = respond(kind, status="revoked", revoked_at=REF_TIME - DAY, this_update=REF_TIME + HOUR)
    assert check(kind, revoked).status is OcspStatus.REVOKED
    revoked_later = respond(kind, status="revoked", revoked_at=REF_TIME + HOUR, this_update=REF_TIME + 2 * HOUR)
    assert check(kind, revoked_later).status is OcspStatus.GOOD
    # Even without nextUpdate, and long after: it was issued after the time in question.
    assert check(kind, respond(kind, this_update=REF_TIME + 30 * DAY)).status is OcspStatus.GOOD


def test_without_next_update_within_and_beyond_the_max_age() -> None:
    assert MAX_AGE_WITHOUT_NEXT_UPDATE == datetime.timedelta(days=7)
    recent = respond(KeyKind.SM2, this_update=REF_TIME - DAY, next_update=None)
    outcome = check(KeyKind.SM2, recent)
    assert outcome.status is OcspStatus.GOOD and outcome.next_update is None
    edge = respond(KeyKind.SM2, this_update=REF_TIME - MAX_AGE_WITHOUT_NEXT_UPDATE, next_update=None)
    assert check(KeyKind.SM2, edge).status is OcspStatus.GOOD
    old = respond(KeyKind.SM2, this_update=REF_TIME - MAX_AGE_WITHOUT_NEXT_UPDATE - HOUR, next_update=None)
    unusable(check(KeyKind.SM2, old), OcspProblem.TOO_OLD)


# -- nonce ------------------------------------------------------------------------------------------


@SM2_RSA
def test_nonce(kind: KeyKind) -> None:
    nonce = bytes(range(16))
    answered = respond(kind, nonce=nonce)
    assert parse_response(answered).basic.nonce == nonce  # type: ignore[union-attr]
    assert check(kind, answered, nonce=nonce).status is OcspStatus.GOOD
    assert check(kind, answered).status is OcspStatus.GOOD  # a nonce nobody asked for is harmless
    mismatch = check(kind, answered, nonce=bytes(16))
    unusable(mismatch, OcspProblem.NONCE_MISMATCH)
    assert "differs" in mismatch.detail
    missing = check(kind, respond(kind), nonce=nonce)
    unusable(missing, OcspProblem.NONCE_MISMATCH)
    assert "no nonce" in missing.detail


# -- CertID matching --------------------------------------------------------------------------------


@KINDS
def test_cert_id_for_another_serial(kind: KeyKind) -> None:
    outcome = check(kind, respond(kind, serial=chain(kind).leaf.serial + 1))
    unusable(outcome, OcspProblem.NO_MATCHING_RESPONSE)
    assert chain(kind).leaf.serial_hex in outcome.detail


def test_cert_id_for_another_issuer() -> None:
    """Signed by the issuing CA, but the CertID's hashes are of the root."""
    c = chain(KeyKind.SM2)
    data = respond(KeyKind.SM2, issuer=c.root, responder_cert=c.intermediate)
    unusable(check(KeyKind.SM2, data), OcspProblem.NO_MATCHING_RESPONSE)


def test_a_response_about_another_certificate() -> None:
    c = chain(KeyKind.RSA2048)
    other = c.issue_leaf(serial=0x2002)
    unusable(check(KeyKind.RSA2048, respond(KeyKind.RSA2048), cert=other), OcspProblem.NO_MATCHING_RESPONSE)
    assert check(KeyKind.RSA2048, respond(KeyKind.RSA2048, cert=other), cert=other).status is OcspStatus.GOOD


@KINDS
@pytest.mark.parametrize("hash_name", ["sha1", "sha256", "sm3"])
def test_cert_id_hash_algorithms(kind: KeyKind, hash_name: str) -> None:
    data = respond(kind, hash_algorithm=hash_name, status="revoked", revoked_at=REF_TIME - DAY)
    (single,) = parse_response(data).basic.responses  # type: ignore[union-attr]
    assert single.cert_id.hash_algorithm == {"sha1": "1.3.14.3.2.26", "sha256": "2.16.840.1.101.3.4.2.1",
                                             "sm3": "1.2.156.10197.1.401"}[hash_name]
    assert len(single.cert_id.issuer_name_hash) == (20 if hash_name == "sha1" else 32)
    assert check(kind, data).status is OcspStatus.REVOKED


def test_cert_id_with_an_unknown_hash_matches_nothing() -> None:
    c = chain(KeyKind.SM2)
    data = respond(KeyKind.SM2)
    response = parse_response(data)
    assert response.basic is not None
    (single,) = response.basic.responses
    md5 = dataclasses.replace(single, cert_id=dataclasses.replace(single.cert_id, hash_algorithm="1.2.840.113549.2.5"))
    forged = dataclasses.replace(response, basic=dataclasses.replace(response.basic, responses=(md5,)))
    unusable(check_response(c.leaf, c.intermediate, forged, REF_TIME, Policy(), None), OcspProblem.NO_MATCHING_RESPONSE)


# -- extensions -------------------------------------------------------------------------------------

UNKNOWN_OID = "1.3.6.1.4.1.55555.1"


def test_unknown_critical_response_extension() -> None:
    data = respond(KeyKind.SM2, response_extensions=[RawExtension(UNKNOWN_OID, True, b"\x05\x00")])
    assert parse_response(data).basic.unknown_critical_extensions == (UNKNOWN_OID,)  # type: ignore[union-attr]
    unusable(check(KeyKind.SM2, data), OcspProblem.UNKNOWN_CRITICAL_EXTENSION)
    harmless = respond(KeyKind.SM2, response_extensions=[RawExtension(UNKNOWN_OID, False, b"\x05\x00")])
    assert check(KeyKind.SM2, harmless).status is OcspStatus.GOOD


def test_unknown_critical_single_extension() -> None:
    data = respond(KeyKind.RSA2048, status="revoked", revoked_at=REF_TIME - DAY,
                   single_extensions=[RawExtension(UNKNOWN_OID, True, b"\x05\x00")])
    (single,) = parse_response(data).basic.responses  # type: ignore[union-attr]
    assert single.unknown_critical_extensions == (UNKNOWN_OID,)
    unusable(check(KeyKind.RSA2048, data), OcspProblem.UNKNOWN_CRITICAL_EXTENSION)
    # certificateIssuer (indirect responses) is not processed either.
    indirect = respond(KeyKind.RSA2048, single_extensions=[RawExtension("2.5.29.29", True, b"\x30\x00")])
    unusable(check(KeyKind.RSA2048, indirect), OcspProblem.UNKNOWN_CRITICAL_EXTENSION)
    archive = respond(KeyKind.RSA2048, single_extensions=[
        RawExtension("1.3.6.1.5.5.7.48.1.6", True, b"\x18\x0f20200101000000Z")])
    assert check(KeyKind.RSA2048, archive).status is OcspStatus.GOOD


# -- response status and shape ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["malformed_request", "internal_error", "try_later", "sign_required", "unauthorized"])
def test_non_successful_status(status: str) -> None:
    data = respond(KeyKind.SM2, response_status=status)
    parsed = parse_response(data)
    assert parsed.status is ResponseStatus(status) and parsed.basic is None
    outcome = check(KeyKind.SM2, data)
    unusable(outcome, OcspProblem.NOT_SUCCESSFUL)
    assert outcome.response_status is ResponseStatus(status) and status in outcome.detail


def test_unsupported_response_type() -> None:
    response = asn1_ocsp.OCSPResponse({"response_status": "successful", "response_bytes": {
        "response_type": "1.3.6.1.4.1.55555.2", "response": b"\x05\x00"}})
    parsed = parse_response(response.dump())
    assert parsed.response_type == "1.3.6.1.4.1.55555.2" and parsed.basic is None
    unusable(check_response(chain(KeyKind.SM2).leaf, chain(KeyKind.SM2).intermediate, parsed, REF_TIME, Policy(), None),
             OcspProblem.UNSUPPORTED_RESPONSE_TYPE)


def test_parse_reads_every_field() -> None:
    cert = authorised_responder(KeyKind.SM2)
    data = delegated(KeyKind.SM2, status="revoked", revoked_at=REF_TIME - DAY, reason="superseded", nonce=b"n0nce",
                     produced_at=REF_TIME - HOUR / 2)
    parsed = parse_response(data)
    basic = parsed.basic
    assert basic is not None and parsed.der == data
    assert basic.responder_id.name_der is None and basic.responder_id.key_hash == hashlib.sha1(
        keys.PublicKeyInfo.load(cert.spki)["public_key"].contents[1:]).digest()
    assert basic.certs == (cert,) and basic.nonce == b"n0nce" and basic.produced_at == REF_TIME - HOUR / 2
    assert basic.signature_algorithm == "1.2.156.10197.1.501" and basic.signature_parameters is None
    (single,) = basic.responses
    assert single.status is CertStatus.REVOKED and single.revocation_reason == "superseded"
    assert single.cert_id.serial == chain(KeyKind.SM2).leaf.serial
    assert (single.this_update, single.next_update) == (REF_TIME - HOUR, REF_TIME + DAY)


# -- malformed input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x30\x00", b"\x30\x03\x0a\x01\x07", b"garbage" * 10,
                                  bytes.fromhex("3003 0a0100"), bytes.fromhex("3005 0a0101 a000"),
                                  bytes.fromhex("3003 0a0101") + b"\x00"],
                         ids=["empty", "zero", "empty-seq", "status-7", "text", "successful-without-bytes",
                              "refusal-with-bytes", "trailing"])
def test_garbage_is_malformed(data: bytes) -> None:
    with pytest.raises(MalformedInput):
        parse_response(data)


@pytest.mark.parametrize("kind", [KeyKind.SM2, KeyKind.RSA2048], ids=lambda k: k.value)
def test_every_truncation_is_malformed(kind: KeyKind) -> None:
    data = delegated(kind, nonce=b"12345678")
    for cut in range(len(data)):
        with pytest.raises(MalformedInput):
            parse_response(data[:cut])
    with pytest.raises(MalformedInput):
        parse_response(data + b"\x00")


def test_a_bad_embedded_certificate_is_malformed() -> None:
    cert = responder(KeyKind.SM2)
    data = delegated(KeyKind.SM2, cert)
    version = bytes.fromhex("a00302010 2".replace(" ", ""))
    assert cert.der[8:13] == version
    broken = cert.der[:8] + bytes.fromhex("a003020107") + cert.der[13:]  # "version 8"
    with pytest.raises(MalformedInput):
        parse_response(data.replace(cert.der, broken))


_SEEDS = (
    delegated(KeyKind.SM2, status="revoked", revoked_at=REF_TIME - DAY, reason="key_compromise", nonce=b"abcdefgh",
              single_extensions=[RawExtension(UNKNOWN_OID, False, b"\x05\x00")]),
    respond(KeyKind.RSA2048, status="unknown", next_update=None, hash_algorithm="sm3", responder_id="name"),
    respond(KeyKind.SM2, response_status="try_later"),
)


@fuzz_settings(400)
@given(data=mutants(_SEEDS))
def test_mutated_responses_raise_only_malformed_input(data: bytes) -> None:
    try:
        parsed = parse_response(data)
    except MalformedInput:
        return
    c = chain(KeyKind.SM2)
    outcome = check_response(c.leaf, c.intermediate, parsed, REF_TIME, Policy(), None, nonce=b"abcdefgh")
    assert isinstance(outcome, OcspOutcome)
