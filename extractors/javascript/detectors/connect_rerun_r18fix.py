"""(round 18, second-wave fixes) A connect function that schedules itself again when the connect failed.

`function startConnect() { amqp.connect(url, opts, (err, conn) => { if (null != err) { log(err);
setTimeout(startConnect, RECONNECT_TIMEOUT) } else { ... resolve(conn) } }) }` (ONLYOFFICE's AMQP core), and
`function startConnect() { const onDisconnected = () => { if (isConnected) { closeCallback() } else {
setTimeout(startConnect, RECONNECT_TIMEOUT) } }; const conn = container.connect(opts); ... }` (its ActiveMQ
core, rhea): the initial connect is re-tried after a pause without a bound (no count), at the timer. Only a
function that itself calls a `connect`, handing its own name to a timer in a branch taken on an error (`err`,
`error`) or when the connection never opened (the else of `if (isConnected)` / `if (connected)`); not a
reconnect after an open connection was lost (that branch calls something else), nor a function named for
retrying (retry_loops reads those). Also a function scheduling itself again only from the catch of a try that
awaits (`catch (e) { setTimeout(assessTxindexAvailability, retryTime) }`), never after a success."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, RetryScope, unwrap

ID = "javascript.retry_loop"
_TIMERS = ("setTimeout", "globalThis.setTimeout")
_CONNECT = re.compile(r"(^|\.)connect$")
_ERROR = re.compile(r"\berr(or)?\b", re.I)
_OPENED = re.compile(r"^\(?\s*!?\s*(this\.)?(is)?[Cc]onnected\s*\)?$")


def _name(fn: ts.Node) -> str | None:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        n = parent.child_by_field_name("name")
        return ts.text(n) if n is not None else None
    return None


def detect(ctx: FileContext) -> None:
    if b"setTimeout" not in ctx.data or b"connect" not in ctx.data:
        return
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for call in ctx.calls:
        if call.callee not in _TIMERS or call.arg(0) is None or unwrap(call.arg(0)).type != "identifier":
            continue
        line = call.node.start_point[0] + 1
        if line in reported:
            continue
        name = ts.text(unwrap(call.arg(0)))
        fn = next((a for a in ts.ancestors(call.node) if a.type in FUNCTION_TYPES and _name(a) == name), None)
        if fn is None:
            continue
        if not (any(_CONNECT.search(c.callee or "") for c in ctx.calls_in(fn)) and _failed_branch(call.node, fn)):
            continue  # (a rerun from any catch is too wide: uptime-kuma's safeBeat heartbeat is no retry)
        attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "recursion", "library": None}
        target, upending = ctx.first_target_in(fn)
        found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
        ctx.retry_scopes.append(RetryScope(fn, found.line, target, upending))
        reported.add(found.line)


def _failed_branch(timer: ts.Node, fn: ts.Node) -> bool:
    child = timer
    for parent in ts.ancestors(timer):
        if parent == fn:
            return False
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            text = ts.text(condition) if condition is not None else ""
            consequence, alternative = parent.child_by_field_name("consequence"), parent.child_by_field_name("alternative")
            in_then = consequence is not None and consequence.start_byte <= timer.start_byte < consequence.end_byte
            in_else = alternative is not None and alternative.start_byte <= timer.start_byte < alternative.end_byte
            if in_then and _ERROR.search(text) and not re.search(r"!\s*err|==\s*null|===\s*null|null\s*===?", text):
                return True
            if in_else and _OPENED.match(text.strip()) and "!" not in text:
                return True
            return False
        child = parent
    return False


def _caught_rerun(ctx: FileContext, call, fn: ts.Node, name: str) -> bool:
    """`async function assessTxindexAvailability() { try { await rpc.getIndexInfo() ... } catch (e) {
    setTimeout(assessTxindexAvailability, retryTime) } }` (btc-rpc-explorer): the function schedules itself
    again only from the catch of a try whose block awaits, never after a success (no other timer of it)."""
    clause = next((a for a in ts.ancestors(call.node) if a.type == "catch_clause" or a == fn), None)
    if clause is None or clause == fn:
        return False
    try_node = clause.parent
    block = try_node.child_by_field_name("body") if try_node is not None else None
    if block is None or not any(n.type == "await_expression" for n in _walk(block)):
        return False
    others = [c for c in ctx.calls_in(fn) if c.callee in _TIMERS and c.node != call.node and c.arg(0) is not None
              and ts.text(unwrap(c.arg(0)) or c.arg(0)) == name]
    return not others


def _walk(node: ts.Node):
    from extractors.javascript.context import descendants
    return descendants(node, stop_at_functions=True)
