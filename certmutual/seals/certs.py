"""Certificates embedded in seals: reading them, and noticing when they are not DER.

A certificate a seal carries is verified over its bytes as stored (:class:`Certificate` slices its
TBS part; nothing is re-encoded), so a non-DER certificate still verifies when its issuer signed those
bytes. It is still a deviation worth a warning: a tool that re-encodes it (asn1crypto grows the JSGXCA
certificate in the corpus from 900 to 905 bytes) will see a broken signature. :func:`der_deviations`
finds the forms seen in real seal certificates without re-encoding anything: length octets longer
than needed, BOOLEANs other than 0x00/0xFF, DEFAULT values written out (extension ``critical``
FALSE, basicConstraints ``cA`` FALSE), and named-bit-list BIT STRINGs (keyUsage, Netscape cert type)
with trailing zero bits.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from certmutual.asn1 import der
from certmutual.asn1.oids import EXT_OID
from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate

NETSCAPE_CERT_TYPE = "2.16.840.1.113730.1.1"
_NAMED_BIT_LISTS = frozenset({EXT_OID.KEY_USAGE, NETSCAPE_CERT_TYPE})

_CACHE_SIZE = 4096
_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_lock = threading.Lock()


_PARSED_SIZE = 1024
_parsed: OrderedDict[bytes, Certificate] = OrderedDict()


def load_certificate(encoded: bytes) -> Certificate:
    """The certificate in ``encoded``, parsed once and remembered (bounded): a seal's maker and listed
    signers recur in every signature made with it, and a parsed certificate keeps its loaded key.
    Raises :class:`MalformedInput`."""
    with _lock:
        cert = _parsed.get(encoded)
        if cert is not None:
            _parsed.move_to_end(encoded)
            return cert
    cert = Certificate(encoded)
    with _lock:
        _parsed[encoded] = cert
        while len(_parsed) > _PARSED_SIZE:
            _parsed.popitem(last=False)
    return cert


def der_deviations(cert: Certificate) -> tuple[str, ...]:
    """How ``cert``'s encoding departs from DER (empty when it is DER as far as these checks see).
    Remembered per certificate: a seal's certificates recur."""
    with _lock:
        found = _cache.get(cert.sha256)
        if found is not None:
            _cache.move_to_end(cert.sha256)
            return found
    found = tuple(dict.fromkeys(_headers(cert) + _extension_deviations(cert)))
    with _lock:
        _cache[cert.sha256] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def clear_der_cache() -> None:
    """Forget parsed certificates and DER findings."""
    with _lock:
        _cache.clear()
        _parsed.clear()


def _minimal_header(length: int) -> int:
    return 2 if length < 0x80 else 2 + (length.bit_length() + 7) // 8


def _headers(cert: Certificate) -> list[str]:
    """Length octets and BOOLEANs of the certificate's outer headers and of its extensions (where
    non-DER encodings are found in practice), without walking names and keys."""
    data = cert.der
    found = []
    tag, start, end = der.read_header(data, 0)
    if start != _minimal_header(end - start):
        found.append("a length written in more octets than needed")
    tbs_tag, tbs_start, tbs_end = der.read_header(data, start, end)
    if tbs_start - start != _minimal_header(tbs_end - tbs_start):
        found.append("a length written in more octets than needed")
    for field_tag, field_start, content_start, content_end in der.elements(data, tbs_start, tbs_end):
        if field_tag == 0xA3:
            found += _walk(data, field_start, content_end)
    return found


def _walk(data: bytes, begin: int, finish: int) -> list[str]:
    found: list[str] = []
    stack = [(begin, finish)]
    while stack:
        start, end = stack.pop()
        for tag, element_start, content_start, element_end in der.elements(data, start, end):
            if tag & 0x1F != 0x1F and content_start - element_start != _minimal_header(element_end - content_start):
                found.append("a length written in more octets than needed")
            if tag == 0x01 and data[content_start:element_end] not in (b"\x00", b"\xff"):
                found.append("a BOOLEAN other than 0x00 or 0xFF")
            if tag & 0x20:
                stack.append((content_start, element_end))
            elif tag == 0x04 and element_end - content_start > 2 and data[content_start] == 0x30:
                # extension values are DER inside OCTET STRINGs: look inside when they read as DER
                try:
                    inner_tag, inner_start, inner_end = der.read_header(data, content_start, element_end)
                except MalformedInput:
                    continue
                if inner_end == element_end and inner_tag == 0x30:
                    stack.append((content_start, element_end))
    return found


def _extension_deviations(cert: Certificate) -> list[str]:
    found: list[str] = []
    tbs = cert.tbs
    tag, start, end = der.read_header(tbs, 0)
    for field_tag, _, content_start, content_end in der.elements(tbs, start, end):
        if field_tag != 0xA3:
            continue
        _, seq_start, seq_end = der.read_header(tbs, content_start, content_end)
        for _, _, ext_start, ext_end in der.elements(tbs, seq_start, seq_end):
            parts = der.elements(tbs, ext_start, ext_end)
            if len(parts) == 3 and parts[1][0] == 0x01 and tbs[parts[1][2]:parts[1][3]] == b"\x00":
                found.append("an extension's DEFAULT critical FALSE written out")
    basic = cert.extensions.get(EXT_OID.BASIC_CONSTRAINTS)
    if basic is not None:
        value = basic.value
        _, body_start, body_end = der.read_header(value, 0)
        inner = der.elements(value, body_start, body_end)
        if inner and inner[0][0] == 0x01 and value[inner[0][2]:inner[0][3]] == b"\x00":
            found.append("basicConstraints' DEFAULT cA FALSE written out")
    for oid in _NAMED_BIT_LISTS:
        extension = cert.extensions.get(oid)
        if extension is None:
            continue
        value = extension.value
        bit_tag, bits_start, bits_end = der.read_header(value, 0)
        if bit_tag != 0x03 or bits_end - bits_start < 2:
            continue
        unused, last = value[bits_start], value[bits_end - 1]
        trailing = (last & -last).bit_length() - 1 if last else 8
        if last == 0 or trailing != unused:
            found.append(f"a named bit list ({'keyUsage' if oid == EXT_OID.KEY_USAGE else 'Netscape cert type'}) "
                         "with trailing zero bits")
    return found


__all__ = ["clear_der_cache", "der_deviations", "load_certificate"]
