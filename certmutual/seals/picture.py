"""Seal pictures: what format the stored bytes are, and exporting them exactly as stored.

The declared ``SES_ESPictureInfo.type`` is free text ("PNG", "png", "ofd", "JPG"…), so the format
is detected from the bytes' signatures. An "ofd" picture (tax-bureau seals) is an OFD package, i.e. a
zip file holding vector drawing instructions; it is exported as that package, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from certmutual.seals.model import PictureFormat, Seal, SealPicture

_SIGNATURES: tuple[tuple[bytes, PictureFormat], ...] = (
    (b"\x89PNG\r\n\x1a\n", PictureFormat.PNG),
    (b"\xff\xd8\xff", PictureFormat.JPEG),
    (b"GIF87a", PictureFormat.GIF),
    (b"GIF89a", PictureFormat.GIF),
    (b"PK\x03\x04", PictureFormat.OFD),
    (b"BM", PictureFormat.BMP),
)


def detect_format(data: bytes) -> PictureFormat:
    """The picture format of ``data`` from its leading bytes (SVG: an ``<svg`` root in the first
    kilobyte of XML text)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return PictureFormat.SVG
    return PictureFormat.UNKNOWN


@dataclass(frozen=True, slots=True)
class PictureExport:
    """A seal picture ready to be written out: bytes as stored, detected format, file extension."""

    data: bytes
    format: PictureFormat
    declared_type: str
    width_mm: int
    height_mm: int

    @property
    def extension(self) -> str:
        return self.format.extension


def export_picture(seal: Seal) -> PictureExport:
    """The seal's picture, byte for byte as the seal stores it."""
    picture: SealPicture = seal.info.picture
    return PictureExport(picture.data, picture.format, picture.type, picture.width_mm, picture.height_mm)


__all__ = ["PictureExport", "detect_format", "export_picture"]
