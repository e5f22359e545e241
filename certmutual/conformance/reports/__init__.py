"""Reports of a conformance run: text (people at a terminal), JSON (machines), JUnit XML (CI), HTML
(one self-contained page a vendor attaches to its application)."""

from __future__ import annotations

import enum
import json

from certmutual.conformance.model import Report
from certmutual.conformance.reports.html import render_html
from certmutual.conformance.reports.junit import render_junit
from certmutual.conformance.reports.text import render_text


class Format(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    HTML = "html"


def render(report: Report, form: Format) -> str:
    """The report in ``form``."""
    if form is Format.JSON:
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if form is Format.JUNIT:
        return render_junit(report)
    if form is Format.HTML:
        return render_html(report)
    return render_text(report)


__all__ = ["Format", "render", "render_html", "render_junit", "render_text"]
