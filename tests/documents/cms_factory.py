"""CMS / PKCS#7 SignedData made by the tests.

- RSA and ECDSA: pyca/cryptography's ``PKCS7SignatureBuilder`` (an independent encoder: what OpenSSL
  writes), attached or detached, with or without signed attributes.
- SM2: assembled here with asn1crypto's CMS classes and signed with
  :class:`certmutual.pki.builder.SigningKey` (cryptography cannot sign SM2), in the GM/T 0010 OID family
  by default, with every knob a test needs to break one thing at a time.

The certificates come from :mod:`tests.pki_factory` chains (valid at ``REF_TIME``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from asn1crypto import algos, cms, core, x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from certmutual.asn1.gmt0010 import ATTRIBUTE_OID, GMT0010_OID, PKCS7_OID
from certmutual.crypto.oids import SM_OID
from certmutual.documents.cms import digest, key_identifier
from certmutual.pki.builder import KeyKind, SigningKey
from certmutual.pki.certificate import Certificate
from tests.pki_factory import REF_TIME, TestChain

HELLO = b"Hello, GM/T 0010 signed data.\n"


def tlv(tag: int, body: bytes) -> bytes:
    """One DER element (definite length)."""
    length = len(body)
    if length < 0x80:
        return bytes([tag, length]) + body
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + body


def content_info(content_type: str, content: bytes | None) -> bytes:
    """``SEQUENCE { OID, [0] EXPLICIT content OPTIONAL }``: ContentInfo and EncapsulatedContentInfo
    alike, for OIDs asn1crypto has no content spec for (GM/T 0010)."""
    body = core.ObjectIdentifier(content_type).dump()
    if content is not None:
        body += tlv(0xA0, content)
    return tlv(0x30, body)


class _Values(core.SetOf):
    _child_spec = core.Any


class _Attribute(core.Sequence):
    """A CMS Attribute with untyped values (RFC 5652 §5.3)."""

    _fields = [("type", core.ObjectIdentifier), ("values", _Values)]


class _Attributes(core.SetOf):
    _child_spec = _Attribute


def _attribute(oid: str, *values: core.Asn1Value) -> _Attribute:
    return _Attribute({"type": core.ObjectIdentifier(oid), "values": [core.Any.load(value.dump()) for value in values]})


def sm2_signed_data(
    chain: TestChain,
    content: bytes = HELLO,
    *,
    detached: bool = False,
    signed_attributes: bool = True,
    sid: str = "issuer_serial",
    gmt_oids: bool = True,
    content_type_attribute: str | None = None,
    omit_content_type: bool = False,
    message_digest: bytes | None = None,
    digest_oid: str = SM_OID.SM3,
    signature_oid: str = SM_OID.SM2_SIGN,
    signing_time: datetime.datetime | None = REF_TIME,
    certificates: Sequence[Certificate] | None = None,
    signer_cert: Certificate | None = None,
    signer_key: SigningKey | None = None,
    extra_unsigned: Sequence[tuple[str, core.Asn1Value]] = (),
) -> bytes:
    """A SignedData signed by ``chain``'s leaf (SM2) over ``content``."""
    cert = signer_cert or chain.leaf
    key = signer_key or chain.leaf_key
    data_oid = GMT0010_OID.DATA if gmt_oids else PKCS7_OID.DATA
    digest_name = {SM_OID.SM3: "sm3", "2.16.840.1.101.3.4.2.1": "sha256", "1.2.840.113549.2.5": "md5"}.get(digest_oid, "sm3")
    signed_attrs = None
    if signed_attributes:
        attributes = []
        if not omit_content_type:
            attributes.append(_attribute(ATTRIBUTE_OID.CONTENT_TYPE, core.ObjectIdentifier(content_type_attribute or data_oid)))
        if signing_time is not None:
            attributes.append(_attribute(ATTRIBUTE_OID.SIGNING_TIME, core.UTCTime(signing_time)))
        value = message_digest if message_digest is not None else digest(digest_name, content)
        attributes.append(_attribute(ATTRIBUTE_OID.MESSAGE_DIGEST, core.OctetString(value)))
        signed_attrs = _Attributes(attributes)
        to_sign = b"\x31" + signed_attrs.dump()[1:]
    else:
        to_sign = content
    signature = key.sign(to_sign)
    if sid == "ski":
        identifier = cms.SignerIdentifier({"subject_key_identifier": key_identifier(cert)})
    else:
        identifier = cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": x509.Name.load(cert.issuer_der), "serial_number": cert.serial})})
    info: dict[str, Any] = {
        "version": "v3" if sid == "ski" else "v1",
        "sid": identifier,
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_oid}),
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": signature_oid}),
        "signature": signature,
    }
    if signed_attrs is not None:
        info["signed_attrs"] = cms.CMSAttributes.load(signed_attrs.dump())
    if extra_unsigned:
        info["unsigned_attrs"] = cms.CMSAttributes.load(_Attributes([_attribute(oid, value) for oid, value in extra_unsigned]).dump())
    encapsulated = content_info(data_oid, None if detached else core.OctetString(content).dump())
    embedded = list(certificates) if certificates is not None else [cert]
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest_oid})],
        "encap_content_info": cms.ContentInfo.load(encapsulated),
        "certificates": [cms.CertificateChoices({"certificate": x509.Certificate.load(c.der)}) for c in embedded],
        "signer_infos": [cms.SignerInfo(info)],
    })
    outer = GMT0010_OID.SIGNED_DATA if gmt_oids else PKCS7_OID.SIGNED_DATA
    return content_info(outer, signed.dump())


def pkcs7_signed_data(chain: TestChain, content: bytes = HELLO, *, detached: bool = False, signed_attributes: bool = True,
                      certificates: Sequence[Certificate] | None = None) -> bytes:
    """An RSA or ECDSA SignedData from pyca/cryptography's builder (OpenSSL underneath), SHA-256,
    embedding the signer's certificate and ``certificates``."""
    assert chain.kind in (KeyKind.RSA2048, KeyKind.RSA3072, KeyKind.P256, KeyKind.P384), chain.kind
    options = []
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    if not signed_attributes:
        options.append(pkcs7.PKCS7Options.NoAttributes)
    options.append(pkcs7.PKCS7Options.Binary)
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(
        pyca_x509.load_der_x509_certificate(chain.leaf.der), chain.leaf_key.private, hashes.SHA256())
    for cert in certificates or ():  # the signer's own certificate is always embedded
        if cert != chain.leaf:
            builder = builder.add_certificate(pyca_x509.load_der_x509_certificate(cert.der))
    return builder.sign(serialization.Encoding.DER, options)


def to_ber(der: bytes) -> bytes:
    """The same SignedData with its outer layers (ContentInfo, [0], SignedData, encapContentInfo,
    eContent [0]) re-written in BER indefinite-length form and the eContent OCTET STRING chunked, as
    streaming encoders do. The signed parts are untouched."""
    from certmutual.asn1 import der as strict

    def indefinite(tag: int, body: bytes) -> bytes:
        return bytes([tag]) + b"\x80" + body + b"\x00\x00"

    _, start, end = strict.read_header(der, 0)
    oid_tag, oid_start, oid_end = strict.read_header(der, start, end)
    oid = der[start:oid_end]
    _, explicit_start, explicit_end = strict.read_header(der, oid_end, end)
    _, sd_start, sd_end = strict.read_header(der, explicit_start, explicit_end)
    fields = strict.elements(der, sd_start, sd_end)
    rebuilt = b""
    for index, (tag, element_start, content_start, element_end) in enumerate(fields):
        if index == 2:  # encapContentInfo
            parts = strict.elements(der, content_start, element_end)
            body = der[parts[0][1]:parts[0][3]]
            if len(parts) == 2:
                _, inner_start, inner_end = strict.read_header(der, parts[1][2], parts[1][3])
                value = der[inner_start:inner_end]
                chunks = b"".join(b"\x04" + bytes([len(value[i:i + 7])]) + value[i:i + 7] for i in range(0, len(value), 7))
                body += indefinite(0xA0, indefinite(0x24, chunks))
            rebuilt += indefinite(0x30, body)
        else:
            rebuilt += der[element_start:element_end]
    return indefinite(0x30, oid + indefinite(0xA0, indefinite(0x30, rebuilt)))


def flip_bit(data: bytes, offset: int, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[offset] ^= 1 << bit
    return bytes(out)
