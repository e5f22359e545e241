"""Digest algorithms by name and by OID, SM3 included: the one place the layers above hash with an
algorithm a structure names (CMS digestAlgorithm, OCSP CertID, RFC 3161 imprint, OFD CheckMethod).

Names are ``hashlib`` names; SM3 always goes through :func:`certmutual.crypto.sm3.sm3` (C speed, with
its fallback when this Python's OpenSSL hides SM3).
"""

from __future__ import annotations

import hashlib

from certmutual.crypto.oids import SM_OID
from certmutual.crypto.sm3 import sm3

DIGEST_OIDS: dict[str, str] = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
    SM_OID.SM3: "sm3",
}
"""The SHA-1/SHA-2 family (RFC 3370, RFC 5754) and SM3 (GM/T 0006), OID to name. Callers that accept
more (MD5 in old seals) or less say so beside their own use."""


def digest(name: str, data: bytes) -> bytes:
    """``data`` hashed with ``name`` (a :data:`DIGEST_OIDS` value, or another ``hashlib`` name)."""
    return sm3(data) if name == "sm3" else hashlib.new(name, data).digest()


__all__ = ["DIGEST_OIDS", "digest"]
