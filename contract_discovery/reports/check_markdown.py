"""``check --format markdown``: a pull-request comment. The verdict comes first, then one table row
per result, then the details a reviewer needs (impact, resolutions, who decides)."""

from __future__ import annotations

from contract_discovery.checks.engine import CheckReport
from contract_discovery.model import CheckResult

_ICON = {"BLOCKS_INTEGRATION": "⛔", "DECISION_REQUIRED": "⚖️", "WARNING": "⚠️", "INFO": "ℹ️"}


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _where(r: CheckResult) -> str:
    return "<br>".join(f"`{loc.path}:{loc.line}`" if loc.line else f"`{loc.path}`" for loc in r.locations)


def verdict(report: CheckReport, fail_on: str) -> str:
    counts = report.counts()
    failing = report.failing(fail_on)
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    summary = ", ".join(parts) if parts else "no conflicts"
    if report.incomplete:
        return f"**❗ Contract check incomplete** — {len(report.issues)} contract file problem(s); {summary}"
    if failing:
        return f"**⛔ Contract check failed** — {summary}"
    if report.results:
        return f"**✅ Contract check passed with notes** — {summary}"
    return "**✅ Contract check passed** — no conflicts between service contracts"


def render(report: CheckReport, fail_on: str = "blocks") -> str:
    lines = [verdict(report, fail_on), ""]
    if report.results:
        lines.append("| Status | Rule | Consumer → Provider | Expected | Actual | Action | Where |")
        lines.append("|---|---|---|---|---|---|---|")
        for r in report.results:
            lines.append("| " + " | ".join(_cell(x) for x in (
                f"{_ICON.get(r.status, '')} {r.status}", f"`{r.rule}`", f"{r.consumer or '?'} → {r.provider or '?'}",
                r.expected, r.actual, r.action)) + f" | {_where(r)} |")
        lines.append("")
        detailed = [r for r in report.results if any(r.details.get(k) for k in ("impact", "resolutions", "resolution", "trade_off", "plan"))]
        if detailed:
            lines.append("<details><summary>Details</summary>")
            lines.append("")
            for r in detailed:
                d = r.details
                lines.append(f"**{_cell(r.title)}** ({r.consumer} → {r.provider})")
                lines.append("")
                if d.get("impact"):
                    lines.append(f"- Impact: {_cell(d['impact'])}")
                for i, text in enumerate(d.get("resolutions") or [], start=1):
                    lines.append(f"- Resolution {i}: {_cell(text)}")
                if d.get("resolution"):
                    lines.append(f"- Resolution: {_cell(d['resolution'])}")
                if d.get("trade_off"):
                    lines.append(f"- Trade-off: {_cell(d['trade_off'])}")
                if d.get("decision_by"):
                    lines.append(f"- Decision required: {' + '.join(d['decision_by'])}")
                if d.get("plan"):
                    lines.append(f"- Plan: {_cell(d['plan'])}")
                lines.append("")
            lines.append("</details>")
            lines.append("")
    if report.suppressed:
        lines.append(f"_{len(report.suppressed)} result(s) suppressed (inline comments or baseline)._")
        lines.append("")
    if report.issues:
        lines.append("**Contract problems** (fix these; the checks that need them did not run):")
        lines.append("")
        lines.extend(f"- `{_cell(issue.render())}`" for issue in report.issues)
        lines.append("")
    return "\n".join(lines)
