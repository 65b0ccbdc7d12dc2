"""``init``: contract files from what the code shows, merged into what people already wrote.

For each service the inferred contract is matched entry by entry against the declared
one. An entry the files do not have is added (values in the contract notation, the code
location behind each value as a comment, ``TODO`` comments for what code cannot tell);
a field an existing entry lacks is added to it; a value that differs from a declared one
is only *proposed*: it is reported, never written. Existing bytes are never changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from contract_discovery.adoption.contracts import (
    SECTIONS, Declared, entry_label, evidence_of, load_declared, match_entry, normalise_value,
    render_scalar, unnamed_operation)
from contract_discovery.adoption.inferred import field_evidence, index_findings, inferred_contracts
from contract_discovery.adoption.yamledit import (
    EditError, Editor, Line, render_mapping_lines, render_new_file)
from contract_discovery.errors import ToolError
from contract_discovery.model import Finding, ScanResult

# Fields that name an entry rather than describe it: never merged or proposed.
IDENTITY = {
    "depends_on": ("service", "operation", "endpoint"),
    "provides": ("operation", "endpoint", "dataset", "data"),
    "operations": ("name",),
    "data_dependencies": ("source", "dataset", "service"),
    "requires": ("from", "data"),
    "retry_policies": ("target",),
}


@dataclass(frozen=True)
class Proposal:
    """A value the code now shows that differs from the declared one (reported, never written)."""

    service: str
    label: str
    field: str
    declared: Any
    inferred: Any
    path: str
    line: int
    evidence: str | None

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        src = f" ({self.evidence})" if self.evidence else ""
        return (f"{where}: proposal: {self.service} {self.label} {self.field}: declared "
                f"{render_scalar(self.declared)}, the code shows {render_scalar(self.inferred)}{src}")

    def to_json(self) -> dict:
        return {"service": self.service, "entry": self.label, "field": self.field, "declared": self.declared,
                "inferred": self.inferred, "path": self.path, "line": self.line, "evidence": self.evidence}


@dataclass
class FileChange:
    relpath: str
    old: bytes | None
    new: str
    added: list[str] = field(default_factory=list)

    def new_bytes(self) -> bytes:
        return self.new.encode("utf-8")

    def diff(self) -> str:
        old = self.old.decode("utf-8") if self.old is not None else ""
        lines = difflib.unified_diff(old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                     fromfile="/dev/null" if self.old is None else f"a/{self.relpath}",
                                     tofile=f"b/{self.relpath}")
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)


@dataclass
class InitPlan:
    changes: list[FileChange] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def todo_comments(service: str, section: str, item: dict) -> list[str]:
    """What a person must add to an entry because code cannot tell it."""
    todos: list[str] = []
    if section == "depends_on":
        other = item.get("service", "the provider")
        todos.append(f"latency_budget: what {service} can wait for {other}, e.g. {{acceptable: p95 < 200ms}}")
        if "timeout" not in item:
            todos.append(f"timeout: no timeout found in the code for calls to {other}; declare one, e.g. 500ms")
        elif normalise_value(item.get("timeout")) == "none":
            todos.append(f"timeout: the code sets none, so a call to {other} can wait forever; declare one, e.g. 500ms")
        if "fallback" not in item:
            todos.append(f"fallback: what {service} does when {other} fails or is slow")
    elif section == "data_dependencies":
        if "dataset" not in item:
            todos.append("dataset: the data read from this source")
        todos.append(f"freshness_required: how stale this data may be for {service}, e.g. <10s")
    elif section == "operations":
        if "window" not in item:
            todos.append("window: how long a key is remembered, e.g. 5m")
        if "expects" not in item:
            todos.append("expects: stable_across_retries if callers must reuse the key on every attempt")
    elif section == "requires":
        if "access_level" not in item:
            todos.append("access_level: the access this data needs, e.g. support_tier_2")
    return todos


FOOTER = [
    "TODO provides: the operations, endpoints and datasets {service} offers, e.g.",
    "TODO   - {{operation: NAME, latency: {{current: p95=...ms, target: p95 < ...ms}}}}",
    "TODO   - {{dataset: NAME, via: database_replica, freshness: 15-30s typical, 60s max}}",
    "TODO   - {{endpoint: /PATH, access: TEAM_ONLY, pii: minimal|high}}",
    "TODO requires: data {service} needs from other services and the access it needs, e.g.",
    "TODO   - {{from: SERVICE, data: NAME, access_level: support_tier_2, use_case: WHY}}",
]


def _comments_for(item: dict, findings_at: dict[str, list[Finding]]) -> tuple[dict[str, str], str | None]:
    comments: dict[str, str] = {}
    for key in item:
        loc = field_evidence(item, key, findings_at)
        if loc:
            comments[key] = f"from {loc}"
    evidence = evidence_of(item)
    first = f"from {', '.join(evidence[:3])}" + (" ..." if len(evidence) > 3 else "") if evidence else None
    return comments, first


def _clean(item: dict) -> dict:
    """What init writes of an inferred entry: no inference metadata (``x-...`` keys), no nulls."""
    return {k: v for k, v in item.items() if not str(k).startswith("x-") and v is not None}


def comparable(section: str, key: str, inferred_item: dict) -> bool:
    """Whether the code's value for ``key`` speaks to the declared one.

    Names are identity, not values; ``x-`` keys are inference metadata; the key variable of an
    operation whose name the code cannot tell is a local name, not the wire field."""
    if key in IDENTITY.get(section, ()) or str(key).startswith("x-"):
        return False
    if section == "operations" and key == "idempotency_key" and unnamed_operation(inferred_item):
        return False
    return True


def own_items(service: str, section: str, items: Any) -> list[dict]:
    """The inferred entries of a section, without dependencies of a service on itself."""
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if section in ("depends_on", "data_dependencies") and str(item.get("service") or "") == service:
            continue
        out.append(item)
    return out


def differs(section: str, key: str, declared: Any, inferred: Any) -> bool:
    """True when the code's value contradicts the declared one (a sub-key only the file has is fine)."""
    if key == "retry":
        return _retry_differs(declared, inferred)
    if isinstance(declared, dict) and isinstance(inferred, dict):
        return any(k in declared and differs(section, k, declared[k], v) for k, v in inferred.items())
    return normalise_value(declared) != normalise_value(inferred)


def _retry_differs(declared: Any, inferred: Any) -> bool:
    """``retry: 3`` and ``{max_attempts: 3, backoff: exponential}`` agree; ``none`` and 3 attempts do not."""
    try:
        from contract_discovery.contracts.notation import NotationError, parse_retry
    except ImportError:  # pragma: no cover
        return normalise_value(declared) != normalise_value(inferred)
    try:
        a, b = parse_retry(declared), parse_retry(inferred)
    except NotationError:
        return normalise_value(declared) != normalise_value(inferred)
    if a.max_attempts != b.max_attempts:
        return True
    return a.backoff is not None and b.backoff is not None and a.max_attempts != 1 and a.backoff != b.backoff


def default_contract_path(service_path: str, service: str) -> str:
    base = "" if service_path in ("", ".") else service_path.rstrip("/") + "/"
    return f"{base}contracts/{service}.yaml"


def plan_service(root: Path, service: str, service_path: str, inferred: dict,
                 findings_at: dict[str, list[Finding]]) -> InitPlan:
    plan = InitPlan()
    declared: Declared = load_declared(root, service, service_path)
    plan.problems.extend(declared.errors)
    if declared.errors:
        # Never merge into a service whose files cannot be read: the merge could duplicate what they hold.
        return plan
    new_entries: dict[str, list[dict]] = {}
    added: dict[int, dict[str, Any]] = {}
    field_adds: list[tuple[Any, list[tuple[str, Any, str | None]]]] = []
    for section in SECTIONS:
        existing = declared.section(section)
        for item in own_items(service, section, inferred.get(section)):
            match = match_entry(section, item, existing, data_of=lambda e: e.data)
            if match is None:
                new_entries.setdefault(section, []).append(item)
                continue
            adds = []
            # Several calls can match one declared entry: a field is added once, from the first of them;
            # a later call that disagrees with it is a proposal against that first value.
            pending = added.setdefault(id(match), {})
            for key, value in _clean(item).items():
                if not comparable(section, key, item):
                    continue
                loc = field_evidence(item, key, findings_at) or (evidence_of(item) or [None])[0]
                if key in pending:
                    if differs(section, key, pending[key], value):
                        plan.proposals.append(Proposal(service, entry_label(section, match.data), key, pending[key],
                                                       value, match.path, match.line, loc))
                elif key not in match.data:
                    adds.append((key, value, loc))
                    pending[key] = value
                elif differs(section, key, match.data[key], value):
                    plan.proposals.append(Proposal(service, entry_label(section, match.data), key, match.data[key],
                                                   value, match.path, match.field_lines.get(key) or match.line, loc))
            if adds:
                field_adds.append((match, adds))
    if not new_entries and not field_adds and declared.files:
        return plan
    if not declared.files:
        relpath = default_contract_path(service_path, service)
        if (root / relpath).exists():
            plan.problems.append(f"{relpath}: exists but does not declare service {service}; not touched")
            return plan
        sections = []
        added = []
        for section in SECTIONS:
            rendered = []
            for item in new_entries.get(section, []):
                comments, first = _comments_for(item, findings_at)
                rendered.append(render_mapping_lines(_clean(item), comments, todo_comments(service, section, item), first))
                added.append(entry_label(section, item))
            if rendered:
                sections.append((section, rendered))
        header = [f"Contract of {service}, started by `contract-discovery init` from the code.",
                  "Values come from the code line named in each comment; edit them freely: a re-run keeps your",
                  "values and comments and only adds what is new. Fill in the TODOs: code cannot tell them."]
        footer = [line.format(service=service) for line in FOOTER]
        plan.changes.append(FileChange(relpath, None, render_new_file(service, sections, header, footer), added))
        return plan
    # Merge into existing files: new fields go into their entry's file; new entries into the file that
    # already holds their section, else the service's first file.
    editors: dict[str, tuple[bytes, Editor, list[str]]] = {}

    def editor(relpath: str) -> tuple[bytes, Editor, list[str]] | None:
        if relpath not in editors:
            raw = (root / relpath).read_bytes()
            try:
                editors[relpath] = (raw, Editor(raw.decode("utf-8")), [])
            except (EditError, UnicodeDecodeError) as exc:
                plan.problems.append(f"{relpath}: {exc}")
                return None
        return editors[relpath]

    for match, adds in field_adds:
        ed = editor(match.path)
        if ed is None:
            continue
        lines = [Line.field(k, v, f"from {loc}" if loc else None) for k, v, loc in adds]
        try:
            ed[1].add_fields(declared.doc_of.get(match.path, 0), match.section, match.item_index, lines)
            ed[2].extend(f"{entry_label(match.section, match.data)}: {k}" for k, _, _ in adds)
        except EditError as exc:
            plan.problems.append(f"{match.path}:{match.line}: cannot add {', '.join(k for k, _, _ in adds)}: {exc}")
    for section in SECTIONS:
        holders = [e.path for e in declared.section(section)]
        relpath = holders[0] if holders else declared.files[0]
        for item in new_entries.get(section, []):
            ed = editor(relpath)
            if ed is None:
                break
            comments, first = _comments_for(item, findings_at)
            lines = render_mapping_lines(_clean(item), comments, todo_comments(service, section, item), first)
            try:
                ed[1].add_entry(declared.doc_of.get(relpath, 0), section, lines)
                ed[2].append(entry_label(section, item))
            except EditError as exc:
                plan.problems.append(f"{relpath}: cannot add {entry_label(section, item)}: {exc}")
    for relpath, (raw, ed, added) in sorted(editors.items()):
        new = ed.result()
        if new == ed.text:
            continue
        problem = _verify(ed.text, new)
        if problem:
            plan.problems.append(f"{relpath}: merge skipped, {problem}")
            continue
        plan.changes.append(FileChange(relpath, raw, new, added))
    return plan


def _verify(old: str, new: str) -> str | None:
    """The merged text must parse and keep every old value (additions only)."""
    try:
        before = list(yaml.safe_load_all(old))
        after = list(yaml.safe_load_all(new))
    except yaml.YAMLError as exc:
        return f"the merged text would not parse ({exc})"
    if len(before) != len(after):
        return "the merged text changed the number of documents"
    for a, b in zip(before, after):
        if not _contains(b, a):
            return "the merged text would change existing values"
    return None


def _contains(big: Any, small: Any) -> bool:
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and _contains(big[k], v) for k, v in small.items())
    if isinstance(small, list):
        return isinstance(big, list) and len(big) >= len(small) and all(_contains(b, s) for b, s in zip(big, small))
    return big == small


def plan_init(root: Path, result: ScanResult, only: list[str] | None = None) -> InitPlan:
    contracts = inferred_contracts(result)
    findings_at = index_findings(result)
    plan = InitPlan()
    names = {s.name for s in result.services}
    for wanted in only or []:
        if wanted not in names:
            raise ToolError(f"--service {wanted!r}: no such service (found: {', '.join(sorted(names)) or 'none'})")
    for service in result.services:
        if only and service.name not in only:
            continue
        sub = plan_service(root, service.name, service.path, contracts.get(service.name, {"service": service.name}),
                           findings_at)
        plan.changes.extend(sub.changes)
        plan.proposals.extend(sub.proposals)
        plan.problems.extend(sub.problems)
    return plan
