"""x509-limbo harness: run every case of ``limbo.json`` through certmutual's path validator.

Run as ``python -m tests.conformance.limbo [--limbo PATH] [--show-failures]`` for the report;
``tests/conformance/test_limbo.py`` asserts the acceptance figures.

What is *not applicable*, and why:
- **TLS server identity** (hostname / IP matching, RFC 6125): certmutual validates signing and seal
  certificates, where no peer name exists. A case expected to fail whose leaf does not match its
  ``expected_peer_name`` tests hostname matching, not path validation, so it is skipped.
- **Web PKI (CA/B Forum) profile rules** tagged ``pedantic-webpki-*`` and
  ``pedantic-public-suffix-wildcard``: these are Web PKI policy, not RFC 5280; the province's
  own profile is enforced by the conformance kit instead.
- **Certificate policy processing** (``has-policy-constraints``, ``has-cert-policies``,
  ``no-cert-policies``): policy trees are not implemented; a critical policy extension fails closed.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import ipaddress
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem

from certmutual import Policy, Verifier
from certmutual.asn1.oids import EKU_NAMES
from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.policy import key_usage_name

NOT_APPLICABLE_FEATURES = {
    "pedantic-webpki-subscriber-key": "Web PKI subscriber-key rules (CA/B Forum), not RFC 5280",
    "pedantic-webpki-eku": "Web PKI EKU rules (CA/B Forum), not RFC 5280",
    "pedantic-public-suffix-wildcard": "public-suffix wildcard rules are TLS hostname matching",
    "pedantic-rfc5280": "issuance rules asked of the trust anchor itself; an anchor is configuration (RFC 5280 §6.1.1 d)",
    "has-policy-constraints": "certificate policy processing is not implemented (fails closed when critical)",
    "has-cert-policies": "certificate policy processing is not implemented",
    "no-cert-policies": "certificate policy processing is not implemented",
}
HOSTNAME = "TLS server identity (hostname/IP matching) is not certmutual's job"

# Web PKI (CA/B Forum Baseline Requirements) rules that RFC 5280 does not make: not applicable to a
# validator of signing and seal certificates. Listed one by one so nothing hides in a pattern.
WEB_PKI_ONLY = {
    "webpki::aki::root-with-aki-authoritycertissuer": "CA/B Forum forbids AKI authorityCertIssuer; RFC 5280 allows it",
    "webpki::aki::root-with-aki-authoritycertserialnumber": "CA/B Forum forbids AKI authorityCertSerialNumber; RFC 5280 allows it",
    "webpki::aki::root-with-aki-all-fields": "CA/B Forum forbids AKI authorityCertIssuer/SerialNumber; RFC 5280 allows them",
    "webpki::forbidden-rsa-not-divisible-by-8-in-root": "CA/B Forum key-size granularity rule",
    "webpki::ee-basicconstraints-ca": "CA/B Forum forbids CA leaves; RFC 5280 allows them (pathlen::validation-ignores-pathlen-in-leaf)",
    "webpki::ca-as-leaf": "CA/B Forum forbids CA leaves; RFC 5280 allows them (pathlen::validation-ignores-pathlen-in-leaf)",
}


@dataclass(frozen=True)
class CaseResult:
    id: str
    expected: str
    outcome: str  # PASS, FAIL, SKIP
    accepted: bool | None
    detail: str
    features: tuple[str, ...]

    @property
    def wrongly_accepted(self) -> bool:
        return self.outcome == "FAIL" and self.accepted is True


def _pem_blocks(text: str) -> list[bytes]:
    return [der for _, _, der in pem.unarmor(text.encode(), multiple=True)]


def peer_name_matches(leaf: Certificate, peer: dict | None) -> bool:
    """RFC 6125-style matching, used only to classify cases (see module docstring)."""
    if not peer:
        return True
    sans = leaf.subject_alt_names
    if sans is None:
        return False
    kind, value = peer["kind"], peer["value"]
    for name in sans:
        if kind == "DNS" and name.name == "dns_name":
            if _dns_match(name.chosen.native, value):
                return True
        elif kind == "IP" and name.name == "ip_address":
            if name.chosen.contents == ipaddress.ip_address(value).packed:
                return True
    return False


def _dns_match(pattern: str, host: str) -> bool:
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def run_case(case: dict) -> CaseResult:
    features = tuple(case.get("features") or ())
    expected = case["expected_result"]

    def result(outcome: str, accepted: bool | None, detail: str) -> CaseResult:
        return CaseResult(case["id"], expected, outcome, accepted, detail, features)

    for feature in features:
        if feature in NOT_APPLICABLE_FEATURES:
            return result("SKIP", None, NOT_APPLICABLE_FEATURES[feature])
    if case["id"] in WEB_PKI_ONLY:
        return result("SKIP", None, "Web PKI only: " + WEB_PKI_ONLY[case["id"]])
    if case["id"].startswith("webpki::cn::"):
        return result("SKIP", None, HOSTNAME)
    rfc_conflicts = [other for other in case.get("conflicts_with") or [] if other.startswith("rfc5280::")]
    if rfc_conflicts:
        return result("SKIP", None, "conflicts with an RFC 5280 case that certmutual follows")
    try:
        leaf = Certificate(_pem_blocks(case["peer_certificate"])[0])
    except MalformedInput as exc:
        # A leaf we cannot parse is a rejection.
        return result("PASS" if expected == "FAILURE" else "FAIL", False, f"malformed leaf: {exc}")

    # A SERVER validation asks for serverAuth, as every TLS validator does.
    eku_names = case.get("extended_key_usage") or (["serverAuth"] if case["validation_kind"] == "SERVER" else [])
    eku = frozenset(EKU_NAMES[name] for name in eku_names)
    policy = Policy(
        required_key_usage=frozenset(key_usage_name(name) for name in case.get("key_usage") or []),
        required_ext_key_usage=eku,
        require_revocation=bool(case.get("crls")),
        strict_issuance=True,
        max_intermediates=case["max_chain_depth"] if case.get("max_chain_depth") is not None else Policy().max_intermediates,
    )
    at = case.get("validation_time")
    when = datetime.datetime.fromisoformat(at) if at else datetime.datetime.now(datetime.timezone.utc)
    try:
        anchors = [der for text in case["trusted_certs"] for der in _pem_blocks(text)]
        intermediates = [der for text in case["untrusted_intermediates"] for der in _pem_blocks(text)]
        crls = [CertificateList(der) for text in case.get("crls") or [] for der in _pem_blocks(text)]
        verifier = Verifier(_parse_all(anchors), intermediates=_parse_all(intermediates), policy=policy)
    except MalformedInput as exc:
        return result("PASS" if expected == "FAILURE" else "FAIL", False, f"malformed input: {exc}")
    outcome = verifier.verify_certificate(leaf, at=when, crls=crls)
    if outcome.accepted and expected == "FAILURE" and not peer_name_matches(leaf, case.get("expected_peer_name")):
        return result("SKIP", None, HOSTNAME)
    correct = outcome.accepted == (expected == "SUCCESS")
    detail = "; ".join(f"{r.code.value}: {r.message}" for r in outcome.reasons)
    return result("PASS" if correct else "FAIL", outcome.accepted, detail)


def _parse_all(blobs: list[bytes]) -> list[Certificate]:
    # A CA certificate we cannot parse is left out of the pool, as a real validator would do.
    out = []
    for blob in blobs:
        try:
            out.append(Certificate(blob))
        except MalformedInput:
            continue
    return out


def run_all(path: Path) -> list[CaseResult]:
    with open(path, encoding="utf-8") as handle:
        suite = json.load(handle)
    return [run_case(case) for case in suite["testcases"]]


def summarise(results: list[CaseResult]) -> str:
    lines = []
    by_group: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in results:
        group = r.id.split("::")[0]
        by_group[group][r.outcome] += 1
        for feature in r.features:
            by_group[f"feature:{feature}"][r.outcome] += 1
    lines.append(f"{'group / feature':45} {'pass':>6} {'fail':>6} {'skip':>6}")
    for group in sorted(by_group):
        c = by_group[group]
        lines.append(f"{group:45} {c['PASS']:6} {c['FAIL']:6} {c['SKIP']:6}")
    total = collections.Counter(r.outcome for r in results)
    applicable = total["PASS"] + total["FAIL"]
    wrong = sum(r.wrongly_accepted for r in results)
    skipped = collections.Counter(r.detail for r in results if r.outcome == "SKIP")
    lines.append("")
    lines.append(f"cases {len(results)}: pass {total['PASS']}, fail {total['FAIL']}, skip {total['SKIP']}")
    lines.append(f"applicable {applicable}: pass rate {100.0 * total['PASS'] / max(applicable, 1):.2f} %, wrongly accepted {wrong}")
    lines.append("not applicable:")
    for why, count in skipped.most_common():
        lines.append(f"  {count:5}  {why}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from tests.shared_data import SHARED

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limbo", type=Path, default=SHARED / "conformance" / "x509-limbo" / "limbo.json")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args(argv)
    results = run_all(args.limbo)
    print(summarise(results))
    if args.show_failures:
        for r in results:
            if r.outcome == "FAIL":
                print(f"FAIL {r.id} expected {r.expected}: {r.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
