"""POST /v1/documents/verify: a signed OFD or PDF document, uploaded as the request body.

OFD packages (``application/ofd``, or ``application/zip``) go to ``certmutual.documents.verify_ofd``
and PDF files (``application/pdf``) to ``certmutual.documents.verify_pdf``, each with the gateway's
Verifier, so every signer certificate is judged against the trust list like a bare certificate.
Hostile uploads (zip bombs, XML bombs, unreadable files) are verdicts with a reason code
(``container_refused``, ``xml_refused``, ``malformed``), decided and audited like any other; an
upload over ``max_document_bytes`` is 413. Only when the installed certmutual has no ``verify_pdf``
is a PDF answered 501 (``not_implemented``): nothing was decided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from certmutual import documents
from certmutual.documents import verify_ofd
from certmutual.identity.model import Identity
from certmutual.results import ReasonCode, Status
from flask import Blueprint, g, request

from gateway.api.common import authenticate, record_decision, sha256_of, validation_time
from gateway.errors import ApiError
from gateway.state import state

bp = Blueprint("documents", __name__, url_prefix="/v1")


class _Signature(Protocol):
    @property
    def identity(self) -> Identity | None: ...


class DocumentResult(Protocol):
    """What ``verify_ofd`` and ``verify_pdf`` return (``OfdResult``, ``PdfResult``)."""

    @property
    def status(self) -> Status: ...

    @property
    def codes(self) -> tuple[ReasonCode, ...]: ...

    @property
    def signatures(self) -> Sequence[_Signature]: ...

    def to_dict(self) -> dict[str, Any]: ...


DocumentVerifier = Callable[..., DocumentResult]
VERIFY_PDF: DocumentVerifier | None = getattr(documents, "verify_pdf", None)
"""``certmutual.documents.verify_pdf`` when this build of certmutual has it (read once, at import)."""
FORMATS: dict[str, tuple[str, DocumentVerifier | None]] = {
    "application/ofd": ("ofd", verify_ofd), "application/zip": ("ofd", verify_ofd), "application/pdf": ("pdf", VERIFY_PDF),
}


@bp.post("/documents/verify")
def verify_document() -> tuple[dict[str, Any], int]:
    gateway = state()
    authenticate("documents", gateway)
    if request.mimetype not in FORMATS:
        raise ApiError(415, "unsupported_media_type", f"upload the document as one of {', '.join(FORMATS)}",
                       {"content_type": request.content_type})
    kind, function = FORMATS[request.mimetype]
    if function is None:
        raise ApiError(501, "not_implemented", f"this build of certmutual cannot verify {kind.upper()} documents (no "
                       f"certmutual.documents.verify_{kind}); nothing was decided", {"missing": f"certmutual.documents.verify_{kind}"})
    at = validation_time({"time": request.args.get("time")})
    document = request.get_data(cache=True)
    result = function(document, gateway.verifier, at=at)
    out: dict[str, Any] = {"format": kind, **result.to_dict()}
    identity = next((signature.identity for signature in result.signatures if signature.identity is not None), None)
    out["trust_list_sequence"] = gateway.trust_list.sequence_number
    out["audit"] = record_decision(gateway, "documents/verify", result.status.value, [code.value for code in result.codes],
                                   identity.to_dict() if identity is not None else None, sha256_of(document))
    out["request_id"] = g.request_id
    return out, 200
