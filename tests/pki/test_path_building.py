"""Path building (certmutual.pki.path, certmutual.pki.store): backtracking, AKI/SKI hints, loops,
budgets, the best failed candidate, trusted leaves and the signature cache."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from asn1crypto import core, x509

from certmutual import Policy, ReasonCode, Status, Verifier
from certmutual.asn1.oids import EXT_OID
from certmutual.crypto import registry
from certmutual.pki.builder import KeyKind, RawExtension
from certmutual.pki.certificate import Certificate
from certmutual.pki.store import CertificatePool
from tests.pki_factory import (
    DAY, REF_TIME, SERVER_AUTH, TestChain, ca_name, expect, get_key, issue, leaf_name, make_chain,
)

R = ReasonCode
kinds = pytest.mark.parametrize("kind", [KeyKind.SM2, KeyKind.P256], ids=lambda k: k.value)


@pytest.fixture
def signature_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Counts calls of registry.verify_signature (certmutual.pki.signatures calls it through the module)."""
    calls: list[str] = []
    original = registry.verify_signature

    def counting(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(registry, "verify_signature", counting)
    yield calls


def _twin(chain: TestChain, *, key_label: str | None = None, ski: bytes | None = None, **overrides) -> Certificate:
    """Another intermediate with the chain intermediate's subject: another key (``key_label``) or the
    same one, optionally claiming subjectKeyIdentifier ``ski``."""
    key = get_key(chain.kind, key_label) if key_label else chain.intermediate_key
    extra = [RawExtension(EXT_OID.SUBJECT_KEY_IDENTIFIER, False, core.OctetString(ski).dump())] if ski else []
    return issue(subject=chain.intermediate.subject, subject_key=key, issuer=chain.root, issuer_key=chain.root_key,
                 ca=True, path_len=0, serial=overrides.pop("serial", 0x77), extra_extensions=extra, **overrides)


def _chain_ids(result) -> list[str]:
    return [link.sha256 for link in result.chain]


# -- backtracking ----------------------------------------------------------------------------------


@kinds
@pytest.mark.parametrize("wrong_first", [True, False])
def test_backtracks_over_same_name_intermediate_with_wrong_key(kind: KeyKind, wrong_first: bool, signature_calls) -> None:
    chain = make_chain(kind)
    # Same name and even the same SKI as the real intermediate, so neither name nor AKI tell them apart.
    wrong = _twin(chain, key_label="wrong", ski=chain.intermediate.subject_key_id)
    pool = [wrong, chain.intermediate] if wrong_first else [chain.intermediate, wrong]
    result = chain.verify(intermediates=pool)
    expect(result, R.OK)
    assert _chain_ids(result) == [c.sha256 for c in chain.certificates]
    assert len(signature_calls) == (3 if wrong_first else 2)


@kinds
def test_backtracks_over_expired_intermediate_with_the_same_key(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expired = _twin(chain, not_before=REF_TIME - 900 * DAY, not_after=REF_TIME - DAY)
    result = chain.verify(intermediates=[expired, chain.intermediate])
    expect(result, R.OK)
    assert result.chain[1].sha256 == chain.intermediate.sha256


@kinds
def test_backtracks_over_revoked_intermediate(kind: KeyKind) -> None:
    chain = make_chain(kind)
    old = _twin(chain, serial=0x66)
    root_crl = chain.crl("root", revoked=[(old.serial, REF_TIME - DAY)])
    result = chain.verify(intermediates=[old, chain.intermediate], crls=[root_crl])
    expect(result, R.OK)
    assert result.chain[1].sha256 == chain.intermediate.sha256


@kinds
def test_backtracks_across_two_levels(kind: KeyKind) -> None:
    """leaf -> {I_wrong, I} ; I -> {R_wrong(anchor), R(anchor)}: both levels need backtracking."""
    chain = make_chain(kind)
    wrong_intermediate = _twin(chain, key_label="wrong", ski=chain.intermediate.subject_key_id)
    wrong_root = issue(subject=chain.root.subject, subject_key=get_key(kind, "wrong-root"), ca=True,
                       extra_extensions=[RawExtension(EXT_OID.SUBJECT_KEY_IDENTIFIER, False,
                                                      core.OctetString(chain.root.subject_key_id).dump())])
    result = chain.verify(intermediates=[wrong_intermediate, chain.intermediate], anchors=[wrong_root, chain.root])
    expect(result, R.OK)
    assert _chain_ids(result) == [c.sha256 for c in chain.certificates]


# -- AKI / SKI ordering hint -------------------------------------------------------------------------


@kinds
def test_aki_ski_hint_tries_the_matching_intermediate_first(kind: KeyKind, signature_calls) -> None:
    chain = make_chain(kind)
    decoys = [_twin(chain, key_label=f"decoy-{i}", serial=0x100 + i) for i in range(5)]
    result = chain.verify(intermediates=[*decoys, chain.intermediate])
    expect(result, R.OK)
    assert len(signature_calls) == 2  # leaf by the right intermediate, intermediate by the root


def test_pool_orders_issuers_by_aki_match() -> None:
    chain = make_chain(KeyKind.P256)
    decoy_a = _twin(chain, key_label="decoy-a", serial=0x201)
    decoy_b = _twin(chain, key_label="decoy-b", serial=0x202)
    pool = CertificatePool([decoy_a, chain.intermediate, decoy_b])
    assert pool.issuers_of(chain.leaf)[0] == chain.intermediate
    assert set(pool.issuers_of(chain.leaf)) == {decoy_a, decoy_b, chain.intermediate}
    assert len(pool) == 3 and chain.intermediate in pool and chain.root not in pool


def test_wrong_aki_is_only_a_hint() -> None:
    """A leaf whose AKI names no certificate still validates through the name match."""
    chain = make_chain(KeyKind.SM2, leaf_overrides={"issuer_key_id": b"\x42" * 20})
    expect(chain.verify(), R.OK)


# -- issuer names: exact DER first, then RFC 5280 §7.1 comparison --------------------------------------


def _printable(name: x509.Name) -> x509.Name:
    """The same name re-encoded with PrintableString values (equal under RFC 5280 §7.1)."""
    return x509.Name.build(name.native, use_printable=True)


def test_issuer_found_by_normalised_name_when_encodings_differ() -> None:
    chain = make_chain(KeyKind.SM2)
    reencoded = issue(subject=_printable(chain.intermediate.subject), subject_key=chain.intermediate_key,
                      issuer=chain.root, issuer_key=chain.root_key, ca=True, path_len=0)
    assert reencoded.subject_der != chain.leaf.issuer_der
    expect(chain.verify(intermediates=[reencoded]), R.OK)


def test_failing_der_identical_issuer_does_not_mask_an_equivalent_one() -> None:
    """Regression: §7.1-equal names were once tried only when no exact-DER candidate existed, so an
    expired old CA certificate masked its renewal whose name differs only in string encoding."""
    chain = make_chain(KeyKind.SM2)
    expired_old = _twin(chain, not_before=REF_TIME - 900 * DAY, not_after=REF_TIME - DAY)
    renewed = issue(subject=_printable(chain.intermediate.subject), subject_key=chain.intermediate_key,
                    issuer=chain.root, issuer_key=chain.root_key, ca=True, path_len=0, serial=0x99)
    expect(chain.verify(intermediates=[expired_old, renewed]), R.OK)


# -- loops -----------------------------------------------------------------------------------------


def _cross_signed_mesh(kind: KeyKind, names: list[str]) -> dict[str, list[Certificate]]:
    """CAs named ``names``, each cross-signed by every other (no anchor among them)."""
    keys = {n: get_key(kind, f"mesh-{n}") for n in names}
    mesh: dict[str, list[Certificate]] = {n: [] for n in names}
    serial = 0x500
    for subject in names:
        for issuer in names:
            if issuer == subject:
                continue
            serial += 1
            mesh[subject].append(issue_cross(subject, keys[subject], issuer, keys[issuer], serial))
    return mesh


def issue_cross(subject: str, subject_key, issuer: str, issuer_key, serial: int) -> Certificate:
    from certmutual.pki.builder import issue_certificate

    return issue_certificate(subject=ca_name(subject), subject_key=subject_key, issuer=ca_name(issuer),
                             issuer_key=issuer_key, serial=serial, not_before=REF_TIME - 300 * DAY,
                             not_after=REF_TIME + 300 * DAY, ca=True)


@kinds
def test_cross_signed_loop_terminates(kind: KeyKind) -> None:
    chain = make_chain(kind)
    mesh = _cross_signed_mesh(kind, ["Loop A", "Loop B", "Loop C"])
    leaf = issue(subject=leaf_name(), subject_key=chain.leaf_key, issuer=mesh["Loop B"][0],
                 issuer_key=get_key(kind, "mesh-Loop B"))
    pool = [c for certs in mesh.values() for c in certs]
    start = time.perf_counter()
    result = chain.verify(leaf, intermediates=pool)
    assert time.perf_counter() - start < 10
    assert result.status is Status.INDETERMINATE
    assert result.codes in ((R.ISSUER_NOT_FOUND,), (R.PATH_BUDGET_EXCEEDED,))


@kinds
def test_cross_signed_loop_with_an_exit_to_the_anchor(kind: KeyKind) -> None:
    chain = make_chain(kind)
    mesh = _cross_signed_mesh(kind, ["Loop A", "Loop B"])
    exit_cert = issue(subject=ca_name("Loop B"), subject_key=get_key(kind, "mesh-Loop B"), issuer=chain.root,
                      issuer_key=chain.root_key, ca=True, serial=0x600)
    leaf = issue(subject=leaf_name(), subject_key=chain.leaf_key, issuer=mesh["Loop B"][0],
                 issuer_key=get_key(kind, "mesh-Loop B"))
    pool = [*mesh["Loop A"], *mesh["Loop B"], exit_cert]
    result = chain.verify(leaf, intermediates=pool)
    expect(result, R.OK)
    assert result.chain[-1].sha256 == chain.root.sha256


# -- budgets ---------------------------------------------------------------------------------------


def _hostile_same_name_pool(chain: TestChain, count: int) -> list[Certificate]:
    """``count`` CAs with the intermediate's name and SKI but a wrong key (distinct serials)."""
    return [_twin(chain, key_label="hostile", ski=chain.intermediate.subject_key_id, serial=0x1000 + i)
            for i in range(count)]


@kinds
def test_signature_budget_on_a_hostile_pool(kind: KeyKind) -> None:
    chain = make_chain(kind)
    pool = [*_hostile_same_name_pool(chain, 50), chain.intermediate]
    start = time.perf_counter()
    result = chain.verify(intermediates=pool, policy=Policy(max_signature_checks=10))
    assert time.perf_counter() - start < 5
    expect(result, R.PATH_BUDGET_EXCEEDED, status=Status.INDETERMINATE)


@kinds
def test_candidate_budget_on_a_hostile_pool(kind: KeyKind) -> None:
    chain = make_chain(kind)
    pool = [*_hostile_same_name_pool(chain, 50), chain.intermediate]
    result = chain.verify(intermediates=pool, policy=Policy(max_candidates=5, max_signature_checks=10_000))
    expect(result, R.PATH_BUDGET_EXCEEDED, status=Status.INDETERMINATE)


@kinds
def test_hostile_pool_within_budget_still_finds_the_path(kind: KeyKind) -> None:
    chain = make_chain(kind)
    pool = [*_hostile_same_name_pool(chain, 50), chain.intermediate]
    expect(chain.verify(intermediates=pool), R.OK)


@kinds
def test_hostile_pool_without_a_good_issuer_reports_the_signature(kind: KeyKind) -> None:
    chain = make_chain(kind)
    expect(chain.verify(intermediates=_hostile_same_name_pool(chain, 50)), R.BAD_SIGNATURE)


def test_exponential_pool_is_cut_off_by_the_default_budget() -> None:
    """Four layers of six same-name, same-key CAs: 6**4 paths, every signature valid, no anchor."""
    kind = KeyKind.P256
    chain = make_chain(kind)
    layers = [f"Layer {i}" for i in range(5)]  # Layer 4 is never issued: the top is missing
    keys = {n: get_key(kind, f"layer-{n}") for n in layers}
    pool = [issue_cross(layers[i], keys[layers[i]], layers[i + 1], keys[layers[i + 1]], 0x700 + 10 * i + j)
            for i in range(4) for j in range(6)]
    leaf = issue(subject=leaf_name(), subject_key=chain.leaf_key, issuer=pool[0], issuer_key=keys["Layer 0"])
    start = time.perf_counter()
    result = chain.verify(leaf, intermediates=pool)
    assert time.perf_counter() - start < 10
    expect(result, R.PATH_BUDGET_EXCEEDED, status=Status.INDETERMINATE)


# -- the best failed candidate -------------------------------------------------------------------------


@kinds
def test_expired_intermediate_is_reported_not_issuer_not_found(kind: KeyKind) -> None:
    chain = make_chain(kind, intermediate_overrides={"not_before": REF_TIME - 900 * DAY, "not_after": REF_TIME - DAY})
    result = chain.verify()
    expect(result, R.EXPIRED)
    assert result.reasons[0].concerns == chain.intermediate.subject_text
    assert len(result.chain) == 3


@kinds
@pytest.mark.parametrize("expired_first", [True, False])
def test_complete_failure_beats_a_signature_dead_end(kind: KeyKind, expired_first: bool) -> None:
    chain = make_chain(kind)
    wrong = _twin(chain, key_label="wrong", ski=chain.intermediate.subject_key_id, serial=0x88)
    expired = _twin(chain, not_before=REF_TIME - 900 * DAY, not_after=REF_TIME - DAY, serial=0x89)
    pool = [expired, wrong] if expired_first else [wrong, expired]
    result = chain.verify(intermediates=pool)
    expect(result, R.EXPIRED)
    assert result.chain[1].sha256 == expired.sha256


@kinds
def test_every_reason_of_the_best_path_is_reported(kind: KeyKind) -> None:
    chain = make_chain(kind, leaf_overrides={"not_after": REF_TIME - DAY, "ext_key_usage": ["client_auth"]},
                       intermediate_overrides={"key_usage": {"crl_sign"}})
    result = chain.verify(policy=Policy(required_ext_key_usage=frozenset({SERVER_AUTH})))
    expect(result, R.EXPIRED, R.EXT_KEY_USAGE, R.KEY_USAGE)


# -- a leaf that is itself a trust anchor -----------------------------------------------------------------


@kinds
def test_self_signed_leaf_that_is_trusted(kind: KeyKind) -> None:
    key = get_key(kind, "self-signed")
    leaf = issue(subject=leaf_name("Pinned"), subject_key=key, key_usage={"digital_signature"})
    result = Verifier([leaf]).verify_certificate(leaf, at=REF_TIME)
    expect(result, R.OK)
    assert _chain_ids(result) == [leaf.sha256]


@kinds
def test_issued_leaf_that_is_trusted_needs_no_issuer(kind: KeyKind) -> None:
    chain = make_chain(kind)
    result = chain.verify(anchors=[chain.leaf], intermediates=[])
    expect(result, R.OK)
    assert _chain_ids(result) == [chain.leaf.sha256]


@kinds
def test_trusted_leaf_must_still_be_within_validity(kind: KeyKind) -> None:
    chain = make_chain(kind, leaf_overrides={"not_after": REF_TIME - DAY})
    expect(chain.verify(anchors=[chain.leaf], intermediates=[]), R.EXPIRED)


@kinds
def test_trusted_leaf_is_still_judged_as_a_leaf(kind: KeyKind) -> None:
    """Regression: check_path() once skipped the leaf usage checks when the leaf was itself an
    anchor, so trusting a leaf bypassed the policy's required keyUsage / EKU."""
    chain = make_chain(kind, leaf_overrides={"key_usage": {"key_encipherment"}, "ext_key_usage": ["client_auth"]})
    policy = Policy(required_key_usage=frozenset({"digital_signature"}), required_ext_key_usage=frozenset({SERVER_AUTH}))
    expect(chain.verify(policy=policy), R.KEY_USAGE, R.EXT_KEY_USAGE)  # passes: judged through the chain
    expect(chain.verify(anchors=[chain.leaf, chain.root], policy=policy), R.KEY_USAGE, R.EXT_KEY_USAGE)


# -- signature cache ---------------------------------------------------------------------------------


@kinds
def test_second_leaf_under_a_cached_intermediate_costs_one_verification(kind: KeyKind, signature_calls) -> None:
    chain = make_chain(kind)
    second = chain.issue_leaf(serial=0x2002, subject=leaf_name("Second Leaf"))
    verifier = chain.verifier()
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME), R.OK)
    assert len(signature_calls) == 2
    expect(verifier.verify_certificate(second, at=REF_TIME), R.OK)
    assert len(signature_calls) == 3
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME), R.OK)
    expect(verifier.verify_certificate(second.der, at=REF_TIME + DAY), R.OK)
    assert len(signature_calls) == 3


@kinds
def test_crl_signatures_are_cached_too(kind: KeyKind, signature_calls) -> None:
    chain = make_chain(kind)
    second = chain.issue_leaf(serial=0x2002, subject=leaf_name("Second Leaf"))
    verifier = chain.verifier(crls=chain.full_crls(), policy=Policy(require_revocation=True))
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME), R.OK)
    assert len(signature_calls) == 4  # two certificates, two CRLs
    expect(verifier.verify_certificate(second, at=REF_TIME), R.OK)
    assert len(signature_calls) == 5


@kinds
def test_cached_bad_signature_stays_bad(kind: KeyKind, signature_calls) -> None:
    chain = make_chain(kind, leaf_overrides={"issuer_key": get_key(kind, "stranger")})
    verifier = chain.verifier()
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME), R.BAD_SIGNATURE)
    calls = len(signature_calls)
    expect(verifier.verify_certificate(chain.leaf, at=REF_TIME), R.BAD_SIGNATURE)
    assert len(signature_calls) == calls


def test_cache_key_includes_the_weak_algorithm_option(signature_calls) -> None:
    """An outcome cached under allow_weak_algorithms=True must not be reused without it."""
    from tests.pki_factory import Sha1Signer

    chain = make_chain(KeyKind.RSA2048)
    leaf = chain.issue_leaf(issuer_key=Sha1Signer(chain.intermediate_key))
    verifier = chain.verifier()
    expect(verifier.verify_certificate(leaf, at=REF_TIME, policy=Policy(allow_weak_algorithms=True)), R.OK)
    expect(verifier.verify_certificate(leaf, at=REF_TIME), R.WEAK_ALGORITHM)
