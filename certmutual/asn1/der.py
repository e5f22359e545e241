"""A minimal DER/BER TLV reader used to slice *original* bytes out of a structure.

asn1crypto parses lazily and usually keeps the bytes it was given, but some real certificates are
not valid DER and asn1crypto re-encodes them on certain accesses (a JSGXCA certificate in the corpus
grows from 900 to 905 bytes). Signatures are over the bytes as received, so the signed part of a
certificate or CRL is cut out here, by offsets, before anything else touches it.
"""

from __future__ import annotations

import datetime

from typing import TypeVar

from certmutual.errors import DECODER_ERRORS, MalformedInput

ASN1_ERRORS = (MalformedInput, *DECODER_ERRORS)
"""What reading outside bytes through :func:`load` can raise: our own refusal, or asn1crypto's."""

MAX_TAG_OCTETS = 4
"""Continuation octets allowed in a high tag number (tag numbers below 2**28; real ones are tiny).
Unbounded, a tag of thousands of 0xff octets costs asn1crypto quadratic time."""
MAX_OID_ARC_OCTETS = 20
"""Octets in one OID arc: enough for 2.25.<128-bit UUID> (19); longer arcs cost quadratic time."""
MAX_DEPTH = 64
"""Nesting depth of constructed elements we hand to asn1crypto (which recurses per level)."""

def read_header(data: bytes, offset: int, limit: int | None = None) -> tuple[int, int, int]:
    """Read one identifier + length at ``offset``.

    Returns ``(tag_byte, content_start, content_end)``. Only definite lengths are accepted
    (signed structures must be DER); high tag numbers are skipped over correctly.
    Raises :class:`MalformedInput` if the header or the content runs past ``limit`` (default: the
    end of ``data``).
    """
    end = len(data) if limit is None else limit
    if offset + 2 > end:
        raise MalformedInput("truncated: expected an ASN.1 header")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        return _read_high_tag_header(data, offset, end)
    first = data[offset + 1]
    if first < 0x80:  # short form: the common case, kept to a few operations
        content_end = offset + 2 + first
        if content_end > end:
            raise MalformedInput(f"truncated: element claims {first} bytes, {end - offset - 2} remain")
        return tag, offset + 2, content_end
    # One or two length octets (keys, signatures, whole certificates), read inline when they fit;
    # everything else, and every error, through the general reader.
    if first == 0x82 and offset + 4 <= end:
        content_end = offset + 4 + ((data[offset + 2] << 8) | data[offset + 3])
        if content_end <= end:
            return tag, offset + 4, content_end
    elif first == 0x81 and offset + 3 <= end:
        content_end = offset + 3 + data[offset + 2]
        if content_end <= end:
            return tag, offset + 3, content_end
    return tag, *_read_long_length(data, offset + 1, end)


def high_tag_end(data: bytes, offset: int, end: int) -> int:
    """Where the identifier at ``offset`` ends when it is in high-tag-number form (base-128
    continuation octets after the first), at most :data:`MAX_TAG_OCTETS` long."""
    pos = offset + 1
    while True:
        if pos >= end:
            raise MalformedInput("truncated tag")
        more = data[pos] & 0x80
        pos += 1
        if not more:
            return pos
        if pos - offset > MAX_TAG_OCTETS:
            raise MalformedInput(f"tag number longer than {MAX_TAG_OCTETS} octets")


def _read_high_tag_header(data: bytes, offset: int, end: int) -> tuple[int, int, int]:
    """High-tag-number form, then the length."""
    pos = high_tag_end(data, offset, end)
    if pos >= end:
        raise MalformedInput("truncated length")
    if data[pos] < 0x80:
        content_end = pos + 1 + data[pos]
        if content_end > end:
            raise MalformedInput("truncated element")
        return data[offset], pos + 1, content_end
    return data[offset], *_read_long_length(data, pos, end)


def _read_long_length(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """(content_start, content_end) for a length octet at ``pos`` that is not in short form."""
    first = data[pos]
    if first == 0x80:
        raise MalformedInput("indefinite length is not allowed in a signed structure")
    count = first & 0x7F
    pos += 1
    if count > 8 or pos + count > end:
        raise MalformedInput("bad length field")
    length = int.from_bytes(data[pos : pos + count], "big")
    pos += count
    if pos + length > end:
        raise MalformedInput(f"truncated: element claims {length} bytes, {end - pos} remain")
    return pos, pos + length


def elements(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """``(tag, element_start, content_start, element_end)`` of each element between ``start`` and
    ``end`` (one header read per element: the hot path of certificate parsing)."""
    out = []
    pos = start
    while pos < end:
        tag = data[pos]
        # Low tag numbers with one or two length octets, read inline: nearly every element of a
        # certificate. Anything else, and every error, goes through read_header.
        if tag & 0x1F != 0x1F and pos + 2 <= end:
            length = data[pos + 1]
            if length < 0x80:
                content_start = pos + 2
            elif length == 0x81 and pos + 3 <= end:
                length, content_start = data[pos + 2], pos + 3
            elif length == 0x82 and pos + 4 <= end:
                length, content_start = (data[pos + 2] << 8) | data[pos + 3], pos + 4
            else:
                content_start = -1
            if content_start >= 0 and content_start + length <= end:
                out.append((tag, pos, content_start, content_start + length))
                pos = content_start + length
                continue
        tag, content_start, content_end = read_header(data, pos, end)
        out.append((tag, pos, content_start, content_end))
        pos = content_end
    return out


def children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The ``(element_start, element_end, tag)`` of each element between ``start`` and ``end``."""
    return [(element_start, element_end, tag) for tag, element_start, _, element_end in elements(data, start, end)]


def signed_parts(data: bytes) -> tuple[bytes, bytes, bytes]:
    """Split ``SEQUENCE { toBeSigned, signatureAlgorithm, signatureValue }`` into original bytes.

    Works for X.509 certificates, CRLs, and every other structure of that shape. Returns the
    three elements' full encodings (header included). Trailing bytes after the outer SEQUENCE are
    refused.
    """
    start, first_end, second_end, _, end = _signed_bounds(data)
    return data[start:first_end], data[first_end:second_end], data[second_end:end]


def _signed_bounds(data: bytes) -> tuple[int, int, int, int, int]:
    """Where :func:`signed_parts`'s three elements start and end: ``(start, first_end,
    second_end, third_content_start, end)``."""
    tag, start, end = read_header(data, 0)
    if tag != 0x30:
        raise MalformedInput("not a SEQUENCE")
    if end != len(data):
        raise MalformedInput(f"{len(data) - end} trailing bytes after the structure")
    # Three header reads, not a list of every child: a SEQUENCE of millions of empty elements is
    # refused after the third.
    if start >= end:
        raise MalformedInput("a signed structure has 3 elements, found 0")
    first_end = read_header(data, start, end)[2]
    if first_end >= end:
        raise MalformedInput("a signed structure has 3 elements, found 1")
    second_end = read_header(data, first_end, end)[2]
    if second_end >= end:
        raise MalformedInput("a signed structure has 3 elements, found 2")
    _, third_content_start, third_end = read_header(data, second_end, end)
    if third_end != end:
        raise MalformedInput("a signed structure has 3 elements, found more")
    return start, first_end, second_end, third_content_start, end


def check_tree(data: bytes) -> None:
    """Walk every element of one DER value (headers, nesting, OID arcs) with bounded work.

    Run before bytes reach asn1crypto, whose parser takes quadratic time on long high tag numbers
    and long OID arcs, and recurses once per nesting level. Raises :class:`MalformedInput`.
    """
    tag, start, end = read_header(data, 0)
    if end != len(data):
        raise MalformedInput(f"{len(data) - end} trailing bytes after the value")
    stack = [(tag, start, end, 1)]
    while stack:
        tag, start, end, depth = stack.pop()
        if tag & 0x20:
            if depth >= MAX_DEPTH:
                raise MalformedInput(f"nested deeper than {MAX_DEPTH} levels")
            pos = start
            while pos < end:
                child_tag, content_start, content_end = read_header(data, pos, end)
                stack.append((child_tag, content_start, content_end, depth + 1))
                pos = content_end
        elif tag == 0x06:
            _check_oid_arcs(data, start, end)


def _check_oid_arcs(data: bytes, start: int, end: int) -> None:
    run = 0
    for pos in range(start, end):
        run = run + 1 if data[pos] & 0x80 else 0
        if run >= MAX_OID_ARC_OCTETS:
            raise MalformedInput(f"OBJECT IDENTIFIER arc longer than {MAX_OID_ARC_OCTETS} octets")


Spec = TypeVar("Spec")


def load(spec: type[Spec], data: bytes) -> Spec:
    """``spec.load(data, strict=True)`` after :func:`check_tree`: the one door to asn1crypto for
    bytes from outside. The result still parses lazily; callers catch :data:`ASN1_ERRORS`."""
    check_tree(data)
    return spec.load(data, strict=True)  # type: ignore[attr-defined]


_ALGORITHM_CACHE: dict[bytes, tuple[str, bytes | None]] = {}


def algorithm_identifier(encoded: bytes) -> tuple[str, bytes | None]:
    """(OID, parameters DER or None) of an AlgorithmIdentifier, from its exact bytes.

    Cached by bytes: a handful of distinct encodings cover every certificate a verifier sees."""
    cached = _ALGORITHM_CACHE.get(encoded)
    if cached is not None:
        return cached
    tag, start, end = read_header(encoded, 0)
    if tag != 0x30 or end != len(encoded):
        raise MalformedInput("AlgorithmIdentifier is not a SEQUENCE")
    parts = elements(encoded, start, end)
    if not parts or len(parts) > 2 or parts[0][0] != 0x06:
        raise MalformedInput("AlgorithmIdentifier is not { algorithm, parameters }")
    _, _, oid_start, oid_end = parts[0]
    parameters = encoded[parts[1][1]:parts[1][3]] if len(parts) == 2 else None
    result = (decode_oid(encoded[oid_start:oid_end]), parameters)
    if len(_ALGORITHM_CACHE) < 256:
        _ALGORITHM_CACHE[encoded] = result
    return result


def signed_structure(data: bytes) -> tuple[bytes, str, bytes | None, bytes]:
    """``(to_be_signed, algorithm_oid, algorithm_parameters, signature)`` of a certificate, CRL or
    any ``SEQUENCE { toBeSigned, AlgorithmIdentifier, BIT STRING }``, all from the exact bytes."""
    start, first_end, second_end, bits_start, end = _signed_bounds(data)
    oid, parameters = algorithm_identifier(data[first_end:second_end])
    if data[second_end] != 0x03 or bits_start == end or data[bits_start] != 0:
        raise MalformedInput("signatureValue is not a BIT STRING without unused bits")
    return data[start:first_end], oid, parameters, data[bits_start + 1 : end]


# -- primitive decoders used by the fast certificate parser --------------------------------------

_OID_CACHE: dict[bytes, str] = {}


def decode_oid(content: bytes) -> str:
    """Dotted form of an OBJECT IDENTIFIER's content octets (cached: the same OIDs recur)."""
    cached = _OID_CACHE.get(content)
    if cached is not None:
        return cached
    if not content or content[-1] & 0x80:
        raise MalformedInput("bad OBJECT IDENTIFIER")
    _check_oid_arcs(content, 0, len(content))
    arcs: list[int] = []
    value = 0
    for byte in content:
        if value == 0 and byte == 0x80:
            raise MalformedInput("OBJECT IDENTIFIER arc with a leading 0x80")
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = [0, first] if first < 40 else ([1, first - 40] if first < 80 else [2, first - 80])
    dotted = ".".join(str(arc) for arc in head + arcs[1:])
    if len(_OID_CACHE) < 4096:
        _OID_CACHE[content] = dotted
    return dotted


def decode_integer(content: bytes) -> int:
    if not content:
        raise MalformedInput("empty INTEGER")
    return int.from_bytes(content, "big", signed=True)


_DATETIME = datetime.datetime
_UTC = datetime.timezone.utc


def decode_time(tag: int, content: bytes) -> datetime.datetime:
    """UTCTime (0x17) or GeneralizedTime (0x18) in RFC 5280's forms, as aware UTC datetimes.

    Other forms seen in real certificates (no seconds, offsets, fractions) are handed to asn1crypto.
    """
    # All digits then Z, the form RFC 5280 requires: one int() for every field (bytes.isdigit is
    # ASCII-only, so this reads exactly what the field-by-field parse below would).
    if tag == 0x17 and len(content) == 13 and content[12] == 0x5A and content[:12].isdigit():
        digits = int(content[:12])
        year = digits // 10_000_000_000
        year += 1900 if year >= 50 else 2000
    elif tag == 0x18 and len(content) == 15 and content[14] == 0x5A and content[:14].isdigit():
        digits = int(content[:14])
        year = digits // 10_000_000_000
    else:
        return _decode_time_text(tag, content)
    try:
        return _DATETIME(year, digits // 100_000_000 % 100, digits // 1_000_000 % 100, digits // 10_000 % 100,
                         digits // 100 % 100, digits % 100, 0, _UTC)
    except ValueError as exc:
        raise MalformedInput(f"bad time {content.decode('ascii')!r}: {exc}") from exc


def _decode_time_text(tag: int, content: bytes) -> datetime.datetime:
    """:func:`decode_time` for everything but the all-digits form: odd digits, offsets, no seconds."""
    text = content.decode("ascii", "replace")
    try:
        if tag == 0x17 and len(text) == 13 and text.endswith("Z"):
            year = int(text[0:2])
            year += 1900 if year >= 50 else 2000
            return datetime.datetime(year, int(text[2:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]),
                                     int(text[10:12]), tzinfo=datetime.timezone.utc)
        if tag == 0x18 and len(text) == 15 and text.endswith("Z"):
            return datetime.datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]),
                                     int(text[12:14]), tzinfo=datetime.timezone.utc)
    except ValueError as exc:
        raise MalformedInput(f"bad time {text!r}: {exc}") from exc
    from asn1crypto import core

    try:
        header = bytes([tag]) + _length_bytes(len(content))
        parsed = (core.UTCTime if tag == 0x17 else core.GeneralizedTime).load(header + content).native
    except (ValueError, TypeError) as exc:
        raise MalformedInput(f"bad time {text!r}: {exc}") from exc
    if not isinstance(parsed, datetime.datetime):
        raise MalformedInput(f"bad time {text!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def _length_bytes(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body
