"""The XML parts of an OFD package that signatures depend on, read into plain values (GB/T 33190-2016
§7.4 OFD.xml, §7.5 Document.xml, §18 Signatures.xml and Signature.xml; GM/T 0099-2020 §7).

Paths (``ST_Loc``) are resolved as the standard says, and as readers do in practice: an absolute
location (``/Doc_0/...``) from the package root, a relative one from the folder of the file that
names it, falling back to the root for producers that write root paths without the slash. A location
that climbs out of the package is refused; one that names no member is returned as written so the
caller can report it missing. Paths here carry no leading slash (as ZIP member names).
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from certmutual.documents.container import Package, PackageRefused
from certmutual.documents.xmlsafe import attribute, child, children, local, parse_xml, text
from certmutual.results import ReasonCode


def _malformed(message: str, where: str) -> PackageRefused:
    return PackageRefused(ReasonCode.MALFORMED, message, where)


def folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def resolve(base: str, location: str, where: str) -> str:
    """``location`` against the folder ``base`` (absolute locations from the root)."""
    location = location.strip().replace("\\", "/")
    joined = location[1:] if location.startswith("/") else (f"{base}/{location}" if base else location)
    parts: list[str] = []
    for segment in joined.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                raise PackageRefused(ReasonCode.CONTAINER_REFUSED, f"location {location!r} climbs out of the package", where)
            parts.pop()
        else:
            parts.append(segment)
    if not parts:
        raise _malformed(f"empty location {location!r}", where)
    return "/".join(parts)


def locate(package: Package, base: str, location: str, where: str) -> str:
    """The member ``location`` names: relative to ``base`` first, then from the root."""
    resolved = resolve(base, location, where)
    if package.has(resolved) or location.strip().startswith("/"):
        return resolved
    from_root = resolve("", location, where)
    return from_root if package.has(from_root) else resolved


def read_xml(package: Package, path: str) -> tuple[bytes, ET.Element]:
    """A part's original bytes and its parsed root (``missing_part`` / ``xml_refused`` refusals)."""
    limit = package.limits.max_xml_bytes
    if package.has(path) and package.size(path) > limit:
        raise PackageRefused(ReasonCode.XML_REFUSED, f"XML part of {package.size(path)} bytes (at most {limit})", "/" + path)
    data = package.read(path, limit)
    return data, parse_xml(data, "/" + path, package.limits)


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One DocBody of OFD.xml."""

    index: int
    doc_root: str | None
    signatures: str | None


def read_entry_points(package: Package) -> list[DocumentEntry]:
    """OFD.xml's DocBody elements (the package's documents)."""
    if not package.has("OFD.xml"):
        raise _malformed("not an OFD package: no OFD.xml at its root (GB/T 33190 §7.4)", "/OFD.xml")
    _, root = read_xml(package, "OFD.xml")
    if local(root.tag) != "OFD":
        raise _malformed(f"OFD.xml's root element is {local(root.tag)!r}, not OFD", "/OFD.xml")
    out = []
    for index, body in enumerate(children(root, "DocBody")):
        doc_root = text(child(body, "DocRoot"))
        signatures = text(child(body, "Signatures"))
        out.append(DocumentEntry(
            index,
            locate(package, "", doc_root, "/OFD.xml") if doc_root else None,
            locate(package, "", signatures, "/OFD.xml") if signatures else None,
        ))
    if not out:
        raise _malformed("OFD.xml has no DocBody", "/OFD.xml")
    return out


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    index: int
    path: str | None


def read_pages(package: Package, document: str) -> dict[str, Page]:
    """Document.xml's pages by ID (the targets of StampAnnot/@PageRef)."""
    _, root = read_xml(package, document)
    pages_element = child(root, "Pages")
    pages: dict[str, Page] = {}
    if pages_element is None:
        return pages
    for index, element in enumerate(children(pages_element, "Page")):
        page_id = attribute(element, "ID")
        base_loc = attribute(element, "BaseLoc")
        if page_id is None:
            continue
        path = locate(package, folder(document), base_loc, "/" + document) if base_loc else None
        pages.setdefault(page_id, Page(page_id, index, path))
    return pages


@dataclass(frozen=True, slots=True)
class SignatureEntry:
    """One ``<Signature>`` of Signatures.xml."""

    id: str | None
    type: str
    """``Seal`` (the default) or ``Sign``."""
    path: str
    """The package path of its Signature.xml."""
    relative: str | None


def read_signature_list(package: Package, path: str, limit: int) -> list[SignatureEntry]:
    _, root = read_xml(package, path)
    if local(root.tag) != "Signatures":
        raise _malformed(f"root element {local(root.tag)!r}, not Signatures", "/" + path)
    out: list[SignatureEntry] = []
    for element in children(root, "Signature"):
        base_loc = attribute(element, "BaseLoc")
        if not base_loc:
            raise _malformed("a Signature without BaseLoc", "/" + path)
        if len(out) >= limit:
            raise PackageRefused(ReasonCode.CONTAINER_REFUSED, f"more than {limit} signatures", "/" + path)
        out.append(SignatureEntry(attribute(element, "ID"), attribute(element, "Type") or "Seal",
                                  locate(package, folder(path), base_loc, "/" + path), attribute(element, "Relative")))
    return out


@dataclass(frozen=True, slots=True)
class Reference:
    file_ref: str
    """As written."""
    path: str
    """Resolved against the Signature.xml's folder."""
    check_value: bytes | None
    """The decoded CheckValue; None when it is not base64."""


@dataclass(frozen=True, slots=True)
class StampAnnot:
    id: str | None
    page_ref: str | None
    boundary: str | None
    clip: str | None


@dataclass(frozen=True, slots=True)
class SignatureFile:
    """A Signature.xml (GB/T 33190 §18.2): its SignedInfo and where its SignedValue is."""

    raw: bytes
    """The file's original bytes: what a seal signature's dataHash, or a CMS signature, covers."""
    provider: dict[str, str]
    signature_method: str | None
    signature_time: str | None
    check_method: str | None
    """As written (None when absent: the schema's default is MD5)."""
    references: tuple[Reference, ...]
    stamps: tuple[StampAnnot, ...]
    seal: str | None
    """The resolved Seal/BaseLoc (a Seal.esl copy), if any."""
    signed_value: str | None


def read_signature_file(package: Package, path: str) -> SignatureFile:
    raw, root = read_xml(package, path)
    where = "/" + path
    if local(root.tag) != "Signature":
        raise _malformed(f"root element {local(root.tag)!r}, not Signature", where)
    info = child(root, "SignedInfo")
    if info is None:
        raise _malformed("no SignedInfo", where)
    base = folder(path)
    provider_element = child(info, "Provider")
    provider: dict[str, str] = {}
    if provider_element is not None:
        for key in ("ProviderName", "Company", "Version"):
            value = attribute(provider_element, key) or text(child(provider_element, key))
            if value:
                provider[key] = value
    references: list[Reference] = []
    check_method = None
    references_element = child(info, "References")
    if references_element is not None:
        check_method = attribute(references_element, "CheckMethod")
        for element in children(references_element, "Reference"):
            file_ref = attribute(element, "FileRef")
            if not file_ref:
                raise _malformed("a Reference without FileRef", where)
            references.append(Reference(file_ref, locate(package, base, file_ref, where), _base64(text(child(element, "CheckValue")))))
    stamps = tuple(StampAnnot(attribute(e, "ID"), attribute(e, "PageRef"), attribute(e, "Boundary"), attribute(e, "Clip"))
                   for e in children(info, "StampAnnot"))
    seal_element = child(info, "Seal")
    seal_loc = text(child(seal_element, "BaseLoc")) if seal_element is not None else None
    signed_value = text(child(root, "SignedValue"))
    return SignatureFile(
        raw, provider, text(child(info, "SignatureMethod")), text(child(info, "SignatureDateTime")), check_method,
        tuple(references), stamps,
        locate(package, base, seal_loc, where) if seal_loc else None,
        locate(package, base, signed_value, where) if signed_value else None,
    )


def _base64(value: str | None) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
