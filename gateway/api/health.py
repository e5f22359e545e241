"""GET /healthz (the process answers), /readyz (storage reachable, trust list fresh), /metrics
(Prometheus text) and /openapi.json (specs/openapi.yaml as JSON)."""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response

from gateway.state import state
from gateway.storage import StorageError

bp = Blueprint("health", __name__)
OPENAPI_PATH = Path(__file__).resolve().parents[2] / "specs" / "openapi.yaml"


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> tuple[dict[str, Any], int]:
    gateway = state()
    checks: dict[str, Any] = {}
    try:
        gateway.storage.ping()
        checks["storage"] = "ok"
    except StorageError:
        checks["storage"] = "unreachable"
    expired = gateway.trust_list.is_expired(datetime.datetime.now(datetime.timezone.utc))
    checks["trust_list"] = "expired" if expired else "ok"
    checks["trust_list_sequence"] = gateway.trust_list.sequence_number
    ready = checks["storage"] == "ok" and not expired
    return {"status": "ready" if ready else "not_ready", "checks": checks}, 200 if ready else 503


@bp.get("/metrics")
def metrics() -> Response:
    gateway = state()
    text = gateway.metrics.render(gateway.storage.audit_commits, gateway.storage.audit_records)
    return Response(text, mimetype="text/plain", headers={"Content-Type": "text/plain; version=0.0.4"})


@cache
def openapi_document() -> str:
    return json.dumps(yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8")), ensure_ascii=False)


@bp.get("/openapi.json")
def openapi() -> Response:
    return Response(openapi_document(), mimetype="application/json")
