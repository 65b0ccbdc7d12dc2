"""``AddStandardResilienceHandler`` (Microsoft.Extensions.Http.Resilience): its timeouts, retry and breaker.

What it does: reports the handler's settings, from its options lambda (``o.AttemptTimeout.Timeout``,
``o.TotalRequestTimeout.Timeout``, ``o.Retry.MaxRetryAttempts``, ``o.Retry.BackoffType``,
``o.CircuitBreaker.BreakDuration``...), or a chained ``.Configure(o => ...)``, and the library
defaults for whatever is not set (``resolved_from: library_default``): 10 s per attempt, 30 s in
total, 3 retries (4 attempts) with exponential backoff, a breaker at a 10 % failure ratio
breaking for 5 s. Options bound from configuration (``AddStandardResilienceHandler(section)``)
are not read.

Why it matters: the handler retries and times out even when the code shows no number; a
caller with a 500 ms budget behind a 30 s total timeout waits far longer than it thinks.

Example: ``.AddStandardResilienceHandler(o => o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2))``
-> timeout 2000 ms per_try, plus the defaults for the rest.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.csharp.detectors.http_client import client_url, registration_chain
from extractors.treesitter import Node, ancestors, text, walk

ID = "csharp.standard_resilience"
LIBRARY = "Microsoft.Extensions.Http.Resilience"
DEFAULTS = {"AttemptTimeout": 10000, "TotalRequestTimeout": 30000}
PHASES = {"AttemptTimeout": "per_try", "TotalRequestTimeout": "total"}


# the handler's own options, read here (timeout_option and polly leave them alone)
OWN_OPTIONS = ("AttemptTimeout", "TotalRequestTimeout", "Retry", "CircuitBreaker")


def owned_setting(node: Node) -> bool:
    """``o.AttemptTimeout.Timeout = ...``, ``cfg.TotalRequestTimeout = new HttpTimeoutStrategyOptions {
    Timeout = ... }``, ``cfg.Retry = new HttpRetryStrategyOptions {...}`` (or a node inside one) in an
    ``AddStandardResilienceHandler`` options lambda (or its ``.Configure(...)``): this detector's."""
    for current in (node, *ancestors(node)):
        if current.type == "assignment_expression":
            left = current.child_by_field_name("left")
            parts = text(left).split(".") if left is not None else []
            if len(parts) >= 2 and (parts[1] in OWN_OPTIONS) and _in_handler_lambda(current):
                return True
        if current.type in ("lambda_expression", "method_declaration", "local_function_statement"):
            return False
    return False


def _in_handler_lambda(node: Node) -> bool:
    lam = next((a for a in ancestors(node) if a.type == "lambda_expression"), None)
    call = next((a for a in ancestors(lam) if a.type == "invocation_expression"), None) if lam is not None else None
    if call is None:
        return False
    inv = syntax.invocation(call)
    if inv.name == "AddStandardResilienceHandler":
        return True
    if inv.name == "Configure":
        receiver = syntax.unwrap(inv.receiver)
        return receiver is not None and receiver.type == "invocation_expression" and \
            syntax.invocation(receiver).name == "AddStandardResilienceHandler"
    return False


def _option_lambdas(inv: syntax.Invocation) -> list[Node]:
    lambdas = [a for a in inv.args if syntax.lambda_body(a) is not None]
    parent = inv.node.parent
    if parent is not None and parent.type == "member_access_expression":
        outer = parent.parent
        if outer is not None and outer.type == "invocation_expression":
            configure = syntax.invocation(outer)
            if configure.name == "Configure":
                lambdas.extend(a for a in configure.args if syntax.lambda_body(a) is not None)
    return lambdas


@csharp_detector(ID, ("timeout", "retry", "circuit_breaker"),
                 valid=('var note = "AddStandardResilienceHandler";\n',),
                 invalid=('services.AddHttpClient("risk").AddStandardResilienceHandler();\n',))
def detect(f: CsFile) -> Iterable[Finding]:
    for inv in f.invocations_named("AddStandardResilienceHandler"):
        if inv.args and not _option_lambdas(inv):
            continue  # bound from configuration: not readable here
        registration = registration_chain(inv)
        url, _ = client_url(f, registration)
        target, pending = f.target(url, None)
        settings: dict[str, tuple[Node, Node]] = {}
        for lam in _option_lambdas(inv):
            param = syntax.lambda_param(lam)
            for node in walk(syntax.lambda_body(lam)):
                if node.type != "assignment_expression":
                    continue
                left = text(node.child_by_field_name("left"))
                if param and left.startswith(param + "."):
                    right = node.child_by_field_name("right")
                    settings[left[len(param) + 1:]] = (node, right)
                    if syntax.unwrap(right) is not None and syntax.unwrap(right).type == "object_creation_expression":
                        # round 11: `cfg.AttemptTimeout = new HttpTimeoutStrategyOptions { Timeout = ... }`,
                        # `cfg.Retry = new HttpRetryStrategyOptions { MaxRetryAttempts = 3 }`: at the assignment
                        for item, value in syntax.initializer_items(syntax.unwrap(right)).items():
                            settings[f"{left[len(param) + 1:]}.{item}"] = (node, value)
        for key, default in DEFAULTS.items():
            if f"{key}.Timeout" in settings:
                node, value = settings[f"{key}.Timeout"]
                yield f.timeout_from(node, syntax.duration_ms(value), text(value), PHASES[key], ID, LIBRARY,
                                     target, pending)
            else:
                yield f.finding("timeout", inv.node, ID, {"timeout_ms": default, "phase": PHASES[key],
                                                          "resolved_from": "library_default",
                                                          "expression": f"{key} default"}, "medium", target, pending)
        node, value = settings.get("Retry.MaxRetryAttempts", (inv.node, None))
        attempts, attempts_pending = count(value, add=1) if value is not None else (4, ())
        backoff = "exponential"
        if "Retry.BackoffType" in settings:
            backoff = {"Constant": "fixed", "Linear": "linear", "Exponential": "exponential"}.get(
                text(settings["Retry.BackoffType"][1]).rsplit(".", 1)[-1], "exponential")
        yield f.finding("retry", node, ID, {"max_attempts": attempts, "backoff": backoff,
                                            "retry_on": ["transient_http_error"], "mechanism": "client_config",
                                            "library": LIBRARY},
                        "high" if value is not None and not attempts_pending else "medium", target,
                        (*pending, *attempts_pending))
        ratio_node = settings.get("CircuitBreaker.FailureRatio")
        break_node = settings.get("CircuitBreaker.BreakDuration")
        ratio = syntax.settle(syntax.number(ratio_node[1])) if ratio_node else 0.1
        break_ms = syntax.settle(syntax.duration_ms(break_node[1])) if break_node else 5000
        yield f.finding("circuit_breaker", inv.node, ID, {"library": LIBRARY, "failure_ratio": ratio,
                                                           "break_ms": break_ms}, "medium", target, pending)
