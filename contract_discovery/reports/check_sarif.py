"""``check --format sarif``: SARIF 2.1.0 for code scanning. Every rule with its help text; each
result located in the contract YAML and in the code; stable fingerprints; suppressed results kept
with their suppression (inline comment or baseline); contract problems as notifications."""

from __future__ import annotations

import json

from contract_discovery.checks.base import all_rules
from contract_discovery.checks.engine import CheckReport
from contract_discovery.model import CheckResult
from contract_discovery.reports import sarif

LEVEL = {"BLOCKS_INTEGRATION": "error", "DECISION_REQUIRED": "warning", "WARNING": "warning", "INFO": "note"}
DOCS = "docs/rules.md"


def _message(r: CheckResult) -> str:
    parts = [f"{r.title}: {r.consumer or '?'} expects {r.expected}; {r.provider or '?'} gives {r.actual}.",
             f"Status: {r.status}.", f"Action: {r.action}."]
    if r.details.get("decision_by"):
        parts.append(f"Decision required: {' + '.join(r.details['decision_by'])}.")
    return " ".join(parts)


def _result(r: CheckResult, suppression: str | None) -> dict:
    locations = [sarif.location(loc.path, loc.line, loc.column) for loc in r.locations] or \
        [sarif.location(".", None)]
    item = {
        "ruleId": r.rule,
        "level": LEVEL.get(r.status, "warning"),
        "message": {"text": _message(r)},
        "locations": locations[:1],
        "partialFingerprints": {"contractDiscovery/v1": r.fingerprint or sarif.fingerprint(r.rule, r.consumer, r.provider)},
        "properties": {"status": r.status, "consumer": r.consumer, "provider": r.provider,
                       "expected": r.expected, "actual": r.actual},
    }
    if len(locations) > 1:
        item["relatedLocations"] = [{**loc, "id": i} for i, loc in enumerate(locations[1:], start=1)]
    if suppression:
        item["suppressions"] = [{"kind": "inSource" if suppression == "inline" else "external",
                                 "justification": "contract-discovery: ignore comment" if suppression == "inline"
                                 else "accepted in the baseline file"}]
        item["baselineState"] = "unchanged" if suppression == "baseline" else "new"
    return item


def to_data(report: CheckReport) -> dict:
    rules = []
    for rule in all_rules():
        help_text = (f"{rule.rationale}\n\n{rule.doc}\n\nDefault status: {rule.default_status}. "
                     f"See {DOCS}#{rule.id}.")
        rules.append(sarif.rule(rule.id, "".join(w.capitalize() for w in rule.id.split("-")), rule.title,
                                rule.rationale or rule.title, help_text, LEVEL.get(rule.default_status, "warning"),
                                ["contracts", rule.default_status.lower()]))
    known = {r["id"] for r in rules}
    for r in [*report.results, *(s.result for s in report.suppressed)]:
        if r.rule not in known:
            known.add(r.rule)
            rules.append(sarif.rule(r.rule, r.rule, r.title, r.title, r.title, LEVEL.get(r.status, "warning")))
    results = [_result(r, None) for r in report.results]
    results += [_result(s.result, s.reason) for s in report.suppressed]
    notes = [sarif.notification(i.path, f"{i.field + ': ' if i.field else ''}{i.message}", i.line, "error")
             for i in report.issues]
    return sarif.log(rules, results, notes or None, successful=not report.incomplete)


def render(report: CheckReport, fail_on: str = "blocks") -> str:
    return json.dumps(to_data(report), indent=2) + "\n"
