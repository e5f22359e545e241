"""Differential test: certmutual's SM2 against gmssl (duanhongyi), an independent pure-Python SM2.

Both directions, >= 1000 (key, message) pairs each: certmutual signs and gmssl verifies, gmssl signs
and certmutual verifies; plus tampered signatures that both must reject. Agreement must be 100%.

gmssl quirks worked around here:
- ``CryptSM2.__init__`` strips a ``04`` prefix with ``str.lstrip("04")``, which also eats leading
  '0'/'4' hex digits of x: about 1 key in 8 with the prefix, and still 1 in 256 without it (when x's
  hex starts with "04"). We set the ``public_key`` attribute to x||y (128 hex digits) after
  construction, which bypasses the stripping altogether.
- ``sign`` returns None when its random k gives r == 0, r + k == n or s == 0: we retry.
- gmssl does not range-check r and s (it checks only (r + s) mod n != 0), so the tampered cases stay
  inside [1, n-1], where the two must agree.
gmssl is slow (~10 ms per signature, ~15 ms per verification): a few keys are reused across many
messages, and the keys are spread over worker processes (one per core, at most 4). About 30 s of CPU.
"""

from __future__ import annotations

import os
import random
from concurrent.futures import ProcessPoolExecutor

import pytest

from certmutual.crypto import _sm2_curve, sm2
from certmutual.errors import InvalidSignature

gm = pytest.importorskip("gmssl.sm2")

N = _sm2_curve.N
KEYS = 20
MESSAGES_PER_KEY = 50  # 20 x 50 = 1000 pairs in each direction
TAMPERED_PER_KEY = 2  # x 2 signers x 3 kinds = 240 tampered checks


def _gmssl(key: sm2.SM2PrivateKey) -> object:
    pub = key.public_key
    xy = f"{pub.x:064x}{pub.y:064x}"
    crypt = gm.CryptSM2(private_key=f"{key.d:064x}", public_key=xy)
    crypt.public_key = xy  # undo __init__'s lstrip("04") (see the module docstring)
    return crypt


def _gmssl_sign(crypt: object, msg: bytes) -> str:
    for _ in range(10):
        sig = crypt.sign_with_sm3(msg)  # type: ignore[attr-defined]
        if sig is not None:
            return str(sig)
    raise AssertionError("gmssl failed to sign 10 times in a row")


def _ours_accepts(pub: sm2.SM2PublicKey, msg: bytes, sig: bytes) -> bool:
    try:
        sm2.verify(pub, msg, sig)
    except InvalidSignature:
        return False
    return True


def _tamper(rng: random.Random, msg: bytes, r: int, s: int) -> list[tuple[bytes, int, int]]:
    """Message bit flip, r bit flip, s bit flip; r and s kept in [1, n-1] (see module docstring)."""
    out = []
    bit = rng.randrange(8 * len(msg))
    flipped = bytearray(msg)
    flipped[bit // 8] ^= 1 << (bit % 8)
    out.append((bytes(flipped), r, s))
    for which in ("r", "s"):
        while True:
            delta = 1 << rng.randrange(256)
            r2, s2 = (r ^ delta, s) if which == "r" else (r, s ^ delta)
            if 0 < r2 < N and 0 < s2 < N and (r2 + s2) % N:
                break
        out.append((msg, r2, s2))
    return out


def _check_key(index: int) -> tuple[dict[str, int], list[str]]:
    """All checks for one key: MESSAGES_PER_KEY pairs each way plus tampered signatures."""
    rng = random.Random(f"certmutual-sm2-differential-{index}")  # per key, so any split is reproducible
    key = sm2.SM2PrivateKey(rng.randrange(1, N - 1))
    pub = key.public_key
    crypt = _gmssl(key)
    disagreements: list[str] = []
    pairs = {"certmutual->gmssl": 0, "gmssl->certmutual": 0, "tampered": 0}
    for i in range(MESSAGES_PER_KEY):
        msg = rng.randbytes(rng.randrange(1, 300))
        label = f"key {index} message {i} ({msg[:8].hex()}...)"

        # certmutual signs, gmssl verifies (raw r||s hex)
        r, s = sm2.decode_signature(key.sign(msg))
        if not crypt.verify_with_sm3(f"{r:064x}{s:064x}", msg):  # type: ignore[attr-defined]
            disagreements.append(f"{label}: gmssl rejects certmutual's signature")
        pairs["certmutual->gmssl"] += 1

        # gmssl signs, certmutual verifies (the same raw form, and as DER)
        gsig = bytes.fromhex(_gmssl_sign(crypt, msg))
        if not _ours_accepts(pub, msg, gsig):
            disagreements.append(f"{label}: certmutual rejects gmssl's signature")
        gr, gs = sm2.decode_signature(gsig)
        if not _ours_accepts(pub, msg, sm2.encode_der_signature(gr, gs)):
            disagreements.append(f"{label}: certmutual rejects gmssl's signature as DER")
        pairs["gmssl->certmutual"] += 1

        if i < TAMPERED_PER_KEY:
            for source, (tr, ts) in (("certmutual", (r, s)), ("gmssl", (gr, gs))):
                for tmsg, br, bs in _tamper(rng, msg, tr, ts):
                    ours = _ours_accepts(pub, tmsg, sm2.encode_der_signature(br, bs))
                    theirs = bool(crypt.verify_with_sm3(f"{br:064x}{bs:064x}", tmsg))  # type: ignore[attr-defined]
                    if ours or theirs:
                        disagreements.append(
                            f"{label}: tampered {source} signature accepted (certmutual={ours}, gmssl={theirs})"
                        )
                    pairs["tampered"] += 1
    return pairs, disagreements


def test_differential_against_gmssl() -> None:
    # gmssl is the bottleneck and pure Python: spread the keys over the available cores.
    workers = max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 4))
    totals = {"certmutual->gmssl": 0, "gmssl->certmutual": 0, "tampered": 0}
    disagreements: list[str] = []
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_check_key, range(KEYS)))
    else:
        results = [_check_key(i) for i in range(KEYS)]
    for pairs, found in results:
        for name, count in pairs.items():
            totals[name] += count
        disagreements.extend(found)
    assert totals["certmutual->gmssl"] >= 1000 and totals["gmssl->certmutual"] >= 1000, totals
    assert totals["tampered"] >= 100, totals
    assert not disagreements, f"{len(disagreements)} disagreements, e.g. {disagreements[:5]}"


def test_gmssl_prefix_quirk_is_avoided() -> None:
    # Keys whose x (hex) starts with "04" are mangled by gmssl's lstrip("04") even without a prefix;
    # _gmssl() must hand them over intact.
    rng = random.Random(7)
    for _ in range(5000):
        key = sm2.SM2PrivateKey(rng.randrange(1, N - 1))
        if f"{key.public_key.x:064x}".startswith("04"):
            break
    else:
        pytest.skip("no key with x starting with hex 04 found")
    msg = b"prefix quirk"
    crypt = _gmssl(key)
    r, s = sm2.decode_signature(key.sign(msg))
    assert crypt.verify_with_sm3(f"{r:064x}{s:064x}", msg)  # type: ignore[attr-defined]
    sm2.verify(key.public_key, msg, bytes.fromhex(_gmssl_sign(crypt, msg)))
