"""The inferred side: contract dicts from a scan, with the finding behind each value.

``contract_discovery.contracts.infer.contract_to_dict`` is used when it is there; until
then (or for a contract it cannot infer) a small inference from the findings below gives
the same shape. Either way every entry keeps ``x-evidence`` (``path:line`` strings) and
:func:`field_evidence` finds the finding behind one field of an entry.
"""

from __future__ import annotations

from typing import Any, Iterable

from contract_discovery.adoption.contracts import EVIDENCE_KEY, SECTIONS, evidence_of, split_location
from contract_discovery.model import Finding, ScanResult

try:
    from contract_discovery.contracts.notation import format_ms
except ImportError:  # pragma: no cover - the notation module is part of the core
    def format_ms(ms):  # type: ignore[no-redef]
        return "none" if ms is None else f"{int(ms)}ms" if float(ms).is_integer() else f"{ms}ms"

# Which finding kinds stand behind which field of an entry (for per-field evidence comments).
FIELD_KINDS = {
    "timeout": ("timeout", "missing_timeout"),
    "retry": ("retry",),
    "fallback": ("fallback",),
    "circuit_breaker": ("circuit_breaker",),
    "on_timeout": ("new_id_per_attempt",),
    "idempotency_key": ("idempotency_key",),
    "window": ("idempotency_key",),
    "via": ("replica_read",),
    "source": ("replica_read",),
}
_TIMEOUT_PHASES = ("total", "per_try", "deadline", "read", "function")


def inferred_contracts(result: ScanResult) -> dict[str, dict]:
    """Service name -> inferred contract dict (SPEC section 3 shape, with ``x-evidence``)."""
    out: dict[str, dict] = {}
    try:
        from contract_discovery.contracts.infer import contract_to_dict  # type: ignore[import-not-found]
    except ImportError:
        contract_to_dict = None
    if contract_to_dict is not None:
        for contract in result.contracts:
            try:
                data = contract_to_dict(contract)
            except Exception:  # noqa: BLE001 - a model change must not stop the adoption commands
                continue
            if isinstance(data, dict) and data.get("service"):
                out[str(data["service"])] = data
    if not out:
        by_service: dict[str, list[Finding]] = {}
        for finding in result.findings:
            if finding.service:
                by_service.setdefault(finding.service, []).append(finding)
        for service in result.services:
            out[service.name] = infer_from_findings(service.name, by_service.get(service.name, []))
    for service in result.services:
        out.setdefault(service.name, {"service": service.name})
    return out


def _loc(f: Finding) -> str:
    return f"{f.path}:{f.line}"


def _target_service(f: Finding) -> str | None:
    return f.target.service if f.target and f.target.service else None


def infer_from_findings(service: str, findings: Iterable[Finding]) -> dict:
    """A minimal inference: dependencies with timeout and retry, retry policies, idempotent
    operations and replica reads."""
    findings = list(findings)
    deps: dict[tuple[str, str | None], dict[str, Any]] = {}

    def dep(f: Finding) -> dict[str, Any] | None:
        target = _target_service(f)
        if target is None:
            return None
        op = f.target.operation if f.target else None
        key = (target, op)
        if key not in deps:
            entry: dict[str, Any] = {"service": target}
            if op:
                entry["operation"] = op
            entry[EVIDENCE_KEY] = []
            deps[key] = entry
        return deps[key]

    timeouts: dict[tuple, list[Finding]] = {}
    for f in findings:
        entry = dep(f)
        if entry is None:
            continue
        if _loc(f) not in entry[EVIDENCE_KEY]:
            entry[EVIDENCE_KEY].append(_loc(f))
        if f.kind == "timeout" and f.attributes.get("timeout_ms") is not None:
            timeouts.setdefault((entry["service"], entry.get("operation")), []).append(f)
        elif f.kind == "retry":
            attempts = f.attributes.get("max_attempts")
            if attempts is not None:
                entry["retry"] = "none" if attempts <= 1 else f"{attempts} attempts"
    for key, found in timeouts.items():
        total = [f for f in found if f.attributes.get("phase") in _TIMEOUT_PHASES] or found
        deps[key]["timeout"] = format_ms(min(f.attributes["timeout_ms"] for f in total))
    contract: dict[str, Any] = {"service": service}
    ordered = []
    for entry in sorted(deps.values(), key=lambda e: (e["service"], e.get("operation") or "")):
        evidence = entry.pop(EVIDENCE_KEY)
        entry[EVIDENCE_KEY] = evidence
        ordered.append(entry)
    if ordered:
        contract["depends_on"] = ordered
    policies = []
    retries = {(f.path, f.line): f for f in findings if f.kind == "retry"}
    for f in findings:
        if f.kind != "new_id_per_attempt":
            continue
        target = _target_service(f)
        retry = retries.get((f.path, f.attributes.get("retry_line")))
        if target is None and retry is not None:
            target = _target_service(retry)
        if target is None:
            same_file = {_target_service(g) for g in findings if g.path == f.path and _target_service(g)}
            target = same_file.pop() if len(same_file) == 1 else None
        if target is None:
            continue
        source = f.target if f.target and f.target.service else (retry.target if retry is not None else None)
        op = source.operation if source and source.operation else None
        policies.append({"target": f"{target}.{op}" if op else target,
                         "on_timeout": {"generates_new_request_id": True},
                         EVIDENCE_KEY: [_loc(f)]})
    if policies:
        contract["retry_policies"] = policies
    operations = []
    for f in findings:
        if f.kind != "idempotency_key" or not f.attributes.get("key"):
            continue
        entry = {}
        op = (f.target.operation if f.target else None) or f.attributes.get("operation")
        if op:
            entry["name"] = op
        entry["idempotency_key"] = f.attributes["key"]
        if f.attributes.get("window_ms"):
            entry["window"] = format_ms(f.attributes["window_ms"])
        entry[EVIDENCE_KEY] = [_loc(f)]
        operations.append(entry)
    if operations:
        contract["operations"] = operations
    data = []
    for f in findings:
        if f.kind != "replica_read":
            continue
        source = _target_service(f) or f.attributes.get("alias")
        if not source or any(d["source"] == source for d in data):
            continue
        data.append({"source": source, "via": "database_replica", EVIDENCE_KEY: [_loc(f)]})
    if data:
        contract["data_dependencies"] = data
    return contract


def field_evidence(item: dict, fieldname: str, findings_at: dict[str, list[Finding]]) -> str | None:
    """The ``path:line`` of the finding behind ``item[fieldname]``, or None when unsure."""
    kinds = FIELD_KINDS.get(fieldname)
    if not kinds:
        return None
    for loc in evidence_of(item):
        for f in findings_at.get(loc, []):
            if f.kind in kinds:
                return loc
    return None


def index_findings(result: ScanResult) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in result.findings:
        out.setdefault(_loc(f), []).append(f)
    return out


def strip_evidence(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: strip_evidence(v) for k, v in data.items() if k != EVIDENCE_KEY}
    if isinstance(data, list):
        return [strip_evidence(v) for v in data]
    return data


def section_items(contract: dict, section: str) -> list[dict]:
    items = contract.get(section)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


__all__ = ["inferred_contracts", "infer_from_findings", "field_evidence", "index_findings", "strip_evidence",
           "section_items", "SECTIONS", "split_location"]
