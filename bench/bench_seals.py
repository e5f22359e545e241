"""GB/T 38540 (v4) seal signatures verified per second, against the raw SM2 verification of the same
signatures measured in the same run.

    python bench/bench_seals.py            # 3 interleaved rounds, 2 s per measurement (~40 s)
    python bench/bench_seals.py --quick    # 1 round, 1 s per measurement (~15 s)

Workload: one root → issuing CA (SM2); one seal maker; 512 signers, each with its own v4 seal (a 16 KB
PNG picture, as real seals carry) listing its certificate, and one signature over its own document:
512 distinct SES_Signature values (~18 KB each). Every pass starts as a gateway meets new signers
under known CAs ("cached CA keys"): a fresh Verifier that knows the root and the CA, SM2 key tables
cleared and then precomputed for the CA and the maker only, the seal layer's caches emptied; so each
signature is by a signer, and in a seal, the verifier has not seen (no key table, no remembered
outcome), while the CA keys are as warm as in a long-running gateway.

Measured, interleaved round by round:
    (a) certmutual ``verify_seal_signature(data, verifier, signed_data=...)``, each signature once per
        pass: parse; the signature over TBS_Sign; the signer listed in the seal; the embedded seal
        (maker signature, maker chain, validity window); the signer's chain at the signing time;
        dataHash; the signer's identity;
    (b) reference: ``certmutual.crypto.sm2.verify(signer_key, TBS_Sign, signature)`` over the same
        512 signatures, under the same cache state: the one SM2 verification a seal signature cannot
        do without.
The ratio (a)/(b) says what a complete seal-signature verdict costs in units of one bare SM2 verify
of the same signature: 0.25 would mean a full verdict costs as much as four SM2 verifications. The
floor is set by the SM2 verifications a verdict must make for a signer the verifier has not seen
((the signature with a one-off key, the CA's signature on the signer's certificate, the maker's
signature on the seal; the last two with precomputed tables) plus parsing ~18 KB.
``openssl speed sm2`` is printed alongside (when available) to place both on an absolute scale.
Rates are per CPU second. This script only reports; its exit status is 0.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from asn1crypto import core  # noqa: E402

from certmutual import Verifier  # noqa: E402
from certmutual.asn1 import gbt38540  # noqa: E402
from certmutual.crypto import sm2  # noqa: E402
from certmutual.crypto.oids import SM_OID  # noqa: E402
from certmutual.crypto.sm3 import sm3  # noqa: E402
from certmutual.pki.builder import KeyKind, SigningKey, issue_certificate, name  # noqa: E402
from certmutual.pki.certificate import Certificate  # noqa: E402
from certmutual.seals import parse_seal_signature, verify_seal_signature  # noqa: E402
from certmutual.seals.verify import clear_caches  # noqa: E402

T = TypeVar("T")
UTC = datetime.timezone.utc
NOW = datetime.datetime(2025, 6, 1, 12, tzinfo=UTC)
SIGNERS = 512


def _certificate(subject: str, key: SigningKey, issuer: Certificate | None, issuer_key: SigningKey, ca: bool) -> Certificate:
    return issue_certificate(
        subject=name({"country_name": "CN", "common_name": subject}), subject_key=key, issuer_key=issuer_key,
        issuer=issuer.subject if issuer is not None else None, not_before=NOW - datetime.timedelta(days=700),
        not_after=NOW + datetime.timedelta(days=700), ca=ca,
        key_usage=() if ca else ("digital_signature", "non_repudiation"),
    )


def build_workload() -> tuple[tuple[Certificate, Certificate, Certificate], list[tuple[bytes, bytes]]]:
    """(root, CA, maker) and (SES_Signature, signed data) pairs (see the module docstring)."""
    root_key, ca_key, maker_key = (SigningKey.generate(KeyKind.SM2) for _ in range(3))
    root = _certificate("Bench Root", root_key, None, root_key, True)
    ca = _certificate("Bench CA", ca_key, root, root_key, True)
    maker = _certificate("Bench Seal Maker", maker_key, ca, ca_key, False)
    picture = b"\x89PNG\r\n\x1a\n" + os.urandom(16 * 1024)
    start, end = NOW - datetime.timedelta(days=30), NOW + datetime.timedelta(days=365)
    work = []
    for number in range(SIGNERS):
        key = SigningKey.generate(KeyKind.SM2)
        signer = _certificate(f"Bench Signer {number}", key, ca, ca_key, False)
        info = gbt38540.SES_SealInfo({
            "header": {"ID": "ES", "version": 4, "Vid": "BENCH"},
            "esID": f"BENCH{number:08d}",
            "property": {"type": 1, "name": f"测试单位{number}公章", "certListType": 1,
                         "certList": gbt38540.CertInfoList([signer.der]), "createDate": start, "validStart": start,
                         "validEnd": end},
            "picture": {"type": "PNG", "data": picture, "width": 40, "height": 40},
        })
        seal = gbt38540.SESeal({"eSealInfo": info, "cert": maker.der, "signAlgID": SM_OID.SM2_WITH_SM3,
                                "signedValue": maker_key.sign(info.dump())})
        data = f"<ofd:Signature Id='{number}'/>".encode() + os.urandom(64)
        tbs = gbt38540.TBS_Sign({"version": 4, "eseal": seal, "timeInfo": core.GeneralizedTime(NOW),
                                 "dataHash": sm3(data), "propertyInfo": "/Doc_0/Signs/Sign_0/Signature.xml"})
        value = gbt38540.SES_Signature({"toSign": tbs, "cert": signer.der, "signatureAlgID": SM_OID.SM2_WITH_SM3,
                                        "signature": key.sign(tbs.dump())}).dump()
        work.append((bytes(value), data))
    return (root, ca, maker), work


def openssl_sm2_verify_per_second(seconds: int) -> float | None:
    try:
        proc = subprocess.run(["openssl", "speed", "-seconds", str(seconds), "sm2"], capture_output=True, text=True,
                              timeout=10 * seconds + 60)
    except (OSError, subprocess.SubprocessError):
        return None
    for line in proc.stdout.splitlines():
        match = re.search(r"bits SM2\b.*\s([\d.]+)\s+([\d.]+)\s*$", line)
        if match:
            return float(match.group(2))
    return None


def pass_rate(items: Sequence[T], op: Callable[[T], object], reset: Callable[[], None]) -> float:
    """Operations per CPU second of ``op`` over ``items``, one pass after ``reset()`` (not timed)."""
    reset()
    start = time.process_time()
    for item in items:
        op(item)
    return len(items) / (time.process_time() - start)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one short round")
    ap.add_argument("--seconds", type=float, default=None, help="passes per round (default 2; 1 with --quick)")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 3; 1 with --quick)")
    args = ap.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else (1.0 if args.quick else 2.0)
    rounds = max(1, args.rounds if args.rounds is not None else (1 if args.quick else 3))

    t0 = time.perf_counter()
    (root, ca, maker), work = build_workload()
    print(f"{len(work)} v4 seal signatures from {SIGNERS} signers, "
          f"{statistics.mean(len(v) for v, _ in work) / 1024:.1f} KB each; built in {time.perf_counter() - t0:.1f} s")
    raw = []
    for value, _ in work:
        parsed = parse_seal_signature(value)
        raw.append((Certificate(parsed.signer_certificate).public_key.impl, parsed.signed_bytes, parsed.signature))
    warm_keys = [ca.public_key.impl, maker.public_key.impl]
    state: dict[str, Verifier] = {}

    def reset() -> None:
        """New signers under known CAs: CA and maker tables precomputed, nothing else remembered."""
        sm2.clear_key_cache()
        for key in warm_keys:
            sm2.precompute(key)
        clear_caches()
        state["verifier"] = Verifier([root], intermediates=[ca])
        verify_seal_signature(work[0][0], state["verifier"], signed_data=work[0][1])  # CA certificates read once

    reset()
    assert all(verify_seal_signature(v, state["verifier"], signed_data=d).accepted for v, d in work[:8])

    def full(item: tuple[bytes, bytes]) -> None:
        verify_seal_signature(item[0], state["verifier"], signed_data=item[1])

    def bare(item: tuple[sm2.SM2PublicKey, bytes, bytes]) -> None:
        sm2.verify(*item)

    seal_rates: list[float] = []
    raw_rates: list[float] = []
    ratios: list[float] = []
    passes = max(1, round(seconds))
    for number in range(rounds):
        print(f"round {number + 1}/{rounds} ...", end="", flush=True)
        for _ in range(passes):
            before = pass_rate(raw, bare, reset)
            value = pass_rate(work[1:], full, reset)
            after = pass_rate(raw, bare, reset)
            seal_rates.append(value)
            raw_rates.append((before + after) / 2)
            ratios.append(value / raw_rates[-1])
        print(" done", flush=True)
    ossl = openssl_sm2_verify_per_second(max(1, round(seconds)))
    median = statistics.median
    print()
    print(f"  {'':<48}{'ops/s':>10}{'ratio':>10}")
    print(f"  {'raw SM2 verify of the same signatures (reference)':<48}{median(raw_rates):>10.1f}{1:>9.2f}x")
    print(f"  {'v4 seal signatures, full verdict':<48}{median(seal_rates):>10.1f}{median(ratios):>9.2f}x")
    if ossl is not None:
        print(f"  {'openssl speed sm2: verify (context)':<48}{ossl:>10.1f}{ossl / median(raw_rates):>9.2f}x")
    print()
    print(f"  a full verdict costs {1 / median(ratios):.1f} bare SM2 verifications of the same signature "
          f"(ratios per round: {', '.join(f'{r:.2f}' for r in ratios)})")
    print("  each seal-signature pass sits between two reference passes; figures are medians over passes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
