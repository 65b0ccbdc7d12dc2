"""Google Cloud Endpoints / API Gateway backend deadlines (round 11).

A Cloud Endpoints service configuration (``type: google.api.Service``: the gRPC API config
``gcloud endpoints services deploy`` or Terraform's ``google_endpoints_service.grpc_config`` takes,
often through ``templatefile()``) routes each method to a backend under ``backend.rules``; a rule's
``deadline`` (seconds) is how long the ESP / ESPv2 proxy waits for that backend (15 s when not
written: not reported). An OpenAPI document for Endpoints or Google API Gateway says the same with
``x-google-backend: {address: ..., deadline: 60}``.

The text is composed with PyYAML's safe composer (nodes with lines, nothing constructed); Terraform
template interpolations (``${backend_url}``) are plain scalars to YAML, and JSON is YAML.
"""

from __future__ import annotations

import re

import yaml

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms

ID = "terraform.gcp"
LANGUAGE = "terraform"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SERVICE = re.compile(rb"(?m)^\s*type\s*:\s*[\"']?google\.api\.Service\b")
MAX_NODES = 200_000


def looks_like_service_config(data: bytes) -> bool:
    """An Endpoints service configuration or an OpenAPI document with Google backends (cheap)."""
    return b"deadline" in data and (b"x-google-backend" in data or _SERVICE.search(data) is not None)


def _get(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _seconds(node) -> float | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        value = float(node.value.strip().rstrip("s"))
    except ValueError:
        return None
    return value if value > 0 else None


def _finding(path: str, lines: list[str], node, setting: str, backend: str | None) -> Finding | None:
    seconds = _seconds(node)
    if seconds is None:
        return None
    line = node.start_mark.line
    text = lines[line] if line < len(lines) else ""
    return Finding(kind="timeout", path=path, line=line + 1, column=node.start_mark.column + 1, end_line=line + 1,
                   end_column=node.end_mark.column + 1, language=LANGUAGE, detector=ID, confidence="high",
                   attributes={"timeout_ms": normalise_ms(seconds * 1000.0), "phase": "total",
                               "resolved_from": "literal", "expression": node.value, "setting": setting,
                               "library": "google_cloud_endpoints", "target": backend},
                   evidence=text.strip()[:200])


def service_config_findings(path: str, text: str) -> list[Finding]:
    """Each written backend ``deadline`` of a service configuration's ``backend.rules`` and of the
    ``x-google-backend`` extensions of an OpenAPI document, at the ``deadline`` line."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return []
    lines = text.splitlines()
    out: list[Finding] = []
    rules = _get(_get(root, "backend"), "rules")
    if isinstance(rules, yaml.SequenceNode):
        for rule in rules.value:
            address = _get(rule, "address")
            found = _finding(path, lines, _get(rule, "deadline"), "backend.rules.deadline",
                             address.value if isinstance(address, yaml.ScalarNode) else None)
            if found is not None:
                out.append(found)
    stack, seen = [root], 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == "x-google-backend":
                    address = _get(v, "address")
                    found = _finding(path, lines, _get(v, "deadline"), "x-google-backend.deadline",
                                     address.value if isinstance(address, yaml.ScalarNode) else None)
                    if found is not None:
                        out.append(found)
                else:
                    stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    out.sort(key=lambda f: (f.line, f.column))
    return out
