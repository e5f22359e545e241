"""The JUnit XML report: one test suite per object, one test case per (object, check).

An ERROR or FATAL finding is a ``<failure>``; NOT_APPLICABLE and NOT_EFFECTIVE are ``<skipped>``;
warnings and notices pass, and are listed in the case's ``<system-out>``. CI systems (Jenkins, GitLab,
GitHub annotations) read this shape.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from certmutual.conformance.model import CheckResult, Outcome, Report, Severity


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (garbled names in real certificates)."""
    return _NOT_XML.sub("\ufffd", text)


def render_junit(report: Report) -> str:
    by_input: dict[str, list[CheckResult]] = defaultdict(list)
    for result in report.results:
        by_input[result.input].append(result)
    root = ET.Element("testsuites", name=f"certmutual conformance: {report.profile}", time=f"{report.seconds:.3f}")
    total = failures = skipped = 0
    for label, results in by_input.items():
        suite = ET.SubElement(root, "testsuite", name=_clean(label), timestamp=report.started.replace(tzinfo=None).isoformat())
        suite_failures = suite_skipped = 0
        for result in results:
            case = ET.SubElement(suite, "testcase", classname=_clean(label), name=result.check_id, time="0")
            serious = [f for f in result.findings if f.severity >= Severity.ERROR]
            if serious:
                worst = max(f.severity for f in serious)
                failure = ET.SubElement(case, "failure", message=_clean(serious[0].message), type=worst.label)
                failure.text = _clean("\n".join(f"{f.severity.label}: {f.message} [{f.citation}]" for f in serious))
                suite_failures += 1
            elif result.outcome in (Outcome.NOT_APPLICABLE, Outcome.NOT_EFFECTIVE):
                ET.SubElement(case, "skipped", message=_clean(f"{result.outcome.value}: {result.note}".rstrip(": ")))
                suite_skipped += 1
            minor = [f for f in result.findings if f.severity < Severity.ERROR]
            if minor:
                out = ET.SubElement(case, "system-out")
                out.text = _clean("\n".join(f"{f.severity.label}: {f.message} [{f.citation}]" for f in minor))
        suite.set("tests", str(len(results)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(suite_skipped))
        total += len(results)
        failures += suite_failures
        skipped += suite_skipped
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
