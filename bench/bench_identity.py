"""Identities extracted per second over the corpus certificates, against a minimal reader measured in
the same run.

    python bench/bench_identity.py [--quick]

certmutual: ``identify(Certificate(der), profiles)`` (parse, choose the vendor profile, run its rules,
check every number, build the Identity with its evidence).
Reference: pyca/cryptography parsing the same DER and rendering the subject and every extension
value (the least any identity reader does), on the certificates pyca can parse.
Reads ``$CERTMUTUAL_SHARED/corpus/certs`` (default ../shared); prints a notice when it is absent.
This script only reports; its exit status is 0 (tests assert, benchmarks print).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography import x509 as pyca_x509  # noqa: E402

from certmutual.errors import CertmutualError  # noqa: E402
from certmutual.identity.extractor import identify  # noqa: E402
from certmutual.identity.profiles import load_profiles  # noqa: E402
from certmutual.pki.certificate import Certificate  # noqa: E402
from certmutual.pki.loading import load_certificates  # noqa: E402


def corpus_certificates() -> list[bytes]:
    shared = Path(os.environ.get("CERTMUTUAL_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    found = []
    for path in sorted((shared / "corpus" / "certs").rglob("*")):
        if path.is_file():
            try:
                found.append(load_certificates(str(path))[0].der)
            except (CertmutualError, OSError, ValueError):
                continue  # unreadable ones are the corpus walk's business, not a speed figure
    return found


def pyca_reader(der: bytes) -> None:
    cert = pyca_x509.load_der_x509_certificate(der)
    cert.subject.rfc4514_string()
    for extension in cert.extensions:
        extension.value


def rate(function: Callable[[bytes], object], items: list[bytes], seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in items:
            function(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def main() -> int:
    warnings.simplefilter("ignore")  # pyca warns about real certificates' RFC 5280 breaches; not our figure
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    ders = corpus_certificates()
    if not ders:
        print("bench_identity: no corpus certificates found (set CERTMUTUAL_SHARED); nothing measured")
        return 0
    profiles = load_profiles()
    readable_by_pyca = []
    for der in ders:
        try:
            pyca_reader(der)
            readable_by_pyca.append(der)
        except ValueError:
            continue
    rounds, seconds = (3, 0.5) if args.quick else (5, 2.0)
    ours_all, ours_common, reference = [], [], []
    for _ in range(rounds):  # interleaved: this machine's speed drifts within seconds
        ours_all.append(rate(lambda der: identify(Certificate(der), profiles), ders, seconds))
        ours_common.append(rate(lambda der: identify(Certificate(der), profiles), readable_by_pyca, seconds))
        reference.append(rate(pyca_reader, readable_by_pyca, seconds))
    ratio = statistics.median(a / b for a, b in zip(ours_common, reference))
    print(f"Identity extraction over {len(ders)} corpus certificates ({len(readable_by_pyca)} also readable by pyca), "
          f"{rounds} interleaved rounds")
    print(f"  certmutual identify (all)           {statistics.median(ours_all):10.0f} identities/s")
    print(f"  certmutual identify (pyca-readable) {statistics.median(ours_common):10.0f} identities/s")
    print(f"  pyca parse + subject + extensions   {statistics.median(reference):10.0f} certificates/s")
    print(f"  ratio                               {ratio:10.2f}x  (no target: a full identity costs more than a read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
