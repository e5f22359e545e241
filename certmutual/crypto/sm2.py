"""SM2 digital signatures (GB/T 32918.2-2016) over sm2p256v1 (GB/T 32918.5-2017), with SM3.

Hazmat layer: certificates, seals and user-ID policy live above this module.

What :func:`verify` / :func:`verify_digest` check
    - the public key is a finite point on sm2p256v1 with coordinates below p (checked when an
      :class:`SM2PublicKey` is made; the cofactor is 1, so every such point is in the group);
    - the signature decodes as strict DER ``SEQUENCE { INTEGER r, INTEGER s }`` with nothing after it,
      as raw 64-byte r||s, or as a 128-byte SKF ``ECCSIGNATUREBLOB`` (see :func:`decode_signature`);
    - 1 <= r, s <= n-1 and t = (r + s) mod n != 0;
    - (x1, y1) = [s]G + [t]P_A is not infinity and (e + x1) mod n == r, with e = SM3(Z_A || M).

What they do not check
    - which user ID the signer meant: the caller passes it (default ``1234567812345678``, GM/T 0009);
      trying alternative IDs is policy, and belongs to the layer above;
    - anything about the certificate the key came from.

Speed
    [s]G comes from a fixed-base table built once (lazily, ~60 ms). A key seen for the first time
    costs a wNAF scalar multiplication (256 doublings). On a key's second *successful* verification
    (CA keys verify thousands of leaves) a per-key table is built (~20 ms) and kept in a small
    thread-safe LRU; from then on [t]P_A needs no doublings either. Z_A values are cached for all
    keys. On the 2-core reference machine that is ~2-3x ``openssl speed sm2`` verifications per
    second with a cached key and ~0.5-0.7x with one-off keys (``bench/bench_sm2.py``).
    :func:`precompute` builds a key's table up front; :func:`clear_key_cache` forgets them all.

Signing
    :meth:`SM2PrivateKey.sign` exists for test PKIs and for signing trust lists. k comes from
    ``secrets``, but the scalar multiplication is *not* constant-time (table lookups and branches
    depend on k) and nothing resists fault or side-channel attacks: not HSM-grade. Keep production CA
    keys in hardware.
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from certmutual.crypto import _sm2_curve as _curve
from certmutual.crypto.sm3 import BytesLike, sm3, sm3_concat
from certmutual.errors import InvalidSignature, MalformedInput, UsageError

__all__ = [
    "CURVE_OID",
    "DEFAULT_USER_ID",
    "SM2PrivateKey",
    "SM2PublicKey",
    "clear_key_cache",
    "compute_za",
    "decode_signature",
    "encode_der_signature",
    "key_cache_info",
    "precompute",
    "verify",
    "verify_digest",
]

DEFAULT_USER_ID: bytes = b"1234567812345678"
"""GM/T 0009-2012 §10 default signer ID (also GB/T 35276-2017). OpenSSL's default is empty: see §1.6."""

CURVE_OID = "1.2.156.10197.1.301"

_P, _N = _curve.P, _curve.N
_MAX_ID_BYTES = 8191  # ENTL is the ID's length in *bits* in two bytes: 8191 * 8 = 65528 <= 0xFFFF
_CURVE_BYTES = b"".join(v.to_bytes(32, "big") for v in (_curve.A, _curve.B, _curve.GX, _curve.GY))


# --- keys -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SM2PublicKey:
    """A point on sm2p256v1. Construction validates it, so every instance is a usable key.

    :raises MalformedInput: if (x, y) is not a finite point on the curve with coordinates below p.
    """

    x: int
    y: int

    def __post_init__(self) -> None:
        if type(self.x) is not int or type(self.y) is not int:
            raise UsageError("SM2PublicKey coordinates must be int")
        if not _curve.is_on_curve(self.x, self.y):
            raise MalformedInput("SM2 public key: point is not on sm2p256v1")

    @classmethod
    def from_bytes(cls, encoded: BytesLike) -> SM2PublicKey:
        """Decode ``04||x||y`` (65 bytes), compressed ``02/03||x`` (33 bytes) or bare ``x||y`` (64 bytes).

        :raises MalformedInput: any other length or prefix, infinity (``00``), a coordinate >= p, or a
            point not on the curve.
        """
        if not isinstance(encoded, (bytes, bytearray, memoryview)):
            raise UsageError("SM2PublicKey.from_bytes needs bytes")
        data = bytes(encoded)
        if len(data) == 65 and data[0] == 0x04:
            x, y = int.from_bytes(data[1:33], "big"), int.from_bytes(data[33:], "big")
        elif len(data) == 64:  # raw x||y as some SDKs and gmssl emit it
            x, y = int.from_bytes(data[:32], "big"), int.from_bytes(data[32:], "big")
        elif len(data) == 33 and data[0] in (0x02, 0x03):
            x = int.from_bytes(data[1:], "big")
            lifted = _curve.lift_x(x, data[0] == 0x03)
            if lifted is None:
                raise MalformedInput("SM2 public key: compressed x is not on sm2p256v1")
            y = lifted
        else:
            raise MalformedInput(f"SM2 public key: unsupported encoding ({len(data)} bytes)")
        return cls(x, y)

    def to_bytes(self) -> bytes:
        """The 65-byte uncompressed encoding ``04||x||y``."""
        return b"\x04" + self.x.to_bytes(32, "big") + self.y.to_bytes(32, "big")


@dataclass(frozen=True)
class SM2PrivateKey:
    """An SM2 private key d, 1 <= d <= n-2 (GB/T 32918.1 §6.1). For test PKIs and trust-list signing."""

    d: int = field(repr=False)  # never in reprs or logs

    def __post_init__(self) -> None:
        if type(self.d) is not int:
            raise UsageError("SM2PrivateKey.d must be int")
        if not 1 <= self.d <= _N - 2:  # n-1 is excluded: s needs (1 + d)^-1 mod n
            raise MalformedInput("SM2 private key out of range [1, n-2]")

    @classmethod
    def generate(cls) -> SM2PrivateKey:
        """A fresh key from ``secrets``."""
        return cls(secrets.randbelow(_N - 2) + 1)

    @classmethod
    def from_int(cls, d: int) -> SM2PrivateKey:
        return cls(d)

    @classmethod
    def from_bytes(cls, encoded: BytesLike) -> SM2PrivateKey:
        """Decode 32 big-endian bytes. :raises MalformedInput: wrong length or out of range."""
        if len(encoded) != 32:
            raise MalformedInput("SM2 private key must be 32 bytes")
        return cls(int.from_bytes(encoded, "big"))

    def to_bytes(self) -> bytes:
        return self.d.to_bytes(32, "big")

    @functools.cached_property
    def public_key(self) -> SM2PublicKey:
        """P = [d]G (computed once per key object)."""
        xy = _curve.to_affine(*_g_table().mul(self.d))
        assert xy is not None  # 1 <= d < n
        return SM2PublicKey(*xy)

    @functools.cached_property
    def _inv_1_plus_d(self) -> int:
        return pow(1 + self.d, -1, _N)

    def sign(self, data: BytesLike, user_id: BytesLike = DEFAULT_USER_ID) -> bytes:
        """DER ``SEQUENCE{r, s}`` over e = SM3(Z_A || data), Z_A from this key's public key and ``user_id``."""
        e = sm3_concat(compute_za(self.public_key, user_id), data)
        return encode_der_signature(*self.sign_digest(e))

    def sign_digest(self, e: BytesLike) -> tuple[int, int]:
        """Sign a prepared digest e = SM3(Z_A || M) (GB/T 32918.2 §6.1 steps A3-A7), returning (r, s).

        e is read as one big-endian integer, all of it (as GB/T 32918.2 does with a 256-bit hash).
        k comes from ``secrets``; a k giving r == 0, r + k == n or s == 0 is discarded and redrawn.
        """
        e_int = int.from_bytes(e, "big")
        d = self.d
        inv = self._inv_1_plus_d
        table = _g_table()
        while True:
            k = secrets.randbelow(_N - 1) + 1
            xy = _curve.to_affine(*table.mul(k))
            assert xy is not None  # 1 <= k < n
            r = (e_int + xy[0]) % _N
            if r == 0 or r + k == _N:
                continue
            s = inv * (k - r * d) % _N
            if s:
                return r, s


# --- Z_A ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _za(x: int, y: int, user_id: bytes) -> bytes:
    entl = (8 * len(user_id)).to_bytes(2, "big")
    return sm3(entl + user_id + _CURVE_BYTES + x.to_bytes(32, "big") + y.to_bytes(32, "big"))


def compute_za(public_key: SM2PublicKey, user_id: BytesLike = DEFAULT_USER_ID) -> bytes:
    """Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2 §5.5).

    ENTL is the ID's length in bits, two bytes big-endian; an empty ID gives ENTL = 0.

    :raises MalformedInput: the ID is longer than 8191 bytes (ENTL would overflow 16 bits).
    """
    if not isinstance(user_id, (bytes, bytearray, memoryview)):
        raise UsageError("SM2 user ID must be bytes")
    uid = bytes(user_id)
    if len(uid) > _MAX_ID_BYTES:
        raise MalformedInput("SM2 user ID longer than 8191 bytes")
    return _za(public_key.x, public_key.y, uid)


# --- signature encodings ------------------------------------------------------------------------


def _der_integer(buf: bytes, pos: int) -> tuple[int, int]:
    """Strict DER INTEGER at buf[pos:], positive and at most 33 content bytes: (value, next pos)."""
    if pos + 2 > len(buf) or buf[pos] != 0x02:
        raise InvalidSignature("SM2 signature: expected DER INTEGER")
    length = buf[pos + 1]
    start, end = pos + 2, pos + 2 + length
    # Short-form length only: a longer INTEGER would be far above n anyway.
    if not 1 <= length <= 33 or end > len(buf):
        raise InvalidSignature("SM2 signature: bad DER INTEGER length")
    if buf[start] & 0x80:
        raise InvalidSignature("SM2 signature: negative DER INTEGER")
    if length > 1 and buf[start] == 0 and not buf[start + 1] & 0x80:
        raise InvalidSignature("SM2 signature: non-minimal DER INTEGER")
    return int.from_bytes(buf[start:end], "big"), end


def _decode_der(sig: bytes) -> tuple[int, int]:
    if len(sig) < 2 or sig[0] != 0x30 or sig[1] != len(sig) - 2 or sig[1] >= 0x80:
        raise InvalidSignature("SM2 signature: not a DER SEQUENCE filling the input")
    r, pos = _der_integer(sig, 2)
    s, pos = _der_integer(sig, pos)
    if pos != len(sig):
        raise InvalidSignature("SM2 signature: trailing bytes inside the DER SEQUENCE")
    return r, s


def decode_signature(signature: BytesLike) -> tuple[int, int]:
    """(r, s) from DER ``SEQUENCE{r, s}``, raw 64-byte ``r||s`` or a 128-byte SKF ``ECCSIGNATUREBLOB``.

    DER must be strict (minimal lengths and integers, no negative values, nothing after the SEQUENCE).
    The SKF blob holds r[64] then s[64], each right-aligned; its first 32 bytes of each must be zero.
    A 64-byte input that parses as strict DER is taken as DER (see :func:`verify` for the fallback).
    Range checks on r and s are left to verification.

    :raises InvalidSignature: anything else.
    """
    if not isinstance(signature, (bytes, bytearray, memoryview)):
        raise InvalidSignature("SM2 signature must be bytes")
    sig = bytes(signature)
    if sig[:1] == b"\x30":
        try:
            return _decode_der(sig)
        except InvalidSignature:
            if len(sig) not in (64, 128):
                raise
    if len(sig) == 64:
        return int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if len(sig) == 128:
        if any(sig[0:32]) or any(sig[64:96]):
            raise InvalidSignature("SM2 SKF signature blob: high 32 bytes of r or s not zero")
        return int.from_bytes(sig[32:64], "big"), int.from_bytes(sig[96:], "big")
    raise InvalidSignature(f"SM2 signature: unrecognised encoding ({len(sig)} bytes)")


def _der_int_bytes(v: int) -> bytes:
    # bit_length // 8 + 1 bytes: a leading 0x00 appears exactly when the top bit would be set (minimal)
    body = v.to_bytes(v.bit_length() // 8 + 1, "big")
    return b"\x02" + bytes([len(body)]) + body


def encode_der_signature(r: int, s: int) -> bytes:
    """DER ``SEQUENCE { INTEGER r, INTEGER s }`` for 0 <= r, s < 2^256."""
    if not (0 <= r < 1 << 256 and 0 <= s < 1 << 256):
        raise UsageError("SM2 signature values must be in [0, 2^256)")
    body = _der_int_bytes(r) + _der_int_bytes(s)
    return b"\x30" + bytes([len(body)]) + body


# --- precomputed tables ---------------------------------------------------------------------------

# A key's table costs ~10-20 ms to build and ~1.1 MB of gmpy2 integers (process RSS), so 64 tables can
# hold ~70 MB. Only *successful* verifications count towards building one: a stream of bad signatures
# under throw-away keys costs one wNAF multiplication each and never triggers a build.
_KEY_CACHE_SIZE = 64
_SEEN_SIZE = 4096  # keys verified once, remembered so that a second success builds their table
_lock = threading.Lock()
_g: _curve.FixedBaseTable | None = None
_tables: OrderedDict[tuple[int, int], _curve.FixedBaseTable] = OrderedDict()
_seen: OrderedDict[tuple[int, int], None] = OrderedDict()


def _g_table() -> _curve.FixedBaseTable:
    global _g
    table = _g
    if table is None:
        with _lock:
            if _g is None:
                # 10-bit windows: 26 additions per [s]G instead of 33 with 8 bits; ~1.3 MB, built once
                _g = _curve.FixedBaseTable(_curve.GX, _curve.GY, window=10)
            table = _g
    return table


def _cached_table(key: SM2PublicKey) -> _curve.FixedBaseTable | None:
    k = (key.x, key.y)
    with _lock:
        table = _tables.get(k)
        if table is not None:
            _tables.move_to_end(k)
        return table


def _note_valid_use(key: SM2PublicKey) -> None:
    """Count a successful verification under a key without a table; the second one builds it."""
    k = (key.x, key.y)
    with _lock:
        if k in _tables:
            return
        if k not in _seen:
            _seen[k] = None
            if len(_seen) > _SEEN_SIZE:
                _seen.popitem(last=False)
            return
        del _seen[k]
    precompute(key)


def precompute(public_key: SM2PublicKey) -> None:
    """Build the key's fixed-base table now (e.g. for trust anchors known in advance) and cache it.

    Verification does this by itself on a key's second successful use; the cache keeps the most
    recently used ``_KEY_CACHE_SIZE`` tables.
    """
    k = (public_key.x, public_key.y)
    with _lock:
        if k in _tables:
            _tables.move_to_end(k)
            return
    # Built outside the lock; two threads may race to build the same table, and one copy wins.
    table = _curve.FixedBaseTable(public_key.x, public_key.y)
    with _lock:
        _seen.pop(k, None)
        _tables[k] = table
        _tables.move_to_end(k)
        while len(_tables) > _KEY_CACHE_SIZE:
            _tables.popitem(last=False)


def clear_key_cache() -> None:
    """Forget every per-key table, every key seen once and every cached Z_A (benchmarks, tests)."""
    with _lock:
        _tables.clear()
        _seen.clear()
    _za.cache_clear()


def key_cache_info() -> tuple[int, int]:
    """(keys with a table, keys verified once without one): for benchmarks and tests."""
    with _lock:
        return len(_tables), len(_seen)


# --- verification ---------------------------------------------------------------------------------


def verify_digest(public_key: SM2PublicKey, e: BytesLike, r: int, s: int) -> bool:
    """GB/T 32918.2 §7.1 steps B1-B2 and B5-B7 on a prepared digest e = SM3(Z_A || M).

    e is read as one big-endian integer, all of it (no truncation to the bit length of n).

    :returns: True iff 1 <= r, s <= n-1, t = (r + s) mod n != 0 and (e + x1) mod n == r with
        (x1, y1) = [s]G + [t]P_A not infinity.
    """
    if not (0 < r < _N and 0 < s < _N):
        return False
    t = (r + s) % _N
    if not t:
        return False
    table = _cached_table(public_key)
    if table is not None:  # no doublings at all: [s]G and [t]P both from tables
        return _curve.x_matches(table.accumulate(_g_table().mul(s), t), r, int.from_bytes(e, "big"))
    point = _g_table().accumulate(_curve.mul_wnaf(public_key.x, public_key.y, t), s)
    if not _curve.x_matches(point, r, int.from_bytes(e, "big")):
        return False
    _note_valid_use(public_key)
    return True


def verify(
    public_key: SM2PublicKey, data: BytesLike, signature: BytesLike, user_id: BytesLike = DEFAULT_USER_ID
) -> None:
    """Verify an SM2 signature over ``data`` with Z_A from ``public_key`` and ``user_id``.

    :param signature: DER, raw r||s or SKF blob (:func:`decode_signature`).
    :raises InvalidSignature: the signature does not decode or does not verify.
    :raises MalformedInput: the user ID is longer than 8191 bytes.
    """
    r, s = decode_signature(signature)
    e = sm3_concat(compute_za(public_key, user_id), data)
    if verify_digest(public_key, e, r, s):
        return
    # A 64-byte raw r||s that also parses as strict DER (odds below 2^-40) was read as DER: try raw too.
    if len(signature) == 64:
        raw = bytes(signature)
        r2, s2 = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        if (r2, s2) != (r, s) and verify_digest(public_key, e, r2, s2):
            return
    raise InvalidSignature("SM2 signature does not verify")
