"""Kong's declarative configuration (``kong.yml`` with ``_format_version``, DB-less mode: a
standalone file, a chart's file it renders, or a ConfigMap's value): the limits Kong puts on the
calls it proxies to each service (round 13).

Read line by line as written (a Helm template of it is not YAML until rendered), as the Envoy
configuration is: a key's parents come from its indentation. For each item of the top-level
``services`` list:

- ``connect_timeout`` / ``read_timeout`` / ``write_timeout``: milliseconds (``phase`` connect /
  read / write);
- ``retries``: retries after the first try on a failed proxying (``max_attempts = retries + 1``).

Written values only: Kong's defaults (60000 ms each, 5 retries) are not reported, as nginx's
unwritten defaults are not. A Helm placeholder is pending on the chart's values.yaml.
"""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import placeholder_expr, rendered_lines
from extractors.kubernetes.manifest import Document, configmap_texts

ID = "kubernetes.kong_config"
KINDS = ("ConfigMap",)
MARKER = b"_format_version"
SETTINGS = (b"_timeout", b"retries")

_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)"
                  r"[ \t]*:(?:[ \t]+(?P<value>[^#\n]*?))?[ \t]*(?:#.*)?$")
_PHASES = {"connect_timeout": "connect", "read_timeout": "read", "write_timeout": "write"}


def has_kong(data: bytes) -> bool:
    return MARKER in data and b"services" in data and any(s in data for s in SETTINGS)


def _finding(path: str, number: int, line: str, column: int, kind: str, attrs: dict[str, Any],
             confidence: str, pending: tuple = ()) -> Finding:
    return Finding(kind=kind, path=path, line=number, column=column, end_line=number, end_column=len(line) + 1,
                   language=LANGUAGE, detector=ID, confidence=confidence, attributes=attrs,
                   evidence=line.strip()[:200], pending=pending)


def findings_in_lines(path: str, lines: list[str], first: int, last: int, resource: str | None) -> list[Finding]:
    """The Kong service settings on lines ``first``..``last`` (1-based, inclusive), as written."""
    out: list[Finding] = []
    stack: list[tuple[int, str]] = []  # (column of the key, key) of the keys enclosing the line
    names: dict[int, str] = {}  # column of a list item's keys -> its `name:`
    for number, line in rendered_lines(lines, first, last):
        m = _KEY.match(line)
        if m is None:
            continue
        column = len(m.group("indent")) + (len(m.group("dash")) if m.group("dash") else 0)
        key = m.group("key")
        value = (m.group("value") or "").strip()
        if m.group("dash"):
            names = {c: n for c, n in names.items() if c < column}
        while stack and stack[-1][0] >= column:
            stack.pop()
        if not value:
            stack.append((column, key))
            continue
        if key == "name":
            names[column] = value.strip("\"'")
        # a service's own keys: the item's parent is the top-level `services:` list
        if not stack or stack[-1][1] != "services" or any(k == "services" for _, k in stack[:-1]):
            continue
        text = value.strip("\"'").strip()
        service = names.get(column)
        if key in _PHASES:
            ms, pending = None, ()
            if "{{" in text:
                expr = placeholder_expr(path, text)  # None: a file outside the chart's templates/
                pending = (Pending("timeout_ms", expr, 1.0),) if expr is not None else ()
            elif text.isdigit():
                ms = float(text)
                if ms == 0:
                    continue
            else:
                continue
            attrs: dict[str, Any] = {"timeout_ms": normalise_ms(ms) if ms is not None else None,
                                     "phase": _PHASES[key], "setting": key, "expression": value,
                                     "library": "kong", "service": service,
                                     "resolved_from": "literal" if ms is not None else "unresolved"}
            if resource:
                attrs["resource"] = resource
            out.append(_finding(path, number, line, column + 1, "timeout", attrs,
                                "high" if ms is not None else ("medium" if pending else "low"), pending))
        elif key == "retries":
            attempts, pending = None, ()
            if "{{" in text:
                expr = placeholder_expr(path, text)
                pending = (Pending("max_attempts", BinOp("+", expr, Num(1.0)), 1.0),) if expr is not None else ()
            elif text.isdigit():
                attempts = int(text) + 1
            else:
                continue
            attrs = {"max_attempts": attempts, "backoff": "immediate", "retry_on": "proxy_error",
                     "mechanism": "proxy", "library": "kong", "setting": key, "expression": value,
                     "service": service, "resolved_from": "literal" if attempts is not None else "unresolved"}
            if resource:
                attrs["resource"] = resource
            out.append(_finding(path, number, line, column + 1, "retry", attrs,
                                "high" if attempts is not None else ("medium" if pending else "low"), pending))
    return out


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kong\ndata:\n  kong.yml: |\n"
                 "    _format_version: '2.1'\n    services:\n      - name: auth\n"
                 "        url: http://auth:9999/\n        # read_timeout: 5000\n        routes:\n"
                 "          - name: auth-all\n            paths: [/auth/v1/]\n    plugins:\n"
                 "      - name: rate-limiting\n        config:\n          retries: 3\n"],
          invalid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kong\ndata:\n  kong.yml: |\n"
                   "    _format_version: '2.1'\n    services:\n      - name: functions\n"
                   "        url: http://functions:9000/\n        read_timeout: 150000\n        retries: 2\n"])
def detect(doc: Document, mf) -> list[Finding]:
    """Timeouts and retries of the services in Kong's declarative configuration.

    What it does: in Kong's declarative configuration (``_format_version`` with a ``services:``
    list: a ConfigMap's value, a standalone ``kong.yml`` or a chart's file rendered into one), each
    service's written ``connect_timeout`` / ``read_timeout`` / ``write_timeout`` (milliseconds) is a
    timeout of that phase and its ``retries`` a retry with ``max_attempts = retries + 1``. Kong's
    unwritten defaults (60 s, 5 retries) are not reported; ``{{ .Values.x }}`` is settled from the
    chart's values.yaml.

    Why it matters: the gateway answers 504 when the service behind it takes longer than the read
    timeout, whatever the caller allows, and its retries multiply the calls the service sees.

    Example: ``read_timeout: 150000`` under ``services: - name: functions`` -> ``timeout
    timeout_ms=150000 phase=read``."""
    return [finding for resource, first, last, text in configmap_texts(doc)
            if has_kong(text.encode("utf-8", "replace"))
            for finding in findings_in_lines(mf.path, mf.lines, first, last, resource)]
