"""OCSP responses: successful, signed by an authorised responder, with a nextUpdate.

Sources: RFC 6960 §4.2.1 (responseStatus, BasicOCSPResponse), §4.2.2.2 (authorised responders: the CA
itself, or a certificate the CA issued with id-kp-OCSPSigning), §4.2.2.1 / §2.4 (thisUpdate,
nextUpdate); the profile requires nextUpdate within ``max_ocsp_validity_days``. The responder is
judged by :func:`certmutual.pki.ocsp.check_response` against the CA found in the sample (by the
CertID's issuerKeyHash), at the response's producedAt.
"""

from __future__ import annotations

from certmutual.conformance.model import AppliesTo
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject
from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.ocsp import OcspOutcome, OcspProblem, check_response
from certmutual.pki.ocsp_response import HASH_NAMES, ResponseStatus, cert_id_digest, issuer_key_bytes
from certmutual.pki.policy import Policy

_POLICY = Policy(allow_weak_algorithms=True)  # weak algorithms are profile.signature_algorithm's business
_SIGNATURE_PROBLEMS = frozenset({OcspProblem.BAD_SIGNATURE, OcspProblem.UNSUPPORTED_SIGNATURE_ALGORITHM})


def _issuer(subject: Subject, sample: Sample) -> tuple[Certificate, Certificate] | None:
    """(a certificate the response speaks of, or the CA itself; the CA) from the sample."""
    basic = subject.the_ocsp().basic
    if basic is None:
        return None
    for single in basic.responses:
        name = HASH_NAMES.get(single.cert_id.hash_algorithm)
        if name is None:
            continue
        for candidate in sample.certificates:
            ca = candidate.cert()
            try:
                if cert_id_digest(name, issuer_key_bytes(ca)) != single.cert_id.issuer_key_hash:
                    continue
            except MalformedInput:
                continue
            for other in sample.certificates:
                cert = other.cert()
                if cert.serial == single.cert_id.serial and cert.issued_by_name(ca) and cert.der != ca.der:
                    return cert, ca
            return ca, ca
    return None


def outcome(subject: Subject, sample: Sample) -> OcspOutcome | None:
    """What :func:`check_response` says of the response (computed once per response), or None when
    the CA is not in the sample."""
    key = ("ocsp", subject.label)
    if key not in sample.memo:
        found = _issuer(subject, sample)
        basic = subject.the_ocsp().basic
        result = None
        if found is not None and basic is not None:
            cert, ca = found
            result = check_response(cert, ca, subject.the_ocsp(), basic.produced_at, _POLICY, None)
        sample.memo[key] = result
    value = sample.memo[key]
    return value if isinstance(value, OcspOutcome) else None


@check("rfc6960.ocsp_successful", AppliesTo.OCSP_RESPONSE)
def ocsp_successful(subject: Subject, sample: Sample, params: Params) -> list[str]:
    response = subject.the_ocsp()
    if response.status is not ResponseStatus.SUCCESSFUL:
        return [f"responseStatus is {response.status.value}: the sample must hold successful responses"]
    if response.basic is None:
        return [f"responseType {response.response_type} is not id-pkix-ocsp-basic"]
    return []


@check("rfc6960.ocsp_signature", AppliesTo.OCSP_RESPONSE)
def ocsp_signature(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    found = outcome(subject, sample)
    if found is None or found.problem is OcspProblem.RESPONDER_NOT_AUTHORISED:
        return None
    return [found.detail] if found.problem in _SIGNATURE_PROBLEMS else []


@check("rfc6960.ocsp_responder_authorised", AppliesTo.OCSP_RESPONSE)
def ocsp_responder_authorised(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    found = outcome(subject, sample)
    if found is None:
        return None
    return [found.detail] if found.problem is OcspProblem.RESPONDER_NOT_AUTHORISED else []


@check("rfc6960.ocsp_next_update", AppliesTo.OCSP_RESPONSE)
def ocsp_next_update(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    basic = subject.the_ocsp().basic
    if basic is None:
        return None
    cap = params.integer("max_ocsp_validity_days")
    found = []
    for index, single in enumerate(basic.responses):
        where = f"SingleResponse #{index + 1} (serial {single.cert_id.serial:X})"
        if single.next_update is None:
            found.append(f"{where} has no nextUpdate")
        elif single.next_update <= single.this_update:
            found.append(f"{where}: nextUpdate is not after thisUpdate")
        elif (single.next_update - single.this_update).total_seconds() > cap * 86400:
            found.append(f"{where}: nextUpdate is more than {cap} days after thisUpdate")
    return found
