"""Checking that one PKI object was signed by a certificate's key, with a shared cache.

The outcome of verifying fixed bytes with a fixed key never changes, so it is cached: a CA that has
signed thousands of leaves has its own certificate's signature verified once, and a second leaf
under the same intermediate costs one signature verification. The cache is bounded and thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

from certmutual.crypto import registry
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason
from certmutual.pki.certificate import Certificate
from certmutual.results import Reason, ReasonCode


class SignedObject(Protocol):
    sha256: str
    tbs: bytes
    signature_algorithm: str
    signature_parameters: bytes | None
    signature: bytes


_MISSING = object()


class SignatureCache:
    """An LRU of signature outcomes keyed by (signed object, signer, options)."""

    def __init__(self, size: int = 8192) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, str, bytes, bool], Reason | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, bytes, bool]) -> tuple[bool, Reason | None]:
        # No lock: each OrderedDict call is atomic under the GIL, and a hit evicted by another
        # thread between the two calls only misses its move to the recent end.
        outcome = self._entries.get(key, _MISSING)
        if outcome is _MISSING:
            return False, None
        try:
            self._entries.move_to_end(key)
        except KeyError:
            pass
        return True, outcome  # type: ignore[return-value]  # not typing.cast: a call

    def put(self, key: tuple[str, str, bytes, bool], outcome: Reason | None) -> None:
        with self._lock:
            self._entries[key] = outcome
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def check_signed_by(
    signed: SignedObject,
    signer: Certificate,
    *,
    sm2_user_id: bytes,
    allow_weak: bool,
    cache: SignatureCache | None,
    what: str,
) -> Reason | None:
    """None if ``signer``'s key made ``signed``'s signature; otherwise the reason it did not.

    ``what`` names the signed object in the reason's message. Checks only the maths and the
    algorithm; whether ``signer`` may sign (CA, keyUsage) is for the path checks.
    """
    key = (signed.sha256, signer.sha256, sm2_user_id, allow_weak)
    if cache is not None:
        hit, outcome = cache.get(key)
        if hit:
            return outcome
    outcome = _verify(signed, signer, sm2_user_id, allow_weak, what)
    if cache is not None:
        cache.put(key, outcome)
    return outcome


def _verify(signed: SignedObject, signer: Certificate, sm2_user_id: bytes, allow_weak: bool, what: str) -> Reason | None:
    try:
        registry.verify_signature(
            signer.public_key, signed.signature_algorithm, signed.signature_parameters,
            signed.signature, signed.tbs, sm2_user_id=sm2_user_id, allow_weak=allow_weak,
        )
    except InvalidSignature as exc:
        return Reason(ReasonCode.BAD_SIGNATURE, f"{what}: {exc} with the key of {signer.subject_text}", what)
    except UnsupportedAlgorithm as exc:
        code = ReasonCode.WEAK_ALGORITHM if exc.reason is UnsupportedReason.WEAK_ALGORITHM else ReasonCode.UNSUPPORTED_ALGORITHM
        return Reason(code, f"{what}: {exc}", what)
    except MalformedInput as exc:
        return Reason(ReasonCode.MALFORMED, f"{what}: issuer key of {signer.subject_text}: {exc}", what)
    return None
