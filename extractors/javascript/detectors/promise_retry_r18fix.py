"""(round 18, second-wave fixes) promise-retry calls: which argument is the options, and a poll that is no retry.

`const options = { retries: 5, factor: 3 }; const func = (retry, number) => send(id).catch(retry); return
promiseRetry(func, options)` (DEFRA water-abstraction-service's notify-send): the function comes first although
it is a name, not a literal; only an options object (a literal, or a name declared with one) first is
`promiseRetry(options, fn)`. And `promiseRetry(async (retry, n) => { const { status } = await api.getStatus(id);
if (status !== READY) return retry(new Error(...)); return true }, opts)` (its rebilling service) calls `retry`
only when a remote status it read is not yet the one awaited, never on a failure: a poll of a remote state,
not a retry of the call."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, unwrap

_STATE_WORD = re.compile(r"(?i)status|state|ready|complete|finished|done")


def options_first(ctx: FileContext, call) -> bool:
    """`promiseRetry(opts, fn)`: the first argument is an options object and the second a function."""
    first, second = unwrap(call.arg(0)), unwrap(call.arg(1))
    if first is None or second is None or first.type in FUNCTION_TYPES:
        return False
    if second.type in FUNCTION_TYPES:
        return True
    return ctx.resolve_object(first) is not None and ctx.resolve_object(second) is None


def local_function(ctx: FileContext, fn: ts.Node | None) -> ts.Node | None:
    """The function a local `const func = (retry, n) => ...` holds."""
    fn = unwrap(fn)
    if fn is None or fn.type != "identifier":
        return None
    value = unwrap(ctx.local_value(ts.text(fn), fn))
    return value if value is not None and value.type in FUNCTION_TYPES else None


def polls_remote_state(fn: ts.Node | None) -> bool:
    """The retried function calls its `retry` parameter only under a check of a status it read, never
    as a failure handler (`.catch(retry)`, in a catch clause)."""
    if fn is None or fn.type not in FUNCTION_TYPES:
        return False
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return False
    first = params if params.type == "identifier" else next(iter(params.named_children), None)
    if first is None or first.type != "identifier":
        return False
    name = ts.text(first)
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    uses = [n for n in descendants(body) if n.type == "identifier" and ts.text(n) == name]
    if not uses:
        return False
    for use in uses:
        parent = use.parent
        if parent is None or parent.type != "call_expression" or parent.child_by_field_name("function") != use:
            return False  # handed on (`.catch(retry)`): a retry on failure
        guard = None
        for anc in ts.ancestors(use):
            if anc.type == "catch_clause":
                return False
            if anc.type == "if_statement":
                guard = anc
                break
            if anc == body:
                break
        condition = guard.child_by_field_name("condition") if guard is not None else None
        if condition is None or not _STATE_WORD.search(ts.text(condition)):
            return False
    return True
