"""Reading the strings a certificate carries, whatever the vendor's encoding.

Subject attributes are read from the Name's DER (undeclared string types and bad TeletexString
bytes in real certificates must not stop us). Extension values are read as any DER string type,
as the GM/T 0015 IdentifyCode CHOICE, or as raw bytes: FJCA puts plain ASCII, not DER, into
1.2.156.10260.4.1.3/.4 (china-specs.md §2.2, corpus MANIFEST "RAW bytes (not DER!)").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from certmutual.asn1 import der
from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate

# DER string types and how their octets decode (X.680 §41; TeletexString read as Latin-1, its
# common practical meaning).
STRING_TAGS = {
    0x0C: ("UTF8String", "utf-8"), 0x13: ("PrintableString", "ascii"), 0x16: ("IA5String", "ascii"),
    0x14: ("TeletexString", "latin-1"), 0x1E: ("BMPString", "utf-16-be"), 0x1C: ("UniversalString", "utf-32-be"),
    0x12: ("NumericString", "ascii"), 0x1A: ("VisibleString", "ascii"),
}

ATTRIBUTE_OIDS = {
    "CN": "2.5.4.3", "SN": "2.5.4.4", "serialNumber": "2.5.4.5", "C": "2.5.4.6", "L": "2.5.4.7", "ST": "2.5.4.8",
    "STREET": "2.5.4.9", "O": "2.5.4.10", "OU": "2.5.4.11", "title": "2.5.4.12", "description": "2.5.4.13",
    "postalAddress": "2.5.4.16", "GN": "2.5.4.42", "organizationIdentifier": "2.5.4.97", "UID": "0.9.2342.19200300.100.1.1",
    "emailAddress": "1.2.840.113549.1.9.1",
}
"""Subject attribute names a profile may use; any other attribute is named by its dotted OID."""
ATTRIBUTE_NAMES = {oid: name for name, oid in ATTRIBUTE_OIDS.items()}


class Encoding(str, enum.Enum):
    """How a profile says an extension value is encoded."""

    STRING = "string"
    """One DER string of any string type."""
    RAW = "raw"
    """The extnValue octets themselves are the text (not DER)."""
    IDENTIFY_CODE = "identify-code"
    """GM/T 0015 IdentifyCode: CHOICE { [0] PrintableString, [1] UTF8String, [2] PrintableString },
    tagged implicitly or explicitly (the standard does not say)."""
    ANY = "any"
    """A DER string or IdentifyCode when the octets parse as one, else raw text."""


@dataclass(frozen=True)
class Text:
    """A string read from the certificate and how it was encoded there."""

    value: str
    encoding: str


def subject_attributes(cert: Certificate) -> list[tuple[str, Text]]:
    """``(oid, text)`` for every attribute of the subject, in order (see :func:`name_attributes`)."""
    return name_attributes(cert.subject_der)


def name_attributes(data: bytes) -> list[tuple[str, Text]]:
    """``(oid, text)`` for every attribute of a Name's DER, in order; values that are not strings
    are skipped. An unreadable Name gives an empty list."""
    found: list[tuple[str, Text]] = []
    try:
        _, start, end = der.read_header(data, 0)
        for _, _, set_start, set_end in der.elements(data, start, end):
            for _, _, atv_start, atv_end in der.elements(data, set_start, set_end):
                parts = der.elements(data, atv_start, atv_end)
                if len(parts) != 2 or parts[0][0] != 0x06:
                    continue
                oid = der.decode_oid(data[parts[0][2]:parts[0][3]])
                text = _decode_string(parts[1][0], data[parts[1][2]:parts[1][3]])
                if text is not None:
                    found.append((oid, text))
    except MalformedInput:
        return []
    return found


def extension_text(value: bytes, encoding: Encoding) -> Text | None:
    """The text of an extension value under ``encoding``, or None if it does not read that way."""
    if encoding in (Encoding.STRING, Encoding.ANY):
        text = _single_string(value)
        if text is not None or encoding is Encoding.STRING:
            return text
    if encoding in (Encoding.IDENTIFY_CODE, Encoding.ANY):
        text = _identify_code(value)
        if text is not None or encoding is Encoding.IDENTIFY_CODE:
            return text
    return _raw_text(value)


def _decode_string(tag: int, content: bytes) -> Text | None:
    known = STRING_TAGS.get(tag)
    if known is None:
        return None
    type_name, codec = known
    try:
        return Text(content.decode(codec).strip(), type_name)
    except UnicodeDecodeError:
        return Text(content.decode(codec, "replace").strip(), f"{type_name}, undecodable octets replaced")


def _single_string(value: bytes) -> Text | None:
    try:
        tag, start, end = der.read_header(value, 0)
    except MalformedInput:
        return None
    if end != len(value):
        return None
    return _decode_string(tag, value[start:end])


def _identify_code(value: bytes) -> Text | None:
    """[0]/[1]/[2] implicitly tagged (0x80-0x82) or explicitly (0xA0-0xA2 around a string)."""
    try:
        tag, start, end = der.read_header(value, 0)
    except MalformedInput:
        return None
    if end != len(value):
        return None
    kinds = {0: "residenterCardNumber", 1: "militaryOfficerCardNumber", 2: "passportNumber"}
    if tag in (0x80, 0x81, 0x82):
        codec = "utf-8" if tag == 0x81 else "ascii"
        try:
            return Text(value[start:end].decode(codec).strip(), f"IdentifyCode {kinds[tag & 0x1F]} (implicit)")
        except UnicodeDecodeError:
            return None
    if tag in (0xA0, 0xA1, 0xA2):
        inner = _single_string(value[start:end])
        if inner is not None:
            return Text(inner.value, f"IdentifyCode {kinds[tag & 0x1F]} (explicit {inner.encoding})")
    return None


def _raw_text(value: bytes) -> Text | None:
    """Octets that are printable text on their own (FJCA's non-DER extension values)."""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip() or any(not char.isprintable() for char in text):
        return None
    return Text(text.strip(), "raw text, not DER")


def all_strings(cert: Certificate) -> list[tuple[str, Text]]:
    """Every string in the subject and in non-standard extensions, with a location label: what the
    checksum fallback classifies when no profile rule found anything."""
    found = [(f"subject {attribute_name(oid)}", text) for oid, text in subject_attributes(cert)]
    for oid, extension in cert.extensions.items():
        if oid.startswith("2.5.29.") or oid.startswith("1.3.6.1.5.5.7.1."):
            continue  # standard X.509 extensions carry no entity numbers
        text = extension_text(extension.value, Encoding.ANY)
        if text is not None:
            found.append((f"extension {oid}", text))
    return found


def attribute_name(oid: str) -> str:
    return ATTRIBUTE_NAMES.get(oid, oid)
