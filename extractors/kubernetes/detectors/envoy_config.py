"""Envoy proxy configuration (a sidecar's or a gateway's ``envoy.yaml``: in a ConfigMap, a Helm
template or ``.tpl`` helper that renders one, or a standalone file with ``static_resources``): the
limits Envoy puts on the calls it forwards to the services behind it.

The configuration is read line by line, as written (a Helm template of it is not YAML until it is
rendered): each ``key:`` line's parent keys come from its indentation, template directive lines
(``{{- if ... }}``) and comments being skipped. Read:

- a route action's ``timeout`` (``route: {cluster: x, timeout: 15s}``): ``phase: total``;
- a cluster's ``connect_timeout``: ``phase: connect`` (not the ``admin`` cluster's: Envoy's own
  stats interface; round 14: nor the clusters of Envoy's own rate-limit service, tracers and stats
  sinks: ``ratelimit``, ``zipkin``, ``jaeger``, ``otel-collector``, ``datadog-agent``, ``statsd``);
- a route's ``retry_policy``: ``num_retries`` (retries after the first try: ``max_attempts =
  num_retries + 1``), ``per_try_timeout`` (``phase: per_try``).

Not read: ``idle_timeout`` (idle connections), the ``timeout`` of a ``grpc_service`` (tracing or
rate-limit RPCs of Envoy itself), of ``health_checks`` (probing) or of filters, and ``0s`` (no
timeout). Values: Envoy durations (``"0.25s"``, ``"60s"``); a Helm placeholder
(``{{ .Values.mesh.upstream_timeout | default "60s" }}``) is pending on the chart's values.yaml;
any other placeholder (``{{ .Listener.timeout }}``) is unresolved.
"""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import rendered_lines, duration_expr, placeholder_expr
from extractors.kubernetes.manifest import Document, configmap_texts

ID = "kubernetes.envoy_config"
KINDS = ("ConfigMap",)
# what makes a text an Envoy configuration (v3 type URLs, filter names, the bootstrap's root key)
MARKERS = (b"type.googleapis.com/envoy.", b"envoy.filters.network.http_connection_manager",
           b"envoy.filters.http.router", b"envoy.http_connection_manager", b"envoy.router")
SETTINGS = (b"connect_timeout", b"timeout:", b"num_retries")

_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*|\"[A-Za-z_][A-Za-z0-9_]*\")"
                  r"[ \t]*:(?:[ \t]+(?P<value>[^#\n]*?))?[ \t]*(?:#.*)?$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(s|ms|m|h)$")
_SCALE = {"ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_FLOW_TIMEOUT = re.compile(r"[{,][ \t]*timeout[ \t]*:[ \t]*([^,}]+)")
_ADMIN = re.compile(r"^['\"]?admin", re.I)
# (round 14) clusters Envoy calls for itself, not for the service behind it: its rate-limit service
# (the ratelimit filter's gRPC calls), its tracers' and stats sinks' collectors
_OWN_CLUSTER = re.compile(r"^['\"]?(?:admin|rate[_-]?limit|zipkin|jaeger|opentelemetry|otel[_-]|otlp|"
                          r"datadog[_-]agent|statsd|lightstep)", re.I)


# (round 13) a standalone configuration: a bootstrap (`static_resources`), or the resources files
# Envoy reads from disk (`path_config_source`: cds.yaml / lds.yaml, `resources:` of typed clusters,
# listeners, route configurations)
STANDALONE = (b"static_resources", b"envoy.config.cluster.v3.Cluster", b"envoy.config.listener.v3.Listener",
              b"envoy.config.route.v3.RouteConfiguration", b"envoy.api.v2.Cluster", b"envoy.api.v2.Listener",
              b"envoy.api.v2.RouteConfiguration")


def is_standalone(data: bytes) -> bool:
    return any(marker in data for marker in STANDALONE)


def has_envoy(data: bytes) -> bool:
    return any(m in data for m in MARKERS) and any(s in data for s in SETTINGS)


def envoy_ms(text: str) -> float | None:
    """An Envoy duration (``"0.25s"``, ``"1.5s"``; ``ms``/``m``/``h`` read too) in ms."""
    text = text.strip().strip("\"'").strip()
    m = _DURATION.match(text)
    if m is None:
        return None
    return float(m.group(1)) * _SCALE[m.group(2)]


def _finding(path: str, number: int, line: str, column: int, kind: str, attrs: dict[str, Any], confidence: str,
             pending: tuple = ()) -> Finding:
    return Finding(kind=kind, path=path, line=number, column=column, end_line=number, end_column=len(line) + 1,
                   language=LANGUAGE, detector=ID, confidence=confidence, attributes=attrs,
                   evidence=line.strip()[:200], pending=pending)


def _timeout(path: str, number: int, line: str, column: int, value: str, phase: str, setting: str,
             resource: str | None) -> Finding | None:
    templated = "{{" in value
    ms = None if templated else envoy_ms(value)
    if not templated and (ms is None or ms == 0):
        return None  # 0s: no timeout; anything else unreadable is not a duration
    expr = duration_expr(path, value) if templated else None
    attrs: dict[str, Any] = {"timeout_ms": normalise_ms(ms), "phase": phase, "setting": setting,
                             "expression": value, "library": "envoy",
                             "resolved_from": "literal" if ms is not None else "unresolved"}
    if resource:
        attrs["resource"] = resource
    return _finding(path, number, line, column, "timeout", attrs,
                    "high" if ms is not None else ("medium" if expr is not None else "low"),
                    (Pending("timeout_ms", expr, 1.0),) if expr is not None else ())


def findings_in_lines(path: str, lines: list[str], first: int, last: int, resource: str | None) -> list[Finding]:
    """The Envoy settings on lines ``first``..``last`` (1-based, inclusive) of the file as written."""
    out: list[Finding] = []
    stack: list[tuple[int, str]] = []  # (column of the key, key) of the keys enclosing the line
    item_name: dict[int, str] = {}  # column of a list item's keys -> its `name:`
    cluster: tuple[int, str] = (-1, "")  # the last `cluster:` of a route action (column, name)
    for number, line in rendered_lines(lines, first, last):
        m = _KEY.match(line)
        if m is None:
            continue
        column = len(m.group("indent")) + (len(m.group("dash")) if m.group("dash") else 0)
        key = m.group("key").strip('"')
        value = (m.group("value") or "").strip()
        if m.group("dash"):
            item_name = {c: n for c, n in item_name.items() if c < column}
        while stack and stack[-1][0] >= column:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        if key == "name" and value:
            item_name[column] = value
        if key == "cluster" and value:
            cluster = (column, value)
        if not value:
            stack.append((column, key))
            continue
        flow = _FLOW_TIMEOUT.search(value) if key == "route" and value.startswith("{") else None
        if flow is not None:  # route: {cluster: risk, timeout: 2s}
            found = _timeout(path, number, line, column + 1, flow.group(1).strip(), "total", "route.timeout",
                             resource)
        elif key == "connect_timeout":
            if _OWN_CLUSTER.match(item_name.get(column, "")):
                continue
            found = _timeout(path, number, line, column + 1, value, "connect", "connect_timeout", resource)
        elif key == "timeout" and parent == "route":
            if cluster[0] == column and _ADMIN.match(cluster[1]):
                continue  # a route to Envoy's own admin interface (its stats)
            found = _timeout(path, number, line, column + 1, value, "total", "route.timeout", resource)
        elif key == "per_try_timeout" and parent == "retry_policy":
            found = _timeout(path, number, line, column + 1, value, "per_try", "retry_policy.per_try_timeout",
                             resource)
        elif key == "num_retries" and parent == "retry_policy":
            found = _retry(path, number, line, column + 1, value, resource)
        else:
            continue
        if found is not None:
            out.append(found)
    return out


def _retry(path: str, number: int, line: str, column: int, value: str, resource: str | None) -> Finding | None:
    text = value.strip().strip("\"'")
    pending: tuple = ()
    if "{{" in text:
        expr = placeholder_expr(path, text)
        attempts = None
        if expr is not None:
            pending = (Pending("max_attempts", BinOp("+", expr, Num(1.0)), 1.0),)
    elif text.isdigit():
        attempts = int(text) + 1
    else:
        return None
    attrs: dict[str, Any] = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                             "mechanism": "proxy", "library": "envoy", "setting": "retry_policy.num_retries",
                             "expression": value, "resolved_from": "literal" if attempts is not None else "unresolved"}
    if resource:
        attrs["resource"] = resource
    return _finding(path, number, line, column, "retry", attrs,
                    "high" if attempts is not None else ("medium" if pending else "low"), pending)


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: envoy\ndata:\n  envoy.yaml: |\n"
                 "    static_resources:\n      clusters:\n      - name: admin_interface\n"
                 "        connect_timeout: 1s\n      - name: app\n        type: STRICT_DNS\n"
                 "    # timeout: 5s\n    tracing:\n      grpc_service:\n        timeout: 0.25s\n"
                 "    typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.network."
                 "http_connection_manager.v3.HttpConnectionManager}\n"],
          invalid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: envoy\ndata:\n  envoy.yaml: |\n"
                   "    static_resources:\n      listeners:\n      - filter_chains:\n        - filters:\n"
                   "          - name: envoy.filters.network.http_connection_manager\n"
                   "            typed_config:\n              route_config:\n                virtual_hosts:\n"
                   "                - routes:\n                  - match: {prefix: /}\n"
                   "                    route:\n                      cluster: risk\n"
                   "                      timeout: 2s\n      clusters:\n      - name: risk\n"
                   "        connect_timeout: 0.25s\n"])
def detect(doc: Document, mf) -> list[Finding]:
    """Envoy route timeouts, cluster connect timeouts and route retries in a ConfigMap's Envoy
    configuration.

    What it does: in a ConfigMap's ``data`` values that hold an Envoy configuration (v3
    ``type.googleapis.com/envoy.`` type URLs or Envoy filter names), and in a Helm ``.tpl`` helper or
    a standalone ``envoy.yaml`` (``static_resources``), a route action's ``timeout`` is a timeout
    (``phase: total``), a cluster's ``connect_timeout`` one of ``phase: connect`` (except the admin
    cluster's), a route ``retry_policy``'s ``num_retries`` a retry with ``max_attempts =
    num_retries + 1`` and its ``per_try_timeout`` a ``per_try`` timeout. Durations are Envoy's
    (``"0.25s"``); ``{{ .Values.x }}`` is settled from the chart's values.yaml.

    Why it matters: the sidecar or gateway answers 504 (or 503 on a failed connect) when the
    service behind it takes longer; a caller allowing more time than the proxy never gets it, and
    the proxy's retries multiply the calls the service behind it sees.

    Example: ``route: {cluster: risk, timeout: 2s}`` -> ``timeout timeout_ms=2000 phase=total``."""
    return [finding for resource, first, last, text in configmap_texts(doc)
            if has_envoy(text.encode("utf-8", "replace"))
            for finding in findings_in_lines(mf.path, mf.lines, first, last, resource)]


# (round 19, compass) Envoy's request headers that set a route's limits per request, added by an Istio EnvoyFilter's
# Lua code (`request_handle:headers():add("x-envoy-upstream-rq-timeout-ms", "{{ .Values.timeout_ms }}")`) or
# written as a header map (`x-envoy-max-retries: "0"`): the upstream timeout in ms, the per-try timeout, and the
# retries after the first try.
_HEADER = re.compile(r"""["']?x-envoy-(upstream-rq-timeout-ms|upstream-rq-per-try-timeout-ms|max-retries)["']?"""
                     r"""\s*[,:]\s*(?P<value>"[^"]*"|'[^']*'|\d+)""", re.I)


def has_envoy_headers(data: bytes) -> bool:
    return b"x-envoy-upstream-rq" in data or b"x-envoy-max-retries" in data


def header_findings(path: str, lines: list[str]) -> list[Finding]:
    """The ``x-envoy-*`` limit headers a manifest sets, each at its line."""
    out: list[Finding] = []
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith(("#", "--")):
            continue  # a YAML or Lua comment
        m = _HEADER.search(line)
        if m is None:
            continue
        name, value = m.group(1).lower(), m.group("value").strip("\"'").strip()
        column = m.start() + 1
        if name == "max-retries":
            found = _retry(path, number, line, column, value, None)
            if found is not None:
                found.attributes["setting"] = "x-envoy-max-retries"
        else:
            phase = "per_try" if "per-try" in name else "total"
            if "{{" in value:
                # the header's value is ms: the chart's number as it is (not read as an Envoy duration)
                expr = placeholder_expr(path, value)
                attrs = {"timeout_ms": None, "phase": phase, "setting": "x-envoy-" + name, "expression": value,
                         "library": "envoy", "resolved_from": "unresolved"}
                found = _finding(path, number, line, column, "timeout", attrs, "medium" if expr is not None else "low",
                                 (Pending("timeout_ms", expr, 1.0),) if expr is not None else ())
            elif value.isdigit():
                found = _timeout(path, number, line, column, value + "ms", phase, "x-envoy-" + name, None)
            else:
                continue
        if found is not None:
            out.append(found)
    return out
