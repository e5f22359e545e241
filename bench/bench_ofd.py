"""OFD documents verified per second: a 20-page document with 10 SM2 seal signatures (GB/T 38540
SES_Signature v4, one stamp each, every one protecting all pages), built by this script.

Verifying it means, per signature: reading Signature.xml safely, hashing every referenced file (SM3),
checking the stamp's page, and the seal signature (two SM2 verifications: the seal maker's over
SES_SealInfo and the signer's over TBS_Sign), the Seal.esl copy, and the maker's and signer's
certificates under a cached CA (the Verifier keeps CA outcomes, as a gateway does).

References measured in the same run, interleaved with the verifications (the machine's speed swings):
  unzip+sm3  : open the package with ``zipfile`` and SM3-hash every member (the I/O floor);
  sm2 x N    : the bare SM2 verifications the document needs (``certmutual.crypto.sm2.verify``), on
               pre-loaded keys: the cryptographic floor.

Usage: python bench/bench_ofd.py [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certmutual.crypto import sm2  # noqa: E402
from certmutual.documents.ofd import verify_ofd  # noqa: E402
from certmutual.pki.builder import KeyKind  # noqa: E402
from certmutual.pki.certificate import Certificate  # noqa: E402
from tests.documents.ofd_factory import OfdBuilder, SignatureSpec  # noqa: E402
from tests.pki_factory import REF_TIME, make_chain  # noqa: E402

PAGES, STAMPS = 20, 10


def build() -> tuple[bytes, object, list[tuple[sm2.SM2PublicKey, bytes, bytes]]]:
    chain = make_chain(KeyKind.SM2, key_label="bench-ofd")
    builder = OfdBuilder(chain).add_pages(PAGES)
    for stamp in range(STAMPS):
        builder.sign(SignatureSpec(kind="ses", pages=(stamp * 2,)))
    # The SM2 verifications the document needs, as bare (key, message, signature) triples.
    from certmutual.documents.seal_signatures import embedded_seal
    from certmutual.asn1 import der

    bare = []
    for stamp in range(STAMPS):
        value = builder.files[f"Doc_0/Signs/Sign_{stamp}/SignedValue.dat"]
        tbs, _, _, _ = _four(value)
        signature = _bit_string(value, 3)
        bare.append((Certificate(chain.leaf.der).public_key.impl, tbs, signature))
        seal = embedded_seal(value)
        seal_info, maker, _, _ = _four(seal)
        _, maker_start, maker_end = der.read_header(maker, 0)
        bare.append((Certificate(maker[maker_start:maker_end]).public_key.impl, seal_info, _bit_string(seal, 3)))
    return builder.build(), chain, bare


def _four(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    from certmutual.asn1 import der

    _, start, end = der.read_header(data, 0)
    parts = der.elements(data, start, end)
    a, b, c, d = (data[p[1]:p[3]] for p in parts[:4])
    return a, b, c, d


def _bit_string(data: bytes, index: int) -> bytes:
    from certmutual.asn1 import der

    _, start, end = der.read_header(data, 0)
    _, _, content_start, element_end = der.elements(data, start, end)[index]
    return data[content_start + 1:element_end]


def unzip_and_hash(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            hashlib.new("sm3", archive.read(info)).digest()


def per_second(function: Callable[[], None], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while True:
        function()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description="OFD verification benchmark")
    parser.add_argument("--quick", action="store_true", help="short run")
    args = parser.parse_args()
    rounds, seconds = (3, 1.0) if args.quick else (5, 3.0)

    document, chain, bare = build()
    verifier = chain.verifier()  # type: ignore[attr-defined]
    first = time.perf_counter()
    result = verify_ofd(document, verifier, at=REF_TIME)
    cold = time.perf_counter() - first
    if not result.accepted or len(result.signatures) != STAMPS:
        raise SystemExit(f"the benchmark document did not verify: {result.reasons}")

    def verify() -> None:
        verify_ofd(document, verifier, at=REF_TIME)

    def bare_sm2() -> None:
        for key, message, signature in bare:
            sm2.verify(key, message, signature)

    ours, unzip, crypto = [], [], []
    for _ in range(rounds):
        ours.append(per_second(verify, seconds))
        unzip.append(per_second(lambda: unzip_and_hash(document), seconds / 3))
        crypto.append(per_second(bare_sm2, seconds / 3))
    rate, unzip_rate, crypto_rate = (statistics.median(v) for v in (ours, unzip, crypto))
    members = len(zipfile.ZipFile(io.BytesIO(document)).namelist())
    print(f"OFD: {PAGES} pages, {STAMPS} SM2 seal signatures (SES v4), {members} members, {len(document)} bytes; "
          f"{rounds} interleaved rounds")
    print(f"  certmutual verify_ofd            {rate:9.1f} documents/s  ({rate * STAMPS:7.1f} signatures/s; "
          f"first, cold run {cold * 1000:.0f} ms)")
    print(f"  reference: unzip + SM3 members   {unzip_rate:9.1f} packages/s   ratio {rate / unzip_rate:.4f}x")
    print(f"  reference: {len(bare)} bare SM2 verifies   {crypto_rate:9.1f} sets/s       ratio {rate / crypto_rate:.2f}x "
          "(1.0 = nothing but the signature maths)")
    print(f"  per-round documents/s: {', '.join(f'{r:.1f}' for r in ours)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
