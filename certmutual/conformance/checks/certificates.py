"""Certificate fields: serial numbers, validity caps, key usage per role, basicConstraints.

Sources: RFC 5280 §4.1.2.2 (serialNumber: positive, at most 20 octets, unique per CA), §4.1.2.5
(validity), §4.2.1.3 (keyUsage), §4.2.1.9 (basicConstraints); GM/T 0015-2012 (dual certificates: one
key signs, the other enciphers; china-specs §2.6); the profile's serial-entropy and validity caps.
"""

from __future__ import annotations

from collections import defaultdict

from certmutual.asn1.oids import EXT_OID, SM_OID
from certmutual.conformance.model import AppliesTo, CERTIFICATE_KINDS
from certmutual.conformance.profile import Params
from certmutual.conformance.registry import check
from certmutual.conformance.subjects import Sample, Subject, is_root
from certmutual.crypto.sm2 import DEFAULT_USER_ID
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.signatures import check_signed_by

SIGNING_USAGES = frozenset({"digital_signature", "non_repudiation"})
ENCIPHERING_USAGES = frozenset({"key_encipherment", "data_encipherment", "key_agreement"})
CA_USAGES = frozenset({"key_cert_sign", "crl_sign"})


def serial_octets(serial: int) -> int:
    """Content octets of the serial's DER INTEGER."""
    return serial.bit_length() // 8 + 1 if serial >= 0 else (-serial - 1).bit_length() // 8 + 1


def sample_signature_findings(signed: Certificate | CertificateList, sample: Sample, what: str) -> list[str] | None:
    """The signature of a certificate or CRL judged against the issuers named in the sample (a root
    against itself): None when the sample holds none, [] when one verifies. The kit checks what a
    vendor submits; the verifier decides chains to the province's anchors."""
    issuers = sample.issuers_named(signed.issuer_der, signed.authority_key_id)
    if not issuers:
        return None
    failures = []
    for issuer in issuers:
        bad = check_signed_by(signed, issuer, sm2_user_id=DEFAULT_USER_ID, allow_weak=True, cache=None, what=what)
        if bad is None:
            return []
        if signed.signature_algorithm == SM_OID.SM2_WITH_SM3 and check_signed_by(
                signed, issuer, sm2_user_id=b"", allow_weak=True, cache=None, what=what) is None:
            # A known interoperability trap: OpenSSL 3.0 signs SM2 objects with an empty user ID.
            return ["the SM2 signature verifies only with an empty user ID in Z_A, not the default "
                    "1234567812345678 of GM/T 0009 (as OpenSSL 3.0 signs by default): other verifiers reject it"]
        failures.append(bad.message)
    return [f"the signature does not verify with the issuer in the sample: {failures[0]}"]


@check("rfc5280.certificate_signature", *CERTIFICATE_KINDS)
def certificate_signature(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    return sample_signature_findings(subject.cert(), sample, "certificate")


@check("rfc5280.serial_positive", *CERTIFICATE_KINDS)
def serial_positive(subject: Subject, sample: Sample, params: Params) -> list[str]:
    serial = subject.cert().serial
    return [] if serial > 0 else [f"serialNumber is {serial}: it must be a positive integer"]


@check("profile.serial_entropy", *CERTIFICATE_KINDS)
def serial_entropy(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    serial = subject.cert().serial
    if serial <= 0:
        return None
    octets = serial_octets(serial)
    minimum = params.integer("min_serial_octets")
    if octets < minimum:
        return [f"serialNumber {subject.cert().serial_hex} has {octets} octets: at least {minimum} "
                f"({8 * minimum} bits, most of them random) are required"]
    return []


@check("rfc5280.serial_length", *CERTIFICATE_KINDS)
def serial_length(subject: Subject, sample: Sample, params: Params) -> list[str]:
    octets = serial_octets(subject.cert().serial)
    maximum = params.integer("max_serial_octets")
    return [f"serialNumber is {octets} octets long: at most {maximum} are allowed"] if octets > maximum else []


@check("profile.serial_unique", *CERTIFICATE_KINDS)
def serial_unique(subject: Subject, sample: Sample, params: Params) -> list[str]:
    key = ("serials", "")
    groups = sample.memo.get(key)
    if not isinstance(groups, dict):
        built: dict[tuple[str, int], list[str]] = defaultdict(list)
        for other in sample.certificates:
            cert = other.cert()
            built[(cert.issuer_key, cert.serial)].append(other.label)
        sample.memo[key] = groups = dict(built)
    cert = subject.cert()
    labels = groups.get((cert.issuer_key, cert.serial), [])
    others = [label for label in labels if label != subject.label]
    if others:
        return [f"serialNumber {cert.serial_hex} of issuer {cert.issuer_text} is also the serial of "
                f"{', '.join(others[:5])}"]
    return []


@check("profile.validity_cap", *CERTIFICATE_KINDS)
def validity_cap(subject: Subject, sample: Sample, params: Params) -> list[str]:
    cert = subject.cert()
    if cert.not_after <= cert.not_before:
        return [f"notAfter {cert.not_after.isoformat()} is not after notBefore {cert.not_before.isoformat()}"]
    days = (cert.not_after - cert.not_before).total_seconds() / 86400
    if subject.kind is AppliesTo.CA_CERT:
        role, cap = ("root CA", params.integer("max_root_days")) if is_root(cert) else (
            "intermediate CA", params.integer("max_intermediate_days"))
    else:
        role, cap = "end-entity", params.integer("max_end_entity_days")
    if days > cap:
        return [f"valid for {days:.0f} days: the cap for a {role} certificate is {cap} days"]
    return []


@check("rfc5280.key_usage_present", *CERTIFICATE_KINDS)
def key_usage_present(subject: Subject, sample: Sample, params: Params) -> list[str]:
    return ["no keyUsage extension"] if subject.cert().key_usage is None else []


@check("rfc5280.key_usage_critical", *CERTIFICATE_KINDS)
def key_usage_critical(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    extension = subject.cert().extensions.get(EXT_OID.KEY_USAGE)
    if extension is None:
        return None
    return [] if extension.critical else ["keyUsage is not marked critical"]


@check("gmt0015.key_usage_role", *CERTIFICATE_KINDS)
def key_usage_role(subject: Subject, sample: Sample, params: Params) -> list[str] | None:
    usage = subject.cert().key_usage
    if usage is None:
        return None
    names = ", ".join(sorted(usage))
    if subject.kind is AppliesTo.CA_CERT:
        missing = CA_USAGES - usage
        return [f"a CA certificate whose keyUsage ({names}) lacks {', '.join(sorted(missing))}"] if missing else []
    found = []
    if usage & CA_USAGES:
        found.append(f"an end-entity certificate with CA usages ({', '.join(sorted(usage & CA_USAGES))})")
    signs, enciphers = bool(usage & SIGNING_USAGES), bool(usage & ENCIPHERING_USAGES)
    if signs and enciphers:
        found.append(f"keyUsage ({names}) both signs and enciphers: GM/T 0015 issues a signing and an encryption "
                     "certificate, one purpose each")
    elif not signs and not enciphers:
        found.append(f"keyUsage ({names}) neither signs (digitalSignature/nonRepudiation) nor enciphers")
    return found


@check("rfc5280.basic_constraints_ca", AppliesTo.CA_CERT)
def basic_constraints_ca(subject: Subject, sample: Sample, params: Params) -> list[str]:
    cert = subject.cert()
    extension = cert.extensions.get(EXT_OID.BASIC_CONSTRAINTS)
    if extension is None or cert.basic_constraints is None:
        return ["a CA certificate without basicConstraints"]
    found = []
    if not cert.basic_constraints.ca:
        found.append("keyUsage asserts keyCertSign but basicConstraints has cA FALSE")
    if not extension.critical:
        found.append("basicConstraints is not marked critical in a CA certificate")
    return found
