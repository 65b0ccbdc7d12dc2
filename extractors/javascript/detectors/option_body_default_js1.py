"""(round 21, js1) A request handed the helper's options parameter after the body gave it a default timeout.

`var requestList = function (args, cb) { request = args.request || require('request'); args.timeout =
args.timeout || DEFAULT_TIMEOUT; ... request(args, function (err, res, body) {...}) }` (BitPay's wallet
service), `opts.timeout = opts.timeout || 4000; return request.get(opts, cb)`, `if (!options.timeout)
options.timeout = 10000`, `options.timeout ??= 5000`: the helper's own default for its callers that give
none (rule a: the helper's line that applies it, here the request call, with the default's value).

Reported at the request call (the `request` package and its forks: imported, or assigned from
`require('request')` in the function). Not: a request handed an options object without such a default (read
by request_lib_js3 or client_options), a default written after the call, a member other than `timeout`.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, FileContext, _parameter_default, descendants, dotted,
                                           enclosing_function, string_value, unwrap)

ID = "javascript.request"

_PACKAGES = {"request", "request-promise", "request-promise-native", "postman-request", "requestretry"}
_METHODS = {"", "get", "post", "put", "patch", "del", "delete", "head", "options"}


def _request_names(ctx: FileContext) -> set[str]:
    names = {name for name, module in ctx.imports.items() if module in _PACKAGES}
    for node in ctx.nodes_of("assignment_expression"):
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or left.type != "identifier" or right is None:
            continue
        for call in [right, *descendants(right)]:
            if call.type == "call_expression" and dotted(call.child_by_field_name("function")) == "require":
                args = call.child_by_field_name("arguments")
                first = next((a for a in (args.named_children if args is not None else []) if a.type != "comment"),
                             None)
                if first is not None and string_value(first) in _PACKAGES:
                    names.add(ts.text(left))
    return names


def _body_default(fn: ts.Node, name: str, before: int) -> ts.Node | None:
    """The value `name.timeout` is defaulted to in ``fn`` before byte ``before``."""
    body = fn.child_by_field_name("body")
    member = f"{name}.timeout"
    for node in descendants(body, stop_at_functions=True) if body is not None else []:
        if node.start_byte >= before:
            break
        if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) == member:
            right = unwrap(node.child_by_field_name("right"))
            if right is not None and right.type == "binary_expression" and \
                    ts.text(right.child_by_field_name("operator")) in ("||", "??") and \
                    ts.text(right.child_by_field_name("left")).replace("?.", ".") == member:
                return right.child_by_field_name("right")
            parent = node.parent.parent if node.parent is not None else None
            while parent is not None and parent.type in ("statement_block", "expression_statement"):
                parent = parent.parent
            if right is not None and parent is not None and parent.type == "if_statement" and \
                    re.fullmatch(r"\(\s*!\s*" + re.escape(member) + r"\s*\)",
                                 ts.text(parent.child_by_field_name("condition"))):
                return right
        if node.type == "augmented_assignment_expression" and ts.text(node.child_by_field_name("left")) == member \
                and ts.text(node.child_by_field_name("operator")) in ("||=", "??="):
            return node.child_by_field_name("right")
    return None


def detect(ctx: FileContext) -> None:
    if b".timeout" not in ctx.data or b"request" not in ctx.data:
        return
    names = _request_names(ctx)
    if not names:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        head, _, method = call.callee.partition(".")
        if head not in names or method not in _METHODS or not call.args:
            continue
        arg = unwrap(call.args[0])
        if arg is not None and arg.type != "identifier" and len(call.args) > 1:
            arg = unwrap(call.args[1])  # `request.post(url, options, cb)`
        if arg is None or arg.type != "identifier":
            continue
        fn = enclosing_function(call.node)
        while fn is not None and not _parameter_default(fn, ts.text(arg))[0]:
            fn = enclosing_function(fn)
        if fn is None:
            continue
        value = _body_default(fn, ts.text(arg), call.node.start_byte)
        line = call.node.start_point[0] + 1
        if value is None or (line, "timeout") in taken:
            continue
        attrs, confidence, pending = ctx.timeout_value(value)
        attrs["phase"], attrs["scope"], attrs["library"] = "total", "request", "request"
        ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
        taken.add((line, "timeout"))
