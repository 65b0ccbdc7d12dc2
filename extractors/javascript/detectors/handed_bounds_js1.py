"""(round 20, js1) A request aborted by a timer; a `maxRetries` handed to a method of a handed object.

What it does:

- a timer that aborts an outbound request: `const req = http.get({...}, cb); t = setTimeout(() => {
  req.abort() }, SHARD_TRANSFER_MAXTIME)` (also `.destroy()`, the request made with node's http/https or
  the `request` package in the same function): the request's total time, a ``timeout`` on the
  ``setTimeout`` (storj's shard audit);
- `maxRetries: 2` in an options object (or one nested in it) handed to a method of a parameter or a local
  object of the file (`builder.register_loop('DexcomShare', { frame: { maxRetries: 2 } })`, nightscout-connect's
  fetch frames): the operation is tried again up to that many times after the first, a ``retry`` of
  ``maxRetries + 1`` tries on the key.

Never: a timer that aborts something else (an AbortController is fetch's), a request made in another
function, `maxRetries` handed to a package's function or a class from a package (client_options reads
those), to a helper imported from the project (wrapper_call proposes those with the helper's own
meaning), a value that is not a whole number, a line some detector already reported.

Why it matters: the abort is the longest the caller waits for the service; the retry count is how often it
calls a dependency that fails.

Example::

    const req = http.get(opts, cb); setTimeout(() => { req.abort() }, 20 * 60 * 1000)
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, js_detector, key_name, unwrap

ID = "javascript.handed_bounds"

_TIMERS = {"setTimeout", "global.setTimeout", "Meteor.setTimeout"}
_NODE_REQUESTS = {"http.get", "http.request", "https.get", "https.request"}
_REQUEST_PACKAGES = {"request", "request-promise", "request-promise-native", "postman-request", "requestretry"}


def _scope(node: ts.Node) -> ts.Node | None:
    return next((p for p in ts.ancestors(node) if p.type in FUNCTION_TYPES), None)


def _request_variables(ctx: FileContext, scope: ts.Node) -> set[str]:
    """Names bound (declared or assigned) to an outbound request made in ``scope``."""
    request_locals = {name for name, module in ctx.imports.items() if module in _REQUEST_PACKAGES}
    names = set()
    for call in ctx.calls_in(scope):
        head = call.callee.partition(".")[0]
        if call.callee not in _NODE_REQUESTS and head not in request_locals:
            continue
        node, parent = call.node, call.node.parent
        # `http.get(...).on('error', fail)`: an emitter's `.on` returns the request itself
        while parent is not None and parent.type == "member_expression" and parent.parent is not None and \
                parent.parent.type == "call_expression" and \
                ts.text(parent.child_by_field_name("property")) in ("on", "once", "setTimeout", "setNoDelay"):
            node, parent = parent.parent, parent.parent.parent
        if parent is not None and parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
        elif parent is not None and parent.type == "assignment_expression":
            name = parent.child_by_field_name("left")
        else:
            continue
        if name is not None and name.type == "identifier":
            names.add(ts.text(name))
    return names


def _aborted(callback: ts.Node) -> str | None:
    """The receiver of the only `x.abort()` / `x.destroy()` statement of a timer callback."""
    body = unwrap(callback.child_by_field_name("body"))
    if body is None:
        return None
    stmts = [body] if body.type == "call_expression" else \
        [unwrap(s.named_children[0]) for s in body.named_children
         if s.type == "expression_statement" and s.named_children] if body.type == "statement_block" else []
    for stmt in stmts:
        if stmt is None or stmt.type != "call_expression":
            continue
        fn = unwrap(stmt.child_by_field_name("function"))
        if fn is not None and fn.type == "member_expression" and \
                ts.text(fn.child_by_field_name("property")) in ("abort", "destroy"):
            receiver = unwrap(fn.child_by_field_name("object"))
            if receiver is not None and receiver.type == "identifier":
                return ts.text(receiver)
    return None


def _abort_timers(ctx: FileContext, taken: set[tuple[int, str]]) -> None:
    for call in ctx.calls:
        if call.callee not in _TIMERS or len(call.args) < 2:
            continue
        callback = unwrap(call.arg(0))
        if callback is None or callback.type not in ("arrow_function", "function_expression", "function"):
            continue
        victim = _aborted(callback)
        scope = _scope(call.node)
        if victim is None or scope is None or victim not in _request_variables(ctx, scope):
            continue
        line = call.node.start_point[0] + 1
        if (line, "timeout") in taken:
            continue
        attrs, confidence, pending = ctx.timeout_value(call.arg(1))
        attrs["phase"], attrs["scope"], attrs["mechanism"] = "total", "request", "abort_timer"
        ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
        taken.add((line, "timeout"))


def _handed_call(obj: ts.Node) -> ts.Node | None:
    """The call an object literal (or the object it is nested in) is an argument of."""
    node = obj
    while node is not None:
        parent = node.parent
        if parent is None:
            return None
        if parent.type == "pair" and parent.parent is not None and parent.parent.type == "object":
            node = parent.parent
            continue
        if parent.type == "arguments":
            call = parent.parent
            return call if call is not None and call.type == "call_expression" else None
        return None
    return None


def _local_receiver(ctx: FileContext, call: ts.Node) -> bool:
    """`builder.register_loop(...)`: a method of a parameter or local object, not of an import."""
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return False
    root = fn
    while root is not None and root.type == "member_expression":
        root = unwrap(root.child_by_field_name("object"))
    if root is None or root.type not in ("identifier", "this"):
        return False
    name = ts.text(root)
    return name not in ctx.imports and name not in ("console", "process", "Promise", "Object", "JSON", "fs",
                                                     "window", "document", "global", "globalThis")


def _max_retries(ctx: FileContext, taken: set[tuple[int, str]]) -> None:
    for obj in (n for n in _walk(ctx.tree.root_node) if n.type == "object"):
        for pair in obj.named_children:
            if pair.type != "pair" or key_name(pair.child_by_field_name("key")) != "maxRetries":
                continue
            value = unwrap(pair.child_by_field_name("value"))
            if value is None or value.type != "number" or "." in ts.text(value):
                continue
            line = pair.start_point[0] + 1
            if (line, "retry") in taken:
                continue
            call = _handed_call(obj)
            if call is None or not _local_receiver(ctx, call):
                continue
            attempts, confidence, pending = ctx.count_value(value, 1.0)
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "options",
                     "library": None}
            ctx.finding("retry", pair, ID, attrs, "medium", None, pending)
            taken.add((line, "retry"))


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.named_children))


@js_detector(ID, ["timeout", "retry"],
             valid=["const t = setTimeout(() => { controller.abort() }, 5000);",
                    "import { loop } from './loop';\nloop.register({ maxRetries: 2 });",
                    "const { Client } = require('pkg');\nClient.create({ maxRetries: 2 });"],
             invalid=["const http = require('http');\nfunction get(u) {\n  const req = http.get(u, cb);\n"
                      "  setTimeout(() => { req.abort() }, 60000);\n}",
                      "function driver(builder) {\n  builder.register_loop('X', { frame: { maxRetries: 2 } });\n}"])
def detect(ctx: FileContext) -> None:
    taken = {(f.line, f.kind) for f in ctx.findings}
    if (b"abort" in ctx.data or b"destroy" in ctx.data) and b"setTimeout" in ctx.data:
        try:
            _abort_timers(ctx, taken)
        except Exception:  # an odd timer costs only this finding
            pass
    if b"maxRetries" in ctx.data:
        try:
            _max_retries(ctx, taken)
        except Exception:
            pass
