"""Revocation status of each certificate in a path, decided from CRLs the caller supplies.

RFC 5280 §6.3, reduced to complete, direct CRLs: the CRL's issuer is the certificate's issuer, it is
signed by that issuer's key (which must allow cRLSign), it is in scope (issuing distribution
point), and it is fresh at the validation time. No I/O happens here: fetching and caching belong to a
revocation source run by the façade before validation.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import SignatureCache, check_signed_by
from certmutual.results import Reason, ReasonCode


def check_revocation(
    chain: list[Certificate],
    crls: Sequence[CertificateList],
    at: datetime.datetime,
    policy: Policy,
    cache: SignatureCache | None,
) -> tuple[list[Reason], list[Reason]]:
    """(reasons, warnings) for every certificate below the trust anchor.

    A certificate listed on a usable CRL with a revocation date at or before ``at`` is ``revoked``.
    With ``policy.require_revocation`` a certificate without a fresh, usable CRL in scope gives
    ``revocation_unknown`` (or ``crl_expired`` when the only CRLs are stale); without it, the same
    facts are warnings.
    """
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    if not crls:  # the usual call: nothing to read, every certificate below the anchor lacks a CRL
        unknown = [Reason(ReasonCode.REVOCATION_UNKNOWN, _NO_CRL_IN_SCOPE, chain[0].subject_text)] if len(chain) > 1 else []
        unknown += [_intermediate_without_crl(cert) for cert in chain[1:-1]]
        return (unknown, warnings) if policy.require_revocation else (reasons, unknown)
    for cert, issuer in zip(chain, chain[1:]):
        verdict, missing = _status(cert, issuer, crls, at, policy, cache)
        if verdict is not None:
            reasons.append(verdict)
        elif missing is not None:
            (reasons if policy.require_revocation else warnings).append(missing)
    return reasons, warnings


def _status(
    cert: Certificate,
    issuer: Certificate,
    crls: Sequence[CertificateList],
    at: datetime.datetime,
    policy: Policy,
    cache: SignatureCache | None,
) -> tuple[Reason | None, Reason | None]:
    """(revoked reason, missing-information reason); both None when a fresh CRL says good."""
    problems: list[str] = []
    stale = False
    fresh_good = False
    # Every CRL in scope is read: a revocation on any usable CRL wins, whatever the order given
    # (an older CRL listed first must not mask a newer one that revokes).
    for crl in crls:
        if not crl.covers(cert):
            continue
        unusable = crl.unusable_because()
        if unusable is None and issuer.key_usage is not None and "crl_sign" not in issuer.key_usage:
            unusable = "the issuer's keyUsage lacks cRLSign (RFC 5280 §6.3.3 f)"
        if unusable is None:
            bad = check_signed_by(crl, issuer, sm2_user_id=policy.sm2_user_id, allow_weak=policy.allow_weak_algorithms,
                                  cache=cache, what=f"CRL of {crl.issuer_text}")
            unusable = bad.message if bad is not None else None
        if unusable is not None:
            problems.append(unusable)
            continue
        entry = crl.revoked.get(cert.serial)
        if entry is not None and entry.revoked_at <= at:
            why = f" ({entry.reason})" if entry.reason else ""
            return Reason(ReasonCode.REVOKED, f"revoked at {entry.revoked_at.isoformat()}{why}", cert.subject_text), None
        # A CRL issued at or after the validation time speaks for it (a bid signed last week is
        # judged with today's CRL, as AdES validation does); an older one only until its nextUpdate.
        if crl.this_update < at and (crl.next_update is None or crl.next_update < at):
            stale = True
            problems.append("CRL nextUpdate is absent or before the validation time")
            continue
        fresh_good = True
    if fresh_good:
        return None, None
    if stale:
        return None, Reason(ReasonCode.CRL_EXPIRED, "; ".join(problems), cert.subject_text)
    detail = "; ".join(problems) if problems else _NO_CRL_IN_SCOPE
    return None, Reason(ReasonCode.REVOCATION_UNKNOWN, detail, cert.subject_text)


_NO_CRL_IN_SCOPE = "no CRL in scope was supplied"


def _intermediate_without_crl(cert: Certificate) -> Reason:
    concerns = cert.subject_text
    reason = _INTERMEDIATES_WITHOUT_CRL.get(concerns)
    if reason is None:
        reason = Reason(ReasonCode.REVOCATION_UNKNOWN, _NO_CRL_IN_SCOPE, concerns)
        if len(_INTERMEDIATES_WITHOUT_CRL) >= _INTERMEDIATES_WITHOUT_CRL_SIZE:
            _INTERMEDIATES_WITHOUT_CRL.clear()
        _INTERMEDIATES_WITHOUT_CRL[concerns] = reason
    return reason


_INTERMEDIATES_WITHOUT_CRL: dict[str, Reason] = {}
"""The ``revocation_unknown`` warning without CRLs, by the CA it concerns: every result under a
CA carries the same one for it (reasons are immutable). Leaves' own are made afresh: kept, each
would only be one more object for the garbage collector to walk. Cleared when full."""
_INTERMEDIATES_WITHOUT_CRL_SIZE = 1024
