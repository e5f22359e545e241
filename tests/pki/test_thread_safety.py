"""One Verifier shared by many threads gives exactly the single-threaded verdicts.

The Verifier's caches (parsed certificates, signature outcomes) and the certificates' lazily
computed properties are filled concurrently here, from a cold start.
"""

from __future__ import annotations

import random
import sys
import threading

import pytest

from certmutual import Policy, ReasonCode, Verifier
from certmutual.pki.builder import KeyKind
from tests.pki_factory import DAY, REF_TIME, corrupt_signature, get_key, leaf_name, make_chain

THREADS = 8
ROUNDS = 6


def _workload():
    """(verifier factory, [(label, leaf DER)]) over an SM2 and an RSA hierarchy."""
    anchors, intermediates, crls, items = [], [], [], []
    for kind in (KeyKind.SM2, KeyKind.RSA2048):
        chain = make_chain(kind)
        revoked = chain.issue_leaf(serial=0x3003, subject=leaf_name("Revoked Leaf"))
        expired = chain.issue_leaf(serial=0x3004, subject=leaf_name("Expired Leaf"), not_after=REF_TIME - DAY)
        stranger = chain.issue_leaf(serial=0x3005, subject=leaf_name("Stranger Leaf"),
                                    issuer_key=get_key(kind, "stranger"))
        anchors.append(chain.root)
        intermediates.append(chain.intermediate)
        crls += [chain.crl(revoked=[(revoked.serial, REF_TIME - DAY)]), chain.crl("root")]
        items += [
            (f"{kind.value}-good", chain.leaf.der),
            (f"{kind.value}-good-again", chain.issue_leaf(serial=0x3006, subject=leaf_name("Another Leaf")).der),
            (f"{kind.value}-revoked", revoked.der),
            (f"{kind.value}-expired", expired.der),
            (f"{kind.value}-bad-signature", stranger.der),
            (f"{kind.value}-corrupted", corrupt_signature(chain.leaf.der)),
            (f"{kind.value}-malformed", chain.leaf.der[:-5]),
        ]

    def verifier() -> Verifier:
        return Verifier(anchors, intermediates=intermediates, crls=crls, policy=Policy(require_revocation=True))

    return verifier, items


@pytest.fixture
def fast_switching():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # make threads interleave inside the verifier as often as possible
    yield
    sys.setswitchinterval(previous)


def test_concurrent_verification_matches_single_threaded(fast_switching) -> None:
    make_verifier, items = _workload()
    baseline_verifier = make_verifier()
    expected = {label: baseline_verifier.verify_certificate(data, at=REF_TIME).to_dict() for label, data in items}
    # The workload really is a mix of verdicts.
    codes = {label: result["reasons"][0]["code"] for label, result in expected.items()}
    assert codes["sm2-good"] == codes["rsa2048-good"] == ReasonCode.OK.value
    assert codes["sm2-revoked"] == codes["rsa2048-revoked"] == ReasonCode.REVOKED.value
    assert codes["sm2-expired"] == codes["rsa2048-expired"] == ReasonCode.EXPIRED.value
    assert codes["sm2-bad-signature"] == ReasonCode.BAD_SIGNATURE.value
    assert codes["sm2-malformed"] == ReasonCode.MALFORMED.value

    shared = make_verifier()  # cold caches, filled concurrently
    barrier = threading.Barrier(THREADS)
    mismatches: list[tuple[str, dict, dict]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        order = [item for _ in range(ROUNDS) for item in items]
        random.Random(seed).shuffle(order)
        try:
            barrier.wait()
            for label, data in order:
                got = shared.verify_certificate(data, at=REF_TIME).to_dict()
                if got != expected[label]:
                    with lock:
                        mismatches.append((label, got, expected[label]))
        except BaseException as exc:  # surface it in the main thread
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a verifier thread hung"
    assert not errors, errors
    assert not mismatches, mismatches[:3]


def test_concurrent_first_use_of_one_certificate_object(fast_switching) -> None:
    """Many threads verifying the *same* parsed Certificate objects at once (lazy properties)."""
    chain = make_chain(KeyKind.SM2)
    from certmutual.pki.certificate import Certificate

    leaf, intermediate, root = (Certificate(c.der) for c in chain.certificates)
    verifier = Verifier([root], intermediates=[intermediate])
    barrier = threading.Barrier(THREADS)
    results: list[str] = []

    def worker() -> None:
        barrier.wait()
        results.append(verifier.verify_certificate(leaf, at=REF_TIME).status.value)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["valid"] * THREADS
