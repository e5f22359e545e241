"""The vendor conformance kit: certificates, CRLs, OCSP responses, seals and seal signatures judged
against the province profile (``specs/profile/rules.toml``), one check per rule, as zlint and pkilint do.

    from certmutual.conformance import load_profile, run

    report = run(["sample/"], load_profile())
    report.failures, report.counts(), report.to_dict()

Layering: above ``pki``, ``identity`` and ``seals`` (whose parsers and verifiers it reuses), below the CLI.
"""

from certmutual.conformance.model import (
    AppliesTo, CheckResult, Finding, ObjectSummary, Outcome, Picture, Report, Rule, Severity,
)
from certmutual.conformance.profile import Params, Profile, default_profile_directory, load_profile
from certmutual.conformance.runner import exit_code, run

__all__ = [
    "AppliesTo", "CheckResult", "Finding", "ObjectSummary", "Outcome", "Params", "Picture", "Profile", "Report",
    "Rule", "Severity", "default_profile_directory", "exit_code", "load_profile", "run",
]
