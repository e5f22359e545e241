"""The province profile as data: ``specs/profile/rules.toml`` loaded, typed and checked against the registry.

The file has a ``[profile]`` table (name, version, introduction), a ``[params]`` table (validity caps,
allowed algorithms, ...; every parameter the checks read is declared in :data:`PARAM_TYPES`) and one
``[[check]]`` table per check (id, severity, citation, applies_to, effective, description). Loading
refuses, with the file and the place: an unknown or missing check, a kind a check cannot judge, a bad
severity or date, a missing or mistyped parameter. ``--profile DIR`` points at another directory, so a
province changes severities, caps or dates as data.
"""

from __future__ import annotations

import datetime
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certmutual.conformance.model import AppliesTo, Rule, Severity
from certmutual.conformance.registry import BUILT_IN, registered
from certmutual.errors import ConfigurationError

RULES_FILE = "rules.toml"

PARAM_TYPES: dict[str, type] = {
    "allowed_signature_algorithms": list,
    "national_signature_algorithms": list,
    "allowed_ec_curves": list,
    "allow_rsa": bool,
    "min_rsa_bits": int,
    "min_serial_octets": int,
    "max_serial_octets": int,
    "max_end_entity_days": int,
    "max_intermediate_days": int,
    "max_root_days": int,
    "identity_extensions": list,
    "identity_subject_attributes": list,
    "max_crl_validity_days": int,
    "max_ocsp_validity_days": int,
    "pair_validity_tolerance_days": int,
    "seal_picture_types": list,
    "min_picture_mm": int,
    "max_picture_mm": int,
    "max_picture_bytes": int,
}
"""Every parameter a check reads, with its TOML type (lists are lists of strings)."""


@dataclass(frozen=True)
class Params:
    """The profile's ``[params]``, typed at load."""

    values: tuple[tuple[str, Any], ...]

    def _get(self, name: str) -> Any:
        for key, value in self.values:
            if key == name:
                return value
        raise KeyError(f"profile parameter {name!r} is not declared in PARAM_TYPES")

    def integer(self, name: str) -> int:
        value = self._get(name)
        assert isinstance(value, int)
        return value

    def flag(self, name: str) -> bool:
        value = self._get(name)
        assert isinstance(value, bool)
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self._get(name)
        assert isinstance(value, tuple)
        return value


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    introduction: str
    rules: tuple[Rule, ...]
    params: Params
    directory: Path

    @property
    def title(self) -> str:
        return f"{self.name} {self.version}"

    def rule(self, check_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == check_id:
                return rule
        raise KeyError(check_id)


def default_profile_directory() -> Path:
    """``$CERTMUTUAL_PROFILE``, else ``specs/profile`` of the source checkout."""
    configured = os.environ.get("CERTMUTUAL_PROFILE")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "specs" / "profile"


def load_profile(directory: Path | None = None) -> Profile:
    """The profile in ``directory`` (default :func:`default_profile_directory`). Raises
    :class:`ConfigurationError` naming the file and the place of the first problem."""
    directory = directory or default_profile_directory()
    path = directory / RULES_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read the profile: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from exc
    head = raw.get("profile")
    if not isinstance(head, dict) or not all(isinstance(head.get(key), str) for key in ("name", "version", "introduction")):
        raise ConfigurationError(f"{path}: [profile] needs name, version and introduction strings")
    params = _params(path, raw.get("params"))
    entries = raw.get("check")
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(f"{path}: no [[check]] tables")
    rules = [_rule(path, index, entry) for index, entry in enumerate(entries)]
    _match_registry(path, rules)
    return Profile(head["name"], head["version"], head["introduction"].strip(), tuple(rules), params, directory)


def _params(path: Path, raw: object) -> Params:
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{path}: missing [params] table")
    values: list[tuple[str, Any]] = []
    for name, kind in PARAM_TYPES.items():
        if name not in raw:
            raise ConfigurationError(f"{path}: [params] lacks {name}")
        value = raw[name]
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ConfigurationError(f"{path}: [params] {name} must be a list of strings")
            value = tuple(value)
        elif kind is int and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ConfigurationError(f"{path}: [params] {name} must be a non-negative integer")
        elif kind is bool and not isinstance(value, bool):
            raise ConfigurationError(f"{path}: [params] {name} must be true or false")
        values.append((name, value))
    unknown = sorted(set(raw) - set(PARAM_TYPES))
    if unknown:
        raise ConfigurationError(f"{path}: [params] has unknown parameters {', '.join(unknown)}")
    return Params(tuple(values))


def _rule(path: Path, index: int, entry: object) -> Rule:
    where = f"{path}: [[check]] #{index + 1}"
    if not isinstance(entry, dict):
        raise ConfigurationError(f"{where}: not a table")
    for key in ("id", "severity", "citation", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigurationError(f"{where}: {key} must be a non-empty string")
    where = f"{path}: check {entry['id']}"
    unknown = sorted(set(entry) - {"id", "severity", "citation", "applies_to", "effective", "description"})
    if unknown:
        raise ConfigurationError(f"{where}: unknown keys {', '.join(unknown)}")
    try:
        severity = Severity.parse(entry["severity"])
    except ValueError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    kinds = entry.get("applies_to")
    if not isinstance(kinds, list) or not kinds:
        raise ConfigurationError(f"{where}: applies_to must be a non-empty list")
    try:
        applies_to = frozenset(AppliesTo(kind) for kind in kinds)
    except ValueError:
        raise ConfigurationError(f"{where}: applies_to {kinds!r}: use {[k.value for k in AppliesTo]}") from None
    effective = entry.get("effective")
    if not isinstance(effective, datetime.date) or isinstance(effective, datetime.datetime):
        raise ConfigurationError(f"{where}: effective must be a TOML date (YYYY-MM-DD)")
    return Rule(entry["id"], severity, entry["citation"].strip(), applies_to, effective, entry["description"].strip())


def _match_registry(path: Path, rules: list[Rule]) -> None:
    checks = registered()
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ConfigurationError(f"{path}: check {rule.id} is defined twice")
        seen.add(rule.id)
        if rule.id in BUILT_IN:
            if rule.applies_to != {AppliesTo.INPUT}:
                raise ConfigurationError(f"{path}: check {rule.id} applies to input only")
            continue
        if rule.id not in checks:
            raise ConfigurationError(f"{path}: check {rule.id} is not a check this kit has")
        extra = rule.applies_to - checks[rule.id].handles
        if extra:
            raise ConfigurationError(f"{path}: check {rule.id} cannot judge {', '.join(sorted(k.value for k in extra))}")
    missing = sorted((set(checks) | BUILT_IN) - seen)
    if missing:
        raise ConfigurationError(f"{path}: no rule for the checks {', '.join(missing)}")


__all__ = ["PARAM_TYPES", "Params", "Profile", "RULES_FILE", "default_profile_directory", "load_profile"]
