"""Renderings of a drift report: markdown (also the text format), JSON, and one self-contained HTML file.

The HTML file has no scripts and loads nothing: a summary, the dependency graph as
inline SVG with the violating edges in red, then one table per service whose code
locations link to the code host through ``url_template`` (``{path}`` and ``{line}``).
"""

from __future__ import annotations

import json
from html import escape

from contract_discovery.adoption.contracts import render_scalar
from contract_discovery.adoption.drift import DriftItem, DriftReport
from contract_discovery.adoption.graph import Graph

KIND_TITLE = {"drifted": "drifted value", "undeclared": "undeclared dependency", "stale": "no longer called"}


def code_url(template: str | None, path: str, line: int | None) -> str:
    if not template:
        return path + (f"#L{line}" if line else "")
    try:
        return template.format(path=path, line=line or 1)
    except (KeyError, IndexError, ValueError):
        return path


def _loc_text(loc: tuple[str, int | None] | None) -> str:
    if loc is None:
        return "—"
    return f"{loc[0]}:{loc[1]}" if loc[1] else loc[0]


def render_json(report: DriftReport) -> str:
    return json.dumps(report.to_json(), indent=2, default=str) + "\n"


def render_markdown(report: DriftReport) -> str:
    out = ["# Contract drift", ""]
    out.append(f"{_n(len(report.services), 'service')}: {_n(report.count('drifted'), 'drifted value')}, "
               f"{_n(report.count('undeclared'), 'undeclared dependency', 'undeclared dependencies')}, "
               f"{_n(report.count('stale'), 'declared dependency', 'declared dependencies')} no longer called.")
    if report.baseline:
        out.append(f"Since the baseline ({report.baseline}): {len(report.new)} new, {len(report.resolved)} resolved.")
    out.append("")
    if report.baseline:
        out.append("## Since the baseline")
        out.append("")
        if not report.new and not report.resolved:
            out.append("No change.")
        for item in report.new:
            out.append(f"- **new** {item.service}: {_md(item.describe())}")
        for stored in report.resolved:
            out.append(f"- **resolved** {stored.get('service')}: {_md(str(stored.get('message', '')))}")
        out.append("")
    new_ids = {i.id for i in report.new}
    for service, items in report.by_service().items():
        out.append(f"## {service}")
        out.append("")
        if not items:
            out.append("No drift." if service in report.declared_services else
                       "No contract declared yet (run `contract-discovery init`).")
            out.append("")
            continue
        out.append("| | kind | entry | declared | code |")
        out.append("|---|---|---|---|---|")
        for item in items:
            mark = "🆕" if item.id in new_ids else ""
            declared = f"{_md(render_scalar(item.declared))} ({_loc_text(item.declared_at)})" if item.kind == "drifted" \
                else _loc_text(item.declared_at)
            code = f"{_md(render_scalar(item.inferred))} ({_loc_text(item.inferred_at)})" if item.kind == "drifted" \
                else _loc_text(item.inferred_at)
            entry = item.entry + (f" `{item.field}`" if item.field else "")
            out.append(f"| {mark} | {KIND_TITLE[item.kind]} | {_md(entry)} | {declared} | {code} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.summary{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ccd;border-radius:8px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}.bad b{color:#c00}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #dde;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f5fa}.new{background:#fff6d6}.graph{overflow:auto;border:1px solid #dde;border-radius:8px;margin-top:8px}
code{background:#f3f3f3;padding:0 3px;border-radius:3px}.muted{color:#666}
"""


def _link(template: str | None, loc: tuple[str, int | None] | None) -> str:
    if loc is None:
        return '<span class="muted">—</span>'
    return f'<a href="{escape(code_url(template, loc[0], loc[1]))}">{escape(_loc_text(loc))}</a>'


def _check_rows(results: list, service: str, template: str | None) -> list[str]:
    rows = []
    for r in results:
        if getattr(r, "consumer", None) != service:
            continue
        links = ", ".join(_link(template, (loc.path, loc.line)) for loc in getattr(r, "locations", ()))
        rows.append(f"<tr><td>{escape(r.status)}</td><td>{escape(r.title)} <span class=\"muted\">({escape(r.rule)})</span>"
                    f"</td><td>{escape(r.expected)}</td><td>{escape(r.actual)}</td><td>{links or '—'}</td></tr>")
    return rows


def render_html(report: DriftReport, graph: Graph, url_template: str | None = None, title: str = "Contract drift",
                checks: list | None = None) -> str:
    from contract_discovery.adoption.svg import render_svg

    new_ids = {i.id for i in report.new}
    cards = [("services", len(report.services), False), ("drifted values", report.count("drifted"), True),
             ("undeclared dependencies", report.count("undeclared"), True),
             ("no longer called", report.count("stale"), True),
             ("violating edges", sum(1 for e in graph.edges if e.violating), True)]
    if report.baseline:
        cards += [("new since baseline", len(report.new), True), ("resolved since baseline", len(report.resolved), False)]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
           f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{escape(title)}</h1>", '<section id="summary"><div class="summary">']
    for label, value, bad in cards:
        out.append(f'<div class="card{" bad" if bad and value else ""}"><b>{value}</b>{escape(label)}</div>')
    out.append("</div>")
    if report.baseline:
        out.append(f'<p>Baseline: <code>{escape(report.baseline)}</code></p><ul id="changes">')
        for item in report.new:
            out.append(f"<li><b>new</b> {escape(item.service)}: {escape(item.describe())}</li>")
        for stored in report.resolved:
            out.append(f"<li><b>resolved</b> {escape(str(stored.get('service')))}: {escape(str(stored.get('message', '')))}</li>")
        out.append("</ul>")
    out.append("</section>")
    out.append('<section id="graph"><h2>Dependency graph</h2><div class="graph">')
    out.append(render_svg(graph))
    out.append("</div></section>")
    for service, items in report.by_service().items():
        out.append(f'<section class="service" id="service-{escape(service)}"><h2>{escape(service)}</h2>')
        rows = _check_rows(checks or [], service, url_template)
        if rows:
            out.append('<table class="checks"><thead><tr><th>status</th><th>check</th><th>expected</th>'
                       "<th>actual</th><th>where</th></tr></thead><tbody>")
            out.extend(rows)
            out.append("</tbody></table><p></p>")
        if not items:
            note = "No drift." if service in report.declared_services else "No contract declared yet (run contract-discovery init)."
            out.append(f'<p class="muted">{escape(note)}</p></section>')
            continue
        out.append("<table><thead><tr><th>kind</th><th>entry</th><th>declared</th><th>declared at</th>"
                   "<th>code</th><th>code at</th></tr></thead><tbody>")
        for item in items:
            cls = ' class="new"' if item.id in new_ids else ""
            entry = escape(item.entry) + (f" <code>{escape(item.field)}</code>" if item.field else "")
            declared = escape(render_scalar(item.declared)) if item.kind == "drifted" else ""
            code = escape(render_scalar(item.inferred)) if item.kind == "drifted" else ""
            out.append(f"<tr{cls}><td>{escape(KIND_TITLE[item.kind])}</td><td>{entry}</td><td>{declared}</td>"
                       f"<td>{_link(url_template, item.declared_at)}</td><td>{code}</td>"
                       f"<td>{_link(url_template, item.inferred_at)}</td></tr>")
        out.append("</tbody></table></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def edge_problems(report: DriftReport, checks: list | None = None) -> dict[tuple[str, str], list[str]]:
    """Problems per (consumer, provider) edge: drift on a dependency and failed checks."""
    out: dict[tuple[str, str], list[str]] = {}
    for item in report.items:
        # An undeclared dependency is not a violation: the graph draws it dashed, as code-only.
        if item.target and item.kind != "undeclared":
            out.setdefault((item.service, item.target), []).append(f"{KIND_TITLE[item.kind]}: {item.describe()}")
    for result in checks or []:
        consumer, provider = getattr(result, "consumer", None), getattr(result, "provider", None)
        if consumer and provider and getattr(result, "status", "") in ("BLOCKS_INTEGRATION", "DECISION_REQUIRED"):
            out.setdefault((consumer, provider), []).append(f"{result.status}: {result.title}")
    return out


__all__ = ["render_json", "render_markdown", "render_html", "edge_problems", "code_url", "DriftItem"]
