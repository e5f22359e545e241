"""The gateway's behaviour through the Flask test client, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from asn1crypto import algos, pem

from certmutual.demo import DEMO_CREDIT_CODE
from certmutual.pki.builder import KeyKind, SigningKey, issue_certificate, name
from certmutual.pki.keyfile import load_signing_key
from gateway.auth import create_api_key, register_centre, sign_request
from tests.gateway.conftest import Gateway, make_gateway, request_body

VERIFY = "/v1/certificates/verify"


def error_of(response) -> str:  # type: ignore[no-untyped-def]
    body = response.get_json()
    assert set(body) == {"code", "reason", "detail"}, body
    return str(body["code"])


# -- verification ------------------------------------------------------------------------------------

def test_demo_certificate_is_accepted_with_identity_vendor_and_sequence(gateway: Gateway) -> None:
    response = gateway.post(VERIFY, request_body(gateway))
    assert response.status_code == 200
    body = response.get_json()
    assert body["accepted"] is True and body["status"] == "valid"
    assert [reason["code"] for reason in body["reasons"]] == ["ok"]
    assert body["identity"]["entity_key"] == "org:708461136"
    assert body["identity"]["credit_code"] == DEMO_CREDIT_CODE
    assert body["vendor"] == {"id": "demo-sm2", "name": "certmutual 演示 SM2 CA"}
    assert body["trust_list_sequence"] == 1
    assert body["audit"]["seq"] == 1 and len(body["audit"]["hash"]) == 64
    assert response.headers["X-Request-Id"] == body["request_id"]


def test_base64_der_and_the_second_vendor(gateway: Gateway) -> None:
    der = pem.unarmor(gateway.leaf_pem(1).encode())[2]
    body = gateway.post(VERIFY, {"certificate": base64.b64encode(der).decode(), "purpose": "signing"}).get_json()
    assert body["accepted"] is True
    assert body["vendor"]["id"] == "demo-p256"
    assert body["identity"]["entity_key"] == "org:708461136"


def test_validation_time_and_rejections_are_verdicts(gateway: Gateway) -> None:
    body = gateway.post(VERIFY, request_body(gateway, time="2000-01-01T00:00:00Z")).get_json()
    assert body["accepted"] is False
    assert "not_yet_valid" in [reason["code"] for reason in body["reasons"]]
    garbage = gateway.post(VERIFY, {"certificate": base64.b64encode(b"\x30\x03\x02\x01\x01").decode()}).get_json()
    assert garbage["accepted"] is False and garbage["reasons"][0]["code"] == "malformed" and garbage["identity"] is None


@pytest.mark.parametrize("body, code", [
    ({}, "missing_field"),
    ({"certificate": 12}, "bad_field"),
    ({"certificate": "not a certificate!"}, "bad_certificate"),
    ({"certificate": "MIIB", "purpose": "bidding"}, "bad_field"),
    ({"certificate": "MIIB", "time": "yesterday"}, "bad_field"),
])
def test_bad_input_is_400(sqlite_gateway: Gateway, body: dict[str, object], code: str) -> None:
    response = sqlite_gateway.post(VERIFY, body)
    assert response.status_code == 400 and error_of(response) == code


def test_bad_json_is_400(sqlite_gateway: Gateway) -> None:
    response = sqlite_gateway.client.post(VERIFY, data=b"{not json", content_type="application/json", headers=sqlite_gateway.auth())
    assert response.status_code == 400 and error_of(response) == "bad_json"
    response = sqlite_gateway.client.post(VERIFY, data=b"[1]", content_type="application/json", headers=sqlite_gateway.auth())
    assert response.status_code == 400 and error_of(response) == "bad_json"


# -- refusals: authentication, scope, revocation, replay, size, type, rate ------------------------------

def test_unauthenticated_is_401(gateway: Gateway) -> None:
    response = gateway.client.post(VERIFY, json=request_body(gateway))
    assert response.status_code == 401 and error_of(response) == "unauthenticated"
    assert "Bearer" in response.headers["WWW-Authenticate"]
    forged = gateway.api_key[:-4] + ("AAAA" if not gateway.api_key.endswith("AAAA") else "BBBB")
    response = gateway.post(VERIFY, request_body(gateway), key=forged)
    assert response.status_code == 401 and error_of(response) == "unauthenticated"
    response = gateway.client.post(VERIFY, json=request_body(gateway), headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401 and error_of(response) == "unauthenticated"


def test_wrong_scope_is_403(gateway: Gateway) -> None:
    storage = gateway.state.storage
    reader = register_centre(storage, "reader-centre", "只读中心", scopes=["trust-list"])
    response = gateway.post(VERIFY, request_body(gateway), key=reader)
    assert response.status_code == 403 and error_of(response) == "scope_denied"
    assert response.get_json()["detail"]["scope"] == "certificates"
    assert gateway.client.get("/v1/trust-list", headers=gateway.auth(reader)).status_code == 200


def test_revoked_key_and_revoked_centre_are_401(gateway: Gateway) -> None:
    storage = gateway.state.storage
    first = register_centre(storage, "city-a", "甲市交易中心")
    second = create_api_key(storage, "city-a")
    assert gateway.post(VERIFY, request_body(gateway), key=first).status_code == 200
    assert storage.revoke(first.split(".")[1]) == "key"
    response = gateway.post(VERIFY, request_body(gateway), key=first)
    assert response.status_code == 401 and error_of(response) == "key_revoked"
    assert gateway.post(VERIFY, request_body(gateway), key=second).status_code == 200
    assert storage.revoke("city-a") == "centre"
    response = gateway.post(VERIFY, request_body(gateway), key=second)
    assert response.status_code == 401 and error_of(response) == "key_revoked"


def _signed_post(gateway: Gateway, body: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    headers = sign_request(gateway.api_key, "POST", VERIFY, body, **kwargs)  # type: ignore[arg-type]
    return gateway.client.post(VERIFY, data=body, content_type="application/json", headers=headers)


def test_signed_request_accepted_once_and_replay_refused(gateway: Gateway) -> None:
    import json

    body = json.dumps(request_body(gateway)).encode()
    headers = sign_request(gateway.api_key, "POST", VERIFY, body)
    first = gateway.client.post(VERIFY, data=body, content_type="application/json", headers=headers)
    assert first.status_code == 200 and first.get_json()["accepted"] is True
    replay = gateway.client.post(VERIFY, data=body, content_type="application/json", headers=headers)
    assert replay.status_code == 401 and error_of(replay) == "replayed_request"
    stale = _signed_post(gateway, body, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 401 and error_of(stale) == "stale_request"
    tampered_headers = sign_request(gateway.api_key, "POST", VERIFY, body)
    tampered = gateway.client.post(VERIFY, data=body.replace(b"signing", b"encryption"), content_type="application/json",
                                   headers=tampered_headers)
    assert tampered.status_code == 401 and error_of(tampered) == "bad_request_signature"
    # Only the first request reached a decision.
    assert gateway.state.storage.audit_count() == 1


def test_required_signing_refuses_bearer(demo_pki: Path, tmp_path: Path) -> None:
    import json

    gateway = make_gateway(demo_pki, tmp_path / "s", f"sqlite:///{tmp_path / 'db'}", require_request_signing=True)
    response = gateway.post(VERIFY, request_body(gateway))
    assert response.status_code == 401 and error_of(response) == "signature_required"
    assert _signed_post(gateway, json.dumps(request_body(gateway)).encode()).status_code == 200


def test_oversized_body_is_413(gateway: Gateway) -> None:
    limit = gateway.state.config.max_body_bytes
    response = gateway.client.post(VERIFY, data=b"{" + b" " * (limit + 1) + b"}", content_type="application/json",
                                   headers=gateway.auth())
    assert response.status_code == 413 and error_of(response) == "body_too_large"


def test_oversized_chunked_body_is_413_not_cut_off(sqlite_gateway: Gateway) -> None:
    """A chunked body (no Content-Length) over the limit is refused, not decided on its first bytes."""
    import io
    import json

    limit = sqlite_gateway.state.config.max_body_bytes
    headers = {**sqlite_gateway.auth(), "Transfer-Encoding": "chunked", "Content-Type": "application/json"}
    chunked = {"CONTENT_LENGTH": "", "wsgi.input_terminated": True}  # as gunicorn passes a chunked body
    response = sqlite_gateway.client.post(VERIFY, input_stream=io.BytesIO(b"{" + b" " * (limit + 1) + b"}"), headers=headers,
                                          environ_overrides=chunked)
    assert response.status_code == 413 and error_of(response) == "body_too_large"
    body = json.dumps(request_body(sqlite_gateway)).encode()
    response = sqlite_gateway.client.post(VERIFY, input_stream=io.BytesIO(body), headers=headers, environ_overrides=chunked)
    assert response.status_code == 200 and response.get_json()["accepted"] is True
    assert sqlite_gateway.state.storage.audit_count() == 1


def test_wrong_content_type_is_415(gateway: Gateway) -> None:
    response = gateway.client.post(VERIFY, data=gateway.leaf_pem(), content_type="text/plain", headers=gateway.auth())
    assert response.status_code == 415 and error_of(response) == "unsupported_media_type"


def test_rate_limit_is_429(demo_pki: Path, tmp_path: Path) -> None:
    gateway = make_gateway(demo_pki, tmp_path / "s", f"sqlite:///{tmp_path / 'db'}", rate_limit_per_second=0.5, rate_limit_burst=2)
    statuses = [gateway.client.get("/v1/vendors", headers=gateway.auth()).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200] and statuses[2] == 429
    response = gateway.client.get("/v1/vendors", headers=gateway.auth())
    assert error_of(response) == "rate_limited" and int(response.headers["Retry-After"]) >= 1


def test_unknown_route_and_method_use_the_error_shape(sqlite_gateway: Gateway) -> None:
    assert error_of(sqlite_gateway.client.get("/v1/nothing")) == "not_found"
    response = sqlite_gateway.client.get(VERIFY)
    assert response.status_code == 405 and error_of(response) == "method_not_allowed"


# -- login by USB key ---------------------------------------------------------------------------------

def _challenge(gateway: Gateway, key: str | None = None) -> str:
    response = gateway.client.post("/v1/challenges", headers=gateway.auth(key))
    assert response.status_code == 201
    return str(response.get_json()["challenge"])


def _leaf_key(gateway: Gateway, vendor: int) -> SigningKey:
    assert gateway.state.demo is not None
    return load_signing_key(Path(gateway.state.demo.vendors[vendor].leaf_key).read_bytes())


def test_login_sm2_der_and_raw_and_single_use(gateway: Gateway) -> None:
    key = _leaf_key(gateway, 0)
    challenge = _challenge(gateway)
    der_signature = key.sign(challenge.encode())
    body = {"certificate": gateway.leaf_pem(0), "challenge": challenge, "signature": base64.b64encode(der_signature).decode()}
    response = gateway.post("/v1/signatures/verify", body)
    assert response.status_code == 200
    verdict = response.get_json()
    assert verdict["accepted"] is True and verdict["signature"]["accepted"] is True
    assert verdict["identity"]["entity_key"] == "org:708461136" and verdict["vendor"]["id"] == "demo-sm2"
    reused = gateway.post("/v1/signatures/verify", body)
    assert reused.status_code == 409 and error_of(reused) == "challenge_used"

    challenge = _challenge(gateway)
    raw = algos.DSASignature.load(key.sign(challenge.encode())).to_p1363()
    body = {"certificate": gateway.leaf_pem(0), "challenge": challenge, "signature": raw.hex(), "signature_encoding": "hex"}
    assert gateway.post("/v1/signatures/verify", body).get_json()["accepted"] is True


def test_login_ecdsa_and_a_wrong_signature(gateway: Gateway) -> None:
    key = _leaf_key(gateway, 1)
    challenge = _challenge(gateway)
    body = {"certificate": gateway.leaf_pem(1), "challenge": challenge,
            "signature": base64.b64encode(key.sign(challenge.encode())).decode()}
    assert gateway.post("/v1/signatures/verify", body).get_json()["accepted"] is True
    challenge = _challenge(gateway)
    wrong = {"certificate": gateway.leaf_pem(1), "challenge": challenge,
             "signature": base64.b64encode(key.sign(b"something else")).decode()}
    verdict = gateway.post("/v1/signatures/verify", wrong).get_json()
    assert verdict["accepted"] is False and verdict["signature"]["reasons"][0]["code"] == "bad_signature"
    assert verdict["certificate"]["status"] == "valid"


def test_login_rsa_signature_verifies_but_untrusted_certificate_is_refused(sqlite_gateway: Gateway) -> None:
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc)
    key = SigningKey.generate(KeyKind.RSA2048)
    cert = issue_certificate(subject=name({"common_name": "self-signed RSA"}), subject_key=key, issuer_key=key,
                             not_before=now - datetime.timedelta(days=1), not_after=now + datetime.timedelta(days=1))
    challenge = _challenge(sqlite_gateway)
    body = {"certificate": base64.b64encode(cert.der).decode(), "challenge": challenge,
            "signature": base64.b64encode(key.sign(challenge.encode())).decode()}
    verdict = sqlite_gateway.post("/v1/signatures/verify", body).get_json()
    assert verdict["signature"]["accepted"] is True
    assert verdict["accepted"] is False and verdict["certificate"]["status"] != "valid"


def test_challenge_expires_and_is_bound_to_its_centre(gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _leaf_key(gateway, 0)
    challenge = _challenge(gateway)
    body = {"certificate": gateway.leaf_pem(0), "challenge": challenge,
            "signature": base64.b64encode(key.sign(challenge.encode())).decode()}
    other = register_centre(gateway.state.storage, "city-b", "乙市交易中心")
    response = gateway.post("/v1/signatures/verify", body, key=other)
    assert response.status_code == 400 and error_of(response) == "challenge_unknown"
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + gateway.state.config.challenge_ttl_seconds + 5)
    response = gateway.post("/v1/signatures/verify", body)
    assert response.status_code == 410 and error_of(response) == "challenge_expired"


# -- register once, recognised everywhere ----------------------------------------------------------------

def test_entities_resolve_across_two_vendors(gateway: Gateway) -> None:
    first = gateway.post("/v1/entities/resolve", request_body(gateway, 0)).get_json()
    assert first["accepted"] is True and first["registered"] is True
    assert first["entity"]["entity_key"] == "org:708461136" and first["entity"]["first_vendor"] == "demo-sm2"
    other_centre = register_centre(gateway.state.storage, "city-c", "丙市交易中心")
    second = gateway.post("/v1/entities/resolve", request_body(gateway, 1), key=other_centre).get_json()
    assert second["accepted"] is True and second["registered"] is False
    assert second["vendor"]["id"] == "demo-p256"
    assert second["entity"]["entity_key"] == first["entity"]["entity_key"]
    assert second["entity"]["registered_by"] == "demo-centre"
    assert second["entity"]["vendors"] == ["demo-p256", "demo-sm2"] and second["entity"]["certificates"] == 2
    again = gateway.post("/v1/entities/resolve", request_body(gateway, 0)).get_json()
    assert again["registered"] is False and again["entity"]["certificates"] == 2


def test_rejected_certificate_resolves_nothing(gateway: Gateway) -> None:
    body = gateway.post("/v1/entities/resolve", {"certificate": base64.b64encode(b"\x30\x00").decode()}).get_json()
    assert body["accepted"] is False and body["entity"] is None and body["registered"] is False


# -- reading endpoints --------------------------------------------------------------------------------------

def test_trust_list_vendors_health_metrics_openapi(gateway: Gateway) -> None:
    trust = gateway.client.get("/v1/trust-list", headers=gateway.auth()).get_json()
    assert trust["sequence_number"] == 1 and trust["expired"] is False
    assert [vendor["id"] for vendor in trust["vendors"]] == ["demo-sm2", "demo-p256"]
    assert trust["vendors"][0]["status_at"]["status"] == "recognised"
    vendors = gateway.client.get("/v1/vendors", headers=gateway.auth()).get_json()
    assert len(vendors["vendors"]) == 2 and any(profile["id"] == "cfca" for profile in vendors["profiles"])
    assert gateway.client.get("/v1/trust-list").status_code == 401
    assert gateway.client.get("/healthz").get_json() == {"status": "ok"}
    ready = gateway.client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"]["storage"] == "ok"
    gateway.post(VERIFY, request_body(gateway))
    metrics = gateway.client.get("/metrics")
    assert metrics.mimetype == "text/plain"
    text = metrics.data.decode()
    assert 'certmutual_gateway_decisions_total{' in text and 'verdict="valid"} 1' in text
    assert "certmutual_gateway_request_duration_seconds_bucket" in text
    spec = gateway.client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/v1/certificates/verify" in spec["paths"]
    demo = gateway.client.get("/v1/demo").get_json()
    assert [item["vendor"] for item in demo["certificates"]] == ["demo-sm2", "demo-p256"]


def test_seals_and_seal_signatures_are_verified_through_the_seals_layer(gateway: Gateway) -> None:
    from tests.seals import seal_factory

    seal = seal_factory.seal("v4", name="示范科技有限公司合同专用章", es_id="44030000000042", seal_type=2, size_mm=(42, 38))
    response = gateway.post("/v1/seals/verify", {"seal": base64.b64encode(seal).decode()})
    assert response.status_code == 200
    verdict = response.get_json()
    # The factory's maker CA is not in the demo trust list: a decided, rejected seal.
    assert verdict["accepted"] is False and verdict["status"] in ("invalid", "indeterminate")
    assert verdict["trust_list_sequence"] == 1 and verdict["audit"]["seq"] >= 1
    signature = seal_factory.signature(version="v4", data=seal_factory.DATA)
    response = gateway.post("/v1/seals/verify", {"seal": base64.b64encode(signature).decode(),
                                                 "signed_data": base64.b64encode(seal_factory.DATA).decode()})
    assert response.status_code == 200 and response.get_json()["accepted"] is False
    garbage = gateway.post("/v1/seals/verify", {"seal": base64.b64encode(b"\x30\x03\x02\x01\x01").decode()}).get_json()
    assert garbage["accepted"] is False and garbage["reasons"][0]["code"] in ("malformed", "unsupported_format")
    assert gateway.client.post("/v1/seals/verify", json={"seal": "AA=="}).status_code == 401


def test_logs_carry_no_secret_and_no_full_number(gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="certmutual.gateway")
    gateway.post(VERIFY, request_body(gateway))
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "certificates/verify" in text and "org:70*****36" in text
    assert gateway.api_key.split(".")[2] not in text
    assert DEMO_CREDIT_CODE not in text and "708461136" not in text
