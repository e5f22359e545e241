"""POST /v1/seals/verify and /v1/documents/verify.

Seals (电子印章 SESeal) and seal signatures (电子签章 SES_Signature) go to ``certmutual.seals`` with
the gateway's Verifier (which judges the maker and signer certificates against the trust list).
Documents (OFD, PDF) go to ``certmutual.documents`` — ``verify_ofd(data, verifier, at=)`` and
``verify_pdf(data, verifier, at=)`` — when the installed certmutual exports them, else 501 with the
reason. Uploads may be up to ``max_document_bytes``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from certmutual import seals
from certmutual.errors import MalformedInput
from flask import Blueprint, g, request

from gateway.api.common import authenticate, binary_field, json_body, record_decision, sha256_of, validation_time
from gateway.errors import ApiError
from gateway.state import state

bp = Blueprint("sealsdocs", __name__, url_prefix="/v1")
DOCUMENT_FUNCTIONS = {"application/pdf": "verify_pdf", "application/ofd": "verify_ofd", "application/zip": "verify_ofd"}


@bp.post("/seals/verify")
def verify_seal() -> tuple[dict[str, Any], int]:
    authenticate("seals")
    request.max_content_length = state().config.max_document_bytes
    data = json_body()
    raw = binary_field(data, "seal")
    signed_data = binary_field(data, "signed_data") if data.get("signed_data") is not None else None
    at = validation_time(data)
    verifier = state().verifier
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
    out["trust_list_sequence"] = state().trust_list.sequence_number
    out["audit"] = record_decision("seals/verify", result.status.value, [code.value for code in result.codes], identity,
                                   sha256_of(raw))
    out["request_id"] = g.request_id
    return out, 200


def _document_function(mimetype: str) -> Callable[..., Any]:
    name = DOCUMENT_FUNCTIONS[mimetype]
    try:
        module = importlib.import_module("certmutual.documents")
    except ImportError:
        module = None
    function = getattr(module, name, None)
    if function is None or not callable(function):
        raise ApiError(501, "not_implemented", f"this build of certmutual has no certmutual.documents.{name} yet (the "
                       "documents layer is in development); nothing was decided", {"missing": f"certmutual.documents.{name}"})
    found: Callable[..., Any] = function
    return found


@bp.post("/documents/verify")
def verify_document() -> tuple[dict[str, Any], int]:
    authenticate("documents")
    request.max_content_length = state().config.max_document_bytes
    if request.mimetype not in DOCUMENT_FUNCTIONS:
        raise ApiError(415, "unsupported_media_type", f"upload the document as one of {', '.join(DOCUMENT_FUNCTIONS)}",
                       {"content_type": request.content_type})
    function = _document_function(request.mimetype)
    document = request.get_data(cache=True)
    result = function(document, state().verifier)
    out: dict[str, Any] = result.to_dict()
    out["trust_list_sequence"] = state().trust_list.sequence_number
    out["audit"] = record_decision("documents/verify", result.status.value, [code.value for code in result.codes], None,
                                   sha256_of(document))
    out["request_id"] = g.request_id
    return out, 200
