"""@hapi/wreck, hapi's HTTP client: `Wreck.defaults({ timeout })`, `Wreck.get(url, { timeout })`,
`Wreck.request(method, url, { timeout })` (round 19, js1: DEFRA flood-app).

What it does: in a file importing `@hapi/wreck` (or the older `wreck`), reports the ``timeout``
option (milliseconds) of a client made with ``.defaults(options)`` at the option key's line (options
given to a client constructor), and of a request call of the module or of such a client (``get``,
``post``, ``put``, ``patch``, ``delete``, ``request``) at the called name's line. A client made with
``.defaults`` bound to a name (`const wreck = require('@hapi/wreck').defaults({...})`) is followed to
its request calls.

Never: a file that does not import wreck, a ``defaults`` / ``get`` call of another object, an option
other than ``timeout`` (``redirects`` and ``maxBytes`` bound no wait), a timeout of 0 or false (none).

Why it matters: wreck waits as long as the server takes unless ``timeout`` is set.

Example::

    const wreck = require('@hapi/wreck').defaults({
      timeout: 10000            // 10000 ms, on this line
    })
    await Wreck.get(url, { json: true, timeout: 5000 })   // 5000 ms, on the call
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, is_disabled_value, js_detector, key_name, unwrap

ID = "javascript.wreck"
_MODULES = ("@hapi/wreck", "wreck")
_REQUIRE = re.compile(r"""^require\(\s*['"](?:@hapi/)?wreck['"]\s*\)$""")
_METHODS = {"get": 1, "post": 1, "put": 1, "patch": 1, "delete": 1, "request": 2}


def _is_wreck(ctx: FileContext, receiver_node: ts.Node | None, receiver: str, clients: set[str]) -> bool:
    if receiver in clients:
        return True
    root = receiver.split(".", 1)[0]
    if root and root in ctx.local_names_for(*_MODULES) and not ctx.shadowed(root, receiver_node or ctx.tree.root_node):
        return True
    return receiver_node is not None and bool(_REQUIRE.match(ts.text(unwrap(receiver_node)) or ""))


def _bound_name(node: ts.Node) -> str | None:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return ts.text(name) if name is not None and name.type == "identifier" else None
    if parent is not None and parent.type == "assignment_expression":
        return ts.text(parent.child_by_field_name("left"))
    return None


@js_detector(ID, ["timeout"],
             valid=["const other = require('./client')\nother.defaults({ timeout: 5000 })",
                    "const Wreck = require('@hapi/wreck')\nWreck.get(url, { json: true })"],
             invalid=["const wreck = require('@hapi/wreck').defaults({\n  timeout: 5000\n})"])
def detect(ctx: FileContext) -> None:
    if b"wreck" not in ctx.data or not (ctx.local_names_for(*_MODULES) or b"require(" in ctx.data):
        return
    clients: set[str] = set()
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        fn = call.node.child_by_field_name("function")
        receiver_node = fn.child_by_field_name("object") if fn is not None and fn.type == "member_expression" else None
        if call.name == "defaults" and _is_wreck(ctx, receiver_node, call.receiver, clients):
            bound = _bound_name(call.node)
            if bound:
                clients.add(bound)
            options = ctx.resolve_object(call.arg(0))
            pair = _timeout_pair(options)
            if pair is not None:
                _report(ctx, pair, pair.child_by_field_name("value"), taken)
            continue
        index = _METHODS.get(call.name)
        if index is None or not _is_wreck(ctx, receiver_node, call.receiver, clients):
            continue
        options = ctx.resolve_object(call.arg(index))
        pair = _timeout_pair(options)
        if pair is not None:
            _report(ctx, call.node, pair.child_by_field_name("value") or pair, taken)


def _timeout_pair(options: ts.Node | None) -> ts.Node | None:
    options = unwrap(options)
    if options is None or options.type != "object":
        return None
    for child in options.named_children:
        if child.type == "pair" and key_name(child.child_by_field_name("key")) == "timeout":
            return child
        if child.type == "shorthand_property_identifier" and ts.text(child) == "timeout":
            return child
    return None


def _report(ctx: FileContext, at: ts.Node, value: ts.Node | None, taken: set) -> None:
    value = unwrap(value)
    line = at.start_point[0] + 1
    if value is None or is_disabled_value(value) or ts.text(value) in ("0", "false", "null", "undefined") \
            or (line, "timeout") in taken:
        return
    taken.add((line, "timeout"))
    attrs, confidence, pending = ctx.timeout_value(value)
    attrs["library"] = "@hapi/wreck"
    ctx.finding("timeout", at, ID, attrs, confidence, None, pending)
