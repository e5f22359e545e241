"""SM3 (GB/T 32905-2016), the hash behind SM2 signatures, always computed in C.

OpenSSL provides SM3; ``hashlib`` exposes it when Python's OpenSSL build does. If it does not, we fall back
to pyca/cryptography's ``hashes.SM3`` (its own bundled OpenSSL). There is deliberately no pure-Python
SM3: it would be two orders of magnitude slower and a second implementation to get right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

SM3_DIGEST_SIZE: int = 32
"""Length of an SM3 digest in bytes."""

BytesLike = bytes | bytearray | memoryview
"""What the hashing functions (and :mod:`certmutual.crypto.sm2`) accept as input bytes."""


def _make_sm3() -> Callable[[tuple[BytesLike, ...]], bytes]:
    try:
        hashlib.new("sm3", b"")
    except ValueError:  # this Python's OpenSSL has no SM3 (or hides it)
        from cryptography.hazmat.primitives import hashes

        def _sm3_cryptography(parts: tuple[BytesLike, ...]) -> bytes:
            h = hashes.Hash(hashes.SM3())
            for part in parts:
                h.update(part)
            return h.finalize()

        return _sm3_cryptography

    _new = hashlib.new

    def _sm3_hashlib(parts: tuple[BytesLike, ...]) -> bytes:
        h = _new("sm3", parts[0])
        for part in parts[1:]:
            h.update(part)
        return h.digest()

    return _sm3_hashlib


_sm3_impl: Callable[[tuple[BytesLike, ...]], bytes] = _make_sm3()


def sm3(data: BytesLike) -> bytes:
    """Return the 32-byte SM3 digest of ``data``.

    :param data: the message (``bytes``, ``bytearray`` or ``memoryview``).
    :returns: the digest, :data:`SM3_DIGEST_SIZE` bytes.
    """
    return _sm3_impl((data,))


def sm3_concat(first: BytesLike, *rest: BytesLike) -> bytes:
    """SM3 of ``first || rest[0] || ...`` without copying the parts together (e.g. Z_A || M).

    :returns: the digest, :data:`SM3_DIGEST_SIZE` bytes.
    """
    return _sm3_impl((first, *rest))
