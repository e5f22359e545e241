"""Algorithm OIDs, grouped by role: the keys of the algorithm registry.

Sources: GM/T 0006-2012 / GB/T 33560-2017 (SM algorithms), RFC 3279, RFC 4055, RFC 5758, RFC 8410.
Registration of these with asn1crypto happens in :mod:`certmutual.asn1.oids`, one layer up.
"""

from __future__ import annotations


class SM_OID:
    """SM algorithms (GM/T 0006-2012, carried into GB/T 33560-2017)."""

    SM2 = "1.2.156.10197.1.301"  # the curve, and as an SPKI algorithm (OpenSSL 3 style)
    SM2_SIGN = "1.2.156.10197.1.301.1"  # sm2-1, used as PKCS#7 digestEncryptionAlgorithm
    SM2_WITH_SM3 = "1.2.156.10197.1.501"
    SM3 = "1.2.156.10197.1.401"


class SIG_OID:
    """Standard signature algorithms (RFC 3279, RFC 4055, RFC 5758, RFC 8410)."""

    SHA1_RSA = "1.2.840.113549.1.1.5"
    SHA224_RSA = "1.2.840.113549.1.1.14"
    SHA256_RSA = "1.2.840.113549.1.1.11"
    SHA384_RSA = "1.2.840.113549.1.1.12"
    SHA512_RSA = "1.2.840.113549.1.1.13"
    RSA_PSS = "1.2.840.113549.1.1.10"
    ECDSA_SHA1 = "1.2.840.10045.4.1"
    ECDSA_SHA224 = "1.2.840.10045.4.3.1"
    ECDSA_SHA256 = "1.2.840.10045.4.3.2"
    ECDSA_SHA384 = "1.2.840.10045.4.3.3"
    ECDSA_SHA512 = "1.2.840.10045.4.3.4"
    ED25519 = "1.3.101.112"
    ED448 = "1.3.101.113"


class KEY_OID:
    """SubjectPublicKeyInfo algorithms."""

    RSA = "1.2.840.113549.1.1.1"
    RSA_PSS = "1.2.840.113549.1.1.10"
    EC = "1.2.840.10045.2.1"
    ED25519 = "1.3.101.112"
    ED448 = "1.3.101.113"
    SM2 = SM_OID.SM2
