"""Reading the inputs: files and directories in, :class:`Subject` objects (or reasons they are unreadable) out.

A file is PEM (every block is read: CERTIFICATE, X509 CRL, OCSP RESPONSE, or any label tried by
content), DER or base64 text, and a DER object is told apart by trying each parser in turn:
certificate, CRL, OCSP response, seal or seal signature (:func:`certmutual.seals.parse`). Nothing is
re-implemented here: the library's parsers decide. A file none of them reads becomes an
``input.readable`` finding; nothing an input holds makes the kit raise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from asn1crypto import pem

from certmutual.conformance.model import AppliesTo
from certmutual.conformance.subjects import Subject
from certmutual.errors import CertmutualError, MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.loading import MAX_FILE_BYTES, der_blocks
from certmutual.pki.ocsp_response import parse_response
from certmutual.seals import parse as parse_seal_or_signature
from certmutual.seals.model import Seal, SealSignature

MAX_FILES = 10_000
"""Files read from the directories given, at most (a vendor's sample is tens of files)."""

_PARSE_ERRORS = (CertmutualError, ValueError, TypeError, IndexError, KeyError, OverflowError, RecursionError)
"""What a parser may raise on hostile bytes (the library's own MalformedInput first; asn1crypto and
the standard library raise the others)."""


@dataclass(frozen=True)
class Unreadable:
    """An input no parser reads, and why."""

    label: str
    reason: str


def walk(paths: Iterable[str]) -> Iterator[str]:
    """The files of ``paths`` (directories recursively, sorted; hidden entries skipped)."""
    count = 0
    for path in paths:
        if os.path.isdir(path):
            for root, directories, files in os.walk(path):
                directories[:] = sorted(d for d in directories if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    count += 1
                    if count > MAX_FILES:
                        return
                    yield os.path.join(root, name)
        else:
            count += 1
            yield path


def read_inputs(paths: Iterable[str]) -> tuple[list[Subject], list[Unreadable]]:
    """Every object in ``paths`` (with the objects embedded in seals), certificates de-duplicated by
    their bytes; and the inputs that could not be read."""
    subjects: list[Subject] = []
    unreadable: list[Unreadable] = []
    seen_certificates: set[str] = set()
    for path in walk(paths):
        try:
            found = list(_read_file(path))
        except OSError as exc:
            unreadable.append(Unreadable(path, f"cannot read the file: {exc.strerror or exc}"))
            continue
        except _PARSE_ERRORS as exc:
            unreadable.append(Unreadable(path, str(exc) or type(exc).__name__))
            continue
        for item in found:
            if isinstance(item, Unreadable):
                unreadable.append(item)
                continue
            if item.certificate is not None:
                if item.certificate.sha256 in seen_certificates:
                    continue
                seen_certificates.add(item.certificate.sha256)
            subjects.append(item)
    return subjects, unreadable


def _read_file(path: str) -> Iterator[Subject | Unreadable]:
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        yield Unreadable(path, f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit for an input")
        return
    with open(path, "rb") as handle:
        data = handle.read()
    if not data.strip():
        yield Unreadable(path, "the file is empty")
        return
    if pem.detect(data):
        try:
            blocks = [der for _, _, der in pem.unarmor(data, multiple=True)]
        except ValueError as exc:
            yield Unreadable(path, f"unreadable PEM: {exc}")
            return
    else:
        try:
            blocks = der_blocks(data, set())
        except MalformedInput as exc:
            yield Unreadable(path, str(exc))
            return
    if not blocks:
        yield Unreadable(path, "no PEM block in the file")
    for index, block in enumerate(blocks):
        label = path if len(blocks) == 1 else f"{path}#{index + 1}"
        yield from classify(label, block)


def classify(label: str, data: bytes) -> Iterator[Subject | Unreadable]:
    """The object in ``data`` (and those embedded in it), or why no parser reads it."""
    failures: list[str] = []
    try:
        yield Subject.of_certificate(label, Certificate(data))
        return
    except _PARSE_ERRORS as exc:
        failures.append(f"certificate: {exc}")
    try:
        yield Subject(label, AppliesTo.CRL, crl=CertificateList(data))
        return
    except _PARSE_ERRORS as exc:
        failures.append(f"CRL: {exc}")
    try:
        yield Subject(label, AppliesTo.OCSP_RESPONSE, ocsp=parse_response(data))
        return
    except _PARSE_ERRORS as exc:
        failures.append(f"OCSP response: {exc}")
    try:
        parsed = parse_seal_or_signature(data)
    except _PARSE_ERRORS as exc:
        failures.append(f"seal: {exc}")
        yield Unreadable(label, "no parser reads it (" + "; ".join(_short(f) for f in failures) + ")")
        return
    if isinstance(parsed, SealSignature):
        yield Subject(label, AppliesTo.SEAL_SIGNATURE, seal_signature=parsed)
        yield from _certificate(f"{label}#signer", parsed.signer_certificate)
        yield from _seal_parts(f"{label}#seal", parsed.seal, Subject(f"{label}#seal", AppliesTo.SEAL, seal=parsed.seal))
    else:
        yield from _seal_parts(label, parsed, Subject(label, AppliesTo.SEAL, seal=parsed))


def _seal_parts(label: str, seal: Seal, subject: Subject) -> Iterator[Subject | Unreadable]:
    yield subject
    yield from _certificate(f"{label}#maker", seal.maker_certificate)
    for index, listed in enumerate(seal.info.certificates):
        yield from _certificate(f"{label}#listed{index + 1}", listed)


def _certificate(label: str, data: bytes) -> Iterator[Subject | Unreadable]:
    try:
        yield Subject.of_certificate(label, Certificate(data))
    except _PARSE_ERRORS as exc:
        yield Unreadable(label, f"embedded certificate: {_short(str(exc))}")


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["MAX_FILES", "Unreadable", "classify", "read_inputs", "walk"]
