"""Every OID certmutual knows, grouped by role, and their one-time registration with asn1crypto.

Sources: GM/T 0006-2012 / GB/T 33560-2017 (SM algorithm OIDs), GM/T 0010 (CMS content types),
RFC 5280 / RFC 4055 / RFC 5758 / RFC 8410 (standard algorithms and extensions).
``register()`` is the only place that touches asn1crypto's maps; it is idempotent and keeps the
lazily built ``_reverse_map`` in step.
"""

from __future__ import annotations

import threading

from asn1crypto import algos, cms, keys

from certmutual.crypto.oids import KEY_OID, SIG_OID, SM_OID  # noqa: F401  (re-exported)


class GMT0010_OID:
    """GM/T 0010 / GB/T 35275 CMS content types."""

    DATA = "1.2.156.10197.6.1.4.2.1"
    SIGNED_DATA = "1.2.156.10197.6.1.4.2.2"
    ENVELOPED_DATA = "1.2.156.10197.6.1.4.2.3"
    SIGNED_AND_ENVELOPED_DATA = "1.2.156.10197.6.1.4.2.4"
    ENCRYPTED_DATA = "1.2.156.10197.6.1.4.2.5"
    KEY_AGREEMENT_INFO = "1.2.156.10197.6.1.4.2.6"


class EXT_OID:
    """Certificate and CRL extensions this library processes (RFC 5280 §4.2, §5.2)."""

    SUBJECT_KEY_IDENTIFIER = "2.5.29.14"
    KEY_USAGE = "2.5.29.15"
    SUBJECT_ALT_NAME = "2.5.29.17"
    ISSUER_ALT_NAME = "2.5.29.18"
    BASIC_CONSTRAINTS = "2.5.29.19"
    CRL_NUMBER = "2.5.29.20"
    CRL_REASON = "2.5.29.21"
    INVALIDITY_DATE = "2.5.29.24"
    DELTA_CRL_INDICATOR = "2.5.29.27"
    ISSUING_DISTRIBUTION_POINT = "2.5.29.28"
    CERTIFICATE_ISSUER = "2.5.29.29"
    NAME_CONSTRAINTS = "2.5.29.30"
    CRL_DISTRIBUTION_POINTS = "2.5.29.31"
    CERTIFICATE_POLICIES = "2.5.29.32"
    POLICY_MAPPINGS = "2.5.29.33"
    AUTHORITY_KEY_IDENTIFIER = "2.5.29.35"
    POLICY_CONSTRAINTS = "2.5.29.36"
    EXTENDED_KEY_USAGE = "2.5.29.37"
    FRESHEST_CRL = "2.5.29.46"
    INHIBIT_ANY_POLICY = "2.5.29.54"
    AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1"
    SUBJECT_INFO_ACCESS = "1.3.6.1.5.5.7.1.11"


class EKU_OID:
    """Extended key usage purposes (RFC 5280 §4.2.1.12)."""

    ANY = "2.5.29.37.0"
    SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
    CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
    CODE_SIGNING = "1.3.6.1.5.5.7.3.3"
    EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
    TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
    OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"


EKU_NAMES: dict[str, str] = {
    "serverAuth": EKU_OID.SERVER_AUTH,
    "clientAuth": EKU_OID.CLIENT_AUTH,
    "codeSigning": EKU_OID.CODE_SIGNING,
    "emailProtection": EKU_OID.EMAIL_PROTECTION,
    "timeStamping": EKU_OID.TIME_STAMPING,
    "OCSPSigning": EKU_OID.OCSP_SIGNING,
    "anyExtendedKeyUsage": EKU_OID.ANY,
}

# Names given to asn1crypto, so parsed objects print readable names instead of dotted OIDs.
_SIGNATURE_NAMES = {SM_OID.SM2_WITH_SM3: "sm2_sm3", SM_OID.SM2_SIGN: "sm2"}
_DIGEST_NAMES = {SM_OID.SM3: "sm3"}
_CONTENT_TYPE_NAMES = {
    GMT0010_OID.DATA: "gmt0010_data",
    GMT0010_OID.SIGNED_DATA: "gmt0010_signed_data",
    GMT0010_OID.ENVELOPED_DATA: "gmt0010_enveloped_data",
    GMT0010_OID.SIGNED_AND_ENVELOPED_DATA: "gmt0010_signed_and_enveloped_data",
    GMT0010_OID.ENCRYPTED_DATA: "gmt0010_encrypted_data",
    GMT0010_OID.KEY_AGREEMENT_INFO: "gmt0010_key_agreement_info",
}

_lock = threading.Lock()
_registered = False


def _add(cls: type, mapping: dict[str, str]) -> None:
    for oid, name in mapping.items():
        cls._map.setdefault(oid, name)  # type: ignore[attr-defined]
        reverse = getattr(cls, "_reverse_map", None)
        if reverse is not None:
            reverse.setdefault(name, oid)


def register() -> None:
    """Teach asn1crypto the SM2 curve and the SM/GM OIDs. Safe to call any number of times."""
    global _registered
    with _lock:
        if _registered:
            return
        if SM_OID.SM2 not in keys.NamedCurve._map:
            keys.NamedCurve.register("sm2p256v1", SM_OID.SM2, 32)
        _add(algos.SignedDigestAlgorithmId, _SIGNATURE_NAMES)
        _add(algos.DigestAlgorithmId, _DIGEST_NAMES)
        _add(cms.ContentType, _CONTENT_TYPE_NAMES)
        # GM/T 0010 SignedData has the RFC 5652 shape: let ContentInfo parse it as such (PDF signers
        # in China wrap their CMS in this OID, and pyHanko reads ContentInfo['content']).
        cms.ContentInfo._oid_specs.setdefault(_CONTENT_TYPE_NAMES[GMT0010_OID.SIGNED_DATA], cms.SignedData)
        # 1.2.156.10197.1.301 as an SPKI algorithm is deliberately *not* named for asn1crypto:
        # a named algorithm without a key spec makes PublicKeyInfo raise KeyError on access.
        _registered = True


__all__ = ["SM_OID", "GMT0010_OID", "SIG_OID", "KEY_OID", "EXT_OID", "EKU_OID", "EKU_NAMES", "register"]
