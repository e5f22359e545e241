"""Issuing certificates and CRLs, for every algorithm the registry verifies (SM2 included).

Used by the demo PKI the Quick start runs on, by the test PKI in ``tests/``, and by the benchmarks.
pyca/cryptography's ``CertificateBuilder`` cannot sign with SM2, so the TBS structures are declared
with asn1crypto and signed here. Not a CA product: no HSM, no issuance policy, no audit.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import core, keys, x509
from asn1crypto import crl as asn1_crl
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

import certmutual.asn1  # noqa: F401  (registers SM OIDs)
from certmutual.crypto import sm2
from certmutual.crypto.oids import KEY_OID, SIG_OID, SM_OID
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList


class KeyKind(enum.Enum):
    SM2 = "sm2"
    RSA2048 = "rsa2048"
    RSA3072 = "rsa3072"
    P256 = "p256"
    P384 = "p384"
    ED25519 = "ed25519"


class SigningKey:
    """A private key that can sign certificates and CRLs, with its SPKI and signature algorithm."""

    def __init__(self, kind: KeyKind, private: Any) -> None:
        self.kind = kind
        self.private = private
        if kind is KeyKind.SM2:
            point = private.public_key.to_bytes()
            info = keys.PublicKeyInfo({
                "algorithm": {"algorithm": KEY_OID.EC, "parameters": keys.ECDomainParameters(name="named", value=SM_OID.SM2)},
                "public_key": point,
            })
            self.spki = info.dump()
        else:
            self.spki = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    @classmethod
    def generate(cls, kind: KeyKind) -> "SigningKey":
        if kind is KeyKind.SM2:
            return cls(kind, sm2.SM2PrivateKey.generate())
        if kind in (KeyKind.RSA2048, KeyKind.RSA3072):
            return cls(kind, rsa.generate_private_key(65537, 2048 if kind is KeyKind.RSA2048 else 3072))
        if kind is KeyKind.P256:
            return cls(kind, ec.generate_private_key(ec.SECP256R1()))
        if kind is KeyKind.P384:
            return cls(kind, ec.generate_private_key(ec.SECP384R1()))
        return cls(kind, ed25519.Ed25519PrivateKey.generate())

    @property
    def signature_algorithm(self) -> str:
        return {
            KeyKind.SM2: SM_OID.SM2_WITH_SM3, KeyKind.RSA2048: SIG_OID.SHA256_RSA, KeyKind.RSA3072: SIG_OID.SHA256_RSA,
            KeyKind.P256: SIG_OID.ECDSA_SHA256, KeyKind.P384: SIG_OID.ECDSA_SHA384, KeyKind.ED25519: SIG_OID.ED25519,
        }[self.kind]

    def algorithm_identifier(self) -> dict[str, Any]:
        if self.kind in (KeyKind.RSA2048, KeyKind.RSA3072):
            return {"algorithm": self.signature_algorithm, "parameters": core.Null()}
        return {"algorithm": self.signature_algorithm}

    def sign(self, data: bytes) -> bytes:
        if self.kind is KeyKind.SM2:
            return self.private.sign(data)
        if self.kind in (KeyKind.RSA2048, KeyKind.RSA3072):
            return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        if self.kind is KeyKind.P256:
            return self.private.sign(data, ec.ECDSA(hashes.SHA256()))
        if self.kind is KeyKind.P384:
            return self.private.sign(data, ec.ECDSA(hashes.SHA384()))
        return self.private.sign(data)

    @property
    def key_id(self) -> bytes:
        """SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1)."""
        info = keys.PublicKeyInfo.load(self.spki)
        return hashlib.sha1(info["public_key"].contents[1:]).digest()

    def private_pem(self) -> bytes:
        if self.kind is KeyKind.SM2:
            raise NotImplementedError("SM2 private keys are kept as raw scalars by the test PKI")
        return self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def name(attributes: Mapping[str, str] | Sequence[tuple[str, str]]) -> x509.Name:
    """A Name from asn1crypto attribute names, e.g. ``{"country_name": "CN", "common_name": "x"}``."""
    items = list(attributes.items()) if isinstance(attributes, Mapping) else list(attributes)
    return x509.Name.build(dict(items), use_printable=False) if len(set(k for k, _ in items)) == len(items) else _name_rdns(items)


def _name_rdns(items: list[tuple[str, str]]) -> x509.Name:
    rdns = [x509.RelativeDistinguishedName([x509.NameTypeAndValue({"type": k, "value": x509.DirectoryString(name="utf8_string", value=v)})])
            for k, v in items]
    return x509.Name(name="", value=x509.RDNSequence(rdns))


@dataclass(frozen=True)
class RawExtension:
    """An extension given as already-encoded value bytes (for unusual or deliberately bad ones)."""

    oid: str
    critical: bool
    value: bytes


def issue_certificate(
    *,
    subject: x509.Name,
    subject_key: SigningKey,
    issuer_key: SigningKey,
    issuer: x509.Name | None = None,
    issuer_key_id: bytes | None = None,
    serial: int | None = None,
    not_before: datetime.datetime,
    not_after: datetime.datetime,
    ca: bool = False,
    path_len: int | None = None,
    key_usage: Iterable[str] = (),
    ext_key_usage: Iterable[str] = (),
    dns_names: Iterable[str] = (),
    crl_urls: Iterable[str] = (),
    ocsp_urls: Iterable[str] = (),
    permitted_dns: Iterable[str] = (),
    excluded_dns: Iterable[str] = (),
    extra_extensions: Iterable[RawExtension] = (),
) -> Certificate:
    """Issue an X.509 v3 certificate. ``issuer`` None makes it self-issued (signed by ``issuer_key``).

    Extensions follow RFC 5280's issuance rules (critical basicConstraints on CAs, SKI, AKI from
    ``issuer_key``) so a certificate from here passes a strict validation unless told otherwise.
    """
    issuer = issuer if issuer is not None else subject
    extensions: list[dict[str, Any]] = []

    def add(oid: str, critical: bool, value: Any) -> None:
        extensions.append({"extn_id": oid, "critical": critical, "extn_value": value})

    if ca or path_len is not None:
        add("basic_constraints", True, {"ca": ca, "path_len_constraint": path_len})
    else:
        add("basic_constraints", True, {"ca": False})
    usages = set(key_usage) or ({"key_cert_sign", "crl_sign"} if ca else {"digital_signature"})
    add("key_usage", True, x509.KeyUsage(usages))
    if ext_key_usage:
        add("extended_key_usage", False, list(ext_key_usage))
    add("key_identifier", False, subject_key.key_id)
    add("authority_key_identifier", False, {"key_identifier": issuer_key_id or issuer_key.key_id})
    if dns_names:
        add("subject_alt_name", False, [x509.GeneralName(name="dns_name", value=d) for d in dns_names])
    if crl_urls:
        add("crl_distribution_points", False, [
            {"distribution_point": x509.DistributionPointName(name="full_name", value=[
                x509.GeneralName(name="uniform_resource_identifier", value=url)])}
            for url in crl_urls])
    if ocsp_urls:
        add("authority_information_access", False, [
            {"access_method": "ocsp", "access_location": x509.GeneralName(name="uniform_resource_identifier", value=url)}
            for url in ocsp_urls])
    if permitted_dns or excluded_dns:
        def subtrees(values: Iterable[str]) -> list[dict[str, Any]] | None:
            items = [{"base": x509.GeneralName(name="dns_name", value=v)} for v in values]
            return items or None
        constraints: dict[str, Any] = {}
        if permitted_dns:
            constraints["permitted_subtrees"] = subtrees(permitted_dns)
        if excluded_dns:
            constraints["excluded_subtrees"] = subtrees(excluded_dns)
        add("name_constraints", True, constraints)
    raw = [x509.Extension({"extn_id": e["extn_id"], "critical": e["critical"], "extn_value": e["extn_value"]}) for e in extensions]
    for extra in extra_extensions:
        raw = [ext for ext in raw if ext["extn_id"].dotted != extra.oid]
        ext = x509.Extension({"extn_id": extra.oid, "critical": extra.critical})
        ext["extn_value"] = core.ParsableOctetString(extra.value)
        raw.append(ext)
    tbs = x509.TbsCertificate({
        "version": "v3",
        "serial_number": serial if serial is not None else secrets.randbits(126) + 1,
        "signature": subject_key_algorithm(issuer_key),
        "issuer": issuer,
        "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
        "subject": subject,
        "subject_public_key_info": keys.PublicKeyInfo.load(subject_key.spki),
        "extensions": raw,
    })
    tbs_der = tbs.dump()
    cert = x509.Certificate({
        "tbs_certificate": tbs,
        "signature_algorithm": subject_key_algorithm(issuer_key),
        "signature_value": issuer_key.sign(tbs_der),
    })
    return Certificate(cert.dump())


def subject_key_algorithm(signer: SigningKey) -> dict[str, Any]:
    return signer.algorithm_identifier()


def issue_crl(
    *,
    issuer: Certificate,
    issuer_key: SigningKey,
    this_update: datetime.datetime,
    next_update: datetime.datetime | None,
    revoked: Iterable[tuple[int, datetime.datetime]] = (),
    number: int = 1,
) -> CertificateList:
    """Issue a complete, direct v2 CRL with cRLNumber and AKI."""
    entries = [{"user_certificate": serial, "revocation_date": _time(when)} for serial, when in revoked]
    tbs = asn1_crl.TbsCertList({
        "version": "v2",
        "signature": issuer_key.algorithm_identifier(),
        "issuer": issuer.subject,
        "this_update": _time(this_update),
        "next_update": _time(next_update) if next_update else None,
        "revoked_certificates": entries or None,
        "crl_extensions": [
            {"extn_id": "crl_number", "critical": False, "extn_value": number},
            {"extn_id": "authority_key_identifier", "critical": False, "extn_value": {"key_identifier": issuer_key.key_id}},
        ],
    })
    signed = asn1_crl.CertificateList({
        "tbs_cert_list": tbs,
        "signature_algorithm": issuer_key.algorithm_identifier(),
        "signature": issuer_key.sign(tbs.dump()),
    })
    return CertificateList(signed.dump())


def _time(value: datetime.datetime) -> x509.Time:
    value = value.astimezone(datetime.timezone.utc).replace(microsecond=0)
    if 1950 <= value.year < 2050:
        return x509.Time(name="utc_time", value=value)
    return x509.Time(name="general_time", value=value)


# -- OCSP responses (RFC 6960 §4.2), for the test PKI ----------------------------------------------


def issue_ocsp_response(
    *,
    cert: Certificate,
    issuer: Certificate,
    responder_key: SigningKey,
    this_update: datetime.datetime,
    responder_cert: Certificate | None = None,
    status: str = "good",
    revoked_at: datetime.datetime | None = None,
    reason: str | None = None,
    next_update: datetime.datetime | None = None,
    produced_at: datetime.datetime | None = None,
    nonce: bytes | None = None,
    include_certs: Sequence[Certificate] = (),
    response_status: str = "successful",
    hash_algorithm: str = "sha1",
    responder_id: str = "key",
    serial: int | None = None,
    response_extensions: Iterable[RawExtension] = (),
    single_extensions: Iterable[RawExtension] = (),
) -> bytes:
    """A DER OCSPResponse about ``cert`` (issued by ``issuer``), signed with ``responder_key``.

    ``status`` is "good", "revoked" (``revoked_at`` required, ``reason`` an asn1crypto CRLReason name
    such as "key_compromise") or "unknown". The ResponderID names ``responder_cert`` (default:
    ``issuer``) by key hash, or by subject with ``responder_id="name"``; ``include_certs`` go into
    the ``certs`` field. ``response_status`` other than "successful" gives a bare status, as a
    responder refusing a request sends. ``serial`` overrides the CertID's serial; the ``*_extensions``
    add raw extensions (unknown critical ones, for tests). Nothing here checks that the responder is
    authorised: tests build unauthorised responses on purpose.
    """
    from asn1crypto import ocsp as asn1_ocsp

    from certmutual.pki import ocsp_response as ocsp

    if response_status != "successful":
        return bytes(asn1_ocsp.OCSPResponse({"response_status": response_status}).dump())
    name_hash, key_hash = ocsp.cert_id_hashes(issuer, hash_algorithm)
    if status == "revoked":
        if revoked_at is None:
            raise ValueError("a revoked status needs revoked_at")
        cert_status = asn1_ocsp.CertStatus(name="revoked", value={
            "revocation_time": _generalized(revoked_at), "revocation_reason": reason})
    else:
        cert_status = asn1_ocsp.CertStatus(name=status, value=core.Null())

    def raw(extension_type: type, items: Iterable[RawExtension]) -> list[Any]:
        out = []
        for item in items:
            ext = extension_type({"extn_id": item.oid, "critical": item.critical})
            ext["extn_value"] = core.ParsableOctetString(item.value)
            out.append(ext)
        return out

    single: dict[str, Any] = {
        "cert_id": {
            "hash_algorithm": {"algorithm": ocsp.HASH_ALGORITHMS[hash_algorithm]},
            "issuer_name_hash": name_hash,
            "issuer_key_hash": key_hash,
            "serial_number": cert.serial if serial is None else serial,
        },
        "cert_status": cert_status,
        "this_update": _generalized(this_update),
        "next_update": _generalized(next_update) if next_update is not None else None,
    }
    single_raw = raw(asn1_ocsp.SingleResponseExtension, single_extensions)
    if single_raw:
        single["single_extensions"] = single_raw
    responder = responder_cert if responder_cert is not None else issuer
    if responder_id == "name":
        rid = asn1_ocsp.ResponderId(name="by_name", value=responder.subject)
    else:
        rid = asn1_ocsp.ResponderId(name="by_key", value=hashlib.sha1(ocsp.issuer_key_bytes(responder)).digest())
    extensions = []
    if nonce is not None:
        extensions.append(asn1_ocsp.ResponseDataExtension({"extn_id": "nonce", "critical": False, "extn_value": nonce}))
    extensions += raw(asn1_ocsp.ResponseDataExtension, response_extensions)
    data: dict[str, Any] = {
        "responder_id": rid,
        "produced_at": _generalized(produced_at if produced_at is not None else this_update),
        "responses": [single],
    }
    if extensions:
        data["response_extensions"] = extensions
    tbs = asn1_ocsp.ResponseData(data)
    tbs_der = tbs.dump()
    basic: dict[str, Any] = {
        "tbs_response_data": asn1_ocsp.ResponseData.load(tbs_der),
        "signature_algorithm": responder_key.algorithm_identifier(),
        "signature": responder_key.sign(tbs_der),
    }
    if include_certs:
        basic["certs"] = [x509.Certificate.load(c.der) for c in include_certs]
    return bytes(asn1_ocsp.OCSPResponse({
        "response_status": "successful",
        "response_bytes": {"response_type": "basic_ocsp_response",
                           "response": asn1_ocsp.BasicOCSPResponse(basic)},
    }).dump())


def _generalized(value: datetime.datetime) -> core.GeneralizedTime:
    """GeneralizedTime in whole seconds, as RFC 6960 (via RFC 5280 §4.1.2.5.2) requires."""
    return core.GeneralizedTime(value.astimezone(datetime.timezone.utc).replace(microsecond=0))
