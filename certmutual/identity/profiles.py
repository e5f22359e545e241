"""Vendor profiles: declarative data saying how one CA vendor encodes identity.

A profile is ``vendors/<id>/profile.toml`` (schema: ``vendor_profile.schema.json`` beside this module,
documented in ``specs/vendor-profile.md``). Adding a vendor is adding a file: nothing here knows any
vendor. Profiles are validated in full at load, so a broken file fails at start-up with its name and
the offending place, never halfway through a verification.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from certmutual.errors import ConfigurationError
from certmutual.identity.model import FIELDS, EntityKind
from certmutual.identity.sources import ATTRIBUTE_OIDS, Encoding

SCHEMA_PATH = Path(__file__).with_name("vendor_profile.schema.json")
RULE_FIELDS = (*FIELDS, "code")


@dataclass(frozen=True)
class Rule:
    """One place to look, and what the value found there means."""

    label: str
    """``"<profile id>#<1-based index>"``: named in evidence."""
    source: str
    """``"subject"`` or ``"extension"``."""
    attribute_oid: str | None
    extension_oid: str | None
    encoding: Encoding
    pattern: re.Pattern[str] | None
    field: str | None
    kind: EntityKind | None
    search_codes: bool
    """The value's layout is unknown: take every credit code or ID number inside it, by checksum."""

    def describe(self) -> str:
        where = f"subject {self.attribute_oid}" if self.source == "subject" else f"extension {self.extension_oid}"
        if self.search_codes:
            return where + " (codes found by checksum)"
        return where + (f" ~ /{self.pattern.pattern}/" if self.pattern else f" -> {self.field}")


@dataclass(frozen=True)
class IssuerMatch:
    attribute_oid: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class VendorProfile:
    id: str
    name: str
    name_zh: str | None
    notes: str
    sources: tuple[str, ...]
    extends: str | None
    issuer: tuple[IssuerMatch, ...]
    root_sha256: frozenset[str]
    issuer_sha256: frozenset[str]
    policy_oids: frozenset[str]
    fallback: bool
    rules: tuple[Rule, ...]
    path: Path
    crl_urls: tuple[str, ...] = ()
    ocsp_urls: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "name_zh": self.name_zh, "fallback": self.fallback,
                "extends": self.extends, "rules": [rule.describe() for rule in self.rules], "sources": list(self.sources)}


@cache
def _validator() -> Any:
    """The profile schema's validator (jsonschema ships no type information: Any)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def load_profile(path: Path) -> VendorProfile:
    """Read and validate one ``profile.toml``. Raises :class:`ConfigurationError` naming the file
    and what is wrong in it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: not a readable TOML file: {exc}") from exc
    errors = sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        raise ConfigurationError(f"{path}: {where}: {first.message}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""))
    if path.parent.name != data["id"]:
        raise ConfigurationError(f"{path}: id {data['id']!r} differs from its directory name {path.parent.name!r}")
    rules = tuple(_rule(path, data["id"], index, raw) for index, raw in enumerate(data.get("rules", []), start=1))
    match = data["match"]
    issuer = tuple(
        IssuerMatch(_attribute_oid(path, name), tuple(_compile(path, f"match/issuer/{name}", p) for p in patterns))
        for name, patterns in match.get("issuer", {}).items()
    )
    return VendorProfile(
        id=data["id"], name=data["name"], name_zh=data.get("name_zh"), notes=data.get("notes", ""),
        sources=tuple(data["sources"]), extends=data.get("extends"), issuer=issuer,
        root_sha256=frozenset(match.get("root_sha256", ())), issuer_sha256=frozenset(match.get("issuer_sha256", ())),
        policy_oids=frozenset(match.get("policy_oids", ())), fallback=bool(match.get("fallback", False)),
        rules=rules, path=path, crl_urls=tuple(data.get("revocation", {}).get("crl_urls", ())),
        ocsp_urls=tuple(data.get("revocation", {}).get("ocsp_urls", ())),
    )


def _rule(path: Path, profile_id: str, index: int, raw: dict[str, Any]) -> Rule:
    where = f"rules/{index - 1}"
    pattern = _compile(path, f"{where}/pattern", raw["pattern"]) if "pattern" in raw else None
    if pattern is not None:
        unknown = set(pattern.groupindex) - set(RULE_FIELDS)
        if unknown:
            raise ConfigurationError(f"{path}: {where}/pattern: named groups {sorted(unknown)} are not identity fields "
                                     f"({', '.join(RULE_FIELDS)})")
        if not pattern.groupindex and "kind" not in raw:
            raise ConfigurationError(f"{path}: {where}/pattern: a pattern without named groups must set a kind")
    return Rule(
        label=f"{profile_id}#{index}", source=raw["from"],
        attribute_oid=_attribute_oid(path, raw["attribute"]) if "attribute" in raw else None,
        extension_oid=raw.get("oid"), encoding=Encoding(raw.get("encoding", "any")), pattern=pattern,
        field=raw.get("field"), kind=EntityKind(raw["kind"]) if "kind" in raw else None,
        search_codes=bool(raw.get("search_codes", False)),
    )


def _attribute_oid(path: Path, name: str) -> str:
    if name in ATTRIBUTE_OIDS:
        return ATTRIBUTE_OIDS[name]
    if re.fullmatch(r"[0-2](\.(0|[1-9][0-9]*))+", name):
        return name
    raise ConfigurationError(f"{path}: unknown subject attribute {name!r} (use one of {', '.join(ATTRIBUTE_OIDS)} or a dotted OID)")


def _compile(path: Path, where: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigurationError(f"{path}: {where}: bad regular expression {pattern!r}: {exc}") from exc


@dataclass(frozen=True)
class ProfileSet:
    """Every vendor profile of a directory, cross-checked (``extends`` targets exist, no cycles, at
    most one fallback)."""

    profiles: tuple[VendorProfile, ...]

    def __post_init__(self) -> None:
        by_id = {profile.id: profile for profile in self.profiles}
        if len(by_id) != len(self.profiles):
            raise ConfigurationError("two vendor profiles share an id")
        for profile in self.profiles:
            seen = {profile.id}
            parent = profile.extends
            while parent is not None:
                if parent not in by_id:
                    raise ConfigurationError(f"{profile.path}: extends unknown profile {parent!r}")
                if parent in seen:
                    raise ConfigurationError(f"{profile.path}: extends forms a cycle through {parent!r}")
                seen.add(parent)
                parent = by_id[parent].extends
        fallbacks = [profile.id for profile in self.profiles if profile.fallback]
        if len(fallbacks) > 1:
            raise ConfigurationError(f"more than one fallback profile: {', '.join(fallbacks)}")

    def get(self, profile_id: str) -> VendorProfile:
        for profile in self.profiles:
            if profile.id == profile_id:
                return profile
        raise KeyError(profile_id)

    @property
    def fallback(self) -> VendorProfile | None:
        return next((profile for profile in self.profiles if profile.fallback), None)

    def rules_of(self, profile: VendorProfile) -> tuple[Rule, ...]:
        """The profile's rules, then those of the profiles it extends."""
        rules = profile.rules
        while profile.extends is not None:
            profile = self.get(profile.extends)
            rules += profile.rules
        return rules


def default_vendors_directory() -> Path:
    """``$CERTMUTUAL_VENDORS``, else the ``vendors/`` directory of the source checkout."""
    configured = os.environ.get("CERTMUTUAL_VENDORS")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "vendors"


def load_profiles(directory: Path | None = None) -> ProfileSet:
    """Load ``<directory>/*/profile.toml`` (default: :func:`default_vendors_directory`)."""
    directory = directory or default_vendors_directory()
    if not directory.is_dir():
        raise ConfigurationError(f"{directory}: vendor profile directory not found")
    paths = sorted(directory.glob("*/profile.toml"))
    return ProfileSet(tuple(load_profile(path) for path in paths))
