"""Reading Spring Boot configuration into flat ``dotted.key -> (value, line)`` entries.

YAML goes through ruamel (line numbers, multi-document files with profile sections); when a
file does not parse, a forgiving indentation reader recovers the intact ``key: value`` lines so
the rest of the file still counts. ``.properties`` files are read line by line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, Iterator


@dataclass(frozen=True)
class Entry:
    key: str
    value: Any
    line: int
    profile: str | None = None  # set inside a profile-specific document


class ConfigError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def _profile_of(flat: dict[str, Entry]) -> str | None:
    for key in ("spring.config.activate.on-profile", "spring.config.activate.onProfile", "spring.profiles"):
        if key in flat:
            return str(flat[key].value)
    return None


def read_yaml(text: str) -> tuple[list[Entry], ConfigError | None]:
    """All entries of every document; on a syntax error, the entries a line reader recovers."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True
    entries: list[Entry] = []
    text = _quote_build_tokens(text)
    try:
        docs = list(yaml.load_all(io.StringIO(text)))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return read_yaml_lines(text), ConfigError(str(exc).splitlines()[0] if str(exc) else "yaml error", line)
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        return read_yaml_lines(text), ConfigError(f"yaml error: {exc.__class__.__name__}", None)
    for doc in docs:
        flat: dict[str, Entry] = {}
        for key, value, line in _flatten(doc, ""):
            flat[key] = Entry(key, value, line)
        profile = _profile_of(flat)
        entries.extend(Entry(e.key, e.value, e.line, profile) for e in flat.values())
    return entries, None


# Maven/Gradle resource filtering tokens (`name: @artifactId@`, Spring Boot's own delimiter) are not
# valid plain YAML scalars (`@` is reserved): quoted, the file parses and keeps its list indices.
_BUILD_TOKEN = re.compile(r"(?m)(:[ \t]+|^[ \t]*-[ \t]+)(@[^@\s'\"#]+@)(?=[ \t]*(?:#.*)?$)")


def _quote_build_tokens(text: str) -> str:
    return _BUILD_TOKEN.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', text) if "@" in text else text


def _flatten(node: Any, prefix: str, line: int = 1, depth: int = 0) -> Iterator[tuple[str, Any, int]]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if depth > 60:
        return
    if isinstance(node, CommentedMap):
        for key in node:
            try:
                key_line = node.lc.key(key)[0] + 1
            except Exception:  # noqa: BLE001 - line info is best effort
                key_line = line
            name = f"{prefix}.{key}" if prefix else str(key)
            yield from _flatten(node[key], name, key_line, depth + 1)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            try:
                item_line = node.lc.item(index)[0] + 1
            except Exception:  # noqa: BLE001
                item_line = line
            yield from _flatten(item, f"{prefix}[{index}]", item_line, depth + 1)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key), line, depth + 1)
    elif prefix:
        yield prefix, node, line


_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[^\s#:][^:#]*?)\s*:(?:\s+(?P<value>.*?))?\s*$")


def read_yaml_lines(text: str) -> list[Entry]:
    """A forgiving reader for broken YAML: indentation-nested ``key: value`` lines only."""
    entries: list[Entry] = []
    stack: list[tuple[int, str]] = []
    profile = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip() == "---":
            stack, profile = [], None
            continue
        if not raw.strip() or raw.lstrip().startswith(("#", "-")):
            continue
        m = _LINE.match(raw)
        if not m:
            continue
        indent = len(m.group("indent").expandtabs(2))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = ".".join([k for _, k in stack] + [m.group("key").strip().strip("\"'")])
        value = m.group("value")
        if value is None or value == "":
            stack.append((indent, m.group("key").strip().strip("\"'")))
            continue
        value = value.split(" #", 1)[0].strip().strip("\"'")
        if key in ("spring.config.activate.on-profile", "spring.profiles"):
            profile = value
        entries.append(Entry(key, value, number, profile))
    return entries


def read_properties(text: str) -> list[Entry]:
    entries: list[Entry] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        number = i + 1
        line = lines[i].lstrip()
        i += 1
        if not line or line.startswith(("#", "!")):
            continue
        while line.endswith("\\") and not line.endswith("\\\\") and i < len(lines):
            line = line[:-1] + lines[i].lstrip()
            i += 1
        m = re.match(r"((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$", line)
        if m:
            key, value = m.group(1).replace("\\", ""), m.group(2).strip()
        else:
            key, value = line.strip(), ""
        profile = None
        quarkus = _QUARKUS_PROFILE.match(key)
        if quarkus:
            # Quarkus profile keys (`%dev.quarkus.x=1`, `%dev,test.x=1`): the key under its profile.
            profile, key = quarkus.group("profile"), key[quarkus.end():]
        entries.append(Entry(key, value, number, profile))
    return entries


_QUARKUS_PROFILE = re.compile(r"^%(?P<profile>[\w,-]+)\.(?=\S)")


def camel(key: str) -> str:
    """Spring relaxed binding: ``max-attempts`` -> ``maxAttempts`` in every segment."""
    return ".".join(re.sub(r"-([a-z0-9])", lambda m: m.group(1).upper(), part) for part in key.split("."))


def kebab(key: str) -> str:
    """Spring's canonical form: ``timeoutMs`` -> ``timeout-ms`` in every segment."""
    return ".".join(re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), part) for part in key.split("."))
