"""POST /v1/entities/resolve: 注册一次、全省通用 — a certificate from any recognised vendor resolves
to the registered market entity (by ``Identity.entity_key``); the first sight registers it."""

from __future__ import annotations

from flask import Blueprint, g

from gateway.api.common import authenticate, certificate_der, json_body, purpose, record_decision, sha256_of, verdict_fields
from gateway.state import state

bp = Blueprint("entities", __name__, url_prefix="/v1/entities")


@bp.post("/resolve")
def resolve() -> tuple[dict[str, object], int]:
    gateway = state()
    caller = authenticate("entities", gateway)
    data = json_body()
    der = certificate_der(data)
    result = gateway.verifier.verify_certificate(der, service=purpose(data))
    out, identity = verdict_fields(gateway, der, result)
    out["entity"], out["registered"] = None, False
    # Only a certificate the province accepts may register or resolve an entity.
    if result.accepted and identity is not None and identity.entity_key is not None:
        vendor = out["vendor"]["id"] if out["vendor"] else None
        record, created = gateway.storage.register_entity(identity.to_dict(), sha256_of(der), vendor, caller.centre_id)
        out["entity"], out["registered"] = record.to_dict(), created
    reasons = [code.value for code in result.codes] + ([] if out["entity"] or not result.accepted else ["no_entity"])
    out["audit"] = record_decision(gateway, "entities/resolve", result.status.value, reasons, out["identity"], sha256_of(der))
    out["request_id"] = g.request_id
    return out, 200
