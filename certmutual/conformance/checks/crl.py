"""CRLs: signature, nextUpdate, cRLNumber, authorityKeyIdentifier.

Sources: RFC 5280 §5.1.1.3 (signatureValue), §5.1.2.5 (nextUpdate: conforming CAs MUST include it),
§5.2.3 (cRLNumber: MUST, non-critical, at most 20 octets), §5.2.1 (authorityKeyIdentifier: MUST); the
profile's ``max_crl_validity_days``.
"""

from __future__ import annotations

from certmutual.asn1.oids import EXT_OID
from certmutual.conformance.checks.certificates import sample_signature_findings, serial_octets
from certmutual.conformance.model import AppliesTo
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject


@check("rfc5280.crl_signature", AppliesTo.CRL)
def crl_signature(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    return sample_signature_findings(subject.the_crl(), sample, "CRL")


@check("rfc5280.crl_next_update", AppliesTo.CRL)
def crl_next_update(subject: Subject, sample: Sample, params: Params) -> list[str]:
    crl = subject.the_crl()
    if crl.next_update is None:
        return ["no nextUpdate"]
    if crl.next_update <= crl.this_update:
        return [f"nextUpdate {crl.next_update.isoformat()} is not after thisUpdate {crl.this_update.isoformat()}"]
    days = (crl.next_update - crl.this_update).total_seconds() / 86400
    cap = params.integer("max_crl_validity_days")
    return [f"nextUpdate is {days:.1f} days after thisUpdate: the cap is {cap} days"] if days > cap else []


@check("rfc5280.crl_number", AppliesTo.CRL)
def crl_number(subject: Subject, sample: Sample, params: Params) -> list[str]:
    crl = subject.the_crl()
    if crl.crl_number is None:
        return ["no cRLNumber extension"]
    found = []
    if crl.extensions[EXT_OID.CRL_NUMBER][0]:
        found.append("cRLNumber is marked critical")
    if crl.crl_number < 0 or serial_octets(crl.crl_number) > 20:
        found.append(f"cRLNumber {crl.crl_number} is not a non-negative integer of at most 20 octets")
    return found


@check("rfc5280.crl_aki", AppliesTo.CRL)
def crl_aki(subject: Subject, sample: Sample, params: Params) -> list[str]:
    return [] if subject.the_crl().authority_key_id else ["no authorityKeyIdentifier with a keyIdentifier"]
