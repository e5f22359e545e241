"""CMS / PKCS#7 SignedData vocabulary: content types of both OID families, signed attributes, and the
digest and signature algorithms SignerInfos name.

Sources: RFC 5652 (CMS) §5, §11; RFC 2315 (PKCS #7 v1.5) §9; GM/T 0010-2012 / GB/T 35275-2017 §7
(the 1.2.156.10197.6.1.4.2.x content types); GM/T 0006 / GB/T 33560 (SM OIDs); RFC 3161 §3.3
(signature time-stamp attribute). The GM/T content types are registered with asn1crypto, beside the
SM algorithms, by :func:`certmutual.asn1.oids.register`.

Producers mix the families: GM/T 0010 ContentInfo with a PKCS#7 ``data`` inner type, PKCS#7
``signedData`` with SM2 signers (GmSSL issue #381). A reader accepts either family at each level.
"""

from __future__ import annotations

import enum

from certmutual.asn1.oids import GMT0010_OID, SIG_OID, SM_OID
from certmutual.crypto.digests import DIGEST_OIDS


class PKCS7_OID:
    """RFC 2315 §14 / RFC 5652 §4-§5 content types."""

    DATA = "1.2.840.113549.1.7.1"
    SIGNED_DATA = "1.2.840.113549.1.7.2"
    ENVELOPED_DATA = "1.2.840.113549.1.7.3"
    SIGNED_AND_ENVELOPED_DATA = "1.2.840.113549.1.7.4"
    DIGESTED_DATA = "1.2.840.113549.1.7.5"
    ENCRYPTED_DATA = "1.2.840.113549.1.7.6"


class ContentKind(enum.Enum):
    """What a ContentInfo holds, whichever OID family names it."""

    DATA = "data"
    SIGNED_DATA = "signedData"
    ENVELOPED_DATA = "envelopedData"
    SIGNED_AND_ENVELOPED_DATA = "signedAndEnvelopedData"
    DIGESTED_DATA = "digestedData"
    ENCRYPTED_DATA = "encryptedData"
    KEY_AGREEMENT_INFO = "keyAgreementInfo"


CONTENT_KINDS: dict[str, ContentKind] = {
    PKCS7_OID.DATA: ContentKind.DATA,
    PKCS7_OID.SIGNED_DATA: ContentKind.SIGNED_DATA,
    PKCS7_OID.ENVELOPED_DATA: ContentKind.ENVELOPED_DATA,
    PKCS7_OID.SIGNED_AND_ENVELOPED_DATA: ContentKind.SIGNED_AND_ENVELOPED_DATA,
    PKCS7_OID.DIGESTED_DATA: ContentKind.DIGESTED_DATA,
    PKCS7_OID.ENCRYPTED_DATA: ContentKind.ENCRYPTED_DATA,
    GMT0010_OID.DATA: ContentKind.DATA,
    GMT0010_OID.SIGNED_DATA: ContentKind.SIGNED_DATA,
    GMT0010_OID.ENVELOPED_DATA: ContentKind.ENVELOPED_DATA,
    GMT0010_OID.SIGNED_AND_ENVELOPED_DATA: ContentKind.SIGNED_AND_ENVELOPED_DATA,
    GMT0010_OID.ENCRYPTED_DATA: ContentKind.ENCRYPTED_DATA,
    GMT0010_OID.KEY_AGREEMENT_INFO: ContentKind.KEY_AGREEMENT_INFO,
}


class ATTRIBUTE_OID:
    """CMS attributes (RFC 5652 §11; PKCS #9; RFC 3161 Appendix A)."""

    CONTENT_TYPE = "1.2.840.113549.1.9.3"
    MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
    SIGNING_TIME = "1.2.840.113549.1.9.5"
    COUNTERSIGNATURE = "1.2.840.113549.1.9.6"
    SIGNATURE_TIME_STAMP_TOKEN = "1.2.840.113549.1.9.16.2.14"


DIGEST_NAMES: dict[str, str] = {**DIGEST_OIDS, "1.2.840.113549.2.5": "md5"}
"""Digest algorithms a SignerInfo's digestAlgorithm may name: the shared table plus MD5, which old
seal-era signers still write (named, so that it is refused as weak rather than unknown)."""
"""digestAlgorithm OID -> digest name (``hashlib`` names; ``sm3`` is ours)."""


class SIGNER_KEY_OID:
    """Bare key algorithms that PKCS#7 producers write as digestEncryptionAlgorithm, leaving the
    digest to digestAlgorithm (RFC 3370 §3.2, RFC 5753 §2.1.1)."""

    RSA = "1.2.840.113549.1.1.1"
    EC_PUBLIC_KEY = "1.2.840.10045.2.1"
    SM2 = SM_OID.SM2
    SM2_SIGN = SM_OID.SM2_SIGN


RSA_BY_DIGEST: dict[str, str] = {
    "sha1": SIG_OID.SHA1_RSA,
    "sha224": SIG_OID.SHA224_RSA,
    "sha256": SIG_OID.SHA256_RSA,
    "sha384": SIG_OID.SHA384_RSA,
    "sha512": SIG_OID.SHA512_RSA,
}
ECDSA_BY_DIGEST: dict[str, str] = {
    "sha1": SIG_OID.ECDSA_SHA1,
    "sha224": SIG_OID.ECDSA_SHA224,
    "sha256": SIG_OID.ECDSA_SHA256,
    "sha384": SIG_OID.ECDSA_SHA384,
    "sha512": SIG_OID.ECDSA_SHA512,
}


def signature_algorithm_for(signature_oid: str, digest_name: str | None) -> str | None:
    """The registry algorithm a SignerInfo means by ``signature_oid`` and its digest.

    Bare key algorithms (rsaEncryption, id-ecPublicKey, sm2, sm2-1) are combined with the digest;
    combined OIDs (sha256WithRSAEncryption, ecdsa-with-SHA256, SM2-with-SM3, RSASSA-PSS…) are
    returned as they are. SM2 signs with SM3 whatever the digest says (GM/T 0010 §7). None when the
    pair names no algorithm (e.g. rsaEncryption with SM3).
    """
    if signature_oid in (SIGNER_KEY_OID.SM2, SIGNER_KEY_OID.SM2_SIGN):
        return SM_OID.SM2_SIGN
    if signature_oid == SIGNER_KEY_OID.RSA:
        return RSA_BY_DIGEST.get(digest_name or "")
    if signature_oid == SIGNER_KEY_OID.EC_PUBLIC_KEY:
        return ECDSA_BY_DIGEST.get(digest_name or "")
    return signature_oid


__all__ = [
    "ATTRIBUTE_OID",
    "CONTENT_KINDS",
    "ContentKind",
    "DIGEST_NAMES",
    "GMT0010_OID",
    "PKCS7_OID",
    "SIGNER_KEY_OID",
    "signature_algorithm_for",
]
