"""``check --format text``: the seed's shape (ERROR / expects / provides / Status / Action)."""

from __future__ import annotations

from contract_discovery.checks.engine import CheckReport
from contract_discovery.model import CheckResult
from contract_discovery.reports import errors_summary

_HEAD = {"BLOCKS_INTEGRATION": "ERROR", "DECISION_REQUIRED": "ERROR", "WARNING": "WARNING", "INFO": "INFO"}


def _side_lines(label: str, value: object) -> list[str]:
    parts = value if isinstance(value, list) else [str(value)]
    prefix = f"  {label}: "
    if len(parts) == 1:
        return [prefix + str(parts[0])]
    out = [prefix + str(parts[0]) + " OR"]
    pad = " " * (len(prefix))
    for i, part in enumerate(parts[1:], start=1):
        out.append(pad + str(part) + (" OR" if i < len(parts) - 1 else ""))
    return out


def render_result(r: CheckResult) -> str:
    d = r.details
    lines = [f"{_HEAD.get(r.status, r.status)}: {r.title}"]
    sides = d.get("lines") or [[f"{r.consumer or '?'} expects", r.expected], [f"{r.provider or '?'} provides", r.actual]]
    for label, value in sides:
        lines.extend(_side_lines(str(label), value))
    extra: list[str] = []
    if d.get("impact"):
        extra.append(f"Impact: {d['impact']}")
    if d.get("resolutions"):
        extra.append("Resolutions:")
        extra.extend(f"  {i}. {text}" for i, text in enumerate(d["resolutions"], start=1))
    if d.get("resolution"):
        extra.append(f"Resolution: {d['resolution']}")
    if d.get("trade_off"):
        extra.append(f"Trade-off: {d['trade_off']}")
    if d.get("decision_by"):
        extra.append(f"Decision required: {' + '.join(d['decision_by'])}")
    after: list[str] = []
    if d.get("plan"):
        after.append(f"Plan: {d['plan']}")
    if d.get("note"):
        after.append(f"Note: {d['note']}")
    if d.get("decision"):
        dec = d["decision"]
        until = f", until {dec['expires']}" if dec.get("expires") else ""
        after.append(f"Decided: {dec['decision']} ({dec['owner']}, {dec['date']}{until}; "
                     f"was {d.get('status_without_decision', '?')})")
    if d.get("decision_expired"):
        dec = d["decision_expired"]
        after.append(f"Decision expired: {dec['decision']} ({dec['owner']}, expired {dec['expires']})")
    if extra:
        lines.append("")
        lines.extend(extra)
    lines.append("")
    lines.append(f"Status: {r.status}")
    lines.append(f"Action: {r.action}")
    lines.extend(after)
    if r.locations:
        lines.append("Where: " + ", ".join(f"{loc.path}:{loc.line}" if loc.line else loc.path for loc in r.locations))
    lines.append(f"Rule: {r.rule} [{r.fingerprint}]")
    return "\n".join(lines)


def render(report: CheckReport, fail_on: str = "blocks") -> str:
    blocks = [render_result(r) for r in report.results]
    out = "\n\n".join(blocks)
    summary = []
    counts = report.counts()
    total = len(report.results)
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    summary.append(f"{total} result{'s' if total != 1 else ''}" + (f": {', '.join(parts)}" if parts else "")
                   + f" across {len(report.services)} service{'s' if len(report.services) != 1 else ''}")
    if report.suppressed:
        inline = sum(1 for s in report.suppressed if s.reason == "inline")
        base = sum(1 for s in report.suppressed if s.reason == "baseline")
        summary.append(f"suppressed: {inline} inline, {base} by baseline")
    if report.scan_errors:
        summary.append(f"{errors_summary(report.scan_errors)} (run `scan` for details)")
    if report.issues:
        summary.append(f"INCOMPLETE: {len(report.issues)} contract problem(s); the checks that need them did not run:")
        summary.extend(f"  {issue.render()}" for issue in report.issues)
    return (out + "\n\n" if out else "No contract conflicts found.\n\n") + "\n".join(summary) + "\n"
