"""Login by USB key: POST /v1/challenges issues a single-use, expiring challenge; POST
/v1/signatures/verify checks the certificate and its signature over the challenge."""

from __future__ import annotations

import datetime
import secrets
import time

from flask import Blueprint, g

from gateway.api.common import (
    authenticate, binary_field, certificate_der, json_body, record_decision, sha256_of, text_field, verdict_fields,
)
from gateway.errors import ApiError
from gateway.state import state

bp = Blueprint("login", __name__, url_prefix="/v1")


@bp.post("/challenges")
def new_challenge() -> tuple[dict[str, object], int]:
    caller = authenticate("signatures")
    gateway = state()
    challenge = secrets.token_urlsafe(32)
    expires = int(time.time()) + gateway.config.challenge_ttl_seconds
    gateway.storage.add_challenge(challenge, caller.centre_id, expires)
    return {"challenge": challenge, "expires_at": _iso(expires), "ttl_seconds": gateway.config.challenge_ttl_seconds,
            "sign": "the UTF-8 bytes of 'challenge'"}, 201


@bp.post("/signatures/verify")
def verify_login() -> tuple[dict[str, object], int]:
    gateway = state()
    caller = authenticate("signatures", gateway)
    data = json_body()
    challenge = text_field(data, "challenge", limit=128)
    assert challenge is not None
    der = certificate_der(data)
    signature = binary_field(data, "signature")
    hash_name = text_field(data, "hash", required=False, limit=16)
    sm2_id = text_field(data, "sm2_id", required=False, limit=256)
    # The challenge is spent before anything is checked: one attempt per challenge.
    outcome = gateway.storage.consume_challenge(challenge, caller.centre_id, time.time())
    if outcome != "ok":
        record_decision(gateway, "signatures/verify", "refused", [f"challenge_{outcome}"], None, sha256_of(der))
        raise ApiError(409 if outcome == "used" else 400 if outcome == "unknown" else 410, f"challenge_{outcome}",
                       {"used": "this challenge was already used", "expired": "this challenge has expired",
                        "unknown": "this challenge was not issued to this centre"}[outcome])
    certificate_result = gateway.verifier.verify_certificate(der)
    kwargs = {"sm2_user_id": sm2_id.encode("utf-8")} if sm2_id is not None else {}
    signature_result = gateway.verifier.verify_signature(challenge.encode("utf-8"), signature, certificate=der,
                                                         hash_name=hash_name, **kwargs)
    out, _ = verdict_fields(gateway, der, certificate_result)
    accepted = certificate_result.accepted and signature_result.accepted
    out = {"accepted": accepted, "certificate": {key: out.pop(key) for key in ("status", "reasons", "warnings", "chain", "at")},
           "signature": signature_result.to_dict(), **{key: value for key, value in out.items() if key != "accepted"}}
    verdict = "valid" if accepted else ("invalid" if "invalid" in (certificate_result.status.value, signature_result.status.value)
                                        else "indeterminate")
    reasons = [code.value for code in certificate_result.codes] + [f"signature:{code.value}" for code in signature_result.codes]
    out["audit"] = record_decision(gateway, "signatures/verify", verdict, reasons, out["identity"], sha256_of(der))
    out["request_id"] = g.request_id
    return out, 200


def _iso(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat().replace("+00:00", "Z")
