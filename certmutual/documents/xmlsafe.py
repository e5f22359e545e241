"""Parsing the XML parts of a package without letting them do anything.

defusedxml's parser refuses document type declarations outright (so no entity can be declared:
no XXE, no billion laughs, no external DTD fetch), entity references and external references. On
top of that the tree builder counts: nesting deeper than :attr:`ContainerLimits.max_xml_depth` or
more than :attr:`ContainerLimits.max_xml_elements` elements ends the parse, and a part larger than
:attr:`ContainerLimits.max_xml_bytes` is not parsed at all. Every refusal is a
:class:`PackageRefused` with ``xml_refused``.

Elements are matched by local name: producers disagree on namespace prefixes, and some omit the
OFD namespace (``http://www.ofdspec.org/2016``) altogether.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

from certmutual.documents.container import ContainerLimits, PackageRefused
from certmutual.results import ReasonCode

_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_EXPAT_ENCODINGS = frozenset({"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"})


class _BoundedBuilder(ET.TreeBuilder):
    def __init__(self, limits: ContainerLimits) -> None:
        super().__init__()
        self._limits = limits
        self._depth = 0
        self._count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self._depth += 1
        self._count += 1
        if self._depth > self._limits.max_xml_depth:
            raise _TooBig(f"XML nested deeper than {self._limits.max_xml_depth} levels")
        if self._count > self._limits.max_xml_elements:
            raise _TooBig(f"more than {self._limits.max_xml_elements} XML elements")
        return super().start(tag, attrs)

    def end(self, tag: str) -> ET.Element:
        self._depth -= 1
        return super().end(tag)


class _TooBig(Exception):
    pass


def parse_xml(data: bytes, where: str, limits: ContainerLimits) -> ET.Element:
    """The root element of the XML part ``where`` (a package path, for messages)."""
    if len(data) > limits.max_xml_bytes:
        raise PackageRefused(ReasonCode.XML_REFUSED, f"XML part of {len(data)} bytes (at most {limits.max_xml_bytes})", where)
    data = _as_expat_encoding(data, where)
    parser = DefusedXMLParser(target=_BoundedBuilder(limits), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DefusedXmlException as exc:
        raise PackageRefused(ReasonCode.XML_REFUSED, f"forbidden XML construct: {exc!r}", where) from exc
    except _TooBig as exc:
        raise PackageRefused(ReasonCode.XML_REFUSED, str(exc), where) from exc
    except (ET.ParseError, ValueError, LookupError, RecursionError) as exc:
        raise PackageRefused(ReasonCode.XML_REFUSED, f"not well-formed XML: {exc}", where) from exc
    return root


def _as_expat_encoding(data: bytes, where: str) -> bytes:
    """Expat reads UTF-8/16 and Latin-1 only; a part declared in GBK or GB18030 is decoded here
    and handed over as UTF-8 (only the parse sees this; digests are over the original bytes)."""
    declared = _DECLARED_ENCODING.match(data[:200])
    if declared is None:
        return data
    encoding = declared.group(1).decode("ascii").lower()
    if encoding in _EXPAT_ENCODINGS:
        return data
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise PackageRefused(ReasonCode.XML_REFUSED, f"XML declared as {encoding} does not decode: {exc}", where) from exc
    start, end = declared.span(1)
    return (data[:start].decode("ascii") + "UTF-8" + text[len(data[:end].decode(encoding)):]).encode("utf-8")


def local(tag: Any) -> str:
    """An element's name without its namespace."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children called ``name`` (any namespace)."""
    return (child for child in element if local(child.tag) == name)


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next(children(element, name), None)


def text(element: ET.Element | None) -> str | None:
    """The element's text, stripped; None for an absent or empty element."""
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by local name (producers sometimes prefix them)."""
    value = element.get(name)
    if value is None:
        for key, candidate in element.attrib.items():
            if local(key) == name:
                value = candidate
                break
    return value.strip() if value is not None else None
