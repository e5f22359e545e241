"""The façade: the one object library users, the CLI and the gateway verify through.

``Verifier`` holds the trust anchors, a pool of known intermediates, default CRLs, a default
:class:`Policy` and the caches (parsed certificates, signature outcomes) that make repeated
verification under the same CAs cheap. It is the only place that reads the clock. It is safe to share
between threads.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import replace
from pathlib import Path
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from certmutual.crypto import registry, sm2
from certmutual.errors import InvalidSignature, MalformedInput, UnsupportedAlgorithm, UnsupportedReason
from certmutual.identity.extractor import identify, role_of
from certmutual.identity.model import CertificateRole, Identity
from certmutual.identity.profiles import ProfileSet, load_profiles
from certmutual.pki.certificate import Certificate
from certmutual.pki.crl import CertificateList
from certmutual.pki.path import PathCache, validate_path
from certmutual.pki.policy import Policy
from certmutual.pki.signatures import SignatureCache
from certmutual.pki.store import CertificatePool
from certmutual.pki.fetch import RevocationConfig, RevocationData, RevocationMode, RevocationOrder, RevocationSource
from certmutual.pki.revocation_decision import decide
from certmutual.pki.trustlist import Service, TrustList
from certmutual.results import ChainLink, Reason, ReasonCode, RevocationFact, VerificationResult

CertificateInput = Certificate | bytes


class _ParseCache:
    """Parsed certificates by DER, bounded: intermediates handed in on every call parse once."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._entries: OrderedDict[bytes, Certificate] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, data: CertificateInput) -> Certificate:
        if isinstance(data, Certificate):
            return data
        data = bytes(data)
        # A hit needs no lock: each OrderedDict call is atomic under the GIL, and an entry evicted
        # between the two only misses its move to the recent end.
        cert = self._entries.get(data)
        if cert is not None:
            try:
                self._entries.move_to_end(data)
            except KeyError:
                pass
            return cert
        cert = Certificate(data)
        with self._lock:
            self._entries[data] = cert
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return cert


_RECENT_LEAVES = 64

_REVOCATION_CODES = (ReasonCode.REVOCATION_UNKNOWN, ReasonCode.CRL_EXPIRED)


def revocation_source_for(trust_list: TrustList, *, cache_dir: Path | None = None) -> RevocationSource:
    """A revocation source configured as the trust list says (order, failure mode, timeout)."""
    policy = trust_list.revocation
    return RevocationSource(RevocationConfig(order=policy.order, mode=policy.mode, timeout=policy.timeout_seconds,
                                             deadline=max(15.0, 3 * policy.timeout_seconds), cache_dir=cache_dir))


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Verifier:
    """Verify certificates (and, in later layers, seals and documents) against trust anchors.

    :param trust_anchors: the certificates trusted as path ends (DER bytes or parsed).
    :param intermediates: untrusted CA certificates available for path building.
    :param crls: CRLs used for revocation on every call (more can be given per call).
    :param policy: the default validation policy.
    :param trust_list: a verified province trust list (:func:`certmutual.pki.trustlist.verify_trust_list`):
        its roots become trust anchors, its intermediates join the pool, and every result is also
        judged by the vendor's status at the validation time.
    :param revocation: a source that gathers CRLs and OCSP responses (network, cache) for each
        validated path; its order and failure mode decide (see :mod:`certmutual.pki.revocation_decision`).
        Without one, revocation is judged only from the CRLs given.
    :param vendors: the vendor profiles identities are read with (default: loaded on first use from
        :func:`certmutual.identity.profiles.default_vendors_directory`).
    Raises :class:`MalformedInput` if an anchor or intermediate cannot be parsed.
    """

    def __init__(
        self,
        trust_anchors: Iterable[CertificateInput],
        *,
        intermediates: Iterable[CertificateInput] = (),
        crls: Iterable[CertificateList] = (),
        policy: Policy | None = None,
        vendors: ProfileSet | None = None,
        trust_list: TrustList | None = None,
        revocation: RevocationSource | None = None,
    ) -> None:
        self._trust_list = trust_list
        self._revocation_source = revocation
        if trust_list is not None:
            trust_anchors = [*trust_anchors, *trust_list.roots]
            intermediates = [*intermediates, *trust_list.intermediates]
        self._vendors = vendors
        self._vendors_lock = threading.Lock()
        self._parsed = _ParseCache()
        # Leaves have a cache of their own, small: enough for a certificate verified and then
        # identified, or verified at two times; a large one only keeps thousands of certificates
        # seen once, and makes every new one slower to allocate and every evicted one to free.
        self._leaves = _ParseCache(_RECENT_LEAVES)
        self._anchors = CertificatePool(self._parsed.get(c) for c in trust_anchors)
        self._intermediates = CertificatePool(self._parsed.get(c) for c in intermediates)
        self._crls = tuple(crls)
        self._policy = policy or Policy()
        self._signatures = SignatureCache()
        self._paths = PathCache(self._anchors, self._intermediates)
        # With a revocation source, revocation is decided after the path is found (see below).
        self._path_policy = replace(self._policy, require_revocation=False) if revocation is not None else self._policy

    @property
    def policy(self) -> Policy:
        return self._policy

    @property
    def trust_anchors(self) -> tuple[Certificate, ...]:
        return tuple(self._anchors)

    def now(self) -> datetime.datetime:
        """The current time in UTC, as this verifier reads it (the lower layers ask for it here, so
        the clock is read in one place)."""
        return utc_now()

    def verify_certificate(
        self,
        certificate: CertificateInput,
        *,
        at: datetime.datetime | None = None,
        untrusted: Sequence[CertificateInput] = (),
        crls: Sequence[CertificateList] = (),
        policy: Policy | None = None,
        service: Service | None = None,
        ocsp_responses: Sequence[bytes] = (),
    ) -> VerificationResult:
        """Validate ``certificate`` as a leaf at ``at`` (default: now).

        With a trust list, also: the list is fresh now, and the vendor whose root ends the path was
        recognised at ``at`` for ``service`` (default: encryption for an encryption certificate,
        else signing). ``ocsp_responses`` are DER OCSP responses the caller already holds (a PDF's
        document security store): each certificate of the path is judged by those about it, as by
        fetched ones, together with the CRLs. Returns a :class:`VerificationResult`; never raises for
        bad certificates (a malformed one gives the ``malformed`` reason). Does not check hostnames
        or certificate policies.
        """
        when = at or utc_now()
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        try:
            leaf = self._leaves.get(certificate)
            pool = self._intermediates
            if untrusted:
                pool = CertificatePool(list(self._intermediates) + [self._parsed.get(c) for c in untrusted])
        except MalformedInput as exc:
            return VerificationResult((Reason(ReasonCode.MALFORMED, str(exc)),), when)
        policy = policy or self._policy
        supplied_crls = self._crls + tuple(crls)
        supplied_ocsp = tuple(ocsp_responses)
        source = self._revocation_source
        # With a revocation source or OCSP responses in hand, the path is found first and
        # revocation decided afterwards, for that path, from what the source gathers (network only
        # for a path whose signatures verified) and the responses given.
        decided_after = source is not None or bool(supplied_ocsp)
        if policy is self._policy and not supplied_ocsp:
            path_policy = self._path_policy
        else:
            path_policy = replace(policy, require_revocation=False) if decided_after else policy
        outcome = validate_path(leaf, self._anchors, pool, when, path_policy, crls=supplied_crls, cache=self._signatures,
                                paths=self._paths)
        reasons, warnings = outcome.reasons, outcome.warnings
        facts: tuple[RevocationFact, ...] = ()
        if decided_after and outcome.valid:
            data = source.gather(outcome.chain, when) if source is not None else RevocationData()
            if supplied_ocsp:  # offered for every certificate below the anchor: a response about another fails its CertID match
                data = replace(data, ocsp=data.ocsp + tuple((cert.sha256, response) for cert in outcome.chain[:-1]
                                                           for response in supplied_ocsp))
            # Without a source, missing data fails the path only where the policy requires revocation.
            order, mode = ((source.config.order, source.config.mode) if source is not None
                           else (RevocationOrder.OCSP_FIRST, RevocationMode.SOFT_FAIL))
            decision = decide(outcome.chain, data, when, policy, order=order, mode=mode, extra_crls=supplied_crls,
                              cache=self._signatures)
            reasons += decision.reasons
            warnings = tuple(w for w in warnings if w.code not in _REVOCATION_CODES) + decision.warnings
            facts = decision.facts
        if self._trust_list is not None:
            reasons += tuple(self._trust_list_reasons(outcome.chain, when, service))
        return VerificationResult(reasons, when, chain_links(outcome.chain), warnings, facts)

    def _trust_list_reasons(self, chain: Sequence[Certificate], when: datetime.datetime, service: Service | None) -> list[Reason]:
        assert self._trust_list is not None
        now = utc_now()
        if self._trust_list.is_expired(now):
            # Fail closed: a stale list may still name a vendor the province has since withdrawn.
            return [Reason(ReasonCode.TRUST_LIST_EXPIRED, f"trust list #{self._trust_list.sequence_number} expired at "
                           f"{self._trust_list.next_update.isoformat()}; load a fresh one")]
        if service is None:
            service = Service.ENCRYPTION if chain and role_of(chain[0]) is CertificateRole.ENCRYPTION else Service.SIGNING
        return self._trust_list.check_use(chain, service, when)

    @property
    def trust_list(self) -> TrustList | None:
        return self._trust_list

    def identify(self, certificate: CertificateInput, *, result: VerificationResult | None = None) -> Identity:
        """The identity ``certificate`` carries, read through its vendor's profile.

        Give the certificate's :class:`VerificationResult` so the validated chain's root and issuer
        fingerprints can choose the profile. Raises :class:`MalformedInput` for an unreadable
        certificate and :class:`ConfigurationError` for broken vendor profiles; never raises for what
        a readable certificate contains.
        """
        issuers = [link.sha256 for link in result.chain[1:]] if result is not None else []
        return identify(self._leaves.get(certificate), self.vendors, issuers)

    @property
    def vendors(self) -> ProfileSet:
        with self._vendors_lock:
            if self._vendors is None:
                self._vendors = load_profiles()
            return self._vendors

    @staticmethod
    def verify_signature(
        data: bytes,
        signature: bytes,
        *,
        certificate: CertificateInput | None = None,
        public_key: bytes | None = None,
        hash_name: str | None = None,
        sm2_user_id: bytes = sm2.DEFAULT_USER_ID,
    ) -> VerificationResult:
        """Verify a detached signature over ``data`` with a certificate's key or an SPKI (DER).

        The scheme follows the key: SM2 (DER, raw r‖s or SKF blob, Z_A over ``sm2_user_id``),
        RSA PKCS#1 v1.5 (hash read from the signature's DigestInfo unless ``hash_name`` is given),
        ECDSA (hash by curve size unless given), Ed25519. Does not validate the certificate.
        """
        when = utc_now()
        try:
            if certificate is not None:
                spki = (certificate if isinstance(certificate, Certificate) else Certificate(bytes(certificate))).spki
            elif public_key is not None:
                spki = public_key
            else:
                raise ValueError("give a certificate or a public key")
            key = registry.load_public_key(spki)
            registry.verify_with_key(key, signature, data, hash_name=hash_name, sm2_user_id=sm2_user_id)
        except MalformedInput as exc:
            return VerificationResult((Reason(ReasonCode.MALFORMED, str(exc)),), when)
        except UnsupportedAlgorithm as exc:
            code = ReasonCode.WEAK_ALGORITHM if exc.reason is UnsupportedReason.WEAK_ALGORITHM else ReasonCode.UNSUPPORTED_ALGORITHM
            return VerificationResult((Reason(code, str(exc)),), when)
        except InvalidSignature as exc:
            return VerificationResult((Reason(ReasonCode.BAD_SIGNATURE, str(exc)),), when)
        return VerificationResult((), when)


def chain_links(chain: Sequence[Certificate]) -> tuple[ChainLink, ...]:
    """Chain entries for a result; an issuer's name is read from the issuer certificate when it is
    in the chain (it is the same name, and already rendered for a cached CA)."""
    last = len(chain) - 1
    return tuple([cert.chain_link(chain[position + 1] if position < last else None) for position, cert in enumerate(chain)])
