"""SM2 / SM3: known answers, interoperability with OpenSSL, rejections and properties.

The differential test against the independent gmssl implementation is in ``test_sm2_differential.py``.
"""

from __future__ import annotations

import base64
import re
import secrets
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certmutual.crypto import _sm2_curve, sm2
from certmutual.crypto.sm3 import SM3_DIGEST_SIZE, sm3, sm3_concat
from certmutual.errors import InvalidSignature, MalformedInput

N = _sm2_curve.N
P = _sm2_curve.P

# Curve parameters written out again here (not taken from the module) so that Z_A is checked against
# an independent transcription of GB/T 32918.5-2017.
CURVE_A_B_G = bytes.fromhex(
    "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"
    "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"
    "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
    "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"
)

# Signature example on sm2p256v1 from GM/T 0003.5-2012 / GB/T 32918.5-2017 (default ID, message
# "message digest"); the same values are used as test vectors by gmsm, GmSSL and others.
VEC_D = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8
VEC_X = 0x09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
VEC_Y = 0xCCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13
VEC_MSG = b"message digest"
VEC_ZA = bytes.fromhex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
VEC_E = bytes.fromhex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
VEC_K = 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21
VEC_R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
VEC_S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA

VEC_KEY = sm2.SM2PublicKey(VEC_X, VEC_Y)

# A curve point with x < 2^256 - p, so that x + p still fits in 32 bytes (for the "coordinate >= p" case)
SMALL_X = next(x for x in range(1, 1000) if _sm2_curve.lift_x(x, False) is not None)
SMALL_Y = _sm2_curve.lift_x(SMALL_X, False) or 0
KEY = sm2.SM2PrivateKey.generate()
PUB = KEY.public_key


def raw(r: int, s: int) -> bytes:
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def skf(r: int, s: int) -> bytes:
    return r.to_bytes(64, "big") + s.to_bytes(64, "big")


def flip_bit(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


# Textbook affine arithmetic, independent of the code under test, to craft edge cases and cross-check.
Point = tuple[int, int] | None


def affine_add(p1: Point, p2: Point) -> Point:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        lam = (3 * x1 * x1 - 3) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return x3, (lam * (x1 - x3) - y1) % P


def affine_mul(k: int, x: int, y: int) -> Point:
    result: Point = None
    for bit in bin(k % N)[2:]:
        result = affine_add(result, result)
        if bit == "1":
            result = affine_add(result, (x, y))
    return result


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> Iterator[None]:
    sm2.clear_key_cache()
    yield
    sm2.clear_key_cache()


# --- SM3 and Z_A known answers ---------------------------------------------------------------------


def test_sm3_known_answers() -> None:
    # GB/T 32905-2016 Appendix A examples 1 and 2
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    assert SM3_DIGEST_SIZE == len(sm3(b"")) == 32
    assert sm3_concat(b"ab", b"c") == sm3(b"abc") == sm3(bytearray(b"abc")) == sm3(memoryview(b"abc"))


def test_sm3_fallback_without_hashlib_sm3(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from certmutual.crypto import sm3 as sm3_module

    real_new = hashlib.new

    def no_sm3(name: str, *args: object, **kwargs: object) -> object:
        if name.lower() == "sm3":
            raise ValueError("unsupported hash type sm3")
        return real_new(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hashlib, "new", no_sm3)
    impl = sm3_module._make_sm3()  # what the module would pick at import
    assert impl((b"ab", b"c")).hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_standard_vector_key_za_and_digest() -> None:
    assert sm2.SM2PrivateKey(VEC_D).public_key == VEC_KEY
    assert sm2.compute_za(VEC_KEY) == VEC_ZA
    assert sm2.compute_za(VEC_KEY, sm2.DEFAULT_USER_ID) == VEC_ZA
    assert sm3(VEC_ZA + VEC_MSG) == VEC_E


def test_standard_vector_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "randbelow", lambda _n: VEC_K - 1)  # sign_digest draws k = randbelow(n-1) + 1
    key = sm2.SM2PrivateKey(VEC_D)
    assert key.sign_digest(VEC_E) == (VEC_R, VEC_S)
    der = key.sign(VEC_MSG)
    assert sm2.decode_signature(der) == (VEC_R, VEC_S)
    monkeypatch.undo()
    for encoded in (der, raw(VEC_R, VEC_S), skf(VEC_R, VEC_S)):
        sm2.verify(VEC_KEY, VEC_MSG, encoded)
    assert sm2.verify_digest(VEC_KEY, VEC_E, VEC_R, VEC_S)


def test_za_preimage_layout() -> None:
    coords = PUB.x.to_bytes(32, "big") + PUB.y.to_bytes(32, "big")
    assert sm2.compute_za(PUB) == sm3(b"\x00\x80" + b"1234567812345678" + CURVE_A_B_G + coords)
    # GB/T 32918.2 worked example ID: 18 bytes = 144 bits -> ENTL 0x0090
    alice = b"ALICE123@YAHOO.COM"
    assert sm2.compute_za(PUB, alice) == sm3(b"\x00\x90" + alice + CURVE_A_B_G + coords)
    # Empty ID: ENTL = 0 (OpenSSL's default)
    assert sm2.compute_za(PUB, b"") == sm3(b"\x00\x00" + CURVE_A_B_G + coords)
    longest = b"x" * 8191
    assert sm2.compute_za(PUB, longest) == sm3(b"\xff\xf8" + longest + CURVE_A_B_G + coords)


def test_za_rejects_oversized_id() -> None:
    with pytest.raises(MalformedInput):
        sm2.compute_za(PUB, b"x" * 8192)
    with pytest.raises(MalformedInput):
        sm2.verify(PUB, b"m", KEY.sign(b"m"), b"x" * 8192)


# --- OpenSSL interoperability --------------------------------------------------------------------

DISTID = "distid:1234567812345678"


def _openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def openssl_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sm2.SM2PrivateKey]:
    """An SM2 key made by ``openssl genpkey`` (key.pem, pub.pem) and the same key as ours."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not on PATH")
    work = tmp_path_factory.mktemp("openssl-sm2")
    if _openssl("genpkey", "-algorithm", "SM2", "-out", "key.pem", cwd=work).returncode != 0:
        pytest.skip("this openssl has no SM2")
    assert _openssl("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem", cwd=work).returncode == 0
    text = _openssl("pkey", "-in", "key.pem", "-text", "-noout", cwd=work).stdout.decode()
    m = re.search(r"priv:\s*((?:[0-9a-f]{2}:?\s*)+)pub:", text)
    assert m, text
    d = int(re.sub(r"[^0-9a-f]", "", m.group(1)), 16)
    return work, sm2.SM2PrivateKey(d)


def _openssl_pubkey(work: Path) -> sm2.SM2PublicKey:
    der = _openssl("pkey", "-pubin", "-in", "pub.pem", "-outform", "DER", cwd=work).stdout
    return sm2.SM2PublicKey.from_bytes(der[-65:])  # the SPKI ends with the BIT STRING 04||x||y


MESSAGES = [b"", b"a", b"message digest", bytes(range(256)) * 5]


@pytest.mark.parametrize("uid", [b"1234567812345678", b"ALICE123@YAHOO.COM", b""])
def test_openssl_signatures_verify(openssl_key: tuple[Path, sm2.SM2PrivateKey], uid: bytes) -> None:
    work, key = openssl_key
    pub = _openssl_pubkey(work)
    assert pub == key.public_key
    # Without -pkeyopt distid OpenSSL 3 uses the empty ID.
    distid = ["-pkeyopt", "distid:" + uid.decode()] if uid else []
    for i, msg in enumerate(MESSAGES):
        (work / f"m{i}").write_bytes(msg)
        done = _openssl(
            "pkeyutl", "-sign", "-in", f"m{i}", "-inkey", "key.pem", "-out", f"s{i}",
            "-rawin", "-digest", "sm3", *distid, cwd=work,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        sig = (work / f"s{i}").read_bytes()
        for _ in range(3):  # first use, table build, cached table
            sm2.verify(pub, msg, sig, uid)
        with pytest.raises(InvalidSignature):
            sm2.verify(pub, msg + b"x", sig, uid)
        with pytest.raises(InvalidSignature):
            sm2.verify(pub, msg, sig, uid + b"x")


def _openssl_verifies(work: Path, pub_pem: str, msg: bytes, sig: bytes, uid: bytes) -> bool:
    (work / "vm").write_bytes(msg)
    (work / "vs").write_bytes(sig)
    distid = ["-pkeyopt", "distid:" + uid.decode()] if uid else []
    done = _openssl(
        "pkeyutl", "-verify", "-in", "vm", "-sigfile", "vs", "-pubin", "-inkey", pub_pem,
        "-rawin", "-digest", "sm3", *distid, cwd=work,
    )  # fmt: skip
    return done.returncode == 0 and b"Signature Verified Successfully" in done.stdout


def _spki_pem(pub: sm2.SM2PublicKey) -> str:
    # SubjectPublicKeyInfo { { id-ecPublicKey, sm2p256v1 }, BIT STRING 04||x||y }
    alg = bytes.fromhex("301306072a8648ce3d020106082a811ccf5501822d")
    bits = b"\x03\x42\x00" + pub.to_bytes()
    der = b"\x30" + bytes([len(alg) + len(bits)]) + alg + bits
    return "-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(der).decode() + "-----END PUBLIC KEY-----\n"


@pytest.mark.parametrize("uid", [b"1234567812345678", b"ALICE123@YAHOO.COM", b""])
def test_our_signatures_verify_in_openssl(openssl_key: tuple[Path, sm2.SM2PrivateKey], uid: bytes) -> None:
    work, key = openssl_key
    ours = sm2.SM2PrivateKey.generate()
    (work / "ours.pem").write_text(_spki_pem(ours.public_key))
    for msg in MESSAGES:
        sig = key.sign(msg, uid)
        assert _openssl_verifies(work, "pub.pem", msg, sig, uid)
        assert not _openssl_verifies(work, "pub.pem", msg + b"x", sig, uid)
        sig2 = ours.sign(msg, uid)
        assert _openssl_verifies(work, "ours.pem", msg, sig2, uid)
        r, s = sm2.decode_signature(sig2)
        assert not _openssl_verifies(work, "ours.pem", msg, sm2.encode_der_signature(r, s ^ 1), uid)


# --- rejections ------------------------------------------------------------------------------------


def _signed(msg: bytes = b"to be signed") -> tuple[bytes, int, int]:
    r, s = sm2.decode_signature(KEY.sign(msg))
    return msg, r, s


@pytest.mark.parametrize("cached", [False, True])
def test_range_checks(cached: bool) -> None:
    msg, r, s = _signed()
    if cached:
        sm2.precompute(PUB)
    e = sm3(sm2.compute_za(PUB) + msg)
    assert sm2.verify_digest(PUB, e, r, s)
    bad = [(0, s), (r, 0), (N, s), (r, N), (r + N, s), (r, s + N), (r, N - r), (N - s, s), (-r, s), (r, -s)]
    for br, bs in bad:
        assert not sm2.verify_digest(PUB, e, br, bs), (br, bs)
        if 0 <= br < 1 << 256 and 0 <= bs < 1 << 256:
            for encoded in (sm2.encode_der_signature(br, bs), raw(br, bs), skf(br, bs)):
                with pytest.raises(InvalidSignature):
                    sm2.verify(PUB, msg, encoded)


def test_tampering_rejected() -> None:
    msg, r, s = _signed(b"tamper with me")
    sig = sm2.encode_der_signature(r, s)
    sm2.verify(PUB, msg, sig)
    for bit in (0, 7, 8 * len(msg) - 1):
        with pytest.raises(InvalidSignature):
            sm2.verify(PUB, flip_bit(msg, bit), sig)
    for bit in (0, 100, 255):
        with pytest.raises(InvalidSignature):
            sm2.verify(PUB, msg, raw(r ^ (1 << bit), s))
        with pytest.raises(InvalidSignature):
            sm2.verify(PUB, msg, raw(r, s ^ (1 << bit)))
    with pytest.raises(InvalidSignature):
        sm2.verify(PUB, msg, sig, b"1234567812345679")
    with pytest.raises(InvalidSignature):
        sm2.verify(PUB, msg, sig, b"")
    with pytest.raises(InvalidSignature):
        sm2.verify(sm2.SM2PrivateKey.generate().public_key, msg, sig)
    # swapped r and s
    with pytest.raises(InvalidSignature):
        sm2.verify(PUB, msg, raw(s, r))


def test_public_key_decoding() -> None:
    x, y = PUB.x, PUB.y
    xb, yb = x.to_bytes(32, "big"), y.to_bytes(32, "big")
    assert sm2.SM2PublicKey.from_bytes(b"\x04" + xb + yb) == PUB
    assert sm2.SM2PublicKey.from_bytes(xb + yb) == PUB
    assert sm2.SM2PublicKey.from_bytes(bytes([2 + (y & 1)]) + xb) == PUB
    assert sm2.SM2PublicKey.from_bytes(bytes([3 - (y & 1)]) + xb) == sm2.SM2PublicKey(x, P - y)
    assert PUB.to_bytes() == b"\x04" + xb + yb
    assert sm2.SM2PublicKey.from_bytes(VEC_KEY.to_bytes()) == VEC_KEY


def _non_residue_x() -> int:
    x = 1
    while _sm2_curve.lift_x(x, False) is not None:
        x += 1
    return x


@pytest.mark.parametrize(
    "encoded",
    [
        b"",
        b"\x00",  # the point at infinity
        b"\x04" + bytes(64),  # (0, 0) is not on the curve
        b"\x04" + PUB.x.to_bytes(32, "big") + ((PUB.y + 1) % P).to_bytes(32, "big"),  # off the curve
        b"\x04" + (SMALL_X + P).to_bytes(32, "big") + SMALL_Y.to_bytes(32, "big"),  # x >= p (x mod p is valid)
        b"\x02" + (SMALL_X + P).to_bytes(32, "big"),  # compressed x >= p
        b"\x04" + PUB.x.to_bytes(32, "big") + PUB.y.to_bytes(32, "big")[:-1],  # truncated
        b"\x04" + PUB.x.to_bytes(32, "big") + PUB.y.to_bytes(32, "big") + b"\x00",  # trailing byte
        b"\x05" + PUB.x.to_bytes(32, "big") + PUB.y.to_bytes(32, "big"),  # bad prefix
        b"\x06" + PUB.x.to_bytes(32, "big") + PUB.y.to_bytes(32, "big"),  # hybrid form: not accepted
        b"\x04" + PUB.x.to_bytes(32, "big"),  # 33 bytes with 04 prefix
        b"\x02" + P.to_bytes(32, "big"),  # compressed x = p
        b"\x02" + _non_residue_x().to_bytes(32, "big"),  # compressed x not on the curve
        PUB.x.to_bytes(32, "big") + ((PUB.y + 1) % P).to_bytes(32, "big"),  # bare x||y off the curve
    ],
)
def test_public_key_rejections(encoded: bytes) -> None:
    with pytest.raises(MalformedInput):
        sm2.SM2PublicKey.from_bytes(encoded)


def test_public_key_constructor_validates() -> None:
    with pytest.raises(MalformedInput):
        sm2.SM2PublicKey(PUB.x, (PUB.y + 1) % P)
    with pytest.raises(MalformedInput):
        sm2.SM2PublicKey(PUB.x, PUB.y + P)
    with pytest.raises(MalformedInput):
        sm2.SM2PublicKey(SMALL_X + P, SMALL_Y)
    with pytest.raises(MalformedInput):
        sm2.SM2PublicKey(0, 0)
    sm2.SM2PublicKey(SMALL_X, SMALL_Y)


def test_private_key_range() -> None:
    for d in (0, N - 1, N, -1):
        with pytest.raises(MalformedInput):
            sm2.SM2PrivateKey.from_int(d)
    with pytest.raises(MalformedInput):
        sm2.SM2PrivateKey.from_bytes(b"\x01" * 31)
    key = sm2.SM2PrivateKey.from_int(N - 2)
    sm2.verify(key.public_key, b"m", key.sign(b"m"))
    assert sm2.SM2PrivateKey.from_bytes(key.to_bytes()) == key
    assert str(key.d) not in repr(key)


def _der(r_body: bytes, s_body: bytes) -> bytes:
    body = b"\x02" + bytes([len(r_body)]) + r_body + b"\x02" + bytes([len(s_body)]) + s_body
    return b"\x30" + bytes([len(body)]) + body


@pytest.mark.parametrize(
    "encoded",
    [
        b"",
        b"\x30",
        b"\x30\x00",
        b"garbage",
        bytes(63),
        bytes(65),
        bytes(127),
        bytes(129),
        _der(b"\x01", b"\x01") + b"\x00",  # trailing byte after the SEQUENCE
        _der(b"\x01", b"\x01")[:-1],  # truncated
        b"\x30\x07\x02\x01\x01\x02\x01\x01\x00",  # trailing byte inside the SEQUENCE
        b"\x30\x81\x06\x02\x01\x01\x02\x01\x01",  # non-minimal (long-form) length
        b"\x31\x06\x02\x01\x01\x02\x01\x01",  # SET, not SEQUENCE
        b"\x30\x06\x03\x01\x01\x02\x01\x01",  # BIT STRING, not INTEGER
        b"\x30\x04\x02\x00\x02\x00",  # empty INTEGERs
        _der(b"\x00\x01", b"\x01"),  # non-minimal INTEGER
        _der(b"\x81", b"\x01"),  # negative INTEGER
        _der(b"\x01", b"\xff" * 2),  # negative INTEGER
        _der(b"\x00" + b"\x80" * 33, b"\x01"),  # INTEGER longer than 33 bytes
        b"\x30\x06\x02\x01\x01\x02\x01\x01" + b"\x30\x06\x02\x01\x01\x02\x01\x01",  # two SEQUENCEs
        b"\x01" + bytes(127),  # SKF blob with a non-zero high half of r
        bytes(64) + b"\x01" + bytes(63),  # SKF blob with a non-zero high half of s
    ],
)
def test_signature_decoding_rejections(encoded: bytes) -> None:
    with pytest.raises(InvalidSignature):
        sm2.decode_signature(encoded)
    with pytest.raises(InvalidSignature):
        sm2.verify(PUB, b"m", encoded)


def test_signature_decoding_accepts_all_three_forms() -> None:
    msg, r, s = _signed()
    der = sm2.encode_der_signature(r, s)
    for encoded in (der, raw(r, s), skf(r, s), bytearray(der), memoryview(raw(r, s))):
        assert sm2.decode_signature(encoded) == (r, s)
        sm2.verify(PUB, msg, encoded)
    assert sm2.decode_signature(_der(b"\x01", b"\x00\x80")) == (1, 128)
    assert sm2.encode_der_signature(1, 128) == _der(b"\x01", b"\x00\x80")
    assert sm2.encode_der_signature(0, 0) == _der(b"\x00", b"\x00")


# --- point arithmetic edge cases, through verify_digest ------------------------------------------------


def _crafted(target: tuple[int, int], s: int, t: int) -> tuple[sm2.SM2PublicKey, int]:
    """A key P with [s]G + [t]P == target, and r = t - s (so that t = r + s)."""
    sg = affine_mul(s, _sm2_curve.GX, _sm2_curve.GY)
    assert sg is not None
    minus_sg = (sg[0], P - sg[1])
    q = affine_add(target, minus_sg)
    assert q is not None
    pub = affine_mul(pow(t, -1, N), *q)
    assert pub is not None
    return sm2.SM2PublicKey(*pub), (t - s) % N


@pytest.mark.parametrize("cached", [False, True])
def test_x1_at_or_above_n(cached: bool) -> None:
    # x1 in [n, p): the check (e + x1) mod n == r must reduce x1 mod n (p > n).
    x = N
    while (y := _sm2_curve.lift_x(x, False)) is None:
        x += 1
    s, t = 12345, 67890
    pub, r = _crafted((x, y), s, t)
    e_int = (r - x) % N
    e = e_int.to_bytes(32, "big")
    if cached:
        sm2.precompute(pub)
    assert sm2.verify_digest(pub, e, r, s)
    assert not sm2.verify_digest(pub, ((e_int + 1) % N).to_bytes(32, "big"), r, s)


@pytest.mark.parametrize("cached", [False, True])
def test_sum_at_infinity_and_doubling(cached: bool) -> None:
    # s = 1 and t = 5 (r = 4): on both paths the last addition is [s]G + [t]P with nothing else added,
    # so P = +-(1/5) G drives it into the P + (-P) and the P + P cases.
    s, t = 1, 5
    r = t - s
    inv_t = pow(t, -1, N)
    q = affine_mul(N - inv_t, _sm2_curve.GX, _sm2_curve.GY)  # -(1/5) G: the sum is infinity
    assert q is not None
    pub = sm2.SM2PublicKey(*q)
    if cached:
        sm2.precompute(pub)
    for e_int in (0, 1, r, (r - _sm2_curve.GX) % N):
        assert not sm2.verify_digest(pub, e_int.to_bytes(32, "big"), r, s)
    q = affine_mul(inv_t, _sm2_curve.GX, _sm2_curve.GY)  # (1/5) G: the sum is 2G, reached by doubling
    assert q is not None
    pub = sm2.SM2PublicKey(*q)
    if cached:
        sm2.precompute(pub)
    two_g = affine_mul(2, _sm2_curve.GX, _sm2_curve.GY)
    assert two_g is not None
    assert sm2.verify_digest(pub, ((r - two_g[0]) % N).to_bytes(32, "big"), r, s)
    assert not sm2.verify_digest(pub, ((r - two_g[0] + 1) % N).to_bytes(32, "big"), r, s)


def test_key_cache_policy() -> None:
    key = sm2.SM2PrivateKey.generate()
    msg = b"cache"
    sig = key.sign(msg)
    sm2.verify(key.public_key, msg, sig)
    assert sm2.key_cache_info() == (0, 1)  # first use: remembered only
    sm2.verify(key.public_key, msg, sig)
    assert sm2.key_cache_info() == (1, 0)  # second use: table built
    sm2.verify(key.public_key, msg, sig)
    assert sm2.key_cache_info() == (1, 0)
    sm2.clear_key_cache()
    assert sm2.key_cache_info() == (0, 0)
    # failures never count towards a table
    other = sm2.SM2PrivateKey.generate().public_key
    for _ in range(3):
        with pytest.raises(InvalidSignature):
            sm2.verify(other, msg, sig)
    assert sm2.key_cache_info() == (0, 0)


def test_concurrent_verification() -> None:
    # Several threads verify under the same keys while their tables get built; all must agree.
    from concurrent.futures import ThreadPoolExecutor

    keys = [sm2.SM2PrivateKey.generate() for _ in range(3)]
    work = [(k.public_key, m, k.sign(m)) for k in keys for m in (b"a", b"b", b"c", b"d")] * 4

    def check(item: tuple[sm2.SM2PublicKey, bytes, bytes]) -> bool:
        pub, msg, sig = item
        sm2.verify(pub, msg, sig)
        with pytest.raises(InvalidSignature):
            sm2.verify(pub, msg + b"!", sig)
        return True

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(check, work))
    assert sm2.key_cache_info() == (3, 0)


def test_lru_eviction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sm2, "_KEY_CACHE_SIZE", 2)
    keys = [sm2.SM2PrivateKey.generate().public_key for _ in range(3)]
    for k in keys:
        sm2.precompute(k)
    assert sm2.key_cache_info()[0] == 2
    assert (keys[0].x, keys[0].y) not in sm2._tables


# --- properties ------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = [sm2.SM2PrivateKey.generate() for _ in range(4)]
ids = st.one_of(st.just(sm2.DEFAULT_USER_ID), st.just(b""), st.binary(max_size=64))


@SETTINGS
@given(data=st.binary(max_size=2048), uid=ids, which=st.integers(0, len(KEYS) - 1))
def test_sign_verify_round_trip(data: bytes, uid: bytes, which: int) -> None:
    key = KEYS[which]
    sig = key.sign(data, uid)
    sm2.verify(key.public_key, data, sig, uid)
    r, s = sm2.decode_signature(sig)
    sm2.verify(key.public_key, data, raw(r, s), uid)
    with pytest.raises(InvalidSignature):
        sm2.verify(key.public_key, data + b"\x00", sig, uid)
    with pytest.raises(InvalidSignature):
        sm2.verify(KEYS[(which + 1) % len(KEYS)].public_key, data, sig, uid)


@SETTINGS
@given(r=st.integers(1, N - 1), s=st.integers(1, N - 1))
def test_encoding_round_trip(r: int, s: int) -> None:
    der = sm2.encode_der_signature(r, s)
    assert sm2.decode_signature(der) == (r, s)
    assert sm2.decode_signature(raw(r, s)) == (r, s)
    assert sm2.decode_signature(skf(r, s)) == (r, s)
    assert len(der) <= 72 and der[0] == 0x30 and der[1] == len(der) - 2


@SETTINGS
@given(
    data=st.binary(max_size=256),
    which=st.integers(0, len(KEYS) - 1),
    tamper=st.sampled_from(["none", "data", "r", "s", "key"]),
    bit=st.integers(0, 255),
)
def test_cached_and_one_off_agree(data: bytes, which: int, tamper: str, bit: int) -> None:
    key = KEYS[which]
    pub = key.public_key
    r, s = sm2.decode_signature(key.sign(data))
    if tamper == "data":
        data = flip_bit(data + b"\x00", bit % (8 * (len(data) + 1)))
    elif tamper == "r":
        r ^= 1 << bit
    elif tamper == "s":
        s ^= 1 << bit
    elif tamper == "key":
        pub = KEYS[(which + 1) % len(KEYS)].public_key
    e = sm3(sm2.compute_za(pub) + data)
    sm2.clear_key_cache()
    one_off = sm2.verify_digest(pub, e, r, s)  # first use: wNAF path
    assert sm2.key_cache_info()[0] == 0
    sm2.precompute(pub)
    assert sm2.key_cache_info()[0] == 1
    cached = sm2.verify_digest(pub, e, r, s)
    assert one_off == cached == (tamper == "none")


@settings(max_examples=40, deadline=None)
@given(k=st.integers(1, N - 1))
def test_scalar_multiplication_paths_agree(k: int) -> None:
    g = sm2._g_table()
    a = _sm2_curve.to_affine(*g.mul(k))
    b = _sm2_curve.to_affine(*_sm2_curve.mul_wnaf(_sm2_curve.GX, _sm2_curve.GY, k))
    c = _sm2_curve.to_affine(*_sm2_curve.FixedBaseTable(_sm2_curve.GX, _sm2_curve.GY, window=4).mul(k))
    assert a == b == c == affine_mul(k, _sm2_curve.GX, _sm2_curve.GY)
    assert a is not None and _sm2_curve.is_on_curve(*a)


@settings(max_examples=30, deadline=None)
@given(which=st.integers(0, len(KEYS) - 1))
def test_compressed_key_round_trip(which: int) -> None:
    pub = KEYS[which].public_key
    compressed = bytes([2 + (pub.y & 1)]) + pub.x.to_bytes(32, "big")
    assert sm2.SM2PublicKey.from_bytes(compressed) == pub


def test_plain_int_fallback_without_gmpy2() -> None:
    # Same code on plain ints when gmpy2 is missing: run the standard vector and both verify paths.
    code = textwrap.dedent(
        f"""
        import sys
        sys.modules["gmpy2"] = None  # makes "import gmpy2" raise ImportError
        from certmutual.crypto import _sm2_curve, sm2
        assert not _sm2_curve.HAVE_GMPY2
        key = sm2.SM2PrivateKey({VEC_D})
        assert (key.public_key.x, key.public_key.y) == ({VEC_X}, {VEC_Y})
        sig = bytes.fromhex("{raw(VEC_R, VEC_S).hex()}")
        for _ in range(3):  # first use (wNAF), table build, cached table
            sm2.verify(key.public_key, {VEC_MSG!r}, sig)
        mine = key.sign(b"fallback")
        sm2.verify(key.public_key, b"fallback", mine)
        try:
            sm2.verify(key.public_key, b"fallbacK", mine)
        except sm2.InvalidSignature:
            pass
        else:
            raise AssertionError("tampered message verified")
        """
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()


def test_generated_keys_in_range() -> None:
    for _ in range(20):
        key = sm2.SM2PrivateKey.generate()
        assert 1 <= key.d <= N - 2
