"""POST /v1/seals/verify and /v1/documents/verify.

Seals (GB/T 38540 SESeal) and documents (OFD, PDF) are verified by the library's ``seals`` and
``documents`` layers through the façade: these views call ``Verifier.verify_seal(bytes)`` and
``Verifier.verify_document(bytes)`` when the installed certmutual has them, and answer 501 with the
reason otherwise. Uploads may be up to ``max_document_bytes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, g, request

from gateway.api.common import authenticate, binary_field, json_body, record_decision, sha256_of
from gateway.errors import ApiError
from gateway.state import state

bp = Blueprint("sealsdocs", __name__, url_prefix="/v1")
DOCUMENT_TYPES = ("application/pdf", "application/ofd", "application/zip", "application/octet-stream")


def _library(name: str) -> Callable[..., Any]:
    function: Callable[..., Any] | None = getattr(state().verifier, name, None)
    if function is None or not callable(function):
        raise ApiError(501, "not_implemented", f"this build of certmutual has no Verifier.{name} yet (the seals and "
                       "documents layers are in development); nothing was decided", {"missing": f"certmutual.Verifier.{name}"})
    return function


@bp.post("/seals/verify")
def verify_seal() -> tuple[dict[str, Any], int]:
    authenticate("seals")
    request.max_content_length = state().config.max_document_bytes
    data = json_body()
    seal = binary_field(data, "seal")
    result = _library("verify_seal")(seal)
    out: dict[str, Any] = result.to_dict()
    out["audit"] = record_decision("seals/verify", result.status.value, [code.value for code in result.codes], None, sha256_of(seal))
    out["request_id"] = g.request_id
    return out, 200


@bp.post("/documents/verify")
def verify_document() -> tuple[dict[str, Any], int]:
    authenticate("documents")
    request.max_content_length = state().config.max_document_bytes
    if request.mimetype not in DOCUMENT_TYPES:
        raise ApiError(415, "unsupported_media_type", f"upload the document as one of {', '.join(DOCUMENT_TYPES)}",
                       {"content_type": request.content_type})
    document = request.get_data(cache=True)
    result = _library("verify_document")(document)
    out: dict[str, Any] = result.to_dict()
    out["audit"] = record_decision("documents/verify", result.status.value, [code.value for code in result.codes], None,
                                   sha256_of(document))
    out["request_id"] = g.request_id
    return out, 200
