"""Reading Kubernetes manifests as YAML node trees with line numbers.

``yaml.compose_all`` with the C loader (``CSafeLoader`` when available) builds nodes, not Python
objects: every key and value keeps its position, and an alias is the very node its anchor names,
so a "billion laughs" document stays as small as its text (nothing here expands aliases or walks
the whole tree). Only the safe tags are known; nothing is constructed or executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import yaml

from contract_discovery.model import ErrorEntry

try:  # the C loader is ~10x faster; fall back to pure Python when libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader  # type: ignore[misc]

MAX_BYTES = 4 * 1024 * 1024
MAX_DOCUMENTS = 5000

_TEMPLATE_LINE = re.compile(rb"^[ \t]*\{\{-?.*?-?\}\}[ \t]*$", re.MULTILINE)
_TEMPLATE_INLINE = re.compile(rb"\{\{-?.*?-?\}\}")


@dataclass(frozen=True)
class Document:
    index: int
    root: yaml.MappingNode

    @property
    def kind(self) -> str | None:
        return scalar(get(self.root, "kind"))

    @property
    def api_version(self) -> str | None:
        return scalar(get(self.root, "apiVersion"))

    @property
    def name(self) -> str | None:
        return scalar(get(get(self.root, "metadata"), "name"))

    @property
    def namespace(self) -> str | None:
        return scalar(get(get(self.root, "metadata"), "namespace"))


def looks_like_manifest(data: bytes) -> bool:
    """The cheap test every YAML file passes through before any parsing."""
    return b"apiVersion" in data and b"kind" in data


def is_contract_path(path: str) -> bool:
    """Contract files (``<service>/contracts/*.yaml``) are never manifests."""
    return "/contracts/" in "/" + path


def load_documents(path: str, data: bytes) -> tuple[list[Document], list[ErrorEntry]]:
    """Compose every document of a YAML stream; a syntax error keeps the documents before it and
    yields ``ErrorEntry(kind="yaml_error", line=...)``. Helm-style ``{{ ... }}`` template
    placeholders are blanked first (directives on their own line become empty lines, inline ones
    a placeholder string) so line numbers hold; a template that still does not parse is skipped
    quietly, since only a rendered chart is YAML."""
    if len(data) > MAX_BYTES:
        return [], [ErrorEntry(path, "yaml_error", f"manifest larger than {MAX_BYTES} bytes, not read")]
    templated = b"{{" in data
    if templated:
        data = _TEMPLATE_LINE.sub(b"", data)
        data = _TEMPLATE_INLINE.sub(b"TEMPLATED", data)
    documents: list[Document] = []
    errors: list[ErrorEntry] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [ErrorEntry(path, "yaml_error", f"not UTF-8: {exc.reason}")]
    stream = yaml.compose_all(text, Loader=_Loader)
    index = 0
    while True:
        try:
            node = next(stream)
        except StopIteration:
            break
        except yaml.YAMLError as exc:
            if not templated:
                mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
                line = mark.line + 1 if mark is not None else None
                message = str(getattr(exc, "problem", None) or exc).splitlines()[0]
                errors.append(ErrorEntry(path, "yaml_error", message, line=line))
            break
        except (RecursionError, MemoryError, ValueError) as exc:
            errors.append(ErrorEntry(path, "yaml_error", f"{type(exc).__name__}: could not read the document"))
            break
        if isinstance(node, yaml.MappingNode):
            documents.append(Document(index, node))
        index += 1
        if index >= MAX_DOCUMENTS:
            errors.append(ErrorEntry(path, "yaml_error", f"more than {MAX_DOCUMENTS} documents; the rest not read"))
            break
    return documents, errors


def expand_lists(documents: list[Document]) -> Iterator[Document]:
    """``kind: List`` (kubectl's output) holds manifests under ``items``."""
    for doc in documents:
        if doc.kind == "List":
            for item in items(get(doc.root, "items")):
                if isinstance(item, yaml.MappingNode):
                    yield Document(doc.index, item)
        else:
            yield doc


# ---------------------------------------------------------------- node access

def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    pair = entry(node, key)
    return pair[1] if pair else None


def configmap_texts(doc: "Document") -> Iterator[tuple[str, int, int, str]]:
    """(resource, first line, last line, text) of each text value of a ConfigMap's ``data`` (a
    mounted nginx.conf, envoy.yaml, config.yaml), lines 1-based as the file holds them."""
    data = get(doc.root, "data")
    if not isinstance(data, yaml.MappingNode):
        return
    resource = f"ConfigMap/{doc.name}" if doc.name and "TEMPLATED" not in doc.name else "ConfigMap"
    for _key, value in data.value:
        if isinstance(value, yaml.ScalarNode):
            yield resource, value.start_mark.line + 1, value.end_mark.line + 1, value.value


def entry(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of ``key`` in a mapping; the last one wins, as in YAML loaders."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            found = (k, v)
    return found


def scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value)
    return None


def items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def integer(node: yaml.Node | None) -> int | None:
    value = scalar(node)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def column_of(node: yaml.Node) -> int:
    return node.start_mark.column + 1


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_MS = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def duration_ms(text: str | None) -> float | None:
    """Go/protobuf durations as Istio writes them: ``500ms``, ``1.5s``, ``1m30s``, ``1h``."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    total, position = 0.0, 0
    for m in _DURATION_PART.finditer(text):
        if m.start() != position:
            return None
        total += float(m.group(1)) * _UNIT_MS[m.group(2)]
        position = m.end()
    return total if position == len(text) and position > 0 else None
