"""Safe YAML loading that remembers where every value came from.

Contract files are read by people's editors and by CI, and may come from other
repositories (``--peers``), so they are treated as untrusted: documents are
*composed* (never constructed), only plain scalar tags are accepted
(``!!python/object`` and friends are errors, never built), aliases are counted
so an alias bomb is rejected after a bounded amount of work, duplicate keys are
reported, and very deep nesting is refused before the C parser sees it. Every
problem becomes a ``YamlIssue`` with a 1-based line and column and the dotted
field it concerns; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is much faster; the pure-Python one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_NODES = 20_000
MAX_ALIAS_EXPANSIONS = 500
MAX_DEPTH = 200
_PRECHECK_DEPTH = 1_000

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"

FieldPath = tuple  # of str (mapping keys) and int (list indexes)


def field_name(path: FieldPath) -> str:
    """``("depends_on", 0, "timeout") -> "depends_on[0].timeout"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


@dataclass(frozen=True)
class YamlIssue:
    path: str
    line: int | None
    column: int | None
    field: str
    message: str
    kind: str = "yaml_error"  # yaml_error, schema_error, notation_error

    def render(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        subject = f"{self.field}: " if self.field and self.field != "(document)" else ""
        return f"{where}: error: {subject}{self.message}"


@dataclass
class Document:
    """One YAML document: the plain data and the position of each value and key."""

    data: Any
    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    start_line: int = 1

    def where(self, path: FieldPath, key: bool = False) -> tuple[int, int]:
        """The closest known position of ``path`` (walking up to its parents)."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (self.start_line, 1))


@dataclass
class Loaded:
    path: str
    documents: list[Document] = field(default_factory=list)
    issues: list[YamlIssue] = field(default_factory=list)


class _Abort(Exception):
    pass


def _estimate_depth(text: str) -> int:
    """A cheap upper bound of nesting (indentation + block indicators + open brackets), so input
    that could exhaust the C parser's stack is refused before it is parsed."""
    depth = 0
    flow = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indicators = 0
        while stripped.startswith(("- ", "? ")):
            indicators += 1
            stripped = stripped[2:].lstrip(" ")
        in_quote = ""
        peak = flow
        for ch in line:
            if in_quote:
                if ch == in_quote:
                    in_quote = ""
            elif ch in "\"'":
                in_quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                flow += 1
                peak = max(peak, flow)
            elif ch in "]}":
                flow = max(flow - 1, 0)
        depth = max(depth, len(line) - len(line.lstrip(" ")) + indicators + peak)
    return depth


_KEY_LINE = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:(?:\s|$)")


def _field_near(text: str, line0: int | None) -> str:
    """The dotted path of the key at or above a syntax error (``depends_on[].timeout``), found by
    indentation, so the message names the field although the document did not parse."""
    lines = text.splitlines()
    if line0 is None or not lines:
        return ""
    entries: list[list] = []  # [key, inside a list item], innermost first
    current: int | None = None
    for index in range(min(line0, len(lines) - 1), -1, -1):
        match = _KEY_LINE.match(lines[index])
        if not match:
            continue
        dash = match.group(2) is not None
        key_indent = len(match.group(1)) + (len(match.group(2)) if dash else 0)
        if current is not None and dash and key_indent == current and entries:
            entries[-1][1] = True  # a sibling key of the same list item: we are inside an item
            current = len(match.group(1))
            continue
        if current is None or key_indent < current:
            entries.append([match.group(3), dash])
            current = len(match.group(1)) if dash else key_indent
            if current == 0 and not dash:
                break
    parts: list[str] = []
    for key, in_item in reversed(entries):
        if in_item and parts:
            parts[-1] += "[]"
        parts.append(key)
    return ".".join(parts)


def load_yaml(text: str | bytes, path: str) -> Loaded:
    """Compose every document of ``text`` into plain data with positions; never raises."""
    result = Loaded(path)
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            result.issues.append(YamlIssue(path, None, None, "", f"file too large ({len(text)} bytes; limit {MAX_BYTES})"))
            return result
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = text[:exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            result.issues.append(YamlIssue(path, line, column, "",
                                           f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"))
            return result
    if len(text) > MAX_BYTES:
        result.issues.append(YamlIssue(path, None, None, "", f"file too large ({len(text)} characters; limit {MAX_BYTES})"))
        return result
    if _estimate_depth(text) > _PRECHECK_DEPTH:
        result.issues.append(YamlIssue(path, 1, 1, "", f"nesting deeper than {_PRECHECK_DEPTH} levels; refused"))
        return result
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = str(exc.problem or exc)
        if exc.context:
            started = exc.context_mark
            problem = f"{exc.problem} ({exc.context}" + (f" started at line {started.line + 1})" if started else ")")
        near = exc.context_mark.line if exc.context_mark is not None else (mark.line if mark else None)
        result.issues.append(YamlIssue(path, line, column, _field_near(text, near),
                                       f"YAML syntax error: {problem}"))
        return result
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        result.issues.append(YamlIssue(path, None, None, "", f"YAML error: {type(exc).__name__}: {exc}"))
        return result
    for node in nodes:
        if node is None:
            continue
        converter = _Converter(path)
        doc = Document(None, start_line=node.start_mark.line + 1)
        try:
            doc.data = converter.convert(node, (), doc, 0, frozenset())
        except _Abort:
            result.issues.extend(converter.issues)
            continue
        except RecursionError:
            result.issues.append(YamlIssue(path, node.start_mark.line + 1, 1, "", "nesting too deep; refused"))
            continue
        result.issues.extend(converter.issues)
        result.documents.append(doc)
    return result


class _Converter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.nodes = 0
        self.seen: set[int] = set()
        self.expansions = 0
        self.issues: list[YamlIssue] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def _issue(self, node: yaml.Node, fpath: FieldPath, message: str, abort: bool = False) -> None:
        self.issues.append(YamlIssue(self.path, node.start_mark.line + 1, node.start_mark.column + 1,
                                     field_name(fpath), message))
        if abort:
            raise _Abort()

    def convert(self, node: yaml.Node, fpath: FieldPath, doc: Document, depth: int, stack: frozenset[int]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._issue(node, fpath, f"document too large or alias bomb: more than {MAX_NODES} nodes after expanding aliases; refused", abort=True)
        if id(node) in stack:
            self._issue(node, fpath, "recursive alias; refused", abort=True)
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self.expansions += 1
            if self.expansions > MAX_ALIAS_EXPANSIONS:
                self._issue(node, fpath, f"too many alias expansions (more than {MAX_ALIAS_EXPANSIONS}): alias bomb refused", abort=True)
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._issue(node, fpath, f"nesting deeper than {MAX_DEPTH} levels; refused", abort=True)
        doc.values.setdefault(fpath, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, fpath)
        inner = stack | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._issue(node, fpath, f"tag {_short_tag(node.tag)} is not allowed in a contract; use plain YAML")
            return [self.convert(item, fpath + (i,), doc, depth + 1, inner) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self._issue(node, fpath, f"tag {_short_tag(node.tag)} is not allowed in a contract; use plain YAML")
            out: dict[str, Any] = {}
            merged: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE_TAG:
                    value = self.convert(value_node, fpath, doc, depth + 1, inner)
                    for source in value if isinstance(value, list) else [value]:
                        if isinstance(source, dict):
                            for k, v in source.items():
                                merged.setdefault(k, v)
                        else:
                            self._issue(value_node, fpath, "a merge key (<<) needs a mapping")
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._issue(key_node, fpath, "a key must be a plain word, not a list or mapping")
                    continue
                key = self._scalar(key_node, fpath)
                if key is None or isinstance(key, (list, dict)):
                    self._issue(key_node, fpath, "empty key")
                    continue
                key = str(key) if not isinstance(key, bool) else str(key).lower()
                child = fpath + (key,)
                if key in out:
                    self._issue(key_node, child, f"duplicate key {key!r} (first at line {doc.keys[child][0]})")
                    continue
                doc.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.convert(value_node, child, doc, depth + 1, inner)
            for k, v in merged.items():
                out.setdefault(k, v)
            return out
        self._issue(node, fpath, "unsupported YAML node", abort=True)
        return None

    def _scalar(self, node: yaml.ScalarNode, fpath: FieldPath) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._issue(node, fpath, f"tag {_short_tag(node.tag)} is not allowed in a contract; it was not constructed")
            return node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay as written; decisions parse them
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return self._constructor.construct_object(node, deep=True)
        except Exception:  # noqa: BLE001 - a malformed number, say; keep the text
            return node.value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
