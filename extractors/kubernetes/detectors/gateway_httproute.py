"""Gateway API HTTPRoute timeouts and retries."""

from __future__ import annotations

from typing import Any

import yaml

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import ManifestFile, resource_name, service_of_host
from extractors.kubernetes.manifest import Document, duration_ms, entry, get, integer, items, scalar

ID = "kubernetes.gateway_httproute"
KINDS = ("HTTPRoute",)
IMPLEMENTATION_DEFAULT = "implementation-default"

_ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: risk}
spec:
  parentRefs: [{group: "", kind: Service, name: risk}]
  rules:
  - backendRefs: [{name: risk, port: 8080}]
"""


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=[_ROUTE, _ROUTE.replace("gateway.networking.k8s.io", "example.com") + "    timeouts: {request: 2s}\n"],
          invalid=[_ROUTE + "    timeouts: {request: 2s}\n", _ROUTE + "    retry: {attempts: 2}\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Gateway API HTTPRoute timeouts and retries (``spec.rules[].timeouts``, ``.retry``).

    What it does: for every rule of an HTTPRoute reports ``timeouts.request`` (``phase: total``)
    and ``timeouts.backendRequest`` (``phase: per_try``) as timeouts, and ``retry.attempts`` as a
    ``retry`` with ``max_attempts = attempts + 1``, ``mechanism: client_config``,
    ``library: gateway_api``, ``retry_on`` (the ``codes`` list, or ``implementation-default``).
    The target is the first ``backendRefs`` Service; the matches' ``path.value`` becomes
    ``target.operation`` and their ``method`` ``methods``. ``mesh`` is true when a ``parentRefs``
    entry is a Service (GAMMA, service-to-service routing), false for a route on a Gateway.

    Why it matters: like an Istio VirtualService, the route's limits sit between the caller's
    code and the service: they cut calls short or multiply the code's retries.
    """
    if doc.kind not in KINDS or not (doc.api_version or "").startswith("gateway.networking.k8s.io/"):
        return []
    spec = get(doc.root, "spec")
    parents = items(get(spec, "parentRefs"))
    mesh = any(scalar(get(p, "kind")) == "Service" for p in parents)
    gateways = [scalar(get(p, "name")) for p in parents if scalar(get(p, "kind")) in (None, "Gateway")]
    findings: list[Finding] = []
    for index, rule in enumerate(items(get(spec, "rules"))):
        if not isinstance(rule, yaml.MappingNode):
            continue
        target, common = _rule_target(rule)
        common.update(resource=resource_name(doc), route_index=index, mesh=mesh,
                      gateways=[g for g in gateways if g] or None)
        timeouts = get(rule, "timeouts")
        for key, phase in (("request", "total"), ("backendRequest", "per_try")):
            pair = entry(timeouts, key)
            if pair is None:
                continue
            ms = duration_ms(scalar(pair[1]))
            if ms == 0:
                continue  # 0s disables the timeout
            findings.append(mf.finding("timeout", pair[0], doc, ID, dict(
                common, timeout_ms=normalise_ms(ms), phase=phase,
                resolved_from="literal" if ms is not None else "unresolved",
                expression=mf.source_text(pair[1], scalar(pair[1]))), target,
                confidence="high" if ms is not None else "low"))
        retry = entry(rule, "retry")
        if retry is not None and isinstance(retry[1], yaml.MappingNode):
            attempts = integer(get(retry[1], "attempts"))
            codes = [scalar(c) for c in items(get(retry[1], "codes")) if scalar(c)]
            findings.append(mf.finding("retry", retry[0], doc, ID, dict(
                common, max_attempts=None if attempts is None else attempts + 1,
                backoff=None if attempts else "none",
                retry_on=",".join(codes) if codes else IMPLEMENTATION_DEFAULT,
                mechanism="client_config", library="gateway_api",
                per_try_timeout_ms=None), target,
                confidence="high" if attempts is not None else "medium"))
    return findings


def _rule_target(rule: yaml.Node) -> tuple[Target | None, dict[str, Any]]:
    backends = []
    for ref in items(get(rule, "backendRefs")):
        kind = scalar(get(ref, "kind")) or "Service"
        name = scalar(get(ref, "name"))
        if kind == "Service" and name and name not in backends:
            backends.append(name)
    methods: list[str] = []
    uris: list[str] = []
    for match in items(get(rule, "matches")):
        method = scalar(get(match, "method"))
        if method and method.upper() not in methods:
            methods.append(method.upper())
        path = scalar(get(get(match, "path"), "value"))
        if path and path not in uris:
            uris.append(path)
    service = service_of_host(backends[0]) if backends else None
    attrs: dict[str, Any] = {"route": None, "destination": backends[0] if backends else None,
                             "methods": methods or None, "uris": uris or None}
    target = Target(service=service, operation=uris[0] if uris else None) if (service or uris) else None
    return target, attrs
