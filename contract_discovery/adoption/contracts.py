"""Contract files as plain dicts with positions: loading, identity of entries, value comparison.

A contract file is composed with PyYAML (never constructed from tags), so every value
keeps its line; entries of the list sections are matched between two contracts by a
key (``depends_on`` by service and operation, ``operations`` by name ...), and values
are compared through the contract notation (``0.5s`` equals ``500ms``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

CONTRACT_GLOBS = ("*.yaml", "*.yml")
SECTIONS = ("depends_on", "provides", "operations", "data_dependencies", "requires", "retry_policies")
EVIDENCE_KEY = "x-evidence"


# --- loading with positions ------------------------------------------------------------------------

@dataclass
class Positioned:
    """A YAML document as plain data plus the line (1-based) of every value, by field path."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    path: str = ""


_SCALARS = yaml.SafeLoader("")


def _convert(node: yaml.Node, where: tuple, lines: dict[tuple, int], depth: int = 0) -> Any:
    if depth > 100:
        raise ValueError("nesting too deep")
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":str"):
            return node.value
        try:
            return _SCALARS.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError):
            return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, where + (i,), lines, depth + 1) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            out[key] = _convert(value_node, where + (key,), lines, depth + 1)
        return out
    return None


def load_documents(text: str, path: str = "") -> list[Positioned]:
    """Every document of a YAML text; raises ``yaml.YAMLError`` on a syntax error."""
    docs = []
    for node in yaml.compose_all(text, Loader=_Loader):
        if node is None:
            continue
        lines: dict[tuple, int] = {}
        docs.append(Positioned(_convert(node, (), lines), lines, path))
    return docs


@dataclass
class DeclaredEntry:
    section: str
    data: dict
    path: str  # root-relative file
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    doc_index: int = 0
    item_index: int = 0


@dataclass
class Declared:
    """A service's declared contract: its files merged (entries keep their own file and line)."""

    service: str
    files: list[str] = field(default_factory=list)
    entries: list[DeclaredEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    doc_of: dict[str, int] = field(default_factory=dict)  # file -> index of the service's document

    def section(self, name: str) -> list[DeclaredEntry]:
        return [e for e in self.entries if e.section == name]

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"service": self.service}
        for entry in self.entries:
            out.setdefault(entry.section, []).append(entry.data)
        return out


DECISION_FILES = ("decisions.yaml", "decisions.yml")  # accepted trade-offs, read by check, not contracts


def is_contract_name(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) and name not in DECISION_FILES and not name.startswith(".")


def contract_files(root: Path, service_path: str) -> list[Path]:
    folder = (root / service_path / "contracts") if service_path not in ("", ".") else root / "contracts"
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for pattern in CONTRACT_GLOBS:
        found.extend(p for p in folder.glob(pattern) if p.is_file() and not p.is_symlink() and is_contract_name(p.name))
    return sorted(found)


def declared_from_texts(service: str, texts: Iterable[tuple[str, str]]) -> Declared:
    """Merge the documents of ``(relpath, text)`` pairs whose ``service:`` is ``service``."""
    declared = Declared(service)
    for relpath, text in texts:
        try:
            docs = load_documents(text, relpath)
        except (yaml.YAMLError, ValueError) as exc:
            declared.errors.append(f"{relpath}: {exc}")
            continue
        used = False
        for doc_index, doc in enumerate(docs):
            if not isinstance(doc.data, dict):
                continue
            named = doc.data.get("service")
            if named is None or str(named) != service:
                continue
            used = True
            declared.doc_of.setdefault(relpath, doc_index)
            for section in SECTIONS:
                items = doc.data.get(section)
                if not isinstance(items, list):
                    continue
                for i, item in enumerate(items):
                    if not isinstance(item, dict):
                        continue
                    field_lines = {k: doc.lines.get((section, i, k), 0) for k in item}
                    declared.entries.append(DeclaredEntry(section, item, relpath, doc.lines.get((section, i), 0),
                                                          field_lines, doc_index, i))
        if used:
            declared.files.append(relpath)
    return declared


def load_declared(root: Path, service: str, service_path: str) -> Declared:
    texts = []
    for path in contract_files(root, service_path):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        texts.append((path.relative_to(root).as_posix(), text))
    return declared_from_texts(service, texts)


# --- identity of entries ---------------------------------------------------------------------------

def _norm(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip().lower()


def entry_key(section: str, item: dict) -> tuple:
    """What makes two entries of a section the same entry."""
    if section == "depends_on":
        return (section, _norm(item.get("service")), _norm(item.get("operation") or item.get("endpoint")))
    if section == "provides":
        for kind in ("operation", "endpoint", "dataset", "data"):
            if item.get(kind) is not None:
                return (section, kind, _norm(item.get(kind)))
    if section == "operations":
        if item.get("name") is not None:
            return (section, _norm(item.get("name")))
        return (section, "key", _norm(item.get("idempotency_key")))
    if section == "data_dependencies":
        return (section, _norm(item.get("source")), _norm(item.get("dataset")))
    if section == "requires":
        return (section, _norm(item.get("from")), _norm(item.get("data")))
    if section == "retry_policies":
        return (section, _norm(item.get("target")))
    return (section, repr(sorted((str(k), repr(v)) for k, v in item.items() if k != EVIDENCE_KEY)))


def _loose_key(section: str, item: dict) -> tuple | None:
    """A weaker identity used when the exact one finds nothing (code rarely knows operation names)."""
    if section == "depends_on":
        return (section, _norm(item.get("service")))
    if section == "retry_policies":
        target = _norm(item.get("target")) or ""
        return (section, target.split(".")[0])
    if section == "data_dependencies":
        # "orders-db", "orders_replica" and {service: orders} all name the orders service's data.
        owner = _norm(item.get("service")) or re.split(r"[-_.:/]", _norm(item.get("source")) or "")[0]
        return (section, owner)
    if section == "operations":
        if unnamed_operation(item):
            return (section, "unnamed")
        return (section, "key", _norm(item.get("idempotency_key")))
    return None


def unnamed_operation(item: dict) -> bool:
    """Code often cannot tell an operation's name (inference writes ``unknown``)."""
    return _norm(item.get("name")) in (None, "", "unknown", "?")


def match_entry(section: str, item: dict, candidates: list[Any], data_of=lambda c: c) -> Any | None:
    """The candidate that is the same entry as ``item``: exact key first, then a unique loose match."""
    key = entry_key(section, item)
    for candidate in candidates:
        if entry_key(section, data_of(candidate)) == key:
            return candidate
    loose = _loose_key(section, item)
    if loose is None:
        return None
    hits = [c for c in candidates if _loose_key(section, data_of(c)) == loose]
    if not hits and loose == ("operations", "unnamed"):
        # An operation the code shows without a name is the service's one idempotent operation, if it has one.
        hits = [c for c in candidates if data_of(c).get("idempotency_key") is not None]
    return hits[0] if len(hits) == 1 else None


def matched_by_any(section: str, item: dict, candidates: list[Any], data_of=lambda c: c) -> bool:
    """Whether any candidate is, or may be, the same entry (for "the code no longer calls it")."""
    key, loose = entry_key(section, item), _loose_key(section, item)
    return any(entry_key(section, data_of(c)) == key or (loose is not None and _loose_key(section, data_of(c)) == loose)
               for c in candidates)


def entry_label(section: str, item: dict) -> str:
    """A short human name for an entry: ``depends_on risk.scoreTransaction``."""
    if section == "depends_on":
        op = item.get("operation") or item.get("endpoint")
        return f"depends_on {item.get('service')}" + (f".{op}" if op else "")
    if section == "provides":
        for kind in ("operation", "endpoint", "dataset", "data"):
            if item.get(kind) is not None:
                return f"provides {kind} {item.get(kind)}"
    if section == "operations":
        return f"operation {item.get('name') or item.get('idempotency_key')}"
    if section == "data_dependencies":
        return f"data {item.get('source')}" + (f"/{item.get('dataset')}" if item.get("dataset") else "")
    if section == "requires":
        return f"requires {item.get('data')} from {item.get('from')}"
    if section == "retry_policies":
        return f"retry policy {item.get('target')}"
    return section


# --- values ------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$", re.IGNORECASE)
_FACTOR = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def duration_ms(value: Any) -> float | None:
    if isinstance(value, str):
        m = _DURATION.match(value)
        if m:
            return float(m.group(1)) * _FACTOR[m.group(2).lower()]
    return None


def normalise_value(value: Any) -> Any:
    """A comparable form: durations in ms, words lower-cased, mappings recursively, evidence dropped."""
    if isinstance(value, dict):
        return {str(k): normalise_value(v) for k, v in value.items() if k != EVIDENCE_KEY}
    if isinstance(value, list):
        return [normalise_value(v) for v in value]
    ms = duration_ms(value)
    if ms is not None:
        return ("ms", ms)
    if isinstance(value, str):
        text = value.strip().lower()
        m = re.fullmatch(r"(\d+)\s*(?:x|times|attempts?|tries)?", text)
        if m:
            return int(m.group(1))
        if text in ("none", "no", "never", "off", "disabled"):
            return "none"
        return re.sub(r"\s+", " ", text)
    if value is False:
        return "none"
    return value


def same_value(a: Any, b: Any) -> bool:
    return normalise_value(a) == normalise_value(b)


def render_scalar(value: Any) -> str:
    """A value as it reads in a contract file (and in reports)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dict, list)):
        return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000).strip()
    return str(value)


def evidence_of(item: dict) -> list[str]:
    """``x-evidence`` as a list of ``path:line`` strings, whatever shape the inference used."""
    ev = item.get(EVIDENCE_KEY)
    out: list[str] = []
    if isinstance(ev, str):
        out.append(ev)
    elif isinstance(ev, list):
        for x in ev:
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, dict) and x.get("path"):
                out.append(f"{x['path']}:{x.get('line')}" if x.get("line") else str(x["path"]))
    elif isinstance(ev, dict):
        for v in ev.values():
            out.extend(evidence_of({EVIDENCE_KEY: v}))
    seen: list[str] = []
    for x in out:
        if x not in seen:
            seen.append(x)
    return seen


def split_location(text: str) -> tuple[str, int | None]:
    path, _, line = text.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return text, None
