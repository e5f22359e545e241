"""Deciding each certificate's revocation status from gathered CRLs and OCSP responses.

The façade gathers first (:class:`certmutual.pki.fetch.RevocationSource`: network and cache), then
calls :func:`decide` here, which is pure. Per certificate below the trust anchor, the sources are
judged in the configured order (OCSP first or CRL first); the first that gives a definite answer
(good or revoked) decides, and the fact records which one did and with what times. When neither
does, the failure mode decides: hard-fail makes it a ``revocation_unknown`` reason, soft-fail a
warning. A revocation found by any source is never outvoted by the other.

CRLs are judged by :mod:`certmutual.pki.revocation` (the same rules as caller-supplied CRLs), OCSP
responses by :mod:`certmutual.pki.ocsp`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from certmutual.errors import MalformedInput
from certmutual.pki import ocsp, revocation
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.fetch import FetchAttempt, FetchKind, RevocationData, RevocationMode, RevocationOrder
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import SignatureCache
from certmutual.results import DecidedBy, Reason, ReasonCode, RevocationFact, RevocationStatus


@dataclass(frozen=True)
class RevocationDecision:
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]
    facts: tuple[RevocationFact, ...]


def decide(
    chain: Sequence[Certificate],
    data: RevocationData,
    at: datetime.datetime,
    policy: Policy,
    *,
    order: RevocationOrder,
    mode: RevocationMode,
    extra_crls: Sequence[CertificateList] = (),
    cache: SignatureCache | None = None,
) -> RevocationDecision:
    """Decide every certificate of ``chain`` (leaf first, anchor last) but the anchor."""
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    facts: list[RevocationFact] = []
    crls = tuple(extra_crls) + data.crls
    hard = mode is RevocationMode.HARD_FAIL or policy.require_revocation
    for cert, issuer in zip(chain, chain[1:]):
        judges = (_by_ocsp, _by_crl) if order is RevocationOrder.OCSP_FIRST else (_by_crl, _by_ocsp)
        judged = [judge(cert, issuer, data, crls, at, policy, cache) for judge in judges]
        revoked = next((fact for fact in judged if fact.status is RevocationStatus.REVOKED), None)
        decided = revoked or next((fact for fact in judged if fact.status is RevocationStatus.GOOD), None)
        if decided is None:
            detail = "; ".join(fact.detail for fact in judged if fact.detail) or "no revocation data"
            decided = RevocationFact(cert.subject_text, cert.sha256, RevocationStatus.UNKNOWN, DecidedBy.NONE, detail=detail)
            missing = Reason(ReasonCode.REVOCATION_UNKNOWN, f"no usable CRL or OCSP answer: {detail}", cert.subject_text)
            (reasons if hard else warnings).append(missing)
        elif decided.status is RevocationStatus.REVOKED:
            assert decided.revoked_at is not None
            reasons.append(Reason(ReasonCode.REVOKED, f"revoked at {decided.revoked_at.isoformat()} "
                                  f"(per {decided.kind}{': ' + decided.detail if decided.detail else ''})", cert.subject_text))
        facts.append(decided)
    return RevocationDecision(tuple(reasons), tuple(warnings), tuple(facts))


def _by_ocsp(cert: Certificate, issuer: Certificate, data: RevocationData, crls: Sequence[CertificateList],
             at: datetime.datetime, policy: Policy, cache: SignatureCache | None) -> RevocationFact:
    problems = []
    for body in data.ocsp_for(cert):
        try:
            outcome = ocsp.check_response(cert, issuer, ocsp.parse_response(body), at, policy, cache)
        except MalformedInput as exc:
            problems.append(f"OCSP: {exc}")
            continue
        good = _fact(cert, data, FetchKind.OCSP, outcome.this_update, outcome.next_update)
        if outcome.status is ocsp.OcspStatus.REVOKED:
            reason = f"reason {outcome.revocation_reason}" if outcome.revocation_reason else ""
            return replace(good, status=RevocationStatus.REVOKED, revoked_at=outcome.revoked_at, detail=reason)
        if outcome.status is ocsp.OcspStatus.GOOD:
            return good
        problems.append(f"OCSP {outcome.status.value}: {outcome.detail}")
    return _unknown(cert, "; ".join(problems))


def _by_crl(cert: Certificate, issuer: Certificate, data: RevocationData, crls: Sequence[CertificateList],
            at: datetime.datetime, policy: Policy, cache: SignatureCache | None) -> RevocationFact:
    in_scope = [crl for crl in crls if crl.covers(cert)]
    if not in_scope:
        return _unknown(cert, "")
    strict = replace(policy, require_revocation=True)
    found, _ = revocation.check_revocation([cert, issuer], in_scope, at, strict, cache)
    newest = max(in_scope, key=lambda crl: crl.this_update)
    good = _fact(cert, data, FetchKind.CRL, newest.this_update, newest.next_update)
    if not found:
        return good
    reason = found[0]
    if reason.code is ReasonCode.REVOKED:
        entry = next(crl.revoked[cert.serial] for crl in in_scope if cert.serial in crl.revoked)
        return replace(good, status=RevocationStatus.REVOKED, revoked_at=entry.revoked_at, detail=entry.reason or "")
    return _unknown(cert, f"CRL: {reason.message}")


def _fact(cert: Certificate, data: RevocationData, kind: FetchKind, this_update: datetime.datetime | None,
          next_update: datetime.datetime | None) -> RevocationFact:
    """A GOOD fact from data of ``kind``, with where and when that data was fetched."""
    attempt = _attempt(data, cert, kind)
    source = DecidedBy.CACHE if attempt is not None and attempt.from_cache else DecidedBy(kind.value)
    return RevocationFact(cert.subject_text, cert.sha256, RevocationStatus.GOOD, source, kind=kind.value,
                          this_update=this_update, next_update=next_update,
                          fetched_at=attempt.fetched_at if attempt else None, url=attempt.url if attempt else None)


def _unknown(cert: Certificate, detail: str) -> RevocationFact:
    return RevocationFact(cert.subject_text, cert.sha256, RevocationStatus.UNKNOWN, DecidedBy.NONE, detail=detail)


def _attempt(data: RevocationData, cert: Certificate, kind: FetchKind) -> FetchAttempt | None:
    """The latest attempt of ``kind`` that obtained data for ``cert``."""
    found = [a for a in data.attempts_for(cert) if a.kind is kind and a.outcome.obtained]
    return found[-1] if found else None
