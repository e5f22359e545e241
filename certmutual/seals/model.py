"""Parsed seals (SESeal) and seal signatures (SES_Signature) as plain frozen values.

Every value keeps the original bytes a signature covers (``signed_bytes``): the parsers slice them
out of the input with :mod:`certmutual.asn1.der`, and nothing is re-encoded. Deviations from the
standards that the parsers tolerated are kept as :class:`certmutual.results.Reason` values in
``findings`` (the verifier reports them as warnings, or as reasons when asked to be strict).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from certmutual.results import Reason


class SealVersion(str, enum.Enum):
    """Which standard's *layout* a structure follows (decided by structure, never by the header's
    version number, which real files get wrong)."""

    V1 = "v1"
    """GM/T 0031-2014: ``SESeal { esealInfo, signInfo }``, ``SES_Signature { toSign, signature }``."""
    V4 = "v4"
    """GB/T 38540-2020: ``SESeal { eSealInfo, cert, signAlgID, signedValue }``."""
    V5 = "v5"
    """GM/T 0031-2025: the v4 layout, version 5, and a seal timestamp."""

    @property
    def standard(self) -> str:
        return _STANDARDS[self]


_STANDARDS = {SealVersion.V1: "GM/T 0031-2014", SealVersion.V4: "GB/T 38540-2020", SealVersion.V5: "GM/T 0031-2025"}


class PictureFormat(str, enum.Enum):
    """The picture's format as detected from its bytes (the declared ``type`` is free text)."""

    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    BMP = "bmp"
    SVG = "svg"
    OFD = "ofd"
    """An OFD vector picture: a zip package (tax-bureau seals declare it as "ofd")."""
    UNKNOWN = "unknown"

    @property
    def extension(self) -> str:
        return {PictureFormat.JPEG: "jpg", PictureFormat.UNKNOWN: "bin"}.get(self, self.value)


class CertListType(int, enum.Enum):
    """What a v4/v5 seal's ``certList`` holds (GB/T 38540-2020 §6); v1 seals always hold certificates."""

    CERTIFICATES = 1
    DIGESTS = 2


@dataclass(frozen=True, slots=True)
class ExtData:
    """A vendor extension of a seal or seal signature (``ExtData``)."""

    oid: str
    critical: bool
    value: bytes


@dataclass(frozen=True, slots=True)
class CertDigest:
    """A ``CertDigestObj``: the digest algorithm as the producer named it, and the digest."""

    type: str
    value: bytes


@dataclass(frozen=True, slots=True)
class SealPicture:
    """The seal's picture, with its bytes exactly as stored."""

    type: str
    """As declared (``SES_ESPictureInfo.type``), e.g. "PNG", "ofd"."""
    format: PictureFormat
    """As detected from the bytes."""
    data: bytes = field(repr=False)
    width_mm: int
    height_mm: int


@dataclass(frozen=True, slots=True)
class SealInfo:
    """``SES_SealInfo``: header, identifier, properties and picture."""

    header_id: str
    header_version: int
    vendor_id: str
    es_id: str
    seal_type: int
    name: str
    cert_list_type: int | None
    """1 certificates, 2 digests (v4/v5; other values are non-standard); None for a v1 seal."""
    certificates: tuple[bytes, ...]
    """The signer certificates the seal lists (DER as stored)."""
    digests: tuple[CertDigest, ...]
    """The signer certificate digests the seal lists (``certListType`` 2)."""
    identifiers: tuple[str, ...]
    """Signer entries given as text identifiers (a reading of the 2014 text's ``certID``), which
    cannot be matched to a certificate."""
    create_date: datetime.datetime | None
    valid_start: datetime.datetime | None
    valid_end: datetime.datetime | None
    picture: SealPicture
    extensions: tuple[ExtData, ...]


@dataclass(frozen=True, slots=True)
class Seal:
    """An electronic seal (``SESeal``) of any version."""

    version: SealVersion
    info: SealInfo
    maker_certificate: bytes = field(repr=False)
    """The seal maker's (制章者) certificate, DER as stored."""
    signature_algorithm: str
    signature: bytes = field(repr=False)
    signed_bytes: bytes = field(repr=False)
    """Exactly what the maker signed: the original ``SES_SealInfo`` (v4/v5), or the SEQUENCE of the
    original ``SES_SealInfo``, ``cert`` and ``signatureAlgorithm`` elements (v1)."""
    timestamp: bytes | None = field(default=None, repr=False)
    """A v5 seal's timestamp token (DER), over the signature value."""
    der: bytes = field(default=b"", repr=False)
    """The whole seal as received."""
    findings: tuple[Reason, ...] = ()
    """Tolerated deviations from the standard."""


class TimeSource(str, enum.Enum):
    """Where the time a seal signature's signer and seal were judged at came from."""

    TIMESTAMP = "timestamp"
    """The signing time, proven by a verified timestamp token over the signature."""
    CLAIMED = "claimed"
    """The signing time the signer states (``timeInfo``): signed, but not proven."""
    GIVEN = "given"
    """The caller's ``at``."""
    VALIDATION = "validation"
    """No signing time could be read: the verifier's current time."""


@dataclass(frozen=True, slots=True)
class SealSignature:
    """A seal signature (``SES_Signature``) of any version."""

    version: SealVersion
    tbs_version: int
    seal: Seal
    time_info: datetime.datetime | None
    """The signing time the signer states (``timeInfo``), when it could be read."""
    time_info_text: str
    """``timeInfo`` as stored (v1 stores free text or a token in a BIT STRING)."""
    data_hash: bytes = field(repr=False)
    property_info: str
    signer_certificate: bytes = field(repr=False)
    signature_algorithm: str
    signature: bytes = field(repr=False)
    signed_bytes: bytes = field(repr=False)
    """The original ``TBS_Sign`` element: what the signature covers."""
    timestamp: bytes | None = field(default=None, repr=False)
    """The timestamp token over the signature value (v4/v5), DER."""
    extensions: tuple[ExtData, ...] = ()
    der: bytes = field(default=b"", repr=False)
    findings: tuple[Reason, ...] = ()


__all__ = [
    "CertDigest",
    "CertListType",
    "ExtData",
    "PictureFormat",
    "Seal",
    "SealInfo",
    "SealPicture",
    "SealSignature",
    "SealVersion",
    "TimeSource",
]
