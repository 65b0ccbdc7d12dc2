"""Dapr Resiliency: named timeout / retry / circuit-breaker policies applied to targets."""

from __future__ import annotations

import re
from typing import Any

import yaml

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import ManifestFile, resource_name, service_of_host
from extractors.kubernetes.manifest import Document, duration_ms, entry, get, integer, scalar

ID = "kubernetes.dapr_resiliency"
KINDS = ("Resiliency",)
LIBRARY = "dapr"

# Dapr's defaults for a retry policy's fields left out (docs.dapr.io, resiliency policies)
DEFAULT_DURATION_MS = 5000.0
DEFAULT_MAX_INTERVAL_MS = 60000.0
_BACKOFF = {"constant": "fixed", "exponential": "exponential"}
# `trip` is a CEL expression; the plain consecutive-failures forms give the failure threshold
_TRIP = re.compile(r"^\s*consecutiveFailures\s*(>=|>)\s*(\d+)\s*$")

_RES = """apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata: {name: res}
spec:
  policies:
    timeouts: {general: 5s}
    retries: {important: {policy: exponential, maxRetries: 3}}
"""


@detector(ID, "kubernetes", ["timeout", "retry", "circuit_breaker"],
          valid=[_RES, _RES.replace("dapr.io/v1alpha1", "example.com/v1") + "  targets:\n    apps:\n"
                 "      risk: {timeout: general}\n"],
          invalid=[_RES + "  targets:\n    apps:\n      risk: {timeout: general}\n",
                   _RES + "  targets:\n    apps:\n      risk: {retry: important}\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Dapr ``Resiliency`` (``dapr.io/*``): the policies ``spec.targets`` applies.

    What it does: ``spec.policies`` names timeouts, retries and circuit breakers; each target under
    ``spec.targets`` (``apps.<app-id>``, ``actors.<actor type>``, ``components.<name>.outbound`` /
    ``.inbound``) that refers to one is reported at the reference line (``timeout: general``):

    - ``timeout`` ``phase: total`` with the named policy's duration (or a duration written inline,
      ``timeout: 10s``);
    - ``retry`` with ``max_attempts = maxRetries + 1`` (``-1`` or absent, Dapr's default: unbounded,
      ``max_attempts: None``), ``backoff`` ``fixed`` (``policy: constant``, Dapr's default, waits
      ``duration``, 5s by default) or ``exponential`` (up to ``maxInterval``, 60s by default),
      ``retry_on`` the ``matching`` status codes, ``library: dapr``, ``mechanism: client_config``;
    - ``circuit_breaker`` (``mechanism: dapr_circuit_breaker``) with ``failure_threshold`` from a
      ``trip: consecutiveFailures > N`` expression, ``reset_timeout_ms`` (``timeout``, how long it
      stays open), ``interval_ms`` and ``max_requests`` (half-open).

    A name no policy defines gives no value (``None``), never a guess. An app target names its
    service (``target.service`` = the app id, as a mesh host names one); actors and components
    have no target service (``actor_type`` / ``component`` and ``direction`` say what they are).

    Why it matters: the Dapr sidecar cuts and resends service invocations and component calls
    whatever the calling code does; its retries multiply the code's own.

    Dapr's reserved names apply with no target (``DefaultRetryPolicy``, ``DefaultAppTimeoutPolicy``,
    ``Default<Scope>CircuitBreakerPolicy``; ``DaprBuiltInServiceRetries`` and the other overrides of
    its built-in retries): reported at the policy's own line, ``default_for`` the scope (``App``,
    ``ComponentOutbound``, ``all``), no target.

    Not reported: a policy defined but applied to no target; a ``timeout`` of ``0s``.
    """
    if doc.kind not in KINDS or not (doc.api_version or "").startswith("dapr.io/"):
        return []
    spec = get(doc.root, "spec")
    policies = get(spec, "policies")
    timeouts = _named(get(policies, "timeouts"))
    retries = _named(get(policies, "retries"))
    breakers = _named(get(policies, "circuitBreakers"))
    targets = get(spec, "targets")
    findings: list[Finding] = []
    resource = resource_name(doc)
    for group in ("apps", "actors", "components"):
        node = get(targets, group)
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            name = scalar(key)
            if not name or not isinstance(value, yaml.MappingNode):
                continue
            if group == "components":
                for direction in ("outbound", "inbound"):
                    applied = get(value, direction)
                    if isinstance(applied, yaml.MappingNode):
                        findings.extend(_applied(mf, doc, applied, None, dict(
                            resource=resource, component=name, direction=direction),
                            timeouts, retries, breakers))
                continue
            if group == "apps":
                service = service_of_host(name)
                target = Target(service=service) if service else None
                common = dict(resource=resource, destination=name)
            else:
                target, common = None, dict(resource=resource, actor_type=name)
            findings.extend(_applied(mf, doc, value, target, common, timeouts, retries, breakers))
    # reserved names Dapr applies with no target: DefaultRetryPolicy, Default<Scope>TimeoutPolicy ...,
    # and the DaprBuiltIn<X>Retries overrides of its built-in retries; reported at the policy's own line
    for section, setting, pattern in (("timeouts", "timeout", _DEFAULT_TIMEOUT), ("retries", "retry", _DEFAULT_RETRY),
                                      ("circuitBreakers", "circuitBreaker", _DEFAULT_BREAKER)):
        node = get(policies, section)
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, _value in node.value:
            m = pattern.match(scalar(key) or "")
            if not m:
                continue
            name = str(key.value)
            where = yaml.ScalarNode("tag:yaml.org,2002:str", setting, key.start_mark, key.end_mark)
            applied = yaml.MappingNode("tag:yaml.org,2002:map",
                                       [(where, yaml.ScalarNode("tag:yaml.org,2002:str", name))])
            groups = m.groups()
            scope = groups[0] if groups[0] is not None else f"builtin:{groups[1]}"
            findings.extend(_applied(mf, doc, applied, None, dict(resource=resource, default_for=scope or "all"),
                                     timeouts, retries, breakers))
    findings.sort(key=lambda f: (f.line, f.column, f.kind))
    return findings


_DEFAULT_TIMEOUT = re.compile(r"^Default(\w*)TimeoutPolicy$")
_DEFAULT_RETRY = re.compile(r"^(?:Default(\w*)RetryPolicy|DaprBuiltIn(\w+)Retries)$")
_DEFAULT_BREAKER = re.compile(r"^Default(\w*)CircuitBreakerPolicy$")


def _named(node: yaml.Node | None) -> dict[str, yaml.Node]:
    """The policies of one section by name (the last one wins, as in YAML loaders)."""
    out: dict[str, yaml.Node] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = scalar(key)
            if name:
                out[name] = value
    return out


def _applied(mf: ManifestFile, doc: Document, node: yaml.MappingNode, target: Target | None,
             common: dict[str, Any], timeouts: dict[str, yaml.Node], retries: dict[str, yaml.Node],
             breakers: dict[str, yaml.Node]) -> list[Finding]:
    found: list[Finding] = []
    pair = entry(node, "timeout")
    ref = scalar(pair[1]) if pair else None
    if pair is not None and ref:
        if ref in timeouts:
            value_node = timeouts[ref]
            text = scalar(value_node)
            ms = duration_ms(text) if text and "TEMPLATED" not in text else None
            attrs = dict(common, policy=ref, resolved_from="constant" if ms is not None else "unresolved",
                         expression=mf.source_text(value_node, text))
        else:  # a duration written inline, or a name no policy defines (no value, never a guess)
            ms = duration_ms(ref) if "TEMPLATED" not in ref else None
            attrs = dict(common, policy=None if ms is not None or "TEMPLATED" in ref else ref,
                         resolved_from="literal" if ms is not None else "unresolved",
                         expression=mf.source_text(pair[1], ref))
        if ms != 0:
            attrs.update(timeout_ms=normalise_ms(ms), phase="total", library=LIBRARY)
            found.append(mf.finding("timeout", pair[0], doc, ID, attrs, target,
                                    confidence="high" if ms is not None else "low"))
    pair = entry(node, "retry")
    ref = scalar(pair[1]) if pair else None
    if pair is not None and ref:
        policy = retries.get(ref)
        attrs = dict(common, policy=ref, mechanism="client_config", library=LIBRARY,
                     per_try_timeout_ms=None, **_retry_attrs(mf, policy))
        known = isinstance(policy, yaml.MappingNode)
        found.append(mf.finding("retry", pair[0], doc, ID, attrs, target,
                                confidence="high" if known else "low"))
    pair = entry(node, "circuitBreaker")
    ref = scalar(pair[1]) if pair else None
    if pair is not None and ref:
        policy = breakers.get(ref)
        known = isinstance(policy, yaml.MappingNode)
        trip = scalar(get(policy, "trip")) if known else None
        m = _TRIP.match(trip or "")
        threshold = (int(m.group(2)) + (1 if m.group(1) == ">" else 0)) if m else None
        attrs = dict(common, policy=ref, mechanism="dapr_circuit_breaker", library=LIBRARY,
                     failure_threshold=threshold, trip=trip,
                     reset_timeout_ms=normalise_ms(duration_ms(scalar(get(policy, "timeout"))))
                     if known else None,
                     interval_ms=normalise_ms(duration_ms(scalar(get(policy, "interval")))) if known else None,
                     max_requests=integer(get(policy, "maxRequests")) if known else None)
        found.append(mf.finding("circuit_breaker", pair[0], doc, ID, attrs, target,
                                confidence="high" if known else "low"))
    return found


def _retry_attrs(mf: ManifestFile, policy: yaml.Node | None) -> dict[str, Any]:
    """max_attempts (maxRetries + 1; -1 or absent: unbounded), backoff and its waits, retry_on."""
    if not isinstance(policy, yaml.MappingNode):
        return {"max_attempts": None, "backoff": None, "retry_on": None, "resolved_from": "unresolved"}
    count_node = get(policy, "maxRetries")
    count = integer(count_node)
    kind = (scalar(get(policy, "policy")) or "constant").strip().lower()
    backoff = _BACKOFF.get(kind)
    attrs: dict[str, Any] = {
        "max_attempts": count + 1 if count is not None and count >= 0 else None,
        "backoff": "none" if count == 0 else backoff,
        "resolved_from": "constant" if count is not None or count_node is None else "unresolved",
    }
    if count is None and scalar(count_node) is not None:
        # a placeholder or an odd value: unknown, not unbounded; (round 12) a Helm placeholder is
        # settled from the chart's values.yaml as retries after the first try (the extractor's
        # _with_helm_value reads `setting`)
        attrs["expression"] = mf.source_text(count_node, scalar(count_node))
        attrs["setting"] = "maxRetries"
    if kind == "constant":
        duration = scalar(get(policy, "duration"))
        attrs["backoff_ms"] = normalise_ms(duration_ms(duration) if duration is not None else DEFAULT_DURATION_MS)
    elif kind == "exponential":
        interval = scalar(get(policy, "maxInterval"))
        attrs["max_backoff_ms"] = normalise_ms(
            duration_ms(interval) if interval is not None else DEFAULT_MAX_INTERVAL_MS)
    matching = get(policy, "matching")
    codes = [c for c in (scalar(get(matching, "httpStatusCodes")), scalar(get(matching, "gRPCStatusCodes")))
             if c]
    attrs["retry_on"] = ",".join(codes) if codes else "error"
    return attrs
