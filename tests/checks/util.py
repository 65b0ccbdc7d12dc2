"""Small helpers: write contract folders, run the check over hand-made findings."""

import textwrap
from pathlib import Path

from contract_discovery.checks.engine import run_check
from contract_discovery.model import ScanResult, ScanStats, Service


def write(root: Path, files: dict) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def check(root: Path, findings=(), services=None, suppressions=None, allow_issues=False, **kwargs):
    names = services or sorted({f.service for f in findings if f.service})
    scan = ScanResult(root=str(root), services=tuple(Service(n, n) for n in names), findings=tuple(findings),
                      errors=(), stats=ScanStats(), suppressions=suppressions or {})
    report = run_check(root, scan_fn=lambda *a, **k: scan, **kwargs)
    if not allow_issues:
        problems = [i.render() for i in report.issues]
        assert not problems, problems
    return report


def rows(report):
    return {(r.rule, r.status, r.consumer, r.provider) for r in report.results}
