"""The records every part of the tool exchanges: findings, per-file results, services, errors.

Records are frozen dataclasses, complete when made. Extractors return them from a
pure function of one file's bytes, so they must stay picklable (they cross
process boundaries) and free of tree-sitter nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any, Mapping

from contract_discovery.values import Expr

FINDING_KINDS = (
    "timeout",
    "missing_timeout",
    "retry",
    "replica_read",
    "new_id_per_attempt",
    "outbound_call",
    "idempotency_key",
    "circuit_breaker",
    "fallback",
)

CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Target:
    """The dependency a setting applies to, as far as it can be told."""

    service: str | None = None
    operation: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"service": self.service, "operation": self.operation, "url": self.url}


@dataclass(frozen=True)
class Pending:
    """A value an extractor could not settle alone: resolved later across the service's files.

    ``attribute`` is the finding attribute to fill (``timeout_ms``, ``max_attempts``,
    ``url``...). ``scale`` multiplies a numeric result (1000 for a value in seconds
    that becomes ``timeout_ms``); ``None`` means the value is a string (a URL).
    """

    attribute: str
    expr: Expr
    scale: float | None = 1.0


@dataclass(frozen=True)
class Finding:
    kind: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    language: str
    detector: str
    confidence: str = "high"
    attributes: Mapping[str, Any] = field(default_factory=dict)
    evidence: str = ""
    target: Target | None = None
    service: str | None = None
    # Symbolic values still to resolve (empty once the pipeline has resolved them).
    pending: tuple[Pending, ...] = ()

    def sort_key(self) -> tuple:
        return (self.service or "", self.path, self.line, self.column, self.kind, self.detector,
                repr(sorted(self.attributes.items(), key=lambda kv: kv[0])))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "service": self.service,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "language": self.language,
            "detector": self.detector,
            "confidence": self.confidence,
            "target": self.target.to_json() if self.target else None,
            "attributes": dict(self.attributes),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class ErrorEntry:
    """A file (or contract, or worker) the tool could not fully handle; the run goes on."""

    path: str
    kind: str  # parse_error, decode_error, binary, too_large, generated, unreadable, symlink, timeout, worker_crash, yaml_error, config_error...
    message: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "kind": self.kind, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data


@dataclass(frozen=True)
class FileResult:
    """What one extractor learnt from one file. A pure function of the file's bytes."""

    path: str
    language: str
    findings: tuple[Finding, ...] = ()
    # Constants the file defines: qualified-within-file name ("TIMEOUT", "Client.TIMEOUT") -> expression.
    symbols: Mapping[str, Expr] = field(default_factory=dict)
    # Names the file imports: local name -> qualified name ("settings" -> "django.conf.settings",
    # "RISK_TIMEOUT" -> "risk.config.RISK_TIMEOUT").
    imports: Mapping[str, str] = field(default_factory=dict)
    # Dotted module name the file's symbols live under (Python: "risk.config"); None if not meaningful.
    module: str | None = None
    errors: tuple[ErrorEntry, ...] = ()
    # Extractors that propose a timeout at each call of a project helper (extractors.wrappers) and
    # were told which helpers exist (a scan's second pass): the names this file calls (last
    # component), and the helpers among them it proposed for. None: it proposed at every call.
    calls: frozenset[str] | None = None
    proposed_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Service:
    name: str
    path: str  # relative to root, "/"-separated; "." for the root itself
    languages: tuple[str, ...] = ()
    origin: str = "manifest"  # manifest, contracts, catalog, config, root

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "languages": list(self.languages)}


@dataclass(frozen=True)
class ScanStats:
    files_seen: int = 0
    files_parsed: int = 0
    files_skipped_prefilter: int = 0
    files_cached: int = 0
    duration_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScanResult:
    root: str
    services: tuple[Service, ...]
    findings: tuple[Finding, ...]
    errors: tuple[ErrorEntry, ...]
    stats: ScanStats
    # Inferred contracts (contract_discovery.contracts.model.Contract), one per service.
    contracts: tuple[Any, ...] = ()
    # Suppression comments found in scanned files: path -> {line: frozenset(rule ids) or {"*"}}.
    suppressions: Mapping[str, Mapping[int, frozenset[str]]] = field(default_factory=dict)


STATUSES = ("BLOCKS_INTEGRATION", "WARNING", "DECISION_REQUIRED", "INFO")


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "line": self.line}
        if self.column is not None:
            data["column"] = self.column
        return data


@dataclass(frozen=True)
class CheckResult:
    """One result of a cross-service check (SPEC.md section 4).

    ``expected`` / ``actual`` are the one-line statements of each side as the seed
    words them ("p95 < 200ms", "p95 = 3200ms (current)"). ``details`` carries the
    extra seed sections (``impact``, ``resolutions`` list, ``trade_off``,
    ``decision_by`` list of parties) and rule-specific data.
    """

    rule: str
    status: str
    title: str
    consumer: str | None
    provider: str | None
    expected: str
    actual: str
    action: str
    locations: tuple[Location, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    fingerprint: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "status": self.status,
            "title": self.title,
            "consumer": self.consumer,
            "provider": self.provider,
            "expected": self.expected,
            "actual": self.actual,
            "action": self.action,
            "locations": [loc.to_json() for loc in self.locations],
            "details": dict(self.details),
            "fingerprint": self.fingerprint,
        }
