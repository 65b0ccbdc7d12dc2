"""Istio VirtualService route timeouts and retries."""

from __future__ import annotations

from typing import Any

import yaml

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import ManifestFile, resource_name, service_of_host
from extractors.kubernetes.manifest import Document, duration_ms, entry, get, integer, items, scalar

ID = "kubernetes.istio_virtual_service"
KINDS = ("VirtualService",)
# Envoy's retry policy when a `retries` block gives no `retryOn`.
DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"

_VS = """apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: risk}
spec:
  hosts: [risk]
  http:
  - route:
    - destination: {host: risk.default.svc.cluster.local}
"""


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=[_VS, _VS.replace("kind: VirtualService", "kind: ConfigMap") + "    timeout: 2s\n"],
          invalid=[_VS + "    timeout: 2s\n", _VS + "    retries: {attempts: 3}\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Istio VirtualService route timeouts and retries (``spec.http[].timeout``, ``.retries``).

    What it does: for every HTTP route of a VirtualService reports
    - ``timeout`` (``phase: total``, e.g. ``timeout: 2s`` -> ``timeout_ms=2000``);
    - ``retries`` as a ``retry`` with ``max_attempts = attempts + 1`` (the first try counts),
      ``mechanism: client_config``, ``library: istio``, ``backoff: exponential`` (Envoy's 25 ms
      base with jitter), ``retry_on`` (Envoy's default list when absent) and
      ``per_try_timeout_ms``. ``attempts: 0`` is reported as ``max_attempts=1`` (retries off).
    The target is the route's destination: ``risk.default.svc.cluster.local`` -> service ``risk``;
    the match's ``uri`` (prefix/exact) becomes ``target.operation`` and its methods ``methods``.
    ``gateways`` says where the route applies (absent or ``mesh``: service-to-service calls).

    Why it matters: the mesh timeout and retries sit between a caller's code and the callee;
    they cut a call before the code's own timeout, or multiply the code's retries, and they
    retry POSTs that the callee cannot deduplicate.

    Not reported: a route with no ``timeout`` (Istio sets none) or no ``retries`` (Envoy's default
    of 2 retries only covers failures before the request reached the service); ``timeout: 0s``
    (disabled).
    """
    if doc.kind not in KINDS or not (doc.api_version or "").startswith("networking.istio.io/"):
        return []
    spec = get(doc.root, "spec")
    gateways = [scalar(g) for g in items(get(spec, "gateways")) if scalar(g)]
    hosts = [scalar(h) for h in items(get(spec, "hosts")) if scalar(h)]
    findings: list[Finding] = []
    for index, route in enumerate(items(get(spec, "http"))):
        if not isinstance(route, yaml.MappingNode):
            continue
        target, common = _route_target(route)
        common.update(resource=resource_name(doc), route_index=index, gateways=gateways or None,
                      hosts=hosts or None, mesh=not gateways or "mesh" in gateways)
        timeout = entry(route, "timeout")
        if timeout is not None:
            ms = duration_ms(scalar(timeout[1]))
            if ms is None or ms > 0:
                attrs = dict(common, timeout_ms=normalise_ms(ms), phase="total",
                             resolved_from="literal" if ms is not None else "unresolved",
                             expression=mf.source_text(timeout[1], scalar(timeout[1])))
                findings.append(mf.finding("timeout", timeout[0], doc, ID, attrs, target,
                                           confidence="high" if ms is not None else "low"))
        retries = entry(route, "retries")
        if retries is not None and isinstance(retries[1], yaml.MappingNode):
            attempts_node = get(retries[1], "attempts")
            attempts = integer(attempts_node)
            per_try = duration_ms(scalar(get(retries[1], "perTryTimeout")))
            retry_on = scalar(get(retries[1], "retryOn"))
            attrs = dict(common,
                         max_attempts=None if attempts is None else attempts + 1,
                         backoff="exponential" if attempts else "none",
                         retry_on=retry_on or DEFAULT_RETRY_ON,
                         mechanism="client_config", library="istio",
                         per_try_timeout_ms=normalise_ms(per_try))
            if attempts is None and scalar(attempts_node) is not None:
                # a Helm placeholder (`attempts: {{ .Values.retries }}`): settled from the chart's values
                attrs.update(setting="retries.attempts",
                             expression=mf.source_text(attempts_node, scalar(attempts_node)))
            findings.append(mf.finding("retry", retries[0], doc, ID, attrs, target,
                                       confidence="high" if attempts is not None else "medium"))
    return findings


def _route_target(route: yaml.Node) -> tuple[Target | None, dict[str, Any]]:
    hosts = []
    subsets = []
    for destination in items(get(route, "route")):
        dest = get(destination, "destination")
        host = scalar(get(dest, "host"))
        if host and host not in hosts:
            hosts.append(host)
        subset = scalar(get(dest, "subset"))
        if subset and subset not in subsets:
            subsets.append(subset)
    methods: list[str] = []
    uris: list[str] = []
    for match in items(get(route, "match")):
        method = get(match, "method")
        for how in ("exact", "prefix", "regex"):
            value = scalar(get(method, how))
            if value and value.upper() not in methods:
                methods.append(value.upper() if how == "exact" else value)
        uri = get(match, "uri")
        for how in ("prefix", "exact"):
            value = scalar(get(uri, how))
            if value and value not in uris:
                uris.append(value)
    service = service_of_host(hosts[0]) if hosts else None
    operation = uris[0] if uris else None
    attrs: dict[str, Any] = {
        "route": scalar(get(route, "name")),
        "destination": hosts[0] if hosts else None,
        "subsets": subsets or None,
        "methods": methods or None,
        "uris": uris or None,
    }
    target = Target(service=service, operation=operation) if (service or operation) else None
    return target, attrs
