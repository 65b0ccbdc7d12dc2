"""(round 20, js1) The `request` package's call given its options inline after a built URL.

What it does: `Request.post(`${Config.get('remote.base')}/daemon/install`, { form, headers, timeout: 10000 },
cb)` and `request(`${base}/api/x`, { method: 'POST', timeout: 5000 }, cb)` (request, request-promise,
postman-request, requestretry; the package imported under any name): the request's timeout (total), on the
call (a request call's options at the called name's line), when no other detector read that options object
(client_options reads an object naming its URL, or one after a literal URL).

Never: a call of another package or of the project, an options object without `timeout`, a timeout that is
an object or `null`, an options object some detector already reported.

Why it matters: the request gives up after that time: the wait the caller's contract with the service has.

Example::

    Request.post(`${base}/daemon/install`, { form, timeout: 10000 }, cb)
"""

from __future__ import annotations

from extractors.javascript.context import FileContext, js_detector, object_props, unwrap

ID = "javascript.request_inline"

_PACKAGES = {"request", "request-promise", "request-promise-native", "postman-request", "requestretry"}
_METHODS = {"get", "post", "put", "patch", "del", "delete", "head", "options"}


@js_detector(ID, ["timeout"],
             valid=["const request = require('other');\nrequest(`${base}/x`, { timeout: 5000 }, cb);",
                    "const Request = require('request');\nRequest(`${base}/x`, { method: 'POST' }, cb);"],
             invalid=["const Request = require('request');\nRequest.post(`${base}/daemon/install`, {\n"
                      "  form: {},\n  timeout: 10000,\n}, cb);"])
def detect(ctx: FileContext) -> None:
    if b"timeout" not in ctx.data or b"request" not in ctx.data:
        return
    locals_ = {name for name, module in ctx.imports.items() if module in _PACKAGES}
    if not locals_:
        return
    taken = [(f.line, f.end_line) for f in ctx.findings if f.kind == "timeout"]
    for call in ctx.calls:
        head, _, method = call.callee.partition(".")
        if head not in locals_ or (method and method not in _METHODS) or not call.args:
            continue
        for arg in call.args[:2]:
            obj = unwrap(arg)
            if obj is None or obj.type != "object":
                continue
            value = (object_props(obj) or {}).get("timeout")
            if value is None or unwrap(value) is None or unwrap(value).type in ("object", "null", "undefined"):
                break
            first, last = call.node.start_point[0] + 1, obj.end_point[0] + 1
            if any(first <= line <= last for line, _ in taken):
                break  # read already (client_options, request_lib)
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs["phase"], attrs["scope"], attrs["library"] = "total", "request", "request"
            ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
            taken.append((first, last))
            break
