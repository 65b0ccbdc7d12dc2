"""Google Cloud Workflows definitions: the retries and timeouts of their calls.

A workflow (YAML, deployed by Terraform's ``google_workflows_workflow`` from ``source_contents`` or
a file it reads with ``templatefile()``, or by ``gcloud workflows deploy``) calls HTTP endpoints
(``call: http.get``) and Google APIs (``call: googleapis.<api>...``). Its contracts:

- ``retry:`` beside a ``try:`` block: ``${http.default_retry}`` and
  ``${http.default_retry_non_idempotent}`` (the documented policies: 5 retries, so 6 attempts), or a
  custom policy ``{predicate: ..., max_retries: n, backoff: {...}}`` (n + 1 attempts);
- ``timeout:`` in a call's ``args`` (seconds; an http.* call waits 300 s when none is written,
  not reported).

The text is composed with PyYAML's safe composer (nodes with lines, nothing constructed). Terraform
template escapes (``$${...}``) and interpolations (``${...}``) are plain scalars to YAML.
"""

from __future__ import annotations

import re
from typing import Iterator

import yaml

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms

ID = "terraform.gcp_workflows"
LANGUAGE = "terraform"
DEFAULT_POLICY_RETRIES = 5
_POLICY = re.compile(r"^\$?\$\{\s*http\.default_retry(?:_non_idempotent)?\s*\}$")
_CALL = re.compile(rb"(?m)^\s*(?:-\s*)?call:\s*(?:http\.|googleapis\.)")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 200_000


def looks_like_workflow(data: bytes) -> bool:
    """A Workflows definition: steps that call http.* or googleapis.* (cheap, before parsing)."""
    return b"steps:" in data and (b"retry:" in data or b"timeout:" in data) and _CALL.search(data) is not None


def _get(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def _walk(root) -> Iterator[yaml.MappingNode]:
    stack, seen, count = [root], set(), 0
    while stack and count < MAX_NODES:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        count += 1
        if isinstance(node, yaml.MappingNode):
            yield node
            stack.extend(v for _, v in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def workflow_findings(path: str, text: str, line_offset: int = 0, resource: str | None = None) -> list[Finding]:
    """Findings of one workflow definition; ``line_offset`` = the file line before the text's first
    line (a heredoc inside a .tf file). Never raises: text that is not YAML gives nothing."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except Exception:  # noqa: BLE001 - a definition that does not parse gives nothing
        return []
    if root is None:
        return []
    lines = text.splitlines()
    found: list[Finding] = []

    def add(kind: str, node, attrs: dict) -> None:
        line = node.start_mark.line + 1 + line_offset
        own = line - line_offset
        evidence = lines[own - 1].strip()[:200] if 0 < own <= len(lines) else ""
        found.append(Finding(kind=kind, path=path, line=line, column=node.start_mark.column + 1,
                             end_line=node.end_mark.line + 1 + line_offset, end_column=node.end_mark.column + 1,
                             language=LANGUAGE, detector=ID, confidence="high" if attrs.get("resolved_from") in
                             ("literal", "library_default") else "medium",
                             attributes={**({"resource": resource} if resource else {}), **attrs},
                             evidence=evidence))

    for mapping in _walk(root):
        retry = _get(mapping, "retry")
        if retry is not None and _get(mapping, "try") is not None:
            key, value = retry
            if isinstance(value, yaml.ScalarNode) and _POLICY.match(value.value.strip()):
                add("retry", key, {"max_attempts": DEFAULT_POLICY_RETRIES + 1, "backoff": "exponential",
                                   "retry_on": "error", "mechanism": "client_config", "library": "gcp_workflows",
                                   "setting": "retry", "expression": value.value.strip(),
                                   "resolved_from": "library_default"})
            elif isinstance(value, yaml.MappingNode):
                count = _get(value, "max_retries")
                number = _number(count[1].value) if count and isinstance(count[1], yaml.ScalarNode) else None
                if count is not None:
                    add("retry", count[0], {"max_attempts": int(number) + 1 if number is not None and number >= 0
                                            else None, "backoff": "exponential" if _get(value, "backoff") else None,
                                            "retry_on": "error", "mechanism": "client_config",
                                            "library": "gcp_workflows", "setting": "max_retries",
                                            "expression": count[1].value if isinstance(count[1], yaml.ScalarNode)
                                            else "", "resolved_from": "literal" if number is not None
                                            else "unresolved"})
        call = _get(mapping, "call")
        args = _get(mapping, "args")
        if call is not None and args is not None and isinstance(call[1], yaml.ScalarNode) \
                and call[1].value.startswith(("http.", "googleapis.")):
            timeout = _get(args[1], "timeout")
            if timeout is not None and isinstance(timeout[1], yaml.ScalarNode):
                seconds = _number(timeout[1].value)
                add("timeout", timeout[0], {"timeout_ms": normalise_ms(seconds * 1000.0) if seconds is not None
                                            else None, "phase": "total", "setting": "timeout",
                                            "expression": timeout[1].value, "call": call[1].value,
                                            "resolved_from": "literal" if seconds is not None else "unresolved"})
    found.sort(key=lambda f: (f.line, f.column))
    return found
