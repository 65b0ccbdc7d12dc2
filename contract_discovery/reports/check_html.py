"""``check --format html``: one self-contained page (no scripts, no external assets) with the
verdict, a table of results and the details; for CI artifacts and wikis."""

from __future__ import annotations

from html import escape

from contract_discovery.checks.engine import CheckReport
from contract_discovery.reports.check_markdown import verdict

_COLOUR = {"BLOCKS_INTEGRATION": "#b00020", "DECISION_REQUIRED": "#8a5a00", "WARNING": "#a36a00", "INFO": "#555"}


def render(report: CheckReport, fail_on: str = "blocks") -> str:
    head = verdict(report, fail_on).replace("**", "")
    rows = []
    for r in report.results:
        d = r.details
        extra = []
        for label, key in (("Impact", "impact"), ("Resolution", "resolution"), ("Trade-off", "trade_off"),
                           ("Plan", "plan"), ("Note", "note")):
            if d.get(key):
                extra.append(f"<div><b>{label}:</b> {escape(str(d[key]))}</div>")
        for i, text in enumerate(d.get("resolutions") or [], start=1):
            extra.append(f"<div><b>Resolution {i}:</b> {escape(str(text))}</div>")
        if d.get("decision_by"):
            extra.append(f"<div><b>Decision required:</b> {escape(' + '.join(d['decision_by']))}</div>")
        where = "<br>".join(escape(f"{loc.path}:{loc.line}" if loc.line else loc.path) for loc in r.locations)
        rows.append(
            f'<tr><td style="color:{_COLOUR.get(r.status, "#000")};font-weight:bold">{escape(r.status)}</td>'
            f"<td><code>{escape(r.rule)}</code><br>{escape(r.title)}</td>"
            f"<td>{escape(r.consumer or '?')} &rarr; {escape(r.provider or '?')}</td>"
            f"<td>{escape(r.expected)}</td><td>{escape(r.actual)}</td>"
            f"<td>{escape(r.action)}{''.join(extra)}</td><td><code>{where}</code></td></tr>")
    problems = "".join(f"<li><code>{escape(i.render())}</code></li>" for i in report.issues)
    table = ("<table><thead><tr><th>Status</th><th>Rule</th><th>Consumer &rarr; Provider</th><th>Expected</th>"
             "<th>Actual</th><th>Action</th><th>Where</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
             if rows else "<p>No conflicts between service contracts.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>contract-discovery check</title>"
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}</style></head><body>"
            f"<h1>{escape(head)}</h1>{table}"
            + (f"<h2>Contract problems</h2><ul>{problems}</ul>" if problems else "")
            + (f"<p>{len(report.suppressed)} result(s) suppressed (inline comments or baseline).</p>" if report.suppressed else "")
            + "</body></html>\n")
