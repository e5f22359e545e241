"""Reading CMS / PKCS#7 SignedData (RFC 5652 §5; RFC 2315 §9.1; GM/T 0010 §7) into plain values that
keep their original bytes.

Nothing here re-encodes: the eContent octets, each certificate, and the signed attributes are sliced
from the input. The one re-encoding a verifier must make, RFC 5652 §5.4's re-tagging of the signed
attributes from ``[0] IMPLICIT`` to ``SET OF``, is done here from those original bytes
(:attr:`SignerInfo.signed_attributes_der`): one identifier octet changes, nothing else.

The outer layers (ContentInfo, SignedData, encapContentInfo) may be BER, as streaming encoders write
them; SignerInfos must be DER. Every refusal is :class:`MalformedInput` or :class:`UnsupportedFormat`,
and every count is bounded by :class:`CmsLimits`.
"""

from __future__ import annotations

import base64
import binascii
import enum
from dataclasses import dataclass

from asn1crypto import pem

from certmutual.asn1 import ber, der
from certmutual.asn1.gmt0010 import CONTENT_KINDS, ContentKind
from certmutual.errors import CertmutualError, MalformedInput


class UnsupportedFormat(CertmutualError):
    """A readable structure certmutual does not verify (enveloped data, unknown versions)."""


@dataclass(frozen=True, slots=True)
class CmsLimits:
    """Bounds on what one SignedData may hold; more is refused as malformed."""

    max_bytes: int = 64 * 1024 * 1024
    max_signers: int = 32
    max_certificates: int = 256
    max_crls: int = 64
    max_attributes: int = 64
    max_attribute_values: int = 16


class SignerIdKind(enum.Enum):
    ISSUER_AND_SERIAL = "issuerAndSerialNumber"
    SUBJECT_KEY_IDENTIFIER = "subjectKeyIdentifier"


@dataclass(frozen=True, slots=True)
class Attribute:
    """One CMS attribute: its OID and the full original encoding of each value."""

    oid: str
    values: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class SignerInfo:
    """A SignerInfo (RFC 5652 §5.3), fields as received."""

    index: int
    version: int
    sid_kind: SignerIdKind
    issuer_der: bytes | None
    serial: int | None
    subject_key_id: bytes | None
    digest_algorithm: str
    digest_parameters: bytes | None
    signed_attributes: tuple[Attribute, ...] | None
    """None when the SignerInfo has no signedAttrs (the signature is then over the content)."""
    signed_attributes_der: bytes | None
    """The signature input when signed attributes are present: their original bytes with the
    ``[0] IMPLICIT`` identifier octet replaced by ``SET OF`` (RFC 5652 §5.4)."""
    signature_algorithm: str
    signature_parameters: bytes | None
    signature: bytes
    unsigned_attributes: tuple[Attribute, ...]

    def attribute(self, oid: str) -> list[Attribute]:
        return [a for a in self.signed_attributes or () if a.oid == oid]


@dataclass(frozen=True, slots=True)
class SignedData:
    """A SignedData and the ContentInfo type it came in."""

    content_type: str
    """The outer ContentInfo's contentType (PKCS#7 or GM/T 0010 signedData)."""
    version: int
    digest_algorithms: tuple[str, ...]
    econtent_type: str
    econtent: bytes | None
    """The encapsulated content's octets; None when detached."""
    certificates: tuple[bytes, ...]
    """DER of each embedded X.509 certificate, in order (other CertificateChoices are skipped)."""
    crls: tuple[bytes, ...]
    """DER of each embedded CRL (other RevocationInfoChoices are skipped)."""
    signer_infos: tuple[SignerInfo, ...]


def unarmor(data: bytes) -> bytes:
    """The DER/BER of a signature given as binary, PEM (PKCS7 / CMS) or bare base64 text."""
    stripped = data.strip()
    if stripped.startswith(b"-----BEGIN"):
        try:
            _, _, body = pem.unarmor(stripped)
        except (ValueError, TypeError) as exc:
            raise MalformedInput(f"unreadable PEM: {exc}") from exc
        return bytes(body)
    if stripped[:1] in (b"M", b"W") and all(32 <= b < 127 or b in b"\r\n\t" for b in stripped[:4096]):
        try:
            return base64.b64decode(b"".join(stripped.split()), validate=True)
        except (binascii.Error, ValueError):
            pass
    return data


def parse_content_info(data: bytes, limits: CmsLimits = CmsLimits()) -> tuple[str, ContentKind | None, bytes, ber.Tlv | None]:
    """``(contentType, kind, data, content element)`` of a ContentInfo (RFC 5652 §3)."""
    if len(data) > limits.max_bytes:
        raise MalformedInput(f"signature of {len(data)} bytes (at most {limits.max_bytes})")
    content_type, content = _typed_content(data, ber.whole(data), 0, "ContentInfo", "ContentInfo content")
    return content_type, CONTENT_KINDS.get(content_type), data, content


def _typed_content(data: bytes, element: ber.Tlv, depth: int, name: str, content_name: str) -> tuple[str, ber.Tlv | None]:
    """``SEQUENCE { OID, [0] EXPLICIT content OPTIONAL }``, the shape of a ContentInfo and of an
    EncapsulatedContentInfo: the OID and the content element, if any."""
    if element.tag != 0x30:
        raise MalformedInput(f"{name} is not a SEQUENCE")
    parts = ber.children(data, element, depth, limit=2)
    if not parts or parts[0].tag != 0x06:
        raise MalformedInput(f"{name} does not start with a content type OID")
    content_type = _oid(data, parts[0])
    if len(parts) == 1:
        return content_type, None
    if parts[1].tag != 0xA0:
        raise MalformedInput(f"{content_name} is not [0] EXPLICIT")
    inner = ber.children(data, parts[1], depth + 1, limit=1)
    if len(inner) != 1:
        raise MalformedInput(f"{content_name} [0] is empty")
    return content_type, inner[0]


def parse_signed_data(data: bytes, limits: CmsLimits = CmsLimits()) -> SignedData:
    """Read a ContentInfo holding SignedData.

    Raises :class:`MalformedInput` for unreadable structure and :class:`UnsupportedFormat` for a
    ContentInfo that is not SignedData (enveloped, signed-and-enveloped, unknown).
    """
    content_type, kind, data, content = parse_content_info(data, limits)
    if kind is not ContentKind.SIGNED_DATA:
        what = kind.value if kind is not None else f"content type {content_type}"
        raise UnsupportedFormat(f"a ContentInfo holding {what}, not signedData")
    if content is None or content.tag != 0x30:
        raise MalformedInput("signedData content is not a SEQUENCE")
    fields = ber.children(data, content, 2, limit=6)
    if len(fields) < 4:
        raise MalformedInput(f"SignedData has {len(fields)} fields, at least 4 expected")
    version = _integer(data, fields[0], "SignedData version")
    if fields[1].tag != 0x31:
        raise MalformedInput("digestAlgorithms is not a SET")
    digest_algorithms = tuple(_algorithm(data, item)[0]
                              for item in ber.children(data, fields[1], 3, limit=limits.max_signers))
    econtent_type, econtent = _encapsulated(data, fields[2])
    certificates: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()
    position = 3
    if position < len(fields) and fields[position].tag == 0xA0:
        certificates = _choices(data, fields[position], limits.max_certificates, "certificates")
        position += 1
    if position < len(fields) and fields[position].tag == 0xA1:
        crls = _choices(data, fields[position], limits.max_crls, "crls")
        position += 1
    if position != len(fields) - 1 or fields[position].tag != 0x31:
        raise MalformedInput("SignedData does not end with the signerInfos SET")
    signers = ber.children(data, fields[position], 3, limit=limits.max_signers)
    signer_infos = tuple(_signer_info(data, index, item, limits) for index, item in enumerate(signers))
    return SignedData(content_type, version, digest_algorithms, econtent_type, econtent, certificates, crls, signer_infos)


def _encapsulated(data: bytes, element: ber.Tlv) -> tuple[str, bytes | None]:
    """EncapsulatedContentInfo (RFC 5652 §5.2) / PKCS#7 ContentInfo: type and octets, if any."""
    econtent_type, value = _typed_content(data, element, 3, "encapContentInfo", "eContent")
    if value is None:
        return econtent_type, None
    if value.tag in (ber.OCTET_STRING, ber.OCTET_STRING | ber.CONSTRUCTED):
        return econtent_type, ber.octets(data, value)
    # PKCS #7 v1.5 allows any type as content (RFC 2315 §7); its signature covers the contents
    # octets of that value's DER encoding (§9.3).
    if value.indefinite:
        raise MalformedInput("a non-OCTET STRING content in indefinite form")
    return econtent_type, data[value.content_start : value.content_end]


def _choices(data: bytes, element: ber.Tlv, limit: int, what: str) -> tuple[bytes, ...]:
    out = []
    for item in ber.children(data, element, 3, limit=limit):
        if item.tag == 0x30 and not item.indefinite:
            out.append(data[item.start : item.end])
        elif item.tag == 0x30:
            raise MalformedInput(f"{what}: an entry in indefinite form")
        # other choices (attribute certificates, other formats) are not used for verification
    return tuple(out)


def _signer_info(data: bytes, index: int, element: ber.Tlv, limits: CmsLimits) -> SignerInfo:
    if element.tag != 0x30 or element.indefinite:
        raise MalformedInput(f"signerInfos[{index}] is not a DER SEQUENCE")
    fields = der.elements(data, element.content_start, element.content_end)
    if not 5 <= len(fields) <= 7:
        raise MalformedInput(f"signerInfos[{index}] has {len(fields)} fields")
    tag, start, content_start, end = fields[0]
    if tag != 0x02:
        raise MalformedInput(f"signerInfos[{index}] version is not an INTEGER")
    version = der.decode_integer(data[content_start:end])
    issuer_der = serial = subject_key_id = None
    tag, start, content_start, end = fields[1]
    if tag == 0x30:
        sid_kind = SignerIdKind.ISSUER_AND_SERIAL
        parts = der.elements(data, content_start, end)
        if len(parts) != 2 or parts[0][0] != 0x30 or parts[1][0] != 0x02:
            raise MalformedInput(f"signerInfos[{index}] issuerAndSerialNumber is not {{Name, INTEGER}}")
        issuer_der = data[parts[0][1] : parts[0][3]]
        serial = der.decode_integer(data[parts[1][2] : parts[1][3]])
    elif tag == 0x80:
        sid_kind = SignerIdKind.SUBJECT_KEY_IDENTIFIER
        subject_key_id = data[content_start:end]
    else:
        raise MalformedInput(f"signerInfos[{index}] sid has tag 0x{tag:02x}")
    digest_algorithm, digest_parameters = der.algorithm_identifier(data[fields[2][1] : fields[2][3]])
    position = 3
    signed_attributes = signed_attributes_der = None
    if fields[position][0] == 0xA0:
        _, start, content_start, end = fields[position]
        signed_attributes = _attributes(data, content_start, end, limits, index)
        signed_attributes_der = b"\x31" + data[start + 1 : end]
        position += 1
    if position + 2 > len(fields):
        raise MalformedInput(f"signerInfos[{index}] lacks signatureAlgorithm or signature")
    if fields[position][0] != 0x30:
        raise MalformedInput(f"signerInfos[{index}] signatureAlgorithm is not a SEQUENCE")
    signature_algorithm, signature_parameters = der.algorithm_identifier(data[fields[position][1] : fields[position][3]])
    tag, _, content_start, end = fields[position + 1]
    if tag != 0x04:
        raise MalformedInput(f"signerInfos[{index}] signature is not an OCTET STRING")
    signature = data[content_start:end]
    position += 2
    unsigned: tuple[Attribute, ...] = ()
    if position < len(fields):
        tag, _, content_start, end = fields[position]
        if tag != 0xA1 or position != len(fields) - 1:
            raise MalformedInput(f"signerInfos[{index}] has unexpected fields after the signature")
        unsigned = _attributes(data, content_start, end, limits, index)
    return SignerInfo(index, version, sid_kind, issuer_der, serial, subject_key_id, digest_algorithm, digest_parameters,
                      signed_attributes, signed_attributes_der, signature_algorithm, signature_parameters, signature, unsigned)


def _attributes(data: bytes, start: int, end: int, limits: CmsLimits, index: int) -> tuple[Attribute, ...]:
    items = der.elements(data, start, end)
    if len(items) > limits.max_attributes:
        raise MalformedInput(f"signerInfos[{index}] has more than {limits.max_attributes} attributes")
    out = []
    for tag, _, content_start, content_end in items:
        parts = der.elements(data, content_start, content_end) if tag == 0x30 else []
        if len(parts) != 2 or parts[0][0] != 0x06 or parts[1][0] != 0x31:
            raise MalformedInput(f"signerInfos[{index}]: an attribute is not {{OID, SET OF}}")
        oid = der.decode_oid(data[parts[0][2] : parts[0][3]])
        values = der.elements(data, parts[1][2], parts[1][3])
        if len(values) > limits.max_attribute_values:
            raise MalformedInput(f"signerInfos[{index}]: attribute {oid} has {len(values)} values")
        out.append(Attribute(oid, tuple(data[v[1] : v[3]] for v in values)))
    return tuple(out)


def _oid(data: bytes, element: ber.Tlv) -> str:
    if element.tag != 0x06:
        raise MalformedInput("expected an OBJECT IDENTIFIER")
    return der.decode_oid(data[element.content_start : element.content_end])


def _integer(data: bytes, element: ber.Tlv, what: str) -> int:
    if element.tag != 0x02:
        raise MalformedInput(f"{what} is not an INTEGER")
    return der.decode_integer(data[element.content_start : element.content_end])


def _algorithm(data: bytes, element: ber.Tlv) -> tuple[str, bytes | None]:
    if element.tag != 0x30 or element.indefinite:
        raise MalformedInput("an AlgorithmIdentifier is not a DER SEQUENCE")
    return der.algorithm_identifier(data[element.start : element.end])
