"""The HTML report: one self-contained page (inline CSS, no script, no external fetch).

Summary by severity, every finding with its check and citation, each object with its facts, its chain
drawn as nested boxes (the root outermost), seal pictures inline as ``data:`` URIs, and the rules the
run applied. Every piece of text from the inputs is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from html import escape

from certmutual.conformance.model import Finding, ObjectSummary, Outcome, Picture, Report, Severity

_MIME = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp", "svg": "image/svg+xml"}
_COLOURS = {Severity.FATAL: "#7b1fa2", Severity.ERROR: "#c62828", Severity.WARNING: "#ef6c00", Severity.NOTICE: "#1565c0"}

_CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#212121;max-width:1200px}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
.meta{color:#616161}.verdict{font-size:1.2em;font-weight:bold;margin:1em 0}
.pass{color:#2e7d32}.fail{color:#c62828}
.cards{display:flex;gap:1em;margin:1em 0}.card{border-radius:6px;padding:.6em 1.2em;color:#fff;min-width:7em}
.card b{display:block;font-size:1.8em}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #e0e0e0;padding:.3em .5em;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f5f5f5}.sev{color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em;white-space:nowrap}
table.findings td:nth-child(2){min-width:13em}table.findings td:nth-child(3){max-width:18em}
.object{border:1px solid #e0e0e0;border-radius:6px;padding:.8em 1em;margin:1em 0}
.object h3{margin:.2em 0;font-size:1.05em}.kind{color:#616161;font-weight:normal}
.chain{border:2px solid #90a4ae;border-radius:6px;padding:.4em .6em;margin:.3em 0;background:rgba(144,164,174,.08)}
.chain span{font-size:.85em}.chain .leaf{border-color:#2e7d32}
.seal img{max-width:200px;max-height:200px;border:1px solid #e0e0e0;background:#fff}
.ok{color:#2e7d32}code{font-size:.9em}
"""


def render_html(report: Report) -> str:
    counts = report.counts()
    by_input: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_input[finding.input].append(finding)
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             f"<title>Conformance report — {escape(report.profile)}</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Conformance report</h1>",
             f'<p class="meta">{escape(report.profile)} · {len(report.objects)} object(s) · run at '
             f"{escape(report.started.isoformat(timespec='seconds'))} in {report.seconds:.2f} s</p>"]
    verdict = ('<p class="verdict pass">CONFORMS: no error or fatal finding</p>' if report.failures == 0 else
               f'<p class="verdict fail">DOES NOT CONFORM: {report.failures} error/fatal finding(s)</p>')
    parts.append(verdict)
    parts.append('<div class="cards">' + "".join(
        f'<div class="card" style="background:{_COLOURS[s]}"><b>{counts[s]}</b>{s.label}</div>'
        for s in sorted(Severity, reverse=True)) + "</div>")
    parts.append("<h2>Findings</h2>")
    if report.findings:
        parts.append('<table class="findings"><tr><th>severity</th><th>check</th><th>object</th><th>finding</th><th>citation</th></tr>')
        for finding in sorted(report.findings, key=lambda f: (-f.severity, f.check_id, f.input)):
            parts.append(f"<tr><td>{_badge(finding.severity)}</td><td><code>{escape(finding.check_id)}</code></td>"
                         f'<td><a href="#{_anchor(finding.input)}">{escape(finding.input)}</a></td>'
                         f"<td>{escape(finding.message)}</td><td>{escape(finding.citation)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="ok">No findings.</p>')
    parts.append("<h2>Objects</h2>")
    unreadable = [label for label in by_input if label not in {o.label for o in report.objects}]
    for label in unreadable:
        parts.append(f'<div class="object" id="{_anchor(label)}"><h3>{escape(label)} <span class="kind">unreadable input</span></h3>'
                     + _finding_list(by_input[label]) + "</div>")
    for summary in report.objects:
        parts.append(_object(summary, by_input.get(summary.label, []), report))
    parts.append("<h2>Checks applied</h2><table><tr><th>check</th><th>severity</th><th>applies to</th><th>effective</th>"
                 "<th>citation</th><th>rule</th></tr>")
    for rule in report.rules:
        parts.append(f"<tr><td><code>{escape(rule.id)}</code></td><td>{_badge(rule.severity)}</td>"
                     f"<td>{escape(', '.join(sorted(k.value for k in rule.applies_to)))}</td>"
                     f"<td>{escape(rule.effective.isoformat())}</td><td>{escape(rule.citation)}</td>"
                     f"<td>{escape(rule.description)}</td></tr>")
    parts.append("</table>")
    parts.append('<p class="meta">Generated by <code>certmutual conformance run</code>.</p></body></html>')
    return "\n".join(parts) + "\n"


def _object(summary: ObjectSummary, findings: list[Finding], report: Report) -> str:
    not_effective = sum(1 for r in report.results if r.input == summary.label and r.outcome is Outcome.NOT_EFFECTIVE)
    parts = [f'<div class="object" id="{_anchor(summary.label)}">',
             f'<h3>{escape(summary.title)} <span class="kind">{escape(summary.kind.value)}</span></h3>',
             f'<p class="meta">{escape(summary.label)}</p>']
    if summary.picture is not None:
        parts.append(_picture(summary.picture))
    if summary.details:
        parts.append("<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in summary.details)
                     + "</table>")
    if summary.chain:
        parts.append(_chain(summary.chain))
    parts.append(_finding_list(findings))
    if not_effective:
        parts.append(f'<p class="meta">{not_effective} check(s) not effective: the object predates their rules.</p>')
    parts.append("</div>")
    return "".join(parts)


def _chain(chain: tuple[str, ...]) -> str:
    """The chain as nested boxes: the top of the chain found outermost, this certificate innermost."""
    html = ""
    for position, name in enumerate(chain):
        role = "this certificate" if position == 0 else ("issuer" if position < len(chain) - 1 else "top of the chain in the sample")
        cls = "chain leaf" if position == 0 else "chain"
        html = f'<div class="{cls}"><span>{escape(role)}:</span> {escape(name)}{html}</div>'
    return html


def _picture(picture: Picture) -> str:
    mime = _MIME.get(picture.format)
    caption = escape(f"{picture.declared_type} · {picture.format} · {len(picture.data)} bytes · "
                     f"{picture.width_mm}×{picture.height_mm} mm")
    if mime is None or not picture.data:
        return f'<div class="seal"><p class="meta">picture not shown ({caption})</p></div>'
    data = base64.b64encode(picture.data).decode("ascii")
    return f'<div class="seal"><img alt="seal picture" src="data:{mime};base64,{data}"><p class="meta">{caption}</p></div>'


def _finding_list(findings: list[Finding]) -> str:
    if not findings:
        return '<p class="ok">No findings.</p>'
    return "<ul>" + "".join(
        f"<li>{_badge(f.severity)} <code>{escape(f.check_id)}</code> {escape(f.message)} "
        f'<span class="meta">[{escape(f.citation)}]</span></li>' for f in sorted(findings, key=lambda f: -f.severity)) + "</ul>"


def _badge(severity: Severity) -> str:
    return f'<span class="sev" style="background:{_COLOURS[severity]}">{severity.label}</span>'


def _anchor(label: str) -> str:
    return "o-" + hashlib.sha1(label.encode("utf-8")).hexdigest()
