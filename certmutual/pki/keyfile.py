"""Private key files for the signers certmutual itself runs: the trust-list authority, test CAs.

PKCS#8 PEM (``-----BEGIN PRIVATE KEY-----``) for every key type, and SEC1 ``EC PRIVATE KEY`` for
SM2 as GmSSL and older tools write it. SM2 keys use id-ecPublicKey with the sm2p256v1 curve, as
``openssl genpkey -algorithm SM2`` writes them; the other types go through pyca/cryptography.
Unencrypted files only: protect them with file permissions or an HSM.
"""

from __future__ import annotations

from asn1crypto import keys, pem
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

import certmutual.asn1  # noqa: F401  (registers the SM2 curve with asn1crypto)
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.crypto import sm2
from certmutual.crypto.oids import KEY_OID, SM_OID
from certmutual.errors import MalformedInput, UnsupportedAlgorithm, UnsupportedReason
from certmutual.pki.builder import KeyKind, SigningKey


def load_signing_key(data: bytes) -> SigningKey:
    """A :class:`SigningKey` from a PEM or DER private key. Raises :class:`MalformedInput` or
    :class:`UnsupportedAlgorithm`."""
    der = data
    if pem.detect(data):
        try:
            label, _, der = pem.unarmor(data)
        except ValueError as exc:
            raise MalformedInput(f"unreadable PEM private key: {exc}") from exc
        if "ENCRYPTED" in label:
            raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_KEY_TYPE, "encrypted private keys are not supported")
    sm2_key = _sm2_private_key(der)
    if sm2_key is not None:
        return SigningKey(KeyKind.SM2, sm2_key)
    try:
        private = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError) as exc:
        raise MalformedInput(f"unreadable private key: {exc}") from exc
    if isinstance(private, rsa.RSAPrivateKey):
        return SigningKey(KeyKind.RSA3072 if private.key_size >= 3072 else KeyKind.RSA2048, private)
    if isinstance(private, ec.EllipticCurvePrivateKey) and isinstance(private.curve, (ec.SECP256R1, ec.SECP384R1)):
        return SigningKey(KeyKind.P256 if isinstance(private.curve, ec.SECP256R1) else KeyKind.P384, private)
    if isinstance(private, ed25519.Ed25519PrivateKey):
        return SigningKey(KeyKind.ED25519, private)
    raise UnsupportedAlgorithm(UnsupportedReason.UNKNOWN_KEY_TYPE, f"{type(private).__name__} keys cannot sign here")


def _sm2_private_key(der: bytes) -> sm2.SM2PrivateKey | None:
    """The SM2 scalar of a PKCS#8 or SEC1 key on the SM2 curve; None for other keys."""
    try:
        info = keys.PrivateKeyInfo.load(der, strict=True)
        algorithm = info["private_key_algorithm"]
        if algorithm["algorithm"].dotted not in (KEY_OID.EC, KEY_OID.SM2):
            return None
        curve = algorithm["parameters"]
        if algorithm["algorithm"].dotted == KEY_OID.EC and curve.chosen.dotted != SM_OID.SM2:
            return None
        ec_key = keys.ECPrivateKey.load(info["private_key"].contents, strict=True)
    except ASN1_ERRORS:
        try:
            ec_key = keys.ECPrivateKey.load(der, strict=True)
            parameters = ec_key["parameters"]
            if parameters.native is None or parameters.chosen.dotted != SM_OID.SM2:
                return None
        except ASN1_ERRORS:
            return None
    try:
        return sm2.SM2PrivateKey.from_bytes(ec_key["private_key"].contents.rjust(32, b"\x00"))
    except ASN1_ERRORS as exc:
        raise MalformedInput(f"unreadable SM2 private key: {exc}") from exc


def dump_signing_key(key: SigningKey) -> bytes:
    """PKCS#8 PEM of ``key`` (unencrypted)."""
    if key.kind is not KeyKind.SM2:
        return key.private_pem()
    private: sm2.SM2PrivateKey = key.private
    ec_key = keys.ECPrivateKey({"version": "ecPrivkeyVer1", "private_key": private.d, "public_key": private.public_key.to_bytes()})
    ec_key["private_key"].set_encoded_width(32)  # SEC1: the scalar as a fixed-width octet string
    info = keys.PrivateKeyInfo({
        "version": 0,
        "private_key_algorithm": {"algorithm": KEY_OID.EC, "parameters": keys.ECDomainParameters(name="named", value=SM_OID.SM2)},
        "private_key": ec_key,
    })
    return pem.armor("PRIVATE KEY", info.dump())
