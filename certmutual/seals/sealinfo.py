"""``SES_SealInfo``, the part of a seal every version shares: header, identifier, properties, picture
and vendor extensions (GM/T 0031-2014; GB/T 38540-2020 §6; GM/T 0031-2025).

The versions differ inside it only in the property list (v4/v5 add ``certListType`` and may list
certificate digests) and the time type (UTCTime in v1, GeneralizedTime after). Either shape is read
whichever layout the seal has, with a finding when it does not match the layout.
"""

from __future__ import annotations

from certmutual.asn1 import der
from certmutual.asn1.gmt0031 import ExtData as ExtDataSpec
from certmutual.errors import MalformedInput
from certmutual.results import ReasonCode
from certmutual.seals import fields as f
from certmutual.seals.fields import Element, Findings
from certmutual.seals.model import CertDigest, CertListType, ExtData, SealInfo, SealPicture
from certmutual.seals.picture import detect_format


def parse_seal_info(data: bytes, element: Element, findings: Findings, *, v1_layout: bool) -> SealInfo:
    parts = f.sequence(data, element, "SES_SealInfo")
    if len(parts) not in (4, 5):
        raise MalformedInput(f"SES_SealInfo has {len(parts)} elements, expected 4 or 5")
    header = f.sequence(data, parts[0], "SES_Header")
    if len(header) != 3:
        raise MalformedInput(f"SES_Header has {len(header)} elements, expected 3")
    header_id = f.text(data, header[0], "SES_Header.ID", findings, f.IA5_STRING)
    if header_id != "ES":
        findings.nonstandard(f"SES_Header.ID is {header_id!r}, not 'ES'")
    header_version = f.integer(data, header[1], "SES_Header.version")
    vendor_id = f.text(data, header[2], "SES_Header.Vid", findings, f.IA5_STRING)
    es_id = f.text(data, parts[1], "esID", findings, f.IA5_STRING)
    prop = f.sequence(data, parts[2], "SES_ESPropertyInfo")
    if len(prop) not in (6, 7):
        raise MalformedInput(f"SES_ESPropertyInfo has {len(prop)} elements, expected 6 (v1) or 7 (v4)")
    seal_type = f.integer(data, prop[0], "SES_ESPropertyInfo.type")
    if len(prop) == 7 and prop[2][0] == f.INTEGER:
        cert_list_type: int | None = f.integer(data, prop[2], "certListType")
        if v1_layout:
            findings.add(ReasonCode.VERSION_MISMATCH, "a GM/T 0031-2014 seal with a GB/T 38540 certListType")
        rest = prop[3:]
    elif len(prop) == 6:
        cert_list_type = None
        if not v1_layout:
            findings.nonstandard("SES_ESPropertyInfo has no certListType (the GM/T 0031-2014 form)")
        rest = prop[2:]
    else:
        raise MalformedInput("SES_ESPropertyInfo: 7 elements without a certListType INTEGER")
    name = f.text(data, prop[1], "SES_ESPropertyInfo.name", findings, f.UTF8_STRING)
    certificates, digests, identifiers = _cert_list(data, rest[0], cert_list_type, findings)
    standard_time = f.UTC_TIME if v1_layout else f.GENERALIZED_TIME
    create_date = f.time(data, rest[1], "createDate", findings, standard_time)
    valid_start = f.time(data, rest[2], "validStart", findings, standard_time)
    valid_end = f.time(data, rest[3], "validEnd", findings, standard_time)
    picture = _picture(data, parts[3], findings)
    extensions = parse_ext_datas(data, parts[4], findings, "SES_SealInfo.extDatas") if len(parts) == 5 else ()
    return SealInfo(
        header_id=header_id, header_version=header_version, vendor_id=vendor_id, es_id=es_id,
        seal_type=seal_type, name=name, cert_list_type=cert_list_type, certificates=certificates,
        digests=digests, identifiers=identifiers, create_date=create_date, valid_start=valid_start,
        valid_end=valid_end, picture=picture, extensions=extensions,
    )


def _cert_list(data: bytes, element: Element, list_type: int | None,
               findings: Findings) -> tuple[tuple[bytes, ...], tuple[CertDigest, ...], tuple[str, ...]]:
    """The signer certificates, digests or identifiers of ``certList``, by ``certListType``."""
    entries = f.sequence(data, element, "certList")
    certificates: list[bytes] = []
    digests: list[CertDigest] = []
    identifiers: list[str] = []
    known = list_type in (None, CertListType.CERTIFICATES, CertListType.DIGESTS)
    if not known:
        findings.nonstandard(f"certListType {list_type} is not defined by GB/T 38540 (1 certificates, 2 digests); "
                             "its entries are read by their shape")
    for position, entry in enumerate(entries):
        what = f"certList[{position}]"
        tag = entry[0]
        if list_type == CertListType.DIGESTS or (not known and tag == f.SEQUENCE and not _is_certificate(data, entry)):
            digests.append(_cert_digest(data, entry, what, findings))
        elif tag == f.OCTET_STRING:
            value = f.content(data, entry)
            if known or _looks_like_certificate(value):
                certificates.append(value)
            else:
                digests.append(CertDigest("", value))
        elif tag == f.SEQUENCE:
            findings.nonstandard(f"{what} is a bare certificate, not an OCTET STRING")
            certificates.append(f.encoding(data, entry))
        elif tag in (f.IA5_STRING, f.PRINTABLE_STRING, f.UTF8_STRING):
            identifier = f.text(data, entry, what, findings, tag)
            findings.nonstandard(f"{what} is the text {identifier!r}, not a certificate")
            identifiers.append(identifier)
        else:
            raise MalformedInput(f"{what}: unexpected tag 0x{tag:02x}")
    return tuple(certificates), tuple(digests), tuple(identifiers)


def _looks_like_certificate(value: bytes) -> bool:
    try:
        tag, _, end = der.read_header(value, 0)
    except MalformedInput:
        return False
    return tag == f.SEQUENCE and end == len(value)


def _is_certificate(data: bytes, entry: Element) -> bool:
    parts = f.children(data, entry, "certList entry")
    return len(parts) == 3 and parts[0][0] == f.SEQUENCE


def _cert_digest(data: bytes, element: Element, what: str, findings: Findings) -> CertDigest:
    parts = f.sequence(data, element, what)
    if len(parts) != 2:
        raise MalformedInput(f"{what}: CertDigestObj has {len(parts)} elements, expected 2")
    digest_type = f.text(data, parts[0], f"{what}.type", findings, f.PRINTABLE_STRING)
    return CertDigest(digest_type, f.octets(data, parts[1], f"{what}.value"))


def _picture(data: bytes, element: Element, findings: Findings) -> SealPicture:
    parts = f.sequence(data, element, "SES_ESPictureInfo")
    if len(parts) != 4:
        raise MalformedInput(f"SES_ESPictureInfo has {len(parts)} elements, expected 4")
    declared = f.text(data, parts[0], "picture type", findings, f.IA5_STRING)
    picture_data = f.octets(data, parts[1], "picture data")
    width = f.integer(data, parts[2], "picture width")
    height = f.integer(data, parts[3], "picture height")
    return SealPicture(declared, detect_format(picture_data), picture_data, width, height)


def parse_ext_datas(data: bytes, element: Element, findings: Findings, what: str) -> tuple[ExtData, ...]:
    """``ExtensionDatas`` in any of the forms seen: a SEQUENCE OF (standard), EXPLICIT or IMPLICIT
    [0], or wrapped in an OCTET STRING. Entries that do not read as ``ExtData`` are skipped with a
    finding (as ofdrw does)."""
    tag = element[0]
    if tag == f.CONTEXT_0_CONSTRUCTED:
        inner = f.children(data, element, what)
        if len(inner) == 1 and inner[0][0] == f.SEQUENCE and inner[0][3] > inner[0][2] \
                and data[inner[0][2]] == f.SEQUENCE:
            entries = f.children(data, inner[0], what)  # EXPLICIT [0] around the SEQUENCE OF
        else:
            entries = inner  # IMPLICIT [0]: the entries directly
    elif tag == f.SEQUENCE:
        entries = f.children(data, element, what)
    elif tag == f.OCTET_STRING:
        wrapped = f.content(data, element)
        findings.nonstandard(f"{what} is wrapped in an OCTET STRING")
        try:
            inner_tag, start, end = f.top(wrapped)
        except MalformedInput as exc:
            findings.nonstandard(f"{what}: the wrapped extensions do not read ({exc}); skipped")
            return ()
        return parse_ext_datas(wrapped, (inner_tag, 0, start, end), findings, what)
    else:
        raise MalformedInput(f"{what}: unexpected tag 0x{tag:02x}")
    found = []
    for position, entry in enumerate(entries):
        try:
            spec = der.load(ExtDataSpec, f.encoding(data, entry))
            found.append(ExtData(spec["extnID"].dotted, bool(spec["critical"].native), bytes(spec["extnValue"].native)))
        except der.ASN1_ERRORS as exc:
            findings.nonstandard(f"{what}[{position}] is not an ExtData ({str(exc).splitlines()[0]}); skipped")
    return tuple(found)
