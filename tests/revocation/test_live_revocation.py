"""Verification with live revocation: the Verifier gathers CRLs and OCSP responses from the local CA
service for each validated path and decides per certificate, in the configured order and failure
mode. Covers RSA and SM2 chains, via CRL and via OCSP, every injected fault under hard- and
soft-fail, the cache as a source, and one verifier hammered from threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from certmutual import Verifier
from certmutual.pki.builder import KeyKind
from certmutual.pki.fetch import RevocationConfig, RevocationMode, RevocationOrder, RevocationSource
from certmutual.results import ReasonCode, Status
from tests.pki_factory import DAY
from tests.revocation.ca_service import CAService, Fault

TIMEOUT = 1.0
REVOKED_SERIAL = 0x2002


@pytest.fixture(scope="module", params=[KeyKind.RSA2048, KeyKind.SM2], ids=["rsa", "sm2"])
def service(request: pytest.FixtureRequest) -> Iterator[CAService]:
    with CAService(kind=request.param) as running:
        running.revoked_leaf = running.issue_leaf(REVOKED_SERIAL, common_name="Revoked Leaf")  # type: ignore[attr-defined]
        running.revoke(REVOKED_SERIAL, running.now - 3 * DAY)
        yield running


@pytest.fixture(autouse=True)
def no_faults(service: CAService) -> Iterator[None]:
    service.clear()
    yield
    service.clear()


def verifier(service: CAService, *, order: RevocationOrder = RevocationOrder.OCSP_FIRST,
             mode: RevocationMode = RevocationMode.HARD_FAIL, **config: object) -> Verifier:
    source = RevocationSource(RevocationConfig(order=order, mode=mode, timeout=TIMEOUT, deadline=4 * TIMEOUT, **config),  # type: ignore[arg-type]
                              clock=lambda: service.now)
    return Verifier([service.root], intermediates=[service.intermediate], revocation=source)


@pytest.mark.parametrize("order", list(RevocationOrder), ids=lambda o: o.value)
def test_good_leaf_accepted_with_the_deciding_source(service: CAService, order: RevocationOrder) -> None:
    result = verifier(service, order=order).verify_certificate(service.leaf, at=service.now)
    assert result.accepted, result.reasons
    expected = "ocsp" if order is RevocationOrder.OCSP_FIRST else "crl"
    assert [(fact.status.value, fact.source.value) for fact in result.revocation] == [("good", expected)] * 2
    leaf_fact = result.revocation[0]
    assert leaf_fact.this_update is not None and leaf_fact.url is not None and leaf_fact.url.startswith(service.base_url)
    assert result.to_dict()["revocation"][0]["source"] == expected


@pytest.mark.parametrize("via", ["crl", "ocsp"])
def test_revoked_leaf_rejected_with_its_revocation_time(service: CAService, via: str) -> None:
    config = {"fetch_ocsp": via == "ocsp", "fetch_crl": via == "crl"}
    result = verifier(service, **config).verify_certificate(service.revoked_leaf, at=service.now)  # type: ignore[attr-defined]
    assert result.codes == (ReasonCode.REVOKED,)
    revoked_at = service.now - 3 * DAY
    assert revoked_at.isoformat() in result.reasons[0].message and f"per {via}" in result.reasons[0].message
    assert result.revocation[0].revoked_at == revoked_at and result.revocation[0].kind == via


def test_a_revocation_is_not_outvoted_by_the_other_source(service: CAService) -> None:
    """OCSP says revoked; the CRL is asked too only if OCSP fails — here both run, revoked wins."""
    for order in RevocationOrder:
        result = verifier(service, order=order).verify_certificate(service.revoked_leaf, at=service.now)  # type: ignore[attr-defined]
        assert result.codes == (ReasonCode.REVOKED,)


def test_before_the_revocation_time_the_leaf_is_good(service: CAService) -> None:
    result = verifier(service).verify_certificate(service.revoked_leaf, at=service.now - 5 * DAY)  # type: ignore[attr-defined]
    assert result.accepted, result.reasons


FAULTS = [
    (Fault.DELAY, {"seconds": 3 * TIMEOUT}), (Fault.TRICKLE, {"seconds": 0.5}), (Fault.HTTP_500, {}), (Fault.GARBAGE, {}),
    (Fault.OVERSIZED, {"size": 30 * 1024 * 1024}), (Fault.STALE, {}), (Fault.WRONG_KEY, {}), (Fault.REDIRECT_LOOP, {}),
    (Fault.CLOSE_MID_BODY, {}), (Fault.TRY_LATER, {}),
]


@pytest.mark.parametrize("fault, options", FAULTS, ids=[fault.value for fault, _ in FAULTS])
@pytest.mark.parametrize("mode", list(RevocationMode), ids=lambda m: m.value)
def test_every_fault_fails_closed_or_warns_in_bounded_time(service: CAService, fault: Fault, options: dict[str, float],
                                                          mode: RevocationMode) -> None:
    for url in (service.crl_url("intermediate"), service.ocsp_url("intermediate")):
        service.inject(url, fault, **options)  # type: ignore[arg-type]
    start = time.monotonic()
    result = verifier(service, mode=mode).verify_certificate(service.leaf, at=service.now)
    elapsed = time.monotonic() - start
    assert elapsed < 4 * TIMEOUT + 1.0, f"{fault.value} took {elapsed:.1f} s"
    if mode is RevocationMode.HARD_FAIL:
        assert result.codes == (ReasonCode.REVOCATION_UNKNOWN,) and result.status is Status.INDETERMINATE
    else:
        assert result.accepted
        assert [w.code for w in result.warnings] == [ReasonCode.REVOCATION_UNKNOWN]
    assert result.revocation[0].status.value == "unknown"


def test_the_cache_answers_the_second_time(service: CAService) -> None:
    shared = verifier(service, order=RevocationOrder.CRL_FIRST)
    first = shared.verify_certificate(service.leaf, at=service.now)
    assert first.revocation[0].source.value == "crl"
    second = shared.verify_certificate(service.leaf, at=service.now)
    assert second.accepted and second.revocation[0].source.value == "cache" and second.revocation[0].kind == "crl"


def test_one_verifier_hammered_from_threads(service: CAService) -> None:
    shared = verifier(service)
    leaves = [(service.leaf, True), (service.revoked_leaf, False)] * 4  # type: ignore[attr-defined]
    failures: list[str] = []

    def work(index: int) -> None:
        for round_number in range(20):
            cert, good = leaves[(index + round_number) % len(leaves)]
            result = shared.verify_certificate(cert, at=service.now)
            if result.accepted != good or (not good and result.codes != (ReasonCode.REVOKED,)):
                failures.append(f"thread {index} round {round_number}: {result.codes}")

    threads = [threading.Thread(target=work, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures[:5]
    assert all(not thread.is_alive() for thread in threads)


def test_without_a_source_nothing_is_fetched(service: CAService) -> None:
    service.reset_hits()
    result = Verifier([service.root], intermediates=[service.intermediate]).verify_certificate(service.leaf, at=service.now)
    assert result.accepted and result.revocation == ()
    assert service.hits_for(service.crl_url("intermediate")) == 0 and service.hits_for(service.ocsp_url("intermediate")) == 0


def test_cli_fetch_revocation(service: CAService, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from asn1crypto import pem

    from tests.cli.runner import run_cli

    paths = {}
    for name, cert in (("root", service.root), ("ca", service.intermediate), ("good", service.leaf),
                       ("revoked", service.revoked_leaf)):  # type: ignore[attr-defined]
        paths[name] = tmp_path / f"{name}.pem"
        paths[name].write_bytes(pem.armor("CERTIFICATE", cert.der))
    at = service.now.isoformat()
    common = ["--trust", paths["root"], "--untrusted", paths["ca"], "--at", at, "--fetch-revocation", "--require-revocation"]
    good = run_cli(capsys, "verify", paths["good"], *common, "--json")
    assert good.code == 0 and {fact["source"] for fact in good.json()["revocation"]} == {"ocsp"}
    revoked = run_cli(capsys, "verify", paths["revoked"], *common, "--revocation-cache", tmp_path / "cache")
    assert revoked.code == 1 and "revoked:" in revoked.out
