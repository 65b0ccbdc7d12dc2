"""(round 22, js1) LDAP directory calls and callback deadlines (auth0's AD/LDAP connector):

- ldapjs `ldap.createClient({ url, timeout })`: each operation's bound (total), at the key, as other
  client constructor options (`connectTimeout` is read by client_options);
- ldapjs `client.search(base, { filter, timeLimit: 20 }, cb)`: the time limit the server is asked to
  keep, in seconds, at the search call;
- the `cb` package's `cb(callback).timeout(ms)`: the wrapped callback is called with a TimeoutError
  when the work it waits for has not answered within ms (`var done = cb(fn).timeout(5000);
  client.search(base, opts, (err, res) => ...done...)`), at the `.timeout` line; only when the
  function around it calls something besides the callback (a request, a search, a bind).

Not: a `timeLimit` of another library's options, a `.timeout(ms)` of anything but a `cb(...)` wrapper
(superagent's is read by its own detector)."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, FileContext, dotted, enclosing_function,
                                           unwrap)

ID = "javascript.ldap_cb"


def detect(ctx: FileContext) -> None:
    modules = set(ctx.imports.values())
    if "ldapjs" in modules:
        _ldapjs(ctx)
    if "cb" in modules:
        _cb_timeouts(ctx)


def _ldapjs(ctx: FileContext) -> None:
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if call.qualified in ("ldapjs.createClient", "ldapjs.default.createClient"):
            props = ctx.props(ctx.resolve_object(call.arg(0))) or {}
            value = props.get("timeout")
            if value is None or unwrap(value) is None or unwrap(value).type in ("null", "undefined"):
                continue
            node = value.parent if value.parent is not None and value.parent.type == "pair" else call.node
            line = node.start_point[0] + 1
            if (line, "timeout") in taken:
                continue
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs["phase"] = "total"
            attrs["scope"] = "client"
            ctx.finding("timeout", node, ID, attrs, confidence, None, pending)
        elif call.name == "search" and len(call.args) >= 2:
            props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
            limit = props.get("timeLimit")
            if limit is None or unwrap(limit) is None or unwrap(limit).type in ("null", "undefined"):
                continue
            if (call.node.start_point[0] + 1, "timeout") in taken:
                continue
            attrs, confidence, pending = ctx.timeout_value(limit, 1000.0)  # seconds
            attrs["phase"] = "total"
            attrs["scope"] = "call"
            ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)


def _cb_timeouts(ctx: FileContext) -> None:
    names = {name for name, module in ctx.imports.items() if module == "cb"}
    for node in ts.walk(ctx.tree.root_node):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) != "timeout":
            continue
        wrapped = unwrap(fn.child_by_field_name("object"))
        if wrapped is None or wrapped.type != "call_expression" or \
                dotted(wrapped.child_by_field_name("function")) not in names:
            continue
        args = node.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if not given:
            continue
        scope = enclosing_function(node)
        if scope is None or not _calls_out(ctx, scope, node):
            continue
        attrs, confidence, pending = ctx.timeout_value(given[0])
        attrs["phase"] = "total"
        attrs["scope"] = "call"
        ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


def _calls_out(ctx: FileContext, scope: ts.Node, timer: ts.Node) -> bool:
    """The function around the wrapper calls something other than the wrapper, a logger or a timer."""
    for call in ctx.calls_in(scope):
        if call.node.start_byte <= timer.start_byte < call.node.end_byte:
            continue
        if call.receiver in ("console", "Math", "JSON", "Object", "Array", "Promise", "log", "logger") or \
                call.callee in ("setTimeout", "clearTimeout", "require"):
            continue
        if call.name in ("search", "bind", "send", "request", "get", "post", "put", "query", "write", "ping",
                         "publish", "connect", "modify", "add", "del", "compare", "exop") or \
                call.callee.startswith(("original.", "self._client.", "this._client.", "client.")):
            return True
        if any(p.type in FUNCTION_TYPES for p in ts.ancestors(call.node) if p.start_byte > scope.start_byte):
            continue
    return False
