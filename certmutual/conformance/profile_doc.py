"""Generating the profile's human-readable document (``specs/profile/README.md``) from its rules.

    python -m certmutual.conformance.profile_doc [DIR]     # rewrite DIR/README.md (default specs/profile)
    python -m certmutual.conformance.profile_doc --check   # exit 1 when README.md is not what rules.toml gives

A test runs the check, so the document and the rules cannot drift.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from certmutual.conformance.model import Rule
from certmutual.conformance.profile import Profile, load_profile

DOCUMENT = "README.md"
_GROUPS = (
    ("The kit itself", ("input.", "base.")),
    ("Algorithms", ("profile.signature_algorithm", "profile.international_algorithm", "profile.public_key_algorithm")),
    ("Certificates: signature, serial numbers, validity, key usage", ("rfc5280.certificate_signature", "rfc5280.serial", "profile.serial", "profile.validity",
                                                         "rfc5280.key_usage", "gmt0015.key_usage", "rfc5280.basic")),
    ("Certificates: required extensions", ("rfc5280.aki", "rfc5280.ski", "profile.crl_", "profile.aia",
                                           "profile.certificate_policies")),
    ("Certificates: identity, names, pairs", ("profile.identity", "gmt0015.identity", "rfc5280.subject", "gmt0015.pair")),
    ("CRLs", ("rfc5280.crl",)),
    ("OCSP responses", ("rfc6960.",)),
    ("Seals and seal signatures", ("gbt38540.", "profile.picture")),
)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _group(rule: Rule) -> str:
    for title, prefixes in _GROUPS:
        if rule.id.startswith(prefixes):
            return title
    return "Other checks"


def render(profile: Profile) -> str:
    lines = [f"# {profile.name} — version {profile.version}", "",
             "<!-- Generated from rules.toml by `python -m certmutual.conformance.profile_doc`: edit rules.toml, "
             "then regenerate. A test fails when this file and rules.toml differ. -->", "",
             profile.introduction, "", "## Parameters", "", "| parameter | value |", "|---|---|"]
    for name, value in profile.params.values:
        shown = ", ".join(value) if isinstance(value, tuple) else str(value).lower() if isinstance(value, bool) else str(value)
        lines.append(f"| `{name}` | {_cell(shown)} |")
    counts: dict[str, int] = {}
    for rule in profile.rules:
        counts[rule.severity.label] = counts.get(rule.severity.label, 0) + 1
    lines += ["", "## Checks", "", f"{len(profile.rules)} checks: "
              + ", ".join(f"{counts[s]} {s}" for s in ("fatal", "error", "warning", "notice") if s in counts) + "."]
    titles = [title for title, _ in _GROUPS] + ["Other checks"]
    for title in titles:
        rules = [rule for rule in profile.rules if _group(rule) == title]
        if not rules:
            continue
        lines += ["", f"### {title}", "", "| id | severity | applies to | effective | rule | citation |", "|---|---|---|---|---|---|"]
        for rule in rules:
            kinds = ", ".join(sorted(kind.value for kind in rule.applies_to))
            lines.append(f"| `{rule.id}` | {rule.severity.label} | {kinds} | {rule.effective.isoformat()} | "
                         f"{_cell(rule.description)} | {_cell(rule.citation)} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [arg for arg in args if arg != "--check"]
    profile = load_profile(Path(rest[0]) if rest else None)
    path = profile.directory / DOCUMENT
    text = render(profile)
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is not what {profile.directory / 'rules.toml'} gives: regenerate it with "
                  "python -m certmutual.conformance.profile_doc", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
