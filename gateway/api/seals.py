"""POST /v1/seals/verify: seals (电子印章 SESeal) and seal signatures (电子签章 SES_Signature) go to
``certmutual.seals`` with the gateway's Verifier (which judges the maker and signer certificates
against the trust list). The JSON body may be up to ``max_document_bytes``.
"""

from __future__ import annotations

from typing import Any

from certmutual import seals
from certmutual.errors import MalformedInput
from flask import Blueprint, g

from gateway.api.common import authenticate, binary_field, json_body, record_decision, sha256_of, validation_time
from gateway.state import state

bp = Blueprint("seals", __name__, url_prefix="/v1")


@bp.post("/seals/verify")
def verify_seal() -> tuple[dict[str, Any], int]:
    gateway = state()
    authenticate("seals", gateway)
    data = json_body()
    raw = binary_field(data, "seal")
    signed_data = binary_field(data, "signed_data") if data.get("signed_data") is not None else None
    at = validation_time(data)
    verifier = gateway.verifier
    try:
        value: seals.Seal | seals.SealSignature | None = seals.parse(raw)
    except (seals.UnsupportedSealFormat, MalformedInput):
        value = None  # verify_seal below turns it into a malformed / unsupported_format verdict
    result: seals.SealResult | seals.SealSignatureResult
    if isinstance(value, seals.SealSignature):
        result = seals.check_seal_signature(value, verifier, signed_data=signed_data, at=at)
    elif isinstance(value, seals.Seal):
        result = seals.check_seal(value, verifier, at=at)
    else:
        result = seals.verify_seal(raw, verifier, at=at)
    out: dict[str, Any] = result.to_dict()
    identity = result.identity.to_dict() if isinstance(result, seals.SealSignatureResult) and result.identity else None
    out["trust_list_sequence"] = gateway.trust_list.sequence_number
    out["audit"] = record_decision(gateway, "seals/verify", result.status.value, [code.value for code in result.codes], identity,
                                   sha256_of(raw))
    out["request_id"] = g.request_id
    return out, 200
