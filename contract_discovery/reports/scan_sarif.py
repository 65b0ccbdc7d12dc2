"""``scan --format sarif``: one rule per finding kind, stable fingerprints (no line numbers in them)."""

from __future__ import annotations

import json

from contract_discovery.model import ScanResult
from contract_discovery.reports import sarif
from contract_discovery.reports.scan_text import summarise

KIND_RULES = {
    "timeout": ("Timeout", "A timeout setting on a call to a dependency", "note"),
    "missing_timeout": ("MissingTimeout", "An outbound call with no effective timeout", "warning"),
    "retry": ("Retry", "A retry policy", "note"),
    "replica_read": ("ReplicaRead", "A read from a replica (data may be stale by the replica lag)", "note"),
    "new_id_per_attempt": ("NewIdPerAttempt", "A fresh request ID made on each retry attempt", "warning"),
    "outbound_call": ("OutboundCall", "A call to another service or system", "note"),
    "idempotency_key": ("IdempotencyKey", "A handler that deduplicates requests by a key", "note"),
    "circuit_breaker": ("CircuitBreaker", "A circuit breaker around a dependency", "note"),
    "fallback": ("Fallback", "A fallback when a dependency fails", "note"),
}


def render(result: ScanResult) -> str:
    kinds = sorted({f.kind for f in result.findings} | set(KIND_RULES))
    rules = []
    for kind in kinds:
        name, short, level = KIND_RULES.get(kind, (kind.title().replace("_", ""), kind.replace("_", " "), "note"))
        rules.append(sarif.rule(kind, name, short, f"{short}. Extracted by contract-discovery so it can be "
                                "checked against the contracts of the services on the other side.",
                                f"{short}. See the contract-discovery README for how each value is found.", level,
                                tags=["contracts", "extraction"]))
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    results = []
    for f in result.findings:
        target = f" -> {f.target.service}" if f.target and f.target.service else ""
        results.append({
            "ruleId": f.kind,
            "level": levels.get(f.kind, "note"),
            "message": {"text": f"{f.kind.replace('_', ' ')}: {summarise(f)}{target} [{f.detector}]"},
            "locations": [sarif.location(f.path, f.line, f.column, f.end_line, f.end_column)],
            "partialFingerprints": {"contractDiscovery/v1": sarif.fingerprint(
                f.service, f.path, f.kind, f.detector, " ".join(f.evidence.split()),
                json.dumps(dict(f.attributes), sort_keys=True, default=str))},
            "properties": {"service": f.service, "confidence": f.confidence,
                           "attributes": dict(f.attributes),
                           "target": f.target.to_json() if f.target else None},
        })
    notes = [sarif.notification(e.path, f"{e.kind}: {e.message}", e.line) for e in result.errors]
    return json.dumps(sarif.log(rules, results, notes), indent=2, default=str) + "\n"
