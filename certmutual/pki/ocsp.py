"""OCSP (RFC 6960), pure: building requests, reading responses and judging them.

No network and no clock here: an HTTP fetcher sends what :func:`build_request` makes and hands the
reply's bytes to :func:`parse_response`; :func:`check_response` judges the parsed response at a time
the caller gives. Outside bytes are parsed through :func:`certmutual.asn1.der.load` (bounded work),
and the BasicOCSPResponse signature is verified over the tbsResponseData bytes as received.
"""

from __future__ import annotations

import hashlib

from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509

import certmutual.asn1  # noqa: F401  (registers SM OIDs, SM3 as a digest among them)
from certmutual.asn1 import der
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.asn1.oids import EXT_OID
from certmutual.crypto.oids import SM_OID
from certmutual.crypto.sm3 import sm3
from certmutual.errors import MalformedInput, UsageError
from certmutual.pki.certificate import Certificate


class OCSP_OID:
    """OCSP object identifiers (RFC 6960 §4.4, Appendix B)."""

    AD_OCSP = "1.3.6.1.5.5.7.48.1"
    BASIC = "1.3.6.1.5.5.7.48.1.1"
    NONCE = "1.3.6.1.5.5.7.48.1.2"
    CRL_REFERENCE = "1.3.6.1.5.5.7.48.1.3"
    ARCHIVE_CUTOFF = "1.3.6.1.5.5.7.48.1.6"
    EXTENDED_REVOKE = "1.3.6.1.5.5.7.48.1.9"


HASH_ALGORITHMS: dict[str, str] = {
    "sha1": "1.3.14.3.2.26",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sm3": SM_OID.SM3,
}
"""CertID hash algorithms, by name: SHA-1 (what responders expect; RFC 5019), SHA-256, and SM3 for
GM/T responders."""
_HASH_NAMES = {oid: name for name, oid in HASH_ALGORITHMS.items()}


def _digest(hash_algorithm: str, data: bytes) -> bytes:
    if hash_algorithm == "sm3":
        return sm3(data)
    return hashlib.new(hash_algorithm, data).digest()


def issuer_key_bytes(issuer: Certificate) -> bytes:
    """The issuer's subjectPublicKey BIT STRING contents (no unused-bits octet): what
    ``issuerKeyHash`` hashes (RFC 6960 §4.1.1)."""
    spki = issuer.spki
    _, start, end = der.read_header(spki, 0)
    parts = der.elements(spki, start, end)
    if len(parts) != 2 or parts[1][0] != 0x03:
        raise MalformedInput("subjectPublicKeyInfo is not { algorithm, BIT STRING }")
    _, _, content_start, content_end = parts[1]
    if content_start == content_end or spki[content_start] != 0:
        raise MalformedInput("subjectPublicKey has unused bits")
    return spki[content_start + 1 : content_end]


def cert_id_hashes(issuer: Certificate, hash_algorithm: str) -> tuple[bytes, bytes]:
    """``(issuerNameHash, issuerKeyHash)`` of ``issuer`` with the named hash (a key of
    :data:`HASH_ALGORITHMS`)."""
    if hash_algorithm not in HASH_ALGORITHMS:
        raise UsageError(f"unknown CertID hash algorithm {hash_algorithm!r}; use one of {sorted(HASH_ALGORITHMS)}")
    return _digest(hash_algorithm, issuer.subject_der), _digest(hash_algorithm, issuer_key_bytes(issuer))


def build_request(
    cert: Certificate,
    issuer: Certificate,
    *,
    nonce: bytes | None = None,
    hash_algorithm: str = "sha1",
) -> bytes:
    """DER of an unsigned OCSPRequest (RFC 6960 §4.1) asking about ``cert``, issued by ``issuer``.

    One CertID: issuerNameHash over the issuer's subject DER, issuerKeyHash over the issuer's
    subjectPublicKey, and ``cert``'s serial, hashed with ``hash_algorithm`` ("sha1", the default
    responders expect; "sha256"; or "sm3" for GM/T responders). ``nonce`` adds the
    id-pkix-ocsp-nonce request extension (RFC 8954: 1 to 32 octets; the response must echo it).

    Raises :class:`UsageError` for an unknown hash name or a bad nonce length. Does not check that
    ``issuer`` really issued ``cert``.
    """
    if nonce is not None and not 1 <= len(nonce) <= 32:
        raise UsageError("an OCSP nonce is 1 to 32 octets (RFC 8954)")
    name_hash, key_hash = cert_id_hashes(issuer, hash_algorithm)
    request: dict[str, object] = {
        "req_cert": {
            "hash_algorithm": {"algorithm": HASH_ALGORITHMS[hash_algorithm]},
            "issuer_name_hash": name_hash,
            "issuer_key_hash": key_hash,
            "serial_number": cert.serial,
        }
    }
    tbs: dict[str, object] = {"request_list": [request]}
    if nonce is not None:
        tbs["request_extensions"] = [{"extn_id": "nonce", "critical": False, "extn_value": nonce}]
    return bytes(asn1_ocsp.OCSPRequest({"tbs_request": tbs}).dump())


def ocsp_urls(cert: Certificate) -> list[str]:
    """The OCSP responder URLs of ``cert``'s authorityInfoAccess (id-ad-ocsp, URI names), in order.

    Empty when the certificate has no AIA or no OCSP access description. The extension was parsed
    when the certificate was loaded, so this does not raise for a loaded certificate.
    """
    extension = cert.extensions.get(EXT_OID.AUTHORITY_INFO_ACCESS)
    if extension is None:
        return []
    try:
        aia = der.load(x509.AuthorityInfoAccessSyntax, extension.value)
        urls = []
        for description in aia:
            if description["access_method"].dotted != OCSP_OID.AD_OCSP:
                continue
            location = description["access_location"]
            if location.name == "uniform_resource_identifier":
                urls.append(str(location.native))
        return urls
    except ASN1_ERRORS as exc:
        raise MalformedInput(f"unreadable authorityInfoAccess: {exc}") from exc
