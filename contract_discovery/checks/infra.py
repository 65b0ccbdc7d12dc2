"""Checks that only infrastructure makes possible: Terraform and service-mesh settings joined with
each other and with the code's own timeouts and retries.

Input is the resolved findings of a scan (any services); ``infra_checks`` returns one
``CheckResult`` per conflict. Terraform pieces are joined by their address (``resource``
attribute, e.g. ``aws_lambda_function.risk``) within one module, i.e. one directory; mesh
routes are joined to code by the destination service (``target.service``).

Rules (ids are stable; see ``RULES``):

- ``infra-sqs-visibility-timeout``: an SQS queue feeding a Lambda (event source mapping) must
  hide a received message for at least six times the function's timeout (AWS's guidance, plus
  the batching window) — WARNING; shorter than the function's timeout itself — BLOCKS_INTEGRATION:
  AWS refuses to create such a mapping ("Queue visibility timeout ... is less than Function
  timeout"), and were it allowed, a message still being processed would be handed out again.
- ``infra-lambda-apigw-timeout``: a Lambda behind API Gateway allowed to run longer than the
  integration waits: the client gets a 504 while the function goes on (and may still commit).
- ``infra-mesh-retry-non-idempotent``: the mesh retries a POST/PATCH route after the request may
  have reached the service (retryOn 5xx, reset, ...) and the service shows no idempotency key.
- ``infra-mesh-timeout-mismatch``: a caller's code waits longer than the mesh route lets the call
  live (the mesh answers 504 first; the code's timeout handling never runs) — WARNING; or the
  code gives up first, so the mesh timeout never fires for that caller — INFO.
- ``infra-retry-layers``: the caller's code retries and the mesh retries the same route: the
  attempts multiply (code attempts x mesh attempts requests per call).
"""

from __future__ import annotations

import hashlib
import posixpath
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from contract_discovery.checks.base import possessive
from contract_discovery.model import CheckResult, Finding, Location

RULES: dict[str, tuple[str, str, str]] = {
    "infra-sqs-visibility-timeout": (
        "SQS visibility timeout too short for the consuming Lambda",
        "WARNING",
        "A message still being processed when its visibility timeout ends is delivered again; AWS "
        "asks for at least 6x the function timeout (BLOCKS_INTEGRATION when shorter than the timeout "
        "itself: AWS rejects the mapping).",
    ),
    "infra-lambda-apigw-timeout": (
        "Lambda may run longer than API Gateway waits",
        "BLOCKS_INTEGRATION",
        "The client gets a 504 at the integration timeout while the function runs on and may still "
        "commit its work, so the caller retries work that succeeded.",
    ),
    "infra-mesh-retry-non-idempotent": (
        "Mesh retries a non-idempotent route",
        "WARNING",
        "A POST retried by the mesh after it reached the service runs twice unless the service "
        "dedupes it by an idempotency key.",
    ),
    "infra-mesh-timeout-mismatch": (
        "Mesh timeout and code timeout disagree",
        "WARNING",
        "When the mesh cuts a call before the caller's own timeout, the caller sees a mesh 504 "
        "instead of its timeout and its timeout handling never runs (INFO when the code gives up first).",
    ),
    "infra-retry-layers": (
        "Retries at two layers multiply",
        "WARNING",
        "Code retries times mesh retries is the number of requests one call can make; under load "
        "this multiplies traffic on a struggling service.",
    ),
}

_CODE_EXCLUDED = {"terraform", "kubernetes", "cloudformation"}
# Cloud resources joined by address within one folder: Terraform, and CloudFormation / SAM /
# Serverless Framework templates (extractors/cloudformation), whose findings share the shape.
_RESOURCE_LANGUAGES = {"terraform", "cloudformation"}
_API_DETECTORS = {"terraform.api_gateway", "cloudformation.api_gateway"}


def _setting(f: Finding, terraform: str) -> str:
    """How the user writes a setting: Terraform's name, else the template's own (``setting``)."""
    return terraform if f.language == "terraform" else str(f.attributes.get("setting") or terraform)
# Retry conditions under which the request never reached the service: safe for any method.
_SAFE_RETRY_ON = {"connect-failure", "refused-stream", "reset-before-request", "envoy-ratelimited"}
_NON_IDEMPOTENT = {"POST", "PATCH"}
_MESH_ROUTE_DETECTORS = {"kubernetes.istio_virtual_service", "kubernetes.gateway_httproute"}


def infra_checks(findings: Sequence[Finding], declared_keys: Mapping[str, str] | None = None) -> list[CheckResult]:
    """Run every infrastructure rule over resolved findings; results sorted, deterministic.
    ``declared_keys``: service -> the idempotency key its contract declares (named in a warning
    whose code shows no key: the declaration alone does not silence it)."""
    index = _Index(findings)
    index.declared_keys = dict(declared_keys or {})
    results: list[CheckResult] = []
    results += _sqs_visibility(index)
    results += _lambda_behind_api_gateway(index)
    results += _mesh_retry_non_idempotent(index)
    results += _mesh_timeout_mismatch(index)
    results += _retry_layers(index)
    return sorted(results, key=lambda r: (r.rule, [(loc.path, loc.line or 0) for loc in r.locations]))


# ---------------------------------------------------------------- indexing


def _module(finding: Finding) -> str:
    return posixpath.dirname(finding.path)


class _Index:
    def __init__(self, findings: Iterable[Finding]) -> None:
        self.all = list(findings)
        self.declared_keys: dict[str, str] = {}
        self.terraform = [f for f in self.all if f.language in _RESOURCE_LANGUAGES]
        # Routes that apply to service-to-service calls (not only to an ingress gateway).
        self.mesh = [f for f in self.all if f.detector in _MESH_ROUTE_DETECTORS
                     and f.attributes.get("mesh", True)]
        self.code = [f for f in self.all if f.language not in _CODE_EXCLUDED]
        self.by_resource: dict[tuple[str, str, str], Finding] = {}
        for f in self.terraform:
            resource = f.attributes.get("resource")
            if f.kind == "timeout" and resource:
                self.by_resource.setdefault((_module(f), str(resource), str(f.attributes.get("phase"))), f)

    def terraform_timeout(self, near: Finding, resource: str | None, phase: str) -> Finding | None:
        if not resource:
            return None
        return self.by_resource.get((_module(near), resource, phase))

    def lambda_by_name(self, near: Finding, name: str | None) -> Finding | None:
        if not name:
            return None
        candidates = [f for f in self.terraform if f.kind == "timeout" and f.attributes.get("phase") == "function"
                      and f.attributes.get("function_name") == name]
        same_module = [f for f in candidates if _module(f) == _module(near)]
        chosen = same_module or candidates
        return chosen[0] if len(chosen) == 1 else None

    def idempotency_keys(self, service: str) -> list[Finding]:
        return [f for f in self.all if f.kind == "idempotency_key" and f.service == service]


# ---------------------------------------------------------------- helpers


def fmt_ms(ms: float | int) -> str:
    """200 -> "200ms", 29000 -> "29s", 1500 -> "1.5s", 90000 -> "90s"."""
    if ms >= 1000:
        seconds = ms / 1000
        return f"{seconds:g}s"
    return f"{ms:g}ms"


def _loc(f: Finding) -> Location:
    return Location(f.path, f.line)


def _fingerprint(rule: str, *parts: object) -> str:
    """Stable across line moves: built from the rule and the names of both sides, not positions."""
    text = "|".join([rule, *(str(p) for p in parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _ms(f: Finding | None) -> float | None:
    if f is None:
        return None
    value = f.attributes.get("timeout_ms")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _attempts(f: Finding) -> int | None:
    value = f.attributes.get("max_attempts")
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _result(rule: str, status: str, consumer: str | None, provider: str | None, expected: str, actual: str,
            action: str, locations: Sequence[Finding], key: Sequence[object], **details: object) -> CheckResult:
    return CheckResult(rule=rule, status=status, title=RULES[rule][0], consumer=consumer, provider=provider,
                       expected=expected, actual=actual, action=action,
                       locations=tuple(_loc(f) for f in locations),
                       details={k: v for k, v in details.items() if v is not None},
                       fingerprint=_fingerprint(rule, *key))


def _side(f: Finding) -> str:
    """How a Terraform side is named in a result: its address (the service goes to details)."""
    return str(f.attributes.get("resource") or f.path)


# ---------------------------------------------------------------- rules


def _sqs_visibility(index: _Index) -> list[CheckResult]:
    rule = "infra-sqs-visibility-timeout"
    results = []
    for mapping in index.terraform:
        attrs = mapping.attributes
        if mapping.kind != "outbound_call" or attrs.get("method") != "event_source_mapping" \
                or attrs.get("source_kind") != "sqs":
            continue
        queue = index.terraform_timeout(mapping, attrs.get("source"), "visibility")
        function = index.terraform_timeout(mapping, attrs.get("function"), "function") \
            or index.lambda_by_name(mapping, attrs.get("function_name"))
        visibility, runtime = _ms(queue), _ms(function)
        if queue is None or function is None or visibility is None or runtime is None:
            continue
        window = attrs.get("batching_window_ms") or 0
        needed = 6 * runtime + window
        if visibility >= needed:
            continue
        window_note = f" + {fmt_ms(window)} batching window" if window else ""
        expected = (f"visibility timeout >= {fmt_ms(needed)} "
                    f"(6 x the function's {fmt_ms(runtime)} timeout{window_note})")
        if visibility < runtime:
            status = "BLOCKS_INTEGRATION"
            actual = (f"visibility timeout = {fmt_ms(visibility)}, less than the function's {fmt_ms(runtime)} "
                      f"timeout: AWS rejects the event source mapping, and a message still in work would be "
                      f"delivered again")
        else:
            status = "WARNING"
            actual = f"visibility timeout = {fmt_ms(visibility)}"
        action = (f"Raise {_setting(queue, 'visibility_timeout_seconds')} of {_side(queue)} to at least "
                  f"{needed / 1000:g}, or lower the timeout of {_side(function)}")
        results.append(_result(rule, status, _side(function), _side(queue), expected, actual, action,
                               [queue, function, mapping], [_module(mapping), _side(queue), _side(function)],
                               service=mapping.service, visibility_timeout_ms=visibility,
                               function_timeout_ms=runtime, required_ms=needed))
    return results


def _lambda_behind_api_gateway(index: _Index) -> list[CheckResult]:
    rule = "infra-lambda-apigw-timeout"
    results = []
    for integration in index.terraform:
        attrs = integration.attributes
        if integration.kind != "timeout" or integration.detector not in _API_DETECTORS:
            continue
        function = index.terraform_timeout(integration, attrs.get("integration_target"), "function")
        waits, runtime = _ms(integration), _ms(function)
        if function is None or waits is None or runtime is None or runtime <= waits:
            continue
        default_note = " (the default)" if attrs.get("resolved_from") == "library_default" else ""
        expected = f"an answer within {fmt_ms(waits)}{default_note}"
        actual = f"timeout = {fmt_ms(runtime)}"
        action = (f"Lower the timeout of {_side(function)} below {fmt_ms(waits)} (move longer work to an "
                  f"asynchronous path), or raise {_setting(integration, 'timeout_milliseconds')} of "
                  f"{_side(integration)} if the API allows it")
        results.append(_result(rule, "BLOCKS_INTEGRATION", _side(integration), _side(function), expected, actual,
                               action, [integration, function],
                               [_module(integration), _side(integration), _side(function)],
                               service=integration.service, integration_timeout_ms=waits,
                               function_timeout_ms=runtime,
                               impact="the client gets a 504 while the function runs on and may still commit"))
    return results


def _unsafe_retry_on(retry_on: str | None) -> list[str]:
    conditions = [c.strip() for c in (retry_on or "").split(",") if c.strip()]
    return [c for c in conditions if c not in _SAFE_RETRY_ON]


def _route_name(f: Finding) -> str:
    methods = f.attributes.get("methods") or []
    operation = f.target.operation if f.target and f.target.operation else None
    method = "/".join(m for m in methods if m in _NON_IDEMPOTENT) or "/".join(methods)
    return " ".join(p for p in (method, operation) if p) or str(f.attributes.get("route") or "route")


def _mesh_retry_non_idempotent(index: _Index) -> list[CheckResult]:
    rule = "infra-mesh-retry-non-idempotent"
    results = []
    for retry in index.mesh:
        if retry.kind != "retry":
            continue
        attempts = _attempts(retry)
        methods = {str(m).upper() for m in (retry.attributes.get("methods") or [])}
        service = retry.target.service if retry.target else None
        unsafe = _unsafe_retry_on(retry.attributes.get("retry_on"))
        if attempts is None or attempts <= 1 or not (methods & _NON_IDEMPOTENT) or not service or not unsafe:
            continue
        if index.idempotency_keys(service):
            continue
        route = _route_name(retry)
        expected = f"an idempotency key in {service} for {route}, which the mesh retries on {','.join(unsafe)}"
        actual = (f"no idempotency key found ({retry.attributes.get('resource')} "
                  f"retries {route} up to {attempts - 1} times)")
        action = (f"Limit retryOn of this route to connect-failure,refused-stream (or set attempts: 0), "
                  f"or make {service} accept an idempotency key for {route}")
        declared = index.declared_keys.get(service)
        if declared:
            # the contract says the service dedupes, its code shows no key being read: still a warning
            actual = (f"{possessive(service)} contract declares {declared}, but no code reading it was found "
                      f"({retry.attributes.get('resource')} retries {route} up to {attempts - 1} times)")
            action = (f"Confirm that {service} dedupes {route} by {declared} (then suppress this result), or limit "
                      f"retryOn of this route to connect-failure,refused-stream (or set attempts: 0)")
        results.append(_result(rule, "WARNING", "istio", service, expected, actual, action, [retry],
                               [retry.attributes.get("resource"), route, service],
                               manifest_service=retry.service,
                               retry_on=",".join(unsafe), max_attempts=attempts))
    return results


def _path_of(f: Finding) -> str | None:
    """The URL path a finding's call goes to: its target's URL, else (a base URL on the client, the
    path on the call: Faraday's ``conn.get("/x")``) the call's own relative URL or operation."""
    url = f.target.url if f.target else None
    path = None
    if url:
        try:
            path = urlsplit(url if "://" in url else "http://" + url).path
        except ValueError:
            path = None
    if path and path != "/":
        return path
    for relative in (f.attributes.get("url"), f.target.operation if f.target else None):
        if isinstance(relative, str) and relative.startswith("/"):
            return relative.split("?", 1)[0]
    return None


def _calls_of(index: _Index, code: Finding) -> list[tuple[str | None, str | None]] | None:
    """The (path, method) of the calls a code timeout or retry bounds: its own URL's, else (a
    client configured apart from its calls) those of the file's calls to the same service.
    None when one of them is unknown: any route may carry it."""
    path = _path_of(code)
    if path:
        method = code.attributes.get("method") or next(
            (f.attributes.get("method") for f in index.code
             if f.kind == "outbound_call" and f.path == code.path and f.line == code.line and f.attributes.get("method")),
            None)  # a timeout holds no method: the call it bounds, on its line, does (`fetch(url, {signal})` is a GET)
        return [(path, str(method or "").upper() or None)]
    service = code.target.service if code.target else None
    calls = [f for f in index.code if f.kind == "outbound_call" and f.path == code.path
             and f.target and f.target.service == service]
    out = []
    for call in calls:
        call_path = _path_of(call)
        if not call_path:
            return None
        out.append((call_path, str(call.attributes.get("method") or "").upper() or None))
    return out or None


def _routes_for(index: _Index, kind: str, service: str, calls: list[tuple[str | None, str | None]] | None) -> list[Finding]:
    """Mesh findings of ``kind`` for routes to ``service`` that can carry one of ``calls``
    ((path, method) pairs; None: calls not known, any route may carry them)."""
    found = []
    for f in index.mesh:
        if f.kind != kind or not f.target or f.target.service != service:
            continue
        uris = f.attributes.get("uris") or []
        methods = [m for m in (f.attributes.get("methods") or []) if str(m).isalpha()]
        if calls is not None and not any(
                (not path or not uris or any(path.startswith(u) for u in uris))
                and (not method or not methods or method in methods) for path, method in calls):
            continue
        found.append(f)
    return found


def _mesh_timeout_mismatch(index: _Index) -> list[CheckResult]:
    rule = "infra-mesh-timeout-mismatch"
    results = []
    # Every timeout the caller sets on its calls to one destination (a client's 3s and a context
    # deadline of 800ms on each call) bounds the same wait: the shortest one is what the code waits.
    groups: dict[tuple, list] = {}
    for code in index.code:
        service = code.target.service if code.target else None
        if code.kind != "timeout" or not service or _ms(code) is None or service == code.service:
            continue
        if code.attributes.get("phase") in ("connect", "idle", "write"):
            continue
        groups.setdefault((code.service or code.path, service, _path_of(code)), []).append(code)
    for (_, service, _), codes in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1], str(kv[0][2]))):
        code = min(codes, key=lambda c: (_ms(c), c.path, c.line))
        waits = _ms(code)
        routes = [r for r in _routes_for(index, "timeout", service, _calls_of(index, code)) if _ms(r) is not None]
        if not routes:
            continue
        tighter = [r for r in routes if _ms(r) < waits]  # type: ignore[operator]
        caller = code.service or code.path
        if tighter:
            mesh = min(tighter, key=lambda r: (_ms(r), r.path, r.line))
            expected = f"to wait up to {fmt_ms(waits)} for {service}"
            actual = f"the mesh ends the call after {fmt_ms(_ms(mesh))} ({mesh.attributes.get('resource')}, {_route_name(mesh)})"
            action = (f"Align the two: raise the route timeout above {fmt_ms(waits)} or lower {caller}'s timeout "
                      f"below {fmt_ms(_ms(mesh))}, and handle the mesh's 504 like a timeout")
            results.append(_result(rule, "WARNING", caller, service, expected, actual, action, [code, mesh],
                                   [caller, service, mesh.attributes.get("resource"), _route_name(mesh), "mesh-first"],
                                   code_timeout_ms=waits, mesh_timeout_ms=_ms(mesh)))
        elif all(_ms(r) > waits for r in routes):  # type: ignore[operator]
            mesh = min(routes, key=lambda r: (_ms(r), r.path, r.line))
            expected = f"to give up on {service} after {fmt_ms(waits)}"
            actual = (f"a mesh route timeout of {fmt_ms(_ms(mesh))} ({mesh.attributes.get('resource')}, "
                      f"{_route_name(mesh)}) that never fires for {caller}")
            action = f"Nothing breaks; lower the route timeout to {fmt_ms(waits)} or document which layer owns it"
            results.append(_result(rule, "INFO", caller, service, expected, actual, action, [code, mesh],
                                   [caller, service, mesh.attributes.get("resource"), _route_name(mesh), "code-first"],
                                   code_timeout_ms=waits, mesh_timeout_ms=_ms(mesh)))
    return results


def _retry_layers(index: _Index) -> list[CheckResult]:
    rule = "infra-retry-layers"
    results = []
    for code in index.code:
        service = code.target.service if code.target else None
        attempts = _attempts(code) if code.kind == "retry" else None
        if not service or attempts is None or attempts <= 1 or service == code.service:
            continue
        routes = [r for r in _routes_for(index, "retry", service, _calls_of(index, code)) if (_attempts(r) or 0) > 1]
        if not routes:
            continue
        mesh = max(routes, key=lambda r: (_attempts(r), r.path, -r.line))
        mesh_attempts = _attempts(mesh) or 1
        caller = code.service or code.path
        total = attempts * mesh_attempts
        expected = f"{attempts} attempts per call (its own retries, at one layer)"
        actual = (f"mesh retries on top, {mesh_attempts} attempts each ({mesh.attributes.get('resource')}, "
                  f"{_route_name(mesh)}): up to {total} requests per call")
        action = f"Keep one retry layer: remove the code's retries or set the route's retries.attempts to 0"
        results.append(_result(rule, "WARNING", caller, service, expected, actual, action, [code, mesh],
                               [caller, service, mesh.attributes.get("resource"), _route_name(mesh)],
                               code_attempts=attempts, mesh_attempts=mesh_attempts, total_attempts=total))
    return results


__all__ = ["RULES", "infra_checks", "fmt_ms"]
