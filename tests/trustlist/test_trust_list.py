"""The signed province trust list: tampering, wrong signer and expiry are detected; validation at a
moment uses the vendor status in force at that moment."""

from __future__ import annotations

import datetime

import pytest

from certmutual import Verifier
from certmutual.pki.builder import KeyKind, issue_certificate, name
from certmutual.pki.trustlist import (
    Service, StatusPeriod, TrustListError, VendorStatus, canonical_bytes, load_trust_list, verify_trust_list,
)
from certmutual.results import ReasonCode, Status
from tests.pki_factory import DAY, REF_TIME, YEAR, get_key
from tests.trustlist.trustlist_factory import (
    NOW, RSA_CHAIN, SM2_CHAIN, authority, edited, signed, trust_list, vendor,
)

PROVINCE = authority()


def verifier_for(document: bytes) -> Verifier:
    return Verifier([], trust_list=verify_trust_list(document, [PROVINCE.certificate]))


def test_a_signed_list_verifies_and_accepts_both_vendors_chains() -> None:
    verifier = verifier_for(signed())
    for chain in (SM2_CHAIN, RSA_CHAIN):
        result = verifier.verify_certificate(chain.leaf, at=REF_TIME)
        assert result.accepted, result.reasons


def test_rsa_and_ecdsa_authorities_sign_too() -> None:
    for kind in (KeyKind.RSA2048, KeyKind.P256):
        key = get_key(kind, "trust-list-authority/other-algorithm")
        cert = issue_certificate(subject=name({"common_name": f"TL Authority {kind.value}"}), subject_key=key, issuer_key=key,
                                 not_before=REF_TIME - YEAR, not_after=REF_TIME + 5 * YEAR, ca=True)
        from tests.trustlist.trustlist_factory import Authority
        document = signed(signer=Authority(key, cert))
        assert verify_trust_list(document, [cert]).sequence_number == 1


@pytest.mark.parametrize("tamper", [
    lambda d: d["trust_list"]["vendors"][0]["status_history"].append({"status": "withdrawn", "since": "2020-01-01T00:00:00Z"}),
    lambda d: d["trust_list"].__setitem__("sequence_number", 99),
    lambda d: d["trust_list"]["vendors"][0]["services"].append("timestamping"),
    lambda d: d["trust_list"].__setitem__("authority", d["trust_list"]["authority"] + " "),
    lambda d: d["trust_list"]["vendors"].pop(),
])
def test_any_change_to_the_signed_list_is_detected(tamper) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrustListError) as raised:
        verify_trust_list(edited(signed(), tamper), [PROVINCE.certificate])
    assert raised.value.code is ReasonCode.TRUST_LIST_INVALID and "does not verify" in str(raised.value)


def test_reformatting_the_json_does_not_break_the_signature() -> None:
    """The signature is over the canonical encoding, not the file's whitespace or key order."""
    reformatted = edited(signed(), lambda d: None)
    assert verify_trust_list(reformatted, [PROVINCE.certificate]).sequence_number == 1


def test_a_list_signed_by_another_authority_is_refused() -> None:
    rogue = authority("rogue")
    with pytest.raises(TrustListError, match="not by the province authority") as raised:
        verify_trust_list(signed(signer=rogue), [PROVINCE.certificate])
    assert raised.value.code is ReasonCode.TRUST_LIST_INVALID


def test_a_signer_certified_by_the_authority_is_accepted_while_valid() -> None:
    from tests.trustlist.trustlist_factory import Authority
    key = get_key(KeyKind.SM2, "trust-list-operator")

    def operator(not_after: datetime.datetime) -> Authority:
        cert = issue_certificate(subject=name({"common_name": "Trust List Operator"}), issuer=PROVINCE.certificate.subject,
                                 subject_key=key, issuer_key=PROVINCE.key, not_before=NOW - YEAR, not_after=not_after,
                                 key_usage={"digital_signature"})
        return Authority(key, cert)

    assert verify_trust_list(signed(signer=operator(NOW + YEAR)), [PROVINCE.certificate])
    with pytest.raises(TrustListError, match="not valid when the list was issued"):
        verify_trust_list(signed(signer=operator(NOW - 30 * DAY)), [PROVINCE.certificate])


def test_an_unsigned_or_malformed_list_is_refused() -> None:
    unsigned = edited(signed(), lambda d: d.pop("signature"))
    assert load_trust_list(unsigned).sequence_number == 1  # readable for show/build ...
    with pytest.raises(TrustListError, match="not signed"):  # ... never relied on
        verify_trust_list(unsigned, [PROVINCE.certificate])
    for bad in (b"", b"{", b"\xff\xfe", b"[]", edited(signed(), lambda d: d["trust_list"].pop("vendors"))):
        with pytest.raises(TrustListError) as raised:
            verify_trust_list(bad, [PROVINCE.certificate])
        assert raised.value.code is ReasonCode.TRUST_LIST_INVALID


def test_an_expired_list_rejects_everything_until_replaced() -> None:
    stale = signed(trust_list(issued_at=NOW - 40 * DAY, valid=30 * DAY))
    result = verifier_for(stale).verify_certificate(SM2_CHAIN.leaf, at=REF_TIME)
    assert result.codes == (ReasonCode.TRUST_LIST_EXPIRED,) and result.status is Status.INDETERMINATE


WITHDRAWN_AT = REF_TIME - 10 * DAY


@pytest.mark.parametrize("chain", [SM2_CHAIN, RSA_CHAIN], ids=["sm2", "rsa"])
def test_point_in_time_status_around_a_withdrawal(chain) -> None:  # type: ignore[no-untyped-def]
    history = (StatusPeriod(VendorStatus.RECOGNISED, REF_TIME - 2 * YEAR),
               StatusPeriod(VendorStatus.WITHDRAWN, WITHDRAWN_AT, "licence revoked by the province"))
    verifier = verifier_for(signed(trust_list(vendor(chain, "vendor", history=history))))
    before = verifier.verify_certificate(chain.leaf, at=WITHDRAWN_AT - DAY)  # a bid signed before the withdrawal
    assert before.accepted, before.reasons
    after = verifier.verify_certificate(chain.leaf, at=WITHDRAWN_AT + DAY)
    assert after.codes == (ReasonCode.VENDOR_WITHDRAWN,)
    assert "licence revoked" in after.reasons[0].message
    assert verifier.verify_certificate(chain.leaf, at=WITHDRAWN_AT).codes == (ReasonCode.VENDOR_WITHDRAWN,)


def test_suspension_and_reinstatement() -> None:
    history = (StatusPeriod(VendorStatus.RECOGNISED, REF_TIME - 2 * YEAR),
               StatusPeriod(VendorStatus.SUSPENDED, REF_TIME - 20 * DAY),
               StatusPeriod(VendorStatus.RECOGNISED, REF_TIME - 5 * DAY))
    verifier = verifier_for(signed(trust_list(vendor(SM2_CHAIN, "vendor", history=history))))
    assert verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME - 25 * DAY).accepted
    assert verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME - 10 * DAY).codes == (ReasonCode.VENDOR_SUSPENDED,)
    assert verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME).accepted


def test_before_recognition_the_vendor_is_not_recognised() -> None:
    history = (StatusPeriod(VendorStatus.RECOGNISED, REF_TIME - DAY),)
    verifier = verifier_for(signed(trust_list(vendor(SM2_CHAIN, "vendor", history=history))))
    assert verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME - 2 * DAY).codes == (ReasonCode.VENDOR_NOT_RECOGNISED,)


def test_services_are_checked_for_the_use() -> None:
    encryption_only = vendor(SM2_CHAIN, "vendor", services=frozenset({Service.ENCRYPTION}))
    verifier = verifier_for(signed(trust_list(encryption_only)))
    signing = verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME)  # digitalSignature: a signing certificate
    assert signing.codes == (ReasonCode.SERVICE_NOT_RECOGNISED,)
    encryption_leaf = SM2_CHAIN.issue_leaf(key_usage={"key_encipherment", "data_encipherment"}, serial=0x2002)
    assert verifier.verify_certificate(encryption_leaf, at=REF_TIME).accepted
    assert verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME, service=Service.ENCRYPTION).accepted
    assert verifier.verify_certificate(SM2_CHAIN.leaf, at=REF_TIME, service=Service.SEAL_MAKING).codes == (
        ReasonCode.SERVICE_NOT_RECOGNISED,)


def test_a_root_outside_the_list_is_not_trusted() -> None:
    verifier = verifier_for(signed(trust_list(vendor(SM2_CHAIN, "vendor"))))
    assert verifier.verify_certificate(RSA_CHAIN.leaf, at=REF_TIME).codes == (ReasonCode.ISSUER_NOT_FOUND,)


def test_canonical_bytes_are_jcs_for_strings_and_integers() -> None:
    assert canonical_bytes({"b": 1, "a": ["省", {"d": 2, "c": "x"}]}) == '{"a":["省",{"c":"x","d":2}],"b":1}'.encode()
