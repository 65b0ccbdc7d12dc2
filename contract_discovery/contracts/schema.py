"""The JSON Schema of a contract file (SPEC.md section 3), for editors and for ``validate``.

Editors use it through yaml-language-server
(``# yaml-language-server: $schema=contract-schema.json`` at the top of a file).
The structure is checked here; the human notation inside strings (durations,
percentiles, ranges) is checked by ``contracts.notation`` with messages that
name the field. Keys starting with ``x-`` are free for extensions
(``x-evidence`` in inferred contracts).
"""

from __future__ import annotations

import copy
from typing import Any

from contract_discovery.contracts.notation import DURATION_PATTERN

SCHEMA_ID = "https://contract-discovery.dev/schema/contract-1.json"

_X = {"^x-": {}}
# Free-text metadata any entry may carry (people write these; the checks ignore them).
_META: dict[str, Any] = {
    "notes": {"type": "string"}, "note": {"type": "string"}, "comment": {"type": "string"},
    "team": {"type": "string"}, "contact": {"type": "string"}, "criticality": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}}, "links": {"type": "array"},
}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = (), description: str = "",
         any_of_required: tuple[str, ...] = ()) -> dict[str, Any]:
    properties = {**properties, **{k: v for k, v in _META.items() if k not in properties}}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "patternProperties": dict(_X),
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    if any_of_required:
        schema["anyOf"] = [{"required": [name]} for name in any_of_required]
        schema["x-expect"] = "one of the keys " + ", ".join(any_of_required)
    if description:
        schema["description"] = description
    return schema


_TEXT = {"type": "string"}
_WORD = {"type": "string", "description": "A short identifier (snake_case)."}
_DURATION = {
    "type": "string",
    "pattern": DURATION_PATTERN,
    "description": "A duration: a number and a unit (ms, s, m, h), e.g. 500ms, 2s, 5m; or none.",
    "examples": ["500ms", "2s", "5m", "none"],
}
_LATENCY_TEXT = {
    "description": "Latency notation: 'p95 < 200ms', 'p50=2800ms, p95=3200ms', "
                   "'p50=80ms, p95=150ms (requires caching)', or a mapping {p50: 80ms, p95: 150ms}.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "patternProperties": {"^(p[0-9]{1,2}(\\.[0-9]+)?|p100|max|median)$": _DURATION},
         "additionalProperties": False},
    ],
    "x-expect": "a latency such as 'p95 < 200ms' or 'p50=80ms, p95=150ms'",
    "examples": ["p95 < 200ms", "p50=2800ms, p95=3200ms"],
}
_FRESHNESS = {
    "type": "string",
    "description": "Staleness notation: '<10s', '15-30s typical, 60s max', '30s'.",
    "examples": ["<10s", "15-30s typical, 60s max"],
}
_RETRY = {
    "description": "none, a number of attempts (counting the first try), or a mapping.",
    "oneOf": [
        {"type": "string"},
        {"type": "integer", "minimum": 0},
        {"type": "boolean"},
        _obj({
            "max_attempts": {"type": "integer", "minimum": 0},
            "attempts": {"type": "integer", "minimum": 0},
            "retries": {"type": "integer", "minimum": 0},
            "backoff": {"type": "string", "examples": ["exponential", "fixed", "linear", "none"]},
            "base_delay": _DURATION, "delay": _DURATION, "max_delay": _DURATION,
            "per_try_timeout": _DURATION,
            "on": {"oneOf": [_TEXT, {"type": "array", "items": _TEXT}]},
            "generates_new_request_id": {"type": "boolean"},
            "reason": _TEXT,
        }),
    ],
    "x-expect": "'none', a number of attempts, or a mapping {max_attempts, backoff, base_delay}",
}
_BUDGET = {
    "description": "The latency the consumer can afford: one statement ('p95 < 200ms') or "
                   "tiers target (goal), acceptable (the contract), maximum (hard limit).",
    "oneOf": [
        {"type": "string", "minLength": 1},
        _obj({"target": _LATENCY_TEXT, "acceptable": _LATENCY_TEXT, "maximum": _LATENCY_TEXT}),
        {"type": "object", "patternProperties": {"^(p[0-9]{1,2}(\\.[0-9]+)?|p100|max|median)$": _DURATION},
         "additionalProperties": False, "minProperties": 1},
    ],
    "x-expect": "'p95 < 200ms', a mapping {target, acceptable, maximum}, or {p95: 200ms, p99: 500ms}",
}
_STRINGS = {"oneOf": [_TEXT, {"type": "array", "items": _TEXT}], "x-expect": "a word or a list of words"}
_ON_EVENT = _obj({
    "generates_new_request_id": {"type": "boolean", "description": "true: each attempt carries a fresh request/transaction id."},
    "reason": _TEXT,
    "max_attempts": {"type": "integer", "minimum": 0},
    "backoff": _TEXT,
})

DEPENDENCY = _obj({
    "service": {**_WORD, "description": "The service called."},
    "operation": _WORD,
    "endpoint": _TEXT,
    "protocol": _TEXT,
    "latency_budget": _BUDGET,
    "timeout": _DURATION,
    "retry": _RETRY,
    "retries": {"type": "integer", "minimum": 0, "description": "Retries after the first try (retries: 2 = 3 attempts)."},
    "max_attempts": {"type": "integer", "minimum": 0, "description": "Total attempts, counting the first try."},
    "backoff": _TEXT,
    "idempotency_key": _WORD,
    "fallback": _TEXT,
    "circuit_breaker": {"oneOf": [_TEXT, {"type": "boolean"}, {"type": "object"}], "x-expect": "a word, true/false or a mapping"},
    "reason": _TEXT, "description": _TEXT, "owner": _TEXT,
}, required=("service",), description="A service this one calls, and what it expects of it.")

RETRY_POLICY = _obj({
    "target": {"type": "string", "description": "service or service.operation"},
    "on_timeout": _ON_EVENT, "on_error": _ON_EVENT, "on_failure": _ON_EVENT,
    "generates_new_request_id": {"type": "boolean"},
    "max_attempts": {"type": "integer", "minimum": 0},
    "backoff": _TEXT, "base_delay": _DURATION, "max_delay": _DURATION,
    "reason": _TEXT,
}, required=("target",), description="How this service retries a dependency.")

PROVISION = _obj({
    "operation": _WORD, "endpoint": _TEXT, "dataset": _WORD, "event": _WORD, "topic": _WORD,
    "latency": {
        "description": "current (measured) and target (the plan) latency, or one statement.",
        "oneOf": [
            {"type": "string", "minLength": 1},
            _obj({"current": _LATENCY_TEXT, "target": _LATENCY_TEXT}),
        ],
        "x-expect": "'p95=3200ms' or a mapping {current, target}",
    },
    "returns": _TEXT,
    "access": _STRINGS,
    "pii": {"type": "string", "examples": ["none", "minimal", "low", "medium", "high"]},
    "via": {"type": "string", "examples": ["database_replica", "event_stream", "api", "primary"]},
    "freshness": _FRESHNESS,
    "availability": {"type": ["string", "number"]},
    "throughput": {"type": ["string", "number"]},
    "reason": _TEXT, "description": _TEXT, "owner": _TEXT,
}, description="Something this service offers: an operation, an endpoint or a dataset.",
    any_of_required=("operation", "endpoint", "dataset", "event", "topic"))

OPERATION = _obj({
    "name": _WORD,
    "idempotency_key": _WORD,
    "expects": {"type": "string", "examples": ["stable_across_retries", "new_per_attempt", "none"]},
    "window": _DURATION,
    "reason": _TEXT, "description": _TEXT,
}, required=("name",), description="Semantics of an operation this service implements (idempotency).")

DATA_DEPENDENCY = _obj({
    "source": {"type": "string", "description": "Where the data comes from (orders-db, a service name)."},
    "service": _WORD,
    "dataset": _WORD,
    "via": _TEXT,
    "freshness_required": _FRESHNESS,
    "reason": _TEXT, "impact_if_stale": _TEXT, "description": _TEXT,
}, description="Data this service reads from another and how fresh it must be.",
    any_of_required=("source", "service", "dataset"))

REQUIREMENT = _obj({
    "from": {**_WORD, "description": "The service that must provide the data."},
    "data": _WORD,
    "access_level": _WORD,
    "use_case": _TEXT,
    "fields": {"type": "array", "items": _TEXT},
    "reason": _TEXT, "description": _TEXT,
}, required=("from", "data"), description="Data this service needs from another, and at which access level.")

CONTRACT_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": SCHEMA_ID,
    "title": "contract-discovery service contract",
    "description": "One file of a service's contract (SPEC.md section 3). A service's files are merged.",
    **_obj({
        "service": {**_WORD, "description": "The service this file describes (required in every file)."},
        "owner": _TEXT, "description": _TEXT, "version": {"type": ["string", "number"]},
        "depends_on": {"type": "array", "items": DEPENDENCY},
        "retry_policies": {"type": "array", "items": RETRY_POLICY},
        "provides": {"type": "array", "items": PROVISION},
        "operations": {"type": "array", "items": OPERATION},
        "data_dependencies": {"type": "array", "items": DATA_DEPENDENCY},
        "requires": {"type": "array", "items": REQUIREMENT},
    }, required=("service",)),
}

DECISION = _obj({
    "rule": _WORD,
    "parties": {"type": "array", "items": _WORD, "minItems": 1},
    "decision": _TEXT,
    "owner": _TEXT,
    "date": {"type": "string"},
    "expires": {"type": "string"},
    "fingerprint": _TEXT,
    "reason": _TEXT,
}, required=("rule", "parties", "decision", "owner", "date"))

DECISIONS_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "contract-discovery recorded decisions (contracts/decisions.yaml)",
    **_obj({"decisions": {"type": "array", "items": DECISION}}, required=("decisions",)),
}


def contract_schema() -> dict[str, Any]:
    return copy.deepcopy(CONTRACT_SCHEMA)
