"""The signature-algorithm registry: OID -> how to verify, and public-key loading.

``verify_signature`` is the single entry point the PKI, seal and document layers use. It fails
closed: an OID that is not in :data:`ALGORITHMS`, parameters that are not understood, a key type that
does not fit the algorithm, or a weak hash the caller did not allow all raise.

RSA, ECDSA and EdDSA maths come from pyca/cryptography (OpenSSL); SM2 is our own
(:mod:`certmutual.crypto.sm2`) because cryptography does not support the SM2 curve.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, core
from cryptography.exceptions import InvalidSignature as _CryptographyInvalidSignature
from cryptography.exceptions import UnsupportedAlgorithm as _CryptographyUnsupported
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

from certmutual.crypto import sm2
from certmutual.crypto.digests import DIGEST_OIDS
from certmutual.crypto.oids import KEY_OID, SIG_OID, SM_OID
from certmutual.errors import DECODER_ERRORS, InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason


class KeyType(enum.Enum):
    RSA = "rsa"
    EC = "ec"
    ED25519 = "ed25519"
    ED448 = "ed448"
    SM2 = "sm2"


class Scheme(enum.Enum):
    RSA_PKCS1 = "rsa-pkcs1v15"
    RSA_PSS = "rsa-pss"
    ECDSA = "ecdsa"
    EDDSA = "eddsa"
    SM2 = "sm2"


@dataclass(frozen=True)
class SignatureAlgorithm:
    oid: str
    name: str
    scheme: Scheme
    hash_name: str | None
    """The digest (``sha256``, ``sm3``…); None where the scheme fixes it (EdDSA) or parameters do (PSS)."""
    weak: bool = False
    """True for SHA-1 based algorithms: refused unless the caller allows them."""


def _alg(oid: str, name: str, scheme: Scheme, hash_name: str | None, weak: bool = False) -> SignatureAlgorithm:
    return SignatureAlgorithm(oid, name, scheme, hash_name, weak)


ALGORITHMS: dict[str, SignatureAlgorithm] = {
    a.oid: a
    for a in (
        _alg(SIG_OID.SHA1_RSA, "sha1WithRSAEncryption", Scheme.RSA_PKCS1, "sha1", weak=True),
        _alg(SIG_OID.SHA224_RSA, "sha224WithRSAEncryption", Scheme.RSA_PKCS1, "sha224"),
        _alg(SIG_OID.SHA256_RSA, "sha256WithRSAEncryption", Scheme.RSA_PKCS1, "sha256"),
        _alg(SIG_OID.SHA384_RSA, "sha384WithRSAEncryption", Scheme.RSA_PKCS1, "sha384"),
        _alg(SIG_OID.SHA512_RSA, "sha512WithRSAEncryption", Scheme.RSA_PKCS1, "sha512"),
        _alg(SIG_OID.RSA_PSS, "RSASSA-PSS", Scheme.RSA_PSS, None),
        _alg(SIG_OID.ECDSA_SHA1, "ecdsa-with-SHA1", Scheme.ECDSA, "sha1", weak=True),
        _alg(SIG_OID.ECDSA_SHA224, "ecdsa-with-SHA224", Scheme.ECDSA, "sha224"),
        _alg(SIG_OID.ECDSA_SHA256, "ecdsa-with-SHA256", Scheme.ECDSA, "sha256"),
        _alg(SIG_OID.ECDSA_SHA384, "ecdsa-with-SHA384", Scheme.ECDSA, "sha384"),
        _alg(SIG_OID.ECDSA_SHA512, "ecdsa-with-SHA512", Scheme.ECDSA, "sha512"),
        _alg(SIG_OID.ED25519, "Ed25519", Scheme.EDDSA, None),
        _alg(SIG_OID.ED448, "Ed448", Scheme.EDDSA, None),
        _alg(SM_OID.SM2_WITH_SM3, "SM2-with-SM3", Scheme.SM2, "sm3"),
        # GM/T 0010 SignerInfos name the bare sm2-1 scheme; the digest is SM3 in practice.
        _alg(SM_OID.SM2_SIGN, "SM2", Scheme.SM2, "sm3"),
    )
}

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sm3": hashes.SM3,
}

# ECDSA curves accepted (RFC 5480 named curves); anything else fails closed.
_ECDSA_CURVES = {"secp256r1": 256, "secp384r1": 384, "secp521r1": 521}

_SCHEME_KEY_TYPES: dict[Scheme, frozenset[KeyType]] = {
    Scheme.RSA_PKCS1: frozenset({KeyType.RSA}),
    Scheme.RSA_PSS: frozenset({KeyType.RSA}),
    Scheme.ECDSA: frozenset({KeyType.EC}),
    Scheme.EDDSA: frozenset({KeyType.ED25519, KeyType.ED448}),
    Scheme.SM2: frozenset({KeyType.SM2}),
}


@dataclass(frozen=True, eq=False)
class PublicKey:
    """A loaded public key. Load once (``load_public_key``) and verify many times."""

    key_type: KeyType
    bits: int
    curve: str | None
    spki: bytes
    """The SubjectPublicKeyInfo DER it was loaded from."""
    impl: Any
    """The cryptography key object, or an :class:`sm2.SM2PublicKey`."""


_KEY_TYPES_BY_OID: dict[str, tuple[KeyType, ...]] = {oid: tuple(_SCHEME_KEY_TYPES[a.scheme]) for oid, a in ALGORITHMS.items()}
"""The key types that can make each algorithm's signatures, by OID: a tuple is searched by identity,
where a set would call the enum's Python-level ``__hash__`` on every verification."""
_PKCS1V15 = padding.PKCS1v15()
_HASH_INSTANCES: dict[str, hashes.HashAlgorithm] = {name: digest() for name, digest in _HASHES.items()}
"""Padding and digest objects are stateless parameters: one of each serves every verification."""


def lookup(oid: str) -> SignatureAlgorithm:
    """The registered algorithm for ``oid``; raises :class:`UnsupportedAlgorithm` if there is none."""
    try:
        return ALGORITHMS[oid]
    except KeyError:
        raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_SIGNATURE_ALGORITHM, oid) from None


MAX_SPKI_BYTES = 16 * 1024
"""A 16,384-bit RSA key takes about 2 KiB. Bounding what reaches asn1crypto bounds its work: its
parser is quadratic in the length of a high tag number or an OID arc."""
MAX_PARAMETERS_BYTES = 1024
"""AlgorithmIdentifier parameters (RSASSA-PSS-params is under 100 bytes)."""


def load_public_key(spki: bytes) -> PublicKey:
    """Load a DER SubjectPublicKeyInfo.

    SM2 keys are accepted in both encodings: ``id-ecPublicKey`` with the curve 1.2.156.10197.1.301,
    and 1.2.156.10197.1.301 itself as the algorithm (OpenSSL 3, some devices). Raises
    :class:`MalformedInput` for bytes that are not a key and :class:`UnsupportedAlgorithm` for key
    types or curves we do not verify with.
    """
    if len(spki) > MAX_SPKI_BYTES:
        raise MalformedInput(f"SubjectPublicKeyInfo of {len(spki)} bytes (at most {MAX_SPKI_BYTES})")
    try:
        info = _RawPublicKeyInfo.load(spki, strict=True)
        algorithm = info["algorithm"]["algorithm"].dotted
        parameters = info["algorithm"]["parameters"]
        if algorithm in (KEY_OID.EC, KEY_OID.SM2):
            curve = _named_curve(parameters)
            if algorithm == KEY_OID.SM2 or curve == SM_OID.SM2:
                if curve not in (None, SM_OID.SM2):
                    raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_CURVE, f"SM2 key on curve {curve}")
                point = _bit_string_bytes(info["public_key"])
                return PublicKey(KeyType.SM2, 256, "sm2p256v1", spki, sm2.SM2PublicKey.from_bytes(point))
    except DECODER_ERRORS as exc:
        raise MalformedInput(f"unreadable SubjectPublicKeyInfo: {exc}") from exc
    try:
        key = serialization.load_der_public_key(spki)
    except _CryptographyUnsupported as exc:
        raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_KEY_TYPE, str(exc)) from exc
    except ValueError as exc:
        if "curve" in str(exc).lower():
            raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_CURVE, str(exc)) from exc
        raise MalformedInput(f"unreadable public key: {exc}") from exc
    if isinstance(key, rsa.RSAPublicKey):
        return PublicKey(KeyType.RSA, key.key_size, None, spki, key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in _ECDSA_CURVES:
            raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_CURVE, key.curve.name)
        return PublicKey(KeyType.EC, key.curve.key_size, key.curve.name, spki, key)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return PublicKey(KeyType.ED25519, 256, None, spki, key)
    if isinstance(key, ed448.Ed448PublicKey):
        return PublicKey(KeyType.ED448, 456, None, spki, key)
    raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_KEY_TYPE, type(key).__name__)


class _AlgorithmIdentifier(core.Sequence):
    """AlgorithmIdentifier with untyped parameters (RFC 5280 §4.1.1.2)."""

    _fields = [("algorithm", core.ObjectIdentifier), ("parameters", core.Any, {"optional": True})]


class _RawPublicKeyInfo(core.Sequence):
    """SubjectPublicKeyInfo read without asn1crypto's per-algorithm key specs, which do not know
    1.2.156.10197.1.301 as a key algorithm (RFC 5280 §4.1.2.7)."""

    _fields = [("algorithm", _AlgorithmIdentifier), ("public_key", core.BitString)]


def _named_curve(parameters: Any) -> str | None:
    """The named-curve OID in ECParameters, None when absent or NULL; explicit curves fail closed."""
    if isinstance(parameters, core.Void):
        return None
    encoded = parameters.dump()
    if encoded == b"\x05\x00":
        return None
    if encoded[:1] != b"\x06":
        raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_CURVE, "explicit or unreadable curve parameters")
    return core.ObjectIdentifier.load(encoded, strict=True).dotted


def _bit_string_bytes(value: Any) -> bytes:
    contents = value.contents
    if not contents or contents[0] != 0:
        raise MalformedInput("public key BIT STRING with unused bits")
    return bytes(contents[1:])


def verify_signature(
    key: PublicKey,
    algorithm_oid: str,
    algorithm_parameters: bytes | None,
    signature: bytes,
    data: bytes,
    *,
    sm2_user_id: bytes = sm2.DEFAULT_USER_ID,
    allow_weak: bool = False,
) -> None:
    """Verify ``signature`` over ``data`` with ``key`` under the algorithm ``algorithm_oid``.

    ``algorithm_parameters`` is the DER of the AlgorithmIdentifier's parameters, or None when
    absent. Parameters are checked per algorithm: NULL or absent for RSA PKCS#1 v1.5 and SM2, absent
    for ECDSA and EdDSA (RFC 5758, RFC 8410), RSASSA-PSS-params for PSS (RFC 4055).

    Returns None on success. Raises :class:`InvalidSignature` if the signature does not verify or
    the key cannot have made it, and :class:`UnsupportedAlgorithm` for unknown or refused algorithms.
    Does not check key sizes against any policy: that is the caller's profile.
    """
    algorithm = lookup(algorithm_oid)
    if algorithm.weak and not allow_weak:
        raise UnsupportedAlgorithm(UnsupportedReason.WEAK_ALGORITHM, algorithm.name)
    if key.key_type not in _KEY_TYPES_BY_OID[algorithm_oid]:
        raise InvalidSignature(f"a {key.key_type.value} key cannot make a {algorithm.name} signature")
    scheme = algorithm.scheme
    try:
        if scheme is Scheme.SM2:
            _expect_null_or_absent(algorithm, algorithm_parameters)
            sm2.verify(key.impl, data, signature, sm2_user_id)
        elif scheme is Scheme.RSA_PKCS1:
            _expect_null_or_absent(algorithm, algorithm_parameters)
            key.impl.verify(signature, data, _PKCS1V15, _HASH_INSTANCES[algorithm.hash_name or ""])
        elif scheme is Scheme.RSA_PSS:
            pss, digest = _pss(algorithm_parameters, allow_weak)
            try:
                key.impl.verify(signature, data, pss, digest)
            except (ValueError, OverflowError) as exc:  # OpenSSL refusing the salt length
                raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"RSASSA-PSS parameters: {exc}") from exc
        elif scheme is Scheme.ECDSA:
            _expect_absent(algorithm, algorithm_parameters)
            key.impl.verify(signature, data, ec.ECDSA(_HASHES[algorithm.hash_name or ""]()))
        else:
            _expect_absent(algorithm, algorithm_parameters)
            key.impl.verify(signature, data)
    except _CryptographyInvalidSignature:
        raise InvalidSignature(f"{algorithm.name} signature does not verify") from None


def _expect_null_or_absent(algorithm: SignatureAlgorithm, parameters: bytes | None) -> None:
    if parameters is not None and parameters != b"\x05\x00":
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"{algorithm.name} takes NULL or no parameters")


def _expect_absent(algorithm: SignatureAlgorithm, parameters: bytes | None) -> None:
    if parameters is not None:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"{algorithm.name} takes no parameters")


_PSS_DIGESTS = {"sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


def _pss_params(parameters: bytes | None) -> algos.RSASSAPSSParams:
    if parameters is None:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, "RSASSA-PSS without parameters")
    if len(parameters) > MAX_PARAMETERS_BYTES:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"RSASSA-PSS parameters of {len(parameters)} bytes")
    try:
        params = algos.RSASSAPSSParams.load(parameters, strict=True)
        params.native  # force a full parse now, inside the try
    except DECODER_ERRORS as exc:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"RSASSA-PSS parameters: {exc}") from exc
    return params


def _pss(parameters: bytes | None, allow_weak: bool) -> tuple[padding.PSS, hashes.HashAlgorithm]:
    """Padding and digest from RSASSA-PSS-params (RFC 4055 §3.1); anything unusable fails closed."""
    params = _pss_params(parameters)
    try:
        digest = params["hash_algorithm"]["algorithm"].native
        mgf = params["mask_gen_algorithm"]
        if mgf["algorithm"].native != "mgf1":
            raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, "RSASSA-PSS with a mask generation function other than MGF1")
        mgf_digest = mgf["parameters"]["algorithm"].native
        trailer = params["trailer_field"].native
        salt = params["salt_length"].native
    except DECODER_ERRORS as exc:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"RSASSA-PSS parameters: {exc}") from exc
    if digest not in _PSS_DIGESTS or mgf_digest not in _PSS_DIGESTS:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"RSASSA-PSS with {digest}/{mgf_digest}")
    if "sha1" in (digest, mgf_digest) and not allow_weak:
        raise UnsupportedAlgorithm(UnsupportedReason.WEAK_ALGORITHM, "RSASSA-PSS with SHA-1")
    if trailer != "trailer_field_bc":
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, "RSASSA-PSS trailer field must be 1")
    if not isinstance(salt, int) or not 0 <= salt <= 1024:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"RSASSA-PSS salt length {salt!r}")
    return padding.PSS(mgf=padding.MGF1(_HASHES[mgf_digest]()), salt_length=salt), _HASHES[digest]()


_ECDSA_HASH_BY_CURVE = {"secp256r1": "sha256", "secp384r1": "sha384", "secp521r1": "sha512"}
_DIGEST_INFO_OIDS = {
    **DIGEST_OIDS,
    # OpenSSL labels the SM3 digest inside an RSA DigestInfo with the RSA-with-SM3 OID.
    "1.2.156.10197.1.504": "sm3",
}


def verify_with_key(
    key: PublicKey,
    signature: bytes,
    data: bytes,
    *,
    hash_name: str | None = None,
    sm2_user_id: bytes = sm2.DEFAULT_USER_ID,
    allow_weak: bool = False,
) -> None:
    """Verify a bare signature (no AlgorithmIdentifier) with the scheme the key implies.

    SM2: SM2-with-SM3 over Z_A(``sm2_user_id``). RSA: PKCS#1 v1.5; the digest is read from the
    signature's own DigestInfo when ``hash_name`` is None. ECDSA: the digest matching the curve size
    unless given. EdDSA: pure. Raises like :func:`verify_signature`.
    """
    if key.key_type is KeyType.SM2:
        sm2.verify(key.impl, data, signature, sm2_user_id)
        return
    if key.key_type in (KeyType.ED25519, KeyType.ED448):
        try:
            key.impl.verify(signature, data)
        except _CryptographyInvalidSignature:
            raise InvalidSignature("EdDSA signature does not verify") from None
        return
    if hash_name is None:
        hash_name = _ECDSA_HASH_BY_CURVE.get(key.curve or "") if key.key_type is KeyType.EC else _rsa_digest_name(key, signature)
    if hash_name not in _HASHES:
        raise UnsupportedAlgorithm(UnsupportedReason.BAD_PARAMETERS, f"hash {hash_name}")
    if hash_name == "sha1" and not allow_weak:
        raise UnsupportedAlgorithm(UnsupportedReason.WEAK_ALGORITHM, "SHA-1")
    try:
        if key.key_type is KeyType.RSA:
            key.impl.verify(signature, data, padding.PKCS1v15(), _HASHES[hash_name]())
        else:
            key.impl.verify(signature, data, ec.ECDSA(_HASHES[hash_name]()))
    except _CryptographyInvalidSignature:
        raise InvalidSignature(f"{key.key_type.value} signature with {hash_name} does not verify") from None


def _rsa_digest_name(key: PublicKey, signature: bytes) -> str:
    try:
        digest_info = key.impl.recover_data_from_signature(signature, padding.PKCS1v15(), None)
        parsed = algos.DigestInfo.load(digest_info, strict=True)
        return _DIGEST_INFO_OIDS[parsed["digest_algorithm"]["algorithm"].dotted]
    except _CryptographyInvalidSignature:
        raise InvalidSignature("RSA signature does not verify") from None
    except DECODER_ERRORS:
        raise InvalidSignature("RSA signature holds no recognisable DigestInfo") from None
