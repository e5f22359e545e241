"""Reading the fields of seal structures from their original bytes, tolerating what real seals do.

The seal parsers walk structures with :func:`certmutual.asn1.der.elements` (exact offsets, bounded
work) and read each field here. A field in its standard form reads silently; a known deviation
(china-specs §4.8 and the corpus MANIFEST: GeneralizedTime without "Z" or with a two-digit year, text
times in a BIT STRING, OCTET STRING where a BIT STRING belongs, mis-decoded names…) reads with a
:class:`Finding` appended, which the verifier reports as a warning. Anything else raises
:class:`MalformedInput`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from certmutual.asn1 import der
from certmutual.errors import MalformedInput
from certmutual.results import Reason, ReasonCode

Element = tuple[int, int, int, int]
"""``(tag, element_start, content_start, element_end)`` as :func:`der.elements` gives them."""

UTC = datetime.timezone.utc
CHINA_STANDARD_TIME = datetime.timezone(datetime.timedelta(hours=8), "CST")
"""Times written without a zone by Chinese seal software are local times (UTC+8)."""

BOOLEAN, INTEGER, BIT_STRING, OCTET_STRING, OID, UTF8_STRING = 0x01, 0x02, 0x03, 0x04, 0x06, 0x0C
PRINTABLE_STRING, T61_STRING, IA5_STRING, UTC_TIME, GENERALIZED_TIME, BMP_STRING = 0x13, 0x14, 0x16, 0x17, 0x18, 0x1E
SEQUENCE = 0x30
CONTEXT_0_CONSTRUCTED, CONTEXT_0_PRIMITIVE = 0xA0, 0x80

MAX_ELEMENTS = 4096
"""Elements one SEQUENCE of a seal may hold (certificate lists, extensions): far above real seals."""
MAX_INTEGER_OCTETS = 16


@dataclass
class Findings:
    """The deviations found while reading one structure."""

    items: list[Reason] = field(default_factory=list)

    def add(self, code: ReasonCode, message: str, concerns: str | None = None) -> None:
        self.items.append(Reason(code, message, concerns))

    def nonstandard(self, message: str) -> None:
        self.add(ReasonCode.NONSTANDARD_ENCODING, message)


def top(data: bytes) -> tuple[int, int, int]:
    """The outer element of ``data``: ``(tag, content_start, content_end)``; trailing bytes refused."""
    tag, start, end = der.read_header(data, 0)
    if end != len(data):
        raise MalformedInput(f"{len(data) - end} trailing bytes after the structure")
    return tag, start, end


def children(data: bytes, element: Element, what: str) -> list[Element]:
    """The elements inside a constructed ``element``."""
    tag, _, start, end = element
    if not tag & 0x20:
        raise MalformedInput(f"{what} is not a constructed element (tag 0x{tag:02x})")
    found = der.elements(data, start, end)
    if len(found) > MAX_ELEMENTS:
        raise MalformedInput(f"{what} holds more than {MAX_ELEMENTS} elements")
    return found


def sequence(data: bytes, element: Element, what: str) -> list[Element]:
    if element[0] != SEQUENCE:
        raise MalformedInput(f"{what} is not a SEQUENCE (tag 0x{element[0]:02x})")
    return children(data, element, what)


def content(data: bytes, element: Element) -> bytes:
    return data[element[2]:element[3]]


def encoding(data: bytes, element: Element) -> bytes:
    """The element's full original encoding (header included)."""
    return data[element[1]:element[3]]


def integer(data: bytes, element: Element, what: str) -> int:
    if element[0] != INTEGER:
        raise MalformedInput(f"{what} is not an INTEGER (tag 0x{element[0]:02x})")
    value = content(data, element)
    if len(value) > MAX_INTEGER_OCTETS:
        raise MalformedInput(f"{what}: INTEGER of {len(value)} octets")
    return der.decode_integer(value)


def boolean(data: bytes, element: Element, what: str, findings: Findings) -> bool:
    value = content(data, element)
    if element[0] != BOOLEAN or len(value) != 1:
        raise MalformedInput(f"{what} is not a BOOLEAN")
    if value[0] not in (0x00, 0xFF):
        findings.nonstandard(f"{what}: BOOLEAN encoded as 0x{value[0]:02x} (DER requires 0x00 or 0xFF)")
    return value[0] != 0


def oid(data: bytes, element: Element, what: str, findings: Findings) -> str:
    """An OBJECT IDENTIFIER; an AlgorithmIdentifier SEQUENCE in its place is read with a finding."""
    if element[0] == OID:
        return der.decode_oid(content(data, element))
    if element[0] == SEQUENCE:
        algorithm, parameters = der.algorithm_identifier(encoding(data, element))
        if parameters not in (None, b"\x05\x00"):
            raise MalformedInput(f"{what}: algorithm parameters are not supported here")
        findings.nonstandard(f"{what} is an AlgorithmIdentifier, not an OBJECT IDENTIFIER")
        return algorithm
    raise MalformedInput(f"{what} is not an OBJECT IDENTIFIER (tag 0x{element[0]:02x})")


def octets(data: bytes, element: Element, what: str) -> bytes:
    if element[0] != OCTET_STRING:
        raise MalformedInput(f"{what} is not an OCTET STRING (tag 0x{element[0]:02x})")
    return content(data, element)


def bits(data: bytes, element: Element, what: str, findings: Findings) -> bytes:
    """A BIT STRING's bytes (its unused-bits octet removed); an OCTET STRING in its place, or unused
    bits declared, read with a finding."""
    tag = element[0]
    value = content(data, element)
    if tag == OCTET_STRING:
        findings.nonstandard(f"{what} is an OCTET STRING, not a BIT STRING")
        return value
    if tag != BIT_STRING:
        raise MalformedInput(f"{what} is not a BIT STRING (tag 0x{tag:02x})")
    if not value or value[0] > 7 or (value[0] and len(value) == 1):
        raise MalformedInput(f"{what}: BIT STRING with a bad unused-bits octet")
    if value[0]:
        findings.nonstandard(f"{what}: BIT STRING declares {value[0]} unused bits (a byte string has none)")
    return value[1:]


_CODECS = {UTF8_STRING: "utf-8", IA5_STRING: "ascii", PRINTABLE_STRING: "ascii", T61_STRING: "latin-1",
           BMP_STRING: "utf-16-be"}
_TAG_NAMES = {UTF8_STRING: "UTF8String", IA5_STRING: "IA5String", PRINTABLE_STRING: "PrintableString",
              T61_STRING: "TeletexString", BMP_STRING: "BMPString", OCTET_STRING: "OCTET STRING"}


def text(data: bytes, element: Element, what: str, findings: Findings, standard: int) -> str:
    """A character string of the ``standard`` type. Another string type, bytes that are not in the
    type's character set (UTF-8 in an IA5String, GB18030 in a UTF8String), or text that looks like
    UTF-8 mis-decoded as GBK, read with a finding."""
    tag = element[0]
    raw = content(data, element)
    if tag not in _CODECS and tag != OCTET_STRING:
        raise MalformedInput(f"{what} is not a character string (tag 0x{tag:02x})")
    if tag != standard:
        findings.nonstandard(f"{what} is a {_TAG_NAMES[tag]}, not a {_TAG_NAMES[standard]}")
    codec = _CODECS.get(tag, "utf-8")
    try:
        value = raw.decode(codec)
    except UnicodeDecodeError:
        value = _decode_foreign(raw, what, findings, _TAG_NAMES[tag])
    repaired = mojibake_repair(value)
    if repaired is not None:
        findings.add(ReasonCode.GARBLED_TEXT, f"{what} {value!r} looks like UTF-8 mis-decoded as GBK: "
                                              f"probably {repaired!r}")
    return value


def _decode_foreign(raw: bytes, what: str, findings: Findings, type_name: str) -> str:
    for codec in ("utf-8", "gb18030"):
        try:
            value = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        findings.add(ReasonCode.GARBLED_TEXT, f"{what}: a {type_name} holding {codec.upper()} bytes")
        return value
    findings.add(ReasonCode.GARBLED_TEXT, f"{what}: a {type_name} in no known character set")
    return raw.decode("utf-8", "replace")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uff00" <= char <= "\uffef"


def mojibake_repair(value: str) -> str | None:
    """The intended text when ``value`` is UTF-8 bytes wrongly decoded as GBK (a BaiWang seal names
    百望股份 as "鐧句竾鑲′唤"), else None. Requires the repaired text to be mostly CJK."""
    if value.isascii():
        return None
    try:
        fixed = value.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    letters = [c for c in fixed if not c.isascii()]
    if fixed == value or not letters or sum(map(_is_cjk, letters)) * 2 < len(letters):
        return None
    return fixed


# -- times --------------------------------------------------------------------------------------------

_TAG_TIME_NAMES = {UTC_TIME: "UTCTime", GENERALIZED_TIME: "GeneralizedTime"}


def time(data: bytes, element: Element, what: str, findings: Findings, standard: int) -> datetime.datetime:
    """A UTCTime or GeneralizedTime field whose standard type is ``standard``, as an aware datetime.

    Tolerated with a finding: the other time type; GeneralizedTime without "Z" (read as UTC+8) or
    with a two-digit year (read as UTCTime); UTCTime with a four-digit year and no seconds; no "Z"."""
    tag = element[0]
    raw = content(data, element)
    if tag not in _TAG_TIME_NAMES:
        raise MalformedInput(f"{what} is not a time (tag 0x{tag:02x})")
    if tag != standard:
        findings.add(ReasonCode.NONSTANDARD_TIME,
                     f"{what} is a {_TAG_TIME_NAMES[tag]}, not a {_TAG_TIME_NAMES[standard]}")
    strict = len(raw) == (13 if tag == UTC_TIME else 15) and raw[-1:] == b"Z" and raw[:-1].isdigit()
    if strict:
        try:
            return der.decode_time(tag, raw)
        except MalformedInput:
            pass  # e.g. a "UTCTime" that only reads with a four-digit year
    text_value = raw.decode("ascii", "replace")
    parsed = read_time_text(text_value)
    if parsed is not None:
        value, form = parsed
        findings.add(ReasonCode.NONSTANDARD_TIME, f"{what} {text_value!r} is {form}")
        return value
    value = der.decode_time(tag, raw)  # the remaining legal forms (fractions, offsets); raises if none
    findings.add(ReasonCode.NONSTANDARD_TIME, f"{what} {text_value!r} is not in the DER form")
    return value


_DIGITS_Z = re.compile(r"^(\d{12}|\d{14})(Z?)$")
_TEXT_TIME = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$")


def read_time_text(value: str) -> tuple[datetime.datetime, str] | None:
    """A time written as text in one of the forms seal software uses, and a description of the form:
    ``YYMMDDHHMMSS[Z]``, ``YYYYMMDDHHMMSS[Z]``, ``YYYYMMDDHHMMZ`` (a 13-character "UTCTime" that only
    reads with a four-digit year), ``YYYY-MM-DD HH:MM:SS[.fff][Z|±hh:mm]`` (ISO 8601 with "T" too).
    Without a zone the time is China Standard Time (UTC+8). None if it is none of these."""
    value = value.strip()
    match = _DIGITS_Z.match(value)
    if match:
        digits, zone = match.groups()
        digits_zone = UTC if zone else CHINA_STANDARD_TIME
        where = "in UTC" if zone else "without a zone, read as UTC+8"
        if len(digits) == 12:
            two = _digits_time(digits, two_digit_year=True, tz=digits_zone)
            if two is not None:
                return two, f"a two-digit-year time {where}"
            four = _digits_time(digits, two_digit_year=False, tz=digits_zone)
            if four is not None:
                return four, f"a four-digit-year time without seconds {where}"
            return None
        four = _digits_time(digits, two_digit_year=False, tz=digits_zone)
        return (four, f"a four-digit-year time {where}") if four is not None else None
    match = _TEXT_TIME.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    tz: datetime.tzinfo = CHINA_STANDARD_TIME
    if zone == "Z":
        tz = UTC
    elif zone:
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        tz = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    try:
        parsed = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                                   int((fraction or "0").ljust(6, "0")[:6]), tzinfo=tz)
    except ValueError:
        return None
    where = "without a zone, read as UTC+8" if not zone else ("in UTC" if zone == "Z" else "with its own zone")
    return parsed.astimezone(UTC), f"a date-time text {where}"


def _digits_time(digits: str, *, two_digit_year: bool, tz: datetime.tzinfo) -> datetime.datetime | None:
    try:
        if two_digit_year:
            year = int(digits[0:2])
            year += 1900 if year >= 50 else 2000
            rest = digits[2:]
            second = int(rest[8:10])
        else:
            year = int(digits[0:4])
            rest = digits[4:]
            second = int(rest[8:10]) if len(rest) == 10 else 0
        return datetime.datetime(year, int(rest[0:2]), int(rest[2:4]), int(rest[4:6]), int(rest[6:8]), second,
                                 tzinfo=tz).astimezone(UTC)
    except ValueError:
        return None
