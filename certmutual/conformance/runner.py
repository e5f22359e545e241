"""Running the kit: inputs read, every check run on every object it applies to, one :class:`Report` out.

For each object and each rule of the profile (zlint's flow): a rule whose ``applies_to`` omits the
object's kind is NOT_APPLICABLE; an object issued before the rule's effective date is NOT_EFFECTIVE;
otherwise the check runs and each message it returns is a finding with the rule's severity and
citation. A check that raises becomes a FATAL ``base.check_crashed`` finding naming the check (and the
run goes on); an input no parser reads is a FATAL ``input.readable`` finding. The run does not read
the clock except to stamp the report.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Sequence

from certmutual.conformance.inputs import Unreadable, read_inputs
from certmutual.conformance.model import (
    AppliesTo, CheckResult, Finding, Outcome, Report, Rule, Severity,
)
from certmutual.conformance.profile import Profile, load_profile
from certmutual.conformance.registry import BUILT_IN, registered
from certmutual.conformance.subjects import Sample, Subject
from certmutual.conformance.summary import summarise


def run(paths: Sequence[str], profile: Profile | None = None) -> Report:
    """Judge every object in ``paths`` (files or directories) against ``profile`` (default: the
    province profile in ``specs/profile``)."""
    profile = profile or load_profile()
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    subjects, unreadable = read_inputs(paths)
    results = run_subjects(subjects, unreadable, profile)
    sample = Sample(subjects)
    objects = tuple(summarise(subject, sample) for subject in subjects)
    return Report(profile.title, profile.rules, objects, tuple(results), started, time.monotonic() - clock)


def run_subjects(subjects: list[Subject], unreadable: Iterable[Unreadable], profile: Profile) -> list[CheckResult]:
    """The results of every rule on every object (and of ``input.readable`` on every input)."""
    readable = profile.rule("input.readable")
    crashed = profile.rule("base.check_crashed")
    results: list[CheckResult] = []
    for item in unreadable:
        finding = Finding(readable.id, readable.severity, readable.citation, item.label, item.reason)
        results.append(CheckResult(item.label, readable.id, Outcome.FAIL, (finding,)))
    sample = Sample(subjects)
    for subject in subjects:
        results.append(CheckResult(subject.label, readable.id, Outcome.PASS))
        crashes: list[Finding] = []
        for rule in profile.rules:
            if rule.id in BUILT_IN:
                continue
            result, crash = _run_one(rule, subject, sample, profile, crashed)
            results.append(result)
            if crash is not None:
                crashes.append(crash)
        outcome = Outcome.FAIL if crashes else Outcome.PASS
        results.append(CheckResult(subject.label, crashed.id, outcome, tuple(crashes)))
    return results


def _run_one(rule: Rule, subject: Subject, sample: Sample, profile: Profile,
             crashed: Rule) -> tuple[CheckResult, Finding | None]:
    if subject.kind not in rule.applies_to:
        return CheckResult(subject.label, rule.id, Outcome.NOT_APPLICABLE, note=f"applies to {_kinds(rule.applies_to)}"), None
    issued = subject.issued_at
    if issued is not None and issued.date() < rule.effective:
        return CheckResult(subject.label, rule.id, Outcome.NOT_EFFECTIVE,
                           note=f"issued {issued.date().isoformat()}, before the rule's effective date "
                                f"{rule.effective.isoformat()}"), None
    function = registered()[rule.id].function
    try:
        messages = function(subject, sample, profile.params)
        found = None if messages is None else [str(message) for message in messages]
    except Exception as exc:  # noqa: BLE001  (a check's bug must not stop the run: it is reported)
        detail = f"check {rule.id} raised {type(exc).__name__}: {exc}"
        crash = Finding(crashed.id, crashed.severity, crashed.citation, subject.label, detail)
        return CheckResult(subject.label, rule.id, Outcome.NOT_APPLICABLE, note=f"crashed: {detail}"), crash
    if found is None:
        return CheckResult(subject.label, rule.id, Outcome.NOT_APPLICABLE, note="the sample lacks what this check needs"), None
    if not found:
        return CheckResult(subject.label, rule.id, Outcome.PASS), None
    findings = tuple(Finding(rule.id, rule.severity, rule.citation, subject.label, message) for message in found)
    return CheckResult(subject.label, rule.id, Outcome.FAIL, findings), None


def _kinds(kinds: frozenset[AppliesTo]) -> str:
    return ", ".join(sorted(kind.value for kind in kinds))


def exit_code(report: Report) -> int:
    """The number of ERROR and FATAL findings, capped at 100 (the CLI's exit code)."""
    return min(report.failures, 100)


__all__ = ["Severity", "exit_code", "run", "run_subjects"]
