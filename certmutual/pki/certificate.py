"""The certificate model: parsed with asn1crypto, signed bytes kept exactly as received.

:class:`Certificate` parses everything path validation needs once, at load, so that malformed input
fails early with :class:`MalformedInput` (which the layers above turn into the ``malformed`` reason)
rather than deep inside validation. It does not judge the certificate: checks live in
:mod:`certmutual.pki.checks`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from asn1crypto import core, x509

import certmutual.asn1  # noqa: F401  (registers SM OIDs with asn1crypto)
from certmutual.asn1 import der
from certmutual.asn1.oids import EXT_OID
from certmutual.crypto import registry
from certmutual.errors import MalformedInput

# Errors asn1crypto raises for bytes it cannot parse.
ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError, RecursionError)


@dataclass(frozen=True)
class Extension:
    oid: str
    critical: bool
    value: bytes
    """The DER inside the extnValue OCTET STRING."""


@dataclass(frozen=True)
class BasicConstraints:
    ca: bool
    path_len: int | None


def name_key(name: x509.Name) -> str:
    """The comparison key of a Name (RFC 5280 §7.1: case-insensitive, whitespace folded)."""
    return name.hashable


def describe_name(name: x509.Name) -> str:
    """A human-readable RFC 4514-style rendering; never raises."""
    try:
        parts = []
        for rdn in name.chosen:
            for atv in rdn:
                key = atv["type"].native
                value = atv["value"].native
                parts.append(f"{key}={value}")
        return ", ".join(parts) if parts else "(empty)"
    except ASN1_ERRORS:
        return "(unreadable name)"


class Certificate:
    """An X.509 certificate. Immutable after construction; safe to share between threads."""


    def __init__(self, data: bytes) -> None:
        """Parse DER ``data``. Raises :class:`MalformedInput` if it is not a readable certificate."""
        self.der = bytes(data)
        tbs, algorithm, signature = der.signed_parts(self.der)
        self.tbs = tbs
        self.sha256 = hashlib.sha256(self.der).hexdigest()
        try:
            self._parse(algorithm, signature)
        except MalformedInput:
            raise
        except ASN1_ERRORS as exc:
            raise MalformedInput(f"unreadable certificate: {exc}") from exc

    @classmethod
    def load(cls, data: bytes) -> "Certificate":
        return cls(data)

    def _parse(self, algorithm: bytes, signature: bytes) -> None:
        parsed = x509.Certificate.load(self.der, strict=True)
        self.parsed = parsed
        alg = x509.SignedDigestAlgorithm.load(algorithm, strict=True)
        self.signature_algorithm = alg["algorithm"].dotted
        params = alg["parameters"]
        self.signature_parameters = None if isinstance(params, core.Void) else params.dump()
        sig = core.BitString.load(signature, strict=True)
        if sig.contents[:1] != b"\x00":
            raise MalformedInput("signature BIT STRING has unused bits")
        self.signature = bytes(sig.contents[1:])

        tbs = x509.TbsCertificate.load(self.tbs, strict=True)
        self.version = int(tbs["version"].native[1:]) if tbs["version"].native else 1
        inner_alg = tbs["signature"]
        if inner_alg["algorithm"].dotted != self.signature_algorithm:
            raise MalformedInput("tbsCertificate.signature differs from signatureAlgorithm (RFC 5280 §4.1.1.2)")
        self.serial = tbs["serial_number"].native
        self.issuer = tbs["issuer"]
        self.subject = tbs["subject"]
        self.issuer_key = name_key(self.issuer)
        self.subject_key = name_key(self.subject)
        validity = tbs["validity"]
        self.not_before = _time(validity["not_before"])
        self.not_after = _time(validity["not_after"])
        self.spki = tbs["subject_public_key_info"].dump()

        self.extensions: dict[str, Extension] = {}
        raw_extensions = tbs["extensions"]
        if not isinstance(raw_extensions, core.Void) and len(raw_extensions) > 0:
            if self.version != 3:
                raise MalformedInput(f"extensions in a version {self.version} certificate (RFC 5280 §4.1.2.9)")
            for ext in raw_extensions:
                oid = ext["extn_id"].dotted
                if oid in self.extensions:
                    raise MalformedInput(f"extension {oid} appears twice (RFC 5280 §4.2)")
                self.extensions[oid] = Extension(oid, bool(ext["critical"].native), ext["extn_value"].contents)
        self._parse_extensions(tbs)

    def _parse_extensions(self, tbs: x509.TbsCertificate) -> None:
        exts = self.extensions
        self.basic_constraints = None
        if EXT_OID.BASIC_CONSTRAINTS in exts:
            bc = x509.BasicConstraints.load(exts[EXT_OID.BASIC_CONSTRAINTS].value, strict=True)
            self.basic_constraints = BasicConstraints(bool(bc["ca"].native), bc["path_len_constraint"].native)
        self.key_usage = None
        if EXT_OID.KEY_USAGE in exts:
            self.key_usage = frozenset(x509.KeyUsage.load(exts[EXT_OID.KEY_USAGE].value, strict=True).native)
        self.ext_key_usage = None
        if EXT_OID.EXTENDED_KEY_USAGE in exts:
            eku = x509.ExtKeyUsageSyntax.load(exts[EXT_OID.EXTENDED_KEY_USAGE].value, strict=True)
            self.ext_key_usage = frozenset(purpose.dotted for purpose in eku)
        self.subject_key_id = None
        if EXT_OID.SUBJECT_KEY_IDENTIFIER in exts:
            self.subject_key_id = core.OctetString.load(exts[EXT_OID.SUBJECT_KEY_IDENTIFIER].value, strict=True).native
        self.authority_key_id = None
        if EXT_OID.AUTHORITY_KEY_IDENTIFIER in exts:
            aki = x509.AuthorityKeyIdentifier.load(exts[EXT_OID.AUTHORITY_KEY_IDENTIFIER].value, strict=True)
            self.authority_key_id = aki["key_identifier"].native
        self.subject_alt_names = None
        if EXT_OID.SUBJECT_ALT_NAME in exts:
            san = x509.GeneralNames.load(exts[EXT_OID.SUBJECT_ALT_NAME].value, strict=True)
            san.native  # parse every name now so bad encodings fail at load
            self.subject_alt_names = san
        self.name_constraints = None
        if EXT_OID.NAME_CONSTRAINTS in exts:
            nc = x509.NameConstraints.load(exts[EXT_OID.NAME_CONSTRAINTS].value, strict=True)
            nc.native
            self.name_constraints = nc
        self.crl_distribution_points = None
        if EXT_OID.CRL_DISTRIBUTION_POINTS in exts:
            dps = x509.CRLDistributionPoints.load(exts[EXT_OID.CRL_DISTRIBUTION_POINTS].value, strict=True)
            dps.native
            self.crl_distribution_points = dps

    # -- derived facts -----------------------------------------------------------------------

    @functools.cached_property
    def public_key(self) -> registry.PublicKey:
        """The subject's key. Raises MalformedInput / UnsupportedAlgorithm (cached on success)."""
        return registry.load_public_key(self.spki)

    @property
    def is_self_issued(self) -> bool:
        """Subject and issuer are the same name (RFC 5280 §3.2); says nothing about the signature."""
        return self.subject_key == self.issuer_key

    @property
    def is_ca(self) -> bool:
        return self.basic_constraints is not None and self.basic_constraints.ca

    @functools.cached_property
    def subject_text(self) -> str:
        return describe_name(self.subject)

    @functools.cached_property
    def issuer_text(self) -> str:
        return describe_name(self.issuer)

    @property
    def serial_hex(self) -> str:
        serial = self.serial
        return ("-" if serial < 0 else "") + format(abs(serial), "X").rjust(2, "0")

    def critical_extension_oids(self) -> frozenset[str]:
        return frozenset(oid for oid, ext in self.extensions.items() if ext.critical)

    def __repr__(self) -> str:
        return f"<Certificate {self.subject_text!r} serial={self.serial_hex} sha256={self.sha256[:16]}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and other.der == self.der

    def __hash__(self) -> int:
        return hash(self.sha256)


def _time(value: Any) -> datetime.datetime:
    result = value.native
    if not isinstance(result, datetime.datetime):
        raise MalformedInput("unreadable validity time")
    if result.tzinfo is None:
        result = result.replace(tzinfo=datetime.timezone.utc)
    return result
