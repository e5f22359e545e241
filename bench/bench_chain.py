"""Chain validations per second: certmutual vs pyca/cryptography's Rust verifier, same run.

Scenarios (each a root -> intermediate -> leaf chain, leaves distinct so no per-leaf caching helps):
  rsa   : RSA-2048 / SHA-256; reference = cryptography's ``PolicyBuilder`` client verifier with
          ``ExtensionPolicy.permit_all()`` for the leaf (webpki defaults for CAs).
  sm2   : SM2-with-SM3 (no reference can verify SM2 chains in-process; printed as absolute rate).
Both sides parse each leaf from DER (each leaf is validated once) and keep the intermediate cached, which is
how a gateway sees traffic: many bidders' certificates under a few CAs.

Usage: python bench/bench_chain.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography import x509 as pyca_x509  # noqa: E402
from cryptography.x509 import verification  # noqa: E402

from certmutual import Verifier  # noqa: E402
from certmutual.crypto import sm2  # noqa: E402
from certmutual.pki.builder import KeyKind, SigningKey, issue_certificate, name  # noqa: E402

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
YEAR = datetime.timedelta(days=365)


def build_chain(kind: KeyKind, leaves: int):
    root_key, ca_key = SigningKey.generate(kind), SigningKey.generate(kind)
    leaf_key = SigningKey.generate(kind)  # one key for all leaves: keygen is not what we measure
    root = issue_certificate(subject=name({"common_name": f"Bench {kind.value} Root"}), subject_key=root_key,
                             issuer_key=root_key, not_before=NOW - YEAR, not_after=NOW + 10 * YEAR, ca=True)
    ca = issue_certificate(subject=name({"common_name": f"Bench {kind.value} CA"}), issuer=root.subject, subject_key=ca_key,
                           issuer_key=root_key, not_before=NOW - YEAR, not_after=NOW + 5 * YEAR, ca=True, path_len=0)
    leaf_ders = [
        issue_certificate(subject=name({"common_name": f"leaf {i}", "organization_name": "Bench Co"}), issuer=ca.subject,
                          subject_key=leaf_key, issuer_key=ca_key, not_before=NOW - YEAR, not_after=NOW + YEAR,
                          key_usage={"digital_signature", "non_repudiation"}, dns_names=[f"leaf{i}.example.com"]).der
        for i in range(leaves)
    ]
    return root, ca, leaf_ders


def rate(function, items) -> float:
    """One pass, every leaf seen once: no leaf-level cache (parse or signature) can help."""
    start = time.perf_counter()
    for item in items:
        function(item)
    return len(items) / (time.perf_counter() - start)


def certmutual_rate(root, ca, leaves) -> float:
    verifier = Verifier([root], intermediates=[ca])

    def one(der: bytes) -> None:
        result = verifier.verify_certificate(der, at=NOW)
        if not result.accepted:
            raise SystemExit(f"certmutual rejected a bench leaf: {result.reasons}")

    one(leaves[0])  # warm: the intermediate's own signature is verified once and cached
    return rate(one, leaves[1:])


def pyca_rate(root, ca, leaves) -> float:
    store = verification.Store([pyca_x509.load_der_x509_certificate(root.der)])
    intermediate = pyca_x509.load_der_x509_certificate(ca.der)
    verifier = (
        verification.PolicyBuilder().store(store).time(NOW)
        .extension_policies(ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
                            ee_policy=verification.ExtensionPolicy.permit_all())
        .build_client_verifier()
    )

    def one(der: bytes) -> None:
        verifier.verify(pyca_x509.load_der_x509_certificate(der), [intermediate])

    one(leaves[0])
    return rate(one, leaves[1:])


def interleaved(kind: KeyKind, leaves: int, rounds: int, with_reference: bool) -> tuple[list[float], list[float]]:
    """Alternate certmutual and reference runs, each on fresh leaves, so both see the same machine
    (its speed swings by 2x within seconds when other work runs)."""
    ours, reference = [], []
    root, ca, all_leaves = build_chain(kind, leaves * rounds)
    for index in range(rounds):
        batch = all_leaves[index * leaves:(index + 1) * leaves]
        ours.append(certmutual_rate(root, ca, batch))
        if with_reference:
            reference.append(pyca_rate(root, ca, batch))
    return ours, reference


def main() -> int:
    parser = argparse.ArgumentParser(description="chain validation benchmark")
    parser.add_argument("--quick", action="store_true", help="short run")
    args = parser.parse_args()
    leaves, rounds = (300, 3) if args.quick else (1500, 5)

    ours, reference = interleaved(KeyKind.RSA2048, leaves, rounds, with_reference=True)
    ratios = [a / b for a, b in zip(ours, reference)]
    ratio = statistics.median(ratios)
    print(f"3-level RSA-2048 chain, cached intermediate ({rounds} interleaved rounds of {leaves} distinct leaves, "
          "each validated once)")
    print(f"  certmutual Verifier            {statistics.median(ours):10.0f} validations/s (median)")
    print(f"  pyca PolicyBuilder (client)    {statistics.median(reference):10.0f} validations/s (median)")
    print(f"  ratio                          {ratio:10.2f}x   target >= 1.0x   {'PASS' if ratio >= 1.0 else 'FAIL'}")
    print(f"  per-round ratios: {', '.join(f'{r:.2f}' for r in ratios)}")

    sm2.clear_key_cache()
    ours_sm2, _ = interleaved(KeyKind.SM2, leaves, rounds, with_reference=False)
    print(f"3-level SM2 chain, cached intermediate ({rounds} rounds of {leaves} distinct leaves)")
    print(f"  certmutual Verifier            {statistics.median(ours_sm2):10.0f} validations/s (median; no in-process "
          "reference verifies SM2 chains: compare bench_sm2.py's openssl rate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
