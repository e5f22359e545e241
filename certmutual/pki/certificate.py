"""The certificate model: parsed with asn1crypto, signed bytes kept exactly as received.

:class:`Certificate` parses everything path validation needs once, at load, so that malformed input
fails early with :class:`MalformedInput` (which the layers above turn into the ``malformed`` reason)
rather than deep inside validation. It does not judge the certificate: checks live in
:mod:`certmutual.pki.checks`.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar, overload

from asn1crypto import x509

import certmutual.asn1  # noqa: F401  (registers SM OIDs with asn1crypto)
from certmutual.asn1 import der, extensions
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.asn1.oids import EXT_OID
from certmutual.crypto import registry
from certmutual.errors import MalformedInput
from certmutual.results import ChainLink

# Errors asn1crypto raises for bytes it cannot parse.


class Extension(NamedTuple):
    """One extension as received; ``value`` is the DER inside the extnValue OCTET STRING.

    A named tuple rather than a dataclass: a verifier keeps a few of these for every cached
    certificate, and tuples of plain values drop out of the garbage collector's walks."""

    oid: str
    critical: bool
    value: bytes


@dataclass(frozen=True)
class BasicConstraints:
    ca: bool
    path_len: int | None


def name_key(name_der: bytes) -> str:
    """The comparison key of a Name's DER (RFC 5280 §7.1: case-insensitive, whitespace folded).

    Names whose values cannot be decoded (undeclared string types, bad TeletexString bytes in real
    Chinese certificates) fall back to their exact DER, which still matches byte-identical names.
    """
    try:
        return str(der.load(x509.Name, name_der).hashable)
    except ASN1_ERRORS:
        return "der:" + name_der.hex()


_SHORT_NAMES = {
    "common_name": "CN", "country_name": "C", "organization_name": "O", "organizational_unit_name": "OU",
    "locality_name": "L", "state_or_province_name": "ST", "street_address": "STREET", "serial_number": "serialNumber",
    "email_address": "emailAddress", "given_name": "GN", "surname": "SN", "title": "title", "domain_component": "DC",
    "organization_identifier": "organizationIdentifier", "postal_code": "postalCode", "name": "name",
}


def describe_name(name: x509.Name) -> str:
    """A human-readable rendering, most significant RDN first (as printed by most tools); never raises."""
    try:
        parts = []
        for rdn in name.chosen:
            for atv in rdn:
                attribute = atv["type"]
                key = _SHORT_NAMES.get(attribute.native, attribute.dotted)
                try:
                    value = atv["value"].native
                except ASN1_ERRORS:
                    value = "#" + atv["value"].contents.hex()
                parts.append(f"{key}={value}")
        return ", ".join(parts) if parts else "(empty)"
    except ASN1_ERRORS:
        return "(unreadable name)"


_FULLY_PARSED = (
    (EXT_OID.AUTHORITY_INFO_ACCESS, x509.AuthorityInfoAccessSyntax),
    (EXT_OID.CERTIFICATE_POLICIES, x509.CertificatePolicies),
)

_STRING_CODECS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1", 0x1E: "utf-16-be", 0x1C: "utf-32-be",
                  0x12: "ascii", 0x1A: "ascii"}
_SHORT_BY_OID = {
    "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.7": "L", "2.5.4.8": "ST",
    "2.5.4.9": "STREET", "2.5.4.5": "serialNumber", "1.2.840.113549.1.9.1": "emailAddress", "2.5.4.42": "GN",
    "2.5.4.4": "SN", "2.5.4.12": "title", "0.9.2342.19200300.100.1.25": "DC", "2.5.4.97": "organizationIdentifier",
    "2.5.4.17": "postalCode", "2.5.4.41": "name",
}


def describe_name_der(encoded: bytes) -> str:
    """Like :func:`describe_name`, straight from a Name's DER (fast: used for every result)."""
    try:
        parts = []
        _, start, end = der.read_header(encoded, 0)
        for _, rdn_start, set_start, set_end in der.elements(encoded, start, end):
            rdn = encoded[rdn_start:set_end]
            text = _RDN_TEXT.get(rdn)
            if text is None:
                text = _describe_rdn(encoded, set_start, set_end)
                if len(_RDN_TEXT) >= _RDN_TEXT_SIZE:
                    _RDN_TEXT.clear()
                _RDN_TEXT[rdn] = text
            if text:
                parts.append(text)
        return ", ".join(parts) if parts else "(empty)"
    except (MalformedInput, ValueError):
        return "(unreadable name)"


_RDN_TEXT: dict[bytes, str] = {}
"""Rendered RDNs by their exact encoding: the leaves of a CA share all but a few (C, O, OU...).
Cleared when full."""
_RDN_TEXT_SIZE = 2048


def _describe_rdn(encoded: bytes, start: int, end: int) -> str:
    """``type=value`` of each AttributeTypeAndValue in the SET at ``encoded[start:end]``, joined
    by ", " ("" for an empty SET). Raises MalformedInput or ValueError for unreadable ones."""
    parts = []
    for _, _, atv_body, atv_end in der.elements(encoded, start, end):
        (_, _, o_start, o_end), (value_tag, _, v_start, v_end) = der.elements(encoded, atv_body, atv_end)
        oid = der.decode_oid(encoded[o_start:o_end])
        raw = encoded[v_start:v_end]
        codec = _STRING_CODECS.get(value_tag)
        value = raw.decode(codec, "replace") if codec else "#" + raw.hex()
        parts.append(f"{_SHORT_BY_OID.get(oid, oid)}={value}")
    return ", ".join(parts)


Value = TypeVar("Value")


class memoized_property(Generic[Value]):
    """``functools.cached_property`` without the lock Python 3.11 takes on every first access
    (3.12 dropped it): each value is a pure function of an immutable certificate, so two threads
    that compute one at the same time store equal values. A fresh leaf reads several of these."""

    def __init__(self, compute: Callable[[Any], Value]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> "memoized_property[Value]": ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> Value: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> "Value | memoized_property[Value]":
        if instance is None:
            return self
        value = self._compute(instance)
        instance.__dict__[self._name] = value  # shadows this (non-data) descriptor from now on
        return value


Decoded = TypeVar("Decoded")
_ABSENT = object()


class _DecodedByValue(Generic[Decoded]):
    """A pure extension decoder with its results kept by the exact bytes it decoded.

    A CA puts the same basicConstraints, keyUsage, extendedKeyUsage and authorityKeyIdentifier
    bytes in every leaf it issues, so a verifier decodes each once. Bounded: when full it starts
    afresh, which keeps what current traffic uses. Results are immutable, so sharing them is safe.
    """

    def __init__(self, decode: Callable[[bytes], Decoded], size: int = 512) -> None:
        self._decode = decode
        self._size = size
        self._results: dict[bytes, Decoded] = {}

    def __call__(self, value: bytes) -> Decoded:
        found = self._results.get(value, _ABSENT)
        if found is not _ABSENT:
            return found  # type: ignore[return-value]  # not typing.cast: a call, on every extension read
        result = self._decode(value)
        if len(self._results) >= self._size:
            self._results.clear()
        self._results[value] = result
        return result


def _decode_basic_constraints(value: bytes) -> BasicConstraints:
    return BasicConstraints(*extensions.basic_constraints(value))


_basic_constraints = _DecodedByValue(_decode_basic_constraints)
_key_usage = _DecodedByValue(extensions.key_usage)
_extended_key_usage = _DecodedByValue(extensions.extended_key_usage)
_authority_key_identifier = _DecodedByValue(extensions.authority_key_identifier)


_EXTENSIONS_READ: dict[bytes, Extension] = {}
"""Extensions by their exact encoding (the whole SEQUENCE): a CA puts the same basicConstraints,
keyUsage, authorityKeyIdentifier, AIA, CRL distribution points and policies in every leaf it
issues. Cleared when full, so it holds what current traffic uses."""
_EXTENSIONS_READ_SIZE = 1024


def _remember_extension(encoded: bytes, extension: Extension) -> None:
    if len(_EXTENSIONS_READ) >= _EXTENSIONS_READ_SIZE:
        _EXTENSIONS_READ.clear()
    _EXTENSIONS_READ[encoded] = extension


_PARSED_BY_VALUE: dict[tuple[str, bytes], Any] = {}
"""Variable-shape extension values (AIA, policies, CRL distribution points, name constraints,
constructed SANs) fully parsed once per distinct encoding: a CA repeats them in every leaf, and the
asn1crypto parse (URIs to IRIs and all) is the dearest part of reading a certificate. The objects
are shared read-only, already fully parsed. Cleared when full, like ``_EXTENSIONS_READ``."""


def _fully_parsed(oid: str, spec: Any, value: bytes) -> Any:
    """``value`` parsed as ``spec`` to the last field (so a bad encoding fails at load), memoised."""
    key = (oid, value)
    parsed = _PARSED_BY_VALUE.get(key)
    if parsed is None:
        parsed = der.load(spec, value)
        parsed.native
        if len(_PARSED_BY_VALUE) >= _EXTENSIONS_READ_SIZE:
            _PARSED_BY_VALUE.clear()
        _PARSED_BY_VALUE[key] = parsed
    return parsed


class _NotUsual(Exception):
    """The usual-shape reader met something else, valid or not: the general reader decides."""


_VERSION_3 = b"\xa0\x03\x02\x01\x02"  # [0] EXPLICIT INTEGER 2
_TIME_TAGS = (0x17, 0x18)  # UTCTime, GeneralizedTime


def _usual_header(data: bytes, pos: int, tag: int, end: int) -> tuple[int, int]:
    """``(content_start, content_end)`` of the element at ``pos``, which must carry ``tag`` and a
    length of one short or one or two long octets, and end by ``end``. Raises _NotUsual otherwise
    (IndexError when ``pos`` is past the data)."""
    if data[pos] != tag:
        raise _NotUsual
    length = data[pos + 1]
    if length < 0x80:
        content_end = pos + 2 + length
        if content_end > end:
            raise _NotUsual
        return pos + 2, content_end
    if length == 0x82:
        content_end = pos + 4 + ((data[pos + 2] << 8) | data[pos + 3])
        if content_end > end:
            raise _NotUsual
        return pos + 4, content_end
    if length == 0x81:
        content_end = pos + 3 + data[pos + 2]
        if content_end > end:
            raise _NotUsual
        return pos + 3, content_end
    raise _NotUsual


def _read_usual_extension(data: bytes, start: int, end: int) -> Extension:
    """:func:`_read_extension` for { OID, optional BOOLEAN of one octet, OCTET STRING } exactly
    filling ``data[start:end]``; raises _NotUsual for anything else."""
    oid_start, oid_end = _usual_header(data, start, 0x06, end)
    critical = False
    pos = oid_end
    if data[pos] == 0x01:
        flag_start, pos = _usual_header(data, pos, 0x01, end)
        if pos - flag_start != 1:
            raise _NotUsual
        critical = data[flag_start] != 0
    value_start, value_end = _usual_header(data, pos, 0x04, end)
    if value_end != end:
        raise _NotUsual
    return Extension(der.decode_oid(data[oid_start:oid_end]), critical, data[value_start:value_end])


def _read_extension(data: bytes, start: int, end: int) -> Extension:
    """The ``Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`` whose
    content is ``data[start:end]``."""
    parts = der.elements(data, start, end)
    if len(parts) not in (2, 3) or parts[0][0] != 0x06 or parts[-1][0] != 0x04:
        raise MalformedInput("extension is not { extnID, critical, extnValue }")
    oid = der.decode_oid(data[parts[0][2]:parts[0][3]])
    critical = False
    if len(parts) == 3:
        flag_tag, _, flag_start, flag_end = parts[1]
        if flag_tag != 0x01 or flag_end - flag_start != 1:
            raise MalformedInput(f"extension {oid}: bad critical flag")
        critical = data[flag_start] != 0
    return Extension(oid, critical, data[parts[-1][2]:parts[-1][3]])


def _tbs_field(fields: list[tuple[int, int, int, int]], index: int, tag: int, what: str) -> tuple[int, int, int, int]:
    """``(tag, element_start, content_start, element_end)`` of a tbsCertificate field, which must
    be there and carry ``tag``."""
    if index >= len(fields):
        raise MalformedInput(f"tbsCertificate ends before {what}")
    found = fields[index]
    if found[0] != tag:
        raise MalformedInput(f"tbsCertificate {what}: unexpected tag 0x{found[0]:02x}")
    return found


class Certificate:
    """An X.509 certificate. Immutable after construction; safe to share between threads.

    The TBSCertificate is walked with :mod:`certmutual.asn1.der` (fast, and exact about the bytes);
    extension values are parsed with asn1crypto; names are parsed lazily, since most validations only
    compare their DER.
    """

    def __init__(self, data: bytes) -> None:
        """Parse DER ``data``. Raises :class:`MalformedInput` if it is not a readable certificate."""
        self.der = bytes(data)
        self.sha256 = hashlib.sha256(self.der).hexdigest()
        self._last_chain_link: tuple[Certificate | None, ChainLink] | None = None
        usual = self._read_usual()
        if not usual:
            self.tbs, self.signature_algorithm, self.signature_parameters, self.signature = der.signed_structure(self.der)
        try:
            if not usual:
                self._read_any_tbs()
            self._parse_extensions()
        except MalformedInput:
            raise
        except ASN1_ERRORS as exc:
            raise MalformedInput(f"unreadable certificate: {exc}") from exc
        # Read by every validation, so plain attributes rather than properties.
        self.is_ca = self.basic_constraints is not None and self.basic_constraints.ca
        self.subject_is_empty = self.subject_der == b"\x30\x00"

    @classmethod
    def load(cls, data: bytes) -> "Certificate":
        return cls(data)

    def _read_usual(self) -> bool:
        """Read a certificate of the usual shape in one pass: lengths of at most two octets, each
        element inside its parent, version 3, RFC 5280 times, no unique identifiers, extensions as
        { OID, BOOLEAN, OCTET STRING }.

        Returns False at the first thing that is not that shape, valid or not. Then
        :func:`der.signed_structure` and :meth:`_read_any_tbs` read the certificate from the start:
        they alone refuse certificates and word the errors, and on the usual shape they read
        exactly these values."""
        data = self.der
        size = len(data)
        try:
            tbs_start, outer_end = _usual_header(data, 0, 0x30, size)
            start, end = _usual_header(data, tbs_start, 0x30, size)  # the tbsCertificate
            _, algorithm_end = _usual_header(data, end, 0x30, size)
            bits_start, bits_end = _usual_header(data, algorithm_end, 0x03, size)
            if outer_end != size or bits_end != size or bits_start == size or data[bits_start] != 0:
                return False
            self.signature_algorithm, self.signature_parameters = der.algorithm_identifier(data[end:algorithm_end])
            if data[start:start + 5] != _VERSION_3:
                return False
            serial_start, serial_end = _usual_header(data, start + 5, 0x02, end)
            _, inner_algorithm_end = _usual_header(data, serial_end, 0x30, end)
            _, issuer_end = _usual_header(data, inner_algorithm_end, 0x30, end)
            validity_start, validity_end = _usual_header(data, issuer_end, 0x30, end)
            before_tag = data[validity_start]
            if before_tag not in _TIME_TAGS:
                return False
            before_start, before_end = _usual_header(data, validity_start, before_tag, validity_end)
            after_tag = data[before_end]
            if after_tag not in _TIME_TAGS:
                return False
            after_start, after_end = _usual_header(data, before_end, after_tag, validity_end)
            _, subject_end = _usual_header(data, validity_end, 0x30, end)
            _, spki_end = _usual_header(data, subject_end, 0x30, end)
            if serial_start == serial_end or after_end != validity_end:
                return False
            inner_algorithm = data[serial_end:inner_algorithm_end]
            # The same bytes (nearly always) say the same algorithm; other bytes are decoded and compared.
            if (inner_algorithm != data[end:algorithm_end]
                    and der.algorithm_identifier(inner_algorithm) != (self.signature_algorithm, self.signature_parameters)):
                return False
            self.tbs = data[tbs_start:end]
            self.signature = data[bits_start + 1:size]
            self.version = 3
            self.serial = int.from_bytes(data[serial_start:serial_end], "big", signed=True)
            self.issuer_der = data[inner_algorithm_end:issuer_end]
            self.not_before = der.decode_time(before_tag, data[before_start:before_end])
            self.not_after = der.decode_time(after_tag, data[after_start:after_end])
            self.subject_der = data[validity_end:subject_end]
            self.spki = data[subject_end:spki_end]
            found: dict[str, Extension] = {}
            self.extensions = found
            if spki_end == end:
                return True
            block_start, block_end = _usual_header(data, spki_end, 0xA3, end)
            pos, list_end = _usual_header(data, block_start, 0x30, end)
            if block_end != end or list_end != end:
                return False
            while pos < end:
                # Most extensions have a short-form SEQUENCE header: read it here, not in a call.
                if data[pos] == 0x30 and data[pos + 1] < 0x80:
                    body_start = pos + 2
                    body_end = body_start + data[pos + 1]
                    if body_end > end:
                        return False
                else:
                    body_start, body_end = _usual_header(data, pos, 0x30, end)
                encoded = data[pos:body_end]
                extension = _EXTENSIONS_READ.get(encoded)
                if extension is None:
                    extension = _read_usual_extension(data, body_start, body_end)
                    _remember_extension(encoded, extension)
                oid = extension.oid
                if oid in found:
                    return False
                found[oid] = extension
                pos = body_end
            return True
        except (_NotUsual, IndexError, MalformedInput):
            return False

    def _read_any_tbs(self) -> None:
        tbs = self.tbs
        tag, start, end = der.read_header(tbs, 0)
        if tag != 0x30:
            raise MalformedInput("tbsCertificate is not a SEQUENCE")
        fields = der.elements(tbs, start, end)
        self.version = 1
        position = 0
        if fields and fields[0][0] == 0xA0:
            _, _, content_start, content_end = fields[0]
            tag, inner_start, inner_end = der.read_header(tbs, content_start, content_end)
            if tag != 0x02 or inner_end != content_end:
                raise MalformedInput("bad version")
            number = der.decode_integer(tbs[inner_start:inner_end])
            if number not in (0, 1, 2):
                raise MalformedInput(f"unknown certificate version {number + 1}")
            self.version = number + 1
            position = 1
        _, _, content_start, content_end = _tbs_field(fields, position, 0x02, "serialNumber")
        self.serial = der.decode_integer(tbs[content_start:content_end])
        _, element_start, _, element_end = _tbs_field(fields, position + 1, 0x30, "signature")
        inner_algorithm, inner_parameters = der.algorithm_identifier(tbs[element_start:element_end])
        if inner_algorithm != self.signature_algorithm or inner_parameters != self.signature_parameters:
            raise MalformedInput("tbsCertificate.signature differs from signatureAlgorithm (RFC 5280 §4.1.1.2)")
        _, element_start, _, element_end = _tbs_field(fields, position + 2, 0x30, "issuer")
        self.issuer_der = tbs[element_start:element_end]
        _, _, content_start, content_end = _tbs_field(fields, position + 3, 0x30, "validity")
        times = der.elements(tbs, content_start, content_end)
        if len(times) != 2:
            raise MalformedInput("validity must hold notBefore and notAfter")
        (before_tag, _, before_start, before_end), (after_tag, _, after_start, after_end) = times
        self.not_before = der.decode_time(before_tag, tbs[before_start:before_end])
        self.not_after = der.decode_time(after_tag, tbs[after_start:after_end])
        _, element_start, _, element_end = _tbs_field(fields, position + 4, 0x30, "subject")
        self.subject_der = tbs[element_start:element_end]
        _, element_start, _, element_end = _tbs_field(fields, position + 5, 0x30, "subjectPublicKeyInfo")
        self.spki = tbs[element_start:element_end]
        self.extensions = {}
        for position in range(position + 6, len(fields)):
            tag, _, content_start, content_end = fields[position]
            if tag in (0x81, 0xA1, 0x82, 0xA2):  # issuer/subject unique identifiers: carried, unused
                continue
            if tag != 0xA3:
                raise MalformedInput(f"tbsCertificate extensions: unexpected tag 0x{tag:02x}")
            if self.version != 3:
                raise MalformedInput(f"extensions in a version {self.version} certificate (RFC 5280 §4.1.2.9)")
            self._read_extensions(content_start, content_end)

    def _read_extensions(self, start: int, end: int) -> None:
        tbs = self.tbs
        tag, seq_start, seq_end = der.read_header(tbs, start, end)
        if tag != 0x30 or seq_end != end:
            raise MalformedInput("extensions is not a SEQUENCE")
        found = self.extensions
        for ext_tag, element_start, body_start, body_end in der.elements(tbs, seq_start, seq_end):
            encoded = tbs[element_start:body_end]
            extension = _EXTENSIONS_READ.get(encoded)
            if extension is None:
                if ext_tag != 0x30:
                    raise MalformedInput("extension is not a SEQUENCE")
                extension = _read_extension(tbs, body_start, body_end)
                _remember_extension(encoded, extension)
            if extension.oid in found:
                raise MalformedInput(f"extension {extension.oid} appears twice (RFC 5280 §4.2)")
            found[extension.oid] = extension

    def _parse_extensions(self) -> None:
        present = self.extensions.get
        found = present(EXT_OID.BASIC_CONSTRAINTS)
        self.basic_constraints = None if found is None else _basic_constraints(found.value)
        found = present(EXT_OID.KEY_USAGE)
        self.key_usage = None if found is None else _key_usage(found.value)
        found = present(EXT_OID.EXTENDED_KEY_USAGE)
        self.ext_key_usage = None if found is None else _extended_key_usage(found.value)
        found = present(EXT_OID.SUBJECT_KEY_IDENTIFIER)
        self.subject_key_id = None if found is None else extensions.subject_key_identifier(found.value)
        found = present(EXT_OID.AUTHORITY_KEY_IDENTIFIER)
        self.authority_key_id = None if found is None else _authority_key_identifier(found.value)
        # Variable-shape extensions we act on: parsed in full now, so bad encodings fail at load.
        for oid, spec in _FULLY_PARSED:
            found = present(oid)
            if found is not None:
                _fully_parsed(oid, spec, found.value)
        self._san_value = None
        self.san_dns_names: Sequence[str] = ()  # the subjectAltName's dNSName entries
        found = present(EXT_OID.SUBJECT_ALT_NAME)
        if found is not None:
            simple, self.san_dns_names = extensions.read_general_names(found.value)
            if not simple:
                _fully_parsed(EXT_OID.SUBJECT_ALT_NAME, x509.GeneralNames, found.value)  # constructed forms
            self._san_value = found.value
        self.name_constraints = None
        found = present(EXT_OID.NAME_CONSTRAINTS)
        if found is not None:
            self.name_constraints = _fully_parsed(EXT_OID.NAME_CONSTRAINTS, x509.NameConstraints, found.value)
        self.crl_distribution_points = None
        found = present(EXT_OID.CRL_DISTRIBUTION_POINTS)
        if found is not None:
            self.crl_distribution_points = _fully_parsed(EXT_OID.CRL_DISTRIBUTION_POINTS, x509.CRLDistributionPoints,
                                                         found.value)

    # -- derived facts -----------------------------------------------------------------------

    @memoized_property
    def subject_alt_names(self) -> x509.GeneralNames | None:
        """The SAN extension (checked at load, parsed on first use), or None."""
        if self._san_value is None:
            return None
        return der.load(x509.GeneralNames, self._san_value)

    @memoized_property
    def parsed(self) -> x509.Certificate:
        """The asn1crypto view of the whole certificate (for layers that read other fields)."""
        return der.load(x509.Certificate, self.der)

    @memoized_property
    def subject(self) -> x509.Name:
        return der.load(x509.Name, self.subject_der)

    @memoized_property
    def issuer(self) -> x509.Name:
        return der.load(x509.Name, self.issuer_der)

    @memoized_property
    def subject_key(self) -> str:
        """Normalised subject for comparisons (RFC 5280 §7.1)."""
        return name_key(self.subject_der)

    @memoized_property
    def issuer_key(self) -> str:
        return name_key(self.issuer_der)

    def issued_by_name(self, issuer: "Certificate") -> bool:
        """Whether ``issuer``'s subject is this certificate's issuer name (DER first, then §7.1 rules)."""
        return names_equivalent(self.issuer_der, issuer.subject_der)

    @memoized_property
    def rsa_bits(self) -> int | None:
        """RSA modulus size, None for other keys (raises MalformedInput for unreadable RSA keys)."""
        return rsa_modulus_bits(self.spki)

    @memoized_property
    def public_key(self) -> registry.PublicKey:
        """The subject's key. Raises MalformedInput / UnsupportedAlgorithm (cached on success)."""
        return registry.load_public_key(self.spki)

    @memoized_property
    def is_self_issued(self) -> bool:
        """Subject and issuer are the same name (RFC 5280 §3.2); says nothing about the signature."""
        return names_equivalent(self.subject_der, self.issuer_der)

    @memoized_property
    def subject_text(self) -> str:
        return describe_name_der(self.subject_der)

    @memoized_property
    def issuer_text(self) -> str:
        return describe_name_der(self.issuer_der)

    def chain_link(self, issuer: "Certificate | None") -> ChainLink:
        """This certificate as an entry of a result's chain. ``issuer`` is the next certificate of
        the chain, whose subject is shown as the issuer name (the same name, already rendered for a
        cached CA); None at the chain's end, where this certificate's own issuer name is shown.

        The last link made is kept: a cached CA appears, above the same issuer, in every result."""
        remembered = self._last_chain_link
        if remembered is not None and remembered[0] is issuer:
            return remembered[1]
        issuer_text = self.issuer_text if issuer is None else issuer.subject_text
        link = ChainLink(self.subject_text, issuer_text, self.serial_hex, self.sha256)
        self._last_chain_link = (issuer, link)
        return link

    @property
    def serial_hex(self) -> str:
        serial = self.serial
        if serial >= 0:
            return hex(serial)[2:].upper().rjust(2, "0")
        return "-" + hex(-serial)[2:].upper().rjust(2, "0")

    def critical_extension_oids(self) -> frozenset[str]:
        return frozenset(oid for oid, ext in self.extensions.items() if ext.critical)

    def __repr__(self) -> str:
        return f"<Certificate {self.subject_text!r} serial={self.serial_hex} sha256={self.sha256[:16]}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and other.der == self.der

    def __hash__(self) -> int:
        return hash(self.sha256)


_RSA_SPKI_PREFIX = bytes.fromhex("06092a864886f70d010101")  # the rsaEncryption OID, as encoded


_RSA_ALGORITHM = bytes.fromhex("300d06092a864886f70d0101010500")  # { rsaEncryption, NULL }
_RSA_KEY_HEAD = struct.Struct(">HH15sHHBHHHH")
"""The first 32 bytes of an RSA key of 2048 to 16384 bits as issuers encode it: SEQUENCE, the
AlgorithmIdentifier, BIT STRING, its unused-bits octet, RSAPublicKey SEQUENCE, modulus INTEGER,
every header with a two-octet length."""


def rsa_modulus_bits(spki: bytes) -> int | None:
    """The modulus size of an RSA SubjectPublicKeyInfo, or None for other key types.

    Read straight from the DER (no key object), because path validation asks it of every
    certificate. Raises :class:`MalformedInput` for an RSA key it cannot read.
    """
    size = len(spki)
    if size >= 32:
        # The usual layout in one unpack: every length must be the one the key's size implies,
        # so the general reader below would read exactly this modulus.
        outer, outer_length, algorithm, bits, bits_length, unused, key, key_length, modulus, modulus_length = (
            _RSA_KEY_HEAD.unpack_from(spki))
        if (algorithm == _RSA_ALGORITHM and outer == 0x3082 and outer_length == size - 4 and bits == 0x0382
                and bits_length == size - 23 and unused == 0 and key == 0x3082 and key_length == size - 28
                and modulus == 0x0282 and 32 + modulus_length <= size):
            return int.from_bytes(spki[32 : 32 + modulus_length], "big").bit_length()
    if _RSA_SPKI_PREFIX not in spki[:24]:
        return None
    try:
        _, start, end = der.read_header(spki, 0)
        _, (bits_tag, _, bits_body, bits_end) = der.elements(spki, start, end)
        if bits_tag != 0x03 or spki[bits_body] != 0:
            raise MalformedInput("RSA key BIT STRING")
        _, seq_start, seq_end = der.read_header(spki, bits_body + 1, bits_end)
        _, int_start, int_end = der.read_header(spki, seq_start, seq_end)
    except (MalformedInput, ValueError, IndexError) as exc:
        raise MalformedInput(f"unreadable RSA public key: {exc}") from exc
    return int.from_bytes(spki[int_start:int_end], "big").bit_length()


def names_equivalent(a_der: bytes, b_der: bytes) -> bool:
    """RFC 5280 §7.1 equality of two Names given as DER: identical bytes, or RDN by RDN under the
    comparison rules (early exit). A name that cannot be parsed equals only its own bytes."""
    if a_der == b_der:
        return True
    try:
        rdns_a = list(der.load(x509.Name, a_der).chosen)
        rdns_b = list(der.load(x509.Name, b_der).chosen)
        if len(rdns_a) != len(rdns_b):
            return False
        for rdn_a, rdn_b in zip(rdns_a, rdns_b):
            if rdn_a.contents != rdn_b.contents and rdn_a.hashable != rdn_b.hashable:
                return False
        return True
    except ASN1_ERRORS:
        return False


