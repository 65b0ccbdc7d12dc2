"""gRPC (grpc-js) call deadlines: `{ deadline: Date.now() + 500 }`, `new Date(Date.now() + ms)`,
or a `Date` moved forward with `setSeconds(getSeconds() + n)`; and calls with none.

What it does: reports the deadline given to a gRPC call as a ``timeout`` (phase ``deadline``) and
the call as an ``outbound_call`` with protocol ``grpc``. Calls on a client made in this file with
channel credentials (`new CartServiceClient(CART_ADDR, credentials.createInsecure())`) that pass
no deadline are reported as ``missing_timeout``; their target is the client's address.

Why it matters: grpc-js calls without a deadline wait forever; the deadline is the caller's budget.

Example::

    client.score(request, { deadline: Date.now() + 500 }, callback);   // deadline 500 ms
"""

from __future__ import annotations

from contract_discovery.values import BinOp, Num
from extractors import treesitter as ts
from extractors.javascript.context import (FileContext, Outbound, dotted, js_detector, query, unwrap)

ID = "javascript.grpc"


@js_detector(ID, ["timeout", "missing_timeout", "outbound_call"],
          valid=['const deadline = "soon"; // timeout', 'client.score(req, { deadline: Infinity }, cb);'],
          invalid=['client.score(req, { deadline: Date.now() + 500 }, cb);'])
def detect(ctx: FileContext) -> None:
    clients = _clients(ctx)
    q = query(ctx.grammar, "properties")
    # every pattern of properties.scm is a `deadline` key
    for match in ts.matches(q, ctx.tree.root_node) if b"deadline" in ctx.data else ():
        pair = match["pair"][0]
        value = match["value"][0]
        found = _deadline_ms(ctx, value, pair)
        if found is None:
            continue
        expr, expression = found
        call = _enclosing_call(pair)
        anchor = call if call is not None else pair
        attrs, confidence, pending = ctx.timeout_from_expr(expr, expression)
        attrs["phase"] = "deadline"
        ctx.finding("timeout", anchor, ID, attrs, confidence, None, pending)
        if call is not None:
            fn = call.child_by_field_name("function")
            method = ts.text(fn).rsplit(".", 1)[-1]
            receiver = dotted(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else ""
            target, upending = clients.get(receiver, (None, ()))
            if ctx.findings and ctx.findings[-1].kind == "timeout" and upending:
                last = ctx.findings.pop()
                from dataclasses import replace
                ctx.findings.append(replace(last, pending=last.pending + upending))
            ctx.finding("outbound_call", call, ID, {"protocol": "grpc", "method": method, "url": None}, "high",
                        target, upending)
            ctx.outbound[(call.start_byte, call.end_byte)] = Outbound(call, "grpc", target, upending)
    for call in ctx.calls:
        if call.name in ("waitForReady", "waitForClientReady") and "." in call.callee and call.args:
            _wait_for_ready(ctx, call)
    for call in ctx.calls:
        if call.is_new or call.receiver not in clients or call.name in _CLIENT_METHODS:
            continue
        if (call.node.start_byte, call.node.end_byte) in ctx.outbound:
            continue
        target, upending = clients[call.receiver]
        ctx.finding("outbound_call", call.node, ID, {"protocol": "grpc", "method": call.name, "url": None},
                    "high", target, upending)
        ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "grpc", target, upending)
        if not any(ctx.resolve_object(a) is not None and "deadline" in (ctx.props(ctx.resolve_object(a)) or {})
                   for a in call.args):
            ctx.finding("missing_timeout", call.node, ID, {"library": "grpc-js", "library_default_ms": None},
                        "medium", target, upending)


_CLIENT_METHODS = {"close", "getChannel", "waitForReady", "makeUnaryRequest", "makeClientStreamRequest",
                   "makeServerStreamRequest", "makeBidiStreamRequest", "then", "catch", "on", "bind"}


def _clients(ctx: FileContext) -> dict:
    """Variables holding a gRPC client made here: `new XClient(address, <channel credentials>)`."""
    found = {}
    for call in ctx.calls:
        if not call.is_new or len(call.args) < 2 or "credentials" not in ts.text(call.args[1]).lower():
            continue
        parent = call.node.parent
        name = None
        if parent is not None and parent.type == "variable_declarator":
            name = ts.text(parent.child_by_field_name("name"))
        elif parent is not None and parent.type == "assignment_expression":
            name = dotted(parent.child_by_field_name("left"))
        elif parent is not None and parent.type in ("public_field_definition", "field_definition"):
            field = parent.child_by_field_name("name") or parent.child_by_field_name("property")
            name = f"this.{ts.text(field)}" if field is not None else None
        if not name:
            continue
        target, pending, _ = ctx.url_target(call.args[0])
        found[name] = (target, pending)
    return found


def _wait_for_ready(ctx: FileContext, call) -> None:
    """`client.waitForReady(deadline, cb)` with `deadline.setSeconds(deadline.getSeconds() + 5)` (round 12),
    also `grpc.waitForClientReady(client, deadline, cb)`: the wait for the channel to connect, on the call."""
    position = 1 if call.name == "waitForClientReady" else 0
    if len(call.args) <= position or (call.node.start_point[0] + 1, "timeout") in {(f.line, f.kind) for f in ctx.findings}:
        return
    found = _deadline_ms(ctx, call.args[position], call.node)
    if found is None:
        return
    expr, expression = found
    attrs, confidence, pending = ctx.timeout_from_expr(expr, expression)
    attrs["phase"] = "connect"
    ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)


def _enclosing_call(pair: ts.Node) -> ts.Node | None:
    obj = pair.parent
    args = obj.parent if obj is not None else None
    if args is not None and args.type == "arguments" and args.parent is not None \
            and args.parent.type == "call_expression":
        return args.parent
    return None


def _deadline_ms(ctx: FileContext, value: ts.Node, site: ts.Node, depth: int = 0):
    """(ms expression, source text) of a deadline value measured from now, or None."""
    value = unwrap(value)
    if value is None or depth > 3:
        return None
    if value.type == "new_expression" and dotted(value.child_by_field_name("constructor")) == "Date":
        args = value.child_by_field_name("arguments")
        items = list(args.named_children) if args is not None else []
        return _deadline_ms(ctx, items[0], site, depth + 1) if len(items) == 1 else None
    if value.type == "binary_expression" and ts.text(value.child_by_field_name("operator")) == "+":
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        for now, delta in ((left, right), (right, left)):
            if _is_now(now):
                return ctx.to_expr(delta), ts.text(delta)
        return None
    if value.type in ("identifier", "shorthand_property_identifier"):
        name = ts.text(value)
        local = ctx.local_value(name, site)
        if local is None:
            return None
        found = _deadline_ms(ctx, local, site, depth + 1)
        if found is not None:
            return found
        if local.type == "new_expression" and dotted(local.child_by_field_name("constructor")) == "Date":
            return _set_seconds(ctx, name, site)
    return None


def _is_now(node: ts.Node | None) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    raw = ts.text(node).replace(" ", "")
    return raw in ("Date.now()", "newDate().getTime()", "+newDate()", "performance.now()")


def _set_seconds(ctx: FileContext, name: str, site: ts.Node):
    """`d.setSeconds(d.getSeconds() + n)` / `d.setMilliseconds(d.getMilliseconds() + n)` before the call."""
    for call in ctx.calls:
        if call.callee not in (f"{name}.setSeconds", f"{name}.setMilliseconds") or not call.args:
            continue
        if call.node.start_byte > site.start_byte:
            continue
        arg = unwrap(call.arg(0))
        if arg is None or arg.type != "binary_expression":
            continue
        getter = "getSeconds" if call.name == "setSeconds" else "getMilliseconds"
        left, right = arg.child_by_field_name("left"), arg.child_by_field_name("right")
        if ts.text(left).replace(" ", "") == f"{name}.{getter}()":
            expr = ctx.to_expr(right)
            if call.name == "setSeconds":
                return BinOp("*", expr, Num(1000)), ts.text(right) + " s"
            return expr, ts.text(right)
    return None
