"""Trust lists for the tests, built and signed by code: an SM2 province authority and two vendors
(an SM2 chain and an RSA chain from the test PKI)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from certmutual.pki.builder import KeyKind, SigningKey, issue_certificate, name
from certmutual.pki.certificate import Certificate
from certmutual.pki.trustlist import Service, StatusPeriod, TrustList, VendorEntry, VendorStatus, sign_trust_list
from certmutual.pki.trustlist.document import unsigned_document
from tests.pki_factory import DAY, REF_TIME, YEAR, TestChain, get_key, make_chain

UTC = datetime.timezone.utc
NOW = datetime.datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Authority:
    key: SigningKey
    certificate: Certificate


def authority(label: str = "province") -> Authority:
    key = get_key(KeyKind.SM2, f"trust-list-authority/{label}")
    cert = issue_certificate(subject=name({"country_name": "CN", "organization_name": "某省公共资源交易中心",
                                           "common_name": f"Trust List Authority {label}"}),
                             subject_key=key, issuer_key=key, not_before=REF_TIME - 10 * YEAR, not_after=REF_TIME + 20 * YEAR,
                             ca=True, key_usage={"digital_signature", "key_cert_sign", "crl_sign"})
    return Authority(key, cert)


SM2_CHAIN = make_chain(KeyKind.SM2, key_label="trust-list")
RSA_CHAIN = make_chain(KeyKind.RSA2048, key_label="trust-list")
RECOGNISED_SINCE = REF_TIME - 2 * YEAR


def vendor(chain: TestChain, vendor_id: str, *, history: Sequence[StatusPeriod] | None = None,
           services: frozenset[Service] = frozenset({Service.SIGNING, Service.ENCRYPTION, Service.SEAL_MAKING})) -> VendorEntry:
    return VendorEntry(
        id=vendor_id, name=f"{vendor_id.upper()} Test CA", services=services, roots=(chain.root,),
        intermediates=(chain.intermediate,),
        history=tuple(history or (StatusPeriod(VendorStatus.RECOGNISED, RECOGNISED_SINCE),)),
    )


def trust_list(*vendors: VendorEntry, issued_at: datetime.datetime | None = None, valid: datetime.timedelta = 30 * DAY,
               sequence_number: int = 1) -> TrustList:
    issued = issued_at or NOW - DAY
    return TrustList(sequence_number=sequence_number, issued_at=issued, next_update=issued + valid,
                     authority="某省公共资源交易数字证书互认工作办公室",
                     vendors=vendors or (vendor(SM2_CHAIN, "sm2-vendor"), vendor(RSA_CHAIN, "rsa-vendor")))


def signed(trust: TrustList | None = None, signer: Authority | None = None) -> bytes:
    signer = signer or authority()
    return sign_trust_list(unsigned_document(trust or trust_list()), signer.key, signer.certificate)


def edited(document: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    """The document with ``edit(data)`` applied to its parsed JSON (signature left as it was)."""
    data = json.loads(document)
    edit(data)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


__all__ = ["Authority", "NOW", "RECOGNISED_SINCE", "RSA_CHAIN", "SM2_CHAIN", "authority", "edited", "replace", "signed",
           "trust_list", "vendor"]
