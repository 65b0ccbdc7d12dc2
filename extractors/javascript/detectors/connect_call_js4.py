"""(round 19, js4) Connect-ES (connect-rpc) call options: `client.method(request, { timeoutMs })`.

What it does: a method of a generated RPC client called with the request and Connect's call options
(`sdk.akash.provider.v1.getStatus({}, { timeoutMs })`, `client.say({ sentence }, { timeoutMs: 5000,
signal })`): the options object holds only Connect's `CallOptions` keys (`timeoutMs`, `signal`,
`headers`, `onHeader`, `onTrailer`, `contextValues`) and a `timeoutMs`: the call's deadline (ms), reported
on the call (phase ``total``). A `timeoutMs` that is the enclosing helper's parameter is a forwarder: its
callers' values are the contracts (rule c), as for every request option.
Not: an options object with other keys (a library's own options), a `timeoutMs` of a single-argument
call, a call on a bare function.
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, key_name, unwrap

ID = "javascript.grpc"
_CALL_OPTIONS = {"timeoutMs", "signal", "headers", "onHeader", "onTrailer", "contextValues"}


def detect(ctx: FileContext) -> None:
    if b"timeoutMs" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for call in ctx.calls:
        if call.is_new or len(call.args) != 2 or call.callee.count(".") < 1:
            continue
        options = unwrap(call.args[1])
        if options is None or options.type != "object":
            continue
        keys: dict[str, ts.Node] = {}
        for part in options.named_children:
            if part.type == "shorthand_property_identifier":
                keys[ts.text(part)] = part
            elif part.type == "pair":
                key = key_name(part.child_by_field_name("key"))
                if key:
                    keys[key] = part.child_by_field_name("value")
            elif part.type != "comment":
                keys["..."] = part  # a spread: not only Connect's keys that we can see
        if "timeoutMs" not in keys or not set(keys) <= _CALL_OPTIONS:
            continue
        line = call.node.start_point[0] + 1
        if (line, "timeout") in taken:
            continue
        value = keys["timeoutMs"]
        if value is None or (unwrap(value) is not None and unwrap(value).type in ("null", "undefined")):
            continue
        taken.add((line, "timeout"))
        attrs, confidence, pending = ctx.timeout_value(value)
        attrs.update({"phase": "total", "library": "connect"})
        ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
