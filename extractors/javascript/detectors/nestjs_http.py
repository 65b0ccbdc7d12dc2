"""NestJS HttpModule: `HttpModule.register({ timeout })` and `registerAsync({ useFactory })`.

What it does: reports the default timeout a NestJS module gives every `HttpService` call.

Why it matters: `HttpService` is axios underneath, whose default is no timeout at all; the module
registration is the one place the service's outbound timeout is decided.

Example::

    HttpModule.register({ timeout: 5000, maxRedirects: 5 })   // timeout 5000 ms
"""

from __future__ import annotations

from extractors.javascript.context import (FileContext, descendants, is_disabled_value, js_detector, key_name)

ID = "javascript.nestjs_http"


@js_detector(ID, ["timeout"],
          valid=['HttpModule.register({ maxRedirects: 5 })'],
          invalid=['HttpModule.register({ timeout: 5000 })'])
def detect(ctx: FileContext) -> None:
    for call in ctx.calls:
        if call.callee not in ("HttpModule.register", "HttpModule.registerAsync"):
            continue
        if call.callee.endswith(".register"):
            props = ctx.props(ctx.resolve_object(call.arg(0))) or {}
            timeouts = [props["timeout"]] if "timeout" in props else []
        else:
            timeouts = [n.child_by_field_name("value") for n in descendants(call.node)
                        if n.type == "pair" and key_name(n.child_by_field_name("key")) == "timeout"]
        for value in timeouts:
            if value is None or is_disabled_value(value):
                continue
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs["phase"] = "total"
            ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
