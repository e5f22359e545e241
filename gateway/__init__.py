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
from flask.wrappers import Response

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


def _bound_body() -> None:
    """Apply the endpoint's body limit, also to a chunked body (no Content-Length).

    Werkzeug cuts a chunked body off at ``max_content_length`` without an error, so a body over the
    limit would be decided on its first bytes. Here a chunked body is read up to the limit now:
    over it is 413; within it, the body is handed on with its Content-Length."""
    from gateway.state import state

    config = state().config
    limit = config.max_document_bytes if request.endpoint in UPLOAD_ENDPOINTS else config.max_body_bytes
    if limit != config.max_body_bytes:
        request.max_content_length = limit
    environ = request.environ
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
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        supplied = request.headers.get("X-Request-Id", "")
        g.request_id = supplied if 0 < len(supplied) <= 64 and supplied.replace("-", "").isalnum() else _next_request_id()
        _bound_body()

    @app.after_request
    def _finish(response: Response) -> Response:
        from gateway.state import state

        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        state().metrics.observe(endpoint, request.method, response.status_code, elapsed)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        # Refusals and errors at INFO, every request at DEBUG (each decision is also in the audit
        # trail). Never headers (API keys) nor bodies (certificates, ID numbers): the centre, the
        # route, the outcome and the masked subject only.
        level = logging.INFO if response.status_code >= 400 else logging.DEBUG
        if log.isEnabledFor(level):
            log.log(level, "%s %s %d centre=%s verdict=%s subject=%s %.1fms id=%s", request.method, endpoint, response.status_code,
                     g.get("centre", "-"), g.get("verdict", "-"), g.get("masked_subject", "-"), elapsed * 1000, g.get("request_id"))
        return response


__all__ = ["ConfigError", "GatewayConfig", "create_app", "load_config"]
