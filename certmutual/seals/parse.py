"""Reading seals and seal signatures: the version is decided by the structure, never by the header's
version number (china-specs §4.1; real v1-layout files say 2 or 4).

- ``SESeal``: 2 elements → GM/T 0031-2014; 4 elements → GB/T 38540-2020, or GM/T 0031-2025 when the
  header says 5; 5 elements (a timestamp) → GM/T 0031-2025.
- ``SES_Signature``: 2 elements → GM/T 0031-2014; 4 or 5 → GB/T 38540-2020, or GM/T 0031-2025 when
  the embedded seal or ``TBS_Sign.version`` is 5.

Every function raises :class:`MalformedInput` for bytes it cannot read and
:class:`UnsupportedSealFormat` for readable structures that are not a seal of a known version.
"""

from __future__ import annotations

from certmutual.errors import CertmutualError, MalformedInput
from certmutual.seals import fields as f
from certmutual.seals import v1, v4, v5
from certmutual.seals.fields import Element, Findings
from certmutual.seals.model import Seal, SealSignature, SealVersion
from certmutual.seals.standard import SealStandard, embedded_seal, outer_elements

MAX_BYTES = 32 * 1024 * 1024
"""Largest seal or seal signature accepted (real ones are 2 KB to 250 KB: the picture dominates)."""

STANDARDS: dict[SealVersion, SealStandard] = {
    SealVersion.V1: v1.STANDARD,
    SealVersion.V4: v4.STANDARD,
    SealVersion.V5: v5.STANDARD,
}


class UnsupportedSealFormat(CertmutualError):
    """Readable data that is not a seal of a known version (e.g. a vendor's pre-standard binary seal)."""


def _check_size(data: bytes) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("seal data must be bytes")
    if len(data) > MAX_BYTES:
        raise MalformedInput(f"{len(data)} bytes: larger than the {MAX_BYTES}-byte limit for a seal")
    if data[:2] == b"ES":
        raise UnsupportedSealFormat("a pre-standard vendor binary seal (starts with 'ES', e.g. BJCA bjca_eseal_t), "
                                    "not an ASN.1 SESeal")


def seal_layout(data: bytes, parts: list[Element]) -> SealStandard:
    """The standard whose layout the seal's outer elements follow."""
    tags = [element[0] for element in parts]
    if len(parts) == 2 and tags == [f.SEQUENCE, f.SEQUENCE]:
        return STANDARDS[SealVersion.V1]
    if len(parts) in (4, 5) and tags[0] == f.SEQUENCE and tags[1] in (f.OCTET_STRING, f.SEQUENCE) \
            and tags[3] in (f.BIT_STRING, f.OCTET_STRING):
        if len(parts) == 5:
            return STANDARDS[SealVersion.V5]
        return STANDARDS[SealVersion.V5 if _header_version(data, parts[0]) == 5 else SealVersion.V4]
    shape = ", ".join(f"0x{tag:02x}" for tag in tags)
    raise UnsupportedSealFormat(f"a SEQUENCE of {len(parts)} elements ({shape}) is not an SESeal of any known version")


def _header_version(data: bytes, seal_info: Element) -> int | None:
    try:
        header = f.sequence(data, f.sequence(data, seal_info, "SES_SealInfo")[0], "SES_Header")
        return f.integer(data, header[1], "SES_Header.version") if len(header) == 3 else None
    except (MalformedInput, IndexError):
        return None


def parse_seal(data: bytes) -> Seal:
    """An ``SESeal`` of any version; a seal wrapped in an OCTET STRING is unwrapped with a finding."""
    _check_size(data)
    data = bytes(data)
    findings = Findings()
    if data[:1] == b"\x04":
        tag, start, end = f.top(data)
        findings.nonstandard("the SESeal is wrapped in an OCTET STRING")
        data = data[start:end]
    parts = outer_elements(data)
    return seal_layout(data, parts).parse_seal(data, parts, findings)


def parse_seal_signature(data: bytes) -> SealSignature:
    """An ``SES_Signature`` of any version, with its embedded seal parsed too."""
    _check_size(data)
    data = bytes(data)
    parts = outer_elements(data)
    tags = [element[0] for element in parts]
    if len(parts) == 2 and tags[0] == f.SEQUENCE and tags[1] in (f.BIT_STRING, f.OCTET_STRING):
        layout = SealVersion.V1
    elif len(parts) in (4, 5) and tags[0] == f.SEQUENCE and tags[3] in (f.BIT_STRING, f.OCTET_STRING):
        layout = SealVersion.V4
    else:
        shape = ", ".join(f"0x{tag:02x}" for tag in tags)
        raise UnsupportedSealFormat(f"a SEQUENCE of {len(parts)} elements ({shape}) is not an SES_Signature of any known version")
    tbs = f.sequence(data, parts[0], "TBS_Sign")
    if len(tbs) < 5:
        raise MalformedInput(f"TBS_Sign has {len(tbs)} elements")
    findings = Findings()
    seal = parse_seal(embedded_seal(data, tbs[1], findings))
    standard = STANDARDS[layout]
    if layout is SealVersion.V4:
        tbs_version = f.integer(data, tbs[0], "TBS_Sign.version")
        if seal.version is SealVersion.V5 or tbs_version == 5:
            standard = STANDARDS[SealVersion.V5]
    return standard.parse_signature(data, parts, tbs, seal, findings)


def parse(data: bytes) -> Seal | SealSignature:
    """A seal or a seal signature, told apart by structure: an ``SESeal`` starts with
    ``SES_SealInfo`` (whose first element is the header SEQUENCE), an ``SES_Signature`` with
    ``TBS_Sign`` (whose first element is the version INTEGER)."""
    _check_size(data)
    data = bytes(data)
    if data[:1] == b"\x04":
        return parse_seal(data)
    parts = outer_elements(data)
    if not parts or parts[0][0] != f.SEQUENCE:
        raise UnsupportedSealFormat("neither an SESeal nor an SES_Signature")
    first = f.children(data, parts[0], "first element")
    if first and first[0][0] == f.INTEGER:
        return parse_seal_signature(data)
    return parse_seal(data)


__all__ = ["MAX_BYTES", "STANDARDS", "UnsupportedSealFormat", "parse", "parse_seal", "parse_seal_signature", "seal_layout"]
