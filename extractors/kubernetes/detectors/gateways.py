"""Timeouts and retries of more gateways and serverless platforms on Kubernetes: Contour HTTPProxy,
Emissary-ingress (Ambassador) Mapping, Kong (KongIngress and konghq.com/ annotations), HAProxy
Ingress annotations, Traefik ServersTransport, Knative / Cloud Run services."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import yaml

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import BinOp, Num, normalise_ms
from extractors.base import detector
from extractors.kubernetes import helm
from extractors.kubernetes.context import ManifestFile, resource_name
from extractors.kubernetes.manifest import Document, duration_ms, get, items, scalar

ID = "kubernetes.gateways"
KINDS = ("HTTPProxy", "Mapping", "KongIngress", "ServersTransport", "Service", "Ingress", "BackendConfig",
         "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")

_KONG_TIMEOUTS = {"konghq.com/connect-timeout": "connect", "konghq.com/read-timeout": "read",
                  "konghq.com/write-timeout": "write"}
_HAPROXY_TIMEOUTS = {"haproxy.org/timeout-server": "read", "haproxy.org/timeout-connect": "connect",
                     "haproxy-ingress.github.io/timeout-server": "read",
                     "haproxy-ingress.github.io/timeout-connect": "connect"}
_HAPROXY_UNITS = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0, "d": 86400000.0, "us": 0.001}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _haproxy_ms(text: str | None) -> float | None:
    """HAProxy times: ``30s``, ``500ms``, ``1m``; a bare number is milliseconds."""
    if not text:
        return None
    text = text.strip()
    for unit in ("ms", "us", "s", "m", "h", "d"):
        if text.endswith(unit) and _number(text[:-len(unit)]) is not None:
            return float(text[:-len(unit)]) * _HAPROXY_UNITS[unit]
    return _number(text)


def _timeout(mf: ManifestFile, doc: Document, node: yaml.Node | None, ms: float | None, phase: str, setting: str,
             library: str, target: Target | None = None, bare_ms: float = 1000.0) -> Finding | None:
    text = scalar(node)
    if node is None or text is None or ms == 0:
        return None
    expression = mf.source_text(node, text)
    pending = ()
    if ms is None and "{{" in expression:
        expr = helm.duration_expr(mf.path, expression, bare_ms)
        pending = (Pending("timeout_ms", expr, 1.0),) if expr is not None else ()
    attrs: dict[str, Any] = {"timeout_ms": normalise_ms(ms), "phase": phase,
                             "resolved_from": "literal" if ms is not None else "unresolved",
                             "expression": expression, "setting": setting, "library": library,
                             "resource": resource_name(doc)}
    finding = mf.finding("timeout", node, doc, ID, attrs, target=target,
                         confidence="high" if ms is not None else ("medium" if pending else "low"))
    return _pending(finding, pending)


def _retries(mf: ManifestFile, doc: Document, node: yaml.Node | None, library: str, setting: str,
             target: Target | None = None, add: int = 1) -> Finding | None:
    """``n`` retries after the first try: ``max_attempts = n + add``."""
    text = scalar(node)
    if node is None or text is None:
        return None
    expression = mf.source_text(node, text)
    count = _number(text) if "TEMPLATED" not in text else None
    pending = ()
    if count is None and "{{" in expression:
        expr = helm.placeholder_expr(mf.path, expression)
        if expr is not None:
            pending = (Pending("max_attempts", BinOp("+", expr, Num(float(add))), 1.0),)
    attrs: dict[str, Any] = {"max_attempts": int(count) + add if count is not None and count >= 0 else None,
                             "backoff": None, "retry_on": "error", "mechanism": "client_config",
                             "library": library, "setting": setting, "expression": expression,
                             "resource": resource_name(doc)}
    finding = mf.finding("retry", node, doc, ID, attrs, target=target,
                         confidence="high" if count is not None else "medium")
    return _pending(finding, pending)


def _pending(finding: Finding, pending: tuple) -> Finding:
    return replace(finding, pending=pending) if pending else finding


def _service_target(name: str | None) -> Target | None:
    return Target(url=None, service=name, operation=None) if name and "TEMPLATED" not in name else None


def _contour(doc: Document, mf: ManifestFile) -> list[Finding]:
    found: list[Finding | None] = []
    for route in items(get(get(doc.root, "spec"), "routes")):
        services = items(get(route, "services"))
        target = _service_target(scalar(get(services[0], "name"))) if services else None
        policy = get(route, "timeoutPolicy")
        for key, phase in (("response", "total"), ("idle", "idle")):
            node = get(policy, key)
            text = scalar(node)
            if text in ("infinity", "infinite"):
                continue
            found.append(_timeout(mf, doc, node, duration_ms(text) if text and "TEMPLATED" not in text else None,
                                  phase, f"timeoutPolicy.{key}", "contour", target))
        retry = get(route, "retryPolicy")
        if retry is not None:
            count = get(retry, "count")
            found.append(_retries(mf, doc, count, "contour", "retryPolicy.count", target))
            per_try = get(retry, "perTryTimeout")
            text = scalar(per_try)
            found.append(_timeout(mf, doc, per_try, duration_ms(text) if text and "TEMPLATED" not in text else None,
                                  "per_try", "retryPolicy.perTryTimeout", "contour", target))
    return [f for f in found if f]


def _emissary(doc: Document, mf: ManifestFile) -> list[Finding]:
    if "getambassador.io" not in (doc.api_version or ""):
        return []
    spec = get(doc.root, "spec")
    service = (scalar(get(spec, "service")) or "").split(":")[0].split(".")[0] or None
    target = _service_target(service)
    found: list[Finding | None] = []
    for key, phase in (("timeout_ms", "total"), ("connect_timeout_ms", "connect"), ("idle_timeout_ms", "idle")):
        node = get(spec, key)
        text = scalar(node)
        found.append(_timeout(mf, doc, node, _number(text) if text and "TEMPLATED" not in text else None, phase, key,
                              "emissary", target, bare_ms=1.0))
    retry = get(spec, "retry_policy")
    if retry is not None:
        found.append(_retries(mf, doc, get(retry, "num_retries"), "emissary", "retry_policy.num_retries", target))
        per_try = get(retry, "per_try_timeout")
        text = scalar(per_try)
        found.append(_timeout(mf, doc, per_try, duration_ms(text) if text and "TEMPLATED" not in text else None,
                              "per_try", "retry_policy.per_try_timeout", "emissary", target))
    return [f for f in found if f]


def _kong_ingress(doc: Document, mf: ManifestFile) -> list[Finding]:
    proxy = get(doc.root, "proxy")
    found: list[Finding | None] = []
    for key, phase in (("connect_timeout", "connect"), ("read_timeout", "read"), ("write_timeout", "write")):
        node = get(proxy, key)
        text = scalar(node)
        found.append(_timeout(mf, doc, node, _number(text) if text and "TEMPLATED" not in text else None, phase,
                              f"proxy.{key}", "kong", bare_ms=1.0))
    found.append(_retries(mf, doc, get(proxy, "retries"), "kong", "proxy.retries"))
    return [f for f in found if f]


def _annotations(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Kong's ``konghq.com/`` timeouts (ms) and retries on a Service or an Ingress; HAProxy
    Ingress's server/connect timeouts on an Ingress."""
    annotations = get(get(doc.root, "metadata"), "annotations")
    if not isinstance(annotations, yaml.MappingNode):
        return []
    target = _service_target(doc.name) if doc.kind == "Service" else None
    found: list[Finding | None] = []
    for key_node, node in annotations.value:
        key = scalar(key_node) or ""
        text = scalar(node)
        literal = text if text and "TEMPLATED" not in text else None
        if key in _KONG_TIMEOUTS:
            found.append(_timeout(mf, doc, node, _number(literal), _KONG_TIMEOUTS[key], key, "kong", target,
                                  bare_ms=1.0))
        elif key == "konghq.com/retries":
            found.append(_retries(mf, doc, node, "kong", key, target))
        elif key in _HAPROXY_TIMEOUTS and doc.kind == "Ingress":
            found.append(_timeout(mf, doc, node, _haproxy_ms(literal), _HAPROXY_TIMEOUTS[key], key, "haproxy",
                                  bare_ms=1.0))
    return [f for f in found if f]


def _servers_transport(doc: Document, mf: ManifestFile) -> list[Finding]:
    if "traefik" not in (doc.api_version or ""):
        return []
    timeouts = get(get(doc.root, "spec"), "forwardingTimeouts")
    found: list[Finding | None] = []
    for key, phase in (("dialTimeout", "connect"), ("responseHeaderTimeout", "read"), ("idleConnTimeout", "idle")):
        node = get(timeouts, key)
        text = scalar(node)
        if text is not None and text.strip().isdigit():
            ms = float(text) * 1000.0  # Traefik reads a bare number as seconds
        else:
            ms = duration_ms(text) if text and "TEMPLATED" not in text else None
        found.append(_timeout(mf, doc, node, ms, phase, f"forwardingTimeouts.{key}", "traefik"))
    return [f for f in found if f]


def _backend_config(doc: Document, mf: ManifestFile) -> list[Finding]:
    """GKE's ``BackendConfig``: the Google Cloud load balancer's backend service timeout
    (``spec.timeoutSec``, 30 s when absent, not reported) for the Services that name it."""
    node = get(get(doc.root, "spec"), "timeoutSec")
    text = scalar(node)
    number = _number(text) if text and "TEMPLATED" not in text else None
    finding = _timeout(mf, doc, node, number * 1000.0 if number is not None else None, "total", "timeoutSec",
                       "gke_backend_config")
    return [finding] if finding else []


def _knative(doc: Document, mf: ManifestFile) -> list[Finding]:
    """A Knative / Cloud Run service's request timeout (``spec.template.spec.timeoutSeconds``)."""
    spec = get(get(get(doc.root, "spec"), "template"), "spec")
    node = get(spec, "timeoutSeconds")
    text = scalar(node)
    finding = _timeout(mf, doc, node, _number(text) * 1000.0 if _number(text) is not None else None, "function",
                       "timeoutSeconds", "knative")
    return [finding] if finding else []


def _admission_webhooks(doc: Document, mf: ManifestFile) -> list[Finding]:
    """(round 12) An admission webhook's ``timeoutSeconds``: how long the API server waits for the
    webhook's service (``clientConfig.service``) before applying ``failurePolicy``; written values
    only (Kubernetes' default is 10 s)."""
    found: list[Finding | None] = []
    for hook in items(get(doc.root, "webhooks")):
        node = get(hook, "timeoutSeconds")
        text = scalar(node)
        seconds = _number(text) if text and "TEMPLATED" not in text else None
        service = scalar(get(get(get(hook, "clientConfig"), "service"), "name"))
        found.append(_timeout(mf, doc, node, seconds * 1000.0 if seconds is not None else None, "total",
                              "timeoutSeconds", "kubernetes_admission", target=_service_target(service)))
    return [f for f in found if f]


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n"
                 "    description: \"konghq.com/read-timeout is 60000\"\nspec:\n  ports: [{port: 80}]\n",
                 "apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: {name: web}\nspec:\n  routes:\n"
                 "    - services: [{name: web, port: 80}]\n      timeoutPolicy: {response: infinity}\n",
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
                 "      containers: [{name: web, readinessProbe: {timeoutSeconds: 5}}]\n"],
          invalid=["apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: {name: web}\nspec:\n  routes:\n"
                   "    - services: [{name: web, port: 80}]\n      timeoutPolicy: {response: 30s}\n"
                   "      retryPolicy: {count: 2, perTryTimeout: 10s}\n",
                   "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: fn}\nspec:\n  template:\n"
                   "    spec:\n      timeoutSeconds: 120\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Timeouts and retries of other gateways' and platforms' resources.

    What it does: Contour ``HTTPProxy`` routes' ``timeoutPolicy.response`` (``phase: total``) /
    ``idle`` and ``retryPolicy.count`` (retries, + 1) / ``perTryTimeout``; Emissary-ingress
    (Ambassador) ``Mapping`` ``timeout_ms`` / ``connect_timeout_ms`` / ``idle_timeout_ms`` and
    ``retry_policy.num_retries`` / ``per_try_timeout``; Kong ``KongIngress`` ``proxy.*_timeout``
    (ms) and ``proxy.retries``, and the ``konghq.com/connect-timeout`` / ``read-timeout`` /
    ``write-timeout`` (ms) / ``retries`` annotations of a Service or an Ingress; HAProxy Ingress
    ``haproxy.org/timeout-server`` / ``timeout-connect``; Traefik ``ServersTransport``
    ``forwardingTimeouts``; GKE ``BackendConfig`` ``spec.timeoutSec`` (the load balancer's backend
    timeout); a Knative (Cloud Run) ``Service``'s ``spec.template.spec.timeoutSeconds``
    (``phase: function``); an admission webhook's ``timeoutSeconds`` (the API server's call to it). Written values only; a Helm placeholder is settled from the chart's values.

    Why it matters: the gateway cuts or repeats the call to the service behind it, whatever the
    caller's and the service's own limits.

    Example: ``retryPolicy: {count: 2}`` -> ``retry max_attempts=3``."""
    if doc.kind == "HTTPProxy" and "projectcontour.io" in (doc.api_version or ""):
        return _contour(doc, mf)
    if doc.kind == "Mapping":
        return _emissary(doc, mf)
    if doc.kind == "KongIngress":
        return _kong_ingress(doc, mf)
    if doc.kind == "ServersTransport":
        return _servers_transport(doc, mf)
    if doc.kind == "BackendConfig" and "cloud.google.com" in (doc.api_version or ""):
        return _backend_config(doc, mf)
    if doc.kind == "Service" and "serving.knative.dev" in (doc.api_version or ""):
        return _knative(doc, mf)
    if doc.kind in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration") and \
            "admissionregistration.k8s.io" in (doc.api_version or ""):
        return _admission_webhooks(doc, mf)
    if doc.kind in ("Service", "Ingress"):
        return _annotations(doc, mf)
    return []
