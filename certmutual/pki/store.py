"""Certificate pools indexed for path building: by subject name and by fingerprint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from certmutual.pki.certificate import Certificate


class CertificatePool:
    """A set of certificates that answers "who could have issued this?" in O(1).

    Used both for trust anchors and for the untrusted intermediates a caller supplies. Not
    thread-safe for writes: build it, then share it.
    """

    def __init__(self, certificates: Iterable[Certificate] = ()) -> None:
        self._by_subject_der: dict[bytes, list[Certificate]] = {}
        self._by_subject: dict[str, list[Certificate]] = {}
        self._by_fingerprint: dict[str, Certificate] = {}
        self.generation = 0
        """Counts the certificates added: what was learnt about the pool holds while it is unchanged."""
        for cert in certificates:
            self.add(cert)

    def add(self, cert: Certificate) -> None:
        if cert.sha256 in self._by_fingerprint:
            return
        self._by_fingerprint[cert.sha256] = cert
        self.generation += 1
        self._by_subject_der.setdefault(cert.subject_der, []).append(cert)
        self._by_subject.setdefault(cert.subject_key, []).append(cert)

    def issuers_of(self, cert: Certificate, normalised: bool = False) -> Sequence[Certificate]:
        """Certificates whose subject is ``cert``'s issuer, best AKI/SKI match first.

        By default names match by exact DER (the usual case, and cheap, as in Go); with
        ``normalised`` by RFC 5280 §7.1 comparison, which path building tries only when DER fails.
        The answer may be the pool's own list: read it, do not change it.
        """
        found: Sequence[Certificate]
        if normalised:
            found = [c for c in self._by_subject.get(cert.issuer_key, ()) if c.subject_der != cert.issuer_der]
        else:
            found = self._by_subject_der.get(cert.issuer_der, ())
        aki = cert.authority_key_id
        if aki is None or len(found) < 2:
            return found
        # AKI/SKI is a hint (RFC 5280 §4.2.1.1): matches first, then unknown, then mismatches.
        return sorted(found, key=lambda c: 0 if c.subject_key_id == aki else (1 if c.subject_key_id is None else 2))

    def __contains__(self, cert: object) -> bool:
        return isinstance(cert, Certificate) and cert.sha256 in self._by_fingerprint

    def __iter__(self) -> Iterator[Certificate]:
        return iter(self._by_fingerprint.values())

    def __len__(self) -> int:
        return len(self._by_fingerprint)
