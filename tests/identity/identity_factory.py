"""Certificates in every vendor's identity encoding, built by the test PKI (nothing from disk).

Codes are computed with their check characters, so a test can also break exactly one character.
The ID numbers are synthetic (the GB 11643 worked example's prefix), not real people's.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from asn1crypto import core

from certmutual.identity import codes
from certmutual.pki.builder import KeyKind, RawExtension, SigningKey, issue_certificate, name
from certmutual.pki.certificate import Certificate

UTC = datetime.timezone.utc
NOW = datetime.datetime(2025, 6, 1, tzinfo=UTC)
_KEYS: dict[str, SigningKey] = {}


def key(label: str) -> SigningKey:
    if label not in _KEYS:
        _KEYS[label] = SigningKey.generate(KeyKind.P256)
    return _KEYS[label]


def credit_code(authority_and_type: str, division: str, organization_body: str) -> str:
    """A valid credit code: 2 registration chars + 6 division digits + a valid organisation code."""
    organization = organization_body + codes.organization_code_check_character(organization_body)
    first17 = authority_and_type + division + organization
    return first17 + codes.credit_code_check_character(first17)


def id_number(first17: str) -> str:
    return first17 + codes.id_number_check_character(first17)


def broken(code: str) -> str:
    """The same code with its check character replaced by another allowed one."""
    last = code[-1]
    return code[:-1] + ("1" if last != "1" else "2")


ENTERPRISE_CODE = credit_code("91", "440300", "70846113")   # Shenzhen enterprise
OTHER_ENTERPRISE_CODE = credit_code("91", "110108", "75673041")
INSTITUTION_CODE = credit_code("11", "370306", "MB286752")   # a government body in Zibo
PERSON_ID = id_number("11010519491231002")                   # Beijing, born 1949-12-31


def printable(text: str) -> bytes:
    return core.PrintableString(text).dump()


def utf8(text: str) -> bytes:
    return core.UTF8String(text).dump()


def leaf(issuer: Mapping[str, str], subject: Sequence[tuple[str, str]] | Mapping[str, str], *,
         extensions: Sequence[tuple[str, bytes]] = (), key_usage: Sequence[str] = ("digital_signature", "non_repudiation"),
         subject_key: str = "leaf") -> Certificate:
    """A leaf under an issuer named ``issuer`` with identity ``extensions`` (OID, encoded value)."""
    return issue_certificate(
        subject=name(subject), issuer=name(issuer), subject_key=key(subject_key), issuer_key=key("ca:" + repr(sorted(issuer.items()))),
        not_before=NOW - datetime.timedelta(days=30), not_after=NOW + datetime.timedelta(days=365),
        key_usage=set(key_usage), extra_extensions=[RawExtension(oid, False, value) for oid, value in extensions],
    )
