"""``scan --format json``: exactly SPEC.md section 2."""

from __future__ import annotations

import json

from contract_discovery import __version__
from contract_discovery.model import ScanResult


def contract_dicts(result: ScanResult) -> list[dict]:
    try:
        from contract_discovery.contracts.infer import contract_to_dict
    except ImportError:
        return []
    return [contract_to_dict(c) for c in result.contracts]


def to_data(result: ScanResult) -> dict:
    return {
        "schema_version": 1,
        "tool": {"name": "contract-discovery", "version": __version__},
        "root": result.root,
        "services": [s.to_json() for s in result.services],
        "findings": [f.to_json() for f in result.findings],
        "contracts": contract_dicts(result),
        "errors": [e.to_json() for e in result.errors],
        "stats": result.stats.to_json(),
        # An addition to SPEC section 2: inline `contract-discovery: ignore[...]` comments, so a
        # merged sharded check (`check --from-scan`) applies them as a single scan would.
        "suppressions": {path: {str(line): sorted(rules) for line, rules in sorted(lines.items())}
                         for path, lines in sorted(result.suppressions.items())},
    }


def from_data(data: dict) -> ScanResult:
    """Rebuild a ScanResult from ``scan --format json`` output (for ``check --from-scan``)."""
    from contract_discovery.model import ErrorEntry, Finding, ScanStats, Service, Target

    services = tuple(Service(name=s["name"], path=s["path"], languages=tuple(s.get("languages") or ()))
                     for s in data.get("services", []))
    findings = []
    for f in data.get("findings", []):
        target = f.get("target")
        findings.append(Finding(
            kind=f["kind"], path=f["path"], line=int(f["line"]), column=int(f.get("column") or 1),
            end_line=int(f.get("end_line") or f["line"]), end_column=int(f.get("end_column") or 1),
            language=f.get("language") or "", detector=f.get("detector") or "", confidence=f.get("confidence") or "high",
            attributes=dict(f.get("attributes") or {}), evidence=f.get("evidence") or "",
            target=Target(**{k: target.get(k) for k in ("service", "operation", "url")}) if target else None,
            service=f.get("service")))
    errors = tuple(ErrorEntry(path=e["path"], kind=e["kind"], message=e.get("message", ""), line=e.get("line"))
                   for e in data.get("errors", []))
    suppressions = {path: {int(line): frozenset(rules) for line, rules in lines.items()}
                    for path, lines in (data.get("suppressions") or {}).items()}
    return ScanResult(root=str(data.get("root", ".")), services=services, findings=tuple(findings), errors=errors,
                      stats=ScanStats(), suppressions=suppressions)


def merge_scans(scans: list[ScanResult]) -> ScanResult:
    """The union of several scans of one repository (shards): services, findings, errors."""
    from contract_discovery.model import Finding, Service

    services: dict = {}
    for scan in scans:
        for s in scan.services:
            known = services.get(s.name)
            languages = tuple(sorted(set(s.languages) | set(known.languages if known else ())))
            services[s.name] = Service(name=s.name, path=s.path, languages=languages, origin=s.origin)
    findings = sorted((f for scan in scans for f in scan.findings), key=Finding.sort_key)
    errors = sorted((e for scan in scans for e in scan.errors), key=lambda e: (e.path, e.line or 0, e.kind, e.message))
    suppressions: dict = {}
    for scan in scans:
        suppressions.update(scan.suppressions)
    return ScanResult(root=scans[0].root if scans else ".", services=tuple(sorted(services.values(), key=lambda s: (s.path, s.name))),
                      findings=tuple(findings), errors=tuple(errors), stats=scans[0].stats if scans else None,
                      suppressions=suppressions)


def render(result: ScanResult) -> str:
    return json.dumps(to_data(result), indent=2, sort_keys=False, default=str) + "\n"
