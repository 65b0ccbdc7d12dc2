"""Finding and reading contract files: declared ones (``<service>/contracts/*.yaml``), peer ones
(``--peers``: contracts exported by ``scan --format yaml|json`` in other repositories).

Every file is loaded safely with positions, checked against the JSON Schema and the
notation, and turned into ``Contract`` fragments. A broken file yields ``YamlIssue``s
(path:line:column, the field, what was expected) and the other files still load.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import jsonschema

from contract_discovery.contracts import notation
from contract_discovery.contracts.model import SECTIONS, Contract, Entry, merge_fragments
from contract_discovery.contracts.schema import CONTRACT_SCHEMA, DECISIONS_SCHEMA
from contract_discovery.contracts.yamlload import Document, FieldPath, YamlIssue, field_name, load_yaml
from contract_discovery.model import Location

CONTRACT_DIR = "contracts"
DECISIONS_NAMES = ("decisions.yaml", "decisions.yml")
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
              ".pytest_cache", "dist", "build", "target", "vendor", ".terraform", "bower_components"}
# Contract folders under test code or fixtures describe examples, not this repository's services.
_TEST_DIRS = {"tests", "test", "__tests__", "spec", "specs", "testdata", "test_helpers", "e2e", "fixtures", "__fixtures__"}
_MAX_WALK_DEPTH = 12
_MAX_CONTRACT_FILES = 5000

_CONTRACT_VALIDATOR = jsonschema.Draft7Validator(CONTRACT_SCHEMA)
_DECISIONS_VALIDATOR = jsonschema.Draft7Validator(DECISIONS_SCHEMA)


@dataclass
class LoadedContracts:
    """Contracts per service (files merged), the files read and every problem found."""

    contracts: dict[str, Contract] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    issues: list[YamlIssue] = field(default_factory=list)
    suppressions: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    # contract file directory (root-relative, the folder holding contracts/) -> service name
    service_dirs: dict[str, str] = field(default_factory=dict)
    # peers only: what another repository's `scan --format yaml` export says its code does
    # (entries carrying x-evidence); merged like this repository's inferred contracts, so a
    # peer's declared `scoreTransaction` and its code's `score_transaction` are one operation.
    inferred: dict[str, Contract] = field(default_factory=dict)


def _rel(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _walk_folders(root: Path, exclude: Iterable[str], skip: set[str], max_depth: int):
    """(folder, its sorted file names) below ``root``: links never followed, skipped and excluded
    folders pruned, no deeper than ``max_depth``."""
    excludes = [p.strip("/") for p in exclude if isinstance(p, str)]
    root = Path(root)
    base_depth = len(root.resolve().parts)
    for current, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(current)
        rel = _rel(here, root)
        depth = len(here.resolve().parts) - base_depth
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and d not in skip and not d.startswith(".")
                             and not _excluded(f"{rel}/{d}" if rel != "." else d, excludes))
        if depth >= max_depth:
            dirnames[:] = []
        yield here, sorted(filenames)


def find_contract_files(root: Path, exclude: Iterable[str] = (), include_tests: bool = False) -> list[Path]:
    """Every ``contracts/*.yaml`` (and ``.yml``) below ``root``, decisions files excluded."""
    found: list[Path] = []
    for here, filenames in _walk_folders(root, exclude, set() if include_tests else _TEST_DIRS, _MAX_WALK_DEPTH):
        if here.name != CONTRACT_DIR:
            continue
        for name in filenames:
            if name.endswith((".yaml", ".yml")) and name not in DECISIONS_NAMES and not name.startswith("."):
                candidate = here / name
                if not candidate.is_symlink():
                    found.append(candidate)
        if len(found) > _MAX_CONTRACT_FILES:
            break
    return found


_CONTRACT_SHAPE = re.compile(rb"^service:[ \t]*\S", re.MULTILINE)
_CONTRACT_SECTION = re.compile(rb"^(depends_on|provides|operations|data_dependencies|requires|retry_policies):", re.MULTILINE)


def find_loose_contract_files(root: Path, exclude: Iterable[str] = (), max_depth: int = 4) -> list[Path]:
    """Contract files kept outside a ``contracts/`` folder (``checkout/dependencies.yaml``): YAML
    with a top-level ``service:`` and a contract section. Used only when no ``contracts/`` folder
    exists, so Kubernetes manifests and the like are never read as contracts by accident."""
    found: list[Path] = []
    for here, filenames in _walk_folders(root, exclude, _TEST_DIRS, max_depth):
        for name in filenames:
            if not name.endswith((".yaml", ".yml")) or name in DECISIONS_NAMES or name.startswith("."):
                continue
            candidate = here / name
            try:
                if candidate.is_symlink() or candidate.stat().st_size > 256_000:
                    continue
                head = candidate.read_bytes()
            except OSError:
                continue
            if _CONTRACT_SHAPE.search(head) and _CONTRACT_SECTION.search(head):
                found.append(candidate)
        if len(found) > _MAX_CONTRACT_FILES:
            break
    return found


def find_decision_files(root: Path, exclude: Iterable[str] = ()) -> list[Path]:
    out = []
    for current, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and d not in _TEST_DIRS and not d.startswith("."))
        if Path(current).name == CONTRACT_DIR:
            out.extend(Path(current) / n for n in sorted(filenames) if n in DECISIONS_NAMES)
    return out


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/*")) or rel.startswith(p.rstrip("/*") + "/")
               for p in patterns if p)


def load_declared(root: Path, exclude: Iterable[str] = (), include_tests: bool = False) -> LoadedContracts:
    """Read every declared contract file below ``root``; merge the files of each service."""
    result = LoadedContracts()
    fragments: dict[str, list[Contract]] = {}
    paths = find_contract_files(root, exclude, include_tests) or find_loose_contract_files(root, exclude)
    for path in paths:
        rel = _rel(path, root)
        result.files.append(rel)
        contracts, issues = load_contract_file(path, rel, origin="declared")
        result.issues.extend(issues)
        _collect_suppressions(path, rel, result.suppressions)
        parent = rel.rsplit("/", 1)[0] if "/" in rel else "."
        owner_dir = (parent.rsplit("/", 1)[0] if "/" in parent else ".") if parent.endswith(CONTRACT_DIR) else parent
        for contract in contracts:
            fragments.setdefault(contract.service, []).append(contract)
            result.service_dirs.setdefault(owner_dir, contract.service)
    for service, parts in fragments.items():
        result.contracts[service] = merge_fragments(service, parts, "declared")
    return result


def _files_inside(folder: Path) -> list[Path]:
    """Regular files below ``folder`` without following symlinks: a link cannot lead the loader
    out of the folder it was given, or into a loop."""
    import os

    found: list[Path] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(current, d))]
        for name in names:
            path = Path(current) / name
            if not path.is_symlink() and path.is_file():
                found.append(path)
    return found


def load_peers(paths: Iterable[Path], root: Path | None = None) -> LoadedContracts:
    """Contracts exported elsewhere: a file, or a directory of files; a file may be one contract,
    a list of contracts, or a whole ``scan`` output (its ``contracts`` list)."""
    result = LoadedContracts()
    fragments: dict[str, list[Contract]] = {}
    for peer in paths:
        peer = Path(peer)
        if peer.is_dir():
            files = sorted(p for p in _files_inside(peer) if p.suffix in (".yaml", ".yml", ".json")
                           and p.name not in DECISIONS_NAMES)
        elif peer.is_file():
            files = [peer]
        else:
            result.issues.append(YamlIssue(peer.as_posix(), None, None, "", "peer contracts path does not exist"))
            continue
        for path in files:
            rel = _rel(path, root)
            result.files.append(rel)
            contracts, issues = load_contract_file(path, rel, origin="peer")
            result.issues.extend(issues)
            for contract in contracts:
                fragments.setdefault(contract.service, []).append(contract)
    for service, parts in fragments.items():
        stated = [_only(c, lambda e: not e.evidence) for c in parts]
        from_code = [_only(c, lambda e: bool(e.evidence), origin="inferred") for c in parts]
        if any(_entries(c) for c in stated) or not any(_entries(c) for c in from_code):
            result.contracts[service] = merge_fragments(service, stated, "peer")
        if any(_entries(c) for c in from_code):
            result.inferred[service] = merge_fragments(service, from_code, "inferred")
    return result


def _only(contract: Contract, keep, origin: str | None = None) -> Contract:
    def moved(entry: Entry) -> Entry:
        return replace(entry, origin=origin) if origin else entry

    return replace(contract, **{s: tuple(moved(e) for e in contract.section(s) if keep(e)) for s in SECTIONS})


def _entries(contract: Contract) -> int:
    return sum(len(contract.section(s)) for s in SECTIONS)


def _collect_suppressions(path: Path, rel: str, into: dict[str, dict[int, frozenset[str]]]) -> None:
    """``# contract-discovery: ignore[rule-id]`` comments in a contract file (same line or the line above)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    from contract_discovery.checks.suppress import parse_suppression

    for number, line in enumerate(lines, start=1):
        rules = parse_suppression(line)
        if rules is None:
            continue
        table = into.setdefault(rel, {})
        targets = [number]
        if line.lstrip().startswith("#"):
            targets.append(number + 1)
        for target in targets:
            table[target] = table.get(target, frozenset()) | rules


def load_contract_file(path: Path, rel: str, origin: str = "declared") -> tuple[list[Contract], list[YamlIssue]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [YamlIssue(rel, None, None, "", f"cannot read: {exc.strerror or exc}")]
    return parse_contract_text(data, rel, origin)


def parse_contract_text(text: str | bytes, rel: str, origin: str = "declared") -> tuple[list[Contract], list[YamlIssue]]:
    loaded = load_yaml(text, rel)
    issues = list(loaded.issues)
    contracts: list[Contract] = []
    for doc in loaded.documents:
        for data, base in _contract_documents(doc, origin):
            doc_issues = validate_contract_data(data, doc, rel, base)
            issues.extend(doc_issues)
            if any(i.field in ("service", "(document)", "") for i in doc_issues) or not isinstance(data, dict) \
                    or not isinstance(data.get("service"), str):
                continue
            contracts.append(_build_contract(data, doc, rel, base, origin, doc_issues))
    return contracts, issues


def _contract_documents(doc: Document, origin: str) -> list[tuple[Any, FieldPath]]:
    """The contract mappings in one document: itself, or (peers) a scan output's ``contracts`` list,
    or a list of contracts."""
    data = doc.data
    if origin != "peer":
        return [] if data is None else [(data, ())]
    if isinstance(data, dict) and "service" not in data and isinstance(data.get("contracts"), list):
        return [(item, ("contracts", i)) for i, item in enumerate(data["contracts"])]
    if isinstance(data, list):
        return [(item, (i,)) for i, item in enumerate(data)]
    if data is None:
        return []
    return [(data, ())]


def validate_contract_data(data: Any, doc: Document, rel: str, base: FieldPath = ()) -> list[YamlIssue]:
    """Schema and notation errors of one contract mapping, each with path:line:column and field."""
    issues = _schema_issues(_CONTRACT_VALIDATOR, data, doc, rel, base)
    if not isinstance(data, dict):
        return issues
    bad_fields = {i.field for i in issues}
    for section in SECTIONS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for key, parser in _NOTATION_FIELDS.get(section, {}).items():
                if key not in item:
                    continue
                fpath = base + (section, index, key)
                if any(f == field_name(fpath) or f.startswith(field_name(fpath) + ".") for f in bad_fields):
                    continue
                try:
                    parser(item[key])
                except _TierError as exc:
                    issues.append(_issue_at(doc, rel, fpath + (exc.tier,), str(exc), "notation_error"))
                except notation.NotationError as exc:
                    issues.append(_issue_at(doc, rel, fpath, str(exc), "notation_error"))
    return issues


def validate_decisions_data(data: Any, doc: Document, rel: str) -> list[YamlIssue]:
    return _schema_issues(_DECISIONS_VALIDATOR, data, doc, rel, ())


class _TierError(notation.NotationError):
    def __init__(self, tier: str, message: str) -> None:
        super().__init__(message)
        self.tier = tier


def _parse_budget(value: Any) -> None:
    if isinstance(value, dict) and not set(value) & {"target", "acceptable", "maximum"}:
        notation.parse_latency(value)
    elif isinstance(value, dict):
        for tier in ("target", "acceptable", "maximum"):
            if tier in value:
                try:
                    notation.parse_latency(value[tier])
                except notation.NotationError as exc:
                    raise _TierError(tier, str(exc)) from None
    else:
        notation.parse_latency(value)


def _parse_provided_latency(value: Any) -> None:
    if isinstance(value, dict) and set(value) & {"current", "target"}:
        for tier in ("current", "target"):
            if tier in value:
                try:
                    notation.parse_latency(value[tier])
                except notation.NotationError as exc:
                    raise _TierError(tier, str(exc)) from None
    else:
        notation.parse_latency(value)


_NOTATION_FIELDS = {
    "depends_on": {
        "latency_budget": _parse_budget,
        "timeout": lambda v: notation.parse_duration(v, allow_none=True),
        "retry": notation.parse_retry,
    },
    "provides": {"latency": _parse_provided_latency, "freshness": notation.parse_freshness},
    "operations": {"window": notation.parse_duration},
    "data_dependencies": {"freshness_required": notation.parse_freshness},
}


def _issue_at(doc: Document, rel: str, fpath: FieldPath, message: str, kind: str, key: bool = False) -> YamlIssue:
    line, column = doc.where(fpath, key=key)
    return YamlIssue(rel, line, column, field_name(fpath), message, kind)


_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a mapping", "null": "nothing"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _schema_issues(validator: jsonschema.Draft7Validator, data: Any, doc: Document, rel: str,
                   base: FieldPath) -> list[YamlIssue]:
    issues: list[YamlIssue] = []
    seen: set[tuple[str, str]] = set()
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        fpath = base + tuple(error.absolute_path)
        key = False
        schema = error.schema if isinstance(error.schema, dict) else {}
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(schema.get("properties", {}))
            for extra in sorted(k for k in error.instance if k not in known and not str(k).startswith("x-")):
                suggestion = difflib.get_close_matches(str(extra), known, n=1)
                hint = f" (did you mean {suggestion[0]!r}?)" if suggestion else f" (known keys: {', '.join(known)})"
                message = f"unknown key {extra!r}{hint}"
                item = _issue_at(doc, rel, fpath + (extra,), message, "schema_error", key=True)
                if (item.field, message) not in seen:
                    seen.add((item.field, message))
                    issues.append(item)
            continue
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            message = f"missing required key {missing!r}"
            line, column = doc.where(fpath)
            item = YamlIssue(rel, line, column, field_name(fpath + (missing,)), message, "schema_error")
            if (item.field, message) not in seen:
                seen.add((item.field, message))
                issues.append(item)
            continue
        elif error.validator == "type":
            expected = error.validator_value
            words = " or ".join(_TYPE_WORDS.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
            if schema.get("pattern") == notation.DURATION_PATTERN:
                try:
                    notation.parse_duration(error.instance, allow_none=True)
                    message = f"expected {words}, got {_describe(error.instance)}"
                except notation.NotationError as exc:
                    message = str(exc)
            else:
                message = f"expected {words}, got {_describe(error.instance)}"
        elif error.validator == "pattern" and schema.get("pattern") == notation.DURATION_PATTERN:
            try:
                notation.parse_duration(error.instance, allow_none=True)
                message = f"invalid duration {error.instance!r}"
            except notation.NotationError as exc:
                message = str(exc)
        elif error.validator in ("oneOf", "anyOf") and schema.get("x-expect"):
            message = f"expected {schema['x-expect']}, got {_describe(error.instance)}"
            if error.validator == "anyOf" and isinstance(error.instance, dict):
                message = f"needs {schema['x-expect']}"
        else:
            message = error.message
        item = _issue_at(doc, rel, fpath, message, "schema_error", key=key)
        if (item.field, message) not in seen:
            seen.add((item.field, message))
            issues.append(item)
    return issues


_IDENTITY_KEYS = {
    "depends_on": {"service", "operation"}, "retry_policies": {"target"}, "provides": {"operation", "endpoint", "dataset"},
    "operations": {"name"}, "data_dependencies": {"source", "service", "dataset"}, "requires": {"from", "data"},
}


def _build_contract(data: dict, doc: Document, rel: str, base: FieldPath, origin: str,
                    issues: list[YamlIssue]) -> Contract:
    """Entries of every section; an entry whose own fields are invalid is left out (reported)."""
    bad = {i.field for i in issues}
    sections: dict[str, list[Entry]] = {s: [] for s in SECTIONS}
    for section in SECTIONS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            prefix = field_name(base + (section, index))
            if not isinstance(item, dict) or prefix in bad:
                continue
            # A bad field is left out (and reported); the entry's other fields are still checked.
            broken = {key for key in item if any(f == f"{prefix}.{key}" or f.startswith(f"{prefix}.{key}.")
                                                 or f.startswith(f"{prefix}.{key}[") for f in bad)}
            if broken & _IDENTITY_KEYS.get(section, set()):
                continue
            item = {k: v for k, v in item.items() if k not in broken}
            if section == "depends_on":
                item = _normalise_retry(item)
            line, column = doc.where(base + (section, index))
            fields = {}
            for key in item:
                kline, kcol = doc.where(base + (section, index, key), key=True)
                fields[key] = Location(rel, kline, kcol)
            sections[section].append(Entry(
                section=section,
                data={k: v for k, v in item.items() if k != "x-evidence"},
                origin=origin,
                location=Location(rel, line, column),
                fields=fields,
                evidence=parse_evidence(item.get("x-evidence")),
            ))
    meta = {k: v for k, v in data.items() if k not in SECTIONS and k != "service"}
    return Contract(service=str(data["service"]), origin=origin, files=(rel,), meta=meta,
                    **{s: tuple(v) for s, v in sections.items()})


def _normalise_retry(item: dict) -> dict:
    """``retries: 2`` / ``max_attempts: 3`` / ``backoff:`` beside a dependency mean ``retry:``."""
    if "retry" in item or not ({"retries", "max_attempts"} & set(item)):
        return item
    out = dict(item)
    policy: dict[str, Any] = {}
    if isinstance(item.get("max_attempts"), int):
        policy["max_attempts"] = item["max_attempts"]
    elif isinstance(item.get("retries"), int):
        policy["max_attempts"] = item["retries"] + 1
    if isinstance(item.get("backoff"), str):
        policy["backoff"] = item["backoff"]
    out["retry"] = policy
    return out


def parse_evidence(value: Any) -> tuple[Location, ...]:
    """``["checkout/risk_client.py:12", ...]`` -> Locations (malformed items are skipped)."""
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, str) and ":" in item:
            path, _, line = item.rpartition(":")
            if line.isdigit():
                out.append(Location(path, int(line)))
                continue
            out.append(Location(item))
        elif isinstance(item, dict) and isinstance(item.get("path"), str):
            line = item.get("line")
            out.append(Location(item["path"], line if isinstance(line, int) else None))
    return tuple(out)


def contract_from_dict(data: dict, origin: str = "inferred", path: str = "") -> Contract:
    """A contract from plain data (no positions): inferred contracts, tests."""
    sections: dict[str, list[Entry]] = {s: [] for s in SECTIONS}
    for section in SECTIONS:
        for item in data.get(section) or []:
            if isinstance(item, dict):
                evidence = parse_evidence(item.get("x-evidence"))
                sections[section].append(Entry(
                    section=section, data={k: v for k, v in item.items() if k != "x-evidence"}, origin=origin,
                    location=Location(path, None) if path else (evidence[0] if evidence else None),
                    evidence=evidence))
    return Contract(service=str(data.get("service")), origin=origin, files=(path,) if path else (),
                    meta={k: v for k, v in data.items() if k not in SECTIONS and k != "service"},
                    **{s: tuple(v) for s, v in sections.items()})
