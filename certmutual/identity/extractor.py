"""From a certificate to an :class:`Identity`, through the issuing vendor's profile.

1. Choose the profile: a root or issuer fingerprint from the chain beats a certificate-policy OID,
   which beats an issuer-name pattern; with none, the fallback profile (GM/T 0015).
2. Run its rules in order. Every number is classified by its content, not by the slot it was found
   in (china-specs.md §2.4: vendors reuse slots loosely; since 三证合一 the 18-character credit code
   sits in organisation-code and tax-number slots alike). A number that fails its check digit is
   kept as *rejected* evidence, never used.
3. The first valid value of each field wins; a later, different valid value is a conflict.
4. If no rule found a number, every string in the certificate is classified by checksum alone and
   the identity is reported with low confidence.
Never raises for a parseable certificate: unreadable values are skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from asn1crypto import x509

from certmutual.asn1 import der
from certmutual.asn1.oids import EXT_OID
from certmutual.identity import codes
from certmutual.identity.model import (
    CertificateRole, Confidence, Conflict, EntityKind, Evidence, Identity,
)
from certmutual.identity.profiles import ProfileSet, Rule, VendorProfile
from certmutual.identity.regions import Province
from certmutual.identity.sources import Text, all_strings, attribute_name, extension_text, name_attributes, subject_attributes
from certmutual.pki.certificate import Certificate

NUMBER_FIELDS = ("credit_code", "id_number", "organization_code")
"""Fields with a check digit: classified by content, refused when the check fails."""
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]?([0-9A-Za-z]{18})(?![0-9A-Za-z])")
"""An 18-character run inside a longer string (a government seal CA's O is code + name), possibly
after a one-character type prefix (CFCA's ``N``/``0``)."""


def select_profile(cert: Certificate, profiles: ProfileSet, issuers: Sequence[str] = ()) -> VendorProfile | None:
    """The vendor profile that recognises ``cert``'s issuer (see the module docstring), or the
    fallback profile, or None. ``issuers``: SHA-256 fingerprints (hex) of the validated chain above
    ``cert``, issuer first and root last, when known."""
    above = [fingerprint for fingerprint in issuers if fingerprint != cert.sha256]
    issuer_attributes = name_attributes(cert.issuer_der)
    policies = _policy_oids(cert)
    best: tuple[int, VendorProfile] | None = None
    for profile in profiles.profiles:
        score = 0
        if above and (profile.root_sha256 & {above[-1]}):
            score = 4
        elif above and (profile.issuer_sha256 & {above[0]}):
            score = 3
        elif profile.policy_oids & policies:
            score = 2
        elif any(oid == match.attribute_oid and any(p.search(text.value) for p in match.patterns)
                 for match in profile.issuer for oid, text in issuer_attributes):
            score = 1
        if score and (best is None or score > best[0]):
            best = (score, profile)
    return best[1] if best else profiles.fallback


def identify(cert: Certificate, profiles: ProfileSet, issuers: Sequence[str] = ()) -> Identity:
    """The identity ``cert`` carries. ``issuers`` (fingerprints of the chain above it, issuer first;
    optional) lets root and issuer fingerprints choose the vendor profile."""
    profile = select_profile(cert, profiles, issuers)
    found = _Found()
    if profile is not None:
        subject = subject_attributes(cert)  # read once: several rules look at the subject
        for rule in profiles.rules_of(profile):
            for value, location in _rule_values(cert, subject, rule):
                found.apply(rule, value, location)
    from_profile = found.has_number()
    if not from_profile:
        _classify_every_string(cert, found)
    return found.identity(cert, profile, from_profile)


def role_of(cert: Certificate) -> CertificateRole:
    """Signing, encryption, both, or CA, from keyUsage (GM/T 0015 dual certificates)."""
    usage = cert.key_usage
    if cert.is_ca or (usage is not None and "key_cert_sign" in usage):
        return CertificateRole.CA
    if usage is None:
        return CertificateRole.DUAL
    signs = bool(usage & {"digital_signature", "non_repudiation"})
    enciphers = bool(usage & {"key_encipherment", "data_encipherment", "key_agreement"})
    if signs and not enciphers:
        return CertificateRole.SIGNING
    if enciphers and not signs:
        return CertificateRole.ENCRYPTION
    return CertificateRole.DUAL


def _policy_oids(cert: Certificate) -> frozenset[str]:
    extension = cert.extensions.get(EXT_OID.CERTIFICATE_POLICIES)
    return frozenset() if extension is None else _policy_oids_of(extension.value)


@functools.lru_cache(maxsize=512)
def _policy_oids_of(value: bytes) -> frozenset[str]:
    # Memoised by the extension's bytes: a CA writes the same policies into every leaf it issues.
    try:
        return frozenset(info["policy_identifier"].dotted for info in der.load(x509.CertificatePolicies, value))
    except der.ASN1_ERRORS:
        return frozenset()


def _rule_values(cert: Certificate, subject: list[tuple[str, Text]], rule: Rule) -> list[tuple[Text, str]]:
    if rule.source == "subject":
        return [(text, f"subject {attribute_name(oid)}") for oid, text in subject if oid == rule.attribute_oid]
    assert rule.extension_oid is not None
    extension = cert.extensions.get(rule.extension_oid)
    if extension is None:
        return []
    text = extension_text(extension.value, rule.encoding)
    return [] if text is None else [(text, f"extension {rule.extension_oid}")]


@dataclass
class _Found:
    """Evidence gathered so far, field by field, in rule order."""

    accepted: dict[str, list[Evidence]] = field(default_factory=dict)
    rejected: list[Evidence] = field(default_factory=list)
    kinds: list[EntityKind] = field(default_factory=list)

    def has_number(self) -> bool:
        return any(self.accepted.get(name) for name in NUMBER_FIELDS)

    def apply(self, rule: Rule, text: Text, location: str) -> None:
        source = f"{location} ({text.encoding})"
        if rule.search_codes:
            for candidate in find_codes(text.value):
                self.offer("code", candidate, source + ", found by checksum", rule.label)
        elif rule.pattern is None:
            assert rule.field is not None
            self.offer(rule.field, text.value, source, rule.label)
        else:
            match = rule.pattern.search(text.value)
            if match is None:
                return
            source += f", pattern /{rule.pattern.pattern}/"
            for name, value in match.groupdict().items():
                if value:
                    self.offer(name, value, source, rule.label)
        if rule.kind is not None:
            self.kinds.append(rule.kind)

    def offer(self, declared: str, raw: str, source: str, rule: str) -> None:
        value = raw.strip()
        if not value:
            return
        if declared == "name":
            self._accept(Evidence("name", value, source, rule))
            return
        kind = _declared_kind(declared, value) or codes.classify(value)
        if kind is codes.CodeKind.CREDIT_CODE:
            self._accept(Evidence("credit_code", codes.normalise_credit_code(value) or value, source, rule, True))
        elif kind is codes.CodeKind.ID_NUMBER:
            self._accept(Evidence("id_number", codes.normalise_id_number(value) or value, source, rule, True))
        elif kind is codes.CodeKind.ORGANIZATION_CODE:
            self._accept(Evidence("organization_code", value.replace("-", "").upper(), source, rule, True))
        elif declared in NUMBER_FIELDS or (declared == "code" and len(value) == 18):
            if not any(item.value == value and item.source == source for item in self.rejected):
                self.rejected.append(Evidence(declared, value, source, rule, False))
        elif declared != "code":  # registration and tax numbers have no check digit to test
            self._accept(Evidence(declared, value, source, rule))

    def _accept(self, evidence: Evidence) -> None:
        items = self.accepted.setdefault(evidence.field, [])
        # A vendor rule and an inherited generic rule may read the same place: one piece of evidence.
        if not any(item.value == evidence.value and item.source == evidence.source for item in items):
            items.append(evidence)

    def identity(self, cert: Certificate, profile: VendorProfile | None, from_profile: bool) -> Identity:
        chosen: dict[str, str] = {}
        evidence: list[Evidence] = []
        conflicts: list[Conflict] = []
        for name, items in self.accepted.items():
            first = items[0]
            chosen[name] = first.value
            if name == "name":
                evidence.append(first)  # later name rules are alternatives, not disagreements
                continue
            evidence.extend(items)
            distinct = {item.value for item in items}
            if len(distinct) > 1:
                conflicts.append(Conflict(name, tuple(items)))
        credit_code = chosen.get("credit_code")
        organization_code = chosen.get("organization_code")
        if credit_code and organization_code and credit_code[8:17] != organization_code:
            conflicts.append(Conflict("organization_code", tuple(
                [*self.accepted["organization_code"], *self.accepted["credit_code"]])))
        if credit_code and not organization_code:
            organization_code = credit_code[8:17]
        id_number = chosen.get("id_number")
        kind = self._kind(credit_code, id_number)
        if not (credit_code or id_number or organization_code):
            confidence = Confidence.NONE
        elif not from_profile:
            confidence = Confidence.LOW
        elif profile is None or profile.fallback or conflicts or self.rejected:
            confidence = Confidence.MEDIUM
        else:
            confidence = Confidence.HIGH
        return Identity(
            kind=kind, credit_code=credit_code, id_number=id_number, organization_code=organization_code,
            ic_registration_number=chosen.get("ic_registration_number"), tax_number=chosen.get("tax_number"),
            name=chosen.get("name"), region=_region(credit_code, id_number),
            vendor=profile.id if profile is not None and not profile.fallback else None, role=role_of(cert),
            confidence=confidence, evidence=tuple(evidence), conflicts=tuple(conflicts), rejected=tuple(self.rejected),
        )

    def _kind(self, credit_code: str | None, id_number: str | None) -> EntityKind:
        """The credit code's registration-authority digits are the most exact source; a profile's
        kind rule (CFCA's OU, Anzhengtong's GN) decides when the numbers do not."""
        if credit_code:
            kind = EntityKind(codes.credit_code_entity_kind(credit_code))
            if kind is not EntityKind.UNKNOWN:
                return kind
        if id_number and not credit_code:
            return EntityKind.INDIVIDUAL
        return self.kinds[0] if self.kinds else EntityKind.UNKNOWN


def _region(credit_code: str | None, id_number: str | None) -> Province | None:
    """The province of the registering authority (credit code) or of first registration (ID)."""
    division = credit_code[2:8] if credit_code else (id_number[:6] if id_number else None)
    return None if division is None else codes.province_of(division)


def _declared_kind(declared: str, value: str) -> codes.CodeKind | None:
    """A value valid as the field its slot declares is taken as that (an 18-character string can pass
    both the credit-code and the ID-number checks); otherwise its content decides."""
    if declared == "credit_code" and codes.is_valid_credit_code(value):
        return codes.CodeKind.CREDIT_CODE
    if declared == "id_number" and codes.is_valid_id_number(value):
        return codes.CodeKind.ID_NUMBER
    return None


def find_codes(text: str) -> list[str]:
    """Credit codes and ID numbers inside free text: 18-character runs (after at most one type
    character, as in CFCA's ``N``/``0``) that pass their check. A credit code must also embed a valid
    organisation code: over arbitrary strings one run in 31 passes the check character alone.
    A 9-character organisation code is never taken this way (one random run in eleven passes)."""
    found = []
    for candidate in _CANDIDATE.findall(text):
        kind = codes.classify(candidate)
        if kind is codes.CodeKind.ID_NUMBER or (
                kind is codes.CodeKind.CREDIT_CODE and codes.credit_code_has_valid_organization_code(candidate)):
            found.append(candidate)
    return found


def _classify_every_string(cert: Certificate, found: _Found) -> None:
    """The fallback: every credit code or ID number in any string of the certificate."""
    for location, text in all_strings(cert):
        for candidate in find_codes(text.value):
            found.offer("code", candidate, f"{location} ({text.encoding}), found by checksum", "fallback")
