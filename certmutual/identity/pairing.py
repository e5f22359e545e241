"""Which certificates speak for the same entity, and which signing and encryption certificates
form one GM/T 0015 dual-certificate pair (china-specs.md §2.6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from certmutual.identity.model import CertificateRole, Identity
from certmutual.pki.certificate import Certificate


def same_entity(a: Identity, b: Identity) -> bool:
    """Whether two identities (from any vendors) name the same market entity."""
    return a.entity_key is not None and a.entity_key == b.entity_key


@dataclass(frozen=True)
class CertificatePair:
    """A signing certificate and the encryption certificate issued with it."""

    signing: Certificate
    encryption: Certificate

    def to_dict(self) -> dict[str, Any]:
        return {"signing": self.signing.sha256, "encryption": self.encryption.sha256}


def pair_certificates(identified: Sequence[tuple[Certificate, Identity]]) -> list[CertificatePair]:
    """Pair each signing certificate with an encryption certificate from the same issuer for the
    same subject: the same subject name, or the same entity when the names differ in encoding.
    A certificate is used in at most one pair; the earliest-issued partners pair first."""
    signing = [(c, i) for c, i in identified if i.role is CertificateRole.SIGNING]
    encryption = [(c, i) for c, i in identified if i.role is CertificateRole.ENCRYPTION]
    signing.sort(key=lambda item: item[0].not_before)
    encryption.sort(key=lambda item: item[0].not_before)
    pairs: list[CertificatePair] = []
    used: set[str] = set()
    for sign_cert, sign_identity in signing:
        for enc_cert, enc_identity in encryption:
            if enc_cert.sha256 in used or sign_cert.issuer_key != enc_cert.issuer_key:
                continue
            if sign_cert.subject_key == enc_cert.subject_key or same_entity(sign_identity, enc_identity):
                pairs.append(CertificatePair(sign_cert, enc_cert))
                used.add(enc_cert.sha256)
                break
    return pairs
