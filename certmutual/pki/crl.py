"""Certificate revocation lists (RFC 5280 §5, §6.3): the model and the in-scope/freshness checks.

This module never fetches: CRLs are inputs. Fetching and caching belong to a revocation source
that the façade runs before validation.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from asn1crypto import core, x509
from asn1crypto import crl as asn1_crl

from certmutual.asn1 import der
from certmutual.asn1.oids import EXT_OID
from certmutual.errors import MalformedInput
from certmutual.asn1.der import ASN1_ERRORS
from certmutual.pki.certificate import Certificate, describe_name, names_equivalent

# CRL extensions we process; a critical one outside this set makes the CRL unusable (§5.2).
_UNDERSTOOD_CRL_EXTENSIONS = frozenset({
    EXT_OID.AUTHORITY_KEY_IDENTIFIER, EXT_OID.CRL_NUMBER, EXT_OID.ISSUING_DISTRIBUTION_POINT,
})
_UNDERSTOOD_ENTRY_EXTENSIONS = frozenset({EXT_OID.CRL_REASON, EXT_OID.INVALIDITY_DATE})


@dataclass(frozen=True)
class RevokedEntry:
    serial: int
    revoked_at: datetime.datetime
    reason: str | None


class CertificateList:
    """A parsed CRL. Signed bytes are kept as received."""

    def __init__(self, data: bytes) -> None:
        self.der = bytes(data)
        self.tbs, self.signature_algorithm, self.signature_parameters, self.signature = der.signed_structure(self.der)
        self.sha256 = hashlib.sha256(self.der).hexdigest()
        try:
            self._parse()
        except MalformedInput:
            raise
        except ASN1_ERRORS as exc:
            raise MalformedInput(f"unreadable CRL: {exc}") from exc

    def _parse(self) -> None:
        tbs = der.load(asn1_crl.TbsCertList, self.tbs)
        self.version = 2 if tbs["version"].native == "v2" else 1
        if tbs["signature"]["algorithm"].dotted != self.signature_algorithm:
            raise MalformedInput("tbsCertList.signature differs from signatureAlgorithm (RFC 5280 §5.1.1.2)")
        self.issuer = tbs["issuer"]
        self.issuer_der = self.issuer.dump()
        self.issuer_text = describe_name(self.issuer)
        self.this_update = _as_utc(tbs["this_update"].native)
        next_update = tbs["next_update"]
        self.next_update = None if isinstance(next_update, core.Void) or next_update.native is None else _as_utc(next_update.native)

        self.extensions: dict[str, tuple[bool, bytes]] = {}
        for ext in tbs["crl_extensions"] or []:
            oid = ext["extn_id"].dotted
            if oid in self.extensions:
                raise MalformedInput(f"CRL extension {oid} appears twice")
            self.extensions[oid] = (bool(ext["critical"].native), ext["extn_value"].contents)
        if self.extensions and self.version != 2:
            raise MalformedInput("extensions in a version 1 CRL")
        self.crl_number = None
        if EXT_OID.CRL_NUMBER in self.extensions:
            self.crl_number = der.load(core.Integer, self.extensions[EXT_OID.CRL_NUMBER][1]).native
        self.authority_key_id = None
        if EXT_OID.AUTHORITY_KEY_IDENTIFIER in self.extensions:
            aki = der.load(x509.AuthorityKeyIdentifier, self.extensions[EXT_OID.AUTHORITY_KEY_IDENTIFIER][1])
            self.authority_key_id = aki["key_identifier"].native
        self.issuing_distribution_point = None
        if EXT_OID.ISSUING_DISTRIBUTION_POINT in self.extensions:
            idp = der.load(asn1_crl.IssuingDistributionPoint, self.extensions[EXT_OID.ISSUING_DISTRIBUTION_POINT][1])
            idp.native
            self.issuing_distribution_point = idp

        self.revoked: dict[int, RevokedEntry] = {}
        self.unusable_entry_extension: str | None = None
        for entry in tbs["revoked_certificates"] or []:
            serial = entry["user_certificate"].native
            reason = None
            for ext in entry["crl_entry_extensions"] or []:
                oid = ext["extn_id"].dotted
                if oid == EXT_OID.CRL_REASON:
                    reason = ext["extn_value"].parsed.native
                elif oid == EXT_OID.CERTIFICATE_ISSUER or (ext["critical"].native and oid not in _UNDERSTOOD_ENTRY_EXTENSIONS):
                    # certificateIssuer only appears in indirect CRLs, which we do not support.
                    self.unusable_entry_extension = oid
            self.revoked[serial] = RevokedEntry(serial, _as_utc(entry["revocation_date"].native), reason)

    def unusable_because(self) -> str | None:
        """Why this CRL cannot be relied on at all (structure, not scope or time), or None."""
        if self.crl_number is None:
            return "CRL has no cRLNumber (RFC 5280 §5.2.3)"
        if self.extensions[EXT_OID.CRL_NUMBER][0]:
            return "cRLNumber is marked critical (RFC 5280 §5.2.3)"
        if EXT_OID.DELTA_CRL_INDICATOR in self.extensions:
            return "delta CRLs are not supported"
        for oid, (critical, _) in self.extensions.items():
            if critical and oid not in _UNDERSTOOD_CRL_EXTENSIONS:
                return f"unsupported critical CRL extension {oid}"
        if self.unusable_entry_extension:
            return f"unsupported CRL entry extension {self.unusable_entry_extension}"
        idp = self.issuing_distribution_point
        if idp is not None and (idp["indirect_crl"].native or idp["only_some_reasons"].native is not None):
            return "indirect or partial-reason CRLs are not supported"
        return None

    def covers(self, cert: Certificate) -> bool:
        """Whether ``cert`` is in this CRL's scope (RFC 5280 §6.3.3 b): same issuer name, and the
        issuing distribution point (if any) agrees with the certificate."""
        if not names_equivalent(self.issuer_der, cert.issuer_der):
            return False
        idp = self.issuing_distribution_point
        if idp is None:
            return True
        if idp["only_contains_user_certs"].native and cert.is_ca:
            return False
        if idp["only_contains_ca_certs"].native and not cert.is_ca:
            return False
        if idp["only_contains_attribute_certs"].native:
            return False
        idp_name = idp["distribution_point"]
        if idp_name.native is None:
            return True
        if idp_name.name != "full_name" or cert.crl_distribution_points is None:
            return False
        crl_names = {name.dump() for name in idp_name.chosen}
        for point in cert.crl_distribution_points:
            dp_name = point["distribution_point"]
            if dp_name.native is not None and dp_name.name == "full_name":
                if crl_names & {name.dump() for name in dp_name.chosen}:
                    return True
        return False

    def __repr__(self) -> str:
        return f"<CertificateList issuer={self.issuer_text!r} number={self.crl_number}>"


def _as_utc(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
