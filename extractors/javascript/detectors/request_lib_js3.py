"""(round 19, js3) The `request` package's call handed an options object built before it.

What it does: `var requestParams = { method: 'POST', url: this.capacityEndpoint, timeout: 2000, json: true };
... request.post(requestParams, cb)` (request, request-promise, postman-request): the request's timeout
(total), reported at the call (a request call's options at the called name's line, as axios's and the
wikifeeds set's), so client_options' reading of the object as an API configuration (at its key) is left out.
An inline literal (`request({ url, timeout: 2000 }, cb)`) is left to client_options, at the key.
Not: an options object of another function, a module-level object (shared by several calls), a call of
another package.
"""

from __future__ import annotations

from extractors.javascript.context import FileContext, enclosing_function, object_props, unwrap

ID = "javascript.request"

_PACKAGES = {"request", "request-promise", "request-promise-native", "postman-request", "requestretry"}
_METHODS = {"get", "post", "put", "patch", "del", "delete", "head", "options"}


def detect(ctx: FileContext) -> None:
    if b"request" not in ctx.data or b"timeout" not in ctx.data:
        return
    locals_ = {name for name, module in ctx.imports.items() if module in _PACKAGES}
    if not locals_:
        return
    for call in ctx.calls:
        head, _, method = call.callee.partition(".")
        if head not in locals_ or (method and method not in _METHODS) or not call.args:
            continue
        arg = unwrap(call.args[0])
        if arg is not None and arg.type != "identifier" and len(call.args) > 1:
            arg = unwrap(call.args[1])  # `request.post(url, options, cb)`
        if arg is None or arg.type != "identifier":
            continue
        obj = ctx.resolve_object(arg)
        scope = enclosing_function(call.node)
        home = enclosing_function(obj) if obj is not None else None
        if obj is None or obj.type != "object" or scope is None or home is None or \
                (home.start_byte, home.end_byte) != (scope.start_byte, scope.end_byte):
            continue
        value = (object_props(obj) or {}).get("timeout")
        if value is None or unwrap(value).type in ("object", "null", "undefined"):
            continue
        attrs, confidence, pending = ctx.timeout_value(value)
        attrs["phase"], attrs["scope"], attrs["library"] = "total", "request", "request"
        ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
