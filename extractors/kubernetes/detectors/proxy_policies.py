"""Timeouts and retries of other proxies' custom resources: Envoy Gateway BackendTrafficPolicy,
Traefik Middleware, Linkerd ServiceProfile."""

from __future__ import annotations

from typing import Any

import yaml

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import ManifestFile, resource_name
from extractors.kubernetes.manifest import Document, duration_ms, entry, get, integer, items, scalar

ID = "kubernetes.proxy_policies"
KINDS = ("BackendTrafficPolicy", "Middleware", "ServiceProfile")


def _timeout(mf: ManifestFile, doc: Document, node: yaml.Node | None, phase: str, setting: str,
             extra: dict[str, Any] | None = None, target: Target | None = None) -> Finding | None:
    text = scalar(node)
    if node is None or text is None:
        return None
    ms = duration_ms(text) if "TEMPLATED" not in text else None
    if ms == 0:
        return None  # 0s: no timeout
    attrs: dict[str, Any] = {"timeout_ms": normalise_ms(ms), "phase": phase,
                             "resolved_from": "literal" if ms is not None else "unresolved",
                             "expression": mf.source_text(node, text), "setting": setting,
                             "resource": resource_name(doc), **(extra or {})}
    return mf.finding("timeout", node, doc, ID, attrs, target=target,
                      confidence="high" if ms is not None else "low")


def _retry(mf: ManifestFile, doc: Document, node: yaml.Node, attempts: int | None, library: str, setting: str,
           extra: dict[str, Any] | None = None, target: Target | None = None) -> Finding:
    attrs: dict[str, Any] = {"max_attempts": attempts, "backoff": "exponential", "retry_on": "error",
                             "mechanism": "client_config", "library": library, "setting": setting,
                             "resource": resource_name(doc), "expression": mf.source_text(node, scalar(node)),
                             **(extra or {})}
    return mf.finding("retry", node, doc, ID, attrs, target=target,
                      confidence="high" if attempts is not None else "medium")


def _envoy_gateway(doc: Document, mf: ManifestFile) -> list[Finding]:
    spec = get(doc.root, "spec")
    refs = items(get(spec, "targetRefs")) or ([get(spec, "targetRef")] if get(spec, "targetRef") else [])
    extra = {"target_refs": [f"{scalar(get(r, 'kind'))}/{scalar(get(r, 'name'))}" for r in refs] or None}
    found = []
    timeout = get(spec, "timeout")
    for node, phase, setting in ((get(get(timeout, "http"), "requestTimeout"), "total", "timeout.http.requestTimeout"),
                                 (get(get(timeout, "tcp"), "connectTimeout"), "connect", "timeout.tcp.connectTimeout")):
        finding = _timeout(mf, doc, node, phase, setting, extra)
        if finding:
            found.append(finding)
    retry_entry = entry(spec, "retry")
    retry = retry_entry[1] if retry_entry else None
    if retry is not None:
        retries = get(retry, "numRetries")
        count = integer(retries)
        where = retries if retries is not None else retry_entry[0]
        # Envoy Gateway's default is 2 retries when a retry block gives no numRetries
        attempts = (count + 1) if count is not None else (3 if retries is None else None)
        found.append(_retry(mf, doc, where, attempts, "envoy_gateway", "retry.numRetries", extra))
        per_try = _timeout(mf, doc, get(get(retry, "perRetry"), "timeout"), "per_try", "retry.perRetry.timeout",
                           extra)
        if per_try:
            found.append(per_try)
    return found


def _traefik(doc: Document, mf: ManifestFile) -> list[Finding]:
    retry = get(get(doc.root, "spec"), "retry")
    node = get(retry, "attempts")
    if node is None:
        return []
    # Traefik tries `attempts` times in all (its loop counts the first try)
    return [_retry(mf, doc, node, integer(node), "traefik", "retry.attempts",
                   {"backoff": "exponential" if get(retry, "initialInterval") is not None else "none"})]


def _linkerd(doc: Document, mf: ManifestFile) -> list[Finding]:
    spec = get(doc.root, "spec")
    service = (doc.name or "").split(".")[0] or None
    target = Target(url=None, service=service, operation=None) if service else None
    budget = get(spec, "retryBudget") is not None
    found = []
    for route in items(get(spec, "routes")):
        condition = get(route, "condition")
        extra = {"route": scalar(get(route, "name")), "methods": [scalar(get(condition, "method"))]
                 if scalar(get(condition, "method")) else None, "path_regex": scalar(get(condition, "pathRegex"))}
        finding = _timeout(mf, doc, get(route, "timeout"), "total", "timeout", extra, target)
        if finding:
            found.append(finding)
        retryable = get(route, "isRetryable")
        if scalar(retryable) in ("true", "True"):
            # retries bounded by the profile's retry budget (a ratio of the traffic), not a count
            found.append(_retry(mf, doc, retryable, None, "linkerd", "isRetryable",
                                {**extra, "retry_budget": budget}, target))
    return found


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata: {name: strip}\n"
                 "spec:\n  stripPrefix: {prefixes: [/api]}\n",
                 "apiVersion: example.com/v1\nkind: Middleware\nmetadata: {name: m}\nspec:\n  retry: {attempts: 3}\n"],
          invalid=["apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata: {name: retry}\n"
                   "spec:\n  retry: {attempts: 3}\n",
                   "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata: {name: p}\n"
                   "spec:\n  timeout:\n    http: {requestTimeout: 10s}\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Timeouts and retries of Envoy Gateway, Traefik and Linkerd custom resources.

    What it does:

    - Envoy Gateway ``BackendTrafficPolicy`` (``gateway.envoyproxy.io``): ``timeout.http.requestTimeout``
      (``phase: total``), ``timeout.tcp.connectTimeout`` (``phase: connect``), ``retry.numRetries``
      (``max_attempts = n + 1``; a ``retry`` block without it: Envoy Gateway's 2 retries) and
      ``retry.perRetry.timeout`` (``phase: per_try``); ``target_refs`` names what it is attached to.
    - Traefik ``Middleware`` (``traefik.io`` / ``traefik.containo.us``): ``retry.attempts`` is a
      ``retry`` with ``max_attempts = attempts`` (Traefik counts the first try among the attempts).
    - Linkerd ``ServiceProfile`` (``linkerd.io``): each route's ``timeout`` (``phase: total``) and
      ``isRetryable: true`` (a ``retry`` with ``max_attempts: None``: retries are bounded by the
      profile's ``retryBudget``, a share of the traffic, not a count). The target is the service the
      profile is named after (``risk.default.svc.cluster.local`` -> ``risk``).

    Why it matters: like an Istio VirtualService, these proxies cut calls at their timeouts and
    resend failed requests, whatever the calling code does.
    """
    group = (doc.api_version or "").split("/")[0]
    if doc.kind == "BackendTrafficPolicy" and group == "gateway.envoyproxy.io":
        return _envoy_gateway(doc, mf)
    if doc.kind == "Middleware" and group in ("traefik.io", "traefik.containo.us"):
        return _traefik(doc, mf)
    if doc.kind == "ServiceProfile" and group == "linkerd.io":
        return _linkerd(doc, mf)
    return []
