"""The registry of checks: one function per check, registered once, at import, under its id.

A check is a function ``(subject, sample, params) -> messages | None``: each message is one finding,
an empty list a pass, None "not applicable" (the check lacks what it needs, e.g. the CRL's issuer is not
in the sample). Its metadata (severity, citation, what it applies to, effective date) is data in the
province profile (:mod:`certmutual.conformance.profile`); the code declares only which kinds of object
the function can judge, so a profile can narrow ``applies_to`` but never widen it past that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from certmutual.conformance.model import AppliesTo

if TYPE_CHECKING:
    from certmutual.conformance.profile import Params
    from certmutual.conformance.subjects import Sample, Subject

CheckFunction = Callable[["Subject", "Sample", "Params"], "Iterable[str] | None"]

ID_PATTERN = re.compile(r"^(input|base|profile|rfc5280|rfc6960|gmt0015|gmt0031|gbt20518|gbt38540)\.[a-z0-9_]+$")
"""A check id: the source it cites, a dot, a snake_case name (zlint's names without the severity)."""

BUILT_IN = frozenset({"input.readable", "base.check_crashed"})
"""Checks the runner itself reports (no function of their own): an input no parser reads, and a check
that raised instead of returning."""


@dataclass(frozen=True)
class RegisteredCheck:
    id: str
    handles: frozenset[AppliesTo]
    function: CheckFunction


REGISTRY: dict[str, RegisteredCheck] = {}


def check(check_id: str, *handles: AppliesTo) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check ``check_id`` for objects of the ``handles`` kinds.
    Raises ValueError at import for a malformed or duplicate id, or no kinds."""
    if not ID_PATTERN.match(check_id):
        raise ValueError(f"check id {check_id!r} is not <source>.<snake_case_name>")
    if check_id in REGISTRY or check_id in BUILT_IN:
        raise ValueError(f"check {check_id!r} is registered twice")
    if not handles:
        raise ValueError(f"check {check_id!r} handles no kind of object")

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[check_id] = RegisteredCheck(check_id, frozenset(handles), function)
        return function

    return register


def registered() -> dict[str, RegisteredCheck]:
    """Every check, the check modules imported (idempotent)."""
    from certmutual.conformance import checks  # noqa: F401  (registers on import)

    return REGISTRY


def all_ids() -> frozenset[str]:
    return frozenset(registered()) | BUILT_IN


__all__ = ["BUILT_IN", "CheckFunction", "ID_PATTERN", "REGISTRY", "RegisteredCheck", "all_ids", "check", "registered"]
