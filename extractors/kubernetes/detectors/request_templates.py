"""Request templates in a service's configuration (a Helm partial or a ConfigMap that renders it):
a mapping in the shape of the Node.js ``request`` / ``preq`` options (``method`` + ``uri``) with a
``timeout``, as service-runner services describe the calls they make to other services
(``restbase_req: {method: get, uri: ..., timeout: 60000}``). The timeout is in milliseconds, as
those libraries take it.

Read line by line as written (a Helm template is not YAML until it is rendered): the keys of one
mapping are the key lines at the same column under the same parent; only a mapping holding both
``method`` and ``uri`` counts (a ``timeout`` beside a ``url`` or alone says nothing of its unit or
its call).
"""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding, Pending
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import key_lines, placeholder_expr
from extractors.kubernetes.manifest import Document, configmap_texts

ID = "kubernetes.request_templates"
KINDS = ("ConfigMap",)


def has_request_templates(data: bytes) -> bool:
    return b"uri:" in data and b"timeout:" in data and b"method:" in data


def findings_in_lines(path: str, lines: list[str], first: int, last: int, resource: str | None) -> list[Finding]:
    """The request templates' timeouts on lines ``first``..``last`` (1-based) as written."""
    # the keys of each mapping: key lines at one column under one parent line (a list item's
    # `- key:` starts a new mapping there)
    current: dict[tuple[int, int], dict[str, tuple[int, str, int]]] = {}
    groups: list[dict[str, tuple[int, str, int]]] = []
    for key in key_lines(lines, first, last):
        where = (key.parent_line, key.column)
        if key.dash or where not in current:
            current[where] = {}
            groups.append(current[where])
        current[where].setdefault(key.key, (key.number, key.value, key.column))
    out: list[Finding] = []
    for keys in groups:
        if not {"method", "uri", "timeout"} <= set(keys):
            continue
        number, value, column = keys["timeout"]
        found = _timeout(path, lines[number - 1], number, column + 1, value, keys["uri"][1], resource)
        if found is not None:
            out.append(found)
    out.sort(key=lambda f: f.line)
    return out


def _timeout(path: str, line: str, number: int, column: int, value: str, uri: str,
             resource: str | None) -> Finding | None:
    text = value.strip().strip("\"'")
    pending: tuple = ()
    if "{{" in text:
        ms = None
        expr = placeholder_expr(path, text)
        if expr is not None:
            pending = (Pending("timeout_ms", expr, 1.0),)
    elif re.fullmatch(r"\d+(?:\.\d+)?", text):
        ms = float(text)
        if ms == 0:
            return None
    else:
        return None
    attrs: dict[str, Any] = {"timeout_ms": normalise_ms(ms), "phase": "total", "setting": "timeout",
                             "expression": value, "library": "request_template", "uri": uri[:200],
                             "resolved_from": "literal" if ms is not None else "unresolved"}
    if resource:
        attrs["resource"] = resource
    return Finding(kind="timeout", path=path, line=number, column=column, end_line=number,
                   end_column=len(line) + 1, language=LANGUAGE, detector=ID,
                   confidence="medium" if ms is not None else "low", attributes=attrs,
                   evidence=line.strip()[:200], pending=pending)


@detector(ID, "kubernetes", ["timeout"],
          valid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  config.yaml: |\n"
                 "    upstream:\n      url: http://risk\n      timeout: 5\n"
                 "    worker_heartbeat_timeout: 7500\n"],
          invalid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  config.yaml: |\n"
                   "    restbase_req:\n      method: get\n      uri: http://restbase/{domain}/v1/{+path}\n"
                   "      timeout: 60000\n"])
def detect(doc: Document, mf) -> list[Finding]:
    """Timeouts of request templates (``method`` + ``uri`` + ``timeout``, ms) in a service's
    configuration held in a ConfigMap or a Helm partial.

    What it does: a mapping in the Node.js ``request`` / ``preq`` options shape (``method`` and
    ``uri`` keys) with a ``timeout`` is the timeout of the call the service makes with that
    template (service-runner's ``*_req`` templates), in ms; ``{{ .Values.x }}`` is settled from the
    chart's values.yaml. A ``timeout`` beside a ``url`` only, or alone, is not read (its unit and
    its call are unknown).

    Why it matters: the service gives up on the other service after this long; a caller of the
    service allowing less never sees the answer.

    Example: ``restbase_req: {method: get, uri: ..., timeout: 60000}`` -> ``timeout timeout_ms=60000``."""
    return [finding for resource, first, last, text in configmap_texts(doc)
            if has_request_templates(text.encode("utf-8", "replace"))
            for finding in findings_in_lines(mf.path, mf.lines, first, last, resource)]
