"""The bounds der.check_tree puts on bytes before asn1crypto sees them (each one a quadratic-time or
recursion hazard in asn1crypto's parser), and that legitimate values pass untouched."""

import time

import pytest
from asn1crypto import x509

from certmutual.asn1 import der
from certmutual.errors import MalformedInput


def tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(body)]) + body + content


NAME = tlv(0x30, tlv(0x31, tlv(0x30, bytes.fromhex("0603550403") + tlv(0x0C, "某某公司".encode()))))


def test_a_real_name_passes_and_loads() -> None:
    der.check_tree(NAME)
    assert der.load(x509.Name, NAME).native == {"common_name": "某某公司"}


def test_a_uuid_oid_arc_passes() -> None:
    # 2.25.<128-bit UUID>: 19 octets in the second arc, the longest arc real profiles use.
    arc = (1 << 127) | 12345
    octets = []
    while arc:
        octets.append(arc & 0x7F)
        arc >>= 7
    encoded = bytes([0x69] + [b | 0x80 for b in reversed(octets[1:])] + [octets[0]])
    der.check_tree(tlv(0x06, encoded))
    assert der.decode_oid(encoded).startswith("2.25.")


@pytest.mark.parametrize("data, message", [
    (tlv(0x30, b"\x1f" + b"\xff" * 5 + b"\x01\x00"), "tag number longer"),
    (tlv(0x30, tlv(0x06, b"\x2a" + b"\xff" * 30 + b"\x01")), "arc longer"),
    (tlv(0x30, b"\x05\x00") + b"\x00", "trailing"),
    (tlv(0x30, b"\x30\x80\x00\x00"), "indefinite"),
])
def test_hazards_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedInput, match=message):
        der.check_tree(data)


def test_depth_is_bounded_without_recursion() -> None:
    value = b"\x05\x00"
    for _ in range(10_000):
        value = tlv(0x30, value)
    with pytest.raises(MalformedInput, match="nested deeper"):
        der.load(x509.Name, value)


def test_megabyte_bombs_are_refused_quickly() -> None:
    bombs = [tlv(0x30, b"\x1f" + b"\xff" * 1_000_000 + b"\x01\x00"),
             tlv(0x30, tlv(0x06, b"\x2a" + b"\xff" * 1_000_000 + b"\x01"))]
    for bomb in bombs:
        start = time.perf_counter()
        with pytest.raises(MalformedInput):
            der.check_tree(bomb)
        assert time.perf_counter() - start < 0.5
