"""The verification gateway: certmutual as an HTTP service for trading centres (一证通).

Thin: every decision comes from :class:`certmutual.Verifier`; views parse input, call it, record
the decision in the audit trail and return ``to_dict()``. See specs/openapi.yaml.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, g, request
from flask.wrappers import Request, Response

from gateway import errors
from gateway.config import ConfigError, GatewayConfig, load_config
from gateway.jsonio import GatewayJSONProvider
from gateway.state import build_state, init_app

log = logging.getLogger("certmutual.gateway")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the gateway. ``config`` overrides the defaults, the TOML file
    (``$CERTMUTUAL_GATEWAY_CONFIG`` or ``config_file``) and ``CERTMUTUAL_*`` variables; upper-case
    keys are passed to Flask. Raises :class:`ConfigError` when the configuration cannot work."""
    settings = load_config(config)
    logging.getLogger("certmutual.gateway").setLevel(settings.log_level.upper())
    # pyHanko logs what it finds in a PDF as warnings with tracebacks; the gateway gives those
    # findings as reasons in the verdict, and its log is kept to the gateway's own lines (no
    # document content): only their errors pass.
    for library in ("pyhanko", "pyhanko_certvalidator"):
        library_log = logging.getLogger(library)
        library_log.setLevel(max(library_log.getEffectiveLevel(), logging.ERROR))
    app = Flask(__name__)
    app.json = GatewayJSONProvider(app)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.config.update(settings.extra)
    init_app(app, build_state(settings))
    errors.init_app(app)
    _request_hooks(app)

    from gateway.api import certificates, documents, entities, health, login, seals, trust

    for blueprint in (certificates.bp, login.bp, entities.bp, seals.bp, documents.bp, trust.bp, health.bp):
        app.register_blueprint(blueprint)
    return app


_REQUEST_IDS = itertools.count(1)
_ID_PREFIX = f"{int(time.time()):x}{os.getpid():x}"


def _next_request_id() -> str:
    """Unique per gateway run without a system call per request (the process's start and pid, then
    a counter); a centre may send its own ``X-Request-Id`` instead."""
    global _ID_PREFIX
    if not _ID_PREFIX.endswith(f"{os.getpid():x}"):  # a forked worker
        _ID_PREFIX = f"{int(time.time()):x}{os.getpid():x}"
    return f"{_ID_PREFIX}-{next(_REQUEST_IDS):x}"


UPLOAD_ENDPOINTS = frozenset({"seals.verify_seal", "documents.verify_document"})
"""Endpoints whose bodies may be up to ``max_document_bytes`` (the others: ``max_body_bytes``)."""


def _bound_body(req: Request, config: GatewayConfig) -> None:
    """Apply the endpoint's body limit, also to a chunked body (no Content-Length).

    Werkzeug cuts a chunked body off at ``max_content_length`` without an error, so a body over the
    limit would be decided on its first bytes. Here a chunked body is read up to the limit now:
    over it is 413; within it, the body is handed on with its Content-Length."""
    limit = config.max_document_bytes if req.endpoint in UPLOAD_ENDPOINTS else config.max_body_bytes
    req.max_content_length = limit  # also spares werkzeug's read of the app config through current_app
    environ = req.environ
    if environ.get("CONTENT_LENGTH") or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return
    stream, chunks, size = environ["wsgi.input"], [], 0
    while size <= limit:
        chunk = stream.read(min(65536, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise errors.ApiError(413, "body_too_large", "the request body is larger than this endpoint accepts",
                              {"limit_bytes": limit})
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(b"".join(chunks)), str(size)


def _request_hooks(app: Flask) -> None:
    # The hooks run on every request: they read the request and ``g`` through one lookup each
    # (every attribute read through Flask's context proxies costs a context lookup) and the state
    # from this app, not through ``current_app``.
    extensions = app.extensions

    @app.before_request
    def _start() -> None:
        req, ctx = request._get_current_object(), g._get_current_object()  # type: ignore[attr-defined]
        ctx.started = time.perf_counter()
        supplied = req.environ.get("HTTP_X_REQUEST_ID", "")
        ctx.request_id = supplied if 0 < len(supplied) <= 64 and supplied.replace("-", "").isalnum() else _next_request_id()
        _bound_body(req, extensions["certmutual"].config)

    @app.after_request
    def _finish(response: Response) -> Response:
        req, ctx = request._get_current_object(), g._get_current_object()  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - ctx.get("started", time.perf_counter())
        rule = req.url_rule
        endpoint = rule.rule if rule is not None else "unmatched"
        status = response.status_code
        extensions["certmutual"].metrics.observe(endpoint, req.method, status, elapsed)
        request_id = ctx.get("request_id", "")
        response.headers["X-Request-Id"] = request_id
        # Refusals and errors at INFO, every request at DEBUG (each decision is also in the audit
        # trail). Never headers (API keys) nor bodies (certificates, ID numbers): the centre, the
        # route, the outcome and the masked subject only.
        level = logging.INFO if status >= 400 else logging.DEBUG
        if log.isEnabledFor(level):
            log.log(level, "%s %s %d centre=%s verdict=%s subject=%s %.1fms id=%s", req.method, endpoint, status,
                    ctx.get("centre", "-"), ctx.get("verdict", "-"), ctx.get("masked_subject", "-"), elapsed * 1000, request_id)
        return response


__all__ = ["ConfigError", "GatewayConfig", "create_app", "load_config"]
