"""The one interface every seal standard implements (after ofdrw's SESV1/SESV4/SESV5 validate
containers), and what the versions share.

A :class:`SealStandard` knows its layout (how to read a seal and a seal signature from their elements),
what its signatures cover (each parsed value carries its ``signed_bytes``), and the verification rules
that differ between editions. :mod:`certmutual.seals.verify` runs the common procedure and asks the
standard where they differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from certmutual.asn1 import der
from certmutual.errors import MalformedInput
from certmutual.results import ReasonCode
from certmutual.seals import fields as f
from certmutual.seals.fields import Element, Findings
from certmutual.seals.model import Seal, SealSignature, SealVersion


class SealStandard(Protocol):
    """One edition of the seal standard (GM/T 0031-2014, GB/T 38540-2020, GM/T 0031-2025)."""

    @property
    def version(self) -> SealVersion: ...

    @property
    def header_version(self) -> int:
        """The ``SES_Header.version`` / ``TBS_Sign.version`` this edition writes."""
        ...

    @property
    def maker_grace(self) -> bool:
        """True when a maker certificate that is expired or revoked at the time of use, but was valid
        at the seal's createDate, costs warnings instead of the verdict (GM/T 0031-2025)."""
        ...

    @property
    def seal_timestamp(self) -> bool:
        """True when the seal itself may carry a timestamp over its signature value (GM/T 0031-2025),
        whose time must not precede createDate."""
        ...

    def parse_seal(self, data: bytes, parts: Sequence[Element], findings: Findings) -> Seal:
        """The seal whose outer SEQUENCE holds ``parts`` (elements of ``data``)."""
        ...

    def parse_signature(self, data: bytes, parts: Sequence[Element], tbs: Sequence[Element], seal: Seal,
                        findings: Findings) -> SealSignature:
        """The seal signature whose outer SEQUENCE holds ``parts``, whose TBS_Sign holds ``tbs``,
        embedding the already-read ``seal``."""
        ...


def check_version(number: int, standard: SealStandard, what: str, findings: Findings) -> None:
    """A finding when a version number disagrees with the layout (the layout decides)."""
    if number != standard.header_version:
        findings.add(ReasonCode.VERSION_MISMATCH,
                     f"{what} is {number}, but the structure has the {standard.version.standard} layout "
                     f"(version {standard.header_version})")


def sequence_header(length: int) -> bytes:
    """The DER identifier and length octets of a SEQUENCE with ``length`` content octets."""
    if length < 0x80:
        return bytes([0x30, length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x30, 0x80 | len(body)]) + body


def certificate_octets(data: bytes, element: Element, what: str, findings: Findings) -> bytes:
    """A certificate field (``OCTET STRING`` holding DER); a bare certificate SEQUENCE is read with a
    finding."""
    if element[0] == f.SEQUENCE:
        findings.nonstandard(f"{what} is a bare certificate, not an OCTET STRING")
        return f.encoding(data, element)
    return f.octets(data, element, what)


def timestamp_field(data: bytes, element: Element, what: str, findings: Findings) -> bytes:
    """A ``timeStamp [0] BIT STRING OPTIONAL``: EXPLICIT [0] (ofdrw), IMPLICIT [0] or untagged are all
    read (GB/T 38540 leaves the tagging open); returns the token's DER."""
    tag = element[0]
    if tag == f.CONTEXT_0_CONSTRUCTED:
        inner = f.children(data, element, what)
        if len(inner) != 1:
            raise MalformedInput(f"{what}: [0] holds {len(inner)} elements")
        if inner[0][0] == f.SEQUENCE:
            findings.nonstandard(f"{what}: the token is not wrapped in a BIT STRING")
            return f.encoding(data, inner[0])
        return f.bits(data, inner[0], what, findings)
    if tag == f.CONTEXT_0_PRIMITIVE:
        value = f.content(data, element)
        if not value or value[0] > 7:
            raise MalformedInput(f"{what}: bad unused-bits octet")
        if value[0]:
            findings.nonstandard(f"{what}: BIT STRING declares {value[0]} unused bits")
        return value[1:]
    if tag in (f.BIT_STRING, f.OCTET_STRING):
        return f.bits(data, element, what, findings)
    raise MalformedInput(f"{what}: unexpected tag 0x{tag:02x}")


def embedded_seal(data: bytes, element: Element, findings: Findings) -> bytes:
    """The original bytes of ``TBS_Sign.eseal``; a seal wrapped in an OCTET STRING is unwrapped with
    a finding (ofdrw tolerates it too)."""
    if element[0] == f.OCTET_STRING:
        findings.nonstandard("TBS_Sign.eseal is wrapped in an OCTET STRING")
        inner = f.content(data, element)
        f.top(inner)
        return inner
    if element[0] != f.SEQUENCE:
        raise MalformedInput(f"TBS_Sign.eseal is not a SEQUENCE (tag 0x{element[0]:02x})")
    return f.encoding(data, element)


def outer_elements(data: bytes) -> list[Element]:
    """The elements of ``data``'s outer SEQUENCE (trailing bytes refused)."""
    tag, start, end = f.top(data)
    if tag != f.SEQUENCE:
        raise MalformedInput(f"not a SEQUENCE (tag 0x{tag:02x})")
    found = der.elements(data, start, end)
    if len(found) > 8:
        raise MalformedInput(f"{len(found)} elements in the outer SEQUENCE")
    return found


__all__ = ["SealStandard", "check_version", "embedded_seal", "outer_elements", "sequence_header", "timestamp_field"]
