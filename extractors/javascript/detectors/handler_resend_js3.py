"""(round 19, js3) Response-handler factories: their self-calls are no retries; a method they re-call is one.

A method whose body only returns a function (`Trader.prototype.handleResponse = function(funcName, callback) {
return (error, body) => { ... } }`, gekko's exchange wrappers) makes a response handler: calling it again
(`this.kraken.api('QueryOrders', data, this.handleResponse('checkOrder', cb, true))` inside the handler) makes
another handler for another request, it re-runs nothing. retry_loops' recursion finding on such a self-call
is dropped (``drop_factory_self_calls``).

The handler re-calling, on an error, a method of the same class that installs it (`if (funcName === 'addOrder'
&& ...) { ...; return this.addOrder(tradeType, amount, price, callback) }` where addOrder hands
`this.handleResponse('addOrder', ...)` to its request) sends that request again without a count: a retry
without a bound (null), at the re-call. Likewise a class method named `retry` that runs the failed method it
is handed again after a wait (`Trader.prototype.retry = function(method, args) { setTimeout(() => {
method.apply(this, args) }, wait) }`): an unbounded retry at the re-run.
The re-call must sit under a branch naming that method (`funcName === 'addOrder'`): the handler knows which
request failed. And a callback a method hands to its request re-running that method on an error (`setTimeout(this._fetch, 1000)`
in the `processTrades` that `_fetch` hands to `getTrades`): unbounded, at the re-run.
Not: a re-call outside an error path (a follow-up request on success), another method called
there (a lookup of open orders), a method that does not install the handler, a factory that does more than
return its function.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, inside, unwrap

ID = "javascript.retry_loop"

_ERRORISH = re.compile(r"\berr(or)?\d*\b|fail|reject|catch", re.I)


def _methods(ctx: FileContext) -> list:
    from extractors.javascript.detectors.retry_loops import _prototype_methods_js1
    out = list(_prototype_methods_js1(ctx))
    for node in ctx.nodes_of("method_definition"):
        name = node.child_by_field_name("name")
        if name is not None:
            out.append((ts.text(name), node))
    return out


def _factory(fn) -> bool:
    body = fn.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return False
    stmts = [s for s in body.named_children if s.type != "comment"]
    if len(stmts) != 1 or stmts[0].type != "return_statement" or not stmts[0].named_children:
        return False
    returned = unwrap(stmts[0].named_children[0])
    return returned is not None and returned.type in FUNCTION_TYPES


def detect(ctx: FileContext) -> None:
    if b"this." not in ctx.data:
        return
    methods = _methods(ctx)
    if not methods:
        return
    factories = {name: fn for name, fn in methods if _factory(fn)}
    taken = {(f.line, f.kind) for f in ctx.findings}
    if factories:
        _drop_factory_self_calls(ctx, factories)
        _handler_resends(ctx, methods, factories, taken)
    _retry_methods(ctx, methods, taken)
    _callback_reschedules(ctx, methods, taken)


def _drop_factory_self_calls(ctx: FileContext, factories: dict) -> None:
    drop = set()
    for name, fn in factories.items():
        for call in ctx.calls_in(fn):
            if call.name == name and call.receiver in ("this", "self", "that", ""):
                drop.add(call.node.start_point[0] + 1)
    if drop:
        ctx.findings[:] = [f for f in ctx.findings if not (f.kind == "retry" and f.detector == ID and
                                                          f.attributes.get("mechanism") == "recursion"
                                                          and f.line in drop)]


def _installs(ctx: FileContext, fn, factory: str) -> bool:
    return any(c.name == factory and c.receiver in ("this", "self", "that") for c in ctx.calls_in(fn))


def _on_error_path(node, fn) -> bool:
    for parent in ts.ancestors(node):
        if parent == fn:
            return False
        if parent.type == "if_statement" and _ERRORISH.search(ts.text(parent.child_by_field_name("condition") or parent)):
            return True
        if parent.type == "catch_clause":
            return True
    return False


def _named_branch(node, fn, method: str) -> bool:
    """Under a branch that tells the handler's own method by name (`if (funcName === 'addOrder' && ...)`): the
    method whose request failed, sent again (not another method looking something up)."""
    quoted = re.compile(r"(===?|!==?)\s*['\"]" + re.escape(method) + r"['\"]|['\"]" + re.escape(method) + r"['\"]\s*===?")
    for parent in ts.ancestors(node):
        if parent == fn:
            return False
        if parent.type == "if_statement" and quoted.search(ts.text(parent.child_by_field_name("condition") or parent)):
            return True
    return False


def _handler_resends(ctx: FileContext, methods: list, factories: dict, taken: set) -> None:
    by_name = dict(methods)
    for factory, fn in factories.items():
        for call in ctx.calls_in(fn):
            if call.receiver not in ("this", "self", "that") or call.name == factory or call.name not in by_name:
                continue
            if not _installs(ctx, by_name[call.name], factory) or not _on_error_path(call.node, fn) or \
                    not _named_branch(call.node, fn, call.name):
                continue
            line = call.node.start_point[0] + 1
            if (line, "retry") in taken:
                continue
            taken.add((line, "retry"))
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "recursion",
                     "library": None}
            ctx.finding("retry", call.node, ID, attrs, "medium")


def _retry_methods(ctx: FileContext, methods: list, taken: set) -> None:
    for name, fn in methods:
        if name != "retry":
            continue
        params = fn.child_by_field_name("parameters")
        names = [ts.text(p) for p in (params.named_children if params is not None else []) if p.type == "identifier"]
        if not names:
            continue
        for call in ctx.calls_in(fn):
            head = call.callee.split(".", 1)[0]
            if head != names[0] or call.callee not in (head, f"{head}.apply", f"{head}.call"):
                continue
            timer = next((p for p in ts.ancestors(call.node) if p.type == "call_expression" and inside(p, fn) and
                          ts.text(p.child_by_field_name("function")) == "setTimeout"), None)
            if timer is None:
                continue
            line = call.node.start_point[0] + 1
            if (line, "retry") in taken:
                continue
            taken.add((line, "retry"))
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "recursion",
                     "library": None}
            ctx.finding("retry", call.node, ID, attrs, "medium")


def _callback_reschedules(ctx: FileContext, methods: list, taken: set) -> None:
    """`Fetcher.prototype._fetch = function(since) { this.exchangeTrader.getTrades(since, this.processTrades) }` and
    `Fetcher.prototype.processTrades = function(err, trades) { if (err) { setTimeout(this._fetch, 1000); return } ...}`
    (gekko's market fetcher): the callback a method hands to its request runs that method again on an error (a
    re-scheduled reference or a call): a retry without a bound, at the re-run."""
    by_name = dict(methods)
    for name, fn in methods:
        for call in ctx.calls_in(fn):
            if not call.receiver or call.receiver in ("this", "self", "that"):
                continue  # handed to a request of another object
            for arg in call.args:
                inner = unwrap(arg)
                text = ts.text(inner) if inner is not None else ""
                if not text.startswith("this.") or text[5:] not in by_name or text[5:] == name:
                    continue
                _reruns(ctx, by_name[text[5:]], name, taken)


def _reruns(ctx: FileContext, handler, method: str, taken: set) -> None:
    for call in ctx.calls_in(handler):
        node = None
        if call.callee == "setTimeout" and call.args and ts.text(unwrap(call.args[0])) == f"this.{method}":
            node = call.node
        elif call.callee == f"this.{method}":
            node = call.node
        if node is None or not _on_error_path(node, handler):
            continue
        line = node.start_point[0] + 1
        if (line, "retry") in taken:
            continue
        taken.add((line, "retry"))
        attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "recursion",
                 "library": None}
        ctx.finding("retry", node, ID, attrs, "medium")
