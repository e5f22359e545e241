"""The verification gateway: certmutual as an HTTP service for trading centres (一证通).

Thin: every decision comes from :class:`certmutual.Verifier`; views parse input, call it, record
the decision in the audit trail and return ``to_dict()``. See specs/openapi.yaml.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Flask, g, request
from flask.wrappers import Response

from gateway import errors
from gateway.config import ConfigError, GatewayConfig, load_config
from gateway.state import build_state, init_app

log = logging.getLogger("certmutual.gateway")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the gateway. ``config`` overrides the defaults, the TOML file
    (``$CERTMUTUAL_GATEWAY_CONFIG`` or ``config_file``) and ``CERTMUTUAL_*`` variables; upper-case
    keys are passed to Flask. Raises :class:`ConfigError` when the configuration cannot work."""
    settings = load_config(config)
    logging.getLogger("certmutual.gateway").setLevel(settings.log_level.upper())
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, JSON_SORT_KEYS=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(settings.extra)
    init_app(app, build_state(settings))
    errors.init_app(app)
    _request_hooks(app)

    from gateway.api import certificates, entities, health, login, sealsdocs, trust

    for blueprint in (certificates.bp, login.bp, entities.bp, trust.bp, health.bp, sealsdocs.bp):
        app.register_blueprint(blueprint)
    return app


def _request_hooks(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        supplied = request.headers.get("X-Request-Id", "")
        g.request_id = supplied if 0 < len(supplied) <= 64 and supplied.replace("-", "").isalnum() else uuid.uuid4().hex

    @app.after_request
    def _finish(response: Response) -> Response:
        from gateway.state import state

        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        state().metrics.observe(endpoint, request.method, response.status_code, elapsed)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if log.isEnabledFor(logging.INFO):
            # Never headers (API keys) nor bodies (certificates, ID numbers): the centre, the route,
            # the outcome and the masked subject only.
            log.info("%s %s %d centre=%s verdict=%s subject=%s %.1fms id=%s", request.method, endpoint, response.status_code,
                     g.get("centre", "-"), g.get("verdict", "-"), g.get("masked_subject", "-"), elapsed * 1000, g.get("request_id"))
        return response


__all__ = ["ConfigError", "GatewayConfig", "create_app", "load_config"]
