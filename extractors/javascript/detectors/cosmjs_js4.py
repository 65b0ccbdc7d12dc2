"""(round 19, js4) CosmJS signing clients: `broadcastTimeoutMs`.

What it does: in a file importing a `@cosmjs/` package, a signing client made with options
(`SigningStargateClient.connectWithSigner(endpoint, wallet, { broadcastTimeoutMs: 30_000 })`, also
`createWithSigner`, `offline`, `new SigningStargateClient(...)`, the CosmWasm client, a project subclass
whose class name ends in `Client`): how long `signAndBroadcast` waits for the transaction to be included
in a block before it gives up (ms), reported at the key (phase ``total``).
Not: `broadcastPollIntervalMs` (the poll's spacing), a key in an object handed to something else, a file
without a `@cosmjs/` import.
"""

from __future__ import annotations

from extractors.javascript.context import FileContext, unwrap

ID = "javascript.client_options"
_FACTORIES = ("connectWithSigner", "createWithSigner", "offline", "connect")


def detect(ctx: FileContext) -> None:
    if b"broadcastTimeoutMs" not in ctx.data or b"@cosmjs/" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    reported: set[int] = set()
    for call in ctx.calls:
        owner = call.callee.split(".")[-1] if call.is_new else call.receiver.split(".")[-1]
        if not owner.endswith("Client") or not (call.is_new or call.name in _FACTORIES):
            continue
        for arg in call.args:
            obj = ctx.resolve_object(arg)
            value = (ctx.props(obj) or {}).get("broadcastTimeoutMs") if obj is not None else None
            if value is None or unwrap(value) is None or unwrap(value).type in ("null", "undefined"):
                continue
            pair = value.parent
            while pair is not None and pair.type != "pair":
                pair = pair.parent
            node = pair if pair is not None else call.node
            line = node.start_point[0] + 1
            if (line, "timeout") in taken:
                continue
            taken.add((line, "timeout"))
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs.update({"phase": "total", "library": "cosmjs"})
            ctx.finding("timeout", node, ID, attrs, confidence, None, pending)
            reported.add(line)
    if reported:
        ctx.findings[:] = [f for f in ctx.findings if not (f.detector == "javascript.wrapper_call" and
                                                           f.kind == "timeout" and f.line in reported)]
