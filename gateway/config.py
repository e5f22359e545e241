"""Gateway configuration: embedded defaults, then a TOML file, then ``CERTMUTUAL_*`` environment
variables, then the mapping given to :func:`gateway.create_app` — validated once, at start.

Every setting is a field of :class:`GatewayConfig`; an unknown key, a wrong type or an impossible
value stops the start with one line naming the setting and where it came from.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE_ENV = "CERTMUTUAL_GATEWAY_CONFIG"
ENV_PREFIX = "CERTMUTUAL_"
SCOPES = ("certificates", "signatures", "entities", "seals", "documents", "trust-list")
"""What an API key may be allowed to call (``trust-list`` covers /v1/trust-list and /v1/vendors)."""


class ConfigError(Exception):
    """A setting that cannot be used: the message names it and where it came from."""


@dataclass(frozen=True)
class GatewayConfig:
    state_dir: str = ".certmutual-demo"
    """Where the demo PKI, the demo API key and the default SQLite database live."""
    database: str = ""
    """``sqlite:///path`` or ``postgresql://...``; empty: ``sqlite:///<state_dir>/gateway.sqlite3``."""
    demo: bool = True
    """Generate (on first start) and use the demo trust list and demo centre. Off in production."""
    trust_list: str = ""
    """The signed province trust list (required when ``demo`` is off)."""
    trust_list_authority: tuple[str, ...] = ()
    """The pinned trust-list authority certificates."""
    vendors: str = ""
    """Vendor profile directory (empty: the library default, ``$CERTMUTUAL_VENDORS`` or vendors/)."""
    crls: tuple[str, ...] = ()
    require_revocation: bool = False
    max_body_bytes: int = 256 * 1024
    """Largest JSON request body (certificates, signatures): larger gets 413."""
    max_document_bytes: int = 32 * 1024 * 1024
    """Largest upload to /v1/documents/verify and /v1/seals/verify."""
    challenge_ttl_seconds: int = 120
    require_request_signing: bool = False
    """Refuse bearer-only requests: every call must carry an HMAC request signature."""
    signature_max_skew_seconds: int = 300
    rate_limit_per_second: float = 500.0
    """Per centre, per worker process (gunicorn workers do not share memory)."""
    rate_limit_burst: int = 1000
    auth_cache_seconds: float = 2.0
    """How long a worker reuses an API-key lookup: a revocation takes effect within this time."""
    sqlite_synchronous: str = "NORMAL"
    """SQLite's ``synchronous`` pragma (WAL mode). NORMAL: a committed audit record survives a crash
    of the gateway, but the last commits may be lost if the machine loses power (no fsync per
    commit). FULL: every commit is fsynced (about 4 ms each on the development machine, serialising
    all workers). Production storage is PostgreSQL, whose commits are durable and grouped."""
    log_level: str = "INFO"
    demo_endpoints: bool = True
    """Serve GET /v1/demo (the demo certificates) while ``demo`` is on."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Flask settings passed through (``TESTING`` and the like)."""

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{Path(self.state_dir, 'gateway.sqlite3')}"


_FIELDS = {f.name: f for f in dataclasses.fields(GatewayConfig) if f.name != "extra"}
_TYPES: dict[str, type] = {"str": str, "bool": bool, "int": int, "float": float, "tuple[str, ...]": tuple}


def _coerce(key: str, value: Any, where: str) -> Any:
    kind = str(_FIELDS[key].type)
    expected = _TYPES[kind]
    if isinstance(value, str) and expected is not str and where.startswith("environment"):
        value = _from_env_text(key, value, expected, where)
    if expected is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key} ({where}): expected a list of strings, got {value!r}")
        return tuple(value)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"{key} ({where}): expected {expected.__name__}, got {type(value).__name__} {value!r}")
    return value


def _from_env_text(key: str, text: str, expected: type, where: str) -> Any:
    if expected is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{key} ({where}): expected true or false, got {text!r}")
    if expected is tuple:
        return [item for item in text.split(os.pathsep) if item]
    try:
        return expected(text)
    except ValueError:
        raise ConfigError(f"{key} ({where}): expected {expected.__name__}, got {text!r}") from None


def load_config(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> GatewayConfig:
    """Defaults, then the TOML file (``config_file`` in ``overrides`` or ``$CERTMUTUAL_GATEWAY_CONFIG``),
    then ``CERTMUTUAL_<SETTING>`` variables, then ``overrides``. Raises :class:`ConfigError`."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    config_file = overrides.pop("config_file", None) or environ.get(CONFIG_FILE_ENV)
    if config_file:
        try:
            data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{config_file}: cannot read the gateway configuration: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: not valid TOML: {exc}") from None
        base = Path(config_file).resolve().parent
        for key, value in data.items():
            if key not in _FIELDS:
                raise ConfigError(f"{config_file}: unknown setting {key!r} (known: {', '.join(sorted(_FIELDS))})")
            values[key] = _relative(key, _coerce(key, value, f"file {config_file}"), base)
    for key in _FIELDS:
        name = ENV_PREFIX + key.upper()
        if name in environ:
            values[key] = _coerce(key, environ[name], f"environment {name}")
    for key, value in overrides.items():
        if key.isupper():
            extra[key] = value  # a Flask setting (TESTING, ...)
            continue
        if key not in _FIELDS:
            raise ConfigError(f"unknown setting {key!r} (known: {', '.join(sorted(_FIELDS))})")
        values[key] = _coerce(key, value, "create_app mapping")
    config = GatewayConfig(**values, extra=extra)
    validate(config)
    return config


_PATH_SETTINGS = ("state_dir", "trust_list", "trust_list_authority", "vendors", "crls")


def _relative(key: str, value: Any, base: Path) -> Any:
    """Paths in a TOML file are relative to the file."""
    if key not in _PATH_SETTINGS:
        return value
    if isinstance(value, tuple):
        return tuple(str(base / item) for item in value)
    return str(base / value) if value else value


def validate(config: GatewayConfig) -> None:
    """Refuse a configuration that cannot work, naming the setting."""
    scheme = config.database_url.split(":", 1)[0]
    if scheme not in ("sqlite", "postgresql", "postgres"):
        raise ConfigError(f"database: expected sqlite:///PATH or postgresql://..., got {config.database_url!r}")
    if not config.demo:
        if not config.trust_list:
            raise ConfigError("trust_list: required when demo is off (the signed province trust list)")
        if not config.trust_list_authority:
            raise ConfigError("trust_list_authority: required when demo is off (the pinned authority certificates)")
        for path in (config.trust_list, *config.trust_list_authority, *config.crls):
            if not Path(path).exists():
                raise ConfigError(f"{path}: no such file (from the gateway configuration)")
    for key in ("max_body_bytes", "max_document_bytes", "challenge_ttl_seconds", "signature_max_skew_seconds", "rate_limit_burst"):
        if getattr(config, key) <= 0:
            raise ConfigError(f"{key}: must be positive, got {getattr(config, key)}")
    if config.rate_limit_per_second <= 0:
        raise ConfigError(f"rate_limit_per_second: must be positive, got {config.rate_limit_per_second}")
    if config.auth_cache_seconds < 0:
        raise ConfigError("auth_cache_seconds: must not be negative")
    if config.sqlite_synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ConfigError(f"sqlite_synchronous: expected NORMAL, FULL or EXTRA, got {config.sqlite_synchronous!r}")
    if config.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"log_level: expected DEBUG, INFO, WARNING or ERROR, got {config.log_level!r}")
