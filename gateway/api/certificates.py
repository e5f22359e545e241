"""POST /v1/certificates/verify: is this certificate valid province-wide, and whose is it?"""

from __future__ import annotations

from flask import Blueprint, g
from flask.wrappers import Response

from gateway.api.common import (
    authenticate, certificate_der, json_body, purpose, record_decision, sha256_of, validation_time, verdict_fields,
)
from gateway.state import state

bp = Blueprint("certificates", __name__, url_prefix="/v1/certificates")


@bp.post("/verify")
def verify() -> tuple[dict[str, object], int]:
    gateway = state()
    authenticate("certificates", gateway)
    data = json_body()
    der = certificate_der(data)
    result = gateway.verifier.verify_certificate(der, at=validation_time(data), service=purpose(data))
    out, _ = verdict_fields(gateway, der, result)
    out["audit"] = record_decision(gateway, "certificates/verify", result.status.value, [code.value for code in result.codes],
                                   out["identity"], sha256_of(der))
    out["request_id"] = g.request_id
    return out, 200


__all__ = ["Response", "bp"]
