"""RFC 5280 §6.1 checks over a complete candidate path (leaf first, trust anchor last).

``check_path`` returns every reason the path fails for, not just the first, so the caller can
report the full picture. Signatures are checked while the path is built (:mod:`path`); revocation by
:mod:`revocation`. Each helper below names the RFC step it implements.
"""

from __future__ import annotations

import datetime

from certmutual.asn1.oids import EKU_OID, EXT_OID
from certmutual.pki import issuance_rules, names
from certmutual.errors import MalformedInput, UnsupportedAlgorithm
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.pki.certificate import Certificate
from certmutual.pki.policy import Policy
from certmutual.results import Reason, ReasonCode

# Extensions whose semantics we process (or which carry no constraint to process). A critical
# extension outside this set fails closed (RFC 5280 §4.2). Policy processing (policyConstraints,
# policyMappings, inhibitAnyPolicy) is not implemented, so those are refused when critical.
UNDERSTOOD_EXTENSIONS = frozenset({
    EXT_OID.SUBJECT_KEY_IDENTIFIER, EXT_OID.AUTHORITY_KEY_IDENTIFIER, EXT_OID.KEY_USAGE,
    EXT_OID.EXTENDED_KEY_USAGE, EXT_OID.BASIC_CONSTRAINTS, EXT_OID.NAME_CONSTRAINTS,
    EXT_OID.SUBJECT_ALT_NAME, EXT_OID.ISSUER_ALT_NAME, EXT_OID.CERTIFICATE_POLICIES,
    EXT_OID.CRL_DISTRIBUTION_POINTS, EXT_OID.FRESHEST_CRL, EXT_OID.AUTHORITY_INFO_ACCESS,
    EXT_OID.SUBJECT_INFO_ACCESS,
})


def check_path(chain: list[Certificate], at: datetime.datetime, policy: Policy) -> tuple[list[Reason], list[Reason]]:
    """(reasons, warnings): every reason ``chain`` (leaf first, anchor last) is not a valid path at
    ``at``, and the issuance-rule breaches that policy turns into warnings."""
    last = len(chain) - 1
    budget: names.ComparisonBudget | None = None  # one for the whole path, made when a CA constrains names
    if at.microsecond:
        at = at.replace(microsecond=0)  # validity is encoded to the second (RFC 5280 §4.1.2.5)
    # A leaf that is itself trusted is still judged as a leaf.
    reasons, warnings = check_leaf(chain[0], at, policy, with_validity=last > 0 or policy.check_anchor_validity)
    for index in range(1, last + 1):
        cert = chain[index]
        is_anchor = index == last
        if (not is_anchor or policy.check_anchor_validity) and not cert.not_before <= at <= cert.not_after:
            reasons.extend(check_validity(cert, at))
        static_reasons, static_warnings = certificate_findings(cert, "anchor" if is_anchor else "intermediate", policy)
        reasons.extend(static_reasons)
        warnings.extend(static_warnings)
        # Each check below is called only when it can find something (the CA carries the
        # constraint, the policy asks for usages): most paths have none of them.
        if cert.basic_constraints is not None and cert.basic_constraints.path_len is not None:
            reasons.extend(check_path_length(chain, index))
        if policy.required_ext_key_usage:
            reasons.extend(check_intermediate_eku(cert, policy))
        if cert.name_constraints is not None:
            budget = budget or names.ComparisonBudget(policy.max_name_comparisons)
            reasons.extend(check_name_constraints(chain, index, budget))
    if policy.strict_issuance:
        reasons.extend(check_key_identifiers(chain))
    return reasons, warnings


def check_leaf(leaf: Certificate, at: datetime.datetime, policy: Policy, *, with_validity: bool = True) -> tuple[list[Reason], list[Reason]]:
    """(reasons, warnings) of the end-entity certificate on its own: its validity period at ``at``
    (already truncated to the second) unless ``with_validity`` is false, the findings that depend
    only on it and the policy, and the usages the policy requires. The path-wide checks of
    :func:`check_path` (issuers, constraints, key identifiers) are not here."""
    reasons: list[Reason] = []
    if with_validity and not leaf.not_before <= at <= leaf.not_after:
        reasons.extend(check_validity(leaf, at))
    static_reasons, static_warnings = certificate_findings(leaf, "leaf", policy)
    reasons.extend(static_reasons)
    if policy.required_key_usage or policy.required_ext_key_usage:
        reasons.extend(check_leaf_usage(leaf, policy))
    return reasons, list(static_warnings)


def certificate_findings(cert: Certificate, role: str, policy: Policy) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
    """The checks that depend only on the certificate, its role and the policy, cached on the
    certificate: a CA validated for the thousandth leaf does not re-run them."""
    key = (role, policy.min_rsa_bits, policy.strict_issuance, policy.extra_critical_extensions)
    cache = cert.__dict__.get("_findings")
    if cache is None:
        cache = cert.__dict__["_findings"] = {}
    found = cache.get(key)
    if found is None:
        reasons: list[Reason] = []
        reasons.extend(check_critical_extensions(cert, policy))
        reasons.extend(check_extension_sanity(cert))
        reasons.extend(check_key_strength(cert, policy))
        if role != "leaf":
            reasons.extend(check_issuer_role(cert, role == "anchor"))
        breaches = issuance_rules.breaches(cert, is_anchor=role == "anchor")
        found = (tuple(reasons) + tuple(breaches), ()) if policy.strict_issuance else (tuple(reasons), tuple(breaches))
        cache[key] = found
    return found


def check_validity(cert: Certificate, at: datetime.datetime) -> list[Reason]:
    """§6.1.3 (a)(2): the certificate validity period includes the validation time (which the
    caller truncates to the second, the granularity validity is encoded in)."""
    if at < cert.not_before:
        return [Reason(ReasonCode.NOT_YET_VALID, f"not valid before {cert.not_before.isoformat()}", cert.subject_text)]
    if at > cert.not_after:
        return [Reason(ReasonCode.EXPIRED, f"expired at {cert.not_after.isoformat()}", cert.subject_text)]
    return []


def check_critical_extensions(cert: Certificate, policy: Policy) -> list[Reason]:
    """§6.1.4 (o) / §6.1.5 (f): refuse critical extensions we do not process."""
    extra = policy.extra_critical_extensions
    unknown = [oid for oid, critical, _ in cert.extensions.values()
               if critical and oid not in UNDERSTOOD_EXTENSIONS and oid not in extra]
    if not unknown:
        return []
    unknown.sort()
    return [
        Reason(ReasonCode.UNSUPPORTED_CRITICAL_EXTENSION, f"critical extension {oid} is not supported", cert.subject_text)
        for oid in unknown
    ]


def check_extension_sanity(cert: Certificate) -> list[Reason]:
    """Extension contents that no reading of RFC 5280 allows."""
    if cert.ext_key_usage is not None and not cert.ext_key_usage:
        return [Reason(ReasonCode.INVALID_EXTENSION, "extendedKeyUsage is an empty sequence (RFC 5280 §4.2.1.12)", cert.subject_text)]
    return []


def check_key_strength(cert: Certificate, policy: Policy) -> list[Reason]:
    """RSA keys below the policy's minimum size are refused wherever they appear in the path."""
    try:
        bits = cert.rsa_bits
        if bits is None:
            cert.public_key  # EC and SM2 points are validated (on the curve, not infinity) on load
    except (MalformedInput, UnsupportedAlgorithm) as exc:
        return _key_problem(cert, exc)
    if bits is not None and bits < policy.min_rsa_bits:
        return [Reason(ReasonCode.WEAK_ALGORITHM, f"{bits}-bit RSA key is below the {policy.min_rsa_bits}-bit minimum", cert.subject_text)]
    return []


def _key_problem(cert: Certificate, exc: Exception) -> list[Reason]:
    code = ReasonCode.MALFORMED if isinstance(exc, MalformedInput) else ReasonCode.UNSUPPORTED_ALGORITHM
    return [Reason(code, f"subject public key: {exc}", cert.subject_text)]


def check_key_identifiers(chain: list[Certificate]) -> list[Reason]:
    """The issuer's SKI equals the child's AKI keyIdentifier where both are present (§4.2.1.1)."""
    reasons = []
    for child, issuer in zip(chain, chain[1:]):
        if child.authority_key_id is not None and issuer.subject_key_id is not None and child.authority_key_id != issuer.subject_key_id:
            reasons.append(Reason(ReasonCode.AKI_SKI_MISMATCH, "authorityKeyIdentifier does not match the issuer's subjectKeyIdentifier", child.subject_text))
    return reasons


def check_leaf_usage(leaf: Certificate, policy: Policy) -> list[Reason]:
    """The caller's required key usages and extended key usages on the end-entity certificate."""
    reasons = []
    if policy.required_key_usage and leaf.key_usage is not None:
        missing = policy.required_key_usage - leaf.key_usage
        if missing:
            reasons.append(Reason(ReasonCode.KEY_USAGE, f"keyUsage lacks {', '.join(sorted(missing))}", leaf.subject_text))
    if policy.required_ext_key_usage and leaf.ext_key_usage is not None:
        if not _eku_allows(leaf.ext_key_usage, policy.required_ext_key_usage):
            reasons.append(Reason(ReasonCode.EXT_KEY_USAGE, "extendedKeyUsage does not allow the requested purpose", leaf.subject_text))
    return reasons


def _eku_allows(asserted: frozenset[str], required: frozenset[str]) -> bool:
    return EKU_OID.ANY in asserted or required <= asserted


def check_issuer_role(cert: Certificate, is_anchor: bool) -> list[Reason]:
    """§6.1.4 (k), (n): an issuing certificate is a CA (basicConstraints cA) allowed to sign
    certificates (keyCertSign when keyUsage is present). A version 1 or 2 certificate may issue only
    as a trust anchor (its constraints are then taken as given)."""
    if cert.version < 3:
        if is_anchor:
            return []
        return [Reason(ReasonCode.INTERMEDIATE_NOT_CA, f"a version {cert.version} certificate cannot be an intermediate CA", cert.subject_text)]
    reasons = []
    if not cert.is_ca:
        reasons.append(Reason(ReasonCode.INTERMEDIATE_NOT_CA, "issuer is not a CA (basicConstraints cA is not true)", cert.subject_text))
    if cert.key_usage is not None and "key_cert_sign" not in cert.key_usage:
        reasons.append(Reason(ReasonCode.KEY_USAGE, "issuer keyUsage lacks keyCertSign", cert.subject_text))
    return reasons


def check_path_length(chain: list[Certificate], index: int) -> list[Reason]:
    """§6.1.4 (l), (m): pathLenConstraint counts non-self-issued intermediates below the CA."""
    bc = chain[index].basic_constraints
    if bc is None or bc.path_len is None:
        return []
    below = sum(1 for cert in chain[1:index] if not cert.is_self_issued)
    if below > bc.path_len:
        return [Reason(ReasonCode.PATH_LENGTH_EXCEEDED, f"pathLenConstraint {bc.path_len} allows fewer than the {below} CAs below", chain[index].subject_text)]
    return []


def check_intermediate_eku(cert: Certificate, policy: Policy) -> list[Reason]:
    """EKU nesting (not in RFC 5280; what Go, pyca and Windows do): a CA that restricts its
    purposes cannot issue for a purpose it lacks."""
    if not policy.required_ext_key_usage or cert.ext_key_usage is None:
        return []
    if _eku_allows(cert.ext_key_usage, policy.required_ext_key_usage):
        return []
    return [Reason(ReasonCode.EXT_KEY_USAGE, "CA extendedKeyUsage does not allow the requested purpose", cert.subject_text)]


def check_name_constraints(chain: list[Certificate], index: int, budget: names.ComparisonBudget) -> list[Reason]:
    """§6.1.3 (b), (c) and §6.1.4 (g): a CA's name constraints bind every certificate below it,
    except self-issued intermediates."""
    ca = chain[index]
    if ca.name_constraints is None:
        return []
    try:
        subtrees = names.parse_subtrees(ca.name_constraints)
        for position in range(index):
            below = chain[position]
            if position > 0 and below.is_self_issued:
                continue
            names.check(subtrees, below, budget)
    except names.NameConstraintViolation as exc:
        return [Reason(ReasonCode.NAME_CONSTRAINTS, f"{exc} (constraints of {ca.subject_text})", chain[0].subject_text)]
    except names.BudgetExhausted as exc:
        return [Reason(ReasonCode.PATH_BUDGET_EXCEEDED, str(exc), ca.subject_text)]
    except ASN1_ERRORS as exc:
        return [Reason(ReasonCode.MALFORMED, f"unreadable name while checking constraints of {ca.subject_text}: {exc}", chain[0].subject_text)]
    return []
