"""(round 22, js2) A project's timeout helper that races the work handed in against a local timer function:
skandha's (and Lodestar's) `withTimeout(asyncFn, timeoutMs, signal)`,

    async function timeoutPromise(signal) { await sleep(timeoutMs, signal); throw new TimeoutError(); }
    return await Promise.race([asyncFn(signal), timeoutPromise(signal)]);

The timer function's sleep bounds whatever the caller hands in: reported on the `Promise.race` with the
sleep's value; when that value is the helper's parameter, the helper publishes it (wrapper_call) and each
call handing a value is the contract (`withTimeout(() => libp2p.dialProtocol(...), DIAL_TIMEOUT)`).

Never: a race whose timer function only sleeps (no throw / reject: a delay), a race without work handed in or
an outbound call next to the timer, a line some detector already reported."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, dotted, enclosing_function, unwrap

_SLEEPS = re.compile(r"(?i)^(sleep|delay|wait|timeout|setTimeoutPromise)$")


def detect(ctx: FileContext) -> None:
    if b"Promise.race" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for call in ctx.calls:
        if call.callee != "Promise.race" or not call.args:
            continue
        items = unwrap(call.arg(0))
        if items is None or items.type != "array":
            continue
        elements = [unwrap(e) for e in items.named_children if e.type != "comment"]
        helper = enclosing_function(call.node)
        bound, work = None, False
        for element in elements:
            timer = _timer_bound(ctx, element, helper) if element is not None else None
            if timer is not None:
                bound = timer
            elif element is not None and _work(ctx, element, helper):
                work = True
        line = call.node.start_point[0] + 1
        if bound is None or not work or (line, "timeout") in taken:
            continue
        taken.add((line, "timeout"))
        attrs, confidence, pending = ctx.timeout_value(bound)
        attrs["phase"], attrs["scope"], attrs["mechanism"] = "total", "call", "deadline"
        ctx.finding("timeout", call.node, "javascript.deadline", attrs, confidence, None, pending)


def _timer_bound(ctx: FileContext, element: ts.Node, helper: ts.Node | None) -> ts.Node | None:
    """`timeoutPromise(signal)` of a function (declared in the helper or the file) that awaits a sleep and
    then throws: the sleep's duration argument."""
    if element.type == "await_expression" and element.named_children:
        element = unwrap(element.named_children[0])
    if element is None or element.type != "call_expression":
        return None
    name = ts.text(element.child_by_field_name("function"))
    fn = _local_function(ctx, name, helper)
    if fn is None:
        return None
    body = fn.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    statements = [s for s in body.named_children if s.type != "comment"]
    for first, second in zip(statements, statements[1:]):
        if second.type != "throw_statement" or first.type != "expression_statement":
            continue
        awaited = unwrap(first.named_children[0]) if first.named_children else None
        if awaited is None or awaited.type != "await_expression" or not awaited.named_children:
            continue
        sleep = unwrap(awaited.named_children[0])
        if sleep is None or sleep.type != "call_expression":
            continue
        callee = dotted(sleep.child_by_field_name("function")) or ""
        if not _SLEEPS.match(callee.rsplit(".", 1)[-1]):
            continue
        args = sleep.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if given and ts.text(unwrap(given[0])) not in ("0", "undefined"):
            return unwrap(given[0])
    return None


def _local_function(ctx: FileContext, name: str, helper: ts.Node | None) -> ts.Node | None:
    scopes = [helper] if helper is not None else []
    scopes.append(ctx.tree.root_node)
    for scope in scopes:
        for node in descendants(scope):
            if node.type == "function_declaration" and ts.text(node.child_by_field_name("name")) == name:
                return node
            if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name:
                value = unwrap(node.child_by_field_name("value"))
                if value is not None and value.type in FUNCTION_TYPES:
                    return value
    return None


def _work(ctx: FileContext, element: ts.Node, helper: ts.Node | None) -> bool:
    """The raced work: a function or promise handed to the helper (`asyncFn(signal)`, `promise`), or an
    outbound call of this file."""
    if ctx.outbound_in(element):
        return True
    if helper is None:
        return False
    from extractors.javascript.context import _parameter_default
    target = element
    if element.type == "call_expression":
        target = unwrap(element.child_by_field_name("function"))
    return target is not None and target.type == "identifier" and _parameter_default(helper, ts.text(target))[0]
