"""One error shape for every refusal: ``{"code": ..., "reason": ..., "detail": ...}``.

``code`` is a stable machine-readable token (listed in specs/openapi.yaml), ``reason`` a sentence for
people, ``detail`` specifics (or null). Verdicts on certificates are not errors: they are 200
responses whose reasons come from certmutual's reason-code vocabulary.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from flask.wrappers import Response
from werkzeug.exceptions import HTTPException

log = logging.getLogger("certmutual.gateway")

HTTP_CODES = {
    400: ("bad_request", "the request is malformed"),
    401: ("unauthenticated", "an API key is required"),
    403: ("forbidden", "this API key may not call this endpoint"),
    404: ("not_found", "no such endpoint"),
    405: ("method_not_allowed", "this method is not allowed on this endpoint"),
    413: ("body_too_large", "the request body is larger than this endpoint accepts"),
    415: ("unsupported_media_type", "wrong content type"),
    429: ("rate_limited", "too many requests from this centre"),
    500: ("internal_error", "the gateway failed; the request was not decided"),
    501: ("not_implemented", "not available in this build"),
    503: ("unavailable", "the gateway cannot decide requests now"),
}


class ApiError(Exception):
    """A refusal with its HTTP status and error code."""

    def __init__(self, status: int, code: str, reason: str, detail: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.reason = reason
        self.detail = detail
        self.headers = headers or {}


def error_response(status: int, code: str, reason: str, detail: Any = None, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"code": code, "reason": reason, "detail": detail})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return error_response(error.status, error.code, error.reason, error.detail, error.headers)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        code, reason = HTTP_CODES.get(status, ("http_error", error.name))
        detail = None
        if status == 413:
            limit = getattr(error, "limit", None)
            detail = {"limit_bytes": limit} if limit else None
        response = error_response(status, code, reason, detail)
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error: %s", type(error).__name__)
        code, reason = HTTP_CODES[500]
        return error_response(500, code, reason, None)
