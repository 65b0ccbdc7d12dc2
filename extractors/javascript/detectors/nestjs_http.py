"""NestJS HttpModule: `HttpModule.register({ timeout })` and `registerAsync({ useFactory })`.

What it does: reports the default timeout a NestJS module gives every `HttpService` call.

Why it matters: `HttpService` is axios underneath, whose default is no timeout at all; the module
registration is the one place the service's outbound timeout is decided.

Example::

    HttpModule.register({ timeout: 5000, maxRedirects: 5 })   // timeout 5000 ms
    HttpModule.register({ baseURL: "http://pay:8080", timeout: 3000 })  // timeout 3000 ms, target pay

The ``baseURL`` (a literal, an env lookup or a constant) is the target, as for ``axios.create``.
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
            base = props.get("baseURL")
        else:
            pairs = [n for n in descendants(call.node) if n.type == "pair"]
            timeouts = [n.child_by_field_name("value") for n in pairs
                        if key_name(n.child_by_field_name("key")) == "timeout"]
            bases = [n.child_by_field_name("value") for n in pairs
                     if key_name(n.child_by_field_name("key")) == "baseURL"]
            base = bases[0] if len(bases) == 1 else None
        # baseURL, as for axios.create: every HttpService call of the module goes there
        target, url_pending, _ = ctx.url_target(None, base) if base is not None else (None, (), None)
        for value in timeouts:
            if value is None or is_disabled_value(value):
                continue
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs["phase"] = "total"
            ctx.finding("timeout", call.node, ID, attrs, confidence, target, (*pending, *url_pending))
