"""``diff``: every contract change between two versions, classified per consumer.

A change is *breaking* for a consumer when, after it, the two sides no longer fit:
a provider's latency exceeding a consumer's budget (``p95 < 200ms``), a freshness
guarantee weakened past (or without) a consumer's requirement, an idempotency key
renamed or its window shortened, an operation or dataset removed, access tightened.
The same change can break one consumer and leave another alone; each is named.
Contracts are read from a folder or from a git revision (``git ls-tree``/``git show``).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_discovery.adoption.contracts import (
    Declared, DeclaredEntry, SECTIONS, declared_from_texts, is_contract_name, entry_label, load_documents, match_entry, render_scalar)
from contract_discovery.errors import ToolError

_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".contract-discovery-cache"}


# --- reading both sides ----------------------------------------------------------------------------

def _is_contract_path(relpath: str) -> bool:
    parts = relpath.split("/")
    return len(parts) >= 2 and parts[-2] == "contracts" and is_contract_name(parts[-1])


def _group(texts: list[tuple[str, str]]) -> dict[str, Declared]:
    services: dict[str, list[tuple[str, str]]] = {}
    for relpath, text in texts:
        try:
            docs = load_documents(text, relpath)
        except Exception:  # noqa: BLE001 - an unreadable file is reported by validate, not here
            continue
        for doc in docs:
            if isinstance(doc.data, dict) and doc.data.get("service"):
                services.setdefault(str(doc.data["service"]), []).append((relpath, text))
    return {name: declared_from_texts(name, list(dict.fromkeys(pairs))) for name, pairs in services.items()}


def contracts_in_folder(folder: Path) -> dict[str, Declared]:
    if not folder.is_dir():
        raise ToolError(f"{folder} is not a folder")
    texts = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(folder).as_posix()
            if _is_contract_path(rel) and not full.is_symlink():
                try:
                    texts.append((rel, full.read_bytes().decode("utf-8")))
                except (OSError, UnicodeDecodeError):
                    continue
    return _group(texts)


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise ToolError("git is not installed (diff --against needs it)") from None
    if proc.returncode != 0:
        raise ToolError(f"git {' '.join(args)}: {proc.stderr.decode(errors='replace').strip() or proc.returncode}")
    return proc.stdout.decode("utf-8", errors="replace")


def contracts_at_revision(root: Path, rev: str) -> dict[str, Declared]:
    """The contract files of ``root`` (paths relative to it) as they were at ``rev``."""
    _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", rev, "--", ".")
    texts = []
    for rel in filter(None, listing.split("\0")):
        if any(part in _SKIP_DIRS for part in rel.split("/")) or not _is_contract_path(rel):
            continue
        texts.append((rel, _git(root, "show", f"{rev}:./{rel}")))
    return _group(texts)


# --- the model of a change -------------------------------------------------------------------------

@dataclass
class Impact:
    consumer: str
    breaking: bool
    reason: str
    location: str | None = None

    def to_json(self) -> dict:
        return {"consumer": self.consumer, "breaking": self.breaking, "reason": self.reason, "location": self.location}


@dataclass
class Change:
    service: str
    kind: str  # added, removed, changed
    entry: str
    field: str | None
    old: Any
    new: Any
    location: str
    breaking: bool = False
    impacts: list[Impact] = field(default_factory=list)
    note: str = ""

    def describe(self) -> str:
        if self.kind == "added":
            return f"{self.entry} added"
        if self.kind == "removed":
            return f"{self.entry} removed"
        if self.old is None:
            return f"{self.entry} {self.field} added: {render_scalar(self.new)}"
        if self.new is None:
            return f"{self.entry} {self.field} removed (was {render_scalar(self.old)})"
        return f"{self.entry} {self.field}: {render_scalar(self.old)} -> {render_scalar(self.new)}"

    def to_json(self) -> dict:
        return {"service": self.service, "kind": self.kind, "entry": self.entry, "field": self.field,
                "old": self.old, "new": self.new, "location": self.location, "breaking": self.breaking,
                "consumers": [i.to_json() for i in self.impacts], "note": self.note, "message": self.describe()}


@dataclass
class DiffResult:
    changes: list[Change]

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def affected(self) -> list[str]:
        names: set[str] = set()
        for change in self.breaking:
            names.add(change.service)
            names.update(i.consumer for i in change.impacts if i.breaking)
        return sorted(names)

    def to_json(self) -> dict:
        return {"schema_version": 1, "breaking": bool(self.breaking), "affected_services": self.affected(),
                "changes": [c.to_json() for c in self.changes]}


# --- notation helpers ------------------------------------------------------------------------------

def _latency_points(value: Any) -> dict[str, float]:
    """A provided latency as percentile -> ms, preferring what is measured now (``current``)."""
    from contract_discovery.contracts.notation import NotationError, parse_latency

    if isinstance(value, dict):
        for key in ("current", "guaranteed", "sla", "provided", "target"):
            if key in value:
                return _latency_points(value[key])
        try:
            value = parse_latency(value)
        except NotationError:
            return {}
        return {p.percentile or "max": p.ms for p in value.points}
    try:
        parsed = parse_latency(value)
    except NotationError:
        return {}
    return {p.percentile or "max": p.ms for p in parsed.points}


def _budget_points(value: Any) -> list[tuple[str, str, float, str]]:
    """A consumer's budget as (percentile, op, ms, text); ``target`` is an aim, not a limit."""
    from contract_discovery.contracts.notation import NotationError, parse_latency

    statements: list[str] = []
    if isinstance(value, dict):
        statements = [str(value[k]) for k in ("acceptable", "maximum", "max", "limit") if value.get(k)]
        if not statements and value.get("target"):
            statements = [str(value["target"])]
    elif value is not None:
        statements = [str(value)]
    out = []
    for text in statements:
        try:
            parsed = parse_latency(text)
        except NotationError:
            continue
        for p in parsed.points:
            out.append((p.percentile or "max", p.op, p.ms, p.text()))
    return out


def _within(ms: float, op: str, limit: float) -> bool:
    return ms < limit if op == "<" else ms <= limit


def _freshness_worst(value: Any) -> float | None:
    from contract_discovery.contracts.notation import NotationError, parse_freshness

    try:
        return parse_freshness(value).worst_ms() if value is not None else None
    except NotationError:
        return None


def _duration(value: Any) -> float | None:
    from contract_discovery.contracts.notation import NotationError, parse_duration

    try:
        return parse_duration(value)
    except NotationError:
        return None


# --- consumers of a provider ------------------------------------------------------------------------

def _same(a: Any, b: Any) -> bool:
    return a is not None and b is not None and str(a).strip().lower() == str(b).strip().lower()


def _provider_of(source: str, providers: list[str]) -> str | None:
    for name in sorted(providers, key=len, reverse=True):
        if source == name or source.startswith((name + "-", name + "_", name + ".")):
            return name
    return None


def _dependents(contracts: dict[str, Declared], provider: str, operation: Any) -> list[tuple[str, DeclaredEntry]]:
    """(consumer, depends_on entry) for every consumer calling ``provider`` (and that operation, if named)."""
    out = []
    for name, declared in sorted(contracts.items()):
        if name == provider:
            continue
        for entry in declared.section("depends_on"):
            if not _same(entry.data.get("service"), provider):
                continue
            op = entry.data.get("operation") or entry.data.get("endpoint")
            if operation is None or op is None or _same(op, operation):
                out.append((name, entry))
    return out


def _data_consumers(contracts: dict[str, Declared], provider: str, dataset: Any) -> list[tuple[str, DeclaredEntry]]:
    out = []
    for name, declared in sorted(contracts.items()):
        if name == provider:
            continue
        for entry in declared.section("data_dependencies"):
            source = str(entry.data.get("source") or "")
            if dataset is not None and entry.data.get("dataset") is not None and not _same(entry.data["dataset"], dataset):
                continue
            if _provider_of(source, list(contracts)) in (provider, None) or _same(entry.data.get("dataset"), dataset):
                if _same(entry.data.get("dataset"), dataset) or _provider_of(source, list(contracts)) == provider:
                    out.append((name, entry))
    return out


def _where(entry: DeclaredEntry, fieldname: str | None = None) -> str:
    line = entry.field_lines.get(fieldname) if fieldname else None
    return f"{entry.path}:{line or entry.line}"


# --- classification -----------------------------------------------------------------------------------

def _provided_name(data: dict) -> tuple[str | None, Any]:
    for kind in ("operation", "endpoint", "dataset", "data"):
        if data.get(kind) is not None:
            return kind, data[kind]
    return None, None


def _classify_latency(change: Change, provider: str, operation: Any, new_contracts: dict[str, Declared]) -> None:
    old_pts, new_pts = _latency_points(change.old), _latency_points(change.new)
    slower = [p for p in new_pts if p in old_pts and new_pts[p] > old_pts[p]] + [p for p in new_pts if p not in old_pts]
    for consumer, entry in _dependents(new_contracts, provider, operation):
        budget = _budget_points(entry.data.get("latency_budget"))
        if not budget:
            change.impacts.append(Impact(consumer, False, "no latency budget declared", _where(entry)))
            continue
        broken, already, compared = [], [], []
        for percentile, op, limit, text in budget:
            if percentile not in new_pts:
                continue
            compared.append(text)
            now_ok = _within(new_pts[percentile], op, limit)
            was_ok = percentile not in old_pts or _within(old_pts[percentile], op, limit)
            if not now_ok and was_ok:
                broken.append(f"budget {text}, {provider} now {percentile} = {_fmt(new_pts[percentile])}")
            elif not now_ok:
                already.append(text)
        texts = ", ".join(t for _, _, _, t in budget)
        if broken:
            change.impacts.append(Impact(consumer, True, "; ".join(broken), _where(entry, "latency_budget")))
        elif already:
            change.impacts.append(Impact(consumer, False, f"was already over its budget ({', '.join(already)})",
                                         _where(entry, "latency_budget")))
        elif not compared:
            change.impacts.append(Impact(consumer, False, f"its budget ({texts}) names no percentile {provider} states",
                                         _where(entry, "latency_budget")))
        else:
            change.impacts.append(Impact(consumer, False, f"still within its budget ({', '.join(compared)})",
                                         _where(entry, "latency_budget")))
    change.note = "slower" if slower else "faster or same"
    change.breaking = any(i.breaking for i in change.impacts)


def _fmt(ms: float) -> str:
    from contract_discovery.contracts.notation import format_ms

    return format_ms(ms)


def classify(change: Change, section: str, old_data: dict | None, new_data: dict | None,
             new_contracts: dict[str, Declared]) -> None:
    """Fill ``impacts`` and ``breaking`` for one change."""
    service = change.service
    data = new_data or old_data or {}
    if section == "provides":
        kind, name = _provided_name(data)
        if change.kind == "removed":
            consumers = (_data_consumers(new_contracts, service, name) if kind in ("dataset", "data")
                         else _dependents(new_contracts, service, name))
            change.impacts = [Impact(c, True, f"{kind} {name} is no longer provided", _where(e)) for c, e in consumers]
            change.breaking = True
            return
        if change.kind == "changed" and change.field == "latency":
            _classify_latency(change, service, name if kind in ("operation", "endpoint") else None, new_contracts)
        elif change.kind == "changed" and change.field == "freshness":
            old_w, new_w = _freshness_worst(change.old), _freshness_worst(change.new)
            weakened = new_w is not None and (old_w is None or new_w > old_w)
            if weakened:
                consumers = _data_consumers(new_contracts, service, name)
                for consumer, entry in consumers:
                    need = _freshness_worst(entry.data.get("freshness_required"))
                    if need is None:
                        change.impacts.append(Impact(consumer, True, "freshness guarantee weakened (no requirement declared)", _where(entry)))
                    elif new_w > need:
                        change.impacts.append(Impact(consumer, True, f"requires {entry.data.get('freshness_required')}, "
                                                     f"now up to {_fmt(new_w)}", _where(entry, "freshness_required")))
                    else:
                        change.impacts.append(Impact(consumer, False, f"requires {entry.data.get('freshness_required')}: still met",
                                                     _where(entry, "freshness_required")))
                change.breaking = not consumers or any(i.breaking for i in change.impacts)
                change.note = "freshness guarantee weakened"
        elif change.kind == "changed" and change.field in ("access", "access_level"):
            for name_, declared in sorted(new_contracts.items()):
                for entry in declared.section("requires"):
                    if _same(entry.data.get("from"), service):
                        change.impacts.append(Impact(name_, True, f"access changed to {change.new}", _where(entry)))
            change.breaking = True
            change.note = "access changed"
    elif section == "operations":
        op = data.get("name")
        consumers = _dependents(new_contracts, service, op)
        reason = None
        if change.kind == "removed":
            reason = f"operation {op or data.get('idempotency_key')} removed"
        elif change.kind == "changed" and change.field == "idempotency_key":
            if change.old is None:
                reason = f"now deduplicates by idempotency key {change.new}: callers must send it"
            elif change.new is None:
                reason = f"no longer deduplicates by {change.old}: a retry may be processed twice"
            else:
                reason = f"idempotency key renamed {change.old} -> {change.new}"
        elif change.kind == "changed" and change.field == "window":
            old_ms, new_ms = _duration(change.old), _duration(change.new)
            if old_ms is None or new_ms is None or new_ms < old_ms:
                reason = f"idempotency window shortened {change.old} -> {change.new}"
        elif change.kind == "changed" and change.field == "expects":
            reason = f"expectation changed {change.old} -> {change.new}"
        if reason:
            change.breaking = True
            change.note = reason
            change.impacts = [Impact(c, True, reason, _where(e)) for c, e in consumers]
    elif section == "depends_on" and change.kind == "changed" and change.field == "latency_budget":
        provider, op = data.get("service"), data.get("operation") or data.get("endpoint")
        provided = new_contracts.get(str(provider)) if provider else None
        for entry in provided.section("provides") if provided else []:
            if "latency" not in entry.data:
                continue
            kind, name = _provided_name(entry.data)
            if op is not None and name is not None and not _same(op, name):
                continue
            pts = _latency_points(entry.data["latency"])
            old_budget = {(p, o): (ms, t) for p, o, ms, t in _budget_points(change.old)}
            for percentile, o, limit, text in _budget_points(change.new):
                if percentile in pts and not _within(pts[percentile], o, limit):
                    before = old_budget.get((percentile, o))
                    if before is None or _within(pts[percentile], o, before[0]):
                        change.breaking = True
                        change.impacts.append(Impact(service, True, f"new budget {text}, {provider} provides "
                                                     f"{percentile} = {_fmt(pts[percentile])}", _where(entry, "latency")))
    elif section == "data_dependencies" and change.kind == "changed" and change.field == "freshness_required":
        need = _freshness_worst(change.new)
        old_need = _freshness_worst(change.old)
        source = str(data.get("source") or "")
        provider = _provider_of(source, list(new_contracts))
        provided = new_contracts.get(provider) if provider else None
        for entry in provided.section("provides") if provided else []:
            if entry.data.get("dataset") is None or not _same(entry.data.get("dataset"), data.get("dataset")):
                continue
            worst = _freshness_worst(entry.data.get("freshness"))
            if need is not None and worst is not None and worst > need and (old_need is None or worst <= old_need):
                change.breaking = True
                change.impacts.append(Impact(service, True, f"requires {change.new}, {provider} provides "
                                             f"{entry.data.get('freshness')}", _where(entry, "freshness")))


def compare(old: dict[str, Declared], new: dict[str, Declared]) -> DiffResult:
    changes: list[Change] = []
    for service in sorted(set(old) | set(new)):
        before = old.get(service) or Declared(service)
        after = new.get(service) or Declared(service)
        for section in SECTIONS:
            olds, news = before.section(section), after.section(section)
            for entry in olds:
                match = match_entry(section, entry.data, news, data_of=lambda e: e.data)
                if match is None:
                    change = Change(service, "removed", entry_label(section, entry.data), None, entry.data, None,
                                    f"{entry.path}:{entry.line}")
                    classify(change, section, entry.data, None, new)
                    changes.append(change)
                    continue
                keys = list(entry.data) + [k for k in match.data if k not in entry.data]
                for key in keys:
                    a, b = entry.data.get(key), match.data.get(key)
                    if a == b:
                        continue
                    change = Change(service, "changed", entry_label(section, match.data), key, a, b,
                                    f"{match.path}:{match.field_lines.get(key) or match.line}")
                    classify(change, section, entry.data, match.data, new)
                    changes.append(change)
            for entry in news:
                if match_entry(section, entry.data, olds, data_of=lambda e: e.data) is None:
                    change = Change(service, "added", entry_label(section, entry.data), None, None, entry.data,
                                    f"{entry.path}:{entry.line}")
                    # A new dependency is breaking when its provider already cannot meet it.
                    requirement = {"depends_on": "latency_budget", "data_dependencies": "freshness_required"}.get(section)
                    if requirement and entry.data.get(requirement) is not None:
                        probe = Change(service, "changed", change.entry, requirement, None, entry.data[requirement],
                                       change.location)
                        classify(probe, section, None, entry.data, new)
                        change.breaking, change.impacts = probe.breaking, probe.impacts
                    changes.append(change)
    return DiffResult(changes)


# --- rendering -------------------------------------------------------------------------------------------

def render_text(result: DiffResult, markdown: bool = False) -> str:
    if not result.changes:
        return "No contract changes.\n"
    out = []
    bullet = "- " if markdown else ""
    for change in sorted(result.changes, key=lambda c: (not c.breaking, c.service, c.entry, c.field or "")):
        tag = "BREAKING" if change.breaking else "compatible"
        out.append(f"{bullet}{'**' + tag + '**' if markdown else tag} {change.service}: {change.describe()} ({change.location})")
        for impact in change.impacts:
            verb = "breaks" if impact.breaking else "compatible for"
            where = f" ({impact.location})" if impact.location else ""
            out.append(f"{'  - ' if markdown else '  '}{verb} {impact.consumer}: {impact.reason}{where}")
    out.append("")
    if result.breaking:
        out.append(f"{len(result.breaking)} breaking change(s); affected services: {', '.join(result.affected())}")
    else:
        out.append(f"{len(result.changes)} change(s), none breaking.")
    return "\n".join(out) + "\n"
