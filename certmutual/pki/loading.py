"""Reading certificates and CRLs from files: PEM bundles, DER files and directories."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TypeVar

from asn1crypto import pem

from certmutual.errors import MalformedInput
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList

T = TypeVar("T")

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Larger files are refused: no certificate bundle or CRL we accept comes near this."""

_CERT_LABELS = {"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"}
_CRL_LABELS = {"X509 CRL", "CRL"}


def read_bytes(path: str) -> bytes:
    """Read a file, refusing oversized ones. Raises OSError or MalformedInput."""
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise MalformedInput(f"{path}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit")
    with open(path, "rb") as handle:
        return handle.read()


def der_blocks(data: bytes, labels: set[str]) -> list[bytes]:
    """The DER blocks in ``data``: every PEM block with one of ``labels``, or ``data`` itself as DER."""
    if pem.detect(data):
        blocks = []
        try:
            for label, _, der_bytes in pem.unarmor(data, multiple=True):
                if label in labels:
                    blocks.append(der_bytes)
        except ValueError as exc:
            raise MalformedInput(f"unreadable PEM: {exc}") from exc
        return blocks
    stripped = data.strip()
    if stripped and stripped[:1] != b"\x30":
        # Base64 without PEM armour is common in Chinese vendor exports (.cer as text).
        import base64
        import binascii

        try:
            return [base64.b64decode(b"".join(stripped.split()), validate=True)]
        except (binascii.Error, ValueError):
            raise MalformedInput("neither DER, PEM nor base64") from None
    return [data]


def _load(path: str, labels: set[str], parse: Callable[[bytes], T]) -> list[T]:
    if os.path.isdir(path):
        found: list[T] = []
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            if os.path.isfile(full):
                try:
                    found.extend(_load(full, labels, parse))
                except MalformedInput:
                    continue  # a directory may hold other files; only explicit files must parse
        if not found:
            raise MalformedInput(f"{path}: no readable file of the expected kind in this directory")
        return found
    items = []
    try:
        blocks = der_blocks(read_bytes(path), labels)
    except MalformedInput as exc:
        raise MalformedInput(f"{path}: {exc}") from exc
    for block in blocks:
        try:
            items.append(parse(block))
        except MalformedInput as exc:
            raise MalformedInput(f"{path}: {exc}") from exc
    if not items:
        raise MalformedInput(f"{path}: nothing of the expected kind found")
    return items


def load_certificates(path: str) -> list[Certificate]:
    """Certificates from a PEM bundle, a DER file or a directory of such files."""
    return _load(path, _CERT_LABELS, Certificate)


def load_crls(path: str) -> list[CertificateList]:
    """CRLs from a PEM bundle, a DER file or a directory of such files."""
    return _load(path, _CRL_LABELS, CertificateList)


def load_all(paths: Iterable[str], loader: Callable[[str], list[T]]) -> list[T]:
    out: list[T] = []
    for path in paths:
        out.extend(loader(path))
    return out
