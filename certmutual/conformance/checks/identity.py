"""The market entity in the profile's place, with valid check digits; signing/encryption pairs.

Sources: GM/T 0015-2012 identity extensions (1.2.156.10260.4.1.x; china-specs §2.2, §2.3), GB 32100-2015
(credit code check character), GB 11643-1999 (ID number check digit), GB 11714 (organisation code),
GM/T 0015 dual certificates (china-specs §2.6). The places are the profile's ``identity_extensions``
and ``identity_subject_attributes``: the province reads the entity there, not in vendor-specific CN
layouts.
"""

from __future__ import annotations

import datetime

from certmutual.conformance.model import AppliesTo, END_ENTITY_KINDS
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject
from certmutual.identity import codes
from certmutual.identity.sources import ATTRIBUTE_OIDS, Encoding, extension_text, subject_attributes
from certmutual.pki.certificate import Certificate, names_equivalent


def identity_values(cert: Certificate, params: Params) -> list[tuple[str, str | None]]:
    """(place, text) of each of the profile's identity places the certificate fills (text None:
    the value does not read as a string)."""
    found: list[tuple[str, str | None]] = []
    for oid in params.strings("identity_extensions"):
        extension = cert.extensions.get(oid)
        if extension is not None:
            text = extension_text(extension.value, Encoding.ANY)
            found.append((f"extension {oid}", None if text is None else text.value))
    wanted = {ATTRIBUTE_OIDS.get(name, name): name for name in params.strings("identity_subject_attributes")}
    for oid, text in subject_attributes(cert):
        if oid in wanted:
            found.append((f"subject {wanted[oid]}", text.value))
    return found


@check("profile.identity_present", *END_ENTITY_KINDS)
def identity_present(subject: Subject, sample: Sample, params: Params) -> list[str]:
    if identity_values(subject.cert(), params):
        return []
    places = [*params.strings("identity_extensions"), *(f"subject {a}" for a in params.strings("identity_subject_attributes"))]
    return [f"the entity's credit code or ID number is in none of the profile's places ({', '.join(places)})"]


@check("gmt0015.identity_check_digit", *END_ENTITY_KINDS)
def identity_check_digit(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    values = identity_values(subject.cert(), params)
    if not values:
        return None
    found = []
    for place, text in values:
        if text is None:
            found.append(f"{place} does not hold a readable string")
        elif codes.classify(text) is codes.CodeKind.NONE:
            found.append(f"{place} holds {text!r}: not a credit code (GB 32100), ID number (GB 11643) or "
                         "organisation code (GB 11714) with a valid check character")
    return found


@check("gmt0015.pair_consistency", AppliesTo.ENCRYPTION_CERT)
def pair_consistency(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    cert = subject.cert()
    partners = [other.cert() for other in sample.certificates if other.kind is AppliesTo.SIGNING_CERT
                and names_equivalent(other.cert().subject_der, cert.subject_der)
                and names_equivalent(other.cert().issuer_der, cert.issuer_der)]
    if not partners:
        return None
    tolerance = datetime.timedelta(days=params.integer("pair_validity_tolerance_days"))
    problems: list[str] = []
    for partner in partners:
        problems = []
        if partner.spki == cert.spki:
            problems.append(f"the encryption certificate has the same key as its signing certificate "
                            f"(serial {partner.serial_hex}): GM/T 0015 pairs use two keys")
        if abs(partner.not_before - cert.not_before) > tolerance or abs(partner.not_after - cert.not_after) > tolerance:
            problems.append(f"validity differs from the signing certificate's (serial {partner.serial_hex}) by more "
                            f"than {tolerance.days} day(s)")
        if not problems:
            return []
    return problems
