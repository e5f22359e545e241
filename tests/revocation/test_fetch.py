"""Gathering revocation data over HTTP (certmutual.pki.fetch) against the local CA service.

Every fault the service can inject must end as a typed failed attempt within the time limit, never as
an exception or a hang; caches must honour thisUpdate/nextUpdate at an injected clock; one source
must be safe under many threads.
"""

from __future__ import annotations

import datetime
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from certmutual.errors import UsageError
from certmutual.pki.builder import KeyKind
from certmutual.pki.certificate import Certificate
from certmutual.pki.fetch import (
    FetchAttempt, FetchKind, FetchOutcome, HttpClient, RevocationConfig, RevocationData, RevocationMode, RevocationOrder,
    RevocationSource, crl_urls,
)
from certmutual.pki.fetch_cache import DiskCache, MemoryCache
from certmutual.pki.ocsp import parse_response
from certmutual.pki.signatures import check_signed_by
from tests.pki_factory import DAY, HOUR, REF_TIME
from tests.revocation.ca_service import CAService, Fault, ca_service  # noqa: F401  (fixture)

TIMEOUT = 0.5
MARGIN = 0.5  # scheduling noise allowed on top of a time limit


def source(service: CAService, **config: object) -> RevocationSource:
    """A source with short limits whose clock is the service's ``now``."""
    settings: dict[str, object] = {"timeout": TIMEOUT, "deadline": 5.0}
    settings.update(config)
    return RevocationSource(RevocationConfig(**settings), clock=lambda: service.now)  # type: ignore[arg-type]


def only(data: RevocationData, kind: FetchKind | None = None, cert: Certificate | None = None) -> FetchAttempt:
    attempts = [a for a in data.attempts if (kind is None or a.kind is kind) and (cert is None or a.certificate == cert.sha256)]
    assert len(attempts) == 1, attempts
    return attempts[0]


def outcomes(data: RevocationData) -> list[tuple[str, str, bool]]:
    return [(a.kind.value, a.outcome.value, a.from_cache) for a in data.attempts]


def timed(action: Callable[[], RevocationData]) -> tuple[RevocationData, float]:
    started = time.monotonic()
    data = action()
    return data, time.monotonic() - started


# -- the happy paths and the order -------------------------------------------------------------------


def test_ocsp_first_asks_only_ocsp_when_it_answers(ca_service: CAService) -> None:
    data = source(ca_service).gather(ca_service.chain, REF_TIME)
    assert outcomes(data) == [("ocsp", "ok", False), ("ocsp", "ok", False)]
    assert data.crls == ()
    assert [sha for sha, _ in data.ocsp] == [ca_service.leaf.sha256, ca_service.intermediate.sha256]
    assert ca_service.hits_for(ca_service.ocsp_url("intermediate")) == 1
    assert ca_service.hits_for(ca_service.ocsp_url("root")) == 1
    assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 0
    assert ca_service.hits_for(ca_service.crl_url("root")) == 0
    leaf_attempt = only(data, cert=ca_service.leaf)
    assert leaf_attempt.url == ca_service.ocsp_url("intermediate") and leaf_attempt.status == 200
    assert leaf_attempt.fetched_at == REF_TIME
    response = parse_response(data.ocsp_for(ca_service.leaf)[0])
    assert response.basic is not None and response.basic.responses[0].cert_id.serial == ca_service.leaf.serial


def test_crl_first_asks_only_crls_when_they_answer(ca_service: CAService) -> None:
    data = source(ca_service, order=RevocationOrder.CRL_FIRST).gather(ca_service.chain, REF_TIME)
    assert outcomes(data) == [("crl", "ok", False), ("crl", "ok", False)]
    assert data.ocsp == ()
    assert {crl.issuer_text for crl in data.crls} == {ca_service.intermediate.subject_text, ca_service.root.subject_text}
    assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 1
    assert ca_service.hits_for(ca_service.crl_url("root")) == 1
    assert ca_service.hits_for(ca_service.ocsp_url("intermediate")) == 0
    assert ca_service.hits_for(ca_service.ocsp_url("root")) == 0


@pytest.mark.parametrize("order", list(RevocationOrder))
def test_the_second_source_is_asked_when_the_first_fails(ca_service: CAService, order: RevocationOrder) -> None:
    first_url = ca_service.ocsp_url("intermediate") if order is RevocationOrder.OCSP_FIRST else ca_service.crl_url("intermediate")
    ca_service.inject(first_url, Fault.HTTP_500)
    data = source(ca_service, order=order).gather(ca_service.chain[:2], REF_TIME)
    first, second = (("ocsp", "crl") if order is RevocationOrder.OCSP_FIRST else ("crl", "ocsp"))
    assert outcomes(data) == [(first, "http_status", False), (second, "ok", False)]
    assert ca_service.hits_for(ca_service.ocsp_url("intermediate")) == 1
    assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 1


@pytest.mark.parametrize("fault", [Fault.STALE, Fault.TRY_LATER])
def test_unusable_data_is_kept_and_the_other_source_asked(ca_service: CAService, fault: Fault) -> None:
    ca_service.inject(ca_service.ocsp_url("intermediate"), fault)
    ca_service.inject(ca_service.crl_url("intermediate"), fault)
    data = source(ca_service).gather(ca_service.chain[:2], REF_TIME)
    if fault is Fault.STALE:  # both obtained, both stale: both handed over for the decision to call stale
        assert outcomes(data) == [("ocsp", "stale", False), ("crl", "stale", False)]
        assert len(data.crls) == 1 and len(data.ocsp) == 1
    else:  # a tryLater response is data (the decision may say so); a CRL answering 503 is not
        assert outcomes(data) == [("ocsp", "unsuitable", False), ("crl", "http_status", False)]
        assert only(data, FetchKind.CRL).status == 503
        assert len(data.ocsp) == 1 and data.crls == ()


def test_source_switches(ca_service: CAService) -> None:
    data = source(ca_service, fetch_ocsp=False).gather(ca_service.chain, REF_TIME)
    assert {a.kind for a in data.attempts} == {FetchKind.CRL}
    data = source(ca_service, fetch_crl=False, order=RevocationOrder.CRL_FIRST).gather(ca_service.chain, REF_TIME)
    assert {a.kind for a in data.attempts} == {FetchKind.OCSP}
    assert source(ca_service, fetch_crl=False, fetch_ocsp=False).gather(ca_service.chain, REF_TIME) == RevocationData()


def test_nothing_is_fetched_for_the_anchor(ca_service: CAService) -> None:
    assert source(ca_service).gather([ca_service.root], REF_TIME) == RevocationData()
    assert sum(ca_service.hits.values()) == 0


def test_revoked_status_is_gathered_not_judged(ca_service: CAService) -> None:
    ca_service.revoke(ca_service.leaf.serial, REF_TIME - DAY)
    data = source(ca_service).gather(ca_service.chain[:2], REF_TIME)
    assert only(data).outcome is FetchOutcome.OK and "revoked" in only(data).detail
    data = source(ca_service, order=RevocationOrder.CRL_FIRST).gather(ca_service.chain[:2], REF_TIME)
    (crl,) = data.crls
    assert ca_service.leaf.serial in crl.revoked


def test_ocsp_unknown_status_asks_the_crl_too(ca_service: CAService) -> None:
    stranger = ca_service.issue_leaf(0x3003, known=False)  # the responder has not heard of it
    data = source(ca_service).gather([stranger, ca_service.intermediate], REF_TIME)
    assert outcomes(data) == [("ocsp", "unsuitable", False), ("crl", "ok", False)]
    assert only(data, FetchKind.OCSP).detail == "certStatus unknown"
    assert len(data.ocsp_for(stranger)) == 1 and len(data.crls) == 1


@pytest.mark.parametrize("nonce", [False, True])
def test_ocsp_by_get_and_with_nonce(ca_service: CAService, nonce: bool) -> None:
    data = source(ca_service, ocsp_get=True, ocsp_nonce=nonce).gather(ca_service.chain[:2], REF_TIME)
    assert only(data).outcome is FetchOutcome.OK
    assert ca_service.hits_for(ca_service.ocsp_url("intermediate")) == 1
    response = parse_response(data.ocsp[0][1])
    assert response.basic is not None and (response.basic.nonce is not None) is nonce


def test_sm2_pki() -> None:
    with CAService(KeyKind.SM2) as service:
        data = RevocationSource(RevocationConfig(order=RevocationOrder.CRL_FIRST, timeout=2), clock=lambda: service.now).gather(
            service.chain, REF_TIME)
        assert [a.outcome for a in data.attempts] == [FetchOutcome.OK, FetchOutcome.OK]
        for crl, issuer in zip(sorted(data.crls, key=lambda c: c.issuer_text), [service.intermediate, service.root]):
            assert check_signed_by(crl, issuer, sm2_user_id=b"1234567812345678", allow_weak=False, cache=None, what="CRL") is None


# -- faults: every one a typed outcome, within the time limit ------------------------------------------

FAULTS = [
    (Fault.DELAY, {"seconds": 3.0}, FetchOutcome.TIMEOUT),
    (Fault.TRICKLE, {"seconds": 0.05}, FetchOutcome.TIMEOUT),
    (Fault.HTTP_500, {}, FetchOutcome.HTTP_STATUS),
    (Fault.GARBAGE, {}, FetchOutcome.MALFORMED),
    (Fault.OVERSIZED, {"size": 30 * 1024 * 1024}, FetchOutcome.TOO_LARGE),
    (Fault.OVERSIZED_UNANNOUNCED, {"size": 30 * 1024 * 1024}, FetchOutcome.TOO_LARGE),
    (Fault.STALE, {}, FetchOutcome.STALE),
    (Fault.REDIRECT_LOOP, {}, FetchOutcome.TOO_MANY_REDIRECTS),
    (Fault.REDIRECT, {"target": "file:///etc/passwd", "status": 307}, FetchOutcome.REFUSED_SCHEME),
    (Fault.CLOSE_MID_BODY, {}, FetchOutcome.CONNECTION_ERROR),
]


@pytest.mark.parametrize("kind", list(FetchKind), ids=lambda k: k.value)
@pytest.mark.parametrize(("fault", "params", "expected"), FAULTS, ids=[f[0].value for f in FAULTS])
def test_fault_gives_a_typed_outcome_in_time(
    ca_service: CAService, kind: FetchKind, fault: Fault, params: dict[str, float], expected: FetchOutcome,
) -> None:
    url = ca_service.crl_url("intermediate") if kind is FetchKind.CRL else ca_service.ocsp_url("intermediate")
    ca_service.inject(url, fault, **params)  # type: ignore[arg-type]
    only_kind = {"fetch_ocsp": False} if kind is FetchKind.CRL else {"fetch_crl": False}
    data, elapsed = timed(lambda: source(ca_service, **only_kind).gather(ca_service.chain[:2], REF_TIME))
    attempt = only(data)
    assert (attempt.kind, attempt.outcome, attempt.from_cache) == (kind, expected, False), attempt
    assert attempt.detail
    assert elapsed < TIMEOUT + MARGIN
    assert attempt.seconds < TIMEOUT + MARGIN
    assert (len(data.crls) + len(data.ocsp) == 1) is expected.obtained


def test_oversized_body_is_not_read_to_its_end(ca_service: CAService) -> None:
    # A body far beyond the limit and sent without Content-Length: refused after max + 1 bytes.
    url = ca_service.crl_url("intermediate")
    ca_service.inject(url, Fault.OVERSIZED_UNANNOUNCED, size=200 * 1024 * 1024)
    data, elapsed = timed(lambda: source(ca_service, fetch_ocsp=False, max_crl_bytes=1024).gather(ca_service.chain[:2], REF_TIME))
    assert only(data).outcome is FetchOutcome.TOO_LARGE and "1024" in only(data).detail
    assert elapsed < TIMEOUT + MARGIN


@pytest.mark.parametrize("kind", list(FetchKind), ids=lambda k: k.value)
def test_wrong_key_is_gathered_and_left_to_the_decision(ca_service: CAService, kind: FetchKind) -> None:
    url = ca_service.crl_url("intermediate") if kind is FetchKind.CRL else ca_service.ocsp_url("intermediate")
    ca_service.inject(url, Fault.WRONG_KEY)
    only_kind = {"fetch_ocsp": False} if kind is FetchKind.CRL else {"fetch_crl": False}
    data = source(ca_service, **only_kind).gather(ca_service.chain[:2], REF_TIME)
    assert only(data).outcome is FetchOutcome.OK  # the fetcher verifies nothing
    if kind is FetchKind.CRL:
        (crl,) = data.crls
        bad = check_signed_by(crl, ca_service.intermediate, sm2_user_id=b"1234567812345678", allow_weak=False, cache=None, what="CRL")
        assert bad is not None
    else:
        response = parse_response(data.ocsp[0][1])
        assert response.basic is not None and response.basic.signature


def test_redirects(ca_service: CAService) -> None:
    url = ca_service.crl_url("intermediate")
    mirror = f"{ca_service.base_url}/mirror/crl/intermediate.crl"
    for target, expected in [
        ("/mirror/crl/intermediate.crl", FetchOutcome.OK),  # relative, same scheme: followed
        (mirror, FetchOutcome.OK),
        (mirror.replace("http://", "https://"), FetchOutcome.REFUSED_SCHEME),  # scheme change
        ("ftp://127.0.0.1/crl", FetchOutcome.REFUSED_SCHEME),
        ("data:application/pkix-crl;base64,MAA=", FetchOutcome.REFUSED_SCHEME),
    ]:
        ca_service.inject(url, Fault.REDIRECT, target=target)
        data = source(ca_service, fetch_ocsp=False).gather(ca_service.chain[:2], REF_TIME)
        assert only(data).outcome is expected, (target, only(data))
    # A POST is not turned into a GET by a 302.
    ca_service.inject(ca_service.ocsp_url("intermediate"), Fault.REDIRECT, target="/mirror/ocsp/intermediate")
    data = source(ca_service, fetch_crl=False).gather(ca_service.chain[:2], REF_TIME)
    assert only(data).outcome is FetchOutcome.HTTP_STATUS and only(data).status == 302


def test_redirect_limit(ca_service: CAService) -> None:
    ca_service.inject(ca_service.crl_url("intermediate"), Fault.REDIRECT_LOOP)
    data = source(ca_service, fetch_ocsp=False, max_redirects=2).gather(ca_service.chain[:2], REF_TIME)
    assert only(data).outcome is FetchOutcome.TOO_MANY_REDIRECTS
    assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 3  # the request and two redirects


def test_https(tmp_path: Path) -> None:
    with CAService(tls_dir=tmp_path) as service:
        assert service.base_url.startswith("https://") and service.tls_context is not None
        client = HttpClient(timeout=TIMEOUT, tls=service.tls_context)
        fetcher = RevocationSource(RevocationConfig(timeout=TIMEOUT), clock=lambda: service.now, http=client)
        assert outcomes(fetcher.gather(service.chain, REF_TIME)) == [("ocsp", "ok", False), ("ocsp", "ok", False)]
        # Slow over TLS: still cut at the timeout.
        service.inject(service.crl_url("intermediate"), Fault.TRICKLE, seconds=0.05)
        data, elapsed = timed(lambda: RevocationSource(RevocationConfig(timeout=TIMEOUT, fetch_ocsp=False), http=client).gather(
            service.chain[:2], REF_TIME))
        assert only(data).outcome is FetchOutcome.TIMEOUT and elapsed < TIMEOUT + MARGIN
        # https -> http is a downgrade: refused.
        service.inject(service.crl_url("intermediate"), Fault.REDIRECT, target=service.crl_url("root").replace("https:", "http:"))
        data = RevocationSource(RevocationConfig(timeout=TIMEOUT, fetch_ocsp=False), http=client).gather(service.chain[:2], REF_TIME)
        assert only(data).outcome is FetchOutcome.REFUSED_SCHEME
        # A server certificate the client does not trust: a connection error, not an exception.
        data = RevocationSource(RevocationConfig(timeout=TIMEOUT, fetch_crl=False)).gather(service.chain[:2], REF_TIME)
        assert only(data).outcome is FetchOutcome.CONNECTION_ERROR and "CERTIFICATE_VERIFY_FAILED" in only(data).detail


def test_refused_schemes_are_never_fetched(ca_service: CAService) -> None:
    leaf = ca_service.issue_leaf(0x2002, crl_urls=[
        "ldap://ldap.example.com/cn=CA?certificateRevocationList", "file:///etc/passwd", "ftp://127.0.0.1/ca.crl",
        "data:application/pkix-crl;base64,MAA=", ca_service.crl_url("intermediate")],
        ocsp_urls=["file:///etc/passwd"])
    assert crl_urls(leaf)[-1] == ca_service.crl_url("intermediate")
    data = source(ca_service).gather([leaf, ca_service.intermediate], REF_TIME)
    assert [a.outcome for a in data.attempts] == [FetchOutcome.REFUSED_SCHEME] * 5 + [FetchOutcome.OK]
    assert all(a.seconds == 0.0 for a in data.attempts[:5])
    assert sum(ca_service.hits.values()) == 1


def test_connection_errors(ca_service: CAService) -> None:
    leaf = ca_service.issue_leaf(0x2003, crl_urls=[
        f"http://127.0.0.1:{closed_port()}/ca.crl",  # nobody listens
        f"https://127.0.0.1:{ca_service.port}/crl/intermediate.crl",  # TLS to a plain HTTP server
        "http://:80/ca.crl"],  # no host
        ocsp_urls=[])
    data, elapsed = timed(lambda: source(ca_service).gather([leaf, ca_service.intermediate], REF_TIME))
    assert [a.outcome for a in data.attempts] == [
        FetchOutcome.CONNECTION_ERROR, FetchOutcome.CONNECTION_ERROR, FetchOutcome.INVALID_URL]
    assert elapsed < 2 * TIMEOUT + MARGIN


def closed_port() -> int:
    """A local port with nothing listening on it (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(("limit", "kind"), [("max_crl_bytes", FetchKind.CRL), ("max_ocsp_bytes", FetchKind.OCSP)])
def test_size_limits_apply_to_genuine_answers(ca_service: CAService, limit: str, kind: FetchKind) -> None:
    only_kind = {"fetch_ocsp": False} if kind is FetchKind.CRL else {"fetch_crl": False}
    data = source(ca_service, **only_kind, **{limit: 64}).gather(ca_service.chain[:2], REF_TIME)
    assert only(data).outcome is FetchOutcome.TOO_LARGE and only(data).status == 200


def test_deadline_bounds_the_whole_gather(ca_service: CAService) -> None:
    for url in (ca_service.ocsp_url("intermediate"), ca_service.crl_url("intermediate"),
                ca_service.ocsp_url("root"), ca_service.crl_url("root")):
        ca_service.inject(url, Fault.DELAY, seconds=5)
    data, elapsed = timed(lambda: source(ca_service, timeout=0.4, deadline=1.0).gather(ca_service.chain, REF_TIME))
    assert elapsed < 1.0 + MARGIN
    assert [a.outcome for a in data.attempts] == [
        FetchOutcome.TIMEOUT, FetchOutcome.TIMEOUT, FetchOutcome.DEADLINE, FetchOutcome.DEADLINE]
    assert "no time left" in data.attempts[-1].detail


def test_the_deadline_cuts_a_request_short(ca_service: CAService) -> None:
    ca_service.inject(ca_service.crl_url("intermediate"), Fault.DELAY, seconds=5)
    data, elapsed = timed(lambda: source(ca_service, fetch_ocsp=False, timeout=3, deadline=0.3).gather(ca_service.chain[:2], REF_TIME))
    assert only(data).outcome is FetchOutcome.DEADLINE
    assert elapsed < 0.3 + MARGIN


# -- caches ---------------------------------------------------------------------------------------------


def test_crl_cache_honours_this_update_and_next_update(ca_service: CAService) -> None:
    url = ca_service.crl_url("intermediate")
    fetcher = source(ca_service, fetch_ocsp=False)
    first = fetcher.gather(ca_service.chain[:2], REF_TIME)
    assert outcomes(first) == [("crl", "ok", False)]
    # Within thisUpdate (now - 1 h) .. nextUpdate (now + 1 day): from the cache.
    for offset in (datetime.timedelta(0), 23 * HOUR):
        ca_service.now = REF_TIME + offset
        again = fetcher.gather(ca_service.chain[:2], ca_service.now)
        assert outcomes(again) == [("crl", "ok", True)]
        assert again.crls == first.crls and only(again).fetched_at == REF_TIME
    assert ca_service.hits_for(url) == 1
    # Before thisUpdate (a clock set back): refetched.
    ca_service.now = REF_TIME - 3 * HOUR
    assert outcomes(fetcher.gather(ca_service.chain[:2], ca_service.now)) == [("crl", "ok", False)]
    assert ca_service.hits_for(url) == 2
    # After nextUpdate: refetched, the new CRL replaces the old one.
    ca_service.now = REF_TIME + 2 * DAY
    later = fetcher.gather(ca_service.chain[:2], ca_service.now)
    assert outcomes(later) == [("crl", "ok", False)] and ca_service.hits_for(url) == 3
    assert later.crls[0].this_update == REF_TIME + 2 * DAY - HOUR
    # Expired and the refetch fails: the stale copy is still handed over, marked stale.
    ca_service.inject(url, Fault.HTTP_500)
    ca_service.now = REF_TIME + 4 * DAY
    stale = fetcher.gather(ca_service.chain[:2], ca_service.now)
    assert outcomes(stale) == [("crl", "http_status", False), ("crl", "stale", True)]
    assert stale.crls == later.crls
    assert stale.attempts[1].fetched_at == REF_TIME + 2 * DAY  # when the stale copy was fetched


def test_cached_crl_is_stale_for_a_later_validation_time(ca_service: CAService) -> None:
    fetcher = source(ca_service, order=RevocationOrder.CRL_FIRST)
    fetcher.gather(ca_service.chain[:2], REF_TIME)
    # Fresh now, but the validation time is past its nextUpdate: kept, called stale, OCSP asked too
    # (whose answer is just as stale at that time).
    data = fetcher.gather(ca_service.chain[:2], REF_TIME + 3 * DAY)
    assert outcomes(data) == [("crl", "stale", True), ("ocsp", "stale", False)]
    assert len(data.crls) == 1 and len(data.ocsp) == 1


def test_ocsp_cache_until_next_update(ca_service: CAService) -> None:
    url = ca_service.ocsp_url("intermediate")
    fetcher = source(ca_service, fetch_crl=False)
    fetcher.gather(ca_service.chain[:2], REF_TIME)
    ca_service.now = REF_TIME + 30 * 60 * datetime.timedelta(seconds=1)
    assert outcomes(fetcher.gather(ca_service.chain[:2], ca_service.now)) == [("ocsp", "ok", True)]
    assert ca_service.hits_for(url) == 1
    ca_service.now = REF_TIME + 2 * HOUR  # past nextUpdate (thisUpdate + 2 h)
    assert outcomes(fetcher.gather(ca_service.chain[:2], ca_service.now)) == [("ocsp", "ok", False)]
    assert ca_service.hits_for(url) == 2


@pytest.mark.parametrize("fault", [Fault.NO_NEXT_UPDATE, Fault.TRY_LATER, Fault.GARBAGE])
def test_ocsp_responses_without_a_window_are_not_cached(ca_service: CAService, fault: Fault) -> None:
    url = ca_service.ocsp_url("intermediate")
    ca_service.inject(url, fault)
    fetcher = source(ca_service, fetch_crl=False)
    for _ in range(3):
        data = fetcher.gather(ca_service.chain[:2], REF_TIME)
        assert not only(data).from_cache
    assert ca_service.hits_for(url) == 3
    if fault is Fault.NO_NEXT_UPDATE:  # usable when fetched (newer information is always available)
        assert only(data).outcome is FetchOutcome.OK


def test_disk_cache_survives_a_new_source(ca_service: CAService, tmp_path: Path) -> None:
    fetcher = source(ca_service, cache_dir=tmp_path, order=RevocationOrder.CRL_FIRST)
    first = fetcher.gather(ca_service.chain, REF_TIME)
    disk = DiskCache(tmp_path)
    for ca in ("intermediate", "root"):
        assert disk.crl_path(ca_service.crl_url(ca)).is_file()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    fresh = source(ca_service, cache_dir=tmp_path, order=RevocationOrder.CRL_FIRST)
    second = fresh.gather(ca_service.chain, REF_TIME)
    assert outcomes(second) == [("crl", "ok", True), ("crl", "ok", True)]
    assert {c.sha256 for c in second.crls} == {c.sha256 for c in first.crls}
    assert all(a.fetched_at == REF_TIME for a in second.attempts)
    assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 1


def test_disk_cache_ignores_a_corrupted_file(ca_service: CAService, tmp_path: Path) -> None:
    url = ca_service.crl_url("intermediate")
    source(ca_service, cache_dir=tmp_path, fetch_ocsp=False).gather(ca_service.chain[:2], REF_TIME)
    path = DiskCache(tmp_path).crl_path(url)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    data = source(ca_service, cache_dir=tmp_path, fetch_ocsp=False).gather(ca_service.chain[:2], REF_TIME)
    assert outcomes(data) == [("crl", "ok", False)]
    assert ca_service.hits_for(url) == 2
    assert path.read_bytes() != good[: len(good) // 2]  # replaced by the refetched CRL
    assert outcomes(source(ca_service, cache_dir=tmp_path, fetch_ocsp=False).gather(ca_service.chain[:2], REF_TIME)) == [
        ("crl", "ok", True)]


def test_disk_cache_for_ocsp(ca_service: CAService, tmp_path: Path) -> None:
    source(ca_service, cache_dir=tmp_path, fetch_crl=False).gather(ca_service.chain, REF_TIME)
    path = DiskCache(tmp_path).ocsp_path(ca_service.leaf.sha256, ca_service.ocsp_url("intermediate"))
    assert path.is_file()
    data = source(ca_service, cache_dir=tmp_path, fetch_crl=False).gather(ca_service.chain, REF_TIME)
    assert outcomes(data) == [("ocsp", "ok", True), ("ocsp", "ok", True)]
    path.write_bytes(b"\x30\x03\x0a\x01")  # truncated garbage
    data = source(ca_service, cache_dir=tmp_path, fetch_crl=False).gather(ca_service.chain, REF_TIME)
    assert outcomes(data) == [("ocsp", "ok", False), ("ocsp", "ok", True)]


def test_unwritable_cache_dir_is_not_an_error(ca_service: CAService, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    data = source(ca_service, cache_dir=blocker / "cache", fetch_ocsp=False).gather(ca_service.chain[:2], REF_TIME)
    assert outcomes(data) == [("crl", "ok", False)]


def test_memory_cache_is_bounded() -> None:
    cache = MemoryCache(100)
    for index in range(10):
        cache.put(index, f"value {index}", 30)
    assert len(cache) == 3 and cache.get(9) == "value 9" and cache.get(0) is None
    cache.put("huge", "x", 101)
    assert cache.get("huge") is None


# -- threads ----------------------------------------------------------------------------------------------


def test_threads_hammering_one_source(ca_service: CAService) -> None:
    fetcher = source(ca_service, timeout=5.0, deadline=15.0)
    ca_service.inject(ca_service.ocsp_url("intermediate"), Fault.HTTP_500)  # the leaf falls back to its CRL
    results: list[RevocationData] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(50):
                data = fetcher.gather(ca_service.chain, REF_TIME)
                with lock:
                    results.append(data)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(results) == 400
    expected = ([("ocsp", "http_status")], [("crl", "ok")], [("ocsp", "ok")])
    for data in results:
        leaf_attempts = [(a.kind.value, a.outcome.value) for a in data.attempts_for(ca_service.leaf)]
        assert leaf_attempts == expected[0] + expected[1]
        assert [(a.kind.value, a.outcome.value) for a in data.attempts_for(ca_service.intermediate)] == expected[2]
        assert [c.sha256 for c in data.crls] == [results[0].crls[0].sha256]
        assert data.ocsp == results[0].ocsp
    # One fetch of each good URL, whatever the number of threads; the failing one each time asked.
    assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 1
    assert ca_service.hits_for(ca_service.ocsp_url("root")) == 1
    assert ca_service.hits_for(ca_service.ocsp_url("intermediate")) <= 400


@pytest.mark.parametrize("fault", [Fault.NONE, Fault.DELAY])
def test_concurrent_gathers_share_one_fetch(ca_service: CAService, fault: Fault) -> None:
    url = ca_service.crl_url("intermediate")
    ca_service.inject(url, Fault.DELAY, seconds=0.3 if fault is Fault.NONE else 5.0)
    fetcher = source(ca_service, fetch_ocsp=False, timeout=1.0)
    results: list[RevocationData] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append(fetcher.gather(ca_service.chain[:2], REF_TIME))

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert time.monotonic() - started < 1.0 + MARGIN
    assert ca_service.hits_for(url) == 1
    expected = FetchOutcome.OK if fault is Fault.NONE else FetchOutcome.TIMEOUT
    assert [only(data).outcome for data in results] == [expected] * 8
    assert sum("concurrent fetch" in only(data).detail for data in results) == 7


# -- the HTTP client and the configuration, directly ---------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("file:///etc/passwd", FetchOutcome.REFUSED_SCHEME),
    ("ftp://127.0.0.1/x.crl", FetchOutcome.REFUSED_SCHEME),
    ("data:,hello", FetchOutcome.REFUSED_SCHEME),
    ("ldap://example.com/cn=x", FetchOutcome.REFUSED_SCHEME),
    ("/relative/path", FetchOutcome.REFUSED_SCHEME),
    ("http:///no-host", FetchOutcome.INVALID_URL),
    ("http://127.0.0.1:70000/", FetchOutcome.INVALID_URL),
    ("http://127.0.0.1:1/a b\r\nX-Injected: 1", FetchOutcome.INVALID_URL),
])
def test_http_client_refusals(url: str, expected: FetchOutcome) -> None:
    result = HttpClient(timeout=TIMEOUT).get(url, max_bytes=1024)
    assert result.outcome is expected and result.body is None and result.detail


def test_http_client_post_and_deadline(ca_service: CAService) -> None:
    client = HttpClient(timeout=2.0)
    result = client.get(ca_service.crl_url("root"), max_bytes=1 << 20)
    assert result.outcome is FetchOutcome.OK and result.body and result.status == 200
    ca_service.inject(ca_service.crl_url("root"), Fault.DELAY, seconds=5)
    started = time.monotonic()
    result = client.get(ca_service.crl_url("root"), max_bytes=1 << 20, deadline=time.monotonic() + 0.2)
    assert result.outcome is FetchOutcome.DEADLINE and time.monotonic() - started < 0.2 + MARGIN
    assert client.get(ca_service.crl_url("root"), max_bytes=1, deadline=time.monotonic() - 1).outcome is FetchOutcome.DEADLINE


def test_configuration_and_misuse(ca_service: CAService) -> None:
    config = RevocationConfig()
    assert (config.order, config.mode, config.timeout, config.deadline) == (
        RevocationOrder.OCSP_FIRST, RevocationMode.HARD_FAIL, 5.0, 15.0)
    assert (config.max_crl_bytes, config.max_ocsp_bytes, config.cache_dir) == (20 * 1024 * 1024, 64 * 1024, None)
    for bad in ({"timeout": 0}, {"deadline": -1}, {"max_crl_bytes": 0}, {"max_redirects": -1}, {"ocsp_hash": "md5"},
                {"order": "ocsp_first"}):
        with pytest.raises(UsageError):
            RevocationConfig(**bad)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        source(ca_service).gather(ca_service.chain, REF_TIME.replace(tzinfo=None))
    with pytest.raises(UsageError):
        HttpClient(timeout=0)
