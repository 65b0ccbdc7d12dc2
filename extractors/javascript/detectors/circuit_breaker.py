"""Circuit breakers: opossum's `new CircuitBreaker(fn, options)` and cockatiel's `circuitBreaker`,
`timeout` and `fallback` policies.

What it does: reports a ``circuit_breaker`` with its thresholds, the ``timeout`` the breaker puts
on the wrapped function (opossum's `timeout`, 10 s when not given), and ``fallback`` where one is
registered.

Why it matters: the breaker's timeout and its fallback are what the caller does when the
dependency is slow; the dependency should know them.

Example::

    const breaker = new CircuitBreaker(scoreTransaction, { timeout: 3000, resetTimeout: 30000 });
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, FileContext, dotted, is_disabled_value,
                                           js_detector, number_value, unwrap)

ID = "javascript.circuit_breaker"
OPOSSUM_DEFAULT_TIMEOUT_MS = 10000


@js_detector(ID, ["circuit_breaker", "timeout", "fallback"],
          valid=['const breaker = { timeout: 3000 }; // not opossum'],
          invalid=['import CircuitBreaker from "opossum";\nnew CircuitBreaker(fn, { timeout: 3000 });'])
def detect(ctx: FileContext) -> None:
    opossum = ctx.local_names_for("opossum")
    cockatiel = {n: q.split(".", 1)[1] for n, q in ctx.imports.items() if q.startswith("cockatiel.")}
    cockatiel_ns = {n for n, q in ctx.imports.items() if q == "cockatiel"}
    breakers: dict[str, tuple] = {}
    for call in ctx.calls:
        if call.is_new and call.callee in opossum:
            breakers.update(_opossum(ctx, call))
        elif not call.is_new and (cockatiel.get(call.callee) == "circuitBreaker" or
                                  (call.name == "circuitBreaker" and call.callee.split(".")[0] in
                                   cockatiel_ns | {k for k, v in cockatiel.items() if v == "Policy"})):
            _cockatiel_breaker(ctx, call)
        elif not call.is_new and cockatiel.get(call.callee) == "timeout" and call.args:
            attrs, confidence, pending = ctx.timeout_value(call.arg(0))
            attrs["phase"] = "function"
            ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
        elif not call.is_new and cockatiel.get(call.callee) == "fallback":
            ctx.finding("fallback", call.node, ID, {"library": "cockatiel", "strategy": "function",
                                                   "action": ts.text(call.arg(1)) if call.arg(1) else None})
    for call in ctx.calls:
        if call.name == "fallback" and call.receiver in breakers and call.args:
            target, pending = breakers[call.receiver]
            ctx.finding("fallback", call.node, ID, {"library": "opossum", "strategy": "function",
                                                   "action": ts.text(call.arg(0))[:120]},
                        "high", target, pending)


def _target_of(ctx: FileContext, fn):
    fn = unwrap(fn)
    body = None
    if fn is not None and fn.type in FUNCTION_TYPES:
        body = fn
    elif fn is not None and fn.type == "identifier":
        body = ctx.functions.get(ts.text(fn))
    return ctx.first_target_in(body) if body is not None else (None, ())


def _opossum(ctx: FileContext, call) -> dict:
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    target, pending = _target_of(ctx, call.arg(0))
    attrs = {"library": "opossum"}
    for key, attr, default in (("errorThresholdPercentage", "error_threshold_percentage", 50),
                               ("resetTimeout", "reset_timeout_ms", 30000),
                               ("volumeThreshold", "volume_threshold", 0),
                               ("rollingCountTimeout", "rolling_window_ms", 10000)):
        value = number_value(props.get(key)) if key in props else default
        if value is None and key in props:
            resolved = ctx.evaluate(ctx.to_expr(props[key])).value
            value = resolved if isinstance(resolved, (int, float)) else None
        attrs[attr] = int(value) if isinstance(value, float) and value.is_integer() else value
    timeout = props.get("timeout")
    if timeout is None:
        attrs["timeout_ms"] = OPOSSUM_DEFAULT_TIMEOUT_MS
        ctx.finding("timeout", call.node, ID, {"timeout_ms": OPOSSUM_DEFAULT_TIMEOUT_MS, "phase": "function",
                                               "resolved_from": "library_default", "expression": ""},
                    "medium", target, pending)
    elif not is_disabled_value(timeout):
        tattrs, confidence, tpending = ctx.timeout_value(timeout)
        tattrs["phase"] = "function"
        attrs["timeout_ms"] = tattrs["timeout_ms"]
        ctx.finding("timeout", call.node, ID, tattrs, confidence, target, tpending + pending)
    else:
        attrs["timeout_ms"] = None
    ctx.finding("circuit_breaker", call.node, ID, attrs, "high", target, pending)
    parent = call.node.parent
    names = {}
    if parent is not None and parent.type == "variable_declarator":
        names[ts.text(parent.child_by_field_name("name"))] = (target, pending)
    elif parent is not None and parent.type == "assignment_expression":
        names[dotted(parent.child_by_field_name("left"))] = (target, pending)
    return names


def _cockatiel_breaker(ctx: FileContext, call) -> None:
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    attrs = {"library": "cockatiel"}
    half_open = props.get("halfOpenAfter") or (call.arg(0) if call.callee.endswith(".circuitBreaker") else None)
    if half_open is not None:
        value = ctx.evaluate(ctx.to_expr(half_open)).value
        attrs["half_open_after_ms"] = value if isinstance(value, (int, float)) else None
    breaker = props.get("breaker") or (call.arg(1) if call.callee.endswith(".circuitBreaker") else None)
    attrs["breaker"] = ts.text(breaker) if breaker is not None else None
    ctx.finding("circuit_breaker", call.node, ID, attrs, "high")
