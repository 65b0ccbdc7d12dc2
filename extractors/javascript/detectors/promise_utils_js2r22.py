"""(round 22, js2) API3's @api3/promise-utils: `go(fn, { totalTimeoutMs, attemptTimeoutMs, retries, delay })`
runs ``fn`` and returns a result object instead of throwing (airseeker's feed updates:
`go(async () => readActiveDataFeedBatch(...), { totalTimeoutMs: dataFeedUpdateIntervalMs })`).
`totalTimeoutMs` bounds the whole call with its retries, `attemptTimeoutMs` each try (phase
`attempt`), `retries` adds tries after the first (none by default). Reported at the `go(` call;
`go(fn)` without options neither times out nor retries (nothing reported)."""

from __future__ import annotations

from extractors.javascript.context import FileContext, unwrap

ID = "javascript.promise_utils"
_MODULE = "@api3/promise-utils"


def detect(ctx: FileContext) -> None:
    if _MODULE.encode() not in ctx.data:
        return
    for call in ctx.calls:
        if call.is_new or len(call.args) < 2 or call.qualified not in (f"{_MODULE}.go", f"{_MODULE}.default.go"):
            continue
        props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
        body = unwrap(call.arg(0))
        target, upending = ctx.first_target_in(body) if body is not None else (None, ())
        for key, phase in (("totalTimeoutMs", "total"), ("attemptTimeoutMs", "attempt")):
            value = props.get(key)
            if value is None or unwrap(value) is None or unwrap(value).type in ("undefined", "null"):
                continue
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs["phase"], attrs["scope"], attrs["library"] = phase, "call", "promise-utils"
            ctx.finding("timeout", call.node, ID, attrs, confidence, target, tuple(pending) + tuple(upending))
        retries = props.get("retries")
        if retries is not None and unwrap(retries) is not None and unwrap(retries).type not in ("undefined", "null"):
            attempts, confidence, pending = ctx.count_value(retries, 1.0)
            attrs = {"max_attempts": attempts, "backoff": "fixed" if "delay" in props else "none", "retry_on": None,
                     "mechanism": "call", "library": "promise-utils"}
            ctx.finding("retry", call.node, ID, attrs, confidence, target, tuple(pending) + tuple(upending))
