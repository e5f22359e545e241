"""JSON in and out of the gateway: orjson (a dependency: about ten times faster than the standard
library on a verdict, which the gateway encodes once per request), the standard library as the
fallback when orjson is missing or meets a type it does not know.

Output is UTF-8 without ASCII escapes and keeps the keys in insertion order (the verdict's order),
like ``json.dumps(..., ensure_ascii=False)``.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Response

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the fallback keeps the gateway working
    orjson = None  # type: ignore[assignment]


def dumps(value: Any) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:
            pass
    return json.dumps(value, ensure_ascii=False, default=DefaultJSONProvider.default).encode("utf-8")


def dumps_sorted(value: dict[str, Any]) -> str:
    """Compact JSON text with sorted keys, like ``json.dumps(value, ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))`` (the audit trail's subject)."""
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        except TypeError:
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(data: bytes) -> Any:
    """Parse a request body. Raises ``ValueError`` (bad JSON, bad UTF-8, nesting too deep)."""
    if orjson is not None:
        return orjson.loads(data)
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class GatewayJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with :func:`dumps` underneath (views return dicts; Flask calls this)."""

    ensure_ascii = False
    sort_keys = False

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return Response(dumps(self._prepare_response_obj(args, kwargs)), mimetype=self.mimetype)
