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

import re

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


def _never_r18(value: Node | None) -> bool:
    """A ``ShouldHandle`` predicate that never retries: ``static _ => ValueTask.FromResult(false)``, ``_ => false``,
    ``PredicateResult.False()``."""
    body = syntax.lambda_body(value) if value is not None else None
    said = re.sub(r"\s+", "", text(body)) if body is not None else ""
    return said in ("false", "ValueTask.FromResult(false)", "newValueTask<bool>(false)", "PredicateResult.False()")


def _forwarded_configure_r18(inv: syntax.Invocation) -> bool:
    """``AddStandardResilienceHandler(configure)`` with the enclosing method's own options-lambda parameter."""
    if len(inv.args) != 1 or inv.named:
        return False
    arg = syntax.unwrap(inv.args[0])
    if arg is None or arg.type != "identifier":
        return False
    param = syntax.parameter_node(text(arg), inv.node)
    kind = text(param.child_by_field_name("type")) if param is not None else ""
    return "HttpStandardResilienceOptions" in kind


def _retries_turned_off_r18(f: CsFile) -> Iterable[Finding]:
    """Round 18 (altinn-register): an options lambda handed to the project's own helper around the standard
    handler (``.ReplaceResilienceHandler(static c => { c.Retry.ShouldHandle = static _ => ValueTask.FromResult(false);
    })``) that turns the retry off: 1 try, at that line."""
    if b"Retry.ShouldHandle" not in f.data:
        return
    for node in f.assignments:
        left = node.child_by_field_name("left")
        if left is None or not re.fullmatch(r"\w+\.Retry\.ShouldHandle", text(left)) or \
                not _never_r18(node.child_by_field_name("right")):
            continue
        lam = next((a for a in ancestors(node) if a.type == "lambda_expression"), None)
        if lam is None or _in_handler_lambda(node) or syntax.lambda_param(lam) != text(left).split(".")[0]:
            continue
        call = next((a for a in ancestors(lam) if a.type == "invocation_expression"), None)
        if call is None:
            continue
        yield f.finding("retry", node, ID, {"max_attempts": 1, "backoff": None, "retry_on": ["transient_http_error"],
                                            "mechanism": "client_config", "library": LIBRARY}, "medium")


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
    yield from _retries_turned_off_r18(f)
    for inv in f.invocations_named("AddStandardResilienceHandler"):
        forwarded = _forwarded_configure_r18(inv)
        if inv.args and not _option_lambdas(inv) and not forwarded:
            continue  # bound from configuration: not readable here
        registration = registration_chain(inv)
        url, _ = client_url(f, registration)
        target, pending = f.target(url, None)
        if forwarded:
            # round 18 (altinn-register): `builder.AddStandardResilienceHandler(configure)` in a helper handed the
            # caller's options lambda: the handler's default timeouts here (rule a), the retry is the callers'
            for key, default in DEFAULTS.items():
                yield f.finding("timeout", inv.node, ID, {"timeout_ms": default, "phase": PHASES[key],
                                                          "resolved_from": "library_default",
                                                          "expression": f"{key} default"}, "medium", target, pending)
            continue
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
        if "Retry.ShouldHandle" in settings and _never_r18(settings["Retry.ShouldHandle"][1]):
            node, value = settings["Retry.ShouldHandle"]  # round 18: `o.Retry.ShouldHandle = _ => ..(false)`: no retry
            attempts, attempts_pending = 1, ()
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
