"""A bounded BER TLV walker for signed containers whose *outer* layers may be BER.

CMS SignedData made by streaming encoders (BouncyCastle's stream generator, ``openssl cms -stream``,
some USB-key SDKs) wraps the content in indefinite lengths and constructed OCTET STRINGs. None of those
wrapper bytes is signed: RFC 5652 §5.4 signs the eContent *octets* or the DER of the signed
attributes, both of which this module hands back as the original bytes. So the outer layers may be
read leniently, while everything a signature covers is still sliced from the input, never rebuilt.

:func:`certmutual.asn1.der.read_header` stays the strict reader for certificates; this one adds the
indefinite form (``0x80`` length, ended by two zero octets) with a depth limit, and nothing else
(no high tag numbers above :data:`certmutual.asn1.der.MAX_TAG_OCTETS` octets, no lengths over 8
octets). Every refusal is :class:`certmutual.errors.MalformedInput`.
"""

from __future__ import annotations

from dataclasses import dataclass

from certmutual.asn1.der import MAX_DEPTH, high_tag_end
from certmutual.errors import MalformedInput

OCTET_STRING = 0x04
CONSTRUCTED = 0x20


@dataclass(frozen=True, slots=True)
class Tlv:
    """One element: ``data[start:end]`` is all of it, ``data[content_start:content_end]`` its
    contents (for the indefinite form, without the end-of-contents octets)."""

    tag: int
    """The identifier octet (high tag numbers keep only their first octet, 0x1F in the low bits)."""
    start: int
    content_start: int
    content_end: int
    end: int

    @property
    def constructed(self) -> bool:
        return bool(self.tag & CONSTRUCTED)

    @property
    def indefinite(self) -> bool:
        return self.end != self.content_end


def read(data: bytes, pos: int = 0, limit: int | None = None, depth: int = 0) -> Tlv:
    """The element at ``pos`` (which must end by ``limit``, default the end of ``data``)."""
    end = len(data) if limit is None else limit
    if depth > MAX_DEPTH:
        raise MalformedInput(f"nested deeper than {MAX_DEPTH} levels")
    if pos + 2 > end:
        raise MalformedInput("truncated: expected an ASN.1 header")
    tag = data[pos]
    cursor = high_tag_end(data, pos, end) if tag & 0x1F == 0x1F else pos + 1
    if cursor >= end:
        raise MalformedInput("truncated length")
    first = data[cursor]
    cursor += 1
    if first < 0x80:
        content_end = cursor + first
    elif first == 0x80:
        if not tag & CONSTRUCTED:
            raise MalformedInput("indefinite length on a primitive element")
        return _indefinite(data, tag, pos, cursor, end, depth)
    else:
        count = first & 0x7F
        if count > 8 or cursor + count > end:
            raise MalformedInput("bad length field")
        content_end = cursor + count + int.from_bytes(data[cursor : cursor + count], "big")
        cursor += count
    if content_end > end:
        raise MalformedInput(f"truncated: element claims {content_end - cursor} bytes, {end - cursor} remain")
    return Tlv(tag, pos, cursor, content_end, content_end)


def _indefinite(data: bytes, tag: int, pos: int, content_start: int, end: int, depth: int) -> Tlv:
    cursor = content_start
    while True:
        if cursor + 2 > end:
            raise MalformedInput("indefinite length without end-of-contents")
        if data[cursor] == 0 and data[cursor + 1] == 0:
            return Tlv(tag, pos, content_start, cursor, cursor + 2)
        cursor = read(data, cursor, end, depth + 1).end


def children(data: bytes, parent: Tlv, depth: int = 0, limit: int | None = None) -> list[Tlv]:
    """The elements inside a constructed ``parent``; at most ``limit`` of them (more is refused)."""
    if not parent.constructed:
        raise MalformedInput(f"element 0x{parent.tag:02x} is not constructed")
    out: list[Tlv] = []
    pos = parent.content_start
    while pos < parent.content_end:
        if limit is not None and len(out) >= limit:
            raise MalformedInput(f"more than {limit} elements")
        child = read(data, pos, parent.content_end, depth + 1)
        out.append(child)
        pos = child.end
    return out


def whole(data: bytes) -> Tlv:
    """The one element ``data`` holds; trailing bytes are refused."""
    element = read(data, 0)
    if element.end != len(data):
        raise MalformedInput(f"{len(data) - element.end} trailing bytes after the structure")
    return element


def octets(data: bytes, element: Tlv, depth: int = 0) -> bytes:
    """The value of an OCTET STRING in primitive or constructed (chunked, BER) form."""
    if element.tag == OCTET_STRING:
        return data[element.content_start : element.content_end]
    if element.tag != OCTET_STRING | CONSTRUCTED:
        raise MalformedInput(f"expected an OCTET STRING, found tag 0x{element.tag:02x}")
    if depth >= 8:
        raise MalformedInput("constructed OCTET STRING nested too deeply")
    return b"".join(octets(data, chunk, depth + 1) for chunk in children(data, element, depth))
