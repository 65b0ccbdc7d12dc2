"""Stripe's Node SDK (part of the client options detector): `timeout` and `maxNetworkRetries` on the
client or on one request.

What it does: for a client made from the `stripe` package (`new Stripe(key, {...})`,
`require("stripe")(key, {...})`), reports its ``timeout`` (ms) and ``maxNetworkRetries``
(retries after the first try: ``max_attempts`` = n + 1) given to the constructor, and the same two
keys in the request options (the last argument) of a call on that client
(`stripe.subscriptions.retrieve(id, { timeout: 5000 })`), on the call's line. A call without
them is left alone: the SDK's own defaults (80 s) are not a setting written in the code.

Why it matters: every payment call waits for Stripe up to this long and may be sent again.

Example::

    const stripe = new Stripe(key, { timeout: 20000, maxNetworkRetries: 2 });   // 20 s, 3 attempts
    await stripe.customers.retrieve(id, { timeout: 5000 });                      // 5 s for this call
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, dotted, unwrap
from extractors.javascript.detectors._clients import _binding_name

ID = "javascript.client_options"  # run by the client options detector: Stripe's keys are client options


def detect(ctx: FileContext) -> None:
    if b"stripe" not in ctx.data.lower():
        return
    locals_ = {name for name, module in ctx.imports.items() if module.split(".")[0] == "stripe"}
    clients: set[str] = set()
    for call in ctx.calls:
        made = (call.callee in locals_ and not call.receiver) or (not call.is_new and _required_stripe(call.node))
        if not made:
            continue
        _settings(ctx, call.node, call.arg(1))
        name = _binding_name(call.node)
        if name:
            clients.add(name)
            clients.add(name[5:] if name.startswith("this.") else f"this.{name}")
    clients |= _typed_clients(ctx, locals_)
    if not clients:
        return
    for call in ctx.calls:
        if call.is_new or not call.args or not any(call.receiver == c or call.receiver.startswith(c + ".")
                                                   for c in clients):
            continue
        _settings(ctx, call.node, call.args[-1])


def _typed_clients(ctx: FileContext, locals_: set[str]) -> set[str]:
    """(round 19, js4) a client made elsewhere and injected: a constructor parameter or field typed with the
    package's class (`constructor(@inject(STRIPE_CLIENT) private readonly stripe: Stripe)`)."""
    found: set[str] = set()
    if not locals_:
        return found
    for node in ctx.nodes_of("required_parameter", "optional_parameter", "public_field_definition"):
        annotation = node.child_by_field_name("type")
        name = node.child_by_field_name("pattern") or node.child_by_field_name("name")
        if annotation is None or name is None or name.type not in ("identifier", "private_property_identifier",
                                                                   "property_identifier"):
            continue
        type_name = ts.text(annotation).lstrip(":").strip()
        if type_name in locals_ or type_name.split(".")[0] in locals_ and type_name.endswith(".Stripe"):
            found |= {ts.text(name), f"this.{ts.text(name)}"}
    return found


def _required_stripe(node: ts.Node) -> bool:
    """`require("stripe")(key, {...})`."""
    fn = unwrap(node.child_by_field_name("function"))
    return fn is not None and fn.type == "call_expression" and \
        dotted(fn.child_by_field_name("function")) == "require" and "stripe" in ts.text(fn)


def _settings(ctx: FileContext, call: ts.Node, options: ts.Node | None) -> None:
    props = ctx.props(ctx.resolve_object(options)) or {}
    timeout = props.get("timeout")
    if timeout is not None and unwrap(timeout) is not None and unwrap(timeout).type not in ("null", "undefined"):
        attrs, confidence, pending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        ctx.finding("timeout", call, ID, attrs, confidence, None, pending)
    retries = props.get("maxNetworkRetries")
    if retries is not None and unwrap(retries) is not None and unwrap(retries).type not in ("null", "undefined"):
        attempts, confidence, pending = ctx.count_value(retries, 1.0)
        attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none",
                 "retry_on": None, "mechanism": "client_config", "library": "stripe"}
        ctx.finding("retry", call, ID, attrs, confidence, None, pending)
