"""Bounded waits of three libraries earlier rounds missed (part of the client options detector, round 15,
js2; round-14 requests from the Kuzzle and macpro-mdct-mcr sets).

What it does:

- ZeroMQ (`zeromq` v6): a socket's ``receiveTimeout`` / ``sendTimeout`` / ``connectTimeout`` (ms), set
  in the constructor's options (`new zmq.Request({ receiveTimeout: 5000 })`, on the key's line) or
  assigned to a socket this file made (`const req = new Request(); req.receiveTimeout = 2000`, on the
  assignment). ``-1`` (the library's "wait forever") is no bound and is left alone.
- Bluebird: `.timeout(ms)` on a promise chain that starts at the bluebird import
  (`Bluebird.resolve(this._initSequence()).timeout(this._initTimeout)`), on the `.timeout` line; a
  `.timeout()` of any other receiver (superagent, a field) is not read here.
- LaunchDarkly server SDKs: `client.waitForInitialization({ timeout: 60 })` (seconds), a bounded wait
  for the flag service, on the call's line, when the file imports a LaunchDarkly package.

Why it matters: each bounds a wait on another service (a cluster peer's reply, a service's start-up
handshake, the feature-flag service), and none is spelt `timeout:` in a client's options.

Example::

    const req = new Request();
    req.receiveTimeout = 2000;                                       // timeout 2000 ms
    await Bluebird.resolve(init()).timeout(30000);                   // timeout 30000 ms
    await ld.waitForInitialization({ timeout: 10 });                 // timeout 10000 ms
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, object_props, unwrap

ID = "javascript.client_options"

_ZMQ_KEYS_JS2 = {"receiveTimeout": "read", "sendTimeout": "write", "connectTimeout": "connect"}


def detect(ctx: FileContext) -> None:
    data = ctx.data
    try:
        if b"zeromq" in data and b"Timeout" in data:
            _zeromq(ctx)
        if b"bluebird" in data and b".timeout(" in data.replace(b"\n", b"").replace(b" ", b""):
            _bluebird(ctx)
        if b"waitForInitialization" in data and b"launchdarkly" in data.lower():
            _launchdarkly(ctx)
    except Exception:  # an odd file costs only these findings
        return


def _emit(ctx: FileContext, node: ts.Node, value: ts.Node, scale: float, phase: str, library: str) -> None:
    line = node.start_point[0] + 1
    if any(f.line == line and f.kind == "timeout" for f in ctx.findings):
        return
    attrs, confidence, pending = ctx.timeout_value(value, scale)
    if attrs.get("timeout_ms") is not None and attrs["timeout_ms"] < 0:
        return  # -1: wait forever
    attrs["phase"], attrs["library"] = phase, library
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


def _zeromq(ctx: FileContext) -> None:
    sockets: set[str] = set()
    for call in ctx.calls:
        if not call.is_new or not call.qualified.startswith("zeromq."):
            continue
        holder = call.node.parent
        while holder is not None and holder.type in ("parenthesized_expression", "await_expression"):
            holder = holder.parent
        if holder is not None and holder.type == "variable_declarator":
            name = holder.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                sockets.add(ts.text(name))
        elif holder is not None and holder.type == "assignment_expression":
            sockets.add(ts.text(holder.child_by_field_name("left")))
        options = unwrap(call.args[-1]) if call.args else None
        if options is not None and options.type == "object":
            for key, value in (object_props(options) or {}).items():
                if key in _ZMQ_KEYS_JS2 and value is not None and value.parent is not None:
                    _emit(ctx, value.parent, value, 1.0, _ZMQ_KEYS_JS2[key], "zeromq")
    if not sockets:
        return
    for assign in ctx.nodes_of("assignment_expression"):
        left = assign.child_by_field_name("left")
        if left is None or left.type != "member_expression":
            continue
        key = ts.text(left.child_by_field_name("property"))
        target = left.child_by_field_name("object")
        value = assign.child_by_field_name("right")
        if key in _ZMQ_KEYS_JS2 and target is not None and value is not None and ts.text(target) in sockets:
            _emit(ctx, assign, value, 1.0, _ZMQ_KEYS_JS2[key], "zeromq")


def _bluebird(ctx: FileContext) -> None:
    for call in ctx.calls:
        if call.is_new or call.name != "timeout" or not call.args or "." not in call.callee:
            continue
        head = call.callee.split(".", 1)[0].split("(", 1)[0]
        if ctx.imports.get(head) != "bluebird" or call.callee.count(".") < 2:
            continue  # `Bluebird.timeout` is no such function; a chain starts at a Bluebird call
        fn = unwrap(call.node.child_by_field_name("function"))
        prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
        if _shutdown_js2(fn):
            continue  # (round 20, jsfix2) `Bluebird.resolve(browser.close()).timeout(3000)`: a local teardown's bound
        _emit(ctx, prop if prop is not None else call.node, call.args[0], 1.0, "total", "bluebird")


_SHUTDOWNS_JS2 = {"close", "kill", "exit", "quit", "terminate"}


def _shutdown_js2(fn) -> bool:
    """The chain's root wraps a teardown of a local resource (a browser or child process closed before a
    SIGKILL), `Bluebird.resolve(browser.close())`: no wait on another service."""
    node = fn.child_by_field_name("object") if fn is not None and fn.type == "member_expression" else None
    while node is not None and node.type == "call_expression":
        inner = unwrap(node.child_by_field_name("function"))
        if inner is None or inner.type != "member_expression":
            return False
        obj = unwrap(inner.child_by_field_name("object"))
        if obj is not None and obj.type == "identifier":  # the root: `Bluebird.resolve(x)`
            args = node.child_by_field_name("arguments")
            first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
            callee = unwrap(first.child_by_field_name("function")) if first is not None and \
                first.type == "call_expression" else None
            return callee is not None and callee.type == "member_expression" and \
                ts.text(callee.child_by_field_name("property")) in _SHUTDOWNS_JS2
        node = obj
    return False


def _launchdarkly(ctx: FileContext) -> None:
    if not any("launchdarkly" in module.lower() for module in ctx.imports.values()):
        return
    for call in ctx.calls:
        if call.name != "waitForInitialization" or "." not in call.callee or not call.args:
            continue
        options = unwrap(call.args[0])
        if options is None or options.type != "object":
            continue
        value = (object_props(options) or {}).get("timeout")
        if value is not None:
            # seconds (the SDK's option), reported on the call's line
            _emit(ctx, call.node, value, 1000.0, "total", "launchdarkly")
