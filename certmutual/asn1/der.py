"""A minimal DER/BER TLV reader used to slice *original* bytes out of a structure.

asn1crypto parses lazily and usually keeps the bytes it was given, but some real certificates are
not valid DER and asn1crypto re-encodes them on certain accesses (a JSGXCA certificate in the corpus
grows from 900 to 905 bytes). Signatures are over the bytes as received, so the signed part of a
certificate or CRL is cut out here, by offsets, before anything else touches it.
"""

from __future__ import annotations

from certmutual.errors import MalformedInput

MAX_NESTING = 64
"""Deeper nesting than this is refused: no real PKI structure comes close."""


def read_header(data: bytes, offset: int) -> tuple[int, int, int]:
    """Read one identifier + length at ``offset``.

    Returns ``(tag_byte, content_start, content_end)``. Only definite lengths are accepted
    (signed structures must be DER); high tag numbers are skipped over correctly.
    Raises :class:`MalformedInput` if the header or the content runs past the end of ``data``.
    """
    end = len(data)
    if offset >= end:
        raise MalformedInput("truncated: expected an ASN.1 header")
    tag = data[offset]
    pos = offset + 1
    if tag & 0x1F == 0x1F:  # high-tag-number form: base-128 continuation bytes
        while True:
            if pos >= end:
                raise MalformedInput("truncated tag")
            more = data[pos] & 0x80
            pos += 1
            if not more:
                break
    if pos >= end:
        raise MalformedInput("truncated length")
    first = data[pos]
    pos += 1
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise MalformedInput("indefinite length is not allowed in a signed structure")
    else:
        count = first & 0x7F
        if count > 8 or pos + count > end:
            raise MalformedInput("bad length field")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > end:
        raise MalformedInput(f"truncated: element claims {length} bytes, {end - pos} remain")
    return tag, pos, pos + length


def children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The ``(element_start, element_end, tag)`` of each element between ``start`` and ``end``."""
    out = []
    pos = start
    while pos < end:
        tag, _, content_end = read_header(data[:end], pos)
        out.append((pos, content_end, tag))
        pos = content_end
    return out


def signed_parts(data: bytes) -> tuple[bytes, bytes, bytes]:
    """Split ``SEQUENCE { toBeSigned, signatureAlgorithm, signatureValue }`` into original bytes.

    Works for X.509 certificates, CRLs, and every other structure of that shape. Returns the
    three elements' full encodings (header included). Trailing bytes after the outer SEQUENCE are
    refused.
    """
    tag, start, end = read_header(data, 0)
    if tag != 0x30:
        raise MalformedInput("not a SEQUENCE")
    if end != len(data):
        raise MalformedInput(f"{len(data) - end} trailing bytes after the structure")
    parts = children(data, start, end)
    if len(parts) != 3:
        raise MalformedInput(f"a signed structure has 3 elements, found {len(parts)}")
    return tuple(data[s:e] for s, e, _ in parts)  # type: ignore[return-value]
