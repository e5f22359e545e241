"""Fast decoders for the small, fixed-shape extensions every path validation reads (RFC 5280 §4.2).

asn1crypto parses these correctly but costs tens of microseconds each; these read the exact DER
with :mod:`der` and refuse anything that is not the declared shape. Larger, variable extensions
(SAN, name constraints, CRL distribution points) stay with asn1crypto.
"""

from __future__ import annotations

from certmutual.asn1 import der
from certmutual.errors import MalformedInput

# KeyUsage bit names (RFC 5280 §4.2.1.3), in asn1crypto's spelling so both views agree.
KEY_USAGE_BITS = (
    "digital_signature", "non_repudiation", "key_encipherment", "data_encipherment", "key_agreement",
    "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
)


def _whole(value: bytes, tag: int, what: str) -> tuple[int, int]:
    found, start, end = der.read_header(value, 0)
    if found != tag or end != len(value):
        raise MalformedInput(f"{what}: not the expected structure")
    return start, end


def basic_constraints(value: bytes) -> tuple[bool, int | None]:
    """``BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }``"""
    start, end = _whole(value, 0x30, "basicConstraints")
    ca, path_len = False, None
    items = der.elements(value, start, end)
    if len(items) > 2:
        raise MalformedInput("basicConstraints: too many fields")
    for index, (tag, _, content_start, content_end) in enumerate(items):
        content = value[content_start:content_end]
        if tag == 0x01 and index == 0:
            if len(content) != 1:
                raise MalformedInput("basicConstraints: bad BOOLEAN")
            ca = content != b"\x00"
        elif tag == 0x02:
            path_len = der.decode_integer(content)
            if path_len < 0:
                raise MalformedInput("basicConstraints: negative pathLenConstraint")
        else:
            raise MalformedInput("basicConstraints: unexpected field")
    return ca, path_len


def key_usage(value: bytes) -> frozenset[str]:
    """``KeyUsage ::= BIT STRING`` as the set of asserted usage names."""
    start, end = _whole(value, 0x03, "keyUsage")
    if start == end or value[start] > 7:
        raise MalformedInput("keyUsage: bad BIT STRING")
    unused, bits = value[start], value[start + 1 : end]
    if not bits and unused:
        raise MalformedInput("keyUsage: bad BIT STRING")
    names = set()
    for index, name in enumerate(KEY_USAGE_BITS):
        byte = index // 8
        if byte < len(bits) and bits[byte] & (0x80 >> (index % 8)):
            names.add(name)
    return frozenset(names)


def extended_key_usage(value: bytes) -> frozenset[str]:
    """``ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId``; an empty one is returned as
    empty for the caller to judge."""
    start, end = _whole(value, 0x30, "extendedKeyUsage")
    purposes = set()
    for tag, _, content_start, item_end in der.elements(value, start, end):
        if tag != 0x06:
            raise MalformedInput("extendedKeyUsage: a purpose is not an OID")
        purposes.add(der.decode_oid(value[content_start:item_end]))
    return frozenset(purposes)


def subject_key_identifier(value: bytes) -> bytes:
    start, end = _whole(value, 0x04, "subjectKeyIdentifier")
    return value[start:end]


def authority_key_identifier(value: bytes) -> bytes | None:
    """The ``[0] keyIdentifier`` of an AuthorityKeyIdentifier, or None when absent."""
    start, end = _whole(value, 0x30, "authorityKeyIdentifier")
    key_id = None
    for tag, _, content_start, item_end in der.elements(value, start, end):
        if tag == 0x80:
            key_id = value[content_start:item_end]
        elif tag not in (0xA1, 0x82):
            raise MalformedInput("authorityKeyIdentifier: unexpected field")
    return key_id


_IA5_NAME_TAGS = frozenset({0x81, 0x82, 0x86})  # rfc822Name, dNSName, uniformResourceIdentifier
_GENERAL_NAME_TAGS = frozenset({0xA0, 0x81, 0x82, 0xA3, 0xA4, 0xA5, 0x86, 0x87, 0x88})


def general_names_are_simple(value: bytes) -> bool:
    """Check ``GeneralNames`` structure fast; True if every name is a primitive form (so a lazy
    asn1crypto parse cannot fail later), False if constructed forms need a full parse.

    Raises :class:`MalformedInput` for anything that is not a well-formed GeneralNames.
    """
    return read_general_names(value)[0]


def read_general_names(value: bytes) -> tuple[bool, list[str]]:
    """:func:`general_names_are_simple`'s answer and, from the same walk, the dNSName entries
    (as :func:`dns_names` gives them)."""
    start, end = _whole(value, 0x30, "GeneralNames")
    items = der.elements(value, start, end)
    if not items:
        raise MalformedInput("GeneralNames: empty (SIZE (1..MAX))")
    simple = True
    found_dns_names = []
    for tag, _, content_start, item_end in items:
        if tag not in _GENERAL_NAME_TAGS:
            raise MalformedInput(f"GeneralNames: unknown name form tag 0x{tag:02x}")
        if tag in _IA5_NAME_TAGS:
            content = value[content_start:item_end]
            if not content.isascii():
                raise MalformedInput("GeneralNames: non-ASCII IA5String")
            if tag == 0x82:
                found_dns_names.append(content.decode("ascii"))
        elif tag == 0x87:
            if item_end - content_start not in (4, 16):
                raise MalformedInput("GeneralNames: iPAddress must be 4 or 16 bytes")
        elif tag & 0x20:
            simple = False
    return simple, found_dns_names


def dns_names(value: bytes) -> list[str]:
    """The dNSName entries of a GeneralNames value (already checked by general_names_are_simple)."""
    start, end = _whole(value, 0x30, "GeneralNames")
    try:
        return [value[content_start:element_end].decode("ascii")
                for tag, _, content_start, element_end in der.elements(value, start, end) if tag == 0x82]
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"dNSName is not IA5String: {exc}") from exc
