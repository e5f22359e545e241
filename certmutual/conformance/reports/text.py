"""The text report: a summary line, then each finding with its check and citation."""

from __future__ import annotations

from certmutual.conformance.model import Outcome, Report, Severity


def render_text(report: Report) -> str:
    counts = report.counts()
    lines = [f"{report.profile}: {len(report.objects)} object(s) judged in {report.seconds:.2f} s",
             "  " + ", ".join(f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True))]
    skipped = sum(1 for r in report.results if r.outcome is Outcome.NOT_EFFECTIVE)
    if skipped:
        lines.append(f"  {skipped} check(s) not effective for objects issued before their rule's date")
    current = None
    for finding in sorted(report.findings, key=lambda f: (f.input, -f.severity, f.check_id)):
        if finding.input != current:
            current = finding.input
            lines.append(current)
        lines.append(f"  {finding.severity.label.upper():7s} {finding.check_id}: {finding.message}")
        lines.append(f"          [{finding.citation}]")
    lines.append("CONFORMS" if report.failures == 0 else f"DOES NOT CONFORM: {report.failures} error/fatal finding(s)")
    return "\n".join(lines) + "\n"
