"""Istio DestinationRule circuit breaking and connection timeouts."""

from __future__ import annotations

import yaml

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import ManifestFile, resource_name, service_of_host
from extractors.kubernetes.manifest import Document, duration_ms, entry, get, integer, items, scalar

ID = "kubernetes.istio_destination_rule"
KINDS = ("DestinationRule",)

_DR = """apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: payment}
spec:
  host: payment
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
"""


@detector(ID, "kubernetes", ["circuit_breaker", "timeout"],
          valid=[_DR],
          invalid=[_DR + "    outlierDetection: {consecutive5xxErrors: 5}\n",
                   _DR + "    connectionPool: {tcp: {connectTimeout: 250ms}}\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Istio DestinationRule circuit breaking (``trafficPolicy.outlierDetection`` /
    ``connectionPool``) and connection timeouts.

    What it does: for the rule's traffic policy and each subset's, reports
    - ``outlierDetection`` as a ``circuit_breaker`` (``mechanism: outlier_detection``,
      ``library: istio``, ``consecutive_errors``, ``interval_ms``, ``base_ejection_time_ms``,
      ``max_ejection_percent``): hosts that keep failing are ejected from the pool;
    - ``connectionPool`` limits (``http1MaxPendingRequests``, ``http2MaxRequests``,
      ``maxRequestsPerConnection``, ``tcp.maxConnections``) as a ``circuit_breaker`` with
      ``mechanism: connection_pool``: requests beyond them fail fast with a 503;
    - ``connectionPool.tcp.connectTimeout`` (``phase: connect``) and
      ``connectionPool.http.idleTimeout`` (``phase: idle``) as timeouts.
    The target is ``spec.host`` mapped to a service (``payment.default.svc.cluster.local`` ->
    ``payment``).

    Why it matters: callers see a mesh-made 503 instead of the callee's answer; their fallback
    and retry contracts must expect it.
    """
    if doc.kind not in KINDS or not (doc.api_version or "").startswith("networking.istio.io/"):
        return []
    spec = get(doc.root, "spec")
    host = scalar(get(spec, "host"))
    service = service_of_host(host)
    target = Target(service=service) if service else None
    findings: list[Finding] = []
    policies = [(None, get(spec, "trafficPolicy"))]
    for subset in items(get(spec, "subsets")):
        policies.append((scalar(get(subset, "name")), get(subset, "trafficPolicy")))
    for subset_name, policy in policies:
        if not isinstance(policy, yaml.MappingNode):
            continue
        common = {"resource": resource_name(doc), "host": host, "subset": subset_name, "library": "istio"}
        outlier = entry(policy, "outlierDetection")
        if outlier is not None and isinstance(outlier[1], yaml.MappingNode):
            node = outlier[1]
            errors = next((v for v in (integer(get(node, k)) for k in
                                       ("consecutive5xxErrors", "consecutiveErrors", "consecutiveGatewayErrors"))
                           if v is not None), None)
            findings.append(mf.finding("circuit_breaker", outlier[0], doc, ID, dict(
                common, mechanism="outlier_detection", consecutive_errors=errors,
                interval_ms=normalise_ms(duration_ms(scalar(get(node, "interval")))),
                base_ejection_time_ms=normalise_ms(duration_ms(scalar(get(node, "baseEjectionTime")))),
                max_ejection_percent=integer(get(node, "maxEjectionPercent"))), target))
        pool = entry(policy, "connectionPool")
        if pool is not None and isinstance(pool[1], yaml.MappingNode):
            http, tcp = get(pool[1], "http"), get(pool[1], "tcp")
            limits = {
                "http1_max_pending_requests": integer(get(http, "http1MaxPendingRequests")),
                "http2_max_requests": integer(get(http, "http2MaxRequests")),
                "max_requests_per_connection": integer(get(http, "maxRequestsPerConnection")),
                "max_connections": integer(get(tcp, "maxConnections")),
            }
            if any(v is not None for v in limits.values()):
                findings.append(mf.finding("circuit_breaker", pool[0], doc, ID,
                                           dict(common, mechanism="connection_pool", **limits), target))
            for parent, key, phase in ((tcp, "connectTimeout", "connect"), (http, "idleTimeout", "idle")):
                pair = entry(parent, key)
                if pair is None:
                    continue
                ms = duration_ms(scalar(pair[1]))
                findings.append(mf.finding("timeout", pair[0], doc, ID, dict(
                    common, timeout_ms=normalise_ms(ms), phase=phase,
                    resolved_from="literal" if ms is not None else "unresolved",
                    expression=scalar(pair[1]) or ""), target,
                    confidence="high" if ms is not None else "low"))
    return findings
