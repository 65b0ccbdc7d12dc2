"""``check --format json``: SPEC.md section 4 (``results``), with the suppressed results, the
contract problems that made the run incomplete, and a summary."""

from __future__ import annotations

import json

from contract_discovery import __version__
from contract_discovery.checks.engine import CheckReport


def to_data(report: CheckReport, fail_on: str = "blocks") -> dict:
    return {
        "schema_version": 1,
        "tool": {"name": "contract-discovery", "version": __version__},
        "root": report.root,
        "services": report.services,
        "contract_files": report.contract_files,
        "results": [r.to_json() for r in report.results],
        "suppressed": [{**s.result.to_json(), "suppressed_by": s.reason} for s in report.suppressed],
        "errors": [{"path": i.path, "line": i.line, "column": i.column, "field": i.field, "kind": i.kind,
                    "message": i.message} for i in report.issues],
        "scan_errors": [e.to_json() for e in report.scan_errors],
        "incomplete": report.incomplete,
        "summary": {"counts": report.counts(), "total": len(report.results), "fail_on": fail_on,
                    "failing": len(report.failing(fail_on)), "suppressed": len(report.suppressed)},
    }


def render(report: CheckReport, fail_on: str = "blocks") -> str:
    return json.dumps(to_data(report, fail_on), indent=2, default=str) + "\n"
