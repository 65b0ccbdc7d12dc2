"""Drift: what the code does now against what the contracts declare, and what moved since a baseline.

Three kinds of item, per service:

- ``drifted``: a declared value the code contradicts (both locations are given);
- ``undeclared``: a dependency the code has that no contract declares;
- ``stale``: a declared dependency (``depends_on``) the code no longer calls; only said of a
  service with code the scan can read.

Each item has a stable ``id`` (kind, service, entry, field and both values), so a baseline
written by ``--write-baseline`` tells the next run what is new and what was resolved.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from contract_discovery.adoption.contracts import (
    SECTIONS, entry_label, evidence_of, match_entry, matched_by_any, render_scalar, split_location)
from contract_discovery.adoption.inferred import field_evidence
from contract_discovery.adoption.initializer import differs, comparable, own_items
from contract_discovery.adoption.state import State

DEPENDENCY_SECTIONS = ("depends_on", "data_dependencies")
BASELINE_VERSION = 1


@dataclass(frozen=True)
class DriftItem:
    kind: str  # drifted, undeclared, stale
    service: str
    entry: str
    field: str | None
    declared: Any
    inferred: Any
    declared_at: tuple[str, int | None] | None
    inferred_at: tuple[str, int | None] | None
    target: str | None = None  # the other service of a dependency (for the graph)

    @property
    def id(self) -> str:
        key = json.dumps([self.kind, self.service, self.entry, self.field, render_scalar(self.declared),
                          render_scalar(self.inferred)], sort_keys=True, default=str)
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def describe(self) -> str:
        if self.kind == "drifted":
            return (f"{self.entry} {self.field}: declared {render_scalar(self.declared)}, "
                    f"the code does {render_scalar(self.inferred)}")
        if self.kind == "undeclared":
            return f"{self.entry}: the code depends on it, no contract declares it"
        return f"{self.entry}: declared, but the code no longer calls it"

    def to_json(self) -> dict:
        def loc(value):
            return None if value is None else {"path": value[0], "line": value[1]}

        return {"id": self.id, "kind": self.kind, "service": self.service, "entry": self.entry, "field": self.field,
                "declared": self.declared, "inferred": self.inferred, "declared_at": loc(self.declared_at),
                "inferred_at": loc(self.inferred_at), "target": self.target, "message": self.describe()}


@dataclass
class DriftReport:
    services: list[str]
    items: list[DriftItem]
    new: list[DriftItem] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)  # baseline items (as stored) no longer present
    baseline: str | None = None
    declared_services: list[str] = field(default_factory=list)

    def by_service(self) -> dict[str, list[DriftItem]]:
        out: dict[str, list[DriftItem]] = {s: [] for s in self.services}
        for item in self.items:
            out.setdefault(item.service, []).append(item)
        return out

    def to_json(self) -> dict:
        return {
            "schema_version": 1,
            "baseline": self.baseline,
            "summary": {"services": len(self.services), "drifted": self.count("drifted"),
                        "undeclared": self.count("undeclared"), "stale": self.count("stale"),
                        "new": len(self.new), "resolved": len(self.resolved)},
            "items": [i.to_json() for i in self.items],
            "new": [i.id for i in self.new],
            "resolved": self.resolved,
        }

    def count(self, kind: str) -> int:
        return sum(1 for i in self.items if i.kind == kind)


def _first_loc(item: dict, findings_at: dict | None = None) -> tuple[str, int | None] | None:
    """Where the code shows an entry: its outbound call if the evidence has one, else the first location."""
    ev = evidence_of(item)
    for loc in ev:
        if any(f.kind in ("outbound_call", "replica_read", "missing_timeout") for f in (findings_at or {}).get(loc, [])):
            return split_location(loc)
    return split_location(ev[0]) if ev else None


def compute_drift(state: State) -> DriftReport:
    items: list[DriftItem] = []
    declared_services = []
    understood_services = {f.service for f in state.result.findings if f.service}
    understood_services |= {s.name for s in state.result.services if s.languages}
    for service in state.services:
        declared = state.declared.get(service)
        inferred = state.inferred.get(service, {})
        has_declared = bool(declared and declared.files)
        if has_declared:
            declared_services.append(service)
        entries = declared.entries if declared else []
        understood = service in understood_services
        for section in SECTIONS:
            mine = [e for e in entries if e.section == section]
            found = own_items(service, section, inferred.get(section))
            for item in found:
                match = match_entry(section, item, mine, data_of=lambda e: e.data)
                if match is None:
                    if section in DEPENDENCY_SECTIONS:
                        items.append(DriftItem("undeclared", service, entry_label(section, item), None, None,
                                               None, None, _first_loc(item, state.findings_at),
                                               str(item.get("service") or item.get("source") or "") or None))
                    continue
                for key, value in item.items():
                    if not comparable(section, key, item) or key not in match.data:
                        continue
                    if value is None or not differs(section, key, match.data[key], value):
                        continue
                    loc = field_evidence(item, key, state.findings_at)
                    items.append(DriftItem("drifted", service, entry_label(section, match.data), key,
                                           match.data[key], value,
                                           (match.path, match.field_lines.get(key) or match.line),
                                           split_location(loc) if loc else _first_loc(item, state.findings_at),
                                           str(match.data.get("service") or match.data.get("source") or "") or None))
            # "No longer called" needs code the scan can read: a service with no file in a language that
            # has an extractor proves nothing; data reads are not all visible in code either.
            if section == "depends_on" and understood:
                for entry in mine:
                    if not matched_by_any(section, entry.data, found):
                        items.append(DriftItem("stale", service, entry_label(section, entry.data), None, None, None,
                                               (entry.path, entry.line), None,
                                               str(entry.data.get("service") or entry.data.get("source") or "") or None))
    items.sort(key=lambda i: (i.service, {"drifted": 0, "undeclared": 1, "stale": 2}[i.kind], i.entry, i.field or ""))
    return DriftReport(state.services, items, declared_services=declared_services)


def baseline_data(report: DriftReport) -> dict:
    return {"schema_version": BASELINE_VERSION, "tool": "contract-discovery drift",
            "items": [{k: v for k, v in i.to_json().items()} for i in report.items]}


def apply_baseline(report: DriftReport, baseline: dict, name: str) -> None:
    stored = [i for i in baseline.get("items", []) if isinstance(i, dict) and i.get("id")]
    known = {i["id"] for i in stored}
    current = {i.id for i in report.items}
    report.baseline = name
    report.new = [i for i in report.items if i.id not in known]
    report.resolved = [i for i in stored if i["id"] not in current]
