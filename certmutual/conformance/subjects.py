"""What the checks judge: the objects read from the inputs (:class:`Subject`) and the whole sample.

Each input file is read once, told apart by content (certificate, CRL, OCSP response, seal, seal
signature; PEM, DER or base64), and the objects inside seals and seal signatures (maker and signer
certificates, the embedded seal) are judged too, under the label ``file#maker``, ``file#seal``... A
certificate that appears several times (a maker certificate in every seal it made) is judged once,
under its first label. The sample lets checks see across objects: issuers for CRLs and OCSP responses,
serial uniqueness per issuer, signing/encryption pairs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from certmutual.conformance.model import AppliesTo
from certmutual.identity.extractor import role_of
from certmutual.identity.model import CertificateRole
from certmutual.pki.certificate import Certificate, names_equivalent
from certmutual.pki.crl import CertificateList
from certmutual.pki.ocsp_response import OCSPResponse
from certmutual.seals.model import Seal, SealSignature

_ROLE_KINDS = {
    CertificateRole.CA: AppliesTo.CA_CERT,
    CertificateRole.SIGNING: AppliesTo.SIGNING_CERT,
    CertificateRole.ENCRYPTION: AppliesTo.ENCRYPTION_CERT,
    CertificateRole.DUAL: AppliesTo.SIGNING_CERT,  # a key for both purposes: judged as a signing certificate
}


@dataclass(frozen=True, eq=False)
class Subject:
    """One object of one input. Exactly one of the object fields is set, as ``kind`` says."""

    label: str
    kind: AppliesTo
    certificate: Certificate | None = None
    crl: CertificateList | None = None
    ocsp: OCSPResponse | None = None
    seal: Seal | None = None
    seal_signature: SealSignature | None = None

    @classmethod
    def of_certificate(cls, label: str, cert: Certificate) -> "Subject":
        return cls(label, _ROLE_KINDS[role_of(cert)], certificate=cert)

    def cert(self) -> Certificate:
        if self.certificate is None:
            raise TypeError(f"{self.label} is a {self.kind.value}, not a certificate")
        return self.certificate

    def the_crl(self) -> CertificateList:
        if self.crl is None:
            raise TypeError(f"{self.label} is a {self.kind.value}, not a CRL")
        return self.crl

    def the_ocsp(self) -> OCSPResponse:
        if self.ocsp is None:
            raise TypeError(f"{self.label} is a {self.kind.value}, not an OCSP response")
        return self.ocsp

    def the_seal(self) -> Seal:
        if self.seal is None:
            raise TypeError(f"{self.label} is a {self.kind.value}, not a seal")
        return self.seal

    def the_signature(self) -> SealSignature:
        if self.seal_signature is None:
            raise TypeError(f"{self.label} is a {self.kind.value}, not a seal signature")
        return self.seal_signature

    @property
    def issued_at(self) -> datetime.datetime | None:
        """When the object was made, as it states: what a rule's effective date is compared with."""
        if self.certificate is not None:
            return self.certificate.not_before
        if self.crl is not None:
            return self.crl.this_update
        if self.ocsp is not None:
            return self.ocsp.basic.produced_at if self.ocsp.basic is not None else None
        if self.seal is not None:
            return self.seal.info.create_date
        if self.seal_signature is not None:
            return self.seal_signature.time_info
        return None


def is_root(cert: Certificate) -> bool:
    """Self-issued, and not pointing at another key (a self-signed trust anchor)."""
    return cert.is_self_issued and (cert.authority_key_id is None or cert.authority_key_id == cert.subject_key_id)


@dataclass
class Sample:
    """Every object of a run, for checks that look across objects."""

    subjects: list[Subject]
    memo: dict[tuple[str, str], object] = field(default_factory=dict)
    """Results a check computes once per object and shares with related checks (OCSP outcome)."""

    @property
    def certificates(self) -> list[Subject]:
        return [s for s in self.subjects if s.certificate is not None]

    def issuers_named(self, issuer_der: bytes, key_id: bytes | None = None) -> list[Certificate]:
        """Sample certificates whose subject is ``issuer_der`` (and, when given, whose SKI is ``key_id``)."""
        found = []
        for subject in self.certificates:
            cert = subject.cert()
            if not names_equivalent(issuer_der, cert.subject_der):
                continue
            if key_id is not None and cert.subject_key_id is not None and cert.subject_key_id != key_id:
                continue
            found.append(cert)
        return found

    def issuer_of(self, cert: Certificate) -> Certificate | None:
        """The certificate's issuer, when it is in the sample (not the certificate itself)."""
        for candidate in self.issuers_named(cert.issuer_der, cert.authority_key_id):
            if candidate.der != cert.der:
                return candidate
        return None

    def chain_of(self, cert: Certificate, limit: int = 8) -> list[Certificate]:
        """``cert`` and the issuers above it found in the sample, by name and key identifier."""
        chain = [cert]
        while len(chain) < limit and not chain[-1].is_self_issued:
            issuer = self.issuer_of(chain[-1])
            if issuer is None or issuer in chain:
                break
            chain.append(issuer)
        return chain


__all__ = ["Sample", "Subject", "is_root"]
