"""Path building and validation: from a leaf, through untrusted intermediates, to a trust anchor.

Modelled on Go's ``crypto/x509/verify.go``: one short recursive search over pools indexed by subject
name (AKI/SKI as ordering hints), backtracking across same-name CAs, skipping certificates already
in the chain, with budgets on signature checks, search steps and depth. Each complete candidate path
is checked by :func:`checks.check_path` and :func:`revocation.check_revocation`; the first that
passes wins. When none passes, the failure of the most complete candidate is reported.

Not checked here: hostname/TLS server identity, certificate policies (policy trees), OCSP.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
import threading
from dataclasses import dataclass
from typing import NamedTuple

from certmutual.pki import checks, revocation
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import SignatureCache, check_signed_by
from certmutual.pki.store import CertificatePool
from certmutual.results import Reason, ReasonCode


class PathOutcome(NamedTuple):
    """The validated path (or the best failed attempt) with its reasons and warnings."""

    chain: tuple[Certificate, ...]
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.reasons


class _BudgetExceeded(Exception):
    pass


@dataclass(slots=True)
class _Search:
    anchors: CertificatePool
    intermediates: CertificatePool
    at: datetime.datetime
    policy: Policy
    crls: Sequence[CertificateList]
    cache: SignatureCache | None
    signature_checks: int = 0
    steps: int = 0
    best: tuple[tuple[int, int], PathOutcome] | None = None
    found: PathOutcome | None = None

    def record(self, chain: list[Certificate], reasons: list[Reason], complete: bool) -> None:
        rank = (1 if complete else 0, len(chain))
        if self.best is None or rank > self.best[0]:
            self.best = (rank, PathOutcome(tuple(chain), tuple(reasons)))


def validate_path(
    leaf: Certificate,
    anchors: CertificatePool,
    intermediates: CertificatePool,
    at: datetime.datetime,
    policy: Policy,
    crls: Sequence[CertificateList] = (),
    cache: SignatureCache | None = None,
    paths: PathCache | None = None,
) -> PathOutcome:
    """Find a valid path from ``leaf`` to one of ``anchors`` at time ``at`` under ``policy``.

    Checks: signatures along the path, validity periods, basicConstraints and pathLenConstraint,
    keyUsage on issuers and the leaf usages the policy requires, EKU when required, name
    constraints, unsupported critical extensions, revocation from ``crls``. Pure: no clock, no I/O.
    ``paths``, made for these two pools, lets a leaf under an issuer seen before skip the search
    above it (the outcome is the same: see :class:`PathCache`).
    """
    if paths is not None:
        outcome = paths.validate(leaf, anchors, intermediates, at, policy, crls, cache)
        if outcome is not None:
            return outcome
    search = _Search(anchors, intermediates, at, policy, crls, cache)
    try:
        if leaf in anchors:
            search.found = _finish(search, [leaf]) or search.found
        if search.found is None:
            _extend(search, [leaf])
    except _BudgetExceeded as exc:
        return PathOutcome((leaf,), (Reason(ReasonCode.PATH_BUDGET_EXCEEDED, str(exc), leaf.subject_text),))
    if search.found is not None:
        if paths is not None:
            paths.learn(search.found.chain, anchors, intermediates, policy)
        return search.found
    assert search.best is not None
    return search.best[1]


def _finish(search: _Search, chain: list[Certificate]) -> PathOutcome | None:
    reasons, warnings = checks.check_path(chain, search.at, search.policy)
    if not reasons:
        revoked, revocation_warnings = revocation.check_revocation(chain, search.crls, search.at, search.policy, search.cache)
        reasons.extend(revoked)
        warnings.extend(revocation_warnings)
    if reasons:
        search.record(chain, reasons, complete=True)
        return None
    return PathOutcome(tuple(chain), (), tuple(warnings))


def _same_certificate(a: Certificate, b: Certificate) -> bool:
    """Go's loop test: same subject, same key and same SANs count as the same certificate."""
    if a.spki != b.spki or not (a.subject_der == b.subject_der or a.subject_key == b.subject_key):
        return False
    san_a = a.subject_alt_names.dump() if a.subject_alt_names is not None else None
    san_b = b.subject_alt_names.dump() if b.subject_alt_names is not None else None
    return san_a == san_b


def _extend(search: _Search, chain: list[Certificate]) -> bool:
    cert = chain[-1]
    exact = _candidates(search, chain, normalised=False)
    if exact and _try(search, chain, exact):
        return True
    # Names equal under RFC 5280 §7.1 but differently encoded (a renewed CA certificate) are tried
    # after the exact-DER candidates have all failed, not only when there were none.
    equivalent = _candidates(search, chain, normalised=True)
    if equivalent and _try(search, chain, equivalent):
        return True
    if not exact and not equivalent:
        if cert.is_self_issued:
            reason = Reason(ReasonCode.UNTRUSTED_ROOT, "self-issued certificate is not a trust anchor", cert.subject_text)
        else:
            reason = Reason(ReasonCode.ISSUER_NOT_FOUND, f"no certificate for issuer {cert.issuer_text}", cert.subject_text)
        search.record(chain, [reason], complete=False)
    return False


def _try(search: _Search, chain: list[Certificate], candidates: list[tuple[Certificate, bool]]) -> bool:
    cert = chain[-1]
    policy = search.policy
    for candidate, is_anchor in candidates:
        search.steps += 1
        if search.steps > policy.max_candidates:
            raise _BudgetExceeded(f"path building gave up after {policy.max_candidates} steps")
        intermediates = _intermediates_below(chain) + (0 if is_anchor or candidate.is_self_issued else 1)
        if intermediates > policy.max_intermediates:
            search.record(chain + [candidate], [Reason(
                ReasonCode.PATH_LENGTH_EXCEEDED, f"more than {policy.max_intermediates} intermediates", candidate.subject_text)], complete=False)
            continue
        search.signature_checks += 1
        if search.signature_checks > policy.max_signature_checks:
            raise _BudgetExceeded(f"path building gave up after {policy.max_signature_checks} signature checks")
        bad = check_signed_by(cert, candidate, sm2_user_id=policy.sm2_user_id, allow_weak=policy.allow_weak_algorithms,
                              cache=search.cache, what=cert.subject_text)
        extended = chain + [candidate]
        if bad is not None:
            search.record(extended, [bad], complete=is_anchor)
            continue
        if is_anchor:
            outcome = _finish(search, extended)
            if outcome is not None:
                search.found = outcome
                return True
            continue
        if _extend(search, extended):
            return True
    return False


def _intermediates_below(chain: list[Certificate]) -> int:
    """Non-self-issued certificates between the leaf and the end of ``chain``."""
    count = 0
    for index in range(1, len(chain)):
        if not chain[index].is_self_issued:
            count += 1
    return count


def _candidates(search: _Search, chain: list[Certificate], *, normalised: bool) -> list[tuple[Certificate, bool]]:
    """Possible issuers of the chain's last certificate: anchors first, then intermediates, minus
    any certificate already in the chain (loops)."""
    cert = chain[-1]
    anchors = search.anchors
    found = [(c, True) for c in anchors.issuers_of(cert, normalised) if not _in_chain(c, chain)]
    for candidate in search.intermediates.issuers_of(cert, normalised):
        if candidate not in anchors and not _in_chain(candidate, chain):
            found.append((candidate, False))
    return found


def _in_chain(candidate: Certificate, chain: list[Certificate]) -> bool:
    spki = candidate.spki
    for member in chain:
        if member.spki == spki and _same_certificate(candidate, member):  # same key first: cheap, and rare
            return True
    return False


class _Above(NamedTuple):
    """A validated path above a leaf (its issuer first, the anchor last) and what checking it found."""

    chain: tuple[Certificate, ...]
    policy: Policy
    generations: tuple[int, int]
    """The pools' generations when it was learnt."""
    window: tuple[datetime.datetime, datetime.datetime] | None
    """(latest notBefore, earliest notAfter) of the validity periods :func:`checks.check_path`
    reads here (None: it reads none)."""
    warnings: tuple[Reason, ...]
    """The static warnings of these certificates, in path order."""


_POLICIES_PER_ISSUER = 4


class PathCache:
    """Paths validated above a leaf, by the leaf's issuer name, for one pair of pools.

    Kept only for a search that went straight up: each certificate had exactly one possible issuer
    by exact name (anchors and intermediates together), and the first complete path passed. Another
    leaf with the same issuer name then meets the same candidates, the same signatures and the same
    budgets on its way up, so its search would try the same path first. :meth:`validate` checks on
    that path all that depends on the leaf (its signature, its own checks, the key identifiers it
    shares with its issuer, revocation) and on the time (every validity period); when anything
    fails it answers None, and the full search decides and words the reasons. Paths with name
    constraints are not kept (they bind the leaf). Bounded; safe to share between threads.
    """

    def __init__(self, anchors: CertificatePool, intermediates: CertificatePool, size: int = 256) -> None:
        self._anchors = anchors
        self._intermediates = intermediates
        self._size = size
        self._entries: dict[bytes, tuple[_Above, ...]] = {}
        """By issuer name: the paths learnt under different policies, the latest first."""
        self._lock = threading.Lock()

    def validate(
        self,
        leaf: Certificate,
        anchors: CertificatePool,
        intermediates: CertificatePool,
        at: datetime.datetime,
        policy: Policy,
        crls: Sequence[CertificateList],
        cache: SignatureCache | None,
    ) -> PathOutcome | None:
        """The valid path :func:`validate_path` would find for ``leaf`` through a known issuer, or
        None when there is none known or the leaf does not pass on it."""
        for above in self._entries.get(leaf.issuer_der, ()):
            if above.policy is policy or above.policy == policy:
                break
        else:
            return None
        if (anchors is not self._anchors or intermediates is not self._intermediates
                or above.generations != (anchors.generation, intermediates.generation) or leaf in anchors):
            return None
        spki = leaf.spki
        for cert in above.chain:  # the leaf would take this certificate out of the search (a loop)
            if cert.spki == spki and _same_certificate(cert, leaf):
                return None
        second = at.replace(microsecond=0) if at.microsecond else at
        window = above.window
        if window is not None and not window[0] <= second <= window[1]:
            return None
        issuer = above.chain[0]
        if check_signed_by(leaf, issuer, sm2_user_id=policy.sm2_user_id, allow_weak=policy.allow_weak_algorithms,
                           cache=cache, what=leaf.subject_text) is not None:
            return None
        reasons, warnings = checks.check_leaf(leaf, second, policy)
        if reasons:
            return None
        chain = (leaf, *above.chain)
        if policy.strict_issuance and checks.check_key_identifiers([leaf, issuer]):
            return None
        revoked, revocation_warnings = revocation.check_revocation(list(chain), crls, at, policy, cache)
        if revoked:
            return None
        warnings += above.warnings
        warnings += revocation_warnings
        return PathOutcome(chain, (), tuple(warnings))

    def learn(self, chain: tuple[Certificate, ...], anchors: CertificatePool, intermediates: CertificatePool,
              policy: Policy) -> None:
        """Keep the part of a path :func:`validate_path` found valid above its leaf, when the search
        for it went straight up (see the class docstring)."""
        if anchors is not self._anchors or intermediates is not self._intermediates or len(chain) < 2 or chain[0] in anchors:
            return
        for position in range(len(chain) - 1):
            cert = chain[position]
            found = [*anchors.issuers_of(cert), *(c for c in intermediates.issuers_of(cert) if c not in anchors)]
            if len(found) != 1 or found[0] is not chain[position + 1]:
                return
        upper = chain[1:]
        last = len(upper) - 1
        window: tuple[datetime.datetime, datetime.datetime] | None = None
        warnings: list[Reason] = []
        for position, cert in enumerate(upper):
            if cert.name_constraints is not None:
                return
            is_anchor = position == last
            static_reasons, static_warnings = checks.certificate_findings(cert, "anchor" if is_anchor else "intermediate", policy)
            if static_reasons:
                return
            warnings.extend(static_warnings)
            if not is_anchor or policy.check_anchor_validity:
                window = ((cert.not_before, cert.not_after) if window is None
                          else (max(window[0], cert.not_before), min(window[1], cert.not_after)))
        above = _Above(upper, policy, (anchors.generation, intermediates.generation), window, tuple(warnings))
        key = chain[0].issuer_der
        with self._lock:
            others = tuple(known for known in self._entries.get(key, ()) if known.policy != policy)
            if len(self._entries) >= self._size:
                self._entries.clear()
            self._entries[key] = (above, *others[:_POLICIES_PER_ISSUER - 1])
