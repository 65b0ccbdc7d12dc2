"""(round 19, js4) A second call handed the signal of a request already reported is under the same bound.

What it does: `response = await fetch(target, { signal: controller.signal })` (reported with the timer that
aborts the controller), then `readBodyWithLimit(response, maxBytes, url, controller.signal)`: the body read
runs under the same AbortController, so the one deadline is the request's, already reported on the
fetch; the helper call handed that signal is not reported a second time. Run after the client detectors.
Not: a signal of another controller, a call in another function, a call before the request.
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, dotted, enclosing_function, unwrap

_HELPER_DETECTOR = "javascript.client_options"


def detect(ctx: FileContext) -> None:
    if b".signal" not in ctx.data:
        return
    timeouts = [f for f in ctx.findings if f.kind == "timeout"]
    if len(timeouts) < 2:
        return
    by_line: dict[int, list] = {}
    for call in ctx.calls:
        by_line.setdefault(call.node.start_point[0] + 1, []).append(call)
    drop = set()
    for later in timeouts:
        if later.detector != _HELPER_DETECTOR:
            continue
        mine = _signal_call(ctx, by_line.get(later.line, []))
        if mine is None:
            continue
        call, signal = mine
        fn = enclosing_function(call.node)
        for earlier in timeouts:
            if earlier is later or earlier.line >= later.line:
                continue
            theirs = _signal_call(ctx, by_line.get(earlier.line, []))
            if theirs is None or theirs[1] != signal or enclosing_function(theirs[0].node) != fn:
                continue
            drop.add(id(later))
            break
    if drop:
        ctx.findings[:] = [f for f in ctx.findings if id(f) not in drop]


def _signal_call(ctx: FileContext, calls: list):
    """(call, the signal's text) of the call on a line handed `x.signal` positionally or as `{ signal }`."""
    for call in calls:
        for arg in call.args:
            node = unwrap(arg)
            if node is None:
                continue
            if node.type == "member_expression" and ts.text(node.child_by_field_name("property")) == "signal":
                return call, dotted(node)
            if node.type == "object":
                value = (ctx.props(node) or {}).get("signal")
                value = unwrap(value) if value is not None else None
                if value is not None and value.type == "member_expression" and \
                        ts.text(value.child_by_field_name("property")) == "signal":
                    return call, dotted(value)
    return None
