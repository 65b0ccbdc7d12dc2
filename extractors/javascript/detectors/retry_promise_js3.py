"""(round 19, js3) The retry-promise package: `retry({ max: 5, backoff: 300 }, async (num) => ...)`.

`max` counts every try (10 when not given), `backoff` the linear wait step (ms); the function is re-run while it
rejects. Reported at the call (greenkeeper's get-token checks a fresh token's rate limit 5 times).
Not: a function named retry from another package or of the project (those are other detectors').
"""

from __future__ import annotations

from extractors.javascript.context import FUNCTION_TYPES, FileContext, unwrap

ID = "javascript.retry_library"

_QUALIFIED = {"retry-promise", "retry-promise.default"}


def detect(ctx: FileContext) -> None:
    if b"retry-promise" not in ctx.data:
        return
    from extractors.javascript.detectors.retry_libraries import _function_node, _retried_function
    for call in ctx.calls:
        if call.qualified not in _QUALIFIED or call.is_new or not call.args:
            continue
        first = unwrap(call.arg(0))
        options = ctx.resolve_object(first) if first is not None and first.type not in FUNCTION_TYPES else None
        fn = call.arg(1) if options is not None else call.arg(0)
        props = ctx.props(options) or {}
        attempts, confidence, pending = ctx.count_value(props.get("max"), 0.0, default=10.0)
        body = _function_node(ctx, fn) if fn is not None else None
        target, upending = ctx.first_target_in(body) if body is not None else (None, ())
        attrs = {"max_attempts": attempts, "backoff": "none" if attempts == 1 else "linear", "retry_on": None,
                 "mechanism": "call", "library": "retry-promise"}
        found = ctx.finding("retry", call.node, ID, attrs, confidence, target, pending + upending)
        if fn is not None:
            _retried_function(ctx, fn, found.line, target, upending)
