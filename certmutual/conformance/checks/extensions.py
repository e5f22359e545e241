"""Required extensions and subject name encoding.

Sources: RFC 5280 §4.2.1.1 (authorityKeyIdentifier: MUST, except in self-signed CA certificates),
§4.2.1.2 (subjectKeyIdentifier: MUST in CA certificates, SHOULD in others; the profile requires it in
all), §4.2.1.13 (cRLDistributionPoints), §4.2.2.1 (authorityInfoAccess, id-ad-ocsp), §4.2.1.4
(certificatePolicies), §4.1.2.4 and §4.1.2.6 (DirectoryString: PrintableString or UTF8String; countryName
PrintableString SIZE(2)). GB/T 20518-2018 carries the same profile into the national standard.
"""

from __future__ import annotations

from asn1crypto import x509

from certmutual.asn1 import der
from certmutual.asn1.oids import EXT_OID
from certmutual.conformance.model import CERTIFICATE_KINDS, END_ENTITY_KINDS
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject, is_root
from certmutual.errors import MalformedInput
from certmutual.identity.sources import STRING_TAGS, attribute_name
from certmutual.pki.ocsp import ocsp_urls

_PRINTABLE, _UTF8, _IA5 = 0x13, 0x0C, 0x16
_ATTRIBUTE_STRING_TYPES = {
    "2.5.4.6": frozenset({_PRINTABLE}),  # countryName
    "2.5.4.5": frozenset({_PRINTABLE}),  # serialNumber
    "1.2.840.113549.1.9.1": frozenset({_IA5}),  # emailAddress
    "0.9.2342.19200300.100.1.25": frozenset({_IA5}),  # domainComponent
}
_DIRECTORY_STRING = frozenset({_PRINTABLE, _UTF8})


@check("rfc5280.aki_present", *CERTIFICATE_KINDS)
def aki_present(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    cert = subject.cert()
    if is_root(cert):
        return None
    return [] if cert.authority_key_id else ["no authorityKeyIdentifier with a keyIdentifier"]


@check("rfc5280.ski_present", *CERTIFICATE_KINDS)
def ski_present(subject: Subject, sample: Sample, params: Params) -> list[str]:
    return [] if subject.cert().subject_key_id else ["no subjectKeyIdentifier"]


@check("profile.crl_distribution_points", *CERTIFICATE_KINDS)
def crl_distribution_points(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    cert = subject.cert()
    if is_root(cert):
        return None
    points = cert.crl_distribution_points
    if points is None:
        return ["no cRLDistributionPoints extension"]
    for point in points:
        name = point["distribution_point"]
        if name.native is not None and name.name == "full_name" and any(
                general.name == "uniform_resource_identifier" for general in name.chosen):
            return []
    return ["cRLDistributionPoints names no URI to fetch the CRL from"]


@check("profile.aia_ocsp", *END_ENTITY_KINDS)
def aia_ocsp(subject: Subject, sample: Sample, params: Params) -> list[str]:
    try:
        urls = ocsp_urls(subject.cert())
    except MalformedInput as exc:
        return [f"authorityInfoAccess does not read: {exc}"]
    if urls:
        return []
    present = EXT_OID.AUTHORITY_INFO_ACCESS in subject.cert().extensions
    return ["authorityInfoAccess has no id-ad-ocsp URI" if present else "no authorityInfoAccess extension (OCSP)"]


@check("profile.certificate_policies", *CERTIFICATE_KINDS)
def certificate_policies(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    cert = subject.cert()
    if is_root(cert):
        return None
    extension = cert.extensions.get(EXT_OID.CERTIFICATE_POLICIES)
    if extension is None:
        return ["no certificatePolicies extension"]
    policies = der.load(x509.CertificatePolicies, extension.value)
    return [] if len(policies) else ["certificatePolicies lists no policy"]


@check("rfc5280.subject_string_types", *CERTIFICATE_KINDS)
def subject_string_types(subject: Subject, sample: Sample, params: Params) -> list[str]:
    found = []
    for oid, tag, length in _subject_values(subject.cert().subject_der):
        allowed = _ATTRIBUTE_STRING_TYPES.get(oid, _DIRECTORY_STRING)
        type_name = STRING_TAGS.get(tag, (f"tag 0x{tag:02x}", ""))[0]
        if tag not in allowed:
            expected = " or ".join(STRING_TAGS[t][0] for t in sorted(allowed))
            found.append(f"subject {attribute_name(oid)} is a {type_name}: {expected} is required")
        elif oid == "2.5.4.6" and length != 2:
            found.append(f"subject C has {length} characters: a two-letter country code is required")
    return found


def _subject_values(name: bytes) -> list[tuple[str, int, int]]:
    """(attribute OID, value tag, value length) of each attribute of a Name's DER."""
    values = []
    _, start, end = der.read_header(name, 0)
    for _, _, set_start, set_end in der.elements(name, start, end):
        for _, _, atv_start, atv_end in der.elements(name, set_start, set_end):
            parts = der.elements(name, atv_start, atv_end)
            if len(parts) == 2 and parts[0][0] == 0x06:
                oid = der.decode_oid(name[parts[0][2]:parts[0][3]])
                values.append((oid, parts[1][0], parts[1][3] - parts[1][2]))
    return values
